import Dispatch
import Glibc
import Synchronization
import PipeBasics

/// Hashes a large file with its reads split across reader threads: chunk *i* is `pread` by reader `i % readers`
/// into a ring of slots while the calling thread feeds the slots to XXH3 strictly in order.
///
/// On a warm page cache the cost of hashing a big file is mostly the kernel's copy out of the page cache, which
/// one thread cannot go beyond; two readers copy in parallel and the hash (AVX2/AVX-512, several times faster
/// than the copy) keeps up. The digest is the same as a sequential read: only the reads are reordered.
struct ParallelFileReader {
    var readers: Int = 2
    var chunkSize: Int = 1 << 20
    /// Slots in the ring (a multiple of `readers` keeps every reader busy).
    var slots: Int = 8

    private static let queue = DispatchQueue(label: "pipe.hash.readers", attributes: .concurrent)

    private final class Ring: @unchecked Sendable {
        // Each slot is written by exactly one reader and read by the hasher, handed over by the semaphores.
        let buffers: [UnsafeMutableRawBufferPointer]
        /// Bytes in each slot (negative: `-errno`); plain memory so readers write distinct elements race-free.
        let lengths: UnsafeMutablePointer<Int>
        let empty: [DispatchSemaphore]
        let full: [DispatchSemaphore]
        let stop = Atomic<Bool>(false)

        init(slots: Int, chunkSize: Int) {
            buffers = (0..<slots).map { _ in .allocate(byteCount: chunkSize, alignment: 4096) }
            lengths = .allocate(capacity: slots)
            lengths.initialize(repeating: 0, count: slots)
            empty = (0..<slots).map { _ in DispatchSemaphore(value: 1) }
            full = (0..<slots).map { _ in DispatchSemaphore(value: 0) }
        }

        deinit {
            for b in buffers { b.deallocate() }
            lengths.deallocate()
        }
    }

    /// Hashes everything in the open descriptor `fd`; throws the first read error.
    func hash(descriptor fd: Int32, into hasher: XXH3Hasher) throws(SystemCallError) -> Int64 {
        precondition(readers >= 1 && slots >= readers && slots % readers == 0, "bad ring shape")
        let ring = Ring(slots: slots, chunkSize: chunkSize)
        let errorBox = Mutex<SystemCallError?>(nil)
        let group = DispatchGroup()
        let (readers, slots, chunkSize) = (self.readers, self.slots, self.chunkSize)
        for r in 0..<readers {
            // A private queue targets the overcommitting root queue, so readers get threads even when every
            // pool thread is busy hashing (e.g. inside FileHasher's concurrentPerform) — no starvation.
            ParallelFileReader.queue.async(group: group) {
                var chunk = r
                while true {
                    let slot = chunk % slots
                    ring.empty[slot].wait()
                    if ring.stop.load(ordering: .acquiring) { return }
                    let n: Int
                    do throws(SystemCallError) {
                        n = try SystemCall.read(fd, into: ring.buffers[slot], at: Int64(chunk) * Int64(chunkSize))
                    } catch {
                        errorBox.withLock { $0 = $0 ?? error }
                        n = -1
                    }
                    ring.lengths[slot] = n
                    ring.full[slot].signal()
                    if n < chunkSize { return }      // end of file (or an error): this reader is done
                    chunk += readers
                }
            }
        }
        var total: Int64 = 0
        var chunk = 0
        while true {
            let slot = chunk % slots
            ring.full[slot].wait()
            let n = ring.lengths[slot]
            if n > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: ring.buffers[slot][0..<n]))
                total += Int64(n)
            }
            if n < chunkSize { break }
            ring.empty[slot].signal()
            chunk += 1
        }
        // Release any reader still waiting for a slot, then wait for all of them before the ring is freed.
        ring.stop.store(true, ordering: .releasing)
        for s in ring.empty { for _ in 0..<2 { s.signal() } }
        group.wait()
        if let error = errorBox.withLock({ $0 }) { throw error }
        return total
    }
}
