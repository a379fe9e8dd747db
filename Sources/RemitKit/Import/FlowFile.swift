import Foundation

/// One year's remittances from one country to another, in whole US dollars.
public struct RemittanceFlow: Hashable, Sendable {
    public var sending: CountryCode
    public var receiving: CountryCode
    public var year: Int
    public var usdAmount: Int64

    public init(sending: CountryCode, receiving: CountryCode, year: Int, usdAmount: Int64) {
        self.sending = sending
        self.receiving = receiving
        self.year = year
        self.usdAmount = usdAmount
    }
}

/// A flow with the line and fields it was read from, for messages and a rejects file.
public struct FlowRow: Sendable {
    public var flow: RemittanceFlow
    public var line: Int
    public var fields: [String]
}

/// Reads the bilateral flows CSV format: `sending,receiving,year,usd_amount` (see docs/reports.md).
public enum FlowFile {
    public static let requiredColumns = ["sending", "receiving", "year", "usd_amount"]

    /// Reads and validates every row, with the line of each flow. Invalid rows are thrown, or handed to
    /// `onInvalid` and left out.
    public static func read(_ csv: CSVReader, fileName: String,
                            onInvalid: InvalidRowHandler? = nil) throws(ImportError) -> [FlowRow] {
        var table = try TableReader(csv: csv, fileName: fileName, required: requiredColumns)
        var flows: [FlowRow] = []
        var seen: [String: Int] = [:]
        var rows = 0
        while let row = try table.next(onInvalid: onInvalid) {
            rows += 1
            guard let flow = try row.validated(onInvalid: onInvalid, { () throws(ImportError) -> RemittanceFlow in
                let sending = try row.country("sending")
                let receiving = try row.country("receiving")
                guard sending.alpha2 != receiving.alpha2 else {
                    throw row.invalid("receiving", expected: "a country other than the sending country \(sending.alpha2)")
                }
                guard let yearText = row.text("year"), yearText.count == 4, let year = Int(yearText), (1900...2200).contains(year) else {
                    throw row.invalid("year", expected: "a year such as 2024")
                }
                guard let amountText = row.text("usd_amount"), amountText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                      let amount = DecimalText.parse(amountText) else {
                    throw row.invalid("usd_amount", expected: "an amount in US dollars, digits with an optional decimal point")
                }
                // Whole dollars (MoneyRounding) are far finer than any flow estimate; 10^15 USD is beyond any real flow.
                let dollars = MoneyRounding.round(amount, places: 0)
                guard dollars < Decimal(string: "1000000000000000") ?? 0 else {
                    throw row.invalid("usd_amount", expected: "an amount below 10^15 US dollars")
                }
                let key = "\(sending.alpha2) \(receiving.alpha2) \(year)"
                if let first = seen[key] { throw ImportError.duplicate(SourceLocation(file: fileName, line: row.line), firstLine: first) }
                seen[key] = row.line
                guard let from = CountryCode(sending.alpha2), let to = CountryCode(receiving.alpha2) else {
                    throw row.invalid("sending", expected: "an ISO 3166 country code")
                }
                return RemittanceFlow(sending: from, receiving: to, year: year, usdAmount: NSDecimalNumber(decimal: dollars).int64Value)
            }) else { continue }
            flows.append(FlowRow(flow: flow, line: row.line, fields: row.fields))
        }
        guard rows > 0 else { throw ImportError.empty(file: fileName, "the file has a header but no rows") }
        return flows
    }
}
