print("TensorBench: not yet built")
