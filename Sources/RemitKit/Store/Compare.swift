import Foundation
import GRDB

/// What a person asks `remit compare`.
public struct CompareRequest: Hashable, Sendable {
    /// An amount as typed, in a currency (the corridor's own when `nil`).
    public enum Amount: Hashable, Sendable {
        /// Send this much.
        case send(Decimal, currency: CurrencyCode?)
        /// The recipient must get this much.
        case receive(Decimal, currency: CurrencyCode?)
    }

    public var from: CountryCode
    public var to: CountryCode
    public var amount: Amount
    public var filter = ServiceFilter()
    public var period: Period?
    public var includeInformal = false
    public var sort = RankingOrder.cost
    public var limit: Int?
    /// The day prices are compared at when no period is given (today by default).
    public var date: CalendarDate?

    public init(from: CountryCode, to: CountryCode, amount: Amount) {
        self.from = from
        self.to = to
        self.amount = amount
    }
}

/// Why a compare request cannot be answered as asked.
public enum CompareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The amount is zero or negative.
    case amountNotPositive(String)
    /// The amount has more decimals than the currency has.
    case tooManyDecimals(String, Currency)
    /// The receive amount is in a currency the corridor does not pay out.
    case wrongReceiveCurrency(CurrencyCode, expected: CurrencyCode)

    public var description: String {
        switch self {
        case let .amountNotPositive(text):
            "the amount must be above zero, found \(text)"
        case let .tooManyDecimals(text, currency):
            "\(text) has more decimals than \(currency.code) allows (\(currency.minorUnits))"
        case let .wrongReceiveCurrency(found, expected):
            "the recipient is paid in \(expected), not \(found): give --receive in \(expected)"
        }
    }
}

extension RemitDatabase {
    /// Ranks the corridor's formal services for the request.
    public func compare(_ request: CompareRequest) throws -> ComparisonResult {
        try read { db in
            let wanted: CurrencyCode? = if case let .send(_, currency) = request.amount { currency } else { nil }
            let prices = try Self.corridorPrices(db, from: request.from, to: request.to, currency: wanted,
                                                 period: request.period, date: request.date)
            let target = try Self.target(db, request.amount, corridor: prices.corridor, reference: prices.referenceRate,
                                         asOf: prices.asOf, corridorID: prices.corridorID, period: prices.surveyPeriod)
            return Comparison.rank(prices.offers, corridor: prices.corridor, target: target, referenceRate: prices.referenceRate,
                                   filter: request.filter, sort: request.sort, includeInformal: request.includeInformal,
                                   limit: request.limit,
                                   period: prices.offers.contains { $0.model.isSurvey } ? prices.surveyPeriod : nil)
        }
    }

    /// A corridor's services with the prices in force, as `compare` (and `curve`) load them.
    struct CorridorPrices {
        var corridorID: Int64
        var corridor: Corridor
        /// The comparison date: the period's last day, the date asked for, or today.
        var asOf: CalendarDate
        /// The survey period whose points price survey-only services, if any.
        var surveyPeriod: Period?
        var offers: [ServiceOffer]
        /// The corridor's reference rate at `asOf`.
        var referenceRate: RateLookup
    }

    /// Picks the corridor between two countries (the one sending `currency`, else the sending country's own
    /// currency, else the first stored) and loads its offers and reference rate.
    static func corridorPrices(
        _ db: Database, from: CountryCode, to: CountryCode, currency wanted: CurrencyCode?, period: Period?, date: CalendarDate?
    ) throws -> CorridorPrices {
        let candidates = try corridorRows(db, from: from, to: to)
        guard !candidates.isEmpty else {
            let known = try String.fetchAll(db, sql: """
                SELECT DISTINCT sending_country || '→' || receiving_country FROM corridor c
                 WHERE EXISTS (SELECT 1 FROM service s WHERE s.corridor_id = c.id) ORDER BY 1
                """)
            throw LookupError.noSuchCorridor(from: from.rawValue, to: to.rawValue, known: known)
        }
        let defaultCurrency = ReferenceData.country(from).flatMap { CurrencyCode($0.currency) }
        let chosen = candidates.first { $0.corridor.sendCurrency.code == wanted }
            ?? candidates.first { $0.corridor.sendCurrency.code == defaultCurrency }
            ?? candidates[0]
        let corridor = chosen.corridor
        let asOf = period?.lastDay ?? date ?? CalendarDate.today()

        let periods = try String.fetchAll(db, sql: """
            SELECT DISTINCT o.period FROM price_observation o JOIN service s ON s.id = o.service_id
             WHERE s.corridor_id = ? ORDER BY o.period DESC
            """, arguments: [chosen.id]).compactMap { Period($0) }
        let surveyPeriod = period ?? periods.first
        let offers = try Self.offers(db, corridorID: chosen.id, corridor: corridor, asOf: asOf,
                                     window: period.map { ($0.firstDay, $0.lastDay) },
                                     surveyPeriod: surveyPeriod)
        if offers.isEmpty, let period {
            throw LookupError.noPricesInPeriod(corridor: "\(corridor.sendingCountry)→\(corridor.receivingCountry)",
                                               period: period.description, available: periods.map(\.description))
        }
        guard let reference = try Self.referenceRate(db, from: corridor.sendCurrency.code, to: corridor.receiveCurrency.code, on: asOf)
            ?? offers.lazy.compactMap({ $0.model.isSurvey ? $0.referenceRate : nil }).first else {
            throw LookupError.noReferenceRate(from: corridor.sendCurrency.code.rawValue,
                                              to: corridor.receiveCurrency.code.rawValue, date: asOf.description)
        }
        return CorridorPrices(corridorID: chosen.id, corridor: corridor, asOf: asOf, surveyPeriod: surveyPeriod,
                              offers: offers, referenceRate: reference)
    }

    private static func corridorRows(_ db: Database, from: CountryCode, to: CountryCode) throws -> [(id: Int64, corridor: Corridor)] {
        try Row.fetchAll(db, sql: """
            SELECT c.* FROM corridor c
             WHERE c.sending_country = ? AND c.receiving_country = ?
               AND EXISTS (SELECT 1 FROM service s WHERE s.corridor_id = c.id)
             ORDER BY c.id
            """, arguments: [from.rawValue, to.rawValue]).map { row in (row["id"], try corridor(row)) }
    }

    /// Turns the typed amount into money in the corridor's currency.
    private static func target(
        _ db: Database, _ amount: CompareRequest.Amount, corridor: Corridor, reference: RateLookup,
        asOf: CalendarDate, corridorID: Int64, period: Period?
    ) throws -> TransferTarget {
        func money(_ value: Decimal, _ currency: Currency) throws -> Money {
            let text = DecimalText.format(value)
            guard value > 0 else { throw CompareError.amountNotPositive(text) }
            guard let money = Money.parse(text, in: currency) else { throw CompareError.tooManyDecimals(text, currency) }
            return money
        }
        func resolve(_ code: CurrencyCode?, default fallback: Currency) throws -> Currency {
            guard let code else { return fallback }
            guard let currency = ReferenceData.currency(code) else { throw LookupError.unknownCurrency(code.rawValue) }
            return currency
        }
        switch amount {
        case let .receive(value, code):
            let currency = try resolve(code, default: corridor.receiveCurrency)
            guard currency == corridor.receiveCurrency else {
                throw CompareError.wrongReceiveCurrency(currency.code, expected: corridor.receiveCurrency.code)
            }
            return .receive(try money(value, currency))
        case let .send(value, code):
            let currency = try resolve(code, default: corridor.sendCurrency)
            let typed = try money(value, currency)
            if currency == corridor.sendCurrency { return .send(typed) }
            // A survey price point named in another currency (RPW's USD 200): use the amount the survey sent.
            if let period, let surveyed = try Int64.fetchOne(db, sql: """
                SELECT o.amount FROM price_observation o JOIN service s ON s.id = o.service_id
                 WHERE s.corridor_id = ? AND o.period = ? AND o.denomination_currency = ? AND o.denomination_amount = ?
                 GROUP BY o.amount ORDER BY count(*) DESC LIMIT 1
                """, arguments: [corridorID, period.description, currency.code.rawValue, typed.minorUnits]) {
                return .send(Money(minorUnits: surveyed, currency: corridor.sendCurrency))
            }
            guard let rate = try referenceRate(db, from: currency.code, to: corridor.sendCurrency.code, on: asOf) else {
                throw LookupError.noReferenceRate(from: currency.code.rawValue, to: corridor.sendCurrency.code.rawValue,
                                                  date: asOf.description)
            }
            return .send(Money.rounded(typed.decimalValue * rate.rate, in: corridor.sendCurrency))
        }
    }

    /// Every service of the corridor with the prices in force at `asOf` (or in the window) and the survey period's points.
    static func offers(
        _ db: Database, corridorID: Int64, corridor: Corridor, asOf: CalendarDate,
        window: (CalendarDate, CalendarDate)?, surveyPeriod: Period?
    ) throws -> [ServiceOffer] {
        let (first, last) = window ?? (asOf, asOf)
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.id, s.name AS service_name, s.funding_method, s.payout_method, s.access_point, s.speed,
                   s.is_transparent, s.network_coverage, s.requires_bank_account,
                   p.name, p.firm_type, p.firm_type_label, p.is_formal,
                   (SELECT b.format = 'sample' FROM import_batch b WHERE b.id = s.batch_id) AS is_sample,
                   (SELECT group_concat(document) FROM service_identity_document d WHERE d.service_id = s.id) AS documents,
                   (SELECT f.id FROM fee_schedule f WHERE f.service_id = s.id AND f.valid_from <= ?
                       AND (f.valid_to IS NULL OR f.valid_to >= ?) ORDER BY f.valid_from DESC LIMIT 1) AS schedule_id
              FROM service s JOIN provider p ON p.id = s.provider_id
             WHERE s.corridor_id = ?
             ORDER BY s.id
            """, arguments: [last.description, first.description, corridorID])
        var offers: [ServiceOffer] = []
        for row in rows {
            let service = try serviceDescriptor(row, corridor: corridor)
            let serviceID: Int64 = row["id"]
            if let scheduleID: Int64 = row["schedule_id"] {
                let (schedule, terms, observedAt) = try scheduleModel(db, scheduleID: scheduleID, serviceID: serviceID,
                                                                       corridor: corridor, asOf: last)
                let rateDate = observedAt.flatMap { CalendarDate(iso: $0.prefix(10)) } ?? last
                let lookupDate: CalendarDate = if case .offered = terms { rateDate } else { last }
                guard let reference = try referenceRate(db, from: corridor.sendCurrency.code, to: corridor.receiveCurrency.code, on: lookupDate)
                    ?? referenceRate(db, from: corridor.sendCurrency.code, to: corridor.receiveCurrency.code, on: last) else {
                    throw LookupError.noReferenceRate(from: corridor.sendCurrency.code.rawValue,
                                                      to: corridor.receiveCurrency.code.rawValue, date: lookupDate.description)
                }
                offers.append(ServiceOffer(serviceID: serviceID, service: service, model: .schedule(schedule, rate: terms),
                                           referenceRate: reference, observedAt: observedAt,
                                           isSampleData: row["is_sample"] ?? false))
            } else if let surveyPeriod {
                let points = try surveyPoints(db, serviceID: serviceID, period: surveyPeriod, corridor: corridor)
                guard !points.isEmpty else { continue }
                let surveyed = points.lazy.compactMap(\.referenceRate).first
                guard let reference = try surveyed.map({ RateLookup(rate: $0, date: surveyPeriod.lastDay, source: "RPW survey \(surveyPeriod)") })
                    ?? referenceRate(db, from: corridor.sendCurrency.code, to: corridor.receiveCurrency.code, on: last)
                    ?? Optional(RateLookup(rate: 1, date: surveyPeriod.lastDay, source: "unknown")) else { continue }
                offers.append(ServiceOffer(
                    serviceID: serviceID, service: service, model: .survey(points),
                    referenceRate: reference,
                    observedAt: surveyPeriod.description, isSampleData: row["is_sample"] ?? false))
            }
        }
        return offers
    }

    private static func serviceDescriptor(_ row: Row, corridor: Corridor) throws -> ServiceDescriptor {
        guard let funding = FundingMethod(rawValue: row["funding_method"]),
              let payout = PayoutMethod(rawValue: row["payout_method"]),
              let speed = Speed(rawValue: row["speed"]) else {
            throw StoreError.corrupt("service \(row["id"] as Int64? ?? 0) has an unknown method or speed")
        }
        let documents = ((row["documents"] as String?) ?? "").split(separator: ",").compactMap { IdentityDocument(rawValue: String($0)) }
        return ServiceDescriptor(
            provider: try provider(row), corridor: corridor, name: row["service_name"], fundingMethod: funding,
            payoutMethod: payout, accessPoint: (row["access_point"] as String?).flatMap(AccessPoint.init(rawValue:)),
            speed: speed, isTransparent: row["is_transparent"],
            networkCoverage: (row["network_coverage"] as String?).flatMap(NetworkCoverage.init(rawValue:)),
            requiresBankAccount: row["requires_bank_account"], identityDocuments: Set(documents))
    }

    private static func scheduleModel(
        _ db: Database, scheduleID: Int64, serviceID: Int64, corridor: Corridor, asOf: CalendarDate
    ) throws -> (FeeSchedule, RateTerms, String?) {
        guard let header = try Row.fetchOne(db, sql: "SELECT fee_mode FROM fee_schedule WHERE id = ?", arguments: [scheduleID]),
              let mode = FeeMode(rawValue: header["fee_mode"]) else {
            throw StoreError.corrupt("fee schedule \(scheduleID)")
        }
        let bands = try FeeBandRecord.filter(Column("schedule_id") == scheduleID).fetchAll(db).map { band in
            guard let percent = DecimalText.parse(band.percentFee) else { throw StoreError.corrupt("percent fee '\(band.percentFee)'") }
            return FeeBand(minAmount: band.minAmount, maxAmount: band.maxAmount, fixedFee: band.fixedFee,
                           percentFee: percent, minFee: band.minFee, maxFee: band.maxFee)
        }
        let schedule: FeeSchedule
        do { schedule = try FeeSchedule(currency: corridor.sendCurrency, mode: mode, bands: bands) } catch {
            throw StoreError.corrupt("fee schedule \(scheduleID): \(error)")
        }
        let quote = try Row.fetchOne(db, sql: """
            SELECT observed_at, offered_rate, margin_percent FROM exchange_quote
             WHERE service_id = ? AND substr(observed_at, 1, 10) <= ? ORDER BY observed_at DESC LIMIT 1
            """, arguments: [serviceID, asOf.description])
        guard let quote else { return (schedule, .undisclosed, nil) }
        let observedAt: String = quote["observed_at"]
        if let offered = (quote["offered_rate"] as String?).flatMap(DecimalText.parse) {
            return (schedule, .offered(offered), observedAt)
        }
        if let margin = (quote["margin_percent"] as String?).flatMap(DecimalText.parse) {
            return (schedule, .margin(percent: margin), observedAt)
        }
        throw StoreError.corrupt("exchange quote of service \(serviceID)")
    }

    private static func surveyPoints(_ db: Database, serviceID: Int64, period: Period, corridor: Corridor) throws -> [SurveyPoint] {
        try Row.fetchAll(db, sql: """
            SELECT amount, fee, offered_rate, reference_rate, fx_margin_percent FROM price_observation
             WHERE service_id = ? AND period = ? ORDER BY amount
            """, arguments: [serviceID, period.description]).map { row in
            let reference = (row["reference_rate"] as String?).flatMap(DecimalText.parse)
            return SurveyPoint(
                amount: Money(minorUnits: row["amount"], currency: corridor.sendCurrency),
                fee: Money(minorUnits: row["fee"], currency: corridor.sendCurrency),
                offeredRate: (row["offered_rate"] as String?).flatMap(DecimalText.parse), referenceRate: reference,
                fxMarginPercent: (row["fx_margin_percent"] as String?).flatMap(DecimalText.parse))
        }
    }
}

extension PriceModel {
    var isSurvey: Bool { if case .survey = self { true } else { false } }
}
