import StageKit
import Triage

print("pretrain: not yet built")
