import CSQLiteConfig
import Foundation
import GRDB
import GRDBSQLite

/// The remit database: one SQLite file (or memory) holding reference data, prices and provenance.
///
/// All access goes through intention-named methods; every write is one
/// transaction, so a failure leaves the database as it was.
public struct RemitDatabase: Sendable {
    /// Access to the database.
    let writer: any DatabaseWriter
    /// The path of the file, or `:memory:`.
    public let path: String
    /// Whether this open created the schema (the database was new).
    public let wasCreated: Bool
    /// Why the database is open for reading only, or `nil` when it can be written.
    public let readOnlyReason: String?

    /// Whether the database is open for reading only: every write throws ``StoreError/readOnly(path:reason:)``.
    public var isReadOnly: Bool { readOnlyReason != nil }

    /// Wraps a GRDB connection and migrates its schema forward (a read-only one cannot be migrated).
    init(_ writer: any DatabaseWriter, path: String, readOnlyReason: String? = nil) throws(StoreError) {
        self.writer = writer
        self.path = path
        self.readOnlyReason = readOnlyReason
        do {
            let known = Self.migrator.migrations
            let applied = try writer.read { db in try Self.migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
            wasCreated = applied.isEmpty
            let pending = known.filter { !applied.contains($0) }
            if !pending.isEmpty {
                if let readOnlyReason {
                    throw StoreError.readOnlyNeedsMigration(path: path, reason: readOnlyReason, pending: pending)
                }
                try Self.migrator.migrate(writer)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// The ``StoreError`` for a failure to open or migrate: ``StoreError/busy(path:seconds:)`` when another
    /// process kept the database locked past the wait, else ``StoreError/cannotOpen(path:reason:)``.
    static func openError(_ error: any Error, path: String) -> StoreError {
        if let code = (error as? DatabaseError)?.resultCode, code == .SQLITE_BUSY || code == .SQLITE_LOCKED {
            return .busy(path: path, seconds: busyTimeout)
        }
        return .cannotOpen(path: path, reason: message(error))
    }

    /// Opens (creating if needed) the database file at `path`, in WAL mode with a busy timeout.
    ///
    /// A file that cannot be written (a read-only file, folder or file system) is opened for
    /// reading only, as is any file when `readOnly` is set: nothing is created or migrated, and
    /// every write throws ``StoreError/readOnly(path:reason:)``.
    public static func open(path: String, readOnly: Bool = false) throws(StoreError) -> RemitDatabase {
        try open(path: path, locked: false, forceReadOnly: readOnly ? "it was opened read-only" : nil)
    }

    /// Builds the connection pool of a writable database; tests replace it to simulate a failure.
    typealias PoolFactory = (_ path: String, _ configuration: Configuration) throws -> DatabasePool

    /// Opens `path`; `locked` says the caller already holds the creation lock.
    ///
    /// - Parameters:
    ///   - forceReadOnly: open for reading only, for this reason.
    ///   - maxPageCount: the largest the file may grow, in pages (see ``environmentMaxPageCount``).
    ///   - makePool: opens the file for writing.
    static func open(
        path: String, locked: Bool, forceReadOnly: String? = nil, maxPageCount: Int? = environmentMaxPageCount,
        makePool: PoolFactory = { path, configuration in try DatabasePool(path: path, configuration: configuration) }
    ) throws(StoreError) -> RemitDatabase {
        _ = processSetUp
        if let forceReadOnly { return try openReadOnly(path: path, reason: forceReadOnly) }
        if let reason = unwritableReason(path) { return try openReadOnly(path: path, reason: reason) }
        try refuseNewerSchema(path)
        try createFolder(for: path)
        // Creating or migrating the schema is done by one process at a time: a lock file beside
        // the database serialises first runs started together (SQLite's own locks cannot, since
        // switching a new file to WAL and creating tables are separate steps).
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let isEmpty = ((attributes?[.size] as? NSNumber)?.int64Value ?? 0) == 0
        let lock = isEmpty && !locked ? try CreationLock(path: path + ".lock") : nil
        defer { lock?.release() }
        let pool: DatabasePool
        do {
            pool = try makePool(path, configuration(maxPageCount: maxPageCount))
        } catch {
            // The checks above cannot see everything (an ACL, a read-only mount seen only by SQLite):
            // an existing database that SQLite cannot open for writing is still opened for reading.
            let code = (error as? DatabaseError)?.resultCode
            if !isEmpty, let code, [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH].contains(code) {
                return try openReadOnly(path: path, reason: "it cannot be opened for writing (\(message(error)))")
            }
            throw openError(error, path: path)
        }
        return try RemitDatabase(pool, path: path)
    }

    /// Throws ``StoreError/newerSchema(path:unknownMigrations:)`` for a database written by a newer remit,
    /// before anything opens it for writing: opening a pool writes to the file (GRDB creates and drops a
    /// table to start the write-ahead log), and such a database must be left exactly as it is.
    ///
    /// The file is read as immutable (no lock, no side file), which is exact only when no write-ahead log
    /// holds changes: otherwise, or if the probe fails, the check is left to ``init(_:path:readOnlyReason:)``
    /// (GRDB writes nothing to a database whose log is not empty).
    static func refuseNewerSchema(_ path: String) throws(StoreError) {
        func size(_ file: String) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0
        }
        guard size(path) > 0, size(path + "-wal") == 0 else { return }
        var config = Configuration()
        config.readonly = true
        guard let queue = try? DatabaseQueue(path: immutableURI(path), configuration: config) else { return }
        defer { try? queue.close() }
        guard let applied = try? queue.read({ db in try migrator.appliedIdentifiers(db) }) else { return }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
    }

    /// Why the existing file at `path` cannot be written, or `nil` when it can (or does not exist).
    ///
    /// In WAL mode SQLite writes two files beside the database, `-wal` and `-shm`: a writable file in
    /// a folder where they cannot be created cannot be written either. (A process running as root
    /// passes these checks on any local file whatever its permissions; only a read-only file system stops it.)
    static func unwritableReason(_ path: String) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        if access(path, W_OK) != 0 {
            let code = errno
            switch code {
            case EROFS: return "it is on a read-only file system"
            case EACCES, EPERM: return "this user may not write the file"
            default: return "the file is not writable: \(String(cString: strerror(code)))"
            }
        }
        let folder = folder(of: path)
        if access(folder, W_OK) != 0 {
            let code = errno
            if access(path + "-wal", W_OK) != 0 || access(path + "-shm", W_OK) != 0 {
                return code == EROFS ? "it is on a read-only file system"
                    : "its folder \(folder) is not writable, and SQLite needs to create its -wal and -shm files there"
            }
        }
        return nil
    }

    /// The folder holding `path` (`.` for a bare file name).
    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Opens the existing file at `path` for reading only; `reason` says why, in error messages.
    ///
    /// A database in WAL mode is read through its `-shm` file, which SQLite creates beside it. When that
    /// is impossible too (a read-only folder or file system), the file is opened as immutable, which SQLite
    /// reads without any lock or side file. That is safe only when no write-ahead log holds changes not yet
    /// in the file, so such a database is refused.
    static func openReadOnly(path: String, reason: String) throws(StoreError) -> RemitDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "no such database file (it is opened read-only, so it is not created)")
        }
        try refuseNewerSchema(path)
        var config = configuration(maxPageCount: nil)
        config.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
            let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber
            guard (log?.int64Value ?? 0) == 0 else {
                throw StoreError.cannotOpen(path: path, reason: "it is read-only (\(reason)) and its write-ahead log \(path)-wal "
                    + "holds changes not yet in the file; open it once where it can be written, so that SQLite moves them in")
            }
            do {
                queue = try DatabaseQueue(path: immutableURI(path), configuration: config)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: message(error))
            }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: message(error))
        }
        return try RemitDatabase(queue, path: path, readOnlyReason: reason)
    }

    /// `path` as an SQLite URI that opens it read-only and immutable (`file:/…?mode=ro&immutable=1`).
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:" + encoded + "?mode=ro&immutable=1"
    }

    /// Creates the folder that will hold `path`, if missing.
    static func createFolder(for path: String) throws(StoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "cannot create the folder \(directory)")
        }
    }

    /// A new, empty database in memory (for tests and dry runs), with reference data seeded.
    public static func inMemory() throws(StoreError) -> RemitDatabase {
        _ = processSetUp
        do {
            return try RemitDatabase(try DatabaseQueue(configuration: configuration()), path: ":memory:")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: ":memory:", reason: message(error))
        }
    }

    /// `REMIT_MAX_PAGE_COUNT`: a testing aid that caps the database file at this many pages
    /// (`PRAGMA max_page_count`), so that tests can make the database "full" without filling a disk.
    static var environmentMaxPageCount: Int? {
        ProcessInfo.processInfo.environment["REMIT_MAX_PAGE_COUNT"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// How long a command waits for another process's write to finish, in seconds: 30, or
    /// `REMIT_BUSY_TIMEOUT` (a testing aid, so that tests need not wait half a minute).
    static var busyTimeout: Int {
        ProcessInfo.processInfo.environment["REMIT_BUSY_TIMEOUT"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 30
    }

    /// SQLite settings for the whole process, made once before the first connection opens: memory
    /// statistics off (each of the millions of allocations a bulk import makes took a global mutex
    /// to count itself). If SQLite was started already (a host app, a test), it stays as it was.
    static let processSetUp: Void = { _ = remit_sqlite_disable_memstatus() }()

    /// The page cache of a connection: 8 MiB (a negative `cache_size` is in KiB).
    static let cacheSize = -8192

    /// The page size of a new database file, in bytes.
    static let pageSize = 65_536

    static func configuration(maxPageCount: Int? = environmentMaxPageCount) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(TimeInterval(busyTimeout))
        config.label = "remit"
        config.prepareDatabase { db in
            // WAL with synchronous=NORMAL keeps every commit atomic and the file consistent after a
            // crash; a power cut may lose only the last commits. Bulk imports fsync once, at the end.
            // 64 KiB pages (SQLite's largest) for a new database; an existing one keeps its own (SQLite
            // ignores this then). Survey tables hold millions of small rows, read in ranges: bigger pages
            // mean shallower B-trees, fewer page splits and fewer, larger writes. An RPW import is about
            // a quarter faster than with 4 KiB pages and 5-10 % faster than with 16 KiB; reports and
            // `remit compare` take the same time (docs/performance.md).
            // Set first: a page size set after the cache size would resize the cache with it.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = MEMORY")
            if let maxPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)") }
        }
        return config
    }

    /// The schema's migrations, oldest first.
    ///
    /// A new database gets the whole current schema (`schema.sql`) from "v1"; every later
    /// migration brings a database made by an older remit up to the same schema, and does
    /// nothing where its objects already exist. SchemaTests prove that a stored version-1
    /// database, migrated, has exactly the schema of a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: Embedded.schema)
            try seedReferenceData(db)
        }
        // remit 0.2: bilateral remittance flows, for flow-weighted report averages.
        migrator.registerMigration("v2-remittance-flow") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS remittance_flow (
                    sending_country   TEXT NOT NULL REFERENCES country (alpha2),
                    receiving_country TEXT NOT NULL REFERENCES country (alpha2),
                    year              INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
                    usd_amount        INTEGER NOT NULL CHECK (usd_amount >= 0),
                    batch_id          INTEGER REFERENCES import_batch (id) ON DELETE CASCADE,
                    PRIMARY KEY (sending_country, receiving_country, year),
                    CHECK (sending_country <> receiving_country)
                ) STRICT, WITHOUT ROWID
                """)
        }
        return migrator
    }

    /// Inserts every ISO 4217 currency and ISO 3166 country.
    static func seedReferenceData(_ db: Database) throws {
        let currency = try db.makeStatement(sql: "INSERT INTO currency (code, name, minor_units) VALUES (?, ?, ?)")
        for entry in ReferenceData.currencies {
            try currency.execute(arguments: [entry.code, entry.name, entry.minorUnits])
        }
        let country = try db.makeStatement(sql: "INSERT INTO country (alpha2, alpha3, name, currency_code) VALUES (?, ?, ?, ?)")
        for entry in ReferenceData.countries {
            try country.execute(arguments: [entry.alpha2, entry.alpha3, entry.name, entry.currency])
        }
    }

    /// Runs `body` in one write transaction, mapping SQLite errors to ``StoreError``.
    ///
    /// A read-only database throws ``StoreError/readOnly(path:reason:)`` before anything runs; a full disk
    /// (or the size limit) throws ``StoreError/full(path:file:)``, the transaction rolled back.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let readOnlyReason { throw StoreError.readOnly(path: path, reason: readOnlyReason) }
        do {
            return try writer.write(body)
        } catch let error as DatabaseError {
            throw storeError(error)
        }
    }

    /// One write transaction for an import, with the connection's settings restored after it, however it ends.
    ///
    /// Bulk loads relax what SQLite checks per row, for rows whose validity they guarantee themselves:
    /// with `foreignKeys` false, foreign keys are not enforced for the whole transaction (`PRAGMA
    /// foreign_keys` cannot change inside one), and the RPW writer turns off CHECK evaluation and
    /// enlarges the page cache inside it. Nothing in `body` may then rely on `ON DELETE` actions. All
    /// three are put back here, after the commit or the rollback, so no later write runs relaxed.
    func importTransaction<T>(foreignKeys: Bool, _ body: (Database) throws -> T) throws -> T {
        if let readOnlyReason { throw StoreError.readOnly(path: path, reason: readOnlyReason) }
        do {
            return try writer.writeWithoutTransaction { db in
                if !foreignKeys { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                let outcome = Result(catching: { () throws -> T in
                    var value: T?
                    try db.inTransaction(.immediate) {
                        value = try body(db)
                        return .commit
                    }
                    guard let value else { throw StoreError.corrupt("a write transaction ended without a result") }
                    return value
                })
                try db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF; PRAGMA cache_size = \(Self.cacheSize)")
                return try outcome.get()
            }
        } catch let error as DatabaseError {
            throw storeError(error)
        }
    }

    /// The write transaction of an import of `file` (see ``importTransaction(foreignKeys:_:)``): a full database
    /// says that nothing of the file was imported. With `bulk`, foreign keys are not enforced.
    func write<T>(importing file: String, bulk: Bool = false, _ body: (Database) throws -> T) throws -> T {
        do {
            return try importTransaction(foreignKeys: !bulk, body)
        } catch StoreError.full(let path, nil) {
            throw StoreError.full(path: path, file: file)
        }
    }

    /// Runs `body` on a consistent snapshot, mapping SQLite errors to ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw storeError(error)
        }
    }

    /// The ``StoreError`` for an SQLite error on this database.
    func storeError(_ error: DatabaseError) -> StoreError {
        switch error.resultCode {
        case .SQLITE_FULL: .full(path: path, file: nil)
        case .SQLITE_BUSY, .SQLITE_LOCKED: .busy(path: path, seconds: Self.busyTimeout)
        case .SQLITE_READONLY: .readOnly(path: path, reason: readOnlyReason ?? Self.message(error))
        default: .sqlite(Self.message(error))
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}

/// An exclusive advisory lock (`flock`) on a file, held while a database is created.
final class CreationLock {
    private let descriptor: Int32

    init(path: String) throws(StoreError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: "cannot create the lock file (\(String(cString: strerror(errno))))")
        }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
