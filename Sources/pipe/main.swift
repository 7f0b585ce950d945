import PipeCore
print("pipe: not yet built")
