import Testing
@testable import RemitKit

@Suite("Reference data")
struct ReferenceDataTests {
    // MARK: Currencies

    /// ISO 4217 exponents, written out by hand. IQD, IDR and HUF are where CLDR's
    /// "digits" differ from ISO (CLDR says 0), so they catch the wrong source.
    @Test("ISO 4217 minor units", arguments: [
        ("JPY", 0), ("KWD", 3), ("BHD", 3), ("OMR", 3), ("TND", 3), ("JOD", 3),
        ("LYD", 3), ("IQD", 3), ("USD", 2), ("EUR", 2), ("XOF", 0), ("XAF", 0),
        ("CLP", 0), ("KRW", 0), ("VND", 0), ("ISK", 0), ("UGX", 0), ("IDR", 2),
        ("HUF", 2),
    ])
    func minorUnits(code: String, expected: Int) throws {
        let currency = try #require(ReferenceData.currency(named: code))
        #expect(currency.code.rawValue == code)
        #expect(currency.minorUnits == expected)
    }

    @Test func currencyByCodeValue() throws {
        let code = try #require(CurrencyCode("KWD"))
        let currency = try #require(ReferenceData.currency(code))
        #expect(currency.minorUnits == 3)
    }

    @Test func currencyNamedIgnoresCase() throws {
        let currency = try #require(ReferenceData.currency(named: "usd"))
        #expect(currency.code.rawValue == "USD")
        #expect(currency.minorUnits == 2)
    }

    @Test func unknownCurrencyIsNil() {
        #expect(ReferenceData.currency(named: "XYZ") == nil)
        #expect(ReferenceData.currency(named: "uß") == nil)
        #expect(ReferenceData.currency(named: "") == nil)
        #expect(ReferenceData.currency(named: "USDX") == nil)
    }

    @Test("Funds, metals and testing codes are not currencies", arguments: [
        "XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR", "XSU", "XUA", "XBA",
        "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW",
    ])
    func excludedCodes(code: String) {
        #expect(ReferenceData.currency(named: code) == nil)
    }

    @Test("Shared currencies are kept", arguments: ["XOF", "XAF", "XCD", "XPF"])
    func sharedCurrencies(code: String) {
        #expect(ReferenceData.currency(named: code) != nil)
    }

    @Test func currencyCodesAreUnique() {
        let codes = ReferenceData.currencies.map(\.code)
        #expect(Set(codes).count == codes.count)
    }

    // MARK: Countries

    @Test func atLeast249Countries() {
        #expect(ReferenceData.countries.count >= 249)
    }

    @Test func everyCountryCurrencyResolves() {
        for country in ReferenceData.countries {
            #expect(ReferenceData.currency(named: country.currency) != nil,
                    "\(country.alpha2) uses unknown currency \(country.currency)")
        }
    }

    @Test func codesAreUnique() {
        let alpha2 = ReferenceData.countries.map(\.alpha2)
        let alpha3 = ReferenceData.countries.map(\.alpha3)
        #expect(Set(alpha2).count == alpha2.count)
        #expect(Set(alpha3).count == alpha3.count)
    }

    @Test func everyNameAndAliasFindsItsOwnCountry() {
        for country in ReferenceData.countries {
            for key in [country.alpha2, country.alpha3, country.name] + country.aliases {
                #expect(ReferenceData.country(key)?.alpha2 == country.alpha2,
                        "\(key) does not find \(country.alpha2)")
            }
        }
    }

    @Test func countryByCodeAndName() throws {
        #expect(ReferenceData.country("mx")?.alpha2 == "MX")
        #expect(ReferenceData.country("MEX")?.alpha2 == "MX")
        let mexico = try #require(ReferenceData.country("Mexico"))
        #expect(mexico.alpha2 == "MX")
        #expect(mexico.alpha3 == "MEX")
        #expect(mexico.name == "Mexico")
        #expect(mexico.currency == "MXN")
        let code = try #require(CountryCode("mx"))
        #expect(ReferenceData.country(code)?.alpha3 == "MEX")
    }

    @Test func blankOrUnknownTextFindsNothing() {
        #expect(ReferenceData.country("  ") == nil)
        #expect(ReferenceData.country("") == nil)
        #expect(ReferenceData.country("Atlantis") == nil)
        #expect(ReferenceData.country("QQ") == nil)
    }

    @Test("Familiar and ISO names", arguments: [
        ("Tanzania", "TZ"),
        ("Tanzania, United Republic of", "TZ"),
        ("côte d'ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("united states", "US"),
        ("United States of America", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Laos", "LA"),
        ("Syria", "SY"),
        ("Moldova", "MD"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Iran", "IR"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Democratic Republic of the Congo", "CD"),
        ("DR Congo", "CD"),
        ("Republic of the Congo", "CG"),
        ("Congo", "CG"),
        ("KSV", "XK"),
        ("XK", "XK"),
        ("Kosovo", "XK"),
    ])
    func countryNames(text: String, alpha2: String) {
        #expect(ReferenceData.country(text)?.alpha2 == alpha2)
    }

    @Test func kosovo() throws {
        let kosovo = try #require(ReferenceData.country("KSV"))
        #expect(kosovo.alpha2 == "XK")
        #expect(kosovo.alpha3 == "XKX")
        #expect(kosovo.name == "Kosovo")
        #expect(kosovo.currency == "EUR")
        #expect(ReferenceData.country("xk") == kosovo)
    }

    @Test("Corridor countries use the right currency", arguments: [
        ("US", "USD"), ("MX", "MXN"), ("PH", "PHP"), ("GB", "GBP"), ("IN", "INR"),
        ("DE", "EUR"), ("TR", "TRY"), ("SA", "SAR"), ("PK", "PKR"), ("FR", "EUR"),
        ("SN", "XOF"), ("KE", "KES"), ("TZ", "TZS"), ("SV", "USD"), ("HR", "EUR"),
        ("BG", "EUR"), ("CM", "XAF"), ("NG", "NGN"), ("BD", "BDT"), ("EC", "USD"),
    ])
    func corridorCurrencies(alpha2: String, currency: String) throws {
        let country = try #require(ReferenceData.country(alpha2))
        #expect(country.currency == currency)
    }
}
