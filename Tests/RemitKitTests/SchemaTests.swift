import Foundation
import GRDB
import Testing
@testable import RemitKit

@Suite("Schema and embedded resources")
struct SchemaTests {
    /// The schema objects of a database, without SQLite's and GRDB's own.
    func objects(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY type, name
            """).map { "\($0["type"] as String) \($0["name"] as String) \($0["tbl_name"] as String)\n\($0["sql"] as String? ?? "")" }
    }

    @Test("schema.sql and the library's migrator produce the identical schema")
    func identicalSchema() throws {
        let text = try String(contentsOf: T.root.appendingPathComponent("schema.sql"), encoding: .utf8)
        let fromFile = try DatabaseQueue()
        try fromFile.write { db in try db.execute(sql: text) }
        let library = try RemitDatabase.inMemory()
        let expected = try fromFile.read(objects)
        let actual = try library.read(objects)
        #expect(expected.count >= 15)
        #expect(actual == expected)
    }

    /// `objects`, with comments, `IF NOT EXISTS` and runs of white space removed: the same schema written differently.
    func normalizedObjects(_ db: Database) throws -> [String] {
        try objects(db).map { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line) }
                .joined(separator: " ")
                .replacingOccurrences(of: "IF NOT EXISTS ", with: "")
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
        }
    }

    @Test("A database made by schema version 1 (fixtures/db/remit-v1.sqlite) is migrated to the current schema, its data kept")
    func migratesVersionOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        try FileManager.default.copyItem(atPath: fixture("db/remit-v1.sqlite"), toPath: path)
        let before = try DatabaseQueue(path: path)
        let oldMigrations = try before.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        let oldTables = try before.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        let observations = try before.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM price_observation") }
        try before.close()
        #expect(oldMigrations == ["v1"])
        #expect(!oldTables.contains("remittance_flow"))

        let migrated = try RemitDatabase.open(path: path)
        let fresh = try RemitDatabase.inMemory()
        #expect(try migrated.read(normalizedObjects) == fresh.read(normalizedObjects))
        #expect(try migrated.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM price_observation") } == observations)
        #expect(try migrated.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            == ["v1", "v2-remittance-flow"])
        #expect(try migrated.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        #expect(!migrated.wasCreated)
    }

    @Test("The embedded copies equal the files in the repository (run scripts/generate-embedded.py)", arguments: [
        (Embedded.schemaPath, Embedded.schema),
        (Embedded.sampleSchedulesPath, Embedded.sampleSchedules),
        (Embedded.sampleRatesPath, Embedded.sampleRates),
    ])
    func embeddedIsCurrent(path: String, embedded: String) throws {
        let onDisk = try String(contentsOf: T.root.appendingPathComponent(path), encoding: .utf8)
        #expect(embedded == onDisk, "\(path) changed: run python3 scripts/generate-embedded.py")
    }

    @Test("The schema enforces its rules: STRICT types, CHECKs and foreign keys")
    func constraints() throws {
        let database = try RemitDatabase.inMemory()
        try database.writer.write { (db: Database) throws -> Void in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO currency VALUES ('usd', 'x', 2)") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO currency VALUES ('ABC', 'x', 'two')") }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO provider (name, firm_type) VALUES ('X', 'bakery')")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO corridor (sending_country, receiving_country, send_currency, receive_currency) VALUES ('US', 'ZZ', 'USD', 'MXN')")
            }
            // A domestic corridor must not exchange currencies.
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO corridor (sending_country, receiving_country, send_currency, receive_currency) VALUES ('KE', 'KE', 'KES', 'USD')")
            }
            try db.execute(sql: "INSERT INTO corridor (sending_country, receiving_country, send_currency, receive_currency) VALUES ('KE', 'KE', 'KES', 'KES')")
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO reference_rate (base_currency, quote_currency, rate_date, rate, source) VALUES ('USD', 'MXN', '2026-02-30', '18', 'x')")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO reference_rate (base_currency, quote_currency, rate_date, rate, source) VALUES ('USD', 'MXN', '2026-02-03', 'abc', 'x')")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO price_observation (service_id, period, amount, fee, reference_rate) VALUES (1, '2025-3Q', 100, 1, '1')")
            }
        }
    }

    @Test("Reference data is seeded: every current currency and country")
    func seeded() throws {
        let database = try RemitDatabase.inMemory()
        let (yen, dinar, senegal, countries) = try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT minor_units FROM currency WHERE code = 'JPY'"),
             try Int.fetchOne(db, sql: "SELECT minor_units FROM currency WHERE code = 'KWD'"),
             try String.fetchOne(db, sql: "SELECT currency_code FROM country WHERE alpha2 = 'SN'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM country") ?? 0)
        }
        #expect(yen == 0)
        #expect(dinar == 3)
        #expect(senegal == "XOF")
        #expect(countries >= 249)
    }

    @Test("Views answer the common questions in one SELECT")
    func views() throws {
        let database = try RemitDatabase.inMemory()
        try database.loadSample()
        let (services, rate, quotes) = try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM service_overview WHERE sending_country = 'US' AND receiving_country = 'MX'"),
             try String.fetchOne(db, sql: "SELECT CAST(rate AS TEXT) FROM latest_reference_rate WHERE base_currency = 'USD' AND quote_currency = 'MXN'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM latest_exchange_quote") ?? 0)
        }
        #expect(services == 12)
        #expect(rate == "18.3152")
        #expect(quotes > 50)
    }
}
