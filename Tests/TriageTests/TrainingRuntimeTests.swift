import Foundation
import Testing
@testable import Triage

@Suite struct TrainingRuntimeTests {
    #if os(Linux)
    @Test func glibcAcceptsTheAllocatorSettingsOfTheTrainingStages() {
        #expect(GlibcMallopt.set(GlibcMallopt.mmapThreshold, TrainingRuntime.mmapThreshold))
        #expect(GlibcMallopt.set(GlibcMallopt.trimThreshold, TrainingRuntime.trimThreshold))
    }
    #endif
}
