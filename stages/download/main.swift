import StageKit
import Triage

print("download: not yet built")
