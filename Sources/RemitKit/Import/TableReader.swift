import Foundation

/// Reads a CSV file whose first record is a header, matching columns by name.
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
        guard let first = try csv.next(), !(first.fields.count == 1 && first.fields[0].isEmpty) else {
            throw ImportError.empty(file: fileName, "the file is empty; expected a header row naming the columns")
        }
        var columns: [String: Int] = [:]
        for (index, name) in first.fields.enumerated() {
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
        self.header = first.fields
    }

    /// Whether the header has this column.
    func has(_ name: String) -> Bool { columns[Self.key(name)] != nil }

    /// The next data row; blank lines are skipped. A row may not have more fields than the header,
    /// and may have fewer only when the missing ones are trailing empty ones (a trailing comma dropped).
    mutating func next() throws(ImportError) -> TableRow? {
        while let record = try csv.next() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var fields = record.fields
            // Tolerate one trailing empty field on every line (ECB style) or its absence.
            if fields.count == header.count + 1, fields.last?.isEmpty == true { fields.removeLast() }
            if fields.count == header.count - 1, header.last?.trimmingCharacters(in: .whitespaces).isEmpty == true {
                fields.append("")
            }
            guard fields.count == header.count else {
                throw ImportError.fieldCount(SourceLocation(file: fileName, line: record.line),
                                             expected: header.count, found: fields.count)
            }
            return TableRow(fields: fields, line: record.line, table: self)
        }
        return nil
    }

    /// Bytes read so far.
    var bytesRead: Int64 { csv.bytesRead }

    static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// One data row of a ``TableReader``, with typed, located accessors.
struct TableRow {
    let fields: [String]
    let line: Int
    private let columns: [String: Int]
    private let header: [String]
    private let fileName: String

    fileprivate init(fields: [String], line: Int, table: TableReader) {
        self.fields = fields
        self.line = line
        self.columns = table.columns
        self.header = table.header
        self.fileName = table.fileName
    }

    /// Where a column of this row is.
    func location(_ name: String) -> SourceLocation {
        let index = columns[TableReader.key(name)]
        return SourceLocation(file: fileName, line: line, column: index.map { $0 + 1 },
                              field: index.map { header[$0].trimmingCharacters(in: .whitespaces) } ?? name)
    }

    /// The trimmed text of a column; `nil` when the column is absent, empty, or RPW's `..`.
    func text(_ name: String) -> String? {
        guard let index = columns[TableReader.key(name)] else { return nil }
        let value = fields[index].trimmingCharacters(in: .whitespaces)
        return value.isEmpty || value == ".." ? nil : value
    }

    /// The raw text for an error message.
    func raw(_ name: String) -> String {
        columns[TableReader.key(name)].map { fields[$0] } ?? ""
    }

    func invalid(_ name: String, expected: String) -> ImportError {
        .invalidValue(location(name), expected: expected, found: raw(name))
    }

    /// A required non-empty value.
    func required(_ name: String, expected: String = "a value") throws(ImportError) -> String {
        guard let value = text(name) else { throw invalid(name, expected: expected) }
        return value
    }

    /// An optional decimal number.
    func decimal(_ name: String, expected: String = "a number") throws(ImportError) -> Decimal? {
        guard let value = text(name) else { return nil }
        guard let number = DecimalText.parse(value) else { throw invalid(name, expected: expected) }
        return number
    }

    /// A value from a vocabulary.
    func vocabulary<V: Vocabulary>(_ name: String, _: V.Type) throws(ImportError) -> V? {
        guard let value = text(name) else { return nil }
        guard let term = V(lenient: value) else { throw invalid(name, expected: "one of \(V.acceptedValues)") }
        return term
    }

    /// `yes`/`no` in any case (also `true`/`false`, `1`/`0`).
    func flag(_ name: String) throws(ImportError) -> Bool? {
        guard let value = text(name) else { return nil }
        switch value.lowercased() {
        case "yes", "y", "true", "1": return true
        case "no", "n", "false", "0": return false
        default: throw invalid(name, expected: "yes or no")
        }
    }

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
