import Testing
@testable import Triage

@Test func packageBuilds() { #expect(Bool(true)) }
