import Foundation

/// A currency in the ISO 4217 reference list.
public struct CurrencyEntry: Hashable, Sendable {
    /// The alphabetic code, e.g. `KWD`.
    public let code: String
    /// The English name.
    public let name: String
    /// The number of decimals of the minor unit (ISO 4217 "exponent").
    public let minorUnits: Int
}

/// A country in the ISO 3166-1 reference list.
public struct CountryEntry: Hashable, Sendable {
    /// The alpha-2 code, e.g. `MX`.
    public let alpha2: String
    /// The alpha-3 code, e.g. `MEX`.
    public let alpha3: String
    /// The short English name, e.g. `Mexico`.
    public let name: String
    /// Other English names accepted on input (ISO official and common names).
    public let aliases: [String]
    /// The ISO 4217 code of the country's main currency.
    public let currency: String
}

/// Countries and currencies built into remit, used to seed every database and to read input.
public enum ReferenceData {
    /// Every current ISO 4217 currency.
    public static var currencies: [CurrencyEntry] { generatedCurrencies }
    /// Every ISO 3166-1 country (and Kosovo, which RPW covers).
    public static var countries: [CountryEntry] { generatedCountries }

    private static let currenciesByCode: [String: CurrencyEntry] =
        Dictionary(generatedCurrencies.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    private static let countriesByKey: [String: CountryEntry] = {
        var index: [String: CountryEntry] = [:]
        for country in generatedCountries {
            for key in [country.alpha2, country.alpha3, country.name] + country.aliases {
                let normalized = normalizedName(key)
                if index[normalized] == nil { index[normalized] = country }
            }
        }
        return index
    }()

    /// The currency with this code, if it exists.
    public static func currency(_ code: CurrencyCode) -> Currency? {
        currenciesByCode[code.rawValue].flatMap { entry in
            CurrencyCode(entry.code).map { Currency(code: $0, minorUnits: entry.minorUnits) }
        }
    }

    /// The currency named by `text` (any case), if it is a current ISO 4217 code.
    public static func currency(named text: some StringProtocol) -> Currency? {
        CurrencyCode(text).flatMap(currency)
    }

    /// The country named by an alpha-2 or alpha-3 code or an English name, in any case.
    public static func country(_ text: some StringProtocol) -> CountryEntry? {
        countriesByKey[normalizedName(text)]
    }

    /// The country with this alpha-2 code.
    public static func country(_ code: CountryCode) -> CountryEntry? {
        countriesByKey[normalizedName(code.rawValue)]
    }

    /// Letters and digits only, without case or accents: "Côte d’Ivoire" matches "cote divoire".
    static func normalizedName(_ text: some StringProtocol) -> String {
        let folded = String(text).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(folded.unicodeScalars.filter {
            $0.properties.isAlphabetic || ("0"..."9").contains($0)
        })
    }
}
