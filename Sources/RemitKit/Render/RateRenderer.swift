import Foundation

/// Prints a reference rate for `remit rates`.
public enum RateRenderer {
    public static func render(_ rate: RateLookup, from: CurrencyCode, to: CurrencyCode, requested: CalendarDate,
                              as format: OutputFormat) throws -> String {
        let value = Numbers.rate(rate.rate)
        let age = requested.days(since: rate.date)
        switch format {
        case .json:
            return try JSONOutput.encode(RateJSON(from: from.rawValue, to: to.rawValue, rate: value, date: rate.date.description,
                                                  source: rate.source, ageDays: age))
        case .csv:
            var table = TextTable(headers: ["from", "to", "rate", "date", "source", "ageDays"])
            table.rows = [[from.rawValue, to.rawValue, DecimalText.format(value), rate.date.description, rate.source, String(age)]]
            return table.csv()
        case .table, .markdown:
            var text = "1 \(from) = \(DecimalText.format(value)) \(to) (\(rate.source), \(rate.date)"
            text += age > 0 ? ", \(age) day\(age == 1 ? "" : "s") before \(requested))\n" : ")\n"
            return format == .markdown ? "- " + text : text
        }
    }

    private struct RateJSON: Encodable {
        var from, to: String
        var rate: Decimal
        var date, source: String
        var ageDays: Int
    }
}
