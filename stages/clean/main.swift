import StageKit
import Triage

print("clean: not yet built")
