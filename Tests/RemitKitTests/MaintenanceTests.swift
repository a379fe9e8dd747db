import Foundation
import GRDB
import Testing
@testable import RemitKit

/// A private temporary folder, removed with its contents when the last reference goes.
final class TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("remit-maintenance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Every table's rows (sqlite_sequence included), each value as its type and exact bytes
/// (a REAL as its bit pattern), the rows of each table sorted: equal means the same data.
func tableContents(_ db: Database) throws -> [String: [[String]]] {
    var result: [String: [[String]]] = [:]
    let tables = try String.fetchAll(db, sql: """
        SELECT name FROM sqlite_master WHERE type = 'table' AND (name NOT LIKE 'sqlite%' OR name = 'sqlite_sequence')
        """)
    for table in tables {
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(table.sqlIdentifier))").map { $0["name"] as String }
        let selection = columns.map { (column: String) -> String in
            let quoted = column.sqlIdentifier
            return "typeof(\(quoted)), hex(\(quoted)), \(quoted)"
        }.joined(separator: ", ")
        let rows = try Row.fetchAll(db, sql: "SELECT \(selection) FROM \(table.sqlIdentifier)")
        result[table] = rows.map { row in
            columns.indices.map { index -> String in
                let type: String = row[3 * index]
                if type == "real" { return "real:\((row[3 * index + 2] as Double).bitPattern)" }
                return type + ":" + (row[3 * index + 1] as String)
            }
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }
    return result
}

/// The schema objects (tables, indexes, views, triggers) with their SQL.
func schemaObjects(_ db: Database) throws -> [String] {
    try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .map { "\($0["type"] as String) \($0["name"] as String) \($0["tbl_name"] as String) \($0["sql"] as String? ?? "")" }
}

/// The bytes of a file (empty if it is missing).
func fileBytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

/// An RPW file with `count` distinct services (one firm each), made from the first data row of
/// fixtures/reports/rpw-reports.csv: big enough to fill many database pages.
func largeRPWFile(_ path: String, services count: Int) throws {
    let lines = try String(contentsOfFile: fixture("reports/rpw-reports.csv"), encoding: .utf8).split(separator: "\n")
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
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite("Database upkeep: check, vacuum, backup, SQL export, read-only and full databases")
struct MaintenanceTests {
    /// A database file at `path` with the RPW report fixture imported; the connection is closed on return.
    func makeSurveyDatabase(_ path: String) throws {
        let database = try RemitDatabase.open(path: path)
        let report = try database.importFile(ImportSource(path: fixture("reports/rpw-reports.csv"), format: .rpw))
        #expect(report.observations == 92)
    }

    // MARK: - check

    @Test("check on a healthy database: ok, schema version, sizes and row counts as SQLite gives them")
    func checkHealthy() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        try makeSurveyDatabase(path)
        let database = try RemitDatabase.open(path: path)
        let check = try database.check()
        #expect(check.isHealthy)
        #expect(check.integrityProblems.isEmpty && check.foreignKeyViolations.isEmpty)
        #expect(check.appliedMigrations == ["v1", "v2-remittance-flow"])
        #expect(check.schemaVersion == "v2-remittance-flow" && check.isCurrentSchema)
        #expect(check.journalMode == "wal")
        #expect(check.readOnlyReason == nil)
        let counts = Dictionary(uniqueKeysWithValues: check.tables.map { ($0.name, $0.rows) })
        #expect(counts["price_observation"] == 92)
        #expect(counts["import_batch"] == 1)
        #expect(counts["grdb_migrations"] == 2)
        #expect(counts["currency"] == ReferenceData.currencies.count)
        #expect(counts["country"] == ReferenceData.countries.count)
        #expect(counts["sqlite_sequence"] == nil, "SQLite's own tables are left out")
        #expect(check.tables.map(\.name) == check.tables.map(\.name).sorted())
        #expect(check.pageSize == 65_536, "a new database gets 64 KiB pages")
        #expect(check.pageCount > 10)
        #expect(check.sizeBytes == Int64(check.pageCount * check.pageSize))
        let text = try DatabaseCheckRenderer.render(check, as: .table)
        #expect(text.contains("Integrity:    ok\nForeign keys: ok\n"), "\(text)")
        #expect(text.hasSuffix("The database is healthy.\n"))
        #expect(DatabaseCheckRenderer.problemSummary(check) == nil)
    }

    @Test("check finds a row whose parent is missing (inserted with foreign keys off) and names it")
    func checkForeignKeyViolation() throws {
        let database = try RemitDatabase.inMemory()
        try database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "INSERT INTO country (alpha2, alpha3, name, currency_code) VALUES ('QZ', 'QZZ', 'Nowhere', 'QQQ')")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let rowid = try database.read { db in try Int64.fetchOne(db, sql: "SELECT rowid FROM country WHERE alpha2 = 'QZ'") }
        let check = try database.check()
        #expect(!check.isHealthy)
        #expect(check.integrityProblems.isEmpty)
        #expect(check.foreignKeyViolations == [
            ForeignKeyViolation(table: "country", rowid: rowid, parent: "currency", columns: ["currency_code"],
                                parentColumns: ["code"], values: ["'QQQ'"]),
        ])
        let text = try DatabaseCheckRenderer.render(check, as: .table)
        #expect(text.contains("Foreign keys: 1 row pointing to a missing parent row\n"), "\(text)")
        #expect(text.contains("  country row \(rowid ?? 0): currency_code = 'QQQ', but currency has no row with code 'QQQ'\n"), "\(text)")
        #expect(!text.contains("The database is healthy."))
        #expect(DatabaseCheckRenderer.problemSummary(check) == "the database :memory: has 1 row pointing to a missing parent row")
    }

    @Test("check reports integrity problems: an index whose definition no longer matches its entries")
    func checkIntegrityProblem() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("damaged.sqlite")
        try makeSurveyDatabase(path)
        do {
            // The sanctioned way to damage a file on purpose: rewrite an index's definition behind SQLite's back.
            let raw = try DatabaseQueue(path: path)
            try raw.writeWithoutTransaction { db in
                try db.execute(sql: """
                    PRAGMA writable_schema = ON;
                    UPDATE sqlite_master SET sql = 'CREATE INDEX service_by_corridor ON service (provider_id)'
                     WHERE name = 'service_by_corridor';
                    PRAGMA writable_schema = OFF;
                    """)
            }
            try raw.close()
        }
        let check = try RemitDatabase.open(path: path).check()
        #expect(!check.isHealthy)
        #expect(!check.integrityProblems.isEmpty)
        #expect(check.integrityProblems.allSatisfy { $0.contains("service_by_corridor") }, "\(check.integrityProblems)")
        #expect(DatabaseCheckRenderer.problemSummary(check)?.contains("integrity problem") == true)
    }

    // MARK: - vacuum

    @Test("vacuum gives back the pages a removed batch freed, and the file shrinks to match")
    func vacuumShrinks() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        let big = folder.path("big.csv")
        try largeRPWFile(big, services: 3_000)
        let database = try RemitDatabase.open(path: path)
        let report = try database.importFile(ImportSource(path: big, format: .rpw))
        #expect(try database.removeBatch(report.batchID))
        let before = try database.check()
        #expect(before.freelistCount > 10, "removing the batch left free pages")
        let result = try database.vacuum()
        #expect(result.before == before.sizeBytes)
        #expect(result.after < result.before)
        let after = try database.check()
        #expect(after.freelistCount == 0)
        #expect(after.sizeBytes == result.after)
        #expect(after.isHealthy)
        let onDisk = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).int64Value
        #expect(onDisk == result.after, "the write-ahead log was checkpointed into the file")
    }

    // MARK: - backup

    @Test("backup and export never replace a symbolic link, a pipe or a device, even with overwrite")
    func specialDestinations() throws {
        let folder = try TemporaryFolder()
        let database = try RemitDatabase.open(path: folder.path("remit.sqlite"))
        let target = folder.path("target.txt")
        try "keep me".write(toFile: target, atomically: true, encoding: .utf8)
        let link = folder.path("link.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let pipe = folder.path("pipe.sql")
        #expect(mkfifo(pipe, 0o644) == 0)
        for destination in [link, pipe, "/dev/null"] {
            #expect(throws: MaintenanceError.self) { try database.backup(to: destination, overwrite: true) }
            #expect(throws: MaintenanceError.self) { try database.exportSQL(to: destination, overwrite: true) }
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: link)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
        #expect((try FileManager.default.attributesOfItem(atPath: "/dev/null"))[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test("backup copies every table exactly, refuses an existing file or the database itself, replaces with overwrite")
    func backupCopiesEverything() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite"), copy = folder.path("copy.sqlite")
        try makeSurveyDatabase(path)
        let database = try RemitDatabase.open(path: path)
        try database.backup(to: copy)
        let source = try database.read { db in (try tableContents(db), try schemaObjects(db)) }
        let restored = try DatabaseQueue(path: copy)
        let copied = try restored.read { db in (try tableContents(db), try schemaObjects(db)) }
        try restored.close()
        #expect(copied.0 == source.0)
        #expect(copied.1 == source.1)
        #expect(copied.0["sqlite_sequence"] == [["text:\(Data("import_batch".utf8).hexUpper)", "integer:31"]])
        #expect(try RemitDatabase.open(path: copy).check().isHealthy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).allSatisfy { !$0.contains(".remit-") },
                "no temporary file is left")

        let existing = fileBytes(copy)
        #expect(throws: MaintenanceError.destinationExists(path: copy)) { try database.backup(to: copy) }
        #expect(fileBytes(copy) == existing)
        #expect(throws: MaintenanceError.destinationIsDatabase(path: path)) { try database.backup(to: path, overwrite: true) }

        try Data("not a database".utf8).write(to: URL(fileURLWithPath: copy))
        try database.backup(to: copy, overwrite: true)
        let replaced = try DatabaseQueue(path: copy)
        #expect(try replaced.read(tableContents) == source.0)
        try replaced.close()
        #expect(throws: MaintenanceError.cannotWrite(path: folder.path("missing/copy.sqlite"), reason: "no such folder \(folder.path("missing"))")) {
            try database.backup(to: folder.path("missing/copy.sqlite"))
        }
    }

    // MARK: - SQL export

    @Test("export writes SQL that, run in a new database, recreates every table, sqlite_sequence and the schema version")
    func exportRoundTrip() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite"), dump = folder.path("remit.sql"), restoredPath = folder.path("restored.sqlite")
        try makeSurveyDatabase(path)
        let database = try RemitDatabase.open(path: path)
        // A removed batch: sqlite_sequence must keep its number from being reused.
        _ = try database.importFile(ImportSource(path: fixture("reports/flows.csv"), format: .flows))
        #expect(try database.removeBatch(2))
        let summary = try database.exportSQL(to: dump)
        let text = try String(contentsOfFile: dump, encoding: .utf8)
        #expect(summary.bytes == Int64(text.utf8.count))
        #expect(text == (try database.dumpSQL()))
        #expect(text.contains("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"))
        #expect(text.hasSuffix("COMMIT;\n"))
        #expect(text.contains("INSERT INTO \"grdb_migrations\" VALUES('v2-remittance-flow');\n"))
        #expect(text.contains("DELETE FROM sqlite_sequence;\nINSERT INTO \"sqlite_sequence\" VALUES('import_batch',2);\n"))
        #expect(summary.rows == (try database.check().tables.reduce(0) { $0 + $1.rows }) + 1)

        let restored = try DatabaseQueue(path: restoredPath)
        try restored.writeWithoutTransaction { db in try db.execute(sql: text) }
        let original = try database.read { db in (try tableContents(db), try schemaObjects(db)) }
        #expect(try restored.read(tableContents) == original.0)
        #expect(try restored.read(schemaObjects) == original.1)
        try restored.close()

        let reopened = try RemitDatabase.open(path: restoredPath)
        #expect(!reopened.wasCreated, "recognised as a remit database: no migration ran")
        let check = try reopened.check()
        #expect(check.isHealthy && check.schemaVersion == "v2-remittance-flow")
        let next = try reopened.importFile(ImportSource(path: fixture("reports/flows.csv"), format: .flows))
        #expect(next.batchID == 3, "batch numbers are never reused, in the restored database too")

        #expect(throws: MaintenanceError.destinationExists(path: dump)) { try database.exportSQL(to: dump) }
        #expect(try database.exportSQL(to: dump, overwrite: true).rows == summary.rows)
    }

    @Test("export quotes every kind of value exactly: text with quotes, NUL and bad UTF-8, integers, reals, blobs, NULL")
    func exportQuotesValues() throws {
        let database = try RemitDatabase.inMemory()
        let reals: [Double] = [0.1, 1.0 / 3.0, -2.5, 1e-300, Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e22, 123_456_789.123_456_79,
                               2.2250738585072014e-308, 0.30000000000000004, 1.0, -0.0, .infinity, -.infinity]
        let odd = #"odd "name""#.sqlIdentifier   // a name that needs quoting: "odd ""name"""
        try database.writer.write { db in
            try db.execute(sql: """
                CREATE TABLE \(odd) (id INTEGER PRIMARY KEY, value);
                CREATE TABLE generated (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) STORED, c INTEGER GENERATED ALWAYS AS (a + 1));
                CREATE TABLE keyed (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
                CREATE TABLE plain (t TEXT);
                CREATE VIEW odd_view AS SELECT * FROM plain;
                CREATE TRIGGER keyed_touch AFTER INSERT ON keyed BEGIN SELECT 1; END;
                """)
            for real in reals { try db.execute(sql: "INSERT INTO \(odd) (value) VALUES (?)", arguments: [real]) }
            for value: (any DatabaseValueConvertible)? in [Int64.max, Int64.min, 0, "it's", "two\nlines; and ';'", "naïve 😀 ‘quotes’", "", nil,
                                                    Data([0, 255, 39, 10]), Data()] {
                try db.execute(sql: "INSERT INTO \(odd) (value) VALUES (?)", arguments: [value])
            }
            try db.execute(sql: "INSERT INTO \(odd) (value) VALUES (CAST(X'610062' AS TEXT)), (CAST(X'FF41' AS TEXT))")
            try db.execute(sql: "INSERT INTO generated (a) VALUES (1), (NULL), (21)")
            try db.execute(sql: "INSERT INTO keyed VALUES ('b', 2), ('a', 1.5)")
            try db.execute(sql: "INSERT INTO plain VALUES ('x'), ('x')")
        }
        let text = try database.dumpSQL()
        #expect(text.contains(",'it''s');"), "\(text.suffix(2000))")
        #expect(text.contains(",X'00FF270A');"))
        #expect(text.contains(",X'');"))
        #expect(text.contains(",CAST(X'610062' AS TEXT));"), "text holding NUL keeps its bytes")
        #expect(text.contains(",CAST(X'FF41' AS TEXT));"), "text that is not UTF-8 keeps its bytes")
        #expect(text.contains(",1e999);") && text.contains(",-1e999);"))
        #expect(text.contains("INSERT INTO \"generated\"(\"a\") VALUES(21);"), "generated columns are left to SQLite")

        let restored = try DatabaseQueue()
        try restored.writeWithoutTransaction { db in try db.execute(sql: text) }
        let expected = try database.read(tableContents)
        #expect(try restored.read(tableContents) == expected)
        #expect(try restored.read(schemaObjects) == database.read(schemaObjects))
        // Every REAL came back bit for bit (the comparison above already says so; this names a failure).
        let back = try restored.read { db in
            try Double.fetchAll(db, sql: "SELECT value FROM \(odd) WHERE typeof(value) = 'real' ORDER BY id")
        }
        #expect(back.map(\.bitPattern) == reals.map(\.bitPattern), "\(zip(back, reals).filter { $0.bitPattern != $1.bitPattern })")
    }

    @Test("The sqlite3 shell loads an export into a database equal to the original",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell at /usr/bin/sqlite3"))
    func exportLoadsInSQLiteShell() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite"), dump = folder.path("remit.sql"), restoredPath = folder.path("restored.sqlite")
        try makeSurveyDatabase(path)
        let database = try RemitDatabase.open(path: path)
        try database.writer.write { db in
            try db.execute(sql: "CREATE TABLE extra (id INTEGER PRIMARY KEY, value)")
            for value: (any DatabaseValueConvertible)? in [0.1, 1.0 / 3.0, 1e-300, Double.leastNonzeroMagnitude, -0.5, "it's\nhere", Data([1, 2]), nil, Int64.min] {
                try db.execute(sql: "INSERT INTO extra (value) VALUES (?)", arguments: [value])
            }
        }
        try database.exportSQL(to: dump)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [restoredPath]
        shell.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: dump))
        let errors = Pipe()
        shell.standardError = errors
        try shell.run()
        shell.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(shell.terminationStatus == 0 && message.isEmpty, "\(message)")
        let restored = try DatabaseQueue(path: restoredPath)
        #expect(try restored.read(tableContents) == database.read(tableContents))
        #expect(try restored.read(schemaObjects) == database.read(schemaObjects))
        try restored.close()
    }

    // MARK: - read-only

    @Test("A database opened read-only reads, refuses every write with a clear error, and is left byte for byte as it was")
    func readOnlyRequested() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        try makeSurveyDatabase(path)
        let before = fileBytes(path)
        do {
            let database = try RemitDatabase.open(path: path, readOnly: true)
            #expect(database.isReadOnly)
            #expect(try database.batches().count == 1)
            #expect(try database.check().isHealthy)
            #expect(try database.check().readOnlyReason == "it was opened read-only")
            let expected = StoreError.readOnly(path: path, reason: "it was opened read-only")
            #expect(throws: expected) { try database.importFile(ImportSource(path: fixture("reports/flows.csv"), format: .flows)) }
            #expect(throws: expected) { try database.removeBatch(1) }
            #expect(throws: expected) { try database.vacuum() }
            #expect(expected.description.contains("is read-only (it was opened read-only): it can be read, but not changed"))
            // A copy can still be taken.
            try database.backup(to: folder.path("copy.sqlite"))
            #expect(try RemitDatabase.open(path: folder.path("copy.sqlite")).batches().count == 1)
        }
        #expect(fileBytes(path) == before)
        #expect(throws: StoreError.cannotOpen(path: folder.path("none.sqlite"),
                                              reason: "no such database file (it is opened read-only, so it is not created)")) {
            try RemitDatabase.open(path: folder.path("none.sqlite"), readOnly: true)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }

    @Test("When SQLite cannot open an existing file for writing, remit falls back to reading it (failure injected)",
          arguments: [ResultCode.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM])
    func readOnlyFallbackInjected(code: ResultCode) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        try makeSurveyDatabase(path)
        let database = try RemitDatabase.open(path: path, locked: false) { _, _ in
            throw DatabaseError(resultCode: code, message: "injected failure")
        }
        #expect(database.readOnlyReason == "it cannot be opened for writing (injected failure)")
        #expect(try database.batches().count == 1)
        #expect(throws: StoreError.readOnly(path: path, reason: "it cannot be opened for writing (injected failure)")) {
            try database.removeBatch(1)
        }
    }

    @Test("Any other failure to open is an error, not a read-only fallback")
    func otherOpenFailure() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        try makeSurveyDatabase(path)
        #expect(throws: StoreError.cannotOpen(path: path, reason: "injected corruption")) {
            try RemitDatabase.open(path: path, locked: false) { _, _ in
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "injected corruption")
            }
        }
    }

    @Test("A database whose -wal and -shm files cannot be made (here: -shm is a folder) is still read, as immutable")
    func readOnlyWithoutSideFiles() throws {
        // This needs no injection and works as root: SQLite itself fails to open the file for writing and
        // then to read it normally (both need the -shm file), so the whole fallback chain runs.
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        try makeSurveyDatabase(path)
        let before = fileBytes(path)
        try FileManager.default.createDirectory(atPath: path + "-shm", withIntermediateDirectories: false)
        do {
            let database = try RemitDatabase.open(path: path)
            #expect(database.isReadOnly, "\(database.readOnlyReason ?? "writable")")
            #expect(database.readOnlyReason?.hasPrefix("it cannot be opened for writing") == true)
            #expect(try database.batches().first?.observations == 92)
            let response = try database.compare(CompareRequest(from: CountryCode("KE")!, to: CountryCode("TZ")!,
                                                               amount: .send(T.d("200"), currency: CurrencyCode("USD"))))
            #expect(!response.ranked.isEmpty)
        }
        #expect(fileBytes(path) == before)
    }

    @Test("A file without write permission is opened read-only (not as root: root may write any file)",
          .enabled(if: getuid() != 0, "root bypasses file permissions; the CLI tests run this as nobody instead"))
    func readOnlyPermissions() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("remit.sqlite")
        try makeSurveyDatabase(path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.url.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path) }
        let database = try RemitDatabase.open(path: path)
        #expect(database.readOnlyReason == "this user may not write the file")
        #expect(try database.batches().count == 1)
    }

    @Test("A read-only database made by an older remit is refused with a clear message, and left as it was")
    func readOnlyNeedsMigration() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("old.sqlite")
        try FileManager.default.copyItem(atPath: fixture("db/remit-v1.sqlite"), toPath: path)
        let before = fileBytes(path)
        let expected = StoreError.readOnlyNeedsMigration(path: path, reason: "it was opened read-only", pending: ["v2-remittance-flow"])
        #expect(throws: expected) { try RemitDatabase.open(path: path, readOnly: true) }
        #expect(expected.description.hasPrefix("the database is read-only and needs migrating: \(path) was made by an older remit"))
        #expect(fileBytes(path) == before)
    }

    // MARK: - newer schema

    @Test("A database from a newer remit is refused before anything writes to it: same bytes, no side files")
    func newerSchemaUntouched() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("newer.sqlite")
        try makeSurveyDatabase(path)
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
            try queue.close()
        }
        let before = fileBytes(path)
        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v99-future"])) { try RemitDatabase.open(path: path) }
        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v99-future"])) {
            try RemitDatabase.open(path: path, readOnly: true)
        }
        #expect(fileBytes(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm"))
    }

    // MARK: - full disk

    @Test("A full database (size limit reached) rolls the import back: clear error, contents and integrity unchanged")
    func fullDatabase() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("full.sqlite"), big = folder.path("big.csv")
        try largeRPWFile(big, services: 400)
        let pages: Int
        do {
            let database = try RemitDatabase.open(path: path)
            _ = try database.importFile(ImportSource(path: fixture("reports/flows.csv"), format: .flows))
            pages = try database.check().pageCount
        }
        let snapshot = try RemitDatabase.open(path: path).dumpSQL()
        do {
            // One page of room, for GRDB's table created and dropped on opening: far too little for the file.
            let limited = try RemitDatabase.open(path: path, locked: false, maxPageCount: pages + 1)
            #expect(throws: StoreError.full(path: path, file: big)) { try limited.importFile(ImportSource(path: big, format: .rpw)) }
            #expect(try limited.check().isHealthy)
            #expect(try limited.dumpSQL() == snapshot)
            // A write through GRDB's own statements says the same, without a file name.
            #expect(throws: StoreError.full(path: path, file: nil)) {
                try limited.write { db in try db.execute(sql: "CREATE TABLE filler (x); INSERT INTO filler VALUES (zeroblob(1000000))") }
            }
            #expect(try limited.dumpSQL() == snapshot)
        }
        #expect(StoreError.full(path: path, file: big).description
            == "the database \(path) is full (disk full or size limit reached); nothing from \(big) was imported: free some disk space and try again")
        // Without the limit the same file imports: the limit, not the file, made the import fail.
        let unlimited = try RemitDatabase.open(path: path)
        #expect(try unlimited.importFile(ImportSource(path: big, format: .rpw)).imported == 400)
        #expect(try unlimited.check().isHealthy)
    }
}

extension Data {
    /// Upper-case hex, as SQLite's hex() writes it.
    var hexUpper: String { map { String(format: "%02X", $0) }.joined() }
}
