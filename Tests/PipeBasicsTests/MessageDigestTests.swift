import Testing
@testable import PipeBasics

@Test func sha256MatchesTheFIPSVectors() {
    #expect(MessageDigest.hex(MessageDigest.hash(.sha256, Array("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(MessageDigest.hex(MessageDigest.hash(.sha256, [UInt8]()))
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
}

@Test func md5MatchesTheRFC1321Vectors() {
    #expect(MessageDigest.hex(MessageDigest.hash(.md5, [UInt8]())) == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(MessageDigest.hex(MessageDigest.hash(.md5, Array("message digest".utf8))) == "f96b697d7cb7938d525a2f31aaf161d0")
}

@Test func hmacSHA256MatchesRFC4231() {
    // RFC 4231 test case 2 (a key shorter than the block) and 6 (a key longer than the block, hashed first).
    #expect(MessageDigest.hex(MessageDigest.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    #expect(MessageDigest.hex(MessageDigest.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131),
                                                       Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
}

@Test func aStreamedDigestEqualsTheOneShotDigest() {
    let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let digest = MessageDigest(.sha256)
    for start in stride(from: 0, to: bytes.count, by: 4_093) { digest.update(bytes[start..<min(bytes.count, start + 4_093)]) }
    #expect(digest.finalize() == MessageDigest.hash(.sha256, bytes))
}
