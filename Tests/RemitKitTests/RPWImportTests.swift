import Foundation
import GRDB
import Testing
@testable import RemitKit

/// A database file of its own in a temporary folder, removed at the end.
final class TemporaryDatabase {
    let folder: URL
    let path: String
    let database: RemitDatabase

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("test.sqlite").path
        database = try RemitDatabase.open(path: path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Every row of every table, in a stable order: equal snapshots mean equal contents.
    func snapshot() throws -> [String] {
        try database.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            return try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { "\(table): \($0)" }.sorted()
            }
        }
    }
}

func fixture(_ path: String) -> String { T.root.appendingPathComponent("fixtures/\(path)").path }

@Suite("RPW import")
struct RPWImportTests {
    func importRPW(_ file: String, into temp: TemporaryDatabase, _ options: ImportOptions = ImportOptions()) throws -> ImportReport {
        try temp.database.importFile(ImportSource(path: fixture(file), format: .rpw), options: options)
    }

    @Test("The new layout: each row becomes a service and two survey prices, kept as published")
    func newLayout() throws {
        let temp = try TemporaryDatabase()
        let report = try importRPW("rpw/rpw-new-layout.csv", into: temp)
        #expect(report.rows == 6 && report.imported == 6)
        #expect(report.observations == 12)
        #expect(report.services == 5)   // Jambo Express appears in two periods
        let rows = try temp.database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.name, p.firm_type, p.firm_type_label, s.funding_method, s.payout_method, s.speed, s.is_transparent,
                       o.period, o.amount, o.fee, o.offered_rate, o.reference_rate, o.fx_margin_percent, o.total_cost_percent,
                       o.is_inconsistent, o.observed_on, o.denomination_amount, o.denomination_currency
                  FROM price_observation o JOIN service s ON s.id = o.service_id JOIN provider p ON p.id = s.provider_id
                 WHERE o.amount = 2580000 ORDER BY o.source_row_id
                """)
        }
        #expect(rows.count == 6)
        let jambo = try #require(rows.first { $0["name"] == "Jambo Express" && $0["period"] == "2025_3Q" })
        #expect(jambo["firm_type"] == "bank")
        #expect(jambo["firm_type_label"] == "Bank/Money Transfer Operator")
        #expect(jambo["funding_method"] == "cash" && jambo["payout_method"] == "cash")
        #expect(jambo["speed"] == "less-than-one-hour")
        #expect(jambo["fee"] == 60000)
        #expect(jambo["offered_rate"] == "19.7543" && jambo["reference_rate"] == "20.1574")
        #expect(jambo["fx_margin_percent"] == "1.999762" && jambo["total_cost_percent"] == "4.325343")
        #expect(jambo["observed_on"] == "2025-07-15")
        #expect(jambo["denomination_amount"] == 20000 && jambo["denomination_currency"] == "USD")
        let mobile = try #require(rows.first { $0["name"] == "Kilima Mobile" })
        #expect(mobile["firm_type"] == "mobile-operator" && mobile["payout_method"] == "mobile-wallet")
        #expect((mobile["fx_margin_percent"] as String?)?.hasPrefix("-") == true)   // a promotion, kept
        // Non-transparent: RPW's placeholders (margin 0, rates 1) are not stored as facts.
        let opaque = try #require(rows.first { $0["name"] == "Rift Valley Bank" })
        #expect(opaque["is_transparent"] == false)
        #expect((opaque["fx_margin_percent"] as String?) == nil && (opaque["offered_rate"] as String?) == nil)
        #expect((opaque["reference_rate"] as String?) == nil)
        // Published 6.601163 against 800 / 25800 × 100 + 3.000089 = 6.101 → flagged, not changed.
        let post = try #require(rows.first { $0["name"] == "Posta Kenya Sample" })
        #expect(post["is_inconsistent"] == true)
        #expect(report.inconsistent.map(\.line) == [6])
        // Region and income group come with the rows.
        let region = try temp.database.read { db in try String.fetchOne(db, sql: "SELECT region FROM country WHERE alpha2 = 'TZ'") }
        #expect(region == "Sub-Saharan Africa")
    }

    @Test("compare at USD 200 reproduces every consistent published total cost to 0.01 points")
    func compareReproducesPublished() throws {
        let temp = try TemporaryDatabase()
        _ = try importRPW("rpw/rpw-new-layout.csv", into: temp)
        var request = CompareRequest(from: CountryCode("KE")!, to: CountryCode("TZ")!, amount: .send(200, currency: CurrencyCode("USD")))
        request.period = Period("2025_3Q")
        let result = try temp.database.compare(request)
        // Published cc1 totals from the fixture file (written by scripts/make-rpw-fixtures.py).
        let published: [String: Decimal] = [
            "Savanna Commercial Bank": T.d("9.813973"), "Jambo Express": T.d("4.325343"), "Kilima Mobile": T.d("0.699186"),
        ]
        for (provider, total) in published {
            let option = try #require(result.ranked.first { $0.offer.service.provider.name == provider })
            #expect(option.cost.basis == .survey)
            #expect(T.close(try #require(option.cost.totalCostPercent), total, "0.01"), "\(provider)")
        }
        guard case let .send(amount) = result.target else { Issue.record("not a send target"); return }
        #expect(amount.description == "KES 25,800.00")
        #expect(result.unranked.map(\.offer.service.provider.name) == ["Rift Valley Bank"])
    }

    @Test("The old layout: products such as 'Cash to cash' map to funding and payout")
    func oldLayout() throws {
        let temp = try TemporaryDatabase()
        let report = try importRPW("rpw/rpw-old-layout.csv", into: temp)
        #expect(report.imported == 2)
        let methods = try temp.database.read { db in
            try Row.fetchAll(db, sql: "SELECT funding_method, payout_method, requires_bank_account FROM service ORDER BY id")
                .map { "\($0["funding_method"] as String)/\($0["payout_method"] as String)/\($0["requires_bank_account"] as Bool)" }
        }
        #expect(methods == ["cash/cash/false", "bank-account/bank-account/true"])
    }

    @Test("Upper-case headers, quoted numbers, Excel serial and dd/Mon/yyyy dates, BOM and CRLF")
    func variants() throws {
        let temp = try TemporaryDatabase()
        let report = try importRPW("rpw/rpw-variants.csv", into: temp)
        #expect(report.imported == 3)
        let dates = try temp.database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT observed_on FROM price_observation ORDER BY source_row_id")
        }
        #expect(dates == ["2025-07-15"])   // 45853, 15/Jul/2025 and 2025-07-15 are the same day
        let tricky = try importRPW("rpw/rpw-tricky.csv", into: TemporaryDatabase())
        #expect(tricky.imported == 1)
    }

    @Test("The same file twice adds nothing; --replace swaps the batch; removing a batch removes what only it priced")
    func batches() throws {
        let temp = try TemporaryDatabase()
        let first = try importRPW("rpw/rpw-new-layout.csv", into: temp)
        let before = try temp.snapshot()
        #expect(throws: ImportError.alreadyImported(file: fixture("rpw/rpw-new-layout.csv"), batch: first.batchID)) {
            try importRPW("rpw/rpw-new-layout.csv", into: temp)
        }
        #expect(try temp.snapshot() == before)
        let replaced = try importRPW("rpw/rpw-new-layout.csv", into: temp, ImportOptions(replace: true))
        #expect(replaced.replacedBatch == first.batchID)
        #expect(try temp.database.batches().map(\.id) == [replaced.batchID])
        #expect(try temp.database.batches().first?.observations == 12)
        _ = try importRPW("rpw/rpw-old-layout.csv", into: temp)
        #expect(try temp.database.removeBatch(replaced.batchID))
        let left = try temp.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM price_observation") ?? -1,
             try String.fetchAll(db, sql: "SELECT name FROM provider ORDER BY name"))
        }
        #expect(left.0 == 4)
        #expect(left.1 == ["Jambo Express", "Savanna Commercial Bank"])   // the old layout's providers stay
        #expect(try temp.database.removeBatch(999) == false)
    }

    @Test("Every bad file gets its precise error and leaves the database as it was", arguments: [
        ("truncated-row.csv", "truncated-row.csv:3: expected 42 fields as in the header, found 20"),
        ("extra-field.csv", "extra-field.csv:2: expected 42 fields as in the header, found 44"),
        ("bad-number.csv", "bad-number.csv:2:23 (cc1 lcu fee): expected the fee as a number, found '6OO'"),
        ("unknown-country.csv", "unknown-country.csv:2:9 (destination_code): expected an ISO 3166 alpha-3 country code, found 'XXX'"),
        ("unknown-currency.csv", "unknown-currency.csv:2:22 (cc1 lcu code): expected an ISO 4217 currency code, found 'KSH'"),
        ("negative-fee.csv", "negative-fee.csv:2:30 (cc2 lcu fee): expected a fee of zero or more, found '-900'"),
        ("bad-period.csv", "bad-period.csv:2:2 (period): expected a period such as 2025_3Q, found '2025 third quarter'"),
        ("duplicate-row.csv", "duplicate-row.csv:3: duplicate of line 2"),
        ("missing-columns.csv", "missing-columns.csv:1: the header lacks the required columns cc1 lcu fee, inter lcu bank fx"),
        ("empty.csv", "empty.csv: the file is empty; expected a header row naming the columns"),
        ("header-only.csv", "header-only.csv: the file has a header but no rows"),
        ("non-utf8.csv", "non-utf8.csv:2:15: the field is not valid UTF-8 text (save the file as UTF-8)"),
        ("unclosed-quote.csv", "unclosed-quote.csv:2:15: a quoted field is not closed before the end of the file"),
    ])
    func badFiles(file: String, message: String) throws {
        let temp = try TemporaryDatabase()
        _ = try importRPW("rpw/rpw-old-layout.csv", into: temp)
        let before = try temp.snapshot()
        do {
            _ = try importRPW("rpw/bad/\(file)", into: temp)
            Issue.record("\(file) was imported")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
        #expect(try temp.snapshot() == before)
    }

    @Test("The .xlsx workbook: both dataset sheets stream into one batch; bad cells are located by sheet and row")
    func workbook() throws {
        let temp = try TemporaryDatabase()
        #expect(throws: ImportError.self) { try importRPW("xlsx/rpw-small.xlsx", into: temp) }
        #expect(try temp.database.batches().isEmpty)
        let report = try importRPW("xlsx/rpw-small.xlsx", into: temp, ImportOptions(skipInvalid: true))
        #expect(report.format == "rpw-xlsx")
        #expect(try temp.database.batches().first?.format == "rpw-xlsx")
        #expect(report.rows == 7 && report.imported == 4 && report.observations == 8)
        #expect(report.rejected.map(\.line) == [4, 5, 8])
        #expect(report.rejected.last?.error.description
            == "\(fixture("xlsx/rpw-small.xlsx")) [Dataset (from Q2 2016)]:8:31 (cc2 lcu fx rate): expected the offered rate as a number, found '#N/A'")
        // The rejected row's service is not left behind without prices.
        let unpriced = try temp.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM service s WHERE NOT EXISTS (SELECT 1 FROM price_observation o WHERE o.service_id = s.id)")
        }
        #expect(unpriced == 0)
    }

    @Test("--skip-invalid imports the valid rows and returns the rejected ones with reasons")
    func skipInvalid() throws {
        let temp = try TemporaryDatabase()
        let report = try importRPW("rpw/bad/truncated-row.csv", into: temp, ImportOptions(skipInvalid: true))
        #expect(report.imported == 1)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.line == 3)
        let path = temp.folder.appendingPathComponent("rejects.csv").path
        try RejectsFile.write(report, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("id,period,source_code"))
        #expect(text.contains("expected 42 fields as in the header, found 20"))
        // All-or-nothing stops at --max-errors and says there may be more.
        #expect(throws: ImportError.invalidRows([.duplicate(SourceLocation(file: fixture("rpw/bad/duplicate-row.csv"), line: 3), firstLine: 2)], more: true)) {
            try importRPW("rpw/bad/duplicate-row.csv", into: TemporaryDatabase(), ImportOptions(maxErrors: 1))
        }
    }
}
