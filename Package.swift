// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "seal-hall",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sealhall", targets: ["sealhall"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(
            name: "Events",
            dependencies: [
                "CLMDB",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Projections",
            dependencies: ["Events"]
        ),
        .executableTarget(
            name: "sealhall",
            dependencies: [
                "Events", "Projections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Events"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "DomainTests",
            dependencies: [
                "Events", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Events", "Projections", "TestSupport"]
        ),
        .testTarget(
            name: "EventsTests",
            dependencies: ["Events", "CLMDB", "TestSupport", "sealhall"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
