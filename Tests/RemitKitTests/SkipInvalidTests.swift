import Foundation
import GRDB
import Testing
@testable import RemitKit

/// `--skip-invalid` and `--max-errors` for schedule, generic rate and flow files, as for RPW files.
@Suite("Invalid rows in schedule, rate and flow files")
struct SkipInvalidTests {
    static let header = ScheduleFileTests.header
    // Acme's service: two bands (lines 2 and 3); line 4 has an unknown fee mode; lines 5 and 6 are
    // Bolt's two bands, which overlap, so its whole schedule is refused; line 7 has too few fields.
    static let schedules = [
        header,
        "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,500,2,,,,18.1,,yes,2026-01-01",
        "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,500.01,,4,,,,18.1,,yes,2026-01-01",
        "Acme,mto,US,MX,Cash,cash,cash,same-day,sideways,1,,3,,,,18.0,,yes,2026-01-01",
        "Bolt,mto,US,MX,Bolt app,debit-card,mobile-wallet,same-day,on-top,1,300,1,,,,18.2,,yes,2026-01-01",
        "Bolt,mto,US,MX,Bolt app,debit-card,mobile-wallet,same-day,on-top,200,,2,,,,18.2,,yes,2026-01-01",
        "Acme,mto,US,MX",
    ].joined(separator: "\n") + "\n"

    func file(_ text: String, _ name: String, _ temp: TemporaryDatabase) throws -> String {
        let url = temp.folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("Schedules: the valid rows are imported, every invalid one rejected with its reason")
    func schedulesSkip() throws {
        let temp = try TemporaryDatabase()
        let path = try file(Self.schedules, "s.csv", temp)
        let report = try temp.database.importFile(ImportSource(path: path, format: .schedules), options: ImportOptions(skipInvalid: true))
        #expect(report.imported == 2 && report.rows == 6)
        #expect(report.schedules == 1)
        #expect(report.rejected.map(\.line) == [4, 5, 6, 7])
        #expect("\(report.rejected[0].error)".contains("s.csv:4:9 (fee_mode)"))
        #expect("\(report.rejected[1].error)".contains("overlaps"))
        #expect(report.rejected[3].error == .fieldCount(SourceLocation(file: path, line: 7), expected: 19, found: 4))
        #expect(report.header.first == "provider")
        #expect(try temp.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fee_band") } == 2)
        #expect(try temp.database.read { db in try Int.fetchOne(db, sql: "SELECT rejected_count FROM import_batch") } == 4)
    }

    @Test("A schedule with one invalid band is left out whole, never kept with a hole in it")
    func scheduleWithABadBand() throws {
        let temp = try TemporaryDatabase()
        let path = try file([
            Self.header,
            "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,100,2,,,,18.1,,yes,2026-01-01",
            "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,100.01,1000,abc,,,,18.1,,yes,2026-01-01",
            "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1000.01,,9,,,,18.1,,yes,2026-01-01",
            "Bolt,mto,US,MX,Bolt app,debit-card,mobile-wallet,same-day,on-top,1,,1,,,,18.2,,yes,2026-01-01",
        ].joined(separator: "\n") + "\n", "hole.csv", temp)
        let report = try temp.database.importFile(ImportSource(path: path, format: .schedules), options: ImportOptions(skipInvalid: true))
        #expect(report.imported == 1 && report.schedules == 1)
        #expect(report.rejected.map(\.line) == [2, 3, 4])
        #expect("\(report.rejected[1].error)".contains("hole.csv:3:12 (fixed_fee)"))
        #expect("\(report.rejected[0].error)".contains("another band of this schedule, line 3, is invalid"))
        #expect(try temp.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fee_band") } == 1)
    }

    @Test("A schedule another batch already stored is an invalid row for each of its bands, named by file and line")
    func scheduleAlreadyStored() throws {
        let temp = try TemporaryDatabase()
        let bands = ["Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,100,2,,,,18.1,,yes,2026-01-01",
                     "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,100.01,,3,,,,18.1,,yes,2026-01-01"]
        let first = try file(Self.header + "\n" + bands.joined(separator: "\n") + "\n", "first.csv", temp)
        let batch = try temp.database.importFile(ImportSource(path: first, format: .schedules)).batchID
        let other = "Bolt,mto,US,MX,Bolt app,debit-card,mobile-wallet,same-day,on-top,1,,1,,,,18.2,,yes,2026-01-01"
        let second = try file(Self.header + "\n\n" + bands.joined(separator: "\n") + "\n" + other + "\n", "second.csv", temp)
        let before = try temp.snapshot()
        // All or nothing: one error per band row, nothing written.
        #expect { try temp.database.importFile(ImportSource(path: second, format: .schedules)) } throws: { error in
            guard case let .invalidRows(errors, false) = error as? ImportError, errors.count == 2 else { return false }
            return "\(errors[0])".hasPrefix("\(second):3: a schedule of Acme (Online) valid from 2026-01-01 is already in the database (batch \(batch):")
        }
        #expect(try temp.snapshot() == before)
        // --skip-invalid: Bolt's schedule is imported, both of Acme's band rows are set aside with the reason.
        let report = try temp.database.importFile(ImportSource(path: second, format: .schedules), options: ImportOptions(skipInvalid: true))
        #expect(report.imported == 1 && report.schedules == 1 && report.services == 1)
        #expect(report.rows == 3)
        #expect(report.rejected.map(\.line) == [3, 4])
        #expect(report.rejected.allSatisfy { "\($0.error)".contains("is already in the database (batch \(batch)") })
        #expect(report.rejected.first?.fields.first == "Acme")
        #expect(try temp.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fee_schedule") } == 2)
    }

    @Test("Schedules without --skip-invalid: every error is reported (up to --max-errors) and nothing is written")
    func schedulesAllOrNothing() throws {
        let temp = try TemporaryDatabase()
        let path = try file(Self.schedules, "s.csv", temp)
        let before = try temp.snapshot()
        #expect { try temp.database.importFile(ImportSource(path: path, format: .schedules)) } throws: { error in
            guard case let .invalidRows(errors, more) = error as? ImportError else { return false }
            return errors.count == 4 && !more
        }
        #expect { try temp.database.importFile(ImportSource(path: path, format: .schedules), options: ImportOptions(maxErrors: 1)) } throws: { error in
            guard case let .invalidRows(errors, more) = error as? ImportError else { return false }
            return errors.count == 1 && more && "\(errors[0])".contains("s.csv:4:9")
        }
        #expect(try temp.snapshot() == before)
    }

    @Test("--skip-invalid stops once more rows than --max-errors are rejected")
    func skipWithLimit() throws {
        let temp = try TemporaryDatabase()
        let path = try file(Self.schedules, "s.csv", temp)
        #expect(throws: ImportError.tooManyErrors(file: path, limit: 2)) {
            try temp.database.importFile(ImportSource(path: path, format: .schedules), options: ImportOptions(skipInvalid: true, maxErrors: 2))
        }
    }

    @Test("Generic rates and flows: bad and duplicate rows rejected, the rest imported; all bad is an error")
    func ratesAndFlows() throws {
        let temp = try TemporaryDatabase()
        let rates = try file("date,base,quote,rate\n2026-11-27,USD,KES,129.35\n2026-11-27,USD,XXX,1\n2026-11-27,USD,KES,129.40\n2026-11-28,USD,KES,-1\n",
                             "r.csv", temp)
        let rateReport = try temp.database.importFile(ImportSource(path: rates, format: .rates), options: ImportOptions(skipInvalid: true))
        #expect(rateReport.referenceRates == 1 && rateReport.rows == 4)
        #expect(rateReport.rejected.map(\.line) == [3, 4, 5])
        #expect("\(rateReport.rejected[1].error)" == "\(rates):4: duplicate of line 2")

        let flows = try file("sending,receiving,year,usd_amount\nUS,MX,2024,100\nUS,MX,24,5\n", "f.csv", temp)
        let flowReport = try temp.database.importFile(ImportSource(path: flows, format: .flows), options: ImportOptions(skipInvalid: true))
        #expect(flowReport.flows == 1 && flowReport.rejected.map(\.line) == [3])

        let allBad = try file("sending,receiving,year,usd_amount\nUS,US,2024,1\n", "bad.csv", temp)
        let before = try temp.snapshot()
        #expect(throws: ImportError.self) {
            try temp.database.importFile(ImportSource(path: allBad, format: .flows), options: ImportOptions(skipInvalid: true))
        }
        #expect(try temp.snapshot() == before)
    }
}
