import StageKit
import Triage

print("sft: not yet built")
