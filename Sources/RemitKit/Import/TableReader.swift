import Foundation

/// A column of a table, looked up by name once: its index (if the header has it) and its name as written.
struct ColumnRef: Sendable {
    /// The 0-based index, or `nil` when the header lacks the column.
    let index: Int?
    /// The header name as written (or the looked-up name when absent).
    let name: String
}

/// Reads a table whose first record is a header, matching columns by name.
///
/// Column names are matched case-insensitively, trimmed, in any order. Every
/// value accessor on ``TableRow`` reports failures with the exact location.
struct TableReader {
    private var csv: any RecordSource
    let fileName: String
    /// Column index by normalised header name.
    let columns: [String: Int]
    /// The header as written.
    let header: [String]

    /// Reads the header; throws if it lacks any of `required`.
    init(csv: any RecordSource, fileName: String, required: [String]) throws(ImportError) {
        var csv = csv
        guard let first = try csv.next(), !(first.count == 1 && first.range(0).isEmpty) else {
            throw ImportError.empty(file: fileName, "the file is empty; expected a header row naming the columns")
        }
        var columns: [String: Int] = [:]
        let names = first.fields
        for (index, name) in names.enumerated() {
            let key = Self.key(name)
            if key.isEmpty { continue }
            if columns[key] != nil {
                throw ImportError.badHeader(file: fileName, "the column '\(name.trimmingCharacters(in: .whitespaces))' appears twice in the header")
            }
            columns[key] = index
        }
        let missing = required.filter { columns[Self.key($0)] == nil }
        guard missing.isEmpty else { throw ImportError.missingColumns(file: fileName, missing) }
        self.csv = csv
        self.fileName = fileName
        self.columns = columns
        self.header = names
    }

    /// Whether the header has this column.
    func has(_ name: String) -> Bool { columns[Self.key(name)] != nil }

    /// The column called `name` (case-insensitive).
    func column(_ name: String) -> ColumnRef {
        let index = columns[Self.key(name)]
        return ColumnRef(index: index, name: index.map { header[$0].trimmingCharacters(in: .whitespaces) } ?? name)
    }

    /// The next data row; blank lines are skipped. A row may not have more fields than the header,
    /// except one trailing empty field (ECB style), nor fewer, except a dropped trailing empty one.
    mutating func next() throws(ImportError) -> TableRow? {
        while let record = try csv.next() {
            if record.bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            var count = record.count
            if count == header.count + 1, record.range(count - 1).isEmpty { count -= 1 }
            let padded = (count == header.count - 1 && header.last?.trimmingCharacters(in: .whitespaces).isEmpty == true)
                || (csv.allowsShortRows && count < header.count)
            guard count == header.count || padded else {
                throw ImportError.fieldCount(SourceLocation(file: fileName, line: record.line),
                                             expected: header.count, found: record.count)
            }
            return TableRow(record: record, table: self)
        }
        return nil
    }

    /// Bytes read so far.
    var bytesRead: Int64 { csv.bytesRead }

    static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// One data row of a ``TableReader``, with typed, located accessors. Fields are decoded only when read.
struct TableRow {
    let record: TextRecord
    private let columns: [String: Int]
    private let header: [String]
    private let fileName: String

    fileprivate init(record: TextRecord, table: TableReader) {
        self.record = record
        self.columns = table.columns
        self.header = table.header
        self.fileName = table.fileName
    }

    var line: Int { record.line }
    /// The fields as text (for a rejects file).
    var fields: [String] { record.fields }

    func ref(_ name: String) -> ColumnRef {
        let index = columns[TableReader.key(name)]
        return ColumnRef(index: index, name: index.map { header[$0].trimmingCharacters(in: .whitespaces) } ?? name)
    }

    /// Where a column of this row is.
    func location(_ column: ColumnRef) -> SourceLocation {
        SourceLocation(file: fileName, line: line, column: column.index.map { $0 + 1 }, field: column.name)
    }

    func location(_ name: String) -> SourceLocation { location(ref(name)) }

    /// The field's bytes without surrounding spaces; `nil` when absent, empty, or RPW's `..`.
    func trimmedRange(_ column: ColumnRef) -> Range<Int>? {
        guard let index = column.index, index < record.count else { return nil }
        var range = record.range(index)
        let bytes = record.bytes
        while let first = range.first, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") {
            range = range.dropFirst()
        }
        while let last = range.last, bytes[last] == UInt8(ascii: " ") || bytes[last] == UInt8(ascii: "\t") {
            range = range.dropLast()
        }
        if range.isEmpty { return nil }
        if range.count == 2, bytes[range.lowerBound] == UInt8(ascii: "."), bytes[range.lowerBound + 1] == UInt8(ascii: ".") { return nil }
        return range
    }

    /// The trimmed text of a column; `nil` when the column is absent, empty, or RPW's `..`.
    func text(_ column: ColumnRef) -> String? {
        trimmedRange(column).map { String(decoding: record.bytes[$0], as: UTF8.self) }
    }

    func text(_ name: String) -> String? { text(ref(name)) }

    /// The raw text for an error message.
    func raw(_ column: ColumnRef) -> String {
        guard let index = column.index, index < record.count else { return "" }
        return record.field(index)
    }

    func invalid(_ column: ColumnRef, expected: String) -> ImportError {
        .invalidValue(location(column), expected: expected, found: raw(column))
    }

    func invalid(_ name: String, expected: String) -> ImportError { invalid(ref(name), expected: expected) }

    /// A required non-empty value.
    func required(_ name: String, expected: String = "a value") throws(ImportError) -> String {
        guard let value = text(name) else { throw invalid(name, expected: expected) }
        return value
    }

    /// An optional decimal number, parsed from the bytes (no `String`, no `Double`).
    func decimal(_ column: ColumnRef, expected: String = "a number") throws(ImportError) -> Decimal? {
        guard let range = trimmedRange(column) else { return nil }
        let parsed = record.bytes.withUnsafeBufferPointer { buffer in
            DecimalText.parse(bytes: UnsafeBufferPointer(rebasing: buffer[range]))
        }
        guard let number = parsed else { throw invalid(column, expected: expected) }
        return number
    }

    /// An optional exact decimal parsed straight from the bytes; numbers with an exponent or
    /// more than 18 digits go through `Decimal` and are rounded to 18 significant digits.
    func fixed(_ column: ColumnRef, expected: String = "a number") throws(ImportError) -> FixedDecimal? {
        guard let range = trimmedRange(column) else { return nil }
        let parsed = record.bytes.withUnsafeBufferPointer { buffer in
            FixedDecimal(bytes: UnsafeBufferPointer(rebasing: buffer[range]))
        }
        if let parsed { return parsed }
        guard let value = try decimal(column, expected: expected) else { return nil }
        var text = DecimalText.format(MoneyRounding.round(value, places: 12))
        guard let converted = text.withUTF8({ FixedDecimal(bytes: $0) }) else { throw invalid(column, expected: expected) }
        return converted
    }

    func decimal(_ name: String, expected: String = "a number") throws(ImportError) -> Decimal? {
        try decimal(ref(name), expected: expected)
    }

    /// A value from a vocabulary.
    func vocabulary<V: Vocabulary>(_ name: String, _: V.Type) throws(ImportError) -> V? {
        guard let value = text(name) else { return nil }
        guard let term = V(lenient: value) else { throw invalid(name, expected: "one of \(V.acceptedValues)") }
        return term
    }

    /// `yes`/`no` in any case (also `true`/`false`, `1`/`0`).
    func flag(_ column: ColumnRef) throws(ImportError) -> Bool? {
        guard let value = text(column) else { return nil }
        switch value.lowercased() {
        case "yes", "y", "true", "1": return true
        case "no", "n", "false", "0": return false
        default: throw invalid(column, expected: "yes or no")
        }
    }

    func flag(_ name: String) throws(ImportError) -> Bool? { try flag(ref(name)) }

    /// An amount in major units, converted exactly to minor units of `currency`.
    func money(_ name: String, in currency: Currency) throws(ImportError) -> Money? {
        guard let value = text(name) else { return nil }
        guard let money = Money.parse(value, in: currency) else {
            throw invalid(name, expected: "an amount in \(currency.code) with at most \(currency.minorUnits) decimals")
        }
        guard money.minorUnits >= 0 else { throw invalid(name, expected: "an amount of zero or more") }
        return money
    }

    /// An ISO date, `YYYY-MM-DD`.
    func date(_ name: String) throws(ImportError) -> CalendarDate? {
        guard let value = text(name) else { return nil }
        guard let date = CalendarDate(iso: value) else { throw invalid(name, expected: "a date as YYYY-MM-DD") }
        return date
    }

    /// A country by ISO code or English name.
    func country(_ name: String) throws(ImportError) -> CountryEntry {
        guard let value = text(name), let country = ReferenceData.country(value) else {
            throw invalid(name, expected: "an ISO 3166 country code or name")
        }
        return country
    }

    /// An ISO 4217 currency code.
    func currency(_ name: String) throws(ImportError) -> Currency? {
        guard let value = text(name) else { return nil }
        guard let currency = ReferenceData.currency(named: value) else {
            throw invalid(name, expected: "an ISO 4217 currency code")
        }
        return currency
    }
}
