import Foundation

/// An exact decimal held as an integer and a number of decimal places: `17.2345` is (172345, 4).
///
/// The bulk import path parses millions of published figures; `Decimal(string:)`
/// and `Decimal.description` cost microseconds each, while this parses and
/// prints in a few dozen nanoseconds with no rounding. Values with more than 18
/// significant digits or an exponent are not representable (`nil`): callers
/// fall back to `Decimal`.
public struct FixedDecimal: Hashable, Sendable, CustomStringConvertible {
    /// The digits as an integer.
    public let units: Int64
    /// How many of the digits are decimals (0–18).
    public let scale: Int

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// Parses `-12.345`, `+1`, `.5`; `nil` for anything else (exponents, separators, text).
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var units: Int64 = 0
        var digits = 0, scale = 0, significant = 0
        var seenPoint = false
        while index < count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits += 1
                if units != 0 || byte != UInt8(ascii: "0") { significant += 1 }
                guard significant <= 18, scale < 18 else { return nil }
                units = units * 10 + Int64(byte - UInt8(ascii: "0"))
                if seenPoint { scale += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        self.units = negative ? -units : units
        self.scale = scale
    }

    /// The exact value as a `Decimal`.
    public var decimalValue: Decimal {
        let magnitude = Decimal(sign: .plus, exponent: -scale, significand: Decimal(units.magnitude))
        return units < 0 ? -magnitude : magnitude
    }

    /// The value rescaled to `places` decimals, ties away from zero (``MoneyRounding``'s rule); `nil` on overflow.
    public func rescaled(to places: Int) -> Int64? {
        if places >= scale {
            let (value, overflow) = units.multipliedReportingOverflow(by: Self.power(places - scale))
            return overflow ? nil : value
        }
        let divisor = Self.power(scale - places)
        let (quotient, remainder) = units.quotientAndRemainder(dividingBy: divisor)
        if remainder.magnitude * 2 >= divisor.magnitude { return quotient + (units < 0 ? -1 : 1) }
        return quotient
    }

    /// Plain text without an exponent or trailing zeros: `17.2345`, `-0.38`, `200`.
    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s text to `bytes` as UTF-8, without making a `String`: the bulk
    /// import writes millions of figures straight into the buffers it binds to SQLite.
    public func write(to bytes: inout [UInt8]) {
        var magnitude = units.magnitude
        var places = scale
        while places > 0, magnitude % 10 == 0 {
            magnitude /= 10
            places -= 1
        }
        // The text right to left into a buffer (up to 20 digits or `places` + 1, a point and a sign), then appended
        // in one go.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(places, 20) + 3) { buffer in
            var start = buffer.count
            func put(_ byte: UInt8) {
                start -= 1
                buffer[start] = byte
            }
            var written = 0
            repeat {
                if written == places, places > 0 { put(UInt8(ascii: ".")) }
                put(UInt8(ascii: "0") + UInt8(magnitude % 10))
                magnitude /= 10
                written += 1
            } while magnitude > 0 || written <= places
            if units < 0 { put(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    static func power(_ exponent: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value &*= 10 }
        return value
    }
}
