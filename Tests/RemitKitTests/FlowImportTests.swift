import Foundation
import GRDB
import Testing
@testable import RemitKit

@Suite("Bilateral flow imports")
struct FlowImportTests {
    func write(_ text: String, _ name: String, in temp: TemporaryDatabase) throws -> String {
        let url = temp.folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func flows(_ temp: TemporaryDatabase) throws -> [String] {
        try temp.database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM remittance_flow ORDER BY sending_country, receiving_country, year")
                .map { "\($0["sending_country"] as String)→\($0["receiving_country"] as String) \($0["year"] as Int) \($0["usd_amount"] as Int64)" }
        }
    }

    @Test("Codes, names and alpha-3 in any column order; decimals rounded to whole dollars; a batch removes its flows")
    func imports() throws {
        let temp = try TemporaryDatabase()
        let path = try write("""
            year,USD_Amount,sending,receiving\r
            2024,61230000000.5,USA,MEX\r
            2023,"1,000",US,MX\r
            2024,480000000,Kenya,TZ\r
            """, "flows.csv", in: temp)
        // "1,000" is not digits: rejected with the location.
        #expect { try temp.database.importFile(ImportSource(path: path, format: .flows)) } throws: { error in
            "\(error)".contains("flows.csv:3:2 (USD_Amount)") && "\(error)".contains("found '1,000'")
        }
        #expect(try flows(temp).isEmpty)

        let good = try write("year,USD_Amount,sending,receiving\n2024,61230000000.5,USA,MEX\n2023,1000,US,MX\n2024,480000000,Kenya,TZ\n",
                             "good.csv", in: temp)
        let report = try temp.database.importFile(ImportSource(path: good, format: .flows))
        #expect(report.flows == 3)
        // 61,230,000,000.5 rounds half away from zero to 61,230,000,001.
        #expect(try flows(temp) == ["KE→TZ 2024 480000000", "US→MX 2023 1000", "US→MX 2024 61230000001"])
        #expect(try temp.database.removeBatch(report.batchID))
        #expect(try flows(temp).isEmpty)
    }

    @Test("A flow already imported by another batch is refused, naming the batch; the database is unchanged")
    func conflicts() throws {
        let temp = try TemporaryDatabase()
        let first = try write("sending,receiving,year,usd_amount\nUS,MX,2024,100\n", "a.csv", in: temp)
        let report = try temp.database.importFile(ImportSource(path: first, format: .flows))
        let second = try write("sending,receiving,year,usd_amount\nGB,IN,2024,5\nUS,MX,2024,200\n", "b.csv", in: temp)
        let before = try temp.snapshot()
        #expect { try temp.database.importFile(ImportSource(path: second, format: .flows)) } throws: { error in
            "\(error)".contains("b.csv:3") && "\(error)".contains("batch \(report.batchID)")
        }
        #expect(try temp.snapshot() == before)
        // --skip-invalid sets the stored flow aside and imports the rest.
        let skipped = try temp.database.importFile(ImportSource(path: second, format: .flows), options: ImportOptions(skipInvalid: true))
        #expect(skipped.flows == 1 && skipped.rejected.map(\.line) == [3])
        #expect(skipped.rejected.first?.fields == ["US", "MX", "2024", "200"])
        #expect("\(skipped.rejected[0].error)".contains("take it out with `remit batches remove \(report.batchID)`"))
    }

    @Test("Bad rows: each error names file, line, column and what was expected", arguments: [
        ("sending,receiving,year,usd_amount\nUS,US,2024,1\n", "(receiving)"),
        ("sending,receiving,year,usd_amount\nUS,ZZ,2024,1\n", "(receiving): expected an ISO 3166 country code or name"),
        ("sending,receiving,year,usd_amount\nUS,MX,24,1\n", "(year): expected a year such as 2024"),
        ("sending,receiving,year,usd_amount\nUS,MX,2024,-5\n", "(usd_amount)"),
        ("sending,receiving,year,usd_amount\nUS,MX,2024,6.1e10\n", "(usd_amount)"),
        ("sending,receiving,year,usd_amount\nUS,MX,2024,1\nUS,MX,2024,2\n", ":3"),
        ("sending,receiving,year\nUS,MX,2024\n", "usd_amount"),
        ("sending,receiving,year,usd_amount\n", "no rows"),
    ])
    func badRows(text: String, expected: String) throws {
        let temp = try TemporaryDatabase()
        let path = try write(text, "bad.csv", in: temp)
        let before = try temp.snapshot()
        #expect { try temp.database.importFile(ImportSource(path: path, format: .flows)) } throws: { error in
            "\(error)".contains("bad.csv") && "\(error)".contains(expected)
        }
        #expect(try temp.snapshot() == before)
    }
}
