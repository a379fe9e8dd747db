import Foundation
@testable import RemitKit

/// Test helpers: currencies, money from text, decimals from text (never from Double literals).
enum T {
    static let usd = Currency(code: CurrencyCode("USD")!, minorUnits: 2)
    static let mxn = Currency(code: CurrencyCode("MXN")!, minorUnits: 2)
    static let jpy = Currency(code: CurrencyCode("JPY")!, minorUnits: 0)
    static let php = Currency(code: CurrencyCode("PHP")!, minorUnits: 2)
    static let kwd = Currency(code: CurrencyCode("KWD")!, minorUnits: 3)
    static let inr = Currency(code: CurrencyCode("INR")!, minorUnits: 2)

    static func d(_ text: String) -> Decimal { DecimalText.parse(text)! }
    static func money(_ text: String, _ currency: Currency) -> Money { Money.parse(text, in: currency)! }
    static func minor(_ text: String, _ currency: Currency) -> Int64 { money(text, currency).minorUnits }

    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func schedule(_ currency: Currency, _ mode: FeeMode, _ bands: [FeeBand]) -> FeeSchedule {
        try! FeeSchedule(currency: currency, mode: mode, bands: bands)
    }

    static func schedule(_ bands: [FeeBand]) -> FeeSchedule { schedule(usd, .onTop, bands) }

    static func pricer(_ schedule: FeeSchedule, rate: RateTerms, reference: String, receive: Currency = mxn) -> Pricer {
        try! Pricer(sendCurrency: schedule.currency, receiveCurrency: receive, model: .schedule(schedule, rate: rate),
                    referenceRate: d(reference))
    }

    /// `|a − b| <= tolerance`.
    static func close(_ a: Decimal, _ b: Decimal, _ tolerance: String = "0.000001") -> Bool {
        let difference = a - b
        return (difference < 0 ? -difference : difference) <= d(tolerance)
    }
}
