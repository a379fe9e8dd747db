import Foundation

/// A currency with its ISO 4217 minor unit: `JPY` has 0 decimals, `USD` 2, `KWD` 3.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The ISO 4217 code.
    public let code: CurrencyCode
    /// How many decimal places the currency's minor unit has (0 to 4).
    public let minorUnits: Int

    /// Creates a currency; `minorUnits` comes from ``ReferenceData`` in practice.
    public init(code: CurrencyCode, minorUnits: Int) {
        self.code = code
        self.minorUnits = minorUnits
    }

    public var description: String { code.rawValue }
}

/// An amount of money: a whole number of minor units of one currency.
///
/// Money never holds a fraction of a minor unit. Exact intermediate values are
/// `Decimal` and become `Money` through ``rounded(_:in:)``, the single place
/// where ``MoneyRounding`` is applied.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units (cents for USD, yen for JPY, fils for KWD).
    public let minorUnits: Int64
    /// The currency the amount is in.
    public let currency: Currency

    /// Creates an amount from minor units.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// An exact amount in major units (e.g. `12.345`) rounded once to minor units.
    public static func rounded(_ majorUnits: Decimal, in currency: Currency) -> Money {
        let minor = MoneyRounding.round(majorUnits.scaled(by: currency.minorUnits), places: 0)
        let clamped = min(max(minor, Decimal(-Int64.max)), Decimal(Int64.max))
        return Money(minorUnits: clamped.exactInt64 ?? 0, currency: currency)
    }

    /// Parses an amount such as `300` or `299.99`; `nil` if it is not a number or
    /// has more decimals than the currency's minor unit allows.
    public static func parse(_ text: some StringProtocol, in currency: Currency) -> Money? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = DecimalText.parse(trimmed) else { return nil }
        let minor = value.scaled(by: currency.minorUnits)
        guard let units = minor.exactInt64 else { return nil }
        return Money(minorUnits: units, currency: currency)
    }

    /// The amount in major units, exactly.
    public var decimalValue: Decimal {
        Decimal(minorUnits).scaled(by: -currency.minorUnits)
    }

    /// The amount as fixed-point text without the code, e.g. `1234.50`.
    public var amountText: String {
        DecimalText.format(decimalValue, places: currency.minorUnits)
    }

    /// The amount with its code, e.g. `USD 1,234.50`.
    public var description: String {
        "\(currency.code) \(Self.grouped(amountText))"
    }

    static func grouped(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        let integer = Array(parts.first.map(String.init) ?? "0")
        var out = ""
        for (offset, char) in integer.enumerated() {
            if offset > 0, (integer.count - offset) % 3 == 0 { out.append(",") }
            out.append(char)
        }
        if parts.count == 2 { out += "." + parts[1] }
        return (negative ? "-" : "") + out
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }
}
