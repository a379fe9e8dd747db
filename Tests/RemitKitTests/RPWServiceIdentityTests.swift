import Foundation
import GRDB
import Testing
@testable import RemitKit

@Suite("RPW service identity")
struct RPWServiceIdentityTests {
    @Test("The same product with and without a disclosed rate becomes two services, each with its own prices")
    func transparencySplitsServices() throws {
        let temp = try TemporaryDatabase()
        let lines = try String(contentsOfFile: fixture("rpw/rpw-new-layout.csv"), encoding: .utf8).split(separator: "\n")
        let header = String(lines[0]), disclosed = String(lines[1])
        // The same row with the rate not disclosed, as RPW writes it: margin 0, rates 1, total = fee only (1500 / 25800).
        var fields = disclosed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[0] = "1099"
        for (index, value) in [23: "1", 24: "0", 25: "5.813953", 30: "1", 31: "0", 32: "3.875969", 33: "1", 34: "no"] {
            fields[index] = value
        }
        let path = temp.folder.appendingPathComponent("both.csv").path
        try ([header, disclosed, fields.joined(separator: ",")].joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let report = try temp.database.importFile(ImportSource(path: path, format: .rpw))
        #expect(report.imported == 2 && report.rejected.isEmpty)
        #expect(report.services == 2)
        let services = try temp.database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, is_transparent FROM service ORDER BY is_transparent")
        }
        #expect(services.map { $0["is_transparent"] as Int } == [0, 1])
        #expect((services.first?["name"] as String?)?.hasSuffix(", rate not disclosed") == true)
        let margins = try temp.database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.is_transparent, o.fx_margin_percent FROM price_observation o JOIN service s ON s.id = o.service_id
                 WHERE o.denomination_amount = 20000 ORDER BY s.is_transparent
                """)
        }
        #expect(margins.map { $0["fx_margin_percent"] as String? } == [nil, "4.00002"])
    }

    @Test("Payment instruments map to a funding method the schema accepts, with the account rule of docs/formats.md",
          arguments: [
              ("Cash", FundingMethod.cash, false), ("Cash, Bank account", .cash, false), ("Bank account, Cash", .cash, false),
              ("Debit card, Bank account", .debitCard, true), ("Credit card / Mobile wallet", .mobileMoney, false),
              ("Bank account; Debit card; Cash", .cash, false), ("Account to account", .bankAccount, true),
              ("Voucher", .other, false),
          ])
    func fundingMethods(instrument: String, funding: FundingMethod, needsAccount: Bool) throws {
        #expect(RPWMapper.funding(instrument) == (funding, needsAccount))
        // Imported, the service satisfies the schema's CHECK (an account or card funding method requires one).
        let temp = try TemporaryDatabase()
        let lines = try String(contentsOfFile: fixture("rpw/rpw-new-layout.csv"), encoding: .utf8).split(separator: "\n")
        var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[16] = "\"\(instrument)\""
        let path = temp.folder.appendingPathComponent("instrument.csv").path
        try ([String(lines[0]), fields.joined(separator: ",")].joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        _ = try temp.database.importFile(ImportSource(path: path, format: .rpw))
        let stored = try temp.database.read { db in
            (try Row.fetchOne(db, sql: "SELECT funding_method, requires_bank_account FROM service"),
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(stored.0?["funding_method"] == funding.rawValue)
        #expect(stored.0?["requires_bank_account"] == needsAccount)
        #expect(stored.1 == ["ok"])
    }
}
