import Testing
@testable import PipeCore

@Test func packageBuilds() { #expect(Bool(true)) }
