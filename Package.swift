// swift-tools-version: 6.2
// pipe: a declarative pipeline engine (PipeCore + the `pipe` CLI) shipped with the bilingual
// medical-triage fine-tuning pipeline it was built for (StageKit, Tensors, Triage, stages/*).
// Built and tested on Linux only: the code imports Glibc and uses renameat2 and FICLONE.
//
// The dependency ladder, one way only:
//   CXXHash, CLibCrypto ← PipeBasics                (JSON, atomic files, POSIX calls, XXH3, digests, did-you-mean, and the
//                                                     engine↔stage protocol: the plumbing every layer shares)
//   PipeBasics ← PipeCore ← pipe                    (the engine knows nothing of tensors or triage)
//   PipeBasics ← TriageData ← data stages           (records, corpus, cleaning, tokenizer: no tensor code)
//   CBLAS, CNF4Kernels, CVectorMath, PipeBasics ← Tensors ← Triage (+ TriageData) ← training stages, quantize
//   PipeBasics ← StageKit ← stages/*                (stages know the engine only through StageKit)
//   PipeHTTP ← PipeS3 ← PipeRemotes ← pipe          (remotes: async-http-client transport, SigV4 via libcrypto)
//   PipeHTTP ← PipeMLflow ← PipeTracking ← pipe     (experiment tracking: MLflow REST client, runs from repro events)
//   Triage (+ TriageData), Hummingbird ← TriageServe ← triage-serve
//                                                   (the HTTP inference server; PipeCore and the stages know nothing of it)
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]
/// Numeric kernels are optimised even in debug builds so tests of training code run in seconds.
let numeric: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// Data stages link only the data side; training stages link the model side (and so the tensor library).
let dataStages = ["download", "normalize", "clean", "anonymize", "tokenize", "split"]
let trainingStages = ["pretrain", "sft", "dpo", "merge", "evaluate"]
let stageNames = dataStages + trainingStages

let package = Package(
    name: "pipe",
    products: [
        .executable(name: "pipe", targets: ["pipe"]),
        .executable(name: "quantize", targets: ["quantize"]),
        .executable(name: "triage-serve", targets: ["triage-serve"]),
        .library(name: "PipeCore", targets: ["PipeCore"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Triage", targets: ["Triage"]),
        .library(name: "TriageData", targets: ["TriageData"]),
        .library(name: "StageKit", targets: ["StageKit"]),
        .library(name: "PipeHTTP", targets: ["PipeHTTP"]),
        .library(name: "PipeS3", targets: ["PipeS3"]),
        .library(name: "PipeMLflow", targets: ["PipeMLflow"]),
    ] + stageNames.map { .executable(name: $0, targets: [$0]) },
    traits: [
        .trait(name: "Network",
               description: "S3 remotes and MLflow tracking in `pipe` (async-http-client, swift-nio)"),
        .default(enabledTraits: ["Network"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Remotes (issue 12): the HTTP transport, SigV4's SHA-256/HMAC, and NIO's transactional file handles.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        // Serving (issue 14): the HTTP server, its graceful shutdown, structured logs and Prometheus metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        /// SHA-256, MD5 and HMAC from the system's OpenSSL, not swift-crypto: no BoringSSL copy to compile.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        /// The bottom layer: knows nothing but libxxhash, libcrypto and the standard library (no Yams, no engine types).
        .target(name: "PipeBasics", dependencies: ["CXXHash", "CLibCrypto"], swiftSettings: strict),
        .target(name: "PipeCore",
                dependencies: ["PipeBasics", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        /// Without the `Network` trait (`--disable-default-traits`) `pipe` links no HTTP stack: directory remotes
        /// only, no tracking; the main command builds it so, a first release build being minutes shorter.
        .executableTarget(name: "pipe",
                          dependencies: ["PipeCore",
                                         .target(name: "PipeRemotes", condition: .when(traits: ["Network"])),
                                         .target(name: "PipeHTTP", condition: .when(traits: ["Network"])),
                                         .target(name: "PipeTracking", condition: .when(traits: ["Network"])),
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),
        /// Remote storages beyond PipeCore's directory remote: S3 buckets through PipeS3.
        .target(name: "PipeRemotes", dependencies: ["PipeCore", "PipeS3", "PipeHTTP"], swiftSettings: strict),

        /// SHA-256 of downloads comes from PipeBasics' `MessageDigest` (libcrypto), not a hand-written digest.
        .target(name: "StageKit", dependencies: ["PipeBasics"], swiftSettings: strict),

        /// The project's one HTTP client (async-http-client): streamed bodies, size caps, retries, secret-free errors.
        .target(name: "PipeHTTP",
                dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "_NIOFileSystem", package: "swift-nio")],
                swiftSettings: strict),
        /// An S3 client over PipeHTTP: SigV4 signing, object and multipart operations, credentials, S3 errors.
        .target(name: "PipeS3",
                dependencies: ["PipeHTTP", "PipeBasics"],
                swiftSettings: strict),
        /// An MLflow tracking client over PipeHTTP: experiments, runs, batched logging, histories, artifact proxy.
        .target(name: "PipeMLflow", dependencies: ["PipeHTTP", "PipeBasics"], swiftSettings: strict),
        /// Experiment tracking: an `exp run` / `repro --track` as one MLflow run, live step metrics, the backlog.
        .target(name: "PipeTracking", dependencies: ["PipeCore", "PipeMLflow", "PipeHTTP", "PipeBasics"],
                swiftSettings: strict),
        /// The vectorised NF4 matvec kernels (AVX2 / AVX-512 variants chosen at run time by Tensors).
        .target(name: "CNF4Kernels",
                cSettings: [.enableWarning("all"), .enableWarning("extra"), .treatAllWarnings(as: .error),
                            .unsafeFlags(["-O2"], .when(configuration: .debug))]),
        /// Elementwise float math vectorised bit-identically to libm (expf), for the softmax and loss kernels.
        .target(name: "CVectorMath",
                cSettings: [.enableWarning("all"), .enableWarning("extra"), .treatAllWarnings(as: .error),
                            .unsafeFlags(["-O2"], .when(configuration: .debug))],
                linkerSettings: [.linkedLibrary("m")]),
        .target(name: "Tensors", dependencies: ["PipeBasics", "CBLAS", "CNF4Kernels", "CVectorMath"], swiftSettings: numeric),
        .target(name: "TriageData", dependencies: ["PipeBasics"], swiftSettings: numeric),
        .target(name: "Triage", dependencies: ["PipeBasics", "TriageData", "Tensors"], swiftSettings: numeric),
        .executableTarget(name: "quantize",
                          dependencies: ["Tensors",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        /// The inference server as a library: request types, the router as a value, the dynamic batcher, the
        /// continuous-batching generator, the model session and metrics, so tests drive it in-process.
        .target(name: "TriageServe",
                dependencies: ["Triage", "TriageData", "Tensors", "PipeBasics",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: numeric),
        /// A thin main: flags and environment → `ServerConfiguration`, start-up validation (exit 2), run.
        .executableTarget(name: "triage-serve",
                          dependencies: ["TriageServe",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: numeric),

        .testTarget(name: "PipeBasicsTests", dependencies: ["PipeBasics"], swiftSettings: strict),
        .testTarget(name: "PipeCoreTests", dependencies: ["PipeCore"], swiftSettings: strict),
        .testTarget(name: "PipeCLITests", dependencies: ["PipeCore", "PipeS3", "PipeHTTP", "S3TestSupport", "PipeMLflow"],
                    swiftSettings: strict),
        .testTarget(name: "StageKitTests", dependencies: ["StageKit"], swiftSettings: strict),
        .testTarget(name: "PipeHTTPTests", dependencies: ["PipeHTTP"], swiftSettings: strict),
        /// Payload tests of the MLflow client and the tracking glue, and end-to-end runs against `scripts/mlflow.sh`.
        .testTarget(name: "PipeTrackingTests", dependencies: ["PipeMLflow", "PipeTracking", "PipeCore", "PipeHTTP", "PipeBasics"],
                    swiftSettings: strict),
        /// Finds the SeaweedFS server `scripts/services.sh` started, for the S3 and remote tests.
        .target(name: "S3TestSupport", dependencies: ["PipeS3", "PipeHTTP"], path: "Tests/S3TestSupport",
                swiftSettings: strict),
        .testTarget(name: "PipeS3Tests", dependencies: ["PipeS3", "PipeHTTP", "S3TestSupport"], swiftSettings: strict),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "PipeBasics"], swiftSettings: numeric),
        .testTarget(name: "TriageDataTests", dependencies: ["TriageData", "PipeBasics"], swiftSettings: numeric),
        .testTarget(name: "TriageTests", dependencies: ["Triage", "TriageData", "Tensors"], swiftSettings: numeric),
        /// In-process router tests, a live socket, score equality with evaluate's code path, SIGTERM of the binary.
        .testTarget(name: "TriageServeTests",
                    dependencies: ["TriageServe", "Triage", "TriageData", "Tensors",
                                   .product(name: "Hummingbird", package: "hummingbird"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird")],
                    swiftSettings: numeric),
        .testTarget(name: "StagesTests", dependencies: ["StageKit", "TriageData"], swiftSettings: strict),
    ] + dataStages.map {
        /// normalize also imports PipeBasics (did-you-mean for record fields).
        .executableTarget(name: $0,
                          dependencies: ["StageKit", "TriageData"] + ($0 == "normalize" ? ["PipeBasics"] : []),
                          path: "stages/\($0)", swiftSettings: numeric)
    } + trainingStages.map {
        .executableTarget(name: $0, dependencies: ["StageKit", "TriageData", "Tensors", "Triage"],
                          path: "stages/\($0)", swiftSettings: numeric)
    }
)
