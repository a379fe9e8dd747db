import Foundation
import Testing

// Which database remit opens, when it seeds the sample, and that it seeds it only once.

let sqliteShell = URL(fileURLWithPath: "/usr/bin/sqlite3")
let hasSQLiteShell = FileManager.default.isExecutableFile(atPath: sqliteShell.path)

/// `SELECT count(*) FROM import_batch` in `database`, through the sqlite3 shell.
func importBatchCount(_ sandbox: Sandbox, _ database: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int? {
    let result = try await sandbox.run(sqliteShell, ["-readonly", database.path, "SELECT count(*) FROM import_batch;"])
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
}

@Suite("database location and seeding")
struct DatabaseLocationTests {
    @Test("--db naming an existing empty file: an unseeded database, no corridors, default untouched")
    func explicitDatabase() async throws {
        let sandbox = try Sandbox()
        try Data().write(to: sandbox.path("empty.sqlite"))
        let table = try await sandbox.remit("corridors", "--db", "empty.sqlite")   // relative to the working directory
        #expect(table.status == 0, "\(table)")
        #expect(table.stderr.isEmpty, "\(table)")
        #expect(table.stdout.contains("No corridors"), "\(table)")
        #expect(tableRows(table.stdout).isEmpty, "\(table)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path), "the default database is not touched")

        let json = try await sandbox.remit("corridors", "--db", "empty.sqlite", "--format", "json")
        #expect(json.status == 0, "\(json)")
        #expect(try jsonArray(json).isEmpty)
        let csv = try await sandbox.remit("corridors", "--db", "empty.sqlite", "--format", "csv")
        #expect(parseCSV(csv.stdout).count == 1, "header only:\n\(csv)")
        let providers = try await sandbox.remit("providers", "--db", "empty.sqlite", "--format", "json")
        #expect(try jsonArray(providers).isEmpty)

        let compare = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--db", "empty.sqlite")
        #expect(compare.status == 64, "\(compare)")
        #expect(compare.stdout.isEmpty, "\(compare)")
        #expect(compare.stderrLines.first?.contains("no services from US to MX") == true, "\(compare)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))
    }

    @Test("REMIT_DB is honoured the same way")
    func environmentDatabase() async throws {
        let sandbox = try Sandbox()
        let fromEnvironment = sandbox.path("env.sqlite")
        try Data().write(to: fromEnvironment)
        let result = try await sandbox.remit("corridors", "--format", "json", environment: ["REMIT_DB": fromEnvironment.path])
        #expect(result.status == 0, "\(result)")
        #expect(try jsonArray(result).isEmpty, "REMIT_DB is not seeded")
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))
    }

    @Test("--db wins over REMIT_DB, which wins over the default location")
    func precedence() async throws {
        let sandbox = try Sandbox()
        // A seeded database made at another default location, then copied to an explicit path.
        let seeding = try await sandbox.remit("corridors", environment: ["XDG_DATA_HOME": sandbox.path("seed").path])
        #expect(seeding.status == 0, "\(seeding)")
        let seeded = sandbox.path("seeded.sqlite"), empty = sandbox.path("empty.sqlite")
        try FileManager.default.copyItem(at: sandbox.path("seed/remit/remit.sqlite"), to: seeded)
        try Data().write(to: empty)

        let viaEnvironment = try await sandbox.remit("corridors", "--format", "json", environment: ["REMIT_DB": seeded.path])
        #expect(try jsonArray(viaEnvironment).count == 7, "\(viaEnvironment)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.dataHome.path), "the default location is not used")

        let both = try await sandbox.remit("corridors", "--format", "json", "--db", empty.path, environment: ["REMIT_DB": seeded.path])
        #expect(both.status == 0, "\(both)")
        #expect(try jsonArray(both).isEmpty, "--db takes precedence over REMIT_DB")
    }

    // A mistyped --db or REMIT_DB must not answer from a silently created empty database:
    // read commands refuse a path that does not exist; imports create it (docs/cli.md).
    @Test("a --db file that does not exist is refused by read commands, and created by an import")
    func freshExplicitPath() async throws {
        let sandbox = try Sandbox()
        let table = try await sandbox.remit("corridors", "--db", "new/sub/new.sqlite")
        #expect(table.status == 1, "\(table)")
        #expect(table.stdout.isEmpty)
        #expect(table.stderr.contains("no such database file (an import creates it)"), "\(table)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("new/sub/new.sqlite").path))
        let rates = sandbox.path("rates.csv")
        try "date,base,quote,rate\n2026-11-27,USD,MXN,18.3152\n".write(to: rates, atomically: true, encoding: .utf8)
        let imported = try await sandbox.remit("import", "rates", rates.path, "--db", "new/sub/new.sqlite")
        #expect(imported.status == 0, "\(imported)")
        #expect(FileManager.default.fileExists(atPath: sandbox.path("new/sub/new.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))
    }

    @Test("a REMIT_DB file that does not exist is refused by read commands")
    func freshEnvironmentPath() async throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("env/fresh.sqlite")
        let result = try await sandbox.remit("corridors", "--format", "json", environment: ["REMIT_DB": path.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("no such database file"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: path.path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))
    }

    @Test("an empty REMIT_DB means the default database")
    func emptyEnvironmentDatabase() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("corridors", "--format", "json", environment: ["REMIT_DB": ""])
        #expect(result.status == 0, "\(result)")
        #expect(try jsonArray(result).count == 7)
        #expect(FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))
    }

    @Test("first use creates and seeds $XDG_DATA_HOME/remit/remit.sqlite; later runs reuse it")
    func defaultDatabase() async throws {
        let sandbox = try Sandbox()
        #expect(!FileManager.default.fileExists(atPath: sandbox.dataHome.path))
        let first = try await sandbox.remit("corridors", "--format", "json")
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr.isEmpty, "\(first)")
        #expect(try jsonArray(first).count == 7)
        #expect(FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))

        let second = try await sandbox.remit("corridors", "--format", "json")
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout == first.stdout)
        let compare = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "json")
        #expect(try objects(jsonObject(compare), "options").count == 12, "not doubled by a second import")
    }

    @Test("the sample is imported once: one import_batch row after several runs",
          .enabled(if: hasSQLiteShell, "needs the sqlite3 shell at /usr/bin/sqlite3"))
    func sampleImportedOnce() async throws {
        let sandbox = try Sandbox()
        for _ in 0..<3 {
            let result = try await sandbox.remit("corridors")
            #expect(result.status == 0, "\(result)")
        }
        #expect(try await importBatchCount(sandbox, sandbox.defaultDatabase) == 1)
    }

    @Test("XDG_DATA_HOME unset: the default database is $HOME/.local/share/remit/remit.sqlite")
    func homeFallback() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("corridors", "--format", "json", unset: ["XDG_DATA_HOME"])
        #expect(result.status == 0, "\(result)")
        #expect(try jsonArray(result).count == 7)
        #expect(FileManager.default.fileExists(atPath: sandbox.home.appendingPathComponent(".local/share/remit/remit.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.dataHome.path))
    }

    @Test("a relative XDG_DATA_HOME is ignored (XDG spec): $HOME/.local/share is used")
    func relativeDataHome() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("corridors", environment: ["XDG_DATA_HOME": "relative/data"])
        #expect(result.status == 0, "\(result)")
        #expect(FileManager.default.fileExists(atPath: sandbox.home.appendingPathComponent(".local/share/remit/remit.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("relative").path))
    }

    // Two remit processes started together on a machine where the default database does not exist yet (two
    // terminals, a script running remit in parallel) race: one creates the file, the other sees it, skips seeding and
    // answers from an empty database, or fails on the schema ("table currency already exists", "database is locked").
    // Worse, the database can be left permanently unseeded. Observed with 6 parallel `remit corridors` runs.
    @Test("concurrent first runs all see the sample, which is imported exactly once")
    func concurrentFirstUse() async throws {
        let sandbox = try Sandbox()
        let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
            for _ in 0..<8 {
                group.addTask { try await sandbox.remit("corridors", "--format", "json") }
            }
            return try await group.reduce(into: [CommandResult]()) { $0.append($1) }
        }
        let failed = results.filter {
            $0.status != 0 || ((try? JSONSerialization.jsonObject(with: $0.stdoutData)) as? [Any])?.count != 7
        }
        let report = failed.map(\.description).joined(separator: "\n")
        #expect(failed.isEmpty, "\(failed.count) of \(results.count) parallel first runs did not list the 7 sample corridors:\n\(report)")
        let later = try await sandbox.remit("corridors", "--format", "json")
        #expect(later.status == 0, "\(later)")
        #expect(((try? JSONSerialization.jsonObject(with: later.stdoutData)) as? [Any])?.count == 7,
                "the default database is left seeded:\n\(later)")
        if hasSQLiteShell {
            #expect(try await importBatchCount(sandbox, sandbox.defaultDatabase) == 1)
        }
    }
}
