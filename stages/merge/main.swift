import StageKit
import Triage

print("merge: not yet built")
