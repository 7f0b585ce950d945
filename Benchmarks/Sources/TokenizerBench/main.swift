print("TokenizerBench: not yet built")
