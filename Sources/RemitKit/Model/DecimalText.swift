import Foundation

/// Strict conversion between decimal text and `Decimal`.
///
/// Foundation's `Decimal(string:)` accepts `"1.5abc"` as `1.5`, and
/// `Decimal(3.133)` goes through `Double`. Every decimal that remit reads
/// (rates, percentages, amounts) passes through ``parse(_:)`` instead, which
/// accepts only a plain decimal number: an optional sign, digits, an optional
/// fraction and an optional exponent (`1.2E-05`, as spreadsheets write it).
public enum DecimalText {
    /// Parses `text` as a decimal number, or returns `nil` if it is anything else.
    public static func parse(_ text: some StringProtocol) -> Decimal? {
        var text = String(text)
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses UTF-8 bytes as a decimal number without going through `String` or `Double`.
    ///
    /// Plain numbers of up to 18 significant digits take ``FixedDecimal``'s exact fast path;
    /// exponents and longer numbers are checked here and handed to Foundation.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        if let fixed = FixedDecimal(bytes: bytes) { return fixed.decimalValue }
        return slowParse(bytes)
    }

    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        guard isPlainNumber(bytes) else { return nil }
        return Decimal(string: String(decoding: bytes, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The canonical text of `value`: no exponent, no trailing zeros, `.` as separator.
    public static func format(_ value: Decimal) -> String {
        var text = value.description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// `value` rounded to `places` decimals with ``MoneyRounding``, as fixed-point text.
    public static func format(_ value: Decimal, places: Int) -> String {
        let rounded = MoneyRounding.round(value, places: places)
        var text = format(rounded)
        guard places > 0 else { return text }
        if !text.contains(".") { text += "." }
        let decimals = text.count - 1 - (text.firstIndex(of: ".").map { text.distance(from: text.startIndex, to: $0) } ?? 0)
        text += String(repeating: "0", count: max(0, places - decimals))
        return text
    }

    static func isPlainNumber(_ bytes: some Collection<UInt8>) -> Bool {
        var index = bytes.startIndex
        func peek() -> UInt8? { index < bytes.endIndex ? bytes[index] : nil }
        func digits() -> Int {
            var count = 0
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                count += 1
                index = bytes.index(after: index)
            }
            return count
        }
        if let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            index = bytes.index(after: index)
        }
        var mantissaDigits = digits()
        if peek() == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0, mantissaDigits <= 38 else { return false }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                index = bytes.index(after: index)
            }
            let exponentDigits = digits()
            guard exponentDigits > 0, exponentDigits <= 3 else { return false }
        }
        return index == bytes.endIndex
    }
}

/// The one rounding rule remit applies to money: half away from zero.
///
/// A computed amount (a fee, a converted amount, a cost) is kept exact as a
/// `Decimal` and rounded once, when it becomes a whole number of minor units.
/// Ties go away from zero (USD 0.125 becomes 0.13, −0.125 becomes −0.13), as in
/// commercial practice and spreadsheet `ROUND`, which the RPW tables use.
public enum MoneyRounding {
    /// `value` rounded to `places` decimal places, ties away from zero.
    public static func round(_ value: Decimal, places: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }
}

extension Decimal {
    /// `self` × 10^`exponent`, exactly.
    func scaled(by exponent: Int) -> Decimal {
        var value = self
        var result = Decimal()
        _ = NSDecimalMultiplyByPowerOf10(&result, &value, Int16(exponent), .plain)
        return result
    }

    /// The integer value of a `Decimal` that has no fraction and fits in `Int64`.
    var exactInt64: Int64? {
        guard self == MoneyRounding.round(self, places: 0) else { return nil }
        guard self >= Decimal(Int64.min), self <= Decimal(Int64.max) else { return nil }
        return Int64(DecimalText.format(self))
    }
}
