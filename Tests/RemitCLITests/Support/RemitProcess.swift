import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// End-to-end helpers: find the built `remit` binary, give every test its own temporary HOME,
// XDG_DATA_HOME and databases, and run the binary as a subprocess with a controlled environment.
// Nothing here imports RemitKit: expected values in the tests are worked out by hand.

/// What one run of a program printed and how it ended.
struct CommandResult: Sendable, CustomStringConvertible {
    var commandLine: String
    var status: Int32
    var stdoutData: Data
    var stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String {
        "$ \(commandLine)\nexit status: \(status)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }
}

/// Where the `remit` executable that `swift test` built lives.
enum RemitBinary {
    /// The binary, or `nil` with the places searched in `searched`.
    static let url: URL? = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Every place looked at, best first.
    static let candidates: [URL] = {
        var result: [URL] = []
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["REMIT_CLI_BINARY"], !explicit.isEmpty {
            result.append(URL(fileURLWithPath: explicit))
        }
        // Next to the test bundle or test runner: the configuration `swift test` just built (debug or release).
        let bundle = Bundle.main.bundleURL
        result.append(bundle.appendingPathComponent("remit"))
        result.append(bundle.deletingLastPathComponent().appendingPathComponent("remit"))
        if let runner = ProcessInfo.processInfo.arguments.first, runner.hasPrefix("/") {
            result.append(URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("remit"))
        }
        // The package's own build directory, found upward from this file.
        if let root = packageRoot {
            let build = root.appendingPathComponent(".build")
            result.append(build.appendingPathComponent("debug/remit"))
            let triples = (try? FileManager.default.contentsOfDirectory(atPath: build.path)) ?? []
            for triple in triples.sorted() where triple.contains("-") {
                result.append(build.appendingPathComponent(triple).appendingPathComponent("debug/remit"))
            }
        }
        return result
    }()

    /// The directory holding Package.swift, searched upward from this source file.
    static let packageRoot: URL? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// The binary, or a test failure that lists where it was looked for.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let searched = candidates.map(\.path).joined(separator: "\n")
        return try #require(url, "remit binary not found; build it with `swift build`. Looked in:\n\(searched)",
                            sourceLocation: sourceLocation)
    }
}

/// A private temporary directory for one test: HOME, XDG_DATA_HOME and any explicit database live in it.
/// Removed when the last reference goes away.
final class Sandbox: Sendable {
    let root: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("remit-cli-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("home"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("io"), withIntermediateDirectories: true)
        root = base
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var home: URL { root.appendingPathComponent("home") }
    /// `$XDG_DATA_HOME` (not created: remit creates it on first use).
    var dataHome: URL { root.appendingPathComponent("data") }
    /// Where remit's default database must end up.
    var defaultDatabase: URL { dataHome.appendingPathComponent("remit/remit.sqlite") }

    func path(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// The environment every run starts from: no inherited variables, no REMIT_DB.
    var baseEnvironment: [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": home.path, "XDG_DATA_HOME": dataHome.path, "LANG": "C.UTF-8", "TZ": "UTC"]
    }

    /// Runs `remit` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: variables to add or override (e.g. `REMIT_DB`).
    ///   - unset: variables of the base environment to leave out (e.g. `XDG_DATA_HOME`).
    ///   - directory: the working directory (default: the sandbox root).
    func remit(
        _ arguments: String..., environment: [String: String] = [:], unset: Set<String> = [], directory: URL? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        try await remit(arguments, environment: environment, unset: unset, directory: directory, sourceLocation: sourceLocation)
    }

    func remit(
        _ arguments: [String], environment: [String: String] = [:], unset: Set<String> = [], directory: URL? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let binary = try RemitBinary.require(sourceLocation: sourceLocation)
        var env = baseEnvironment.merging(environment) { _, new in new }
        for name in unset { env[name] = nil }
        return try await run(binary, arguments, environment: env, directory: directory ?? root, label: "remit")
    }

    /// Runs any program (e.g. the sqlite3 shell) with the base environment.
    func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
             label: String? = nil) async throws -> CommandResult {
        let env = environment ?? baseEnvironment
        let id = UUID().uuidString
        let outURL = root.appendingPathComponent("io/\(id).out"), errURL = root.appendingPathComponent("io/\(id).err")
        let commandLine = ([label ?? executable.path] + arguments).map(Self.shellQuoted).joined(separator: " ")

        // Output goes to files, not pipes: no deadlock however much either stream prints.
        var attempt = 0
        while true {
            attempt += 1
            guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
                  FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
                throw SandboxError.cannotCreate(outURL.path)
            }
            let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = env
            process.currentDirectoryURL = directory ?? root
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = outHandle
            process.standardError = errHandle
            do {
                try await Self.launchAndWait(process)
            } catch {
                try? outHandle.close()
                try? errHandle.close()
                // The other engineer's build may be relinking the binary ("Text file busy"): retry briefly.
                if attempt < 20 {
                    try await Task.sleep(nanoseconds: 250_000_000)
                    continue
                }
                throw error
            }
            try? outHandle.close()
            try? errHandle.close()
            let result = CommandResult(
                commandLine: commandLine, status: process.terminationStatus,
                stdoutData: try Data(contentsOf: outURL), stderrData: try Data(contentsOf: errURL))
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
            return result
        }
    }

    /// Starts `process` and resumes when it has exited; kills it (by its own pid) after 60 s.
    private static func launchAndWait(_ process: Process) async throws {
        let exited = ExitSignal()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in
                exited.fire()
                continuation.resume()
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) {
                if !exited.hasFired { kill(pid, SIGKILL) }
            }
        }
    }

    static func shellQuoted(_ word: String) -> String {
        word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) }) && !word.isEmpty
            ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

enum SandboxError: Error { case cannotCreate(String) }

/// A one-way flag shared between a termination handler and a watchdog.
final class ExitSignal: Sendable {
    private let state = Locked(false)
    func fire() { state.withLock { $0 = true } }
    var hasFired: Bool { state.withLock { $0 } }
}

/// A minimal lock-protected value (Synchronization.Mutex needs macOS 15; the package targets macOS 13).
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

// MARK: - Reading output

/// JSON from stdout, as JSONSerialization gives it.
func jsonObject(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: result.stdoutData)
    return try #require(value as? [String: Any], "stdout is not a JSON object:\n\(result)", sourceLocation: sourceLocation)
}

func jsonArray(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    let value = try JSONSerialization.jsonObject(with: result.stdoutData)
    return try #require(value as? [[String: Any]], "stdout is not a JSON array:\n\(result)", sourceLocation: sourceLocation)
}

/// A JSON number (never a string) as a Double.
func number(_ value: Any?) -> Double? {
    switch value {
    case nil, is String, is NSNull: return nil
    case let value as NSNumber: return value.doubleValue
    case let value as Double: return value
    case let value as Int: return Double(value)
    case let value as Decimal: return NSDecimalNumber(decimal: value).doubleValue
    default: return nil
    }
}

/// `object[key]` as a JSON number, or a test failure.
func num(_ object: [String: Any], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
    try #require(number(object[key]), "'\(key)' is not a JSON number in \(object)", sourceLocation: sourceLocation)
}

func str(_ object: [String: Any], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(object[key] as? String, "'\(key)' is not a JSON string in \(object)", sourceLocation: sourceLocation)
}

func obj(_ object: [String: Any], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(object[key] as? [String: Any], "'\(key)' is not a JSON object in \(object)", sourceLocation: sourceLocation)
}

func objects(_ object: [String: Any], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    try #require(object[key] as? [[String: Any]], "'\(key)' is not an array of objects in \(object)", sourceLocation: sourceLocation)
}

func isNull(_ value: Any?) -> Bool { value == nil || value is NSNull }

/// `|a − b| <= tolerance`.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 0.000_001) -> Bool { abs(a - b) <= tolerance }

/// A comparison option's identity: provider, service and funding method (one service can be funded two ways).
struct ServiceKey: Hashable, Sendable, CustomStringConvertible {
    var provider: String
    var service: String
    var funding: String

    init(_ provider: String, _ service: String, _ funding: String) {
        self.provider = provider
        self.service = service
        self.funding = funding
    }

    init(_ option: [String: Any]) throws {
        self.init(try str(option, "provider"), try str(option, "service"), try str(option, "fundingMethod"))
    }

    var description: String { "\(provider) / \(service) / \(funding)" }
}

/// The option of `options` for one service.
func option(_ options: [[String: Any]], _ key: ServiceKey, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(options.first { (try? ServiceKey($0)) == key }, "no option \(key) in \(options.compactMap { try? ServiceKey($0) })",
                 sourceLocation: sourceLocation)
}

/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, atFieldStart = true
    var iterator = Array(text).makeIterator()
    var pending: Character?
    func next() -> Character? {
        if let p = pending { pending = nil; return p }
        return iterator.next()
    }
    while let c = next() {
        if quoted {
            if c == "\"" {
                if let following = next() {
                    if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                } else { quoted = false }
            } else { field.append(c) }
            continue
        }
        switch c {
        case "\"" where atFieldStart: quoted = true; atFieldStart = false
        case ",": row.append(field); field = ""; atFieldStart = true
        case "\n", "\r\n":
            row.append(field); rows.append(row); row = []; field = ""; atFieldStart = true
        default: field.append(c); atFieldStart = false
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// Collapses every run of whitespace to one space (help text wraps at the terminal width).
func squeezed(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
}
