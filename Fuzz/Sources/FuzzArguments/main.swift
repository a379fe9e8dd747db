import Foundation
import FuzzSupport
@testable import RemitKit

// The command line's argument parsers live in the `remit` executable (Sources/remit/Options.swift,
// Compare.swift, Curve.swift), which a fuzz target cannot link; they are thin wrappers, so this
// target fuzzes the library functions they call, in the same way: countries
// (ReferenceData.country), currencies (ReferenceData.currency(named:)), amounts (the
// `--amount`/`--receive` cleaning, DecimalText.parse, Money.parse, Money.rounded), periods
// (Period), dates (CalendarDate(iso:)), and the readers' other value parsers (FixedDecimal, RPW and
// ECB dates). Parsing must not crash, the byte and text paths must agree, and what parses must
// survive a round trip through its own description.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let fixed = FixedDecimal(bytes: buffer)
    let fromBytes = DecimalText.parse(bytes: buffer)
    if let fixed { Fuzz.check(fromBytes == fixed.decimalValue, "FixedDecimal and DecimalText disagree") }
    guard let text = String(validating: buffer, as: UTF8.self) else { return 0 }
    Fuzz.check(DecimalText.parse(text) == fromBytes, "text and byte parsing disagree on '\(text)'")

    if let entry = ReferenceData.country(text) {
        Fuzz.check(ReferenceData.country(entry.alpha2)?.alpha2 == entry.alpha2, "country \(entry.alpha2) does not round-trip")
        Fuzz.check(CountryCode(entry.alpha2) != nil, "country \(entry.alpha2) has no code")
    }
    let currency = ReferenceData.currency(named: text)
    if let currency {
        Fuzz.check(ReferenceData.currency(named: currency.code.rawValue) == currency, "currency \(currency) does not round-trip")
        Fuzz.check((0...4).contains(currency.minorUnits), "currency \(currency) with \(currency.minorUnits) decimals")
    }
    // `remit compare --amount`: separators dropped, no exponent, above zero, below 10^12.
    let cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
    if let value = DecimalText.parse(cleaned), !cleaned.lowercased().contains("e"), value > 0, value < 1_000_000_000_000 {
        for code in ["JPY", "USD", "KWD"] {
            guard let unit = ReferenceData.currency(named: code) else { Fuzz.fail("no \(code)") }
            let money = Money.rounded(value, in: unit)
            Fuzz.check(money.minorUnits >= 0, "\(value) rounds to \(money)")
            Fuzz.check(Money.parse(money.amountText, in: unit) == money, "\(money) does not round-trip through \(money.amountText)")
        }
    }
    for code in ["JPY", "USD", "KWD"] {
        guard let unit = ReferenceData.currency(named: code), let money = Money.parse(text, in: unit) else { continue }
        Fuzz.check(Money.parse(money.amountText, in: unit) == money, "\(money) does not round-trip")
        _ = money.description
    }
    if let period = Period(text) {
        Fuzz.check(Period(period.description) == period, "period \(period) does not round-trip")
        Fuzz.check(period.firstDay <= period.lastDay, "period \(period) ends before it starts")
    }
    if let date = CalendarDate(iso: text) {
        Fuzz.check(CalendarDate(iso: date.description) == date, "date \(date) does not round-trip")
    }
    _ = RPWMapper.date(text)
    _ = ECBFile.parseDate(text)
    _ = RPWMapper.firmType(text)
    _ = RPWMapper.speed(text)
    _ = RPWMapper.funding(text)
    _ = RPWMapper.payout(text, product: text)
    _ = RPWMapper.accessPoint(text)
    _ = FirmType(lenient: text)
    return 0
}

Fuzz.run(fuzz)
