print("EngineBench: not yet built")
