// swift-tools-version: 6.2
// Performance benchmarks, kept out of the main package so `swift build` at the root stays light.
// Each executable prints its own figures; the scripts beside it run the peer side by side and print the ratio.
import PackageDescription

let package = Package(
    name: "pipe-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "pipe", path: "..")],
    targets: [
        .executableTarget(name: "EngineBench", dependencies: [.product(name: "PipeCore", package: "pipe")],
                          swiftSettings: [.treatAllWarnings(as: .error)]),
        .executableTarget(name: "TensorBench", dependencies: [.product(name: "Tensors", package: "pipe"),
                                                              .product(name: "Triage", package: "pipe")],
                          swiftSettings: [.treatAllWarnings(as: .error)]),
        .executableTarget(name: "TokenizerBench", dependencies: [.product(name: "Triage", package: "pipe")],
                          swiftSettings: [.treatAllWarnings(as: .error)]),
    ]
)
