import StageKit
import Triage

print("evaluate: not yet built")
