import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `remit db check|vacuum|backup|export`, and how every command treats a read-only, full or newer database.

/// How to run remit as a user that file permissions apply to.
///
/// Tests run as root in CI, and root may write any local file whatever its mode: a `chmod 0444`
/// database is not read-only for root. So, as root, the read-only tests run remit as `nobody`
/// through `setpriv`; as any other user they run it directly. `nil` when neither works.
enum Unprivileged {
    static let prefix: [String]? = {
        if getuid() != 0 { return [] }
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else { return nil }
        let arguments = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        return succeeds(arguments + ["/bin/true"]) ? arguments : nil
    }()

    /// A read-only file system, where even root cannot write: a read-only bind mount in a private
    /// user and mount namespace (`unshare -rm`), when the kernel allows it.
    static let readOnlyMount: Bool = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-ro-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            && succeeds(["/usr/bin/unshare", "-rm", "/bin/sh", "-c", readOnlyScript + " && ! touch \"$1/x\" 2>/dev/null", "sh", folder.path])
    }()

    /// Shell commands that make `$1` a read-only bind mount of itself.
    static let readOnlyScript = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" \"$1\""

    static func succeeds(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

@Suite("db check, vacuum, backup and export; read-only, full and newer databases")
struct DatabaseCommandTests {
    func fixture(_ name: String) throws -> String {
        let root = try #require(RemitBinary.packageRoot)
        return root.appendingPathComponent("fixtures/\(name)").path
    }

    /// A database at `name` in the sandbox with the RPW report fixture imported (46 rows, 92 survey prices).
    func surveyDatabase(_ sandbox: Sandbox, _ name: String = "r.sqlite") async throws -> URL {
        let result = try await sandbox.remit("import", "rpw", try fixture("reports/rpw-reports.csv"), "--db", sandbox.path(name).path, "--quiet")
        #expect(result.status == 0, "\(result)")
        return sandbox.path(name)
    }

    /// An RPW file with `count` distinct services, from the fixture's first row: enough to fill many pages.
    func largeRPWFile(_ url: URL, services count: Int) throws {
        let lines = try String(contentsOfFile: try fixture("reports/rpw-reports.csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let id = try #require(header.firstIndex(of: "id")), firm = try #require(header.firstIndex(of: "firm"))
        var text = lines[0] + "\n"
        for index in 1...count {
            var fields = row
            fields[id] = String(900_000 + index)
            fields[firm] = "Generated Transfer Company Number \(index)"
            text += fields.joined(separator: ",") + "\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func data(_ url: URL) -> Data { FileManager.default.contents(atPath: url.path) ?? Data() }

    func fileSize(_ url: URL) throws -> Int64 {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber).int64Value
    }

    /// `sqlite3 DB .dump`: every table's rows and the schema, as text.
    func shellDump(_ sandbox: Sandbox, _ database: URL) async throws -> String {
        let result = try await sandbox.run(sqliteShell, ["-readonly", database.path, ".dump"])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        return result.stdout
    }

    let compare = ["compare", "--from", "KE", "--to", "TZ", "--amount", "200", "--currency", "USD"]
    let report = ["report", "corridor", "--from", "KE", "--to", "TZ"]

    // MARK: - check

    @Test("db check on a healthy database: exit 0, ok, schema version and row counts; the same as JSON")
    func checkHealthy() async throws {
        let sandbox = try Sandbox()
        let database = try await surveyDatabase(sandbox)
        let result = try await sandbox.remit("db", "check", "--db", database.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let lines = result.stdoutLines
        #expect(lines.first == "Database:     \(database.path)")
        #expect(lines.contains("Schema:       version 2, v2-remittance-flow (current)"), "\(result)")
        #expect(lines.contains("Journal mode: wal"))
        #expect(lines.contains("Integrity:    ok"))
        #expect(lines.contains("Foreign keys: ok"))
        #expect(lines.contains { $0.hasPrefix("price_observation") && $0.hasSuffix(" 92") }, "\(result)")
        #expect(lines.contains { $0.hasPrefix("import_batch") && $0.hasSuffix(" 1") })
        #expect(lines.contains { $0.hasPrefix("grdb_migrations") && $0.hasSuffix(" 2") })
        #expect(!lines.contains { $0.hasPrefix("sqlite_") })
        #expect(result.stdout.hasSuffix("\nThe database is healthy.\n"))

        let json = try jsonObject(try await sandbox.remit("db", "check", "--db", database.path, "--format", "json"))
        #expect(json["healthy"] as? Bool == true)
        #expect(try obj(json, "schema")["version"] as? String == "v2-remittance-flow")
        #expect(try obj(json, "schema")["migrations"] as? [String] == ["v1", "v2-remittance-flow"])
        #expect(try obj(json, "schema")["current"] as? Bool == true)
        #expect(try objects(json, "foreignKeyViolations").isEmpty)
        #expect((json["integrityProblems"] as? [Any])?.isEmpty == true)
        #expect(isNull(json["readOnly"]))
        let pageCount = try num(json, "pageCount"), pageSize = try num(json, "pageSize")
        #expect(try num(json, "sizeBytes") == pageCount * pageSize)
        #expect(try objects(json, "tables").first { $0["name"] as? String == "price_observation" }?["rows"] as? Int == 92)

        let missing = try await sandbox.remit("db", "check", "--db", sandbox.path("missing.sqlite").path)
        #expect(missing.status == 1 && missing.stdout.isEmpty, "\(missing)")
        #expect(missing.stderr.hasPrefix("Error: cannot open the database \(sandbox.path("missing.sqlite").path): no such database file"))
    }

    @Test("db check finds a row whose parent is missing (written by sqlite3 with foreign keys off): report and exit 1",
          .enabled(if: hasSQLiteShell, "needs the sqlite3 shell at /usr/bin/sqlite3"))
    func checkForeignKeyViolation() async throws {
        let sandbox = try Sandbox()
        let database = try await surveyDatabase(sandbox)
        // The sqlite3 shell leaves foreign keys off unless told otherwise: the orphan goes in.
        let insert = try await sandbox.run(sqliteShell, [database.path, """
            INSERT INTO country (alpha2, alpha3, name, currency_code) VALUES ('QZ', 'QZZ', 'Nowhere', 'QQQ');
            SELECT rowid FROM country WHERE alpha2 = 'QZ';
            """])
        #expect(insert.status == 0, "\(insert)")
        let rowid = insert.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let result = try await sandbox.remit("db", "check", "--db", database.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdoutLines.contains("Integrity:    ok"))
        #expect(result.stdoutLines.contains("Foreign keys: 1 row pointing to a missing parent row"), "\(result)")
        #expect(result.stdoutLines.contains("  country row \(rowid): currency_code = 'QQQ', but currency has no row with code 'QQQ'"),
                "\(result)")
        #expect(!result.stdout.contains("healthy"))
        #expect(result.stdout.contains("Problems found."))
        #expect(result.stderr == "Error: the database \(database.path) has 1 row pointing to a missing parent row.\n")

        let json = try await sandbox.remit("db", "check", "--db", database.path, "--format", "json")
        #expect(json.status == 1)
        let object = try jsonObject(json)
        #expect(object["healthy"] as? Bool == false)
        let violation = try #require(try objects(object, "foreignKeyViolations").first)
        #expect(violation["table"] as? String == "country" && violation["parent"] as? String == "currency")
        #expect(violation["columns"] as? [String] == ["currency_code"] && violation["values"] as? [String] == ["'QQQ'"])
        #expect(number(violation["rowid"]) == Double(rowid))
    }

    // MARK: - vacuum

    @Test("db vacuum after removing a batch: the file shrinks, no free pages are left")
    func vacuumShrinks() async throws {
        let sandbox = try Sandbox()
        let database = sandbox.path("r.sqlite"), big = sandbox.path("big.csv")
        try largeRPWFile(big, services: 3_000)
        let imported = try await sandbox.remit("import", "rpw", big.path, "--db", database.path, "--quiet")
        #expect(imported.status == 0, "\(imported)")
        let removed = try await sandbox.remit("batches", "remove", "1", "--db", database.path)
        #expect(removed.status == 0, "\(removed)")
        let before = try jsonObject(try await sandbox.remit("db", "check", "--db", database.path, "--format", "json"))
        #expect(try num(before, "freelistCount") > 10, "removing the batch left free pages")

        let result = try await sandbox.remit("db", "vacuum", "--db", database.path)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
        // "Vacuumed PATH: 1,234,567 bytes before, 123,456 after (1,111,111 freed)."
        let numbers = result.stderr.replacingOccurrences(of: ",", with: "")
            .split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }.suffix(3)
        #expect(numbers.count == 3, "\(result)")
        let (bytesBefore, bytesAfter, freed) = (numbers[numbers.startIndex], numbers[numbers.startIndex + 1], numbers[numbers.startIndex + 2])
        #expect(result.stderr.hasPrefix("Vacuumed \(database.path): "), "\(result)")
        #expect(Double(bytesBefore) == (try num(before, "sizeBytes")))
        #expect(bytesAfter < bytesBefore && freed == bytesBefore - bytesAfter)
        #expect(try fileSize(database) == bytesAfter)
        let after = try jsonObject(try await sandbox.remit("db", "check", "--db", database.path, "--format", "json"))
        // At most the one page GRDB frees again each time a process opens the database (it creates and drops a table).
        #expect(try num(after, "freelistCount") <= 1)
        #expect(after["healthy"] as? Bool == true)
    }

    // MARK: - backup

    @Test("db backup: a copy that answers the same, refuses to overwrite unless --overwrite")
    func backup() async throws {
        let sandbox = try Sandbox()
        let database = try await surveyDatabase(sandbox)
        let copy = sandbox.path("copy.sqlite")
        let result = try await sandbox.remit("db", "backup", copy.path, "--db", database.path)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr == "Backed up \(database.path) to \(copy.path).\n")

        let original = try await sandbox.remit(compare + ["--db", database.path])
        let fromCopy = try await sandbox.remit(compare + ["--db", copy.path])
        #expect(original.status == 0 && fromCopy.status == 0, "\(fromCopy)")
        #expect(fromCopy.stdout == original.stdout)
        if hasSQLiteShell {
            #expect(try await shellDump(sandbox, copy) == shellDump(sandbox, database), "every table and the schema are the same")
        }

        let existing = data(copy)
        let again = try await sandbox.remit("db", "backup", copy.path, "--db", database.path)
        #expect(again.status == 1 && again.stdout.isEmpty, "\(again)")
        #expect(again.stderr == "Error: \(copy.path) exists already; choose another name, or pass --overwrite to replace it\n")
        #expect(data(copy) == existing)
        let overwritten = try await sandbox.remit("db", "backup", copy.path, "--overwrite", "--db", database.path)
        #expect(overwritten.status == 0, "\(overwritten)")

        let itself = try await sandbox.remit("db", "backup", database.path, "--overwrite", "--db", database.path)
        #expect(itself.status == 1)
        #expect(itself.stderr == "Error: \(database.path) is the database itself; write the copy to another file\n")
    }

    // MARK: - export

    @Test("db export writes SQL that the sqlite3 shell loads into an equal database, at the same schema version",
          .enabled(if: hasSQLiteShell, "needs the sqlite3 shell at /usr/bin/sqlite3"))
    func exportLoadsInSQLite() async throws {
        let sandbox = try Sandbox()
        let database = try await surveyDatabase(sandbox)
        let flows = try await sandbox.remit("import", "flows", try fixture("reports/flows.csv"), "--db", database.path, "--quiet")
        #expect(flows.status == 0, "\(flows)")
        let dump = sandbox.path("remit.sql"), restored = sandbox.path("restored.sqlite")
        let result = try await sandbox.remit("db", "export", dump.path, "--db", database.path)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.hasPrefix("Exported \(database.path) to \(dump.path): 15 tables, "), "\(result)")
        #expect(result.stderr.hasSuffix(" rows. Load it with: sqlite3 NEW.sqlite < \(dump.path)\n"))

        let load = try await sandbox.run(sqliteShell, [restored.path, ".read \(dump.path)"])
        #expect(load.status == 0 && load.stderr.isEmpty, "\(load)")
        #expect(try await shellDump(sandbox, restored) == shellDump(sandbox, database))

        let check = try jsonObject(try await sandbox.remit("db", "check", "--db", restored.path, "--format", "json"))
        #expect(check["healthy"] as? Bool == true)
        #expect(try obj(check, "schema")["migrations"] as? [String] == ["v1", "v2-remittance-flow"])
        let original = try await sandbox.remit(report + ["--db", database.path])
        let fromRestored = try await sandbox.remit(report + ["--db", restored.path])
        #expect(original.status == 0 && fromRestored.stdout == original.stdout, "\(fromRestored)")

        let again = try await sandbox.remit("db", "export", dump.path, "--db", database.path)
        #expect(again.status == 1)
        #expect(again.stderr == "Error: \(dump.path) exists already; choose another name, or pass --overwrite to replace it\n")
        #expect(try await sandbox.remit("db", "export", dump.path, "--overwrite", "--db", database.path).status == 0)
    }

    // MARK: - read-only

    /// The outputs of compare and report on a writable copy of the database, to compare read-only runs with.
    func baseline(_ sandbox: Sandbox, _ database: URL) async throws -> (compare: String, report: String) {
        let compared = try await sandbox.remit(compare + ["--db", database.path])
        let reported = try await sandbox.remit(report + ["--db", database.path])
        #expect(compared.status == 0 && reported.status == 0, "\(compared)\n\(reported)")
        #expect(!compared.stdout.isEmpty && !reported.stdout.isEmpty)
        return (compared.stdout, reported.stdout)
    }

    @Test("REMIT_READ_ONLY=1: compare and report answer as before; import, batches remove and db vacuum fail; the file is unchanged")
    func readOnlyRequested() async throws {
        let sandbox = try Sandbox()
        let database = try await surveyDatabase(sandbox)
        let expected = try await baseline(sandbox, database)
        let before = data(database)
        let readOnly = ["REMIT_READ_ONLY": "1"]
        let compared = try await sandbox.remit(compare + ["--db", database.path], environment: readOnly)
        #expect(compared.status == 0 && compared.stdout == expected.compare, "\(compared)")
        let reported = try await sandbox.remit(report + ["--db", database.path], environment: readOnly)
        #expect(reported.status == 0 && reported.stdout == expected.report, "\(reported)")

        let refusal = "Error: the database \(database.path) is read-only (REMIT_READ_ONLY is set): it can be read, but not changed; "
            + "make it writable, or work on a copy (`remit db backup COPY`)\n"
        for arguments in [["import", "flows", try fixture("reports/flows.csv")], ["batches", "remove", "1"], ["db", "vacuum"]] {
            let result = try await sandbox.remit(arguments + ["--db", database.path], environment: readOnly)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == refusal, "\(result)")
        }
        let check = try await sandbox.remit("db", "check", "--db", database.path, environment: readOnly)
        #expect(check.status == 0 && check.stdoutLines.contains("Access:       read-only (REMIT_READ_ONLY is set)"), "\(check)")
        #expect(data(database) == before, "the database file is byte for byte as it was")
    }

    @Test("A database file without write permission (0444, folder 0555) serves compare and report; writing fails clearly",
          .enabled(if: Unprivileged.prefix != nil, "as root this needs setpriv to run remit as nobody"))
    func readOnlyPermissions() async throws {
        let sandbox = try Sandbox()
        let folder = sandbox.path("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try await surveyDatabase(sandbox, "ro/r.sqlite")
        let expected = try await baseline(sandbox, database)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("r.sqlite.lock"))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        let before = data(database)
        let binary = try RemitBinary.require()
        let prefix = try #require(Unprivileged.prefix)
        func remit(_ arguments: [String]) async throws -> CommandResult {
            let command = prefix.isEmpty ? binary : URL(fileURLWithPath: prefix[0])
            let all = prefix.isEmpty ? arguments : Array(prefix.dropFirst()) + [binary.path] + arguments
            return try await sandbox.run(command, all, label: "remit (unprivileged)")
        }

        let compared = try await remit(compare + ["--db", database.path])
        #expect(compared.status == 0 && compared.stdout == expected.compare, "\(compared)")
        let reported = try await remit(report + ["--db", database.path])
        #expect(reported.status == 0 && reported.stdout == expected.report, "\(reported)")
        let check = try await remit(["db", "check", "--db", database.path])
        #expect(check.status == 0 && check.stdoutLines.contains("Access:       read-only (this user may not write the file)"), "\(check)")

        let refusal = "Error: the database \(database.path) is read-only (this user may not write the file): it can be read, "
            + "but not changed; make it writable, or work on a copy (`remit db backup COPY`)\n"
        for arguments in [["import", "rpw", try fixture("reports/rpw-reports.csv"), "--replace"], ["batches", "remove", "1"], ["db", "vacuum"]] {
            let result = try await remit(arguments + ["--db", database.path])
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr == refusal, "\(result)")
        }
        #expect(data(database) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["r.sqlite"], "no -wal, -shm or lock file appeared")
    }

    @Test("On a read-only file system (a read-only bind mount, which stops root too) compare and report work; import fails",
          .enabled(if: Unprivileged.readOnlyMount, "needs unshare -rm and bind mounts"))
    func readOnlyFileSystem() async throws {
        let sandbox = try Sandbox()
        let folder = sandbox.path("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try await surveyDatabase(sandbox, "ro/r.sqlite")
        let expected = try await baseline(sandbox, database)
        let before = data(database)
        let binary = try RemitBinary.require()
        func remit(_ arguments: [String]) async throws -> CommandResult {
            try await sandbox.run(URL(fileURLWithPath: "/usr/bin/unshare"),
                                  ["-rm", "/bin/sh", "-c", Unprivileged.readOnlyScript + " && shift && exec \"$@\"", "sh", folder.path,
                                   binary.path] + arguments,
                                  label: "remit (read-only mount)")
        }
        let compared = try await remit(compare + ["--db", database.path])
        #expect(compared.status == 0 && compared.stdout == expected.compare, "\(compared)")
        let reported = try await remit(report + ["--db", database.path])
        #expect(reported.status == 0 && reported.stdout == expected.report, "\(reported)")
        let imported = try await remit(["import", "flows", try fixture("reports/flows.csv"), "--db", database.path])
        #expect(imported.status == 1 && imported.stdout.isEmpty, "\(imported)")
        #expect(imported.stderr == "Error: the database \(database.path) is read-only (it is on a read-only file system): it can be read, "
            + "but not changed; make it writable, or work on a copy (`remit db backup COPY`)\n")
        #expect(data(database) == before)
    }

    // MARK: - full disk

    @Test("A full database (REMIT_MAX_PAGE_COUNT): the import fails clearly, nothing is written, integrity is ok")
    func fullDatabase() async throws {
        let sandbox = try Sandbox()
        let database = sandbox.path("r.sqlite"), big = sandbox.path("big.csv")
        try largeRPWFile(big, services: 3_000)
        let small = try await sandbox.remit("import", "flows", try fixture("reports/flows.csv"), "--db", database.path, "--quiet")
        #expect(small.status == 0, "\(small)")
        let pages = Int(try num(try jsonObject(try await sandbox.remit("db", "check", "--db", database.path, "--format", "json")), "pageCount"))
        let beforeDump = sandbox.path("before.sql"), afterDump = sandbox.path("after.sql")
        #expect(try await sandbox.remit("db", "export", beforeDump.path, "--db", database.path).status == 0)

        // One page of room: GRDB creates and drops a table when it opens the database.
        let limit = ["REMIT_MAX_PAGE_COUNT": String(pages + 1)]
        let full = try await sandbox.remit("import", "rpw", big.path, "--db", database.path, environment: limit)
        #expect(full.status == 1, "\(full)")
        #expect(full.stdout.isEmpty)
        #expect(full.stderr == "Error: the database \(database.path) is full (disk full or size limit reached); "
            + "nothing from \(big.path) was imported: free some disk space and try again\n", "\(full)")

        let check = try await sandbox.remit("db", "check", "--db", database.path)
        #expect(check.status == 0 && check.stdoutLines.contains("Integrity:    ok"), "\(check)")
        #expect(try await sandbox.remit("db", "export", afterDump.path, "--db", database.path).status == 0)
        #expect(data(afterDump) == data(beforeDump), "the database holds exactly what it held before")
        let batches = try jsonArray(try await sandbox.remit("batches", "--db", database.path, "--format", "json"))
        #expect(batches.count == 1)

        // The same import without the limit succeeds: the limit, not the file, was the problem.
        let unlimited = try await sandbox.remit("import", "rpw", big.path, "--db", database.path, "--quiet")
        #expect(unlimited.status == 0, "\(unlimited)")
    }

    // MARK: - newer schema

    @Test("A database from a newer remit is refused by every command with exit 1 and a clear message, its bytes unchanged",
          .enabled(if: hasSQLiteShell, "needs the sqlite3 shell at /usr/bin/sqlite3"))
    func newerSchemaRefused() async throws {
        let sandbox = try Sandbox()
        let database = try await surveyDatabase(sandbox)
        let marked = try await sandbox.run(sqliteShell, [database.path, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future');"])
        #expect(marked.status == 0, "\(marked)")
        let before = data(database)
        let message = "Error: the database \(database.path) was written by a newer version of remit (schema v99-future); upgrade remit to use it\n"
        for arguments in [compare, report, ["import", "flows", try fixture("reports/flows.csv")], ["db", "check"], ["db", "vacuum"],
                          ["batches"]] {
            let result = try await sandbox.remit(arguments + ["--db", database.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderr == message, "\(result)")
        }
        let readOnly = try await sandbox.remit(compare + ["--db", database.path], environment: ["REMIT_READ_ONLY": "1"])
        #expect(readOnly.status == 1 && readOnly.stderr == message, "\(readOnly)")
        #expect(data(database) == before, "the file is byte for byte as it was")
        #expect(!FileManager.default.fileExists(atPath: database.path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: database.path + "-shm"))
    }

    @Test("remit db --help lists the four subcommands")
    func help() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("db", "--help")
        #expect(result.status == 0, "\(result)")
        for name in ["check", "vacuum", "backup", "export"] {
            #expect(result.stdout.contains("  \(name) "), "\(result)")
        }
    }
}
