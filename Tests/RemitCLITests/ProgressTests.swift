import Foundation
import Testing

/// The import progress bar: drawn on standard error only when it is a terminal.
@Suite("Import progress display")
struct ProgressTests {
    static let fixture = RemitBinary.packageRoot?.appendingPathComponent("fixtures/reports/rpw-reports.csv").path ?? ""
    static let script = URL(fileURLWithPath: "/usr/bin/script")

    /// Runs remit under a pseudo-terminal (util-linux `script`), so its standard error is a terminal.
    func underTerminal(_ sandbox: Sandbox, _ arguments: [String]) async throws -> CommandResult {
        let binary = try RemitBinary.require()
        let command = ([binary.path] + arguments).map(Sandbox.shellQuoted).joined(separator: " ")
        return try await sandbox.run(Self.script, ["-qec", command, "/dev/null"])
    }

    @Test("On a terminal: a bar with the share of bytes, rows and rows/s, redrawn in place and cleared",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func terminalBar() async throws {
        let sandbox = try Sandbox()
        let result = try await underTerminal(sandbox, ["import", "rpw", Self.fixture, "--db", sandbox.path("t.sqlite").path])
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout   // the terminal merges both streams
        // The final redraw: every byte read, 46 rows.
        #expect(output.contains("\r[########################] 100% "))
        #expect(output.contains("rpw-reports.csv: 46 rows, "))
        #expect(output.contains(" rows/s\u{1B}[K"))
        // Cleared before the summary line.
        #expect(output.contains("\r\u{1B}[K"))
        #expect(output.contains("imported 46 of 46 rows as batch 1"))
    }

    @Test("--quiet on a terminal draws nothing", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func quietTerminal() async throws {
        let sandbox = try Sandbox()
        let result = try await underTerminal(sandbox, ["import", "rpw", Self.fixture, "--db", sandbox.path("t.sqlite").path, "--quiet"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("rows/s"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test("Not a terminal: no bar, no control characters, one summary line")
    func pipe() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("import", "rpw", Self.fixture, "--db", sandbox.path("t.sqlite").path)
        #expect(result.status == 0)
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("\u{1B}"))
        #expect(!result.stderr.contains("[####"))
        #expect(result.stderr.hasPrefix("\(Self.fixture): imported 46 of 46 rows as batch 1"))
    }
}
