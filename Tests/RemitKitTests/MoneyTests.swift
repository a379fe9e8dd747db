import Foundation
import Testing
@testable import RemitKit

@Suite("Money, decimals and rounding")
struct MoneyTests {
    @Test("Half away from zero on .5 ties, applied to exact decimals", arguments: [
        ("0.125", 2, "0.13"), ("-0.125", 2, "-0.13"), ("0.135", 2, "0.14"), ("0.145", 2, "0.15"),
        ("2.5", 0, "3"), ("3.5", 0, "4"), ("-2.5", 0, "-3"), ("0.124999", 2, "0.12"), ("1.0005", 3, "1.001"),
    ])
    func roundingTies(input: String, places: Int, expected: String) {
        #expect(MoneyRounding.round(T.d(input), places: places) == T.d(expected))
    }

    @Test("Money rounds once to each currency's minor unit")
    func roundedMinorUnits() {
        #expect(Money.rounded(T.d("0.005"), in: T.usd).minorUnits == 1)
        #expect(Money.rounded(T.d("150.5"), in: T.jpy).minorUnits == 151)
        #expect(Money.rounded(T.d("0.0125"), in: T.kwd).minorUnits == 13)
        #expect(Money.rounded(T.d("-0.005"), in: T.usd).minorUnits == -1)
    }

    @Test("Parsing respects minor units: JPY 0, USD 2, KWD 3")
    func parsing() {
        #expect(Money.parse("300", in: T.usd)?.minorUnits == 30000)
        #expect(Money.parse("299.99", in: T.usd)?.minorUnits == 29999)
        #expect(Money.parse("300.123", in: T.usd) == nil)
        #expect(Money.parse("30000", in: T.jpy)?.minorUnits == 30000)
        #expect(Money.parse("300.5", in: T.jpy) == nil)
        #expect(Money.parse("1.234", in: T.kwd)?.minorUnits == 1234)
        #expect(Money.parse("1.2345", in: T.kwd) == nil)
        #expect(Money.parse("12abc", in: T.usd) == nil)
    }

    @Test("Formatting shows the currency's decimals and groups thousands")
    func formatting() {
        #expect(Money(minorUnits: 123456789, currency: T.usd).description == "USD 1,234,567.89")
        #expect(Money(minorUnits: 5000, currency: T.jpy).description == "JPY 5,000")
        #expect(Money(minorUnits: 1500, currency: T.kwd).description == "KWD 1.500")
        #expect(Money(minorUnits: -250, currency: T.usd).description == "USD -2.50")
    }

    @Test("Decimal text is strict: no trailing garbage, no Double round-trip")
    func decimalText() {
        #expect(DecimalText.parse("1.5abc") == nil)
        #expect(DecimalText.parse("") == nil)
        #expect(DecimalText.parse(".") == nil)
        #expect(DecimalText.parse("1,5") == nil)
        #expect(DecimalText.parse("3.133") == Decimal(string: "3.133"))
        #expect(DecimalText.format(T.d("3.133")) == "3.133")
        #expect(DecimalText.parse("1.2E-05") == Decimal(string: "0.000012"))
        #expect(DecimalText.parse("-0.38") == Decimal(string: "-0.38"))
        #expect(DecimalText.format(T.d("17.2500")) == "17.25")
        #expect(DecimalText.format(T.d("2.5"), places: 2) == "2.50")
    }

    @Test("Codes accept exactly ASCII letters: 'uß' is not a currency")
    func codes() {
        #expect(CurrencyCode("usd")?.rawValue == "USD")
        #expect(CurrencyCode("uß") == nil)
        #expect(CurrencyCode("US") == nil)
        #expect(CountryCode("mx")?.rawValue == "MX")
        #expect(CountryCode("M1") == nil)
    }

    @Test("Periods and dates")
    func periods() {
        #expect(Period("2025_3Q")?.description == "2025_3Q")
        #expect(Period("2025Q3") == Period("2025_3Q"))
        #expect(Period("2025_5Q") == nil)
        #expect(Period("2025_3Q")?.firstDay.description == "2025-07-01")
        #expect(Period("2024_1Q")?.lastDay.description == "2024-03-31")
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2026-11-27")!.days(since: CalendarDate(iso: "2026-11-20")!) == 7)
    }
}
