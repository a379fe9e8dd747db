import Foundation
import Testing
@testable import RemitKit

@Suite("ECB reference-rate files")
struct ECBFileTests {
    static let folder = T.root.appendingPathComponent("fixtures/ecb")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// Reads a fixture as CSV through the chunked file source, named by its last path component.
    static func csv(_ name: String) throws -> ECBFile.Result {
        let fileName = URL(fileURLWithPath: name).lastPathComponent
        let reader = CSVReader(source: try FileByteSource(path: path(name)), fileName: fileName)
        return try ECBFile.readCSV(reader, fileName: fileName)
    }

    static func xml(_ name: String) throws -> ECBFile.Result {
        try ECBFile.readXML(bytes(name), fileName: URL(fileURLWithPath: name).lastPathComponent)
    }

    static func csv(text: String) throws -> ECBFile.Result {
        try ECBFile.readCSV(CSVReader(bytes: Array(text.utf8), fileName: "e.csv"), fileName: "e.csv")
    }

    static func xml(text: String) throws -> ECBFile.Result {
        try ECBFile.readXML(Array(text.utf8), fileName: "e.xml")
    }

    /// The text of the error `body` throws, or nil.
    static func error(_ body: () throws -> ECBFile.Result) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func date(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    /// The rates of one date as code → rate.
    static func day(_ result: ECBFile.Result, _ date: String) -> [String: Decimal] {
        Dictionary(uniqueKeysWithValues: result.rates.filter { $0.date == Self.date(date) }
            .map { ($0.quote.rawValue, $0.rate) })
    }

    static func table(_ pairs: KeyValuePairs<String, String>) -> [String: Decimal] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, T.d($0.value)) })
    }

    static let daily = table([
        "USD": "1.1172", "JPY": "175.68", "CZK": "24.312", "DKK": "7.4604", "GBP": "0.8742", "HUF": "388.45",
        "PLN": "4.2518", "SEK": "10.9845", "CHF": "0.9391", "TRY": "49.4875", "INR": "97.215", "MXN": "20.6134",
        "PHP": "65.341", "ZAR": "19.8742",
    ])

    static let october30 = table([
        "USD": "1.1172", "JPY": "175.68", "GBP": "0.8742", "CHF": "0.9391", "TRY": "49.4875", "INR": "97.215",
        "MXN": "20.6134", "PHP": "65.341", "ZAR": "19.8742",
    ])

    static let october29 = table([
        "USD": "1.1148", "JPY": "175.12", "GBP": "0.8736", "CHF": "0.9378", "TRY": "49.3912", "INR": "97.034",
        "MXN": "20.5817", "PHP": "65.207", "ZAR": "19.9105",
    ])

    static let december28 = table([
        "USD": "1.4721", "JPY": "166.14", "GBP": "0.73335", "CHF": "1.6567", "TRY": "1.7170", "MXN": "16.0285",
        "PHP": "60.790", "ZAR": "10.0301",
    ])

    // MARK: - CSV

    @Test("eurofxref-hist.csv: every quoted cell, N/A skipped, historic BGN and CYP columns skipped")
    func historyCSV() throws {
        let result = try Self.csv("eurofxref-hist.csv")
        #expect(result.rows == 5)
        #expect(result.skippedCurrencies == ["BGN", "CYP"])
        #expect(result.rates.count == 9 + 9 + 8 + 8 + 8)
        #expect(result.rates.allSatisfy { $0.base.rawValue == "EUR" && $0.source == "ECB" })
        #expect(!result.rates.contains { ["BGN", "CYP"].contains($0.quote.rawValue) })
        #expect(Self.day(result, "2026-10-30") == Self.october30)
        #expect(Self.day(result, "2026-10-29") == Self.october29)
        #expect(Self.day(result, "2026-10-28") == Self.table([
            "USD": "1.1193", "JPY": "176.04", "GBP": "0.8751", "CHF": "0.9402", "TRY": "49.5630", "INR": "97.402",
            "MXN": "20.6489", "ZAR": "19.8431",
        ]))  // PHP was N/A
        #expect(Self.day(result, "2008-01-02") == Self.table([
            "USD": "1.4759", "JPY": "163.46", "GBP": "0.74385", "CHF": "1.6555", "TRY": "1.7234", "MXN": "16.0722",
            "PHP": "60.870", "ZAR": "10.0930",
        ]))  // INR was N/A
        #expect(Self.day(result, "2007-12-28") == Self.december28)
        // File order: newest first, currencies in column order.
        let first = try #require(result.rates.first)
        #expect(first == ReferenceRate(base: CurrencyCode("EUR")!, quote: CurrencyCode("USD")!,
                                       date: Self.date("2026-10-30"), rate: T.d("1.1172"), source: "ECB"))
        #expect(result.rates.prefix(3).map(\.quote.rawValue) == ["USD", "JPY", "GBP"])
        #expect(result.rates.last?.quote.rawValue == "ZAR")
        #expect(result.rates.last?.date == Self.date("2007-12-28"))
    }

    @Test("The history without trailing commas and with CRLF line ends reads the same")
    func historyWithoutTrailingCommas() throws {
        let plain = try Self.csv("eurofxref-hist-notrailing.csv")
        let trailing = try Self.csv("eurofxref-hist.csv")
        #expect(try Self.bytes("eurofxref-hist-notrailing.csv").contains(UInt8(ascii: "\r")))
        #expect(plain.rates == trailing.rates)
        #expect(plain.rows == 5)
        #expect(plain.skippedCurrencies == ["BGN", "CYP"])
    }

    @Test("Daily eurofxref.csv: comma-space separators, trailing separator, '30 October 2026'")
    func dailyCSV() throws {
        let result = try Self.csv("eurofxref.csv")
        #expect(result.rows == 1)
        #expect(result.skippedCurrencies.isEmpty)
        #expect(result.rates.count == 14)
        #expect(result.rates.allSatisfy { $0.date == Self.date("2026-10-30") && $0.base.rawValue == "EUR" && $0.source == "ECB" })
        #expect(Self.day(result, "2026-10-30") == Self.daily)
    }

    @Test("Daily dates: day with or without a leading zero, English month names in any case", arguments: [
        ("30 October 2026", "2026-10-30"), ("01 October 2026", "2026-10-01"), ("1 october 2026", "2026-10-01"),
        ("29 FEBRUARY 2028", "2028-02-29"), ("2026-10-30", "2026-10-30"),
    ])
    func dailyDates(text: String, iso: String) {
        #expect(ECBFile.parseDate(text) == Self.date(iso))
    }

    @Test("Not dates", arguments: ["30 Oct 2026", "29 February 2026", "30 October 26", "October 30 2026", "130 October 2026", ""])
    func notDates(text: String) {
        #expect(ECBFile.parseDate(text) == nil)
    }

    @Test("A historic column's values are not looked at; n/a in any case is skipped")
    func skippedColumnsAreNotRead() throws {
        let result = try Self.csv(text: "Date,SIT,USD,MTL\n2006-12-29,239.64,1.3170,whatever\n2006-12-28,239.64,n/a,0.4293\n")
        #expect(result.skippedCurrencies == ["SIT", "MTL"])
        #expect(result.rows == 2)
        #expect(result.rates.map(\.rate) == [T.d("1.3170")])
    }

    @Test("A file of only historic currencies yields rows but no rates")
    func onlyHistoric() throws {
        let result = try Self.csv(text: "Date,CYP,\n2007-12-28,0.58527,\n")
        #expect(result.rows == 1)
        #expect(result.rates.isEmpty)
        #expect(result.skippedCurrencies == ["CYP"])
    }

    @Test("CSV problems name file:line:column (field)", arguments: [
        ("Date,USD,\n2026-10-30,-1.1172,\n", "e.csv:2:2 (USD): expected a rate above zero or N/A, found '-1.1172'"),
        ("Date,USD,\n2026-10-30,,\n", "e.csv:2:2 (USD): expected a rate above zero or N/A, found an empty value"),
        ("Date,USD,JPY,\n2026-10-30,1.1172,,\n", "e.csv:2:3 (JPY): expected a rate above zero or N/A, found an empty value"),
        ("Date,USD,JPY\n2026-10-30,1.1172,\n", "e.csv:2: expected 3 fields as in the header, found 2"),
        ("Date,USD,JPY\n2026-10-30,1.1172,175.68,1\n", "e.csv:2: expected 3 fields as in the header, found 4"),
        ("Date,USD\n2026-10-30,1.1172\n\n2026/10/29,1.1148\n", "e.csv:4:1 (Date): expected a date as YYYY-MM-DD or as 30 October 2026, found '2026/10/29'"),
        ("", "e.csv: the file is empty; expected a header row starting with Date"),
        ("Date,USD,\n", "e.csv: the file has a header but no rows"),
        ("Day,USD\n2026-10-30,1.1172\n", "e.csv:1: expected an ECB reference-rate header starting with Date, found 'Day'"),
        ("Date,\n2026-10-30,\n", "e.csv:1: the header names no currency after Date"),
        ("Date,USD,US Dollar\n", "e.csv:1: the column 'US Dollar' is not a currency code"),
        ("Date,USD,,JPY\n", "e.csv:1: column 3 of the header is empty; expected a currency code"),
        ("Date,USD,usd\n", "e.csv:1: the column 'usd' appears twice in the header"),
        ("Date,USD,EUR\n", "e.csv:1: the column 'EUR' would quote the euro against itself"),
    ])
    func csvProblems(text: String, message: String) {
        #expect(Self.error { try Self.csv(text: text) } == message)
    }

    // MARK: - XML

    @Test("eurofxref-hist.xml: three days, historic BGN and CYP elements skipped")
    func historyXML() throws {
        let result = try Self.xml("eurofxref-hist.xml")
        #expect(result.rows == 3)
        #expect(result.skippedCurrencies == ["BGN", "CYP"])
        #expect(result.rates.count == 9 + 9 + 8)
        #expect(result.rates.allSatisfy { $0.base.rawValue == "EUR" && $0.source == "ECB" })
        #expect(Self.day(result, "2026-10-30") == Self.october30)
        #expect(Self.day(result, "2026-10-29") == Self.october29)
        #expect(Self.day(result, "2007-12-28") == Self.december28)
        #expect(result.rates.first?.quote.rawValue == "USD")
        #expect(result.rates.first?.date == Self.date("2026-10-30"))
    }

    @Test("eurofxref-daily.xml: one day, the same rates as the daily CSV")
    func dailyXML() throws {
        let result = try Self.xml("eurofxref-daily.xml")
        #expect(result.rows == 1)
        #expect(result.skippedCurrencies.isEmpty)
        #expect(Self.day(result, "2026-10-30") == Self.daily)
        #expect(result.rates == (try Self.csv("eurofxref.csv")).rates)
    }

    static let envelope = """
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
        """

    @Test("XML problems name file:line (attribute)", arguments: [
        (envelope + "<Cube>\n<Cube time='2026-10-30'>\n<Cube currency='USD' rate='0'/></Cube></Cube></gesmes:Envelope>",
         "e.xml:3 (rate): expected a rate above zero, found '0'"),
        (envelope + "<Cube>\n<Cube time='30 October 2026'>\n<Cube currency='USD' rate='1.1172'/></Cube></Cube></gesmes:Envelope>",
         "e.xml:2 (time): expected a date as YYYY-MM-DD, found '30 October 2026'"),
        (envelope + "<Cube>\n<Cube time='2026-10-30'/>\n<Cube time='2026-10-30'/></Cube></gesmes:Envelope>",
         "e.xml:3 (time): duplicate of line 2"),
        (envelope + "<Cube><Cube time='2026-10-30'>\n<Cube currency='USD' rate='1.1172'/>\n<Cube currency='USD' rate='1.1172'/></Cube></Cube></gesmes:Envelope>",
         "e.xml:3 (currency): duplicate of line 2"),
        (envelope + "<Cube><Cube time='2026-10-30'>\n<Cube currency='US Dollar' rate='1.1172'/></Cube></Cube></gesmes:Envelope>",
         "e.xml:2 (currency): expected an ISO 4217 currency code, found 'US Dollar'"),
        (envelope + "<Cube><Cube time='2026-10-30'>\n<Cube currency='EUR' rate='1'/></Cube></Cube></gesmes:Envelope>",
         "e.xml:2 (currency): expected a currency other than EUR, found 'EUR'"),
        (envelope + "<Cube>\n<Cube currency='USD' rate='1.1172'/></Cube></gesmes:Envelope>",
         "e.xml:2: a <Cube currency='…'> outside any <Cube time='…'>"),
        (envelope + "<Cube><Cube time='2026-10-30'>\n<Cube time='2026-10-29'/></Cube></Cube></gesmes:Envelope>",
         "e.xml:2: a <Cube time='…'> inside another one"),
        (envelope + "<Cube></Cube></gesmes:Envelope>",
         "e.xml: the file holds no <Cube time='…'> element with rates"),
        ("<rates><rate/></rates>",
         "e.xml:1: expected ECB reference rates (a <gesmes:Envelope> document), found <rates>"),
        ("  \n", "e.xml: the file is empty; expected ECB reference rates as XML"),
        (envelope + "<Cube>\n<Cube time='2026-10-30'></Cub></Cube></gesmes:Envelope>",
         "e.xml:2: the XML is not well-formed: a closing tag does not match the open element"),
    ])
    func xmlProblems(text: String, message: String) {
        #expect(Self.error { try Self.xml(text: text) } == message)
    }

    // MARK: - Bad corpus

    @Test("Each bad fixture fails with its exact message", arguments: [
        ("bad/bad-rate.csv", "bad-rate.csv:3:2 (USD): expected a rate above zero or N/A, found '1.1x7'"),
        ("bad/zero-rate.csv", "zero-rate.csv:3:12 (ZAR): expected a rate above zero or N/A, found '0'"),
        ("bad/bad-date.csv", "bad-date.csv:3:1 (Date): expected a date as YYYY-MM-DD or as 30 October 2026, found '2026-02-30'"),
        ("bad/bad-date-daily.csv", "bad-date-daily.csv:2:1 (Date): expected a date as YYYY-MM-DD or as 30 October 2026, found '30 Octobre 2026'"),
        ("bad/duplicate-date.csv", "duplicate-date.csv:4:1 (Date): duplicate of line 2"),
        ("bad/wrong-field-count.csv", "wrong-field-count.csv:3: expected 12 fields as in the header, found 11"),
        ("bad/truncated.xml", "truncated.xml:17: the XML is not well-formed: the file ends before the document does (is it cut short?)"),
        ("bad/bad-rate.xml", "bad-rate.xml:13 (rate): expected a rate above zero, found 'abc'"),
    ])
    func badCorpus(name: String, message: String) {
        let found = Self.error {
            name.hasSuffix(".xml") ? try Self.xml(name) : try Self.csv(name)
        }
        #expect(found == message)
    }

    // MARK: - Shape detection

    @Test("The shape is told from the first bytes", arguments: [
        ("eurofxref-hist.csv", RateFileFormat.ecbCSV), ("eurofxref-hist-notrailing.csv", .ecbCSV),
        ("eurofxref.csv", .ecbCSV), ("eurofxref-hist.xml", .ecbXML), ("eurofxref-daily.xml", .ecbXML),
        ("bad/truncated.xml", .ecbXML), ("../sample/reference-rates.csv", .generic),
    ])
    func detectFixtures(name: String, format: RateFileFormat) throws {
        #expect(RateFileFormat.detect(Array(try Self.bytes(name).prefix(4096))) == format)
    }

    @Test("Detection of headers in memory", arguments: [
        ("Date,USD,JPY,\n", RateFileFormat.ecbCSV),
        ("\u{FEFF}Date, USD, JPY, \r\n", .ecbCSV),
        ("date,usd\n", .ecbCSV),
        ("Date,USD,JP", .ecbCSV),          // cut short: the last column is not judged
        ("\u{FEFF}  \n<?xml version='1.0'?>", .ecbXML),
        ("<gesmes:Envelope>", .ecbXML),
        ("date,base,quote,rate,source\n2026-10-30,EUR,USD,1.1172,ECB\n", .generic),
        ("Date,Base,Quote,Rate\n", .generic),
        ("base,quote,date,rate\n", .generic),
        ("Date\n", .generic),
        ("Date,US", .generic),
        ("", .generic),
    ])
    func detectText(text: String, format: RateFileFormat) {
        #expect(RateFileFormat.detect(Array(text.utf8)) == format)
    }

    @Test("A generic file is still read by RateFile")
    func genericHandOver() throws {
        let path = Self.path("../sample/reference-rates.csv")
        let bytes = try Self.bytes("../sample/reference-rates.csv")
        #expect(RateFileFormat.detect(bytes) == .generic)
        let rates = try RateFile.read(CSVReader(source: try FileByteSource(path: path), fileName: "reference-rates.csv"),
                                      fileName: "reference-rates.csv", defaultSource: "test")
        #expect(!rates.isEmpty)
    }
}
