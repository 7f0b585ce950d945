import Foundation

/// The one place the tensor kernels ask Foundation about the machine.
enum ProcessInfoShim {
    /// Cores this process may use.
    static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
