// swift-tools-version: 6.2
// pipe: a declarative pipeline engine (PipeCore + the `pipe` CLI) shipped with the bilingual
// medical-triage fine-tuning pipeline it was built for (StageKit, Tensors, Triage, stages/*).
//
// The dependency ladder, one way only:
//   CXXHash ← PipeCore ← pipe                      (the engine knows nothing of tensors or triage)
//   CBLAS ← Tensors ← Triage ← stages/*, quantize    (stages know the engine only through StageKit)
//   StageKit ← stages/*
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]
/// Numeric kernels are optimised even in debug builds so tests of training code run in seconds.
let numeric: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let stageNames = ["download", "normalize", "clean", "anonymize", "tokenize", "split",
                  "pretrain", "sft", "dpo", "merge", "evaluate"]

let package = Package(
    name: "pipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pipe", targets: ["pipe"]),
        .executable(name: "quantize", targets: ["quantize"]),
        .library(name: "PipeCore", targets: ["PipeCore"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Triage", targets: ["Triage"]),
        .library(name: "StageKit", targets: ["StageKit"]),
    ] + stageNames.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        .target(name: "PipeCore",
                dependencies: ["CXXHash", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .executableTarget(name: "pipe",
                          dependencies: ["PipeCore",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        .target(name: "StageKit", dependencies: ["CXXHash"], swiftSettings: strict),
        .target(name: "Tensors", dependencies: ["CBLAS"], swiftSettings: numeric),
        .target(name: "Triage", dependencies: ["Tensors"], swiftSettings: numeric),
        .executableTarget(name: "quantize",
                          dependencies: ["Tensors",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        .testTarget(name: "PipeCoreTests", dependencies: ["PipeCore"], swiftSettings: strict),
        .testTarget(name: "PipeCLITests", dependencies: ["PipeCore"], swiftSettings: strict),
        .testTarget(name: "StageKitTests", dependencies: ["StageKit"], swiftSettings: strict),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"], swiftSettings: numeric),
        .testTarget(name: "TriageTests", dependencies: ["Triage", "Tensors"], swiftSettings: numeric),
        .testTarget(name: "StagesTests", dependencies: ["StageKit", "Triage"], swiftSettings: strict),
    ] + stageNames.map {
        .executableTarget(name: $0, dependencies: ["StageKit", "Triage"], path: "stages/\($0)",
                          swiftSettings: numeric)
    }
)
