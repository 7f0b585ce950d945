import StageKit
import Triage

print("anonymize: not yet built")
