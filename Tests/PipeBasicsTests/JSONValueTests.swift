import Foundation
import Testing
import PipeBasics

@Suite struct JSONValueTests {
    static let sample = JSONValue.object([
        ("zeta", .int(1)), ("alpha", .array([.double(0.5), .bool(true), .null, .string("é\n")])),
        ("mid", .object([("b", .double(3)), ("a", .object([]))])), ("empty", .array([])),
    ])

    @Test("compact text keeps keys in insertion order and has no whitespace")
    func compact() {
        #expect(Self.sample.text() == #"{"zeta":1,"alpha":[0.5,true,null,"é\n"],"mid":{"b":3.0,"a":{}},"empty":[]}"#)
    }

    @Test("compact text round-trips through JSONSerialization with the same keys and values")
    func roundTrip() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(Self.sample.text().utf8)) as? [String: Any]
        #expect(parsed?["zeta"] as? Int == 1)
        #expect((parsed?["alpha"] as? [Any])?.count == 4)
        #expect((parsed?["alpha"] as? [Any])?[3] as? String == "é\n")
        #expect((parsed?["mid"] as? [String: Any])?["b"] as? Double == 3)
        #expect(Set(parsed?.keys.map { $0 } ?? []) == ["zeta", "alpha", "mid", "empty"])
    }

    @Test("the python format indents by two, sorts keys, escapes non-ASCII and writes empty containers inline")
    func python() {
        #expect(Self.sample.text(.python) == """
            {
              "alpha": [
                0.5,
                true,
                null,
                "\\u00e9\\n"
              ],
              "empty": [],
              "mid": {
                "a": {},
                "b": 3.0
              },
              "zeta": 1
            }
            """)
    }

    @Test("the spaced layout puts a space after commas and colons on one line")
    func spaced() {
        let value = JSONValue.object([("shape", .array([.int(2), .int(3)])), ("dtype", .string("float32"))])
        #expect(value.text(JSONFormat(layout: .spaced)) == #"{"shape": [2, 3], "dtype": "float32"}"#)
    }

    @Test("each double style writes its own text, and non-finite values as null except in python")
    func doubles() {
        let values: [Double] = [3, 0.1, 1e-06, 1234567, .nan, .infinity]
        func texts(_ doubles: JSONFormat.Doubles) -> [String] {
            values.map { JSONFormat(doubles: doubles).text(of: $0) }
        }
        #expect(texts(.shortest) == ["3.0", "0.1", "1e-06", "1234567.0", "null", "null"])
        #expect(texts(.integralAsInteger) == ["3", "0.1", "1e-06", "1234567", "null", "null"])
        #expect(texts(.significantDigits(6)) == ["3", "0.1", "1e-06", "1.23457e+06", "null", "null"])
        #expect(texts(.python) == ["3.0", "0.1", "1e-06", "1234567.0", "NaN", "Infinity"])
    }

    @Test("equality is structural and object key order matters")
    func equality() {
        #expect(JSONValue.object([("a", .int(1)), ("b", .int(2))]) == .object([("a", .int(1)), ("b", .int(2))]))
        #expect(JSONValue.object([("a", .int(1)), ("b", .int(2))]) != .object([("b", .int(2)), ("a", .int(1))]))
        #expect(JSONValue.double(.nan) == .double(.nan))
        #expect(JSONValue.int(1) != .double(1))
    }
}
