// swift-tools-version: 6.1
// libFuzzer targets for remit's readers and argument parsers. A package of its own, so that the main
// package and CI never build it. Run with scripts/fuzz.sh (see docs/reliability.md), which builds:
//
//     swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
//         -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing
//
// `-enable-testing` lets the targets reach RemitKit's internal readers (the RPW row mapper, the
// table reader) through `@testable import`, exactly as the unit tests do. Each target's main.swift
// defines `LLVMFuzzerTestOneInput` and hands over to libFuzzer's driver (see CLibFuzzer.h).
import PackageDescription

let package = Package(
    name: "RemitFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "remit", path: ".."),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "RemitKit", package: "remit")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", .product(name: "RemitKit", package: "remit")]),
        .executableTarget(name: "FuzzRPWMapper", dependencies: ["FuzzSupport", .product(name: "RemitKit", package: "remit")]),
        .executableTarget(name: "FuzzECB", dependencies: ["FuzzSupport", .product(name: "RemitKit", package: "remit")]),
        .executableTarget(name: "FuzzSchedules", dependencies: ["FuzzSupport", .product(name: "RemitKit", package: "remit")]),
        .executableTarget(name: "FuzzArguments", dependencies: ["FuzzSupport", .product(name: "RemitKit", package: "remit")]),
    ],
    swiftLanguageModes: [.v6]
)
