import Foundation
import GRDB
import GRDBSQLite

/// A row that points at a parent row that does not exist, as `PRAGMA foreign_key_check` finds it.
public struct ForeignKeyViolation: Hashable, Sendable, Codable {
    /// The table holding the row.
    public var table: String
    /// The row's rowid, or `nil` in a `WITHOUT ROWID` table.
    public var rowid: Int64?
    /// The table the row should point into.
    public var parent: String
    /// The row's referencing columns.
    public var columns: [String]
    /// The parent's columns they refer to.
    public var parentColumns: [String]
    /// The row's values in `columns`, as text (`NULL` for none); empty when the row cannot be found by rowid.
    public var values: [String]
}

/// Rows in one table.
public struct TableCount: Hashable, Sendable, Codable {
    /// The table's name.
    public var name: String
    /// How many rows it holds.
    public var rows: Int
}

/// What `remit db check` finds: SQLite's integrity and foreign-key checks, with the schema version and sizes.
public struct DatabaseCheck: Hashable, Sendable {
    /// The database file.
    public var path: String
    /// What `PRAGMA integrity_check` reported, if anything but `ok` (at most 100 lines).
    public var integrityProblems: [String]
    /// Rows whose parent row is missing.
    public var foreignKeyViolations: [ForeignKeyViolation]
    /// Rows per table (SQLite's own tables left out), by name.
    public var tables: [TableCount]
    /// The schema migrations applied, oldest first: the schema version is the last.
    public var appliedMigrations: [String]
    /// Every migration this remit knows, oldest first.
    public var knownMigrations: [String]
    /// The size of a page, in bytes.
    public var pageSize: Int
    /// Pages in the database, free ones included.
    public var pageCount: Int
    /// Free pages: space that `remit db vacuum` gives back.
    public var freelistCount: Int
    /// SQLite's journal mode (`wal` for a database remit writes).
    public var journalMode: String
    /// Why the database is open for reading only, or `nil`.
    public var readOnlyReason: String?

    /// The database's size in bytes: pages × page size.
    public var sizeBytes: Int64 { Int64(pageSize) * Int64(pageCount) }
    /// The schema version: the last migration applied, or `nil` for a database without remit's schema.
    public var schemaVersion: String? { appliedMigrations.last }
    /// Whether the schema is this remit's current one.
    public var isCurrentSchema: Bool { appliedMigrations == knownMigrations }
    /// No integrity problem and no row without its parent.
    public var isHealthy: Bool { integrityProblems.isEmpty && foreignKeyViolations.isEmpty }
}

/// The size of the database before and after `VACUUM`.
public struct VacuumResult: Hashable, Sendable {
    /// Bytes before (pages × page size, free pages included).
    public var before: Int64
    /// Bytes after.
    public var after: Int64
}

/// What an SQL export wrote.
public struct SQLExportSummary: Hashable, Sendable {
    /// Tables written (SQLite's own `sqlite_sequence` included when present).
    public var tables: Int
    /// Rows written, in all tables.
    public var rows: Int
    /// The size of the file, in bytes.
    public var bytes: Int64
}

/// Why a check, vacuum, backup or export could not be done.
public enum MaintenanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination file exists, and overwriting it was not asked for.
    case destinationExists(path: String)
    /// The destination is the database itself.
    case destinationIsDatabase(path: String)
    /// The destination could not be written.
    case cannotWrite(path: String, reason: String)
    /// The database holds something an SQL export cannot reproduce.
    case cannotExport(reason: String)

    public var description: String {
        switch self {
        case let .destinationExists(path):
            "\(path) exists already; choose another name, or pass --overwrite to replace it"
        case let .destinationIsDatabase(path):
            "\(path) is the database itself; write the copy to another file"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason); nothing was left there"
        case let .cannotExport(reason):
            "cannot export the database as SQL: \(reason); use `remit db backup` instead"
        }
    }
}

extension RemitDatabase {
    /// Runs SQLite's integrity and foreign-key checks and gathers the schema version, sizes and row counts.
    public func check() throws -> DatabaseCheck {
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            var violations: [ForeignKeyViolation] = []
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                violations.append(try Self.violation(table: row[0], rowid: row[1], parent: row[2], keyID: row[3], db: db))
            }
            var tables: [TableCount] = []
            for name in try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name
                """) {
                tables.append(TableCount(name: name, rows: try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name.sqlIdentifier)") ?? 0))
            }
            return DatabaseCheck(
                path: path,
                integrityProblems: integrity == ["ok"] ? [] : integrity,
                foreignKeyViolations: violations,
                tables: tables,
                appliedMigrations: try Self.migrator.appliedMigrations(db),
                knownMigrations: Self.migrator.migrations,
                pageSize: try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0,
                pageCount: try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                freelistCount: try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0,
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                readOnlyReason: readOnlyReason)
        }
    }

    /// Describes one row of `PRAGMA foreign_key_check`: the columns of the broken key and the row's values in them.
    static func violation(table: String, rowid: Int64?, parent: String, keyID: Int, db: Database) throws -> ForeignKeyViolation {
        let key = try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(table.sqlIdentifier))")
            .filter { ($0["id"] as Int) == keyID }
            .sorted { ($0["seq"] as Int) < ($1["seq"] as Int) }
        let columns: [String] = key.map { $0["from"] }
        var parentColumns: [String] = key.compactMap { $0["to"] }
        if parentColumns.count != columns.count {
            // `REFERENCES parent` without columns: the parent's primary key.
            parentColumns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(parent.sqlIdentifier))")
                .filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] }
        }
        var values: [String] = []
        if let rowid, !columns.isEmpty {
            let list = columns.map { (column: String) -> String in "quote(\(column.sqlIdentifier))" }.joined(separator: ", ")
            if let row = try Row.fetchOne(db, sql: "SELECT \(list) FROM \(table.sqlIdentifier) WHERE rowid = ?",
                                          arguments: [rowid]) {
                values = columns.indices.map { row[$0] as String? ?? "NULL" }
            }
        }
        return ForeignKeyViolation(table: table, rowid: rowid, parent: parent, columns: columns, parentColumns: parentColumns,
                                   values: values)
    }

    /// Rebuilds the database without its free pages (`VACUUM`) and shrinks the file to match.
    ///
    /// Returns the size before and after. Other processes may keep reading meanwhile; writers wait.
    @discardableResult
    public func vacuum() throws -> VacuumResult {
        if let readOnlyReason { throw StoreError.readOnly(path: path, reason: readOnlyReason) }
        do {
            return try writer.writeWithoutTransaction { db in
                let before = try Self.size(db)
                try db.execute(sql: "VACUUM")
                // Move the rebuilt pages from the write-ahead log into the file, and empty the log, so that the
                // file on disk shrinks now (a reader still using the old pages may delay it: that is no error).
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" {
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
                return VacuumResult(before: before, after: try Self.size(db))
            }
        } catch let error as DatabaseError {
            throw storeError(error)
        }
    }

    /// The database's size in bytes: pages × page size.
    static func size(_ db: Database) throws -> Int64 {
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        return pages * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
    }

    /// Copies the database into a new file at `path` with SQLite's online backup API.
    ///
    /// The copy is one consistent snapshot, taken while others may keep reading and writing. It is
    /// written beside `path` under a temporary name, then renamed, so `path` never holds half a copy.
    /// An existing file is replaced only when `overwrite` is set.
    public func backup(to path: String, overwrite: Bool = false) throws {
        try checkDestination(path, overwrite: overwrite)
        try Self.writeAtomically(to: path, overwrite: overwrite) { temporary in
            let destination = try DatabaseQueue(path: temporary)
            do {
                try writer.backup(to: destination)
            } catch {
                try? destination.close()
                throw error
            }
            try destination.close()
        }
    }

    /// Writes the whole database as SQL text that the sqlite3 shell loads into a new, equal database
    /// (`sqlite3 NEW.sqlite < FILE.sql`).
    ///
    /// The text is one transaction: every table's `CREATE` statement followed by its rows, then
    /// `sqlite_sequence` (so that batch numbers are never reused), then indexes, views and triggers.
    /// GRDB's `grdb_migrations` is a table like the others, so the new database has the same schema
    /// version. Like the file, an existing `path` is replaced only when `overwrite` is set.
    @discardableResult
    public func exportSQL(to path: String, overwrite: Bool = false) throws -> SQLExportSummary {
        try checkDestination(path, overwrite: overwrite)
        var summary = SQLExportSummary(tables: 0, rows: 0, bytes: 0)
        try Self.writeAtomically(to: path, overwrite: overwrite) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw MaintenanceError.cannotWrite(path: path, reason: "cannot create a file in \(Self.folder(of: path))")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            var output = SQLDumpOutput(handle: handle)
            summary = try read { db in try SQLDump.write(db, to: &output) }
            try output.flush()
            try handle.synchronize()
            summary.bytes = output.written
        }
        return summary
    }

    /// The whole database as SQL text (see ``exportSQL(to:overwrite:)``).
    public func dumpSQL() throws -> String {
        var output = SQLDumpOutput(handle: nil)
        _ = try read { db in try SQLDump.write(db, to: &output) }
        return String(decoding: output.buffer, as: UTF8.self)
    }

    /// Refuses a destination that exists (unless `overwrite`) or that is the database itself.
    func checkDestination(_ destination: String, overwrite: Bool) throws {
        let target = URL(fileURLWithPath: destination).standardizedFileURL.resolvingSymlinksInPath().path
        let source = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        if path != ":memory:", [source, source + "-wal", source + "-shm", source + "-journal"].contains(target) {
            throw MaintenanceError.destinationIsDatabase(path: destination)
        }
        // lstat, not stat: a symbolic link, a device or a pipe is never replaced by the file written.
        var status = stat()
        guard lstat(destination, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFREG: if !overwrite { throw MaintenanceError.destinationExists(path: destination) }
        case S_IFDIR: throw MaintenanceError.cannotWrite(path: destination, reason: "it is a folder")
        default:
            throw MaintenanceError.cannotWrite(path: destination, reason: "it is not a regular file (a link, a device or a pipe); name a new file")
        }
    }

    /// Runs `body` with a temporary path beside `path`, then renames the file it wrote to `path`.
    /// On any error the temporary file (and SQLite's side files) are removed and `path` is untouched.
    /// Without `overwrite`, a file that appeared at `path` meanwhile is not replaced either (`link` refuses it).
    static func writeAtomically(to path: String, overwrite: Bool, _ body: (String) throws -> Void) throws {
        let folder = folder(of: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MaintenanceError.cannotWrite(path: path, reason: "no such folder \(folder)")
        }
        let temporary = folder + "/." + (path as NSString).lastPathComponent + ".remit-\(UUID().uuidString).tmp"
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        do {
            try body(temporary)
        } catch let error as MaintenanceError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw error.resultCode == .SQLITE_FULL
                ? MaintenanceError.cannotWrite(path: path, reason: "the disk is full")
                : MaintenanceError.cannotWrite(path: path, reason: message(error))
        } catch {
            throw MaintenanceError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        if overwrite {
            guard rename(temporary, path) == 0 else {
                throw MaintenanceError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } else {
            guard link(temporary, path) == 0 else {
                if errno == EEXIST { throw MaintenanceError.destinationExists(path: path) }
                throw MaintenanceError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// Where an SQL dump goes: a buffer, flushed to a file every megabyte when there is one.
struct SQLDumpOutput {
    let handle: FileHandle?
    var buffer: [UInt8] = []
    /// Bytes flushed to the file so far.
    private(set) var written: Int64 = 0

    init(handle: FileHandle?) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if handle != nil, buffer.count >= 1 << 20 { try flush() }
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    mutating func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes a database as SQL text, the way the sqlite3 shell's `.dump` does.
enum SQLDump {
    /// Writes every table, its rows, `sqlite_sequence`, then indexes, views and triggers, in one transaction.
    static func write(_ db: Database, to output: inout SQLDumpOutput) throws -> SQLExportSummary {
        var summary = SQLExportSummary(tables: 0, rows: 0, bytes: 0)
        let version = try RemitDatabase.migrator.appliedMigrations(db).last ?? "none"
        try output.append("""
            -- remit database dump, schema version \(version).
            -- Load it into a new database with: sqlite3 NEW.sqlite < THIS.sql

            PRAGMA foreign_keys=OFF;
            BEGIN TRANSACTION;

            """)
        for pragma in ["user_version", "application_id"] {
            if let value = try Int.fetchOne(db, sql: "PRAGMA \(pragma)"), value != 0 {
                try output.append("PRAGMA \(pragma)=\(value);\n")
            }
        }
        let objects = try Row.fetchAll(db, sql: """
            SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid
            """).map { (type: $0["type"] as String, name: $0["name"] as String, sql: $0["sql"] as String) }
        for object in objects where object.type == "table" {
            if object.name.lowercased().hasPrefix("sqlite_") { continue }
            if object.sql.uppercased().hasPrefix("CREATE VIRTUAL TABLE") {
                throw MaintenanceError.cannotExport(reason: "the virtual table \(object.name)")
            }
            try output.append(object.sql + ";\n")
            summary.tables += 1
            summary.rows += try writeRows(of: object.name, db: db, to: &output)
        }
        if objects.contains(where: { $0.type == "table" && $0.name == "sqlite_sequence" }) {
            // SQLite creates sqlite_sequence with the first AUTOINCREMENT table; its rows keep ids from being reused.
            try output.append("DELETE FROM sqlite_sequence;\n")
            summary.tables += 1
            summary.rows += try writeRows(of: "sqlite_sequence", db: db, to: &output)
        }
        for object in objects where object.type != "table" {
            try output.append(object.sql + ";\n")
        }
        try output.append("COMMIT;\n")
        return summary
    }

    /// Writes one INSERT per row of `table`, in rowid order; returns the number of rows.
    static func writeRows(of table: String, db: Database, to output: inout SQLDumpOutput) throws -> Int {
        let quoted = table.sqlIdentifier
        // Generated columns cannot be inserted: list the stored ones when there are any.
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(quoted))")
        let stored = columns.filter { ($0["hidden"] as Int) == 0 }.map { $0["name"] as String }
        let columnList = stored.count == columns.count ? "" : "(" + stored.map(\.sqlIdentifier).joined(separator: ",") + ")"
        let selection = stored.count == columns.count ? "*" : stored.map(\.sqlIdentifier).joined(separator: ", ")
        let hasRowid = (try? db.makeStatement(sql: "SELECT rowid FROM \(quoted)")) != nil
        let statement = try db.makeStatement(sql: "SELECT \(selection) FROM \(quoted)" + (hasRowid ? " ORDER BY rowid" : ""))
        let real = try db.makeStatement(sql: "SELECT CAST(? AS REAL)")
        let prefix = "INSERT INTO \(quoted)\(columnList) VALUES("
        let handle = statement.sqliteStatement
        let count = sqlite3_column_count(handle)
        var rows = 0
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) })
            }
            try output.append(prefix)
            for index in 0..<count {
                if index > 0 { try output.append(",") }
                switch sqlite3_column_type(handle, index) {
                case SQLITE_NULL:
                    try output.append("NULL")
                case SQLITE_INTEGER:
                    try output.append(String(sqlite3_column_int64(handle, index)))
                case SQLITE_FLOAT:
                    try output.append(try realLiteral(sqlite3_column_double(handle, index), parser: real))
                case SQLITE_BLOB:
                    let blob = sqlite3_column_blob(handle, index)   // before sqlite3_column_bytes, as SQLite asks
                    let length = Int(sqlite3_column_bytes(handle, index))
                    let bytes = blob.map {
                        UnsafeBufferPointer(start: $0.assumingMemoryBound(to: UInt8.self), count: length)
                    }
                    try output.append("X'" + hex(bytes ?? UnsafeBufferPointer(start: nil, count: 0)) + "'")
                default:
                    let text = sqlite3_column_text(handle, index)
                    let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index)))
                    try output.append(textLiteral(bytes))
                }
            }
            try output.append(");\n")
            rows += 1
        }
        return rows
    }

    /// A TEXT value as an SQL literal: `'…'` with quotes doubled; text that is not valid UTF-8, or holds
    /// a NUL character, as `CAST(X'…' AS TEXT)` so that its bytes come back unchanged.
    static func textLiteral(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard !bytes.contains(0), text.utf8.elementsEqual(bytes) else { return "CAST(X'" + hex(bytes) + "' AS TEXT)" }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A REAL value as an SQL literal that SQLite reads back as the very same number.
    ///
    /// Swift's shortest round-trip spelling is tried first, checked with SQLite's own parser (`parser` is
    /// `SELECT CAST(? AS REAL)`), then 17 significant digits. Infinities are written as `1e999`, as the
    /// sqlite3 shell does; SQLite never stores NaN.
    static func realLiteral(_ value: Double, parser: Statement) throws -> String {
        if value.isInfinite { return value < 0 ? "-1e999" : "1e999" }
        if value.isNaN { return "NULL" }
        let candidates = ["\(value)", String(format: "%.17g", value), String(format: "%.17e", value)]
            .map { $0.contains(where: { ".eEn".contains($0) }) ? $0 : $0 + ".0" }
        for candidate in candidates {
            if let parsed = try Double.fetchOne(parser, arguments: [candidate]), parsed.bitPattern == value.bitPattern {
                return candidate
            }
        }
        return candidates[1]
    }

    static func hex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}

extension String {
    /// The string as a quoted SQL identifier, `"name"`, with any `"` in it doubled.
    var sqlIdentifier: String { "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
