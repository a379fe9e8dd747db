import Foundation
import Testing

// Wrong usage: exact exit codes, nothing on stdout, and one clear `Error: …` line on stderr
// (ArgumentParser may add its `Usage:` / `Help:` hint lines after it).

struct ErrorCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var status: Int32
    /// Text the `Error:` line must contain.
    var message: String

    init(_ arguments: [String], _ status: Int32 = 64, _ message: String) {
        self.arguments = arguments
        self.status = status
        self.message = message
    }

    var testDescription: String { "remit " + arguments.map(Sandbox.shellQuoted).joined(separator: " ") + " → \(status)" }
}

/// `compare --from US --to MX` plus `rest`.
private func usmx(_ rest: String...) -> [String] { ["compare", "--from", "US", "--to", "MX"] + rest }

@Suite("usage errors and exit codes")
struct ErrorTests {
    static let cases: [ErrorCase] = [
        ErrorCase(["compare", "--from", "XX", "--to", "MX", "--amount", "300"], 64, "unknown country 'XX'"),
        ErrorCase(["compare", "--from", "US", "--to", "Narnia", "--amount", "300"], 64, "unknown country 'Narnia'"),
        ErrorCase(usmx("--amount", "300", "--currency", "ZZZ"), 64, "unknown currency 'ZZZ'"),
        ErrorCase(["compare", "--from", "US", "--to", "JP", "--amount", "300"], 64, "no services from US to JP"),
        ErrorCase(usmx(), 64, "--amount"),
        ErrorCase(usmx("--amount=-5"), 64, "above zero"),
        ErrorCase(usmx("--amount", "-5"), 64, "--amount"),
        ErrorCase(usmx("--amount", "0"), 64, "above zero"),
        ErrorCase(usmx("--amount", "0.00"), 64, "above zero"),
        ErrorCase(usmx("--amount", "abc"), 64, "'abc'"),
        ErrorCase(usmx("--amount", "1e3"), 64, "'1e3'"),
        ErrorCase(usmx("--amount", "300.123"), 64, "300.123"),
        ErrorCase(usmx("--amount", "300.5", "--currency", "JPY"), 64, "JPY"),
        ErrorCase(["compare", "--from", "FR", "--to", "SN", "--receive", "100000.5"], 64, "XOF"),
        ErrorCase(usmx("--receive", "0"), 64, "above zero"),
        ErrorCase(usmx("--receive", "5000", "--currency", "MXN"), 64, "--currency"),
        ErrorCase(usmx("--amount", "300", "--period", "banana"), 64, "invalid period 'banana'"),
        ErrorCase(usmx("--amount", "300", "--period", "2025_5Q"), 64, "invalid period '2025_5Q'"),
        ErrorCase(usmx("--amount", "300", "--date", "2026-02-30"), 64, "2026-02-30"),
        ErrorCase(usmx("--amount", "300", "--bogus"), 64, "--bogus"),
        ErrorCase(usmx("--amount", "300", "--limit", "0"), 64, "--limit"),
        ErrorCase(usmx("--amount", "300", "--limit", "abc"), 64, "--limit"),
        ErrorCase(usmx("--amount", "300", "--payout", "pigeon"), 64, "pigeon"),
        ErrorCase(usmx("--amount", "300", "--sort", "fastest"), 64, "fastest"),
        ErrorCase(usmx("--amount", "300", "--format", "yaml"), 64, "yaml"),
        ErrorCase(["compare", "--to", "MX", "--amount", "300"], 64, "--from"),
        ErrorCase(["providers", "--from", "XX"], 64, "unknown country 'XX'"),
        ErrorCase(["corridors", "--to", "Narnia"], 64, "unknown country 'Narnia'"),
        ErrorCase(["frobnicate"], 64, "frobnicate"),
    ]

    @Test("usage errors exit 64 with one Error: line", arguments: cases)
    func usageError(_ errorCase: ErrorCase) async throws {
        let result = try await Sandbox().remit(errorCase.arguments)
        try expectError(result, status: errorCase.status, containing: errorCase.message)
    }

    @Test("an unreadable --db (a directory) exits 1")
    func databaseIsADirectory() async throws {
        let sandbox = try Sandbox()
        let directory = sandbox.path("a-directory")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let result = try await sandbox.remit(usmx("--amount", "300", "--db", directory.path))
        try expectError(result, status: 1, containing: directory.path)
        let corridors = try await sandbox.remit("corridors", "--db", directory.path)
        try expectError(corridors, status: 1, containing: "database")
    }

    @Test("a --db that is not a database exits 1")
    func databaseIsNotSQLite() async throws {
        let sandbox = try Sandbox()
        let file = sandbox.path("notes.txt")
        try Data("not a database\n".utf8).write(to: file)
        let result = try await sandbox.remit("corridors", "--db", file.path)
        try expectError(result, status: 1, containing: "database")
        #expect(try String(contentsOf: file, encoding: .utf8) == "not a database\n", "remit must not overwrite the file")
    }

    @Test("REMIT_DB naming a directory exits 1 too")
    func environmentDatabaseIsADirectory() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("corridors", environment: ["REMIT_DB": sandbox.home.path])
        try expectError(result, status: 1, containing: "database")
    }

    func expectError(_ result: CommandResult, status: Int32, containing message: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "nothing on stdout:\n\(result)", sourceLocation: sourceLocation)
        let lines = result.stderrLines
        let first = try #require(lines.first, "stderr is empty:\n\(result)", sourceLocation: sourceLocation)
        #expect(first.hasPrefix("Error: "), "\(result)", sourceLocation: sourceLocation)
        #expect(first.contains(message), "the Error: line should mention '\(message)':\n\(result)", sourceLocation: sourceLocation)
        #expect(lines.filter { $0.hasPrefix("Error") }.count == 1, "one error line:\n\(result)", sourceLocation: sourceLocation)
        #expect(!first.contains("Swift.") && !first.contains("RemitKit."), "no type names in the message:\n\(result)",
                sourceLocation: sourceLocation)
    }
}
