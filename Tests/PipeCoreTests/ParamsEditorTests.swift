import Foundation
import Testing
@testable import PipeCore

/// The `-S` params editor: only the edited scalar's characters change; everything else stays byte for byte.
@Suite struct ParamsEditorTests {
    var sample: String { """
    # Training knobs, tuned by hand — keep the comments!
    train:
      lr: 0.0002      # learning rate
      epochs: 3

      layers: [64, 128]   # widths
      name: 'baseline'
      note: "quoted"
      seed:
    eval:
      - split: test
        batch: 8
    flag: true

    """ }

    func edit(_ text: String, _ args: String..., file: String = "params.yaml") throws -> String {
        var editor = ParamsEditor(text: text, file: file)
        try editor.apply(try args.map { try ParamsOverride(parsing: $0, defaultFile: file) })
        return editor.text
    }

    @Test("a nested scalar changes and every other byte of the file stays, comments and blank lines included")
    func nestedScalarKeepsLayout() throws {
        let out = try edit(sample, "train.lr=1e-4")
        #expect(out == sample.replacingOccurrences(of: "lr: 0.0002      #", with: "lr: 1e-4      #"))
        #expect(try YAMLReader.parse(out, file: "p").value.value(at: "train.lr") == .double(1e-4))
    }

    @Test("the user's spelling is kept when it reads as the value, and the file's quoting style for strings")
    func spellingAndQuoting() throws {
        let out = try edit(sample, "train.name=tuned", "train.note=say \"hi\"", "flag=false")
        #expect(out.contains("  name: 'tuned'\n"))
        #expect(out.contains("  note: \"say \\\"hi\\\"\"\n"))
        #expect(out.contains("flag: false\n"))
        #expect(out.replacingOccurrences(of: "'tuned'", with: "'baseline'")
            .replacingOccurrences(of: "\"say \\\"hi\\\"\"", with: "\"quoted\"")
            .replacingOccurrences(of: "flag: false", with: "flag: true") == sample)
    }

    @Test("a string that would read as something else is written quoted")
    func ambiguousStringIsQuoted() throws {
        var editor = ParamsEditor(text: sample, file: "params.yaml")
        try editor.set("train.name", to: .string("a: b # c"), spelling: "a: b # c")
        #expect(try YAMLReader.parse(editor.text, file: "p").value.value(at: "train.name") == .string("a: b # c"))
        try editor.set("flag", to: .string("true"), spelling: nil)
        #expect(editor.text.contains("flag: \"true\"\n"))
    }

    @Test("a flow list is replaced whole, a list item by index, and list values parse from -S text")
    func lists() throws {
        let whole = try edit(sample, "train.layers=[32, 64, 96]")
        #expect(whole.contains("  layers: [32, 64, 96]   # widths\n"))
        #expect(try YAMLReader.parse(whole, file: "p").value.value(at: "train.layers") == .list([.int(32), .int(64), .int(96)]))
        let item = try edit(sample, "train.layers.1=256")
        #expect(item.contains("  layers: [64, 256]   # widths\n"))
        let block = try edit(sample, "eval.0.batch=16")
        #expect(block.contains("    batch: 16\n"))
        #expect(block.replacingOccurrences(of: "batch: 16", with: "batch: 8") == sample)
    }

    @Test("an anchor before the value stays; a tag goes with the old value")
    func anchorsAndTags() throws {
        let text = "a: &x 1\nb: !!float 2\nc: *x\n"
        #expect(try edit(text, "b=3") == "a: &x 1\nb: 3\nc: *x\n")
        #expect(throws: PipeError.self) { try edit(text, "a=5") }   // the alias c would change too
    }

    @Test("an empty value gets the new one after its colon")
    func emptyValue() throws {
        let out = try edit(sample, "train.seed=42")
        #expect(out.contains("  seed: 42\n"))
        #expect(out.replacingOccurrences(of: "seed: 42", with: "seed:") == sample)
    }

    @Test("an unknown key is an error naming the file and the key, with the closest key as a suggestion")
    func unknownKeySuggests() throws {
        do {
            _ = try edit(sample, "train.lrr=0.1")
            Issue.record("expected an error")
        } catch let error as PipeError {
            #expect(error.code == .unknownKey)
            #expect(error.exitCode == 2)
            #expect(error.message.contains("params.yaml"))
            #expect(error.message.contains("train.lrr"))
            #expect(error.fix?.contains("did you mean 'train.lr'") == true)
        }
        #expect(throws: PipeError.self) { try edit(sample, "train.lr.x=1") }
        #expect(throws: PipeError.self) { try edit(sample, "eval.3.batch=1") }
    }

    @Test("a failing override leaves the editor's text as it was, even after earlier ones succeeded")
    func allOrNothing() throws {
        var editor = ParamsEditor(text: sample, file: "params.yaml")
        let overrides = [try ParamsOverride(parsing: "train.lr=0.5"), try ParamsOverride(parsing: "nope=1")]
        #expect(throws: PipeError.self) { try editor.apply(overrides) }
        #expect(editor.text == sample)
    }

    @Test("a block section cannot be set as a value")
    func sectionRefused() throws {
        do {
            _ = try edit(sample, "train=1")
            Issue.record("expected an error")
        } catch let error as PipeError {
            #expect(error.code == .invalidValue)
            #expect(error.message.contains("is a section"))
        }
    }

    @Test("-S values parse as YAML scalars and flow collections; malformed input is a usage error")
    func overrideParsing() throws {
        #expect(try ParamsOverride(parsing: "a.b=3").value == .int(3))
        #expect(try ParamsOverride(parsing: "a=2e-4").value == .double(2e-4))
        #expect(try ParamsOverride(parsing: "a=yes").value == .string("yes"))
        #expect(try ParamsOverride(parsing: "a=null").value == .null)
        #expect(try ParamsOverride(parsing: "a=x=y").value == .string("x=y"))
        #expect(try ParamsOverride(parsing: "a={k: 1}").value == .dict([("k", .int(1))]))
        let other = try ParamsOverride(parsing: "conf/other.yaml:model.width=8")
        #expect(other.file == "conf/other.yaml" && other.key == "model.width")
        #expect(throws: PipeError.self) { try ParamsOverride(parsing: "novalue") }
        #expect(throws: PipeError.self) { try ParamsOverride(parsing: "a..b=1") }
        #expect(throws: PipeError.self) { try ParamsOverride(parsing: "a=[1, 2") }
    }

    @Test("a JSON params file gets JSON spellings")
    func jsonFile() throws {
        let json = "{\n  \"train\": {\"lr\": 0.1, \"tag\": \"a\"},\n  \"n\": 1\n}\n"
        let out = try edit(json, "train.tag=b c", "n=2", file: "params.json")
        #expect(out == "{\n  \"train\": {\"lr\": 0.1, \"tag\": \"b c\"},\n  \"n\": 2\n}\n")
    }

    @Test("apply writes only changed files, atomically, and a bad key anywhere changes no file")
    func filesOnDisk() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("params.yaml", sample)
        try dir.write("conf/other.yaml", "model:\n  width: 4  # w\n")
        let bad = [try ParamsOverride(parsing: "train.lr=0.5"), try ParamsOverride(parsing: "conf/other.yaml:model.wdth=8")]
        #expect(throws: PipeError.self) { try ParamsEditor.apply(bad, repoRoot: dir.url) }
        #expect(dir.read("params.yaml") == sample)
        let good = [try ParamsOverride(parsing: "conf/other.yaml:model.width=8")]
        let result = try ParamsEditor.apply(good, repoRoot: dir.url)
        #expect(result.changed == ["conf/other.yaml"])
        #expect(dir.read("conf/other.yaml") == "model:\n  width: 8  # w\n")
        #expect(throws: PipeError.self) { try ParamsEditor.apply([try ParamsOverride(parsing: "missing.yaml:a=1")], repoRoot: dir.url) }
    }
}

/// `-S +key=value`, `++key=value` and `~key`: whole lines added or removed, the rest untouched.
@Suite struct ParamsEditorStructureTests {
    let sample = ParamsEditorTests().sample

    func edit(_ text: String, _ args: String...) throws -> String {
        var editor = ParamsEditor(text: text, file: "params.yaml")
        try editor.apply(try args.map { try ParamsOverride(parsing: $0) })
        return editor.text
    }

    @Test("+key adds a line after the last entry of its section, at its indentation, creating missing sections")
    func addKeys() throws {
        let out = try edit(sample, "+train.dropout=0.1", "+eval_every=5", "+model.head.width=8")
        #expect(out == sample
            .replacingOccurrences(of: "  seed:\n", with: "  seed:\n  dropout: 0.1\n")
            + "eval_every: 5\nmodel:\n  head:\n    width: 8\n")
        let tree = try YAMLReader.parse(out, file: "p").value
        #expect(tree.value(at: "train.dropout") == .double(0.1))
        #expect(tree.value(at: "model.head.width") == .int(8))
    }

    @Test("+key on an existing key is an error; ++key adds or changes")
    func addExisting() throws {
        #expect(throws: PipeError.self) { try edit(sample, "+train.lr=1") }
        let out = try edit(sample, "++train.lr=1", "++train.momentum=0.9")
        let tree = try YAMLReader.parse(out, file: "p").value
        #expect(tree.value(at: "train.lr") == .int(1))
        #expect(tree.value(at: "train.momentum") == .double(0.9))
        #expect(out.contains("  lr: 1      # learning rate\n"))
    }

    @Test("~key removes the entry's lines; ~key=value only when it holds that value")
    func removeKeys() throws {
        let out = try edit(sample, "~train.epochs")
        #expect(out == sample.replacingOccurrences(of: "  epochs: 3\n", with: ""))
        #expect(throws: PipeError.self) { try edit(sample, "~flag=false") }
        let flagless = try edit(sample, "~flag=true")
        #expect(!flagless.contains("flag"))
        let noEval = try edit(sample, "~eval")
        #expect(noEval == sample.replacingOccurrences(of: "eval:\n  - split: test\n    batch: 8\n", with: ""))
        #expect(throws: PipeError.self) { try edit(sample, "~train.nope") }
    }
}
