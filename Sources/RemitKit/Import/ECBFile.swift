import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The shape of a reference-rate file, told from its first bytes.
public enum RateFileFormat: Sendable, Equatable {
    /// The ECB's `eurofxref-hist.csv` or daily `eurofxref.csv`: a `Date` column, then one column per currency.
    case ecbCSV
    /// The ECB's `eurofxref-hist.xml`, `eurofxref-hist-90d.xml` or `eurofxref-daily.xml`.
    case ecbXML
    /// remit's generic `date,base,quote,rate,source` file, read by ``RateFile``.
    case generic

    /// Tells the shape from the start of a file; pass at least its first line (4 KiB is plenty).
    ///
    /// A leading byte-order mark and white space are skipped. `<` means XML. A CSV header
    /// whose first column is `Date` and whose other columns are all three-letter codes is the
    /// ECB's; anything else, notably the generic `date,base,quote,rate` header (which also starts
    /// with `date`), is ``generic``. When the prefix ends inside the header, its last, possibly
    /// cut-short, column is not looked at.
    public static func detect(_ prefix: [UInt8]) -> RateFileFormat {
        var index = 0
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < prefix.count, [0x20, 0x09, 0x0D, 0x0A].contains(prefix[index]) { index += 1 }
        guard index < prefix.count else { return .generic }
        if prefix[index] == UInt8(ascii: "<") { return .ecbXML }
        var end = index
        while end < prefix.count, prefix[end] != UInt8(ascii: "\n"), prefix[end] != UInt8(ascii: "\r") { end += 1 }
        var names = prefix[index..<end].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
        if end == prefix.count, names.count > 1 { names.removeLast() }
        if names.count > 1, names.last?.isEmpty == true { names.removeLast() }
        guard names.count > 1, names[0].lowercased() == "date",
              names.dropFirst().allSatisfy({ CurrencyCode($0) != nil }) else { return .generic }
        return .ecbCSV
    }
}

/// Reads the European Central Bank's euro foreign exchange reference rates in the four
/// shapes the ECB publishes: `eurofxref-hist.csv`, the daily `eurofxref.csv`,
/// `eurofxref-hist.xml` (also `eurofxref-hist-90d.xml`) and `eurofxref-daily.xml`.
///
/// Every rate becomes a ``ReferenceRate`` with base `EUR`, the column's (or element's)
/// currency as quote, and source `"ECB"`: 1 EUR = `rate` units of the currency. Rates are
/// parsed from their text with ``DecimalText/parse(_:)``, never through `Double`, and must be
/// above zero. `N/A` (a currency not quoted that day) is skipped. Rates come out in file
/// order: newest date first as the ECB writes them, currencies in column order.
///
/// **Historic currencies.** The history names currencies that the euro or a redenomination
/// has since replaced (`CYP`, `SIT`, `MTL`, `EEK`, `SKK`, `LTL`, `LVL`, `HRK`, `BGN`, `ROL`,
/// `TRL`). remit's currency table holds only current ISO 4217 codes
/// (``ReferenceData/currency(named:)``), so a rate in such a currency could not be stored or
/// priced. Those columns (and XML elements) are skipped, their values not even looked at,
/// and their codes listed in ``Result/skippedCurrencies``: importing the whole history must
/// not fail because of the Cyprus pound. A column name that is not a three-letter code at
/// all is still an error.
///
/// **Memory.** The CSV shapes stream through ``CSVReader``. The XML shapes are parsed whole
/// from memory with Foundation's `XMLParser`: the full history is about 7 MB, so reading it
/// at once is cheaper than the complexity of a streamed input.
///
/// Every problem is an ``ImportError`` with its place: `file:line:column (field)` in CSV,
/// `file:line (attribute)` in XML, where the line is `XMLParser`'s.
public enum ECBFile {
    /// The largest ECB XML file remit reads: it is parsed whole, and the full history is about 7 MB.
    public static let maximumXMLBytes: Int64 = 64 << 20

    /// What a file yielded.
    public struct Result: Sendable {
        /// The rates read, in file order.
        public var rates: [ReferenceRate]
        /// The number of dated rows (CSV lines, XML `<Cube time=…>` elements) read.
        public var rows: Int
        /// The codes of historic currencies skipped, in the order first met.
        public var skippedCurrencies: [String]

        public init(rates: [ReferenceRate], rows: Int, skippedCurrencies: [String]) {
            self.rates = rates
            self.rows = rows
            self.skippedCurrencies = skippedCurrencies
        }
    }

    /// The `source` of every rate read.
    public static let source = "ECB"

    // MARK: - CSV

    /// Reads either CSV shape: `eurofxref-hist.csv` (ISO dates, `,` separators) or the daily
    /// `eurofxref.csv` (`30 October 2026`, `, ` separators).
    ///
    /// One trailing separator on the header and on each row is allowed, or none, and blank
    /// lines are skipped. Field counts are compared without that trailing empty field. Spaces
    /// around values are ignored. Either date form is accepted in either shape.
    public static func readCSV(_ csv: CSVReader, fileName: String) throws(ImportError) -> Result {
        var csv = csv
        var headerRecord: TextRecord?
        while let record = try csv.next() {
            if !isBlank(record) {
                headerRecord = record
                break
            }
        }
        guard let headerRecord else {
            throw ImportError.empty(file: fileName, "the file is empty; expected a header row starting with Date")
        }
        let names = withoutTrailingEmpty(headerRecord.fields.map(trimmed))
        guard let first = names.first, first.lowercased() == "date" else {
            throw ImportError.badHeader(
                file: fileName, "expected an ECB reference-rate header starting with Date, found '\(names.first ?? "")'")
        }
        guard names.count > 1 else {
            throw ImportError.badHeader(file: fileName, "the header names no currency after Date")
        }

        // One entry per column after Date: the currency, or nil for a skipped historic one.
        var columns: [CurrencyCode?] = []
        var seenColumns: Set<CurrencyCode> = []
        var skipped: [String] = []
        for (offset, name) in names.enumerated().dropFirst() {
            guard let code = CurrencyCode(name) else {
                throw ImportError.badHeader(
                    file: fileName,
                    name.isEmpty ? "column \(offset + 1) of the header is empty; expected a currency code"
                        : "the column '\(name)' is not a currency code")
            }
            guard seenColumns.insert(code).inserted else {
                throw ImportError.badHeader(file: fileName, "the column '\(name)' appears twice in the header")
            }
            guard code != euro else {
                throw ImportError.badHeader(file: fileName, "the column '\(name)' would quote the euro against itself")
            }
            if ReferenceData.currency(code) == nil {
                columns.append(nil)
                skipped.append(code.rawValue)
            } else {
                columns.append(code)
            }
        }

        var rates: [ReferenceRate] = []
        var dateLines: [CalendarDate: Int] = [:]
        var rows = 0
        while let record = try csv.next() {
            if isBlank(record) { continue }
            let fields = withoutTrailingEmpty(record.fields.map(trimmed))
            guard fields.count == names.count else {
                throw ImportError.fieldCount(SourceLocation(file: fileName, line: record.line),
                                             expected: names.count, found: fields.count)
            }
            func location(_ index: Int) -> SourceLocation {
                SourceLocation(file: fileName, line: record.line, column: index + 1, field: names[index])
            }
            guard let date = parseDate(fields[0]) else {
                throw ImportError.invalidValue(location(0), expected: "a date as YYYY-MM-DD or as 30 October 2026",
                                               found: fields[0])
            }
            if let firstLine = dateLines[date] {
                throw ImportError.duplicate(location(0), firstLine: firstLine)
            }
            dateLines[date] = record.line
            rows += 1
            for (offset, code) in columns.enumerated() {
                guard let code else { continue }
                let index = offset + 1
                let text = fields[index]
                if isNotAvailable(text) { continue }
                guard let rate = DecimalText.parse(text), rate > 0 else {
                    throw ImportError.invalidValue(location(index), expected: "a rate above zero or N/A", found: text)
                }
                rates.append(ReferenceRate(base: euro, quote: code, date: date, rate: rate, source: source))
            }
        }
        guard rows > 0 else { throw ImportError.empty(file: fileName, "the file has a header but no rows") }
        return Result(rates: rates, rows: rows, skippedCurrencies: skipped)
    }

    // MARK: - XML

    /// Reads either XML shape: `<gesmes:Envelope>` holding `<Cube>`, holding one
    /// `<Cube time='YYYY-MM-DD'>` per day (one in the daily file), each holding
    /// `<Cube currency='USD' rate='1.1172'/>` elements.
    ///
    /// The bytes are parsed whole (see the type's documentation); external entities are not
    /// resolved. Elements other than `Cube` (`gesmes:subject`, `gesmes:Sender`) are ignored.
    public static func readXML(_ bytes: [UInt8], fileName: String) throws(ImportError) -> Result {
        guard bytes.contains(where: { ![0x20, 0x09, 0x0D, 0x0A].contains($0) }) else {
            throw ImportError.empty(file: fileName, "the file is empty; expected ECB reference rates as XML")
        }
        // Foundation's XMLParser on Linux crashes on names that are not UTF-8 and on `<?a?>`
        // (found by fuzzing; see XMLInput), so such input stops here.
        if let line = XMLInput.lineOfInvalidUTF8(bytes) {
            throw ImportError.syntax(SourceLocation(file: fileName, line: line), "the file is not valid UTF-8 text (save it as UTF-8)")
        }
        if let line = XMLInput.lineOfProcessingInstruction(bytes) {
            throw ImportError.syntax(SourceLocation(file: fileName, line: line),
                                     "a processing instruction (<?…?>) other than the XML declaration; ECB files hold none")
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let reader = XMLRateReader(fileName: fileName)
        parser.delegate = reader
        let parsed = withExtendedLifetime(reader) { parser.parse() }
        if let error = reader.error { throw error }
        // On Linux a document cut short can parse "successfully" with `parserError` set,
        // so both are checked, and the root element must have been closed.
        if !parsed || parser.parserError != nil || !reader.finished {
            let problem = parser.parserError.map(xmlProblem) ?? xmlProblem(code: truncatedCode)
            throw ImportError.syntax(SourceLocation(file: fileName, line: max(parser.lineNumber, 1)),
                                     "the XML is not well-formed: \(problem)")
        }
        guard reader.rows > 0 else {
            throw ImportError.empty(file: fileName, "the file holds no <Cube time='…'> element with rates")
        }
        return Result(rates: reader.rates, rows: reader.rows, skippedCurrencies: reader.skipped)
    }

    /// libxml2's code for a document that ends too early (Darwin's `XMLParser` uses the same numbers;
    /// corelibs Foundation's `XMLParser.ErrorCode` enum is numbered differently, so it is not used).
    private static let truncatedCode = 5

    /// A short, platform-independent description of an `XMLParser` failure.
    static func xmlProblem(_ error: any Error) -> String {
        xmlProblem(code: (error as NSError).code)
    }

    private static func xmlProblem(code: Int) -> String {
        switch code {
        case 4: "the document is empty"
        case truncatedCode: "the file ends before the document does (is it cut short?)"
        case 76: "a closing tag does not match the open element"
        default: "XMLParser error \(code)"
        }
    }

    // MARK: - Values

    static let euro = CurrencyCode(constant: "EUR")

    private static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"]

    /// `YYYY-MM-DD`, or the daily file's `30 October 2026` (`%d %B %Y`, English month names in any case).
    static func parseDate(_ text: String) -> CalendarDate? {
        if let date = CalendarDate(iso: text) { return date }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, (1...2).contains(parts[0].count), parts[2].count == 4,
              parts[0].allSatisfy(isDigit), parts[2].allSatisfy(isDigit),
              let day = Int(parts[0]), let year = Int(parts[2]),
              let month = monthNames.firstIndex(of: parts[1].lowercased()) else { return nil }
        return CalendarDate(year: year, month: month + 1, day: day)
    }

    private static func isDigit(_ character: Character) -> Bool { ("0"..."9").contains(character) }

    static func isNotAvailable(_ text: String) -> Bool { text.uppercased() == "N/A" }

    private static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }

    private static func isBlank(_ record: TextRecord) -> Bool {
        record.fields.allSatisfy { trimmed($0).isEmpty }
    }

    /// Drops one trailing empty field: the ECB ends every line with a separator.
    private static func withoutTrailingEmpty(_ fields: [String]) -> [String] {
        fields.count > 1 && fields.last?.isEmpty == true ? Array(fields.dropLast()) : fields
    }
}

/// The `XMLParser` delegate behind ``ECBFile/readXML(_:fileName:)``; stops at the first problem.
private final class XMLRateReader: NSObject, XMLParserDelegate {
    let fileName: String
    var error: ImportError?
    var rates: [ReferenceRate] = []
    var rows = 0
    var skipped: [String] = []
    /// Whether the root element was closed.
    private(set) var finished = false
    private var skippedSet: Set<String> = []
    private var depth = 0
    /// The `<Cube time=…>` being read: its date and element depth.
    private var day: (date: CalendarDate, depth: Int)?
    private var dateLines: [CalendarDate: Int] = [:]
    private var currencyLines: [CurrencyCode: Int] = [:]

    init(fileName: String) { self.fileName = fileName }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard error == nil else { return }
        depth += 1
        do throws(ImportError) {
            try start(localName(elementName), attributes: attributeDict, line: parser.lineNumber)
        } catch {
            self.error = error
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if let day, day.depth == depth { self.day = nil }
        depth -= 1
        if depth == 0 { finished = true }
    }

    private func localName(_ name: String) -> Substring {
        name.split(separator: ":", maxSplits: 1).last ?? Substring(name)
    }

    private func start(_ name: Substring, attributes: [String: String], line: Int) throws(ImportError) {
        func location(_ field: String) -> SourceLocation { SourceLocation(file: fileName, line: line, field: field) }
        if depth == 1 {
            guard name == "Envelope" else {
                throw ImportError.badHeader(
                    file: fileName, "expected ECB reference rates (a <gesmes:Envelope> document), found <\(name)>")
            }
            return
        }
        guard name == "Cube" else { return }
        if let timeText = attributes["time"] {
            if day != nil {
                throw ImportError.syntax(SourceLocation(file: fileName, line: line),
                                         "a <Cube time='…'> inside another one")
            }
            let text = timeText.trimmingCharacters(in: .whitespaces)
            guard let date = CalendarDate(iso: text) else {
                throw ImportError.invalidValue(location("time"), expected: "a date as YYYY-MM-DD", found: timeText)
            }
            if let firstLine = dateLines[date] { throw ImportError.duplicate(location("time"), firstLine: firstLine) }
            dateLines[date] = line
            day = (date, depth)
            currencyLines = [:]
            rows += 1
            return
        }
        let currencyText = attributes["currency"]
        guard let day else {
            if currencyText != nil || attributes["rate"] != nil {
                throw ImportError.syntax(SourceLocation(file: fileName, line: line),
                                         "a <Cube currency='…'> outside any <Cube time='…'>")
            }
            return // the <Cube> that wraps the days
        }
        let text = (currencyText ?? "").trimmingCharacters(in: .whitespaces)
        guard let code = CurrencyCode(text) else {
            throw ImportError.invalidValue(location("currency"), expected: "an ISO 4217 currency code",
                                           found: currencyText ?? "")
        }
        guard code != ECBFile.euro else {
            throw ImportError.invalidValue(location("currency"), expected: "a currency other than EUR", found: text)
        }
        if let firstLine = currencyLines[code] {
            throw ImportError.duplicate(location("currency"), firstLine: firstLine)
        }
        currencyLines[code] = line
        guard ReferenceData.currency(code) != nil else {
            if skippedSet.insert(code.rawValue).inserted { skipped.append(code.rawValue) }
            return
        }
        let rateText = (attributes["rate"] ?? "").trimmingCharacters(in: .whitespaces)
        if ECBFile.isNotAvailable(rateText) { return }
        guard let rate = DecimalText.parse(rateText), rate > 0 else {
            throw ImportError.invalidValue(location("rate"), expected: "a rate above zero", found: rateText)
        }
        rates.append(ReferenceRate(base: ECBFile.euro, quote: code, date: day.date, rate: rate, source: ECBFile.source))
    }
}

private extension CurrencyCode {
    /// A code written in this file as three upper-case letters, so known to be valid.
    init(constant: StaticString) { rawValue = "\(constant)" }
}
