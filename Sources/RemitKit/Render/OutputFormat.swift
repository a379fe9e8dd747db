import Foundation

/// The formats remit prints.
public enum OutputFormat: String, Vocabulary {
    /// Aligned columns for a terminal.
    case table
    /// One JSON object.
    case json
    /// Comma-separated values with a header row.
    case csv
    /// GitHub-flavoured Markdown tables.
    case markdown

    public var label: String { rawValue }
}

/// A table of text cells that renders as aligned columns, CSV or Markdown.
public struct TextTable: Sendable {
    /// How a column aligns its cells in a terminal.
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    /// Columns padded to their widest cell, two spaces apart.
    public func aligned() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return alignments[index] == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header row and CRLF-free LF line ends.
    public func csv() -> String {
        ([headers] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A Markdown table.
    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + alignments.map { $0 == .right ? "---:|" : "---|" }.joined()
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Quotes a field when it holds a comma, a quote or a line end.
    public static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// JSON output: sorted keys, readable, numbers as exact decimals.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// An optional that JSON writes as `null` when absent, where Codable's synthesis would leave the key out.
@propertyWrapper
struct JSONNullable<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// A corridor as the JSON of `compare` and `curve` writes it.
struct CorridorJSON: Encodable {
    var from, to, sendCurrency, receiveCurrency: String
    @JSONNullable var fromName: String?
    @JSONNullable var toName: String?
    var domestic: Bool

    init(_ corridor: Corridor) {
        from = corridor.sendingCountry.rawValue
        to = corridor.receivingCountry.rawValue
        fromName = ReferenceData.country(corridor.sendingCountry)?.name
        toName = ReferenceData.country(corridor.receivingCountry)?.name
        sendCurrency = corridor.sendCurrency.code.rawValue
        receiveCurrency = corridor.receiveCurrency.code.rawValue
        domestic = corridor.isDomestic
    }
}
