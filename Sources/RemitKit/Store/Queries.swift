import Foundation
import GRDB

/// A corridor with how much data remit holds for it.
public struct CorridorSummary: Hashable, Sendable {
    public var id: Int64
    public var corridor: Corridor
    public var sendingName: String
    public var receivingName: String
    public var serviceCount: Int
    public var providerCount: Int
    /// The latest survey period with prices, if any.
    public var latestPeriod: Period?
    /// Whether any service has a fee schedule.
    public var hasSchedules: Bool
}

/// A provider with the corridors it serves.
public struct ProviderSummary: Hashable, Sendable {
    public var id: Int64
    public var provider: ProviderDescriptor
    public var serviceCount: Int
    /// Corridors as `US→MX`, sorted.
    public var corridors: [String]
}

/// A country as the database knows it.
public struct CountryInfo: Hashable, Sendable {
    public var code: CountryCode
    public var name: String
    public var currency: Currency
}

extension RemitDatabase {
    /// Every corridor with at least one service, by sending then receiving country.
    public func corridors(from: CountryCode? = nil, to: CountryCode? = nil) throws -> [CorridorSummary] {
        try read { db in
            var sql = """
                SELECT c.id, c.sending_country, c.receiving_country, c.send_currency, c.receive_currency,
                       sc.name AS sending_name, rc.name AS receiving_name,
                       count(s.id) AS services, count(DISTINCT s.provider_id) AS providers,
                       (SELECT max(o.period) FROM price_observation o JOIN service s2 ON s2.id = o.service_id
                         WHERE s2.corridor_id = c.id) AS latest_period,
                       EXISTS (SELECT 1 FROM fee_schedule f JOIN service s3 ON s3.id = f.service_id
                                WHERE s3.corridor_id = c.id) AS has_schedules
                  FROM corridor c
                  JOIN service s ON s.corridor_id = c.id
                  JOIN country sc ON sc.alpha2 = c.sending_country
                  JOIN country rc ON rc.alpha2 = c.receiving_country
                 WHERE 1
                """
            var arguments: StatementArguments = []
            if let from { sql += " AND c.sending_country = ?"; arguments += [from.rawValue] }
            if let to { sql += " AND c.receiving_country = ?"; arguments += [to.rawValue] }
            sql += " GROUP BY c.id ORDER BY c.sending_country, c.receiving_country, c.send_currency, c.receive_currency"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                CorridorSummary(
                    id: row["id"], corridor: try Self.corridor(row),
                    sendingName: row["sending_name"], receivingName: row["receiving_name"],
                    serviceCount: row["services"], providerCount: row["providers"],
                    latestPeriod: (row["latest_period"] as String?).flatMap { Period($0) },
                    hasSchedules: row["has_schedules"])
            }
        }
    }

    /// Providers, optionally only those serving a corridor.
    public func providers(from: CountryCode? = nil, to: CountryCode? = nil) throws -> [ProviderSummary] {
        try read { db in
            var sql = """
                SELECT p.id, p.name, p.firm_type, p.firm_type_label, p.is_formal,
                       count(s.id) AS services,
                       group_concat(DISTINCT c.sending_country || '→' || c.receiving_country) AS corridors
                  FROM provider p
                  JOIN service s ON s.provider_id = p.id
                  JOIN corridor c ON c.id = s.corridor_id
                 WHERE 1
                """
            var arguments: StatementArguments = []
            if let from { sql += " AND c.sending_country = ?"; arguments += [from.rawValue] }
            if let to { sql += " AND c.receiving_country = ?"; arguments += [to.rawValue] }
            sql += " GROUP BY p.id ORDER BY p.name COLLATE NOCASE"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                ProviderSummary(
                    id: row["id"], provider: try Self.provider(row), serviceCount: row["services"],
                    corridors: ((row["corridors"] as String?) ?? "").split(separator: ",").map(String.init).sorted())
            }
        }
    }

    /// The reference rate from `base` to `quote` on `date` or the latest earlier date.
    ///
    /// Looks for the pair as quoted, then inverted, then crossed through EUR
    /// (as ECB rates are quoted), preferring the most recent date. The same
    /// currency on both sides is rate 1.
    public func referenceRate(from base: CurrencyCode, to quote: CurrencyCode, on date: CalendarDate) throws -> RateLookup? {
        try read { db in try Self.referenceRate(db, from: base, to: quote, on: date) }
    }

    static func referenceRate(_ db: Database, from base: CurrencyCode, to quote: CurrencyCode, on date: CalendarDate) throws -> RateLookup? {
        if base == quote { return RateLookup(rate: 1, date: date, source: "same currency") }
        func latest(_ from: String, _ to: String) throws -> (rate: Decimal, date: CalendarDate, source: String)? {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT rate, rate_date, source FROM reference_rate
                 WHERE base_currency = ? AND quote_currency = ? AND rate_date <= ?
                 ORDER BY rate_date DESC, source LIMIT 1
                """, arguments: [from, to, date.description]) else { return nil }
            guard let rate = DecimalText.parse(row["rate"] as String), rate > 0,
                  let day = CalendarDate(iso: row["rate_date"] as String) else {
                throw StoreError.corrupt("reference rate \(from)/\(to) on \(row["rate_date"] as String? ?? "?")")
            }
            return (rate, day, row["source"])
        }
        func pair(_ from: String, _ to: String) throws -> RateLookup? {
            let direct = try latest(from, to)
            let inverse = try latest(to, from)
            switch (direct, inverse) {
            case let (direct?, inverse?) where inverse.date > direct.date:
                return RateLookup(rate: 1 / inverse.rate, date: inverse.date, source: inverse.source)
            case let (direct?, _):
                return RateLookup(rate: direct.rate, date: direct.date, source: direct.source)
            case let (nil, inverse?):
                return RateLookup(rate: 1 / inverse.rate, date: inverse.date, source: inverse.source)
            case (nil, nil):
                return nil
            }
        }
        if let direct = try pair(base.rawValue, quote.rawValue) { return direct }
        guard base.rawValue != "EUR", quote.rawValue != "EUR",
              let euroBase = try pair("EUR", base.rawValue), let euroQuote = try pair("EUR", quote.rawValue) else { return nil }
        let source = euroBase.source == euroQuote.source ? euroBase.source : "\(euroBase.source)/\(euroQuote.source)"
        return RateLookup(rate: euroQuote.rate / euroBase.rate, date: min(euroBase.date, euroQuote.date), source: "\(source) via EUR")
    }

    /// The country the database knows by this code.
    public func country(_ code: CountryCode) throws -> CountryInfo? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.alpha2, c.name, c.currency_code, cu.minor_units FROM country c
                  JOIN currency cu ON cu.code = c.currency_code WHERE c.alpha2 = ?
                """, arguments: [code.rawValue]) else { return nil }
            return CountryInfo(code: code, name: row["name"], currency: try Self.currency(row["currency_code"], row["minor_units"]))
        }
    }

    /// The currency with this code, with its minor units as stored.
    public func currency(_ code: CurrencyCode) throws -> Currency? {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT minor_units FROM currency WHERE code = ?", arguments: [code.rawValue])
                .map { Currency(code: code, minorUnits: $0) }
        }
    }

    // MARK: - Row decoding

    static func currency(_ code: String, _ minorUnits: Int) throws -> Currency {
        guard let code = CurrencyCode(code) else { throw StoreError.corrupt("currency code '\(code)'") }
        return Currency(code: code, minorUnits: minorUnits)
    }

    static func corridor(_ row: Row) throws -> Corridor {
        guard let from = CountryCode(row["sending_country"] as String),
              let to = CountryCode(row["receiving_country"] as String),
              let send = ReferenceData.currency(named: row["send_currency"] as String),
              let receive = ReferenceData.currency(named: row["receive_currency"] as String) else {
            throw StoreError.corrupt("corridor \(row)")
        }
        return Corridor(sendingCountry: from, receivingCountry: to, sendCurrency: send, receiveCurrency: receive)
    }

    static func provider(_ row: Row) throws -> ProviderDescriptor {
        guard let firmType = FirmType(rawValue: row["firm_type"]) else { throw StoreError.corrupt("firm type in \(row)") }
        return ProviderDescriptor(name: row["name"], firmType: firmType, firmTypeLabel: row["firm_type_label"],
                                  isFormal: row["is_formal"])
    }
}
