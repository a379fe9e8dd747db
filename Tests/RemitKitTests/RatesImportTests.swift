import Foundation
import Testing
@testable import RemitKit

@Suite("Reference-rate imports and lookups")
struct RatesImportTests {
    @Test("ECB history: direct, inverted and crossed through EUR, on the day or the latest earlier one")
    func ecbLookups() throws {
        let temp = try TemporaryDatabase()
        let report = try temp.database.importFile(ImportSource(path: fixture("ecb/eurofxref-hist.csv"), format: .rates))
        #expect(report.rows == 5)
        #expect(report.notes == ["skipped currencies no longer in ISO 4217: BGN, CYP"])
        let eur = CurrencyCode("EUR")!, usd = CurrencyCode("USD")!, mxn = CurrencyCode("MXN")!
        let direct = try #require(try temp.database.referenceRate(from: eur, to: usd, on: CalendarDate(iso: "2026-10-30")!))
        #expect(direct.rate == T.d("1.1172") && direct.source == "ECB")
        // A Saturday: the Friday rate.
        let weekend = try #require(try temp.database.referenceRate(from: eur, to: usd, on: CalendarDate(iso: "2026-10-31")!))
        #expect(weekend.date.description == "2026-10-30")
        let inverse = try #require(try temp.database.referenceRate(from: usd, to: eur, on: CalendarDate(iso: "2026-10-30")!))
        #expect(T.close(inverse.rate, T.d("0.8950948800"), "0.0000000001"))   // 1 / 1.1172
        // USD→MXN = 20.6134 / 1.1172 = 18.450949…
        let crossed = try #require(try temp.database.referenceRate(from: usd, to: mxn, on: CalendarDate(iso: "2026-10-30")!))
        #expect(T.close(crossed.rate, T.d("18.4509488006"), "0.0000001"))
        #expect(crossed.source == "ECB via EUR")
    }

    @Test("Every ECB shape and the generic CSV import; the same file twice adds nothing")
    func shapes() throws {
        let temp = try TemporaryDatabase()
        for file in ["ecb/eurofxref-hist-notrailing.csv", "ecb/eurofxref.csv", "ecb/eurofxref-hist.xml", "ecb/eurofxref-daily.xml"] {
            let report = try temp.database.importFile(ImportSource(path: fixture(file), format: .rates))
            #expect(report.rows > 0, "\(file)")
        }
        let generic = temp.folder.appendingPathComponent("generic.csv")
        try "date,base,quote,rate,source\n2026-11-27,USD,KES,129.35,CBK\n".write(to: generic, atomically: true, encoding: .utf8)
        let report = try temp.database.importFile(ImportSource(path: generic.path, format: .rates))
        #expect(report.referenceRates == 1)
        #expect(throws: ImportError.self) { try temp.database.importFile(ImportSource(path: generic.path, format: .rates)) }
        let kes = try #require(try temp.database.referenceRate(from: CurrencyCode("USD")!, to: CurrencyCode("KES")!, on: CalendarDate(iso: "2026-11-28")!))
        #expect(kes.rate == T.d("129.35") && kes.source == "CBK")
    }

    @Test("A bad rate file changes nothing")
    func badFile() throws {
        let temp = try TemporaryDatabase()
        _ = try temp.database.importFile(ImportSource(path: fixture("ecb/eurofxref-hist.csv"), format: .rates))
        let before = try temp.snapshot()
        #expect(throws: ImportError.self) {
            try temp.database.importFile(ImportSource(path: fixture("ecb/bad/bad-rate.csv"), format: .rates))
        }
        #expect(try temp.snapshot() == before)
    }

    @Test("Fee schedule files import as a batch and price compare")
    func schedules() throws {
        let temp = try TemporaryDatabase()
        let report = try temp.database.importFile(ImportSource(path: T.root.appendingPathComponent("fixtures/sample/schedules.csv").path, format: .schedules))
        #expect(report.schedules == 63)
        #expect(try temp.database.corridors().count == 7)
    }
}
