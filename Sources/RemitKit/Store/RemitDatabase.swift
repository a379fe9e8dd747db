import Foundation
import GRDB

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

    /// Wraps a GRDB connection and migrates its schema forward.
    init(_ writer: any DatabaseWriter, path: String) throws(StoreError) {
        self.writer = writer
        self.path = path
        do {
            let known = Set(Self.migrator.migrations)
            let applied = try writer.read { db in try Self.migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
            wasCreated = applied.isEmpty
            if applied.count < known.count { try Self.migrator.migrate(writer) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.message(error))
        }
    }

    /// Opens (creating if needed) the database file at `path`, in WAL mode with a busy timeout.
    public static func open(path: String) throws(StoreError) -> RemitDatabase {
        try open(path: path, locked: false)
    }

    /// Opens `path`; `locked` says the caller already holds the creation lock.
    static func open(path: String, locked: Bool) throws(StoreError) -> RemitDatabase {
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
            pool = try DatabasePool(path: path, configuration: configuration())
        } catch {
            throw StoreError.cannotOpen(path: path, reason: message(error))
        }
        return try RemitDatabase(pool, path: path)
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
        do {
            return try RemitDatabase(try DatabaseQueue(configuration: configuration()), path: ":memory:")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: ":memory:", reason: message(error))
        }
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.label = "remit"
        config.prepareDatabase { db in
            // WAL with synchronous=NORMAL keeps every commit atomic and the file consistent after a
            // crash; a power cut may lose only the last commits. Bulk imports fsync once, at the end.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY")
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
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as DatabaseError {
            throw StoreError.sqlite(Self.message(error))
        }
    }

    /// Runs `body` on a consistent snapshot, mapping SQLite errors to ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError.sqlite(Self.message(error))
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
