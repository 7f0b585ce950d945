import Testing
@testable import Tensors

@Test func packageBuilds() { #expect(Bool(true)) }
