import Testing
@testable import StageKit

@Test func packageBuilds() { #expect(Bool(true)) }
