// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "noterun",
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
        .product(name: "FlyingSocks", package: "FlyingFox"),
      ],
      // Read at run time from the binary itself (Support/EmbeddedFiles.swift): a copied
      // binary needs no resource bundle beside it.
      exclude: ["Kernel/python", "Render/Theme", "Watch/livereload.js"],
      plugins: ["EmbedFiles"]
    ),
    .executableTarget(name: "embed-files"),
    .executableTarget(name: "render-bench", dependencies: ["NoteRunKit"], path: "bench/render/RenderBench"),
    .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["embed-files"]),
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
