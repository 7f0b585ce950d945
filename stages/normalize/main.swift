import StageKit
import Triage

print("normalize: not yet built")
