import Foundation
import GRDB

/// Why a report could not be made: the data it needs is not in the database.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No survey prices at this tier (for the corridor, or at all).
    case noSurveyPrices(scope: String, tier: ReportTier)
    /// No survey prices in the period asked for.
    case noPricesInPeriod(scope: String, period: String, tier: ReportTier, available: [String])

    public var description: String {
        switch self {
        case let .noSurveyPrices(scope, tier):
            "no survey prices for \(scope) at the \(tier) tier; import a World Bank RPW file with `remit import rpw FILE`"
        case let .noPricesInPeriod(scope, period, tier, available):
            "no survey prices for \(scope) at the \(tier) tier in \(period)"
                + (available.isEmpty ? "" : "; periods with data: \(Self.summarise(available))")
        }
    }

    /// A long list of periods as its first and last few.
    static func summarise(_ periods: [String]) -> String {
        periods.count <= 12 ? periods.joined(separator: ", ")
            : (periods.prefix(4) + ["…"] + periods.suffix(4)).joined(separator: ", ")
    }
}

extension RemitDatabase {
    /// The corridor report for `from → to` in `period` (default: the corridor's latest period with prices).
    public func corridorReport(from: CountryCode, to: CountryCode, period: Period? = nil,
                               tier: ReportTier = .usd200) throws -> CorridorReport {
        let key = CorridorKey(from: from, to: to)
        let prices = try read { db in
            try SurveyQuery.prices(db, tier: tier, where: "c.sending_country = ? AND c.receiving_country = ?",
                                   arguments: [from.rawValue, to.rawValue])
        }
        let periods = Set(prices.map(\.period)).sorted()
        guard let latest = periods.last else { throw ReportError.noSurveyPrices(scope: key.description, tier: tier) }
        let chosen = period ?? latest
        guard periods.contains(chosen) else {
            throw ReportError.noPricesInPeriod(scope: key.description, period: chosen.description, tier: tier,
                                               available: periods.map(\.description))
        }
        return ReportBuilder.corridor(key, fromName: ReferenceData.country(from)?.name ?? from.rawValue,
                                      toName: ReferenceData.country(to)?.name ?? to.rawValue,
                                      period: chosen, tier: tier, prices: prices)
    }

    /// The global report for `period` (default: the latest period with prices at the tier).
    public func globalReport(period: Period? = nil, tier: ReportTier = .usd200) throws -> GlobalReport {
        try read { db in
            let chosen = try SurveyQuery.period(db, period, tier: tier, scope: "any corridor")
            let prices = try SurveyQuery.prices(db, tier: tier, where: "o.period = ?", arguments: [chosen.description])
            return ReportBuilder.global(period: chosen, tier: tier, prices: prices,
                                        trend: try SurveyQuery.globalTrend(db, tier: tier), flows: try SurveyQuery.flows(db))
        }
    }

    /// The SDG 10.c table for `period` (default: the latest period with prices at the tier).
    public func sdgReport(period: Period? = nil, tier: ReportTier = .usd200, order: SDGOrder = .gap) throws -> SDGReport {
        try read { db in
            let chosen = try SurveyQuery.period(db, period, tier: tier, scope: "any corridor")
            let costs = try SurveyQuery.corridorCosts(db, tier: tier, period: chosen)
            let earlier = try chosen.adding(quarters: -ReportBuilder.fiveYears).map { back in
                try SurveyQuery.corridorCosts(db, tier: tier, period: back)
            } ?? []
            return ReportBuilder.sdg(period: chosen, tier: tier, costs: costs, fiveYearsEarlier: earlier, order: order)
        }
    }
}

/// The SQL behind reports. The inclusion rule is written once for SQL (``included``) and once for
/// rows read into Swift (``exclusions(isFormal:isTransparent:margin:inconsistent:total:)``); both follow docs/reports.md.
enum SurveyQuery {
    /// The observations that count in averages, as a SQL condition over `o`, `s` and `p`.
    static let included = """
        p.is_formal = 1 AND s.is_transparent = 1 AND o.fx_margin_percent IS NOT NULL
        AND o.is_inconsistent = 0 AND o.total_cost_percent IS NOT NULL
        """

    /// Observations joined to their service, provider and corridor.
    static let joins = """
        FROM price_observation o
          JOIN service s ON s.id = o.service_id
          JOIN provider p ON p.id = s.provider_id
          JOIN corridor c ON c.id = s.corridor_id
        """

    /// Observations at one tier (its US cents as the argument).
    static let atTier = "o.denomination_amount = ? AND o.denomination_currency = 'USD'"

    /// The joins that bring the sending and receiving countries' regions.
    static let joinCountries = """
        LEFT JOIN country sc ON sc.alpha2 = c.sending_country
          LEFT JOIN country rc ON rc.alpha2 = c.receiving_country
        """

    static func exclusions(isFormal: Bool, isTransparent: Bool, margin: Double?, inconsistent: Bool,
                           total: Double?) -> [ExclusionReason] {
        var reasons: [ExclusionReason] = []
        if !isTransparent || margin == nil { reasons.append(.notTransparent) }
        if !isFormal { reasons.append(.informal) }
        if inconsistent { reasons.append(.inconsistent) }
        if total == nil && reasons.isEmpty { reasons.append(.noTotal) }   // RPW publishes no total for undisclosed rates
        return reasons
    }

    /// Every observation at `tier` matching `condition`.
    static func prices(_ db: Database, tier: ReportTier, where condition: String,
                       arguments: StatementArguments) throws -> [SurveyedPrice] {
        let query = """
            SELECT c.sending_country, c.receiving_country, o.period, p.name, p.firm_type, p.is_formal,
                   s.name, s.funding_method, s.payout_method, s.speed, s.is_transparent,
                   o.amount, o.fee, CAST(o.fx_margin_percent AS REAL), CAST(o.total_cost_percent AS REAL), o.is_inconsistent,
                   sc.region, rc.region, rc.income_group
            \(joins)
            \(joinCountries)
             WHERE \(atTier) AND \(condition)
            """
        var result: [SurveyedPrice] = []
        let rows = try Row.fetchCursor(db, sql: query, arguments: [tier.minorUnits] + arguments)
        while let row = try rows.next() {
            result.append(try price(row))
        }
        return result
    }

    /// One result row of ``prices(_:tier:where:arguments:)`` as a ``SurveyedPrice``.
    private static func price(_ row: Row) throws -> SurveyedPrice {
        func vocabulary<V: Vocabulary>(_ index: Int, _: V.Type) throws -> V {
            let text: String = row[index]
            guard let value = V(rawValue: text) else { throw StoreError.corrupt("'\(text)' is not a \(V.self)") }
            return value
        }
        let fromText: String = row[0], toText: String = row[1], periodText: String = row[2]
        guard let from = CountryCode(fromText), let to = CountryCode(toText) else {
            throw StoreError.corrupt("corridor \(fromText)→\(toText)")
        }
        guard let period = Period(periodText) else { throw StoreError.corrupt("period '\(periodText)'") }
        let amount: Int64 = row[11], fee: Int64 = row[12]
        let margin: Double? = row[13], total: Double? = row[14]
        return SurveyedPrice(
            corridor: CorridorKey(from: from, to: to), period: period, provider: row[3],
            service: row[6], firmType: try vocabulary(4, FirmType.self),
            fundingMethod: try vocabulary(7, FundingMethod.self), payoutMethod: try vocabulary(8, PayoutMethod.self),
            speed: try vocabulary(9, Speed.self),
            feePercent: amount > 0 ? Double(fee) / Double(amount) * 100 : 0,
            fxMarginPercent: margin, totalCostPercent: total,
            exclusions: exclusions(isFormal: row[5], isTransparent: row[10], margin: margin, inconsistent: row[15], total: total),
            sendingRegion: row[16], receivingRegion: row[17], receivingIncomeGroup: row[18])
    }

    /// `period` if it has prices at the tier, else an error listing those that do; `nil`: the latest.
    ///
    /// Both answers walk the period index from one end and stop at the first match; the full list of
    /// periods (a scan of every observation) is read only for the error message.
    static func period(_ db: Database, _ period: Period?, tier: ReportTier, scope: String) throws -> Period {
        guard let period else {
            guard let latest = try String.fetchOne(db, sql: """
                SELECT period FROM price_observation o WHERE \(atTier) ORDER BY period DESC LIMIT 1
                """, arguments: [tier.minorUnits]) else { throw ReportError.noSurveyPrices(scope: scope, tier: tier) }
            guard let parsed = Period(latest) else { throw StoreError.corrupt("period '\(latest)'") }
            return parsed
        }
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM price_observation o WHERE o.period = ? AND \(atTier))",
                                       arguments: [period.description, tier.minorUnits]) ?? false
        guard !exists else { return period }
        let periods = try String.fetchAll(db, sql: "SELECT DISTINCT period FROM price_observation o WHERE \(atTier) ORDER BY period",
                                          arguments: [tier.minorUnits])
        guard !periods.isEmpty else { throw ReportError.noSurveyPrices(scope: scope, tier: tier) }
        throw ReportError.noPricesInPeriod(scope: scope, period: period.description, tier: tier, available: periods)
    }

    /// The included costs of one period, with what corridor figures need: far lighter than ``prices(_:tier:where:arguments:)``.
    static func corridorCosts(_ db: Database, tier: ReportTier, period: Period) throws -> [CorridorCost] {
        var keys: [String: CorridorKey] = [:]
        var result: [CorridorCost] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.sending_country || c.receiving_country, CAST(o.total_cost_percent AS REAL), s.speed <> ?
            \(joins)
             WHERE o.period = ? AND \(atTier) AND \(included)
            """, arguments: [Speed.sixDaysOrMore.rawValue, period.description, tier.minorUnits])
        while let row = try rows.next() {
            let pair: String = row[0]
            let key: CorridorKey
            if let known = keys[pair] { key = known } else {
                guard let from = CountryCode(pair.prefix(2)), let to = CountryCode(pair.dropFirst(2)) else {
                    throw StoreError.corrupt("corridor \(pair)")
                }
                key = CorridorKey(from: from, to: to)
                keys[pair] = key
            }
            result.append(CorridorCost(corridor: key, cost: row[1], isWithinFiveDays: row[2]))
        }
        return result
    }

    /// The global average, service count and corridor count of every period, in one aggregate query.
    static func globalTrend(_ db: Database, tier: ReportTier) throws -> [GlobalTrendPoint] {
        try Row.fetchAll(db, sql: """
            SELECT o.period, avg(CAST(o.total_cost_percent AS REAL)), count(*),
                   count(DISTINCT c.sending_country || c.receiving_country)
            \(joins)
             WHERE \(atTier) AND \(included)
             GROUP BY o.period ORDER BY o.period
            """, arguments: [tier.minorUnits]).map { row in
            let text: String = row[0]
            guard let period = Period(text) else { throw StoreError.corrupt("period '\(text)'") }
            return GlobalTrendPoint(period: period, average: row[1], serviceCount: row[2], corridorCount: row[3])
        }
    }

    /// Every imported flow, by corridor.
    static func flows(_ db: Database) throws -> [CorridorKey: [(year: Int, usd: Int64)]] {
        var flows: [CorridorKey: [(year: Int, usd: Int64)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT sending_country, receiving_country, year, usd_amount FROM remittance_flow") {
            let fromText: String = row[0], toText: String = row[1]
            guard let from = CountryCode(fromText), let to = CountryCode(toText) else { continue }
            flows[CorridorKey(from: from, to: to), default: []].append((row[2], row[3]))
        }
        return flows
    }
}
