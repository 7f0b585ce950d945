import Foundation
import PipeBasics
import Testing
@testable import PipeCore

@Suite struct ObjectIntakeTests {
    func object(_ text: String) -> (bytes: [UInt8], id: ObjectStore.ObjectID) {
        let bytes = Array(text.utf8)
        return (bytes, ObjectStore.ObjectID(hash: XXH3Hasher.hash(bytes), isDirectory: false))
    }

    /// The files (not folders) left under `.cache/tmp`.
    func temporaries(_ store: ObjectStore) -> [String] {
        let root = store.temporaryURL.path
        let all = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return all.filter { (try? SystemCall.status(root + "/" + $0))?.isDirectory == false }
    }

    @Test("staged objects have no final name until commit; then they are in the store, read-only, and tmp is empty")
    func commitNamesStagedObjects() throws {
        let repo = try HashingScratchDirectory()
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        let intake = ObjectIntake(store: store, batchSize: 100)
        let a = object("first object\n"), b = object("second object\n")
        try intake.stage(a.bytes, as: a.id)
        try intake.stage(b.bytes, as: b.id)
        #expect(!store.objectExists(a.id.hash, isDirectory: false))
        #expect(!store.objectExists(b.id.hash, isDirectory: false))
        #expect(temporaries(store).count == 2)
        try intake.commit()
        #expect(store.verify(a.id.hash) == .valid)
        #expect(store.verify(b.id.hash) == .valid)
        var st = stat()
        _ = lstat(store.objectURL(for: a.id.hash).path, &st)
        #expect(st.st_mode & 0o777 == 0o444)
        #expect(temporaries(store).isEmpty)
    }

    @Test("bytes that do not hash to the object's name are refused as corrupt and leave nothing behind")
    func corruptBytesAreRefused() throws {
        let repo = try HashingScratchDirectory()
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        let intake = ObjectIntake(store: store)
        let claimed = object("what the manifest names\n")
        let error = #expect(throws: PipeError.self) { try intake.stage(Array("tampered\n".utf8), as: claimed.id) }
        #expect(error?.code == .cacheCorrupt)
        #expect(error?.message.contains("is corrupt: its content hashes to") == true)
        try intake.commit()
        #expect(!store.objectExists(claimed.id.hash, isDirectory: false))
        #expect(temporaries(store).isEmpty)
    }

    @Test("a manifest that hashes right but does not parse is refused")
    func unparsableManifestIsRefused() throws {
        let repo = try HashingScratchDirectory()
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        let bytes = Array("not a manifest".utf8)
        let id = ObjectStore.ObjectID(hash: XXH3Hasher.hash(bytes), isDirectory: true)
        #expect(throws: PipeError.self) { try ObjectIntake(store: store).stage(bytes, as: id) }
        #expect(temporaries(store).isEmpty)
    }

    @Test("a batch that fills up commits itself; discard drops what is still staged")
    func fullBatchCommitsAndDiscardDrops() throws {
        let repo = try HashingScratchDirectory()
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        let intake = ObjectIntake(store: store, batchSize: 2)
        let objects = (0..<3).map { object("object \($0)\n") }
        for o in objects { try intake.stage(o.bytes, as: o.id) }
        #expect(objects.prefix(2).allSatisfy { store.objectExists($0.id.hash, isDirectory: false) })
        #expect(!store.objectExists(objects[2].id.hash, isDirectory: false))
        intake.discard()
        try intake.commit()
        #expect(!store.objectExists(objects[2].id.hash, isDirectory: false))
        #expect(temporaries(store).isEmpty)
    }
}
