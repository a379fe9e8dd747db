import Foundation

/// A calendar day, `YYYY-MM-DD`, with no time zone: the unit of rate dates and validity.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date if the day exists in the proleptic Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let date = bytes.withUnsafeBufferPointer({ CalendarDate(iso: $0) }) else { return nil }
        self = date
    }

    /// Parses `YYYY-MM-DD` exactly, from UTF-8 bytes.
    public init?(iso bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
              let day = Self.number(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Today in UTC.
    public static func today(now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDate.epoch
    }

    static let epoch = CalendarDate(uncheckedYear: 1970, month: 1, day: 1)

    private init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s text (`YYYY-MM-DD`) to `bytes` as UTF-8, without making a `String`.
    public func write(to bytes: inout [UInt8]) {
        // Every initialiser keeps the year in 1–9999, so four digits always do.
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &bytes)
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Days from `other` to `self`.
    public func days(since other: CalendarDate) -> Int { dayNumber - other.dayNumber }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func number(_ bytes: some Collection<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// A survey period, a calendar quarter written as RPW writes it: `2025_3Q`.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// The quarter, 1 to 4.
    public let quarter: Int

    /// Creates a period from a year and a quarter (1–4).
    public init?(year: Int, quarter: Int) {
        guard Self.years.contains(year), (1...4).contains(quarter) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    /// Parses `2025_3Q` (also `2025-3Q`, `2025Q3`, `2025-Q3`, any case).
    public init?(_ text: some StringProtocol) {
        let compact = text.uppercased().filter { $0 != "_" && $0 != "-" && $0 != " " }
        guard compact.count == 6, let year = Int(compact.prefix(4)) else { return nil }
        let rest = Array(compact.dropFirst(4))
        let quarterDigit: Character
        if rest[1] == "Q" { quarterDigit = rest[0] } else if rest[0] == "Q" { quarterDigit = rest[1] } else { return nil }
        guard let quarter = Int(String(quarterDigit)) else { return nil }
        self.init(year: year, quarter: quarter)
    }

    /// Parses RPW's own spelling, `2025_3Q`, from UTF-8 bytes; `nil` for any other (``init(_:)`` reads those).
    public init?(canonical bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "_"), bytes[6] == UInt8(ascii: "Q"),
              let year = CalendarDate.number(bytes[0..<4]), let quarter = CalendarDate.number(bytes[5..<6]) else { return nil }
        self.init(year: year, quarter: quarter)
    }

    /// The period that contains `date`.
    public init(containing date: CalendarDate) {
        year = date.year
        quarter = (date.month - 1) / 3 + 1
    }

    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s text (`2025_3Q`) to `bytes` as UTF-8, without making a `String`.
    public func write(to bytes: inout [UInt8]) {
        appendDigits(year, count: 4, to: &bytes)   // ``years`` are four digits
        bytes.append(UInt8(ascii: "_"))
        appendDigits(quarter, count: 1, to: &bytes)
        bytes.append(UInt8(ascii: "Q"))
    }

    /// The years a period may have: those `price_observation.period`'s CHECK accepts (`[12]___`) from 1900 on.
    public static let years = 1900...2999

    /// The first day of the quarter.
    public var firstDay: CalendarDate {
        CalendarDate(year: year, month: (quarter - 1) * 3 + 1, day: 1) ?? .epoch
    }

    /// The last day of the quarter.
    public var lastDay: CalendarDate {
        let month = quarter * 3
        return CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year)) ?? .epoch
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.quarter) < (rhs.year, rhs.quarter) }
}

/// Appends the last `count` decimal digits of `value` (zero-padded) to `bytes`.
private func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<max(count, 1) { divisor *= 10 }
    while divisor > 0 {
        bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value.magnitude / UInt(divisor) % 10))
        divisor /= 10
    }
}
