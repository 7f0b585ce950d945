import Foundation

/// Unicode NFC through ICU's `unorm2_normalize`, found at run time in the ICU that Foundation itself loads.
///
/// Why not `String.precomposedStringWithCanonicalMapping`: on Linux, swift-corelibs-foundation composes a
/// supplementary-plane starter with a following combining mark wrongly (U+10061 U+0307 becomes U+0227: the
/// surrogate is truncated), which the randomized test against Hugging Face caught. ICU implements the algorithm
/// correctly, as does the `unicode-normalization` crate HF `tokenizers` uses. The symbols are looked up with `dlsym` (they are
/// exported as `swift_unorm2_*` by `lib_FoundationICU`) so no link flag or Package.swift change is needed;
/// where they are absent (macOS, static builds) Foundation's normalization is used, which is correct on macOS.
enum ICUNormalizer {
    private typealias GetInstance = @convention(c) (UnsafeMutablePointer<Int32>) -> OpaquePointer?
    private typealias Normalize = @convention(c) (OpaquePointer?, UnsafePointer<UInt16>?, Int32,
                                                  UnsafeMutablePointer<UInt16>?, Int32, UnsafeMutablePointer<Int32>) -> Int32

    private struct Functions: @unchecked Sendable {
        let instance: OpaquePointer
        let normalize: Normalize
    }

    /// ICU's NFC normalizer (wraps `unorm2_getNFCInstance`), or nil when ICU's symbols cannot be found.
    private static let functions: Functions? = {
        let handles = [dlopen(nil, RTLD_NOW), dlopen("lib_FoundationICU.so", RTLD_NOW | RTLD_NOLOAD)]
        for handle in handles {
            guard let handle, let get = dlsym(handle, "swift_unorm2_getNFCInstance"),
                  let normalize = dlsym(handle, "swift_unorm2_normalize") else { continue }
            var status: Int32 = 0
            guard let instance = unsafeBitCast(get, to: GetInstance.self)(&status), status <= 0 else { continue }
            return Functions(instance: instance, normalize: unsafeBitCast(normalize, to: Normalize.self))
        }
        return nil
    }()

    /// Whether ICU was found (tests pin this on Linux, where Foundation's fallback is known to be wrong).
    static var isAvailable: Bool { functions != nil }

    /// `text` in NFC (wraps `unorm2_normalize`; a buffer overflow is retried with the size ICU asks for).
    static func nfc(_ text: String) -> String {
        guard let functions else { return text.precomposedStringWithCanonicalMapping }
        let source = Array(text.utf16)
        var capacity = source.count + source.count / 2 + 16
        while true {
            var status: Int32 = 0
            var output = [UInt16](repeating: 0, count: capacity)
            let length = source.withUnsafeBufferPointer { src in
                output.withUnsafeMutableBufferPointer { dst in
                    functions.normalize(functions.instance, src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count), &status)
                }
            }
            if status == 15 /* U_BUFFER_OVERFLOW_ERROR */ && Int(length) > capacity {
                capacity = Int(length)
                continue
            }
            guard status <= 0 else { return text.precomposedStringWithCanonicalMapping }
            return String(decoding: output[0..<Int(length)], as: UTF16.self)
        }
    }
}
