import ArgumentParser
import Foundation
import Tensors

// The one place errors become exit codes: usage and input errors 2, failed writes 1.
do {
    var command = try QuantizeCommand.parseAsRoot()
    try command.run()
} catch let error as SafeTensorsError {
    FileHandle.standardError.write("quantize: error: \(error)\n".data(using: .utf8)!)
    exit(error.code == .writeFailed ? 1 : 2)
} catch let error as NF4ConversionError {
    FileHandle.standardError.write("quantize: error: \(error)\n".data(using: .utf8)!)
    exit(error.code == .outputFailed ? 1 : 2)
} catch {
    let code = QuantizeCommand.exitCode(for: error)
    if code == .success {
        QuantizeCommand.exit(withError: error)  // --help, --version: print and exit 0
    }
    FileHandle.standardError.write((QuantizeCommand.fullMessage(for: error) + "\n").data(using: .utf8)!)
    exit(2)
}
