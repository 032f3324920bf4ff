// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "noterun",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "noterun", targets: ["noterun"]),
    .library(name: "NoteRunKit", targets: ["NoteRunKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CCmarkGFM",
      pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
    ),
    .target(
      name: "NoteRunKit",
      dependencies: [
        "CCmarkGFM",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "FlyingFox", package: "FlyingFox"),
      ],
      resources: [
        .copy("Kernel/python"),
        .copy("Render/Theme"),
        .copy("Watch/livereload.js"),
      ]
    ),
    .executableTarget(
      name: "noterun",
      dependencies: [
        "NoteRunKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "NoteRunKitTests",
      dependencies: ["NoteRunKit"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
