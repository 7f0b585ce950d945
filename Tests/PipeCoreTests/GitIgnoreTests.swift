import Foundation
import Testing
@testable import PipeCore

@Suite struct GitIgnoreTests {
    @Test("outputs are added as /name to the .gitignore beside them, once, keeping what was there")
    func addsAnchoredLines() throws {
        let repo = try HashingScratchDirectory()
        try repo.write(".gitignore", "# mine\n*.pyc\n/build")
        let changed = try GitIgnoreUpdater.ignore(["model.bin", "data/clean", "data/split/train.jsonl", "data/clean"], repoRoot: repo.url)
        #expect(changed == [".gitignore", "data/.gitignore", "data/split/.gitignore"])
        #expect(repo.read(".gitignore") == "# mine\n*.pyc\n/build\n/model.bin\n")
        #expect(repo.read("data/.gitignore") == "/clean\n")
        #expect(repo.read("data/split/.gitignore") == "/train.jsonl\n")
        #expect(try GitIgnoreUpdater.ignore(["data/clean", "model.bin"], repoRoot: repo.url).isEmpty)
        #expect(repo.read("data/.gitignore") == "/clean\n")
        try GitIgnoreUpdater.ignore(["data/extra"], repoRoot: repo.url)
        #expect(repo.read("data/.gitignore") == "/clean\n/extra\n")
    }

    @Test("glob characters in names are escaped so the line matches only that name")
    func escapesGlobs() throws {
        let repo = try HashingScratchDirectory()
        try GitIgnoreUpdater.ignore(["out[1]*.txt"], repoRoot: repo.url)
        #expect(repo.read(".gitignore") == "/out\\[1]\\*.txt\n")
        #expect(PipeIgnoreFile(parsing: "/out\\[1]\\*.txt\n", base: "", source: "x").rules[0].pattern.matches("out[1]*.txt"))
    }

    @Test("a path outside the repository is refused")
    func refusesEscapes() throws {
        let repo = try HashingScratchDirectory()
        #expect { try GitIgnoreUpdater.ignore(["../x"], repoRoot: repo.url) } throws: { ($0 as? PipeError)?.code == .pathEscapesRepo }
    }
}
