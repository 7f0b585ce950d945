import StageKit
import Triage

print("dpo: not yet built")
