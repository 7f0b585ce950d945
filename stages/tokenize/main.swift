import StageKit
import Triage

print("tokenize: not yet built")
