// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "remit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RemitKit", targets: ["RemitKit"]),
        .executable(name: "remit", targets: ["remit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // What remit needs from SQLite's C API that Swift cannot write: a variadic configuration call,
        // and the virtual table through which the RPW import hands SQLite a chunk of rows.
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "RemitKit",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CZlib", "CSQLiteConfig",
            ]
        ),
        .executableTarget(
            name: "remit",
            dependencies: [
                "RemitKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RemitKitTests",
            dependencies: [
                "RemitKit", "CZlib", "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "RemitCLITests",
            dependencies: ["remit", "RemitKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
