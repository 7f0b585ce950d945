import ServiceLifecycle

/// What the triage batcher and the chat scheduler share: a work loop that sleeps until signalled, runs as a service,
/// and on graceful shutdown stops taking work, finishes what it holds, and returns.
protocol DrainingLoop: Actor {
    /// Whether shutdown began (new work is refused; the loop returns once idle).
    var draining: Bool { get set }
    /// The loop's continuation while it sleeps for work.
    var wakeup: CheckedContinuation<Void, Never>? { get set }
    /// The work loop; returns once `draining` and idle.
    func loop() async
}

extension DrainingLoop {
    /// Runs `loop()` until it returns; a graceful shutdown sets `draining` and wakes it.
    func runUntilDrained() async {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            Task { await self.beginDraining() }
        }
    }

    /// Stops taking work; what is held is still done.
    func beginDraining() {
        draining = true
        wakeLoop()
    }

    /// Wakes the loop if it sleeps.
    func wakeLoop() {
        wakeup?.resume()
        wakeup = nil
    }

    /// Sleeps until `wakeLoop()`.
    func waitForWork() async {
        await withCheckedContinuation { wakeup = $0 }
    }
}
