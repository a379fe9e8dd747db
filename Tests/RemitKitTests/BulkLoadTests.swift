import CSQLiteConfig
import Foundation
import GRDB
import Testing
@testable import RemitKit

/// The RPW bulk path writes prices without SQLite's CHECK and foreign-key evaluation (docs/performance.md):
/// these tests hold it to what those checks guarantee, and check the pipeline's ordering across chunks.
@Suite("RPW bulk load: the schema's rules held in Swift, chunks, hashes")
struct BulkLoadTests {
    // MARK: - PriceObservationRules against the schema's CHECK constraints

    /// Which Swift rule stands for which column's CHECK.
    enum Rule: String, CaseIterable, Sendable {
        case period, offered_rate, reference_rate, fx_margin_percent, total_cost_percent, observed_on

        func accepts(_ text: String?) -> Bool {
            guard var text else { return accepts(nil as UnsafeBufferPointer<UInt8>?) }
            return text.withUTF8 { accepts($0) }
        }

        private func accepts(_ bytes: UnsafeBufferPointer<UInt8>?) -> Bool {
            switch self {
            case .period: PriceObservationRules.isPeriod(bytes)
            case .offered_rate, .reference_rate: PriceObservationRules.isRate(bytes)
            case .fx_margin_percent, .total_cost_percent: PriceObservationRules.isPercent(bytes)
            case .observed_on: PriceObservationRules.isDate(bytes)
            }
        }
    }

    static let periods = ["2025_3Q", "1000_1Q", "2999_4Q", "3000_1Q", "0999_1Q", "2025_5Q", "2025_0Q", "2025-3Q", "2025_3q",
                          "225_3Q", "20251_3Q", "2025_3QQ", "", "2025_3Q "]
    static let rates = ["1", "0", "0.5", "1.2.3", "0.0.5", ".", "", "-1", "1e5", " 1", "17.2345", "00", "0.000000000000000001",
                        "..5", ".5", "5.", "0.", "1,5", "0.0", "000.0001"]
    static let percents = ["-0.38", "-", ".", "1-", "--1", "0", "", "1.5.5", "a", "1e2", "+1", "12", "-.5", "4.000020"]
    static let dates = ["2025-02-28", "2025-02-31", "2024-02-29", "2023-02-29", "2025-13-01", "0001-01-01", "0000-01-01",
                        "0000-02-29", "2025-1-01", "2025-01-01T00", "9999-12-31", "2025/01/01", "2000-02-29", "1900-02-29",
                        "2025-00-10", "2025-04-31", ""]

    static let cases: [(Rule, String?)] =
        periods.map { (.period, $0) }
        + (rates.map(Optional.some) + [nil]).flatMap { [(Rule.offered_rate, $0), (Rule.reference_rate, $0)] }
        + (percents.map(Optional.some) + [nil]).flatMap { [(Rule.fx_margin_percent, $0), (Rule.total_cost_percent, $0)] }
        + (dates.map(Optional.some) + [nil]).map { (.observed_on, $0) }

    @Test("Each Swift rule accepts exactly what the column's CHECK in schema.sql accepts", arguments: cases)
    func rulesMatchSchema(rule: Rule, text: String?) throws {
        let database = try RemitDatabase.inMemory()
        let stored = try database.write { db -> Bool in
            try db.execute(sql: """
                INSERT INTO import_batch (id, file_name, sha256, format, row_count, rejected_count, imported_at)
                    VALUES (1, 'f', '\(String(repeating: "a", count: 64))', 'rpw', 0, 0, '2026-01-01T00:00:00Z');
                INSERT INTO provider (id, name, firm_type, is_formal) VALUES (1, 'P', 'bank', 1);
                INSERT INTO corridor (id, sending_country, receiving_country, send_currency, receive_currency)
                    VALUES (1, 'US', 'MX', 'USD', 'MXN');
                INSERT INTO service (id, provider_id, corridor_id, name, funding_method, payout_method, speed, is_transparent,
                                     requires_bank_account) VALUES (1, 1, 1, 'S', 'cash', 'cash', 'same-day', 1, 0);
                """)
            var values: [String: DatabaseValue] = [
                "period": "2025_3Q".databaseValue, "offered_rate": "17.5".databaseValue, "reference_rate": "18".databaseValue,
                "fx_margin_percent": "2.7".databaseValue, "total_cost_percent": "5.2".databaseValue,
                "observed_on": "2025-07-15".databaseValue,
            ]
            values[rule.rawValue] = text?.databaseValue ?? .null
            do {
                try db.execute(sql: """
                    INSERT INTO price_observation (service_id, period, amount, fee, offered_rate, reference_rate, fx_margin_percent,
                                                   total_cost_percent, observed_on, batch_id)
                    VALUES (1, :period, 20000, 500, :offered_rate, :reference_rate, :fx_margin_percent, :total_cost_percent,
                            :observed_on, 1)
                    """, arguments: StatementArguments(values))
                return true
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                return false
            }
        }
        #expect(rule.accepts(text) == stored, "\(rule.rawValue) = \(text.map { "'\($0)'" } ?? "NULL"): SQLite \(stored ? "accepts" : "refuses")")
    }

    // MARK: - FixedDecimal's text

    @Test("FixedDecimal writes the shortest plain text of its value, which parses back to the same value")
    func fixedDecimalText() {
        var generator = SystemRandomNumberGenerator()
        let edges: [(Int64, Int)] = [(0, 0), (0, 5), (5, 3), (-5, 3), (120, 1), (-1200, 2), (Int64.max, 0), (Int64.min, 0),
                                     (Int64.min, 18), (Int64.max, 18), (1, 18), (-1, 18), (100, 2), (-100, 2),
                                     (1, 40), (-123, 45), (Int64.min, 60)]
        let random = (0..<5_000).map { _ in
            (Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator),
             Int.random(in: 0...18, using: &generator))
        }
        for (units, scale) in edges + random {
            let value = FixedDecimal(units: units, scale: scale)
            let text = value.description
            // The reference: the integer's digits, a point `scale` places from the right, trailing zeros dropped.
            var digits = String(units.magnitude)
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            var expected = scale > 0 ? String(digits.dropLast(scale)) + "." + String(digits.suffix(scale)) : digits
            if scale > 0 {
                while expected.hasSuffix("0") { expected.removeLast() }
                if expected.hasSuffix(".") { expected.removeLast() }
            }
            if units < 0 { expected = "-" + expected }
            #expect(text == expected, "\(units) scale \(scale)")
            var bytes: [UInt8] = [0x41]
            value.write(to: &bytes)
            #expect(bytes == [0x41] + Array(text.utf8), "write(to:) appends the same text")
            if units.magnitude < 1_000_000_000_000_000_000, scale <= 18 {   // what the parser keeps exactly
                let parsed = text.utf8.withContiguousStorageIfAvailable { FixedDecimal(bytes: $0) } ?? nil
                #expect(parsed?.decimalValue == value.decimalValue, "\(text) parses back")
            }
        }
    }

    @Test("Periods and dates write the same text as their description, straight into bytes")
    func periodAndDateText() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = try #require(CalendarDate(dayNumber: Int.random(in: -719_162...2_932_896, using: &generator)))
            let period = try #require(Period(year: Int.random(in: Period.years, using: &generator), quarter: Int.random(in: 1...4, using: &generator)))
            var bytes: [UInt8] = []
            date.write(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(format: "%04d-%02d-%02d", date.year, date.month, date.day))
            bytes = []
            period.write(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "\(period.year)_\(period.quarter)Q")
        }
    }

    // MARK: - The import path

    /// An RPW file of `rows` rows built from the new-layout fixture's first row, one service each
    /// (firm `Firm 00001`…); `edit` may change a row's fields (index 0 is the `id` column).
    static func writeFile(rows: Int, in folder: URL, name: String = "many.csv",
                          edit: (_ row: Int, _ fields: inout [String]) -> Void = { _, _ in }) throws -> String {
        let lines = try String(contentsOfFile: fixture("rpw/rpw-new-layout.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let template = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var text = lines[0] + "\n"
        for row in 1...rows {
            var fields = template
            fields[0] = String(5000 + row)
            fields[14] = "Firm \(String(format: "%05d", row))"
            edit(row, &fields)
            text += fields.joined(separator: ",") + "\n"
        }
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("Invalid and duplicate rows across many chunks: rejected in file order, or the whole import refused")
    func chunkBoundaries() throws {
        let temp = try TemporaryDatabase()
        // 1,500 data rows (lines 2–1,501): three chunks of 512 and one more. Line 601 has a bad fee, line 1,101 an
        // unknown country, line 1,201 repeats line 701's service.
        let path = try Self.writeFile(rows: 1_500, in: temp.folder) { row, fields in
            if row == 600 { fields[22] = "6OO" }
            if row == 1_100 { fields[8] = "XXX" }
            if row == 1_200 { fields[14] = "Firm 00700" }
        }
        let source = ImportSource(path: path, format: .rpw)
        let empty = try temp.snapshot()

        do {
            _ = try temp.database.importFile(source)
            Issue.record("an import with invalid rows committed")
        } catch let ImportError.invalidRows(errors, more) {
            // Duplicates are found by the database's UNIQUE index, so once a row has failed (nothing more is
            // written) only the rows' own errors are listed: the duplicate shows once these are fixed.
            #expect(errors.map { "\($0)" }.map { $0.split(separator: ":").dropFirst().first.map(String.init) ?? "" }
                    == ["601", "1101"])
            #expect(!more)
        }
        #expect(try temp.snapshot() == empty)

        #expect(throws: ImportError.tooManyErrors(file: path, limit: 2)) {
            try temp.database.importFile(source, options: ImportOptions(skipInvalid: true, maxErrors: 2))
        }
        #expect(try temp.snapshot() == empty)

        let report = try temp.database.importFile(source, options: ImportOptions(skipInvalid: true))
        #expect(report.rows == 1_500)
        #expect(report.imported == 1_497)
        #expect(report.rejected.map(\.line) == [601, 1_101, 1_201])
        #expect(report.rejected.last?.error == .duplicate(SourceLocation(file: path, line: 1_201), firstLine: 701))
        #expect(report.rejected.last?.fields[14] == "Firm 00700", "a refused row keeps its fields for the rejects file")
        #expect(report.rejected.last?.fields.count == 42)
        #expect(report.observations == 2 * 1_497)
        let stored = try temp.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM price_observation") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT source_line) FROM price_observation") ?? -1,
             try String.fetchOne(db, sql: "SELECT sha256 FROM import_batch") ?? "")
        }
        #expect(stored.0 == 2 * 1_497)
        #expect(stored.1 == 1_497)
        #expect(stored.2 == (try source.sha256()?.hash), "the batch records the file's real hash, not the placeholder")
    }

    @Test("A file imported before is 'already imported' even when its rows would now fail for other reasons")
    func alreadyImportedWins() throws {
        let temp = try TemporaryDatabase()
        let path = try Self.writeFile(rows: 600, in: temp.folder) { row, fields in
            if row == 1 { fields[22] = "6OO" }
        }
        let source = ImportSource(path: path, format: .rpw)
        let first = try temp.database.importFile(source, options: ImportOptions(skipInvalid: true))
        let before = try temp.snapshot()
        // A row error (line 2), then duplicates of the first import (line 3 on): the hash decides first, even when
        // it comes after the whole file has been read (held back here), or before the first row.
        for delay in [0.0, 1.0] {
            for options in [ImportOptions(), ImportOptions(skipInvalid: true), ImportOptions(maxErrors: 1)] {
                #expect(throws: ImportError.alreadyImported(file: path, batch: first.batchID)) {
                    try temp.database.importFile(source, options: options, progress: nil, isCancelled: nil,
                                                 beforeHashing: { Thread.sleep(forTimeInterval: delay) })
                }
                #expect(try temp.snapshot() == before)
            }
        }
        // A new file whose hash comes last still imports, and records its hash.
        let other = try Self.writeFile(rows: 600, in: temp.folder, name: "other.csv") { _, fields in fields[1] = "2024_3Q" }
        let report = try temp.database.importFile(ImportSource(path: other, format: .rpw), options: ImportOptions(),
                                                  progress: nil, isCancelled: nil,
                                                  beforeHashing: { Thread.sleep(forTimeInterval: 0.4) })
        #expect(report.imported == 600)
        #expect(try temp.database.batches().last?.sha256 == (try ImportSource(path: other, format: .rpw).sha256()?.hash))
    }

    @Test("A period past 2999 (beyond the schema's CHECK) is an invalid row, never stored")
    func periodBeyondSchema() throws {
        let temp = try TemporaryDatabase()
        let path = try Self.writeFile(rows: 3, in: temp.folder) { row, fields in
            if row == 2 { fields[1] = "3000_1Q" }
        }
        #expect(throws: ImportError.invalidRows([
            .invalidValue(SourceLocation(file: path, line: 3, column: 2, field: "period"),
                          expected: "a period such as 2025_3Q", found: "3000_1Q"),
        ], more: false)) {
            try temp.database.importFile(ImportSource(path: path, format: .rpw))
        }
    }

    @Test("After bulk imports, failed or not, every CHECK and foreign key holds and the connection enforces them again")
    func constraintsHold() throws {
        let temp = try TemporaryDatabase()
        for file in ["rpw/rpw-new-layout.csv", "rpw/rpw-old-layout.csv", "rpw/rpw-tricky.csv", "rpw/rpw-variants.csv"] {
            _ = try temp.database.importFile(ImportSource(path: fixture(file), format: .rpw))
        }
        _ = try temp.database.importFile(ImportSource(path: fixture("rpw/rpw-new-layout.csv"), format: .rpw),
                                         options: ImportOptions(replace: true))
        // Last, two imports that fail inside the bulk path: one with foreign keys off, one (--replace) with them on.
        for options in [ImportOptions(), ImportOptions(replace: true)] {
            #expect(throws: ImportError.self) {
                try temp.database.importFile(ImportSource(path: fixture("rpw/bad/duplicate-row.csv"), format: .rpw), options: options)
            }
        }
        let checks = try temp.database.read { db in
            (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM price_observation") ?? 0)
        }
        #expect(checks.0 == ["ok"], "integrity_check evaluates every CHECK constraint")
        #expect(checks.1 == 0)
        #expect(checks.2 > 20)
        // The writing connection enforces foreign keys and CHECKs again.
        let state = try temp.database.write { db in
            func fails(_ sql: String) -> Bool {
                do { try db.execute(sql: sql); return false } catch { return true }
            }
            return (pragmas: [try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), try Bool.fetchOne(db, sql: "PRAGMA ignore_check_constraints"),
                              try Int.fetchOne(db, sql: "PRAGMA cache_size") == -8192],
                    foreignKey: fails("INSERT INTO price_observation (service_id, period, amount, fee) VALUES (999999, '2025_3Q', 1, 0)"),
                    check: fails("INSERT INTO price_observation (service_id, period, amount, fee) "
                                 + "VALUES ((SELECT min(id) FROM service), '3000_1Q', 1, 0)"))
        }
        #expect(state.pragmas == [true, false, true], "foreign keys on, CHECKs evaluated, the usual 8 MiB page cache")
        #expect(state.foreignKey, "a price of a missing service is refused")
        #expect(state.check, "a period the CHECK refuses is refused")
    }

    @Test("A database that fills up during the price inserts says it is full, and is left as it was")
    func fullDuringPrices() throws {
        let temp = try TemporaryDatabase()
        // One service, 4,000 prices: the services fit in the room left, the prices do not.
        let path = try Self.writeFile(rows: 4_000, in: temp.folder) { row, fields in
            fields[14] = "One Firm"
            fields[19] = String(25_800 + row)
            fields[26] = String(64_500 + row)
        }
        let pages = try temp.database.check().pageCount
        let before = try temp.snapshot()
        let limited = try RemitDatabase.open(path: temp.path, locked: false, maxPageCount: pages + 3)
        #expect(throws: StoreError.full(path: temp.path, file: path)) {
            try limited.importFile(ImportSource(path: path, format: .rpw))
        }
        #expect(try temp.snapshot() == before)
        #expect(try limited.check().isHealthy)
    }

    @Test("Rows read before a broken line still count: their errors reach the limit first, as with one thread")
    func errorsBeforeSyntaxError() throws {
        let temp = try TemporaryDatabase()
        let good = try Self.writeFile(rows: 30, in: temp.folder) { row, fields in
            if (1...10).contains(row) { fields[22] = "6OO" }
        }
        // Line 21 opens a quote that never closes.
        var lines = try String(contentsOfFile: good, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[20] = lines[20].replacingOccurrences(of: "Firm 00020", with: "\"Firm 00020")
        let path = temp.folder.appendingPathComponent("broken.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let before = try temp.snapshot()
        #expect { try temp.database.importFile(ImportSource(path: path, format: .rpw)) } throws: { error in
            guard case let .invalidRows(errors, true) = error as? ImportError else { return false }
            return errors.count == 10 && "\(errors[0])".contains("broken.csv:2:23 (cc1 lcu fee)")
        }
        // With room for more errors, the broken line stops the import.
        #expect { try temp.database.importFile(ImportSource(path: path, format: .rpw), options: ImportOptions(maxErrors: 50)) } throws: { error in
            guard case .syntax = error as? ImportError else { return false }
            return "\(error)".contains("broken.csv:21")
        }
        #expect(try temp.snapshot() == before)
    }

    @Test("A row whose second price is a duplicate is set aside whole: its first price is taken out again")
    func secondPointDuplicate() throws {
        let temp = try TemporaryDatabase()
        // Row 2 repeats row 1's service and period with another USD 200 amount but the same USD 500 amount.
        let path = try Self.writeFile(rows: 3, in: temp.folder) { row, fields in
            if row == 2 {
                fields[14] = "Firm 00001"
                fields[19] = "25900"
            }
        }
        let report = try temp.database.importFile(ImportSource(path: path, format: .rpw), options: ImportOptions(skipInvalid: true))
        #expect(report.rejected.map(\.line) == [3])
        #expect(report.rejected.first?.error == .duplicate(SourceLocation(file: path, line: 3), firstLine: 2))
        #expect(report.observations == 4)
        let stored = try temp.database.read { db in
            try Int.fetchAll(db, sql: "SELECT source_line FROM price_observation ORDER BY source_line, amount")
        }
        #expect(stored == [2, 2, 4, 4])
    }

    @Test("Several duplicates in one chunk (adjacent, a second price, the chunk's last row): each set aside, every other row written")
    func duplicatesWithinOneChunk() throws {
        let temp = try TemporaryDatabase()
        // One chunk of 20 rows, written with one INSERT ... SELECT that stops at each refused price and resumes after it.
        // Rows 5 and 6 repeat rows 1 and 2; row 10 repeats row 9's USD 500 price only; row 20 repeats row 19.
        let path = try Self.writeFile(rows: 20, in: temp.folder) { row, fields in
            switch row {
            case 5: fields[14] = "Firm 00001"
            case 6: fields[14] = "Firm 00002"
            case 10:
                fields[14] = "Firm 00009"
                fields[19] = "25900"
            case 20: fields[14] = "Firm 00019"
            default: break
            }
        }
        let report = try temp.database.importFile(ImportSource(path: path, format: .rpw), options: ImportOptions(skipInvalid: true))
        #expect(report.rejected.map(\.line) == [6, 7, 11, 21])
        #expect(report.rejected.map(\.error) == [
            .duplicate(SourceLocation(file: path, line: 6), firstLine: 2), .duplicate(SourceLocation(file: path, line: 7), firstLine: 3),
            .duplicate(SourceLocation(file: path, line: 11), firstLine: 10), .duplicate(SourceLocation(file: path, line: 21), firstLine: 20),
        ])
        #expect(report.imported == 16)
        #expect(report.observations == 32)
        let stored = try temp.database.read { db in
            try Int.fetchAll(db, sql: "SELECT source_line FROM price_observation ORDER BY source_line, amount")
        }
        let expected = (2...21).filter { ![6, 7, 11, 21].contains($0) }.flatMap { [$0, $0] }
        #expect(stored == expected)

        // All or nothing: the first duplicate fails the import, and nothing is written.
        let second = try TemporaryDatabase()
        let empty = try second.snapshot()
        let copy = second.folder.appendingPathComponent("copy.csv").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(throws: ImportError.self) { try second.database.importFile(ImportSource(path: copy, format: .rpw)) }
        #expect(try second.snapshot() == empty)
    }

    @Test("An import counts only the services it adds, not those an earlier batch brought")
    func servicesCountedOnce() throws {
        let temp = try TemporaryDatabase()
        let first = try Self.writeFile(rows: 6, in: temp.folder, name: "first.csv")
        #expect(try temp.database.importFile(ImportSource(path: first, format: .rpw)).services == 6)
        // Firms 1–8 in the quarter before: 6 services already stored, 2 new.
        let second = try Self.writeFile(rows: 8, in: temp.folder, name: "second.csv") { row, fields in
            fields[0] = String(6000 + row)
            fields[1] = "2025_2Q"
        }
        let report = try temp.database.importFile(ImportSource(path: second, format: .rpw))
        #expect(report.imported == 8 && report.rejected.isEmpty)
        #expect(report.services == 2)
        #expect(try temp.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service") } == 8)
    }

    @Test("The C shim's row table yields exactly the values it is given, from the start row, and is replaced when registered again")
    func rowsVirtualTable() throws {
        let queue = try DatabaseQueue()
        let text = Array("USD2025_3Q".utf8)
        try queue.inDatabase { db in
            let connection = try #require(db.sqliteConnection)
            #expect(remit_rows_register(UnsafeMutableRawPointer(connection), "bad", 0) == nil, "0 columns")
            #expect(remit_rows_register(UnsafeMutableRawPointer(connection), "bad", 65) == nil, "65 columns")
            _ = try #require(remit_rows_register(UnsafeMutableRawPointer(connection), "points", 3))
            let rows = try #require(remit_rows_register(UnsafeMutableRawPointer(connection), "points", 3), "registered again")
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM points").isEmpty, "no rows until they are handed over")
            try text.withUnsafeBufferPointer { buffer in
                let base = UnsafeRawPointer(try #require(buffer.baseAddress)).assumingMemoryBound(to: CChar.self)
                let values = [
                    remit_value(integer: 42, text: nil, length: -1), remit_value(integer: 0, text: base, length: 3),
                    remit_value(integer: 0, text: nil, length: -2),
                    remit_value(integer: -7, text: nil, length: -1), remit_value(integer: 0, text: base + 3, length: 7),
                    remit_value(integer: 0, text: base, length: 0),
                ]
                try values.withUnsafeBufferPointer { values in
                    rows.pointee.values = values.baseAddress
                    rows.pointee.count = 2
                    defer { rows.pointee.values = nil; rows.pointee.count = 0 }
                    let all = try Row.fetchAll(db, sql: "SELECT c0, c1, c2, typeof(c2) FROM points")
                    #expect(all.count == 2)
                    #expect(all.first?[0] as Int64? == 42 && all.first?[1] as String? == "USD" && all.first?[3] as String? == "null")
                    #expect(all.last?[0] as Int64? == -7 && all.last?[1] as String? == "2025_3Q" && all.last?[2] as String? == "")
                    rows.pointee.start = 1
                    #expect(try Int64.fetchAll(db, sql: "SELECT c0 FROM points") == [-7], "from the start row")
                    rows.pointee.start = 0
                }
            }
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM points").isEmpty, "empty again once the values are taken back")
        }
    }

    @Test("With CHECK constraints off for the load, a service row the schema refuses is still caught before the commit")
    func checksVerifiedAfterLoad() throws {
        let temp = try TemporaryDatabase()
        // Stands in for a mapping bug: a CHECK that every service an RPW import writes breaks (each carries RPW's
        // own label). SQLite allows adding a CHECK by editing the schema's text, with the schema version bumped.
        try temp.database.writer.writeWithoutTransaction { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: """
                UPDATE sqlite_schema SET sql = replace(sql, 'source_label          TEXT,', 'source_label TEXT CHECK (source_label IS NULL),')
                 WHERE name = 'service'
                """)
            try db.execute(sql: "PRAGMA writable_schema = OFF; PRAGMA schema_version = \(version + 1)")
        }
        let schema = try temp.database.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'service'") }
        try #require(schema?.contains("CHECK (source_label IS NULL)") == true, "the test's CHECK is in place")
        let before = try temp.snapshot()
        #expect { try temp.database.importFile(ImportSource(path: fixture("rpw/rpw-new-layout.csv"), format: .rpw)) } throws: { error in
            guard case let .schemaViolation(problem) = error as? StoreError else { return false }
            return problem.contains("CHECK constraint failed in service")
        }
        #expect(try temp.snapshot() == before)
        #expect(try temp.database.read { db in try String.fetchOne(db, sql: "PRAGMA ignore_check_constraints") } == "0",
                "CHECKs are evaluated again after the failed import")
    }

    @Test("With foreign keys off for the load, a corridor whose currency the database lacks is still refused")
    func foreignKeysCheckedAfterLoad() throws {
        let temp = try TemporaryDatabase()
        // A database whose reference tables lack a currency the import needs (as an older remit's seed might).
        try temp.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF; DELETE FROM currency WHERE code = 'TZS'; PRAGMA foreign_keys = ON")
        }
        let before = try temp.snapshot()
        #expect { try temp.database.importFile(ImportSource(path: fixture("rpw/rpw-new-layout.csv"), format: .rpw)) } throws: { error in
            guard case let .schemaViolation(problem) = error as? StoreError else { return false }
            return problem.hasPrefix("corridor row") && problem.hasSuffix("missing currency row")
        }
        #expect(try temp.snapshot() == before)
        #expect(StoreError.schemaViolation("corridor row 1 would point at a missing currency row").description
            == "nothing was imported: the import would have left rows the schema refuses (corridor row 1 would point at "
            + "a missing currency row); check the database's reference tables with `remit db check`")
    }
}
