import StageKit
import Triage

print("split: not yet built")
