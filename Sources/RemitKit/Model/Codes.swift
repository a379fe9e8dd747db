/// An ISO 4217 alphabetic currency code such as `USD`, `JPY` or `KWD`.
///
/// Only three ASCII letters are accepted; they are upper-cased. Whether the
/// code names a real currency is a question for ``ReferenceData``.
public struct CurrencyCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The three upper-case letters.
    public let rawValue: String

    /// Creates a code from text, or `nil` unless it is exactly three ASCII letters.
    public init?(_ text: some StringProtocol) {
        guard let code = asciiLetters(text, count: 3) else { return nil }
        rawValue = code
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = CurrencyCode(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "not a currency code: \(text)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// An ISO 3166-1 alpha-2 country code such as `MX`.
public struct CountryCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The two upper-case letters.
    public let rawValue: String

    /// Creates a code from text, or `nil` unless it is exactly two ASCII letters.
    public init?(_ text: some StringProtocol) {
        guard let code = asciiLetters(text, count: 2) else { return nil }
        rawValue = code
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = CountryCode(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "not a country code: \(text)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Returns `text` upper-cased if it is exactly `count` ASCII letters.
///
/// Checked byte by byte before upper-casing: `"uß".uppercased()` is `"USS"`,
/// which must not pass for a currency code.
func asciiLetters(_ text: some StringProtocol, count: Int) -> String? {
    let bytes = Array(text.utf8)
    guard bytes.count == count else { return nil }
    var upper: [UInt8] = []
    upper.reserveCapacity(count)
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper.append(byte)
        case UInt8(ascii: "a")...UInt8(ascii: "z"): upper.append(byte - 32)
        default: return nil
        }
    }
    return String(decoding: upper, as: UTF8.self)
}
