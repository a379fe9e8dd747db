import Foundation
import GRDB
import Testing
@testable import RemitKit

@Suite("Database: sample, lookups and compare")
struct StoreTests {
    func sampleDatabase() throws -> RemitDatabase {
        let database = try RemitDatabase.inMemory()
        #expect(try database.loadSample() != nil)
        return database
    }

    func request(_ from: String, _ to: String, send amount: String, currency: String? = nil) -> CompareRequest {
        var request = CompareRequest(from: CountryCode(from)!, to: CountryCode(to)!,
                                     amount: .send(T.d(amount), currency: currency.flatMap { CurrencyCode($0) }))
        request.date = CalendarDate(iso: "2026-11-29")
        return request
    }

    @Test("The sample loads once; a second load adds nothing")
    func sampleOnce() throws {
        let database = try sampleDatabase()
        #expect(try database.loadSample() == nil)
        let batches = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM import_batch") }
        #expect(batches == 1)
        #expect(try database.corridors().count == 7)
    }

    @Test("Reference rates: the date or the latest earlier one, inverted, or crossed through EUR")
    func referenceRates() throws {
        let database = try sampleDatabase()
        let usd = CurrencyCode("USD")!, mxn = CurrencyCode("MXN")!, xof = CurrencyCode("XOF")!
        let onDay = try #require(try database.referenceRate(from: usd, to: mxn, on: CalendarDate(iso: "2026-11-27")!))
        #expect(onDay.rate == T.d("18.3152"))
        let earlier = try #require(try database.referenceRate(from: usd, to: mxn, on: CalendarDate(iso: "2026-11-24")!))
        #expect(earlier.rate == T.d("18.2714") && earlier.date.description == "2026-11-20")
        #expect(try database.referenceRate(from: usd, to: mxn, on: CalendarDate(iso: "2026-01-01")!) == nil)
        let inverse = try #require(try database.referenceRate(from: mxn, to: usd, on: CalendarDate(iso: "2026-11-27")!))
        #expect(T.close(inverse.rate, T.d("0.0545994584"), "0.0000000001"))   // 1 / 18.3152
        // USD→XOF through EUR: 655.957 / 1.1618 = 564.604062…
        let crossed = try #require(try database.referenceRate(from: usd, to: xof, on: CalendarDate(iso: "2026-11-27")!))
        #expect(T.close(crossed.rate, T.d("564.6040626614"), "0.0000001"))
        #expect(crossed.source == "sample via EUR")
    }

    @Test("US→MX USD 300: twelve ranked services, cheapest first, figures by hand")
    func compareUSMX() throws {
        let result = try sampleDatabase().compare(request("US", "MX", send: "300"))
        #expect(result.ranked.count == 12)
        #expect(result.ranked.map(\.rank) == Array(1...12).map(Optional.some))
        let percents = result.ranked.compactMap(\.cost.totalCostPercent)
        #expect(percents == percents.sorted())
        // Bluefinch Transfer, bank account → bank account: band 1.00–1000.00 fee 1.99, rate 18.2053, reference 18.3152.
        let bluefinch = try #require(result.ranked.first { $0.offer.service.provider.name == "Bluefinch Transfer" && $0.offer.service.fundingMethod == .bankAccount })
        #expect(bluefinch.cost.fee == T.money("1.99", T.usd))
        #expect(bluefinch.cost.recipientAmount == T.money("5461.59", T.mxn))   // 300 × 18.2053 = 5461.59
        // margin = (1 − 18.2053 / 18.3152) × 100 = 0.60005…; total = 0.66333… + 0.60005… = 1.26339…
        #expect(T.close(try #require(bluefinch.cost.totalCostPercent), T.d("1.2634"), "0.0001"))
        // Lakeshore Federal Credit Union deducts its fee: (300 − 7) × 17.9855 = 5269.7515 → 5269.75.
        let lakeshore = try #require(result.ranked.first { $0.offer.service.provider.name == "Lakeshore Federal Credit Union" })
        #expect(lakeshore.cost.feeMode == .deducted)
        #expect(lakeshore.cost.recipientAmount == T.money("5269.75", T.mxn))
        #expect(result.usesSampleData)
        let summary = try #require(result.summary)
        #expect(summary.cheapest.offer.service.provider.name == "Paperkite Money")
        #expect(try #require(summary.cheapest.cost.fxMarginPercent) < 0)   // the promotion
    }

    @Test("Informal channels are only listed on request, never ranked; undisclosed rates are not ranked")
    func informalAndOpaque() throws {
        let database = try sampleDatabase()
        var saudi = request("SA", "PK", send: "1000")
        #expect(try database.compare(saudi).informal.isEmpty)
        saudi.includeInformal = true
        let withInformal = try database.compare(saudi)
        #expect(withInformal.informal.map(\.offer.service.provider.name) == ["Darwaza Hawala"])
        #expect(!withInformal.ranked.contains { !$0.offer.service.provider.isFormal })
        let india = try database.compare(request("GB", "IN", send: "250"))
        #expect(india.unranked.map(\.offer.service.provider.name) == ["Albion Crown Bank"])
        #expect(!india.ranked.contains { $0.offer.service.provider.name == "Albion Crown Bank" })
    }

    @Test("An amount in another currency is converted at the reference rate")
    func otherCurrency() throws {
        let result = try sampleDatabase().compare(request("FR", "SN", send: "200", currency: "USD"))
        // USD 200 → EUR at 1 / 1.1618: 172.1467… → EUR 172.15
        guard case let .send(amount) = result.target else { Issue.record("not a send target"); return }
        #expect(amount.description == "EUR 172.15")
    }

    @Test("Errors a person can act on")
    func errors() throws {
        let database = try sampleDatabase()
        #expect(throws: LookupError.self) { try database.compare(request("US", "JP", send: "300")) }
        do {
            _ = try database.compare(request("US", "JP", send: "300"))
        } catch let error as LookupError {
            #expect(error.description.hasPrefix("no services from US to JP in the database; corridors with data: DE→TR, FR→SN"))
        }
        #expect(throws: CompareError.tooManyDecimals("300.123", T.usd)) { try database.compare(request("US", "MX", send: "300.123")) }
        var reverse = request("US", "MX", send: "1")
        reverse.amount = .receive(T.d("5000"), currency: CurrencyCode("USD"))
        #expect(throws: CompareError.wrongReceiveCurrency(CurrencyCode("USD")!, expected: CurrencyCode("MXN")!)) {
            try database.compare(reverse)
        }
    }

    @Test("A failed import leaves the database exactly as it was")
    func atomicImport() throws {
        let database = try sampleDatabase()
        func snapshot() throws -> [String] {
            try database.read { db in
                try ["import_batch", "provider", "corridor", "service", "fee_schedule", "fee_band", "exchange_quote", "reference_rate"].map {
                    "\($0): \(try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1)"
                }
            }
        }
        let before = try snapshot()
        // The same schedules again under a new batch: the first rows insert, then a UNIQUE conflict aborts everything.
        let entries = try ScheduleFile.read(CSVReader(bytes: Array(Embedded.sampleSchedules.utf8), fileName: "again.csv"), fileName: "again.csv")
        #expect(throws: (any Error).self) {
            try database.importSchedules(entries, rows: 1, from: BatchSource(fileName: "again.csv", sha256: String(repeating: "a", count: 64), format: "schedules"))
        }
        #expect(try snapshot() == before)
    }

    @Test("A database from a newer remit is refused, untouched")
    func newerSchema() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("remit-newer-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try RemitDatabase.open(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try queue.close()
        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v99"])) { try RemitDatabase.open(path: path) }
    }
}
