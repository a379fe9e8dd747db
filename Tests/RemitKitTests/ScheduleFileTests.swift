import Foundation
import Testing
@testable import RemitKit

@Suite("Schedule and rate files")
struct ScheduleFileTests {
    static let header = "provider,firm_type,from,to,service,funding,payout,speed,fee_mode,band_min,band_max,fixed_fee,percent_fee,min_fee,max_fee,offered_rate,margin_percent,transparent,valid_from"

    func read(_ rows: [String], header: String = Self.header) throws -> [ScheduleEntry] {
        let text = ([header] + rows).joined(separator: "\n") + "\n"
        return try ScheduleFile.read(CSVReader(bytes: Array(text.utf8), fileName: "s.csv"), fileName: "s.csv")
    }

    func error(_ rows: [String], header: String = Self.header) -> String? {
        do {
            _ = try read(rows, header: header)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("Bands of one service form one schedule; corridor currencies default to the countries'")
    func valid() throws {
        let entries = try read([
            "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,500,2.99,,,,18.1,,yes,2026-01-01",
            "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,500.01,,0,0.5,3,25,18.1,,yes,2026-01-01",
            "Banco,Bank,usa,Mexico,Wire,bank-account,bank-account,2 days,deducted,1,,20,,,,,3.5,yes,2026-01-01",
            "Shy Bank,bank,US,MX,Hidden,bank-account,cash,next-day,on-top,1,,10,,,,,,no,2026-01-01",
        ])
        #expect(entries.count == 3)
        let acme = try #require(entries.first)
        #expect(acme.service.corridor.sendCurrency.code.rawValue == "USD")
        #expect(acme.service.corridor.receiveCurrency.code.rawValue == "MXN")
        #expect(acme.schedule.bands.count == 2)
        #expect(acme.schedule.bands[1] == FeeBand(minAmount: 50_001, maxAmount: nil, fixedFee: 0, percentFee: T.d("0.5"), minFee: 300, maxFee: 2_500))
        #expect(acme.rate == .offered(T.d("18.1")))
        #expect(acme.service.requiresBankAccount)
        #expect(entries[1].rate == .margin(percent: T.d("3.5")))
        #expect(entries[1].schedule.mode == .deducted)
        #expect(entries[1].service.speed == .twoDays)
        #expect(entries[2].rate == .undisclosed)
    }

    @Test("Bad values are reported as file:line:column (field): expected …, found …", arguments: [
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2.9x,,,,18.1,,yes,2026-01-01",
         "s.csv:2:12 (fixed_fee): expected an amount in USD with at most 2 decimals, found '2.9x'"),
        ("Acme,mto,US,Narnia,Online,debit-card,bank-account,same-day,on-top,1,,2,,,,18.1,,yes,2026-01-01",
         "s.csv:2:4 (to): expected an ISO 3166 country code or name, found 'Narnia'"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,-2,,,,18.1,,yes,2026-01-01",
         "s.csv:2:12 (fixed_fee): expected an amount of zero or more, found '-2'"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2,,,,18.1,,yes,2026-13-01",
         "s.csv:2:19 (valid_from): expected a date as YYYY-MM-DD, found '2026-13-01'"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,warp,on-top,1,,2,,,,18.1,,yes,2026-01-01",
         "s.csv:2:8 (speed): expected one of less-than-one-hour, same-day, next-day, 2-days, 3-5-days or 6-days-or-more, found 'warp'"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2,,,,,,yes,2026-01-01",
         "s.csv:2:16 (offered_rate): expected an offered rate or a margin_percent (or transparent = no), found an empty value"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2,,,,18.1,2,yes,2026-01-01",
         "s.csv:2:17 (margin_percent): expected either offered_rate or margin_percent, not both, found '2'"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2,100,,,18.1,,yes,2026-01-01",
         "s.csv:2:13 (percent_fee): expected a percentage from 0 to below 100, found '100'"),
        ("Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1",
         "s.csv:2: expected 19 fields as in the header, found 10"),
    ])
    func badValues(row: String, message: String) {
        #expect(error([row]) == message)
    }

    @Test("A wrong header names the missing columns")
    func missingColumns() {
        #expect(error(["x,y"], header: "provider,firm_type") ==
            "s.csv:1: the header lacks the required columns from, to, service, funding, payout, speed, fee_mode, band_min, valid_from")
    }

    @Test("Unknown currencies are refused")
    func unknownCurrency() {
        let header = Self.header + ",send_currency"
        #expect(error(["Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2,,,,18.1,,yes,2026-01-01,XYZ"], header: header)
            == "s.csv:2:20 (send_currency): expected an ISO 4217 currency code, found 'XYZ'")
    }

    @Test("Overlapping bands, duplicate bands and disagreeing rows are refused")
    func consistency() {
        let first = "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,500,2,,,,18.1,,yes,2026-01-01"
        #expect(error([first, first]) == "s.csv:3: duplicate of line 2")
        #expect(error([first, "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,400,,2,,,,18.1,,yes,2026-01-01"])?
            .hasPrefix("s.csv:2: fee schedule band USD 1.00 to USD 500.00: it overlaps") == true)
        #expect(error([first, "Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,600,,2,,,,18.2,,yes,2026-01-01"])
            == "s.csv:3: this band's service, fee mode, rate or valid_to differs from line 2, which starts the same schedule")
    }

    @Test("Empty files and header-only files say so")
    func empty() {
        #expect(throws: ImportError.empty(file: "s.csv", "the file is empty; expected a header row naming the columns")) {
            try ScheduleFile.read(CSVReader(bytes: [], fileName: "s.csv"), fileName: "s.csv")
        }
        #expect(error([]) == "s.csv: the file has a header but no rows")
    }

    @Test("Headers match by name in any case and order, with CRLF and a BOM")
    func headerVariants() throws {
        let text = "\u{FEFF}VALID_FROM,Provider,FIRM_TYPE, from ,TO,service,funding,payout,speed,fee_mode,band_min,offered_rate\r\n"
            + "2026-01-01,Acme,bank,US,MX,\"Wire, fast\",bank-account,bank-account,next-day,on-top,1,18\r\n"
        let entries = try ScheduleFile.read(CSVReader(bytes: Array(text.utf8), fileName: "s.csv"), fileName: "s.csv")
        #expect(entries.first?.service.name == "Wire, fast")
    }

    @Test("Rate files: pairs, duplicates and bad rates")
    func rates() throws {
        func read(_ text: String) throws -> [ReferenceRate] {
            try RateFile.read(CSVReader(bytes: Array(text.utf8), fileName: "r.csv"), fileName: "r.csv", defaultSource: "test")
        }
        let rates = try read("date,base,quote,rate,source\n2026-11-27,USD,MXN,18.3152,ECB\n2026-11-27,EUR,XOF,655.957,\n")
        #expect(rates.count == 2)
        #expect(rates[0].rate == T.d("18.3152") && rates[0].source == "ECB")
        #expect(rates[1].source == "test")
        #expect(throws: ImportError.self) { try read("date,base,quote,rate\n2026-11-27,USD,MXN,0\n") }
        #expect(throws: ImportError.self) { try read("date,base,quote,rate\n2026-11-27,USD,USD,1\n") }
        #expect(throws: ImportError.duplicate(SourceLocation(file: "r.csv", line: 3), firstLine: 2)) {
            try read("date,base,quote,rate\n2026-11-27,USD,MXN,18\n2026-11-27,USD,MXN,18.1\n")
        }
    }
}
