import Foundation
import GRDB

/// What a person asks `remit curve`.
public struct CurveRequest: Hashable, Sendable {
    public var from: CountryCode
    public var to: CountryCode
    /// The amounts, in major units of `currency`.
    public var grid: CurveGrid
    /// The currency of the grid (the corridor's sending currency when `nil`). Other currencies are
    /// converted at the reference rate, each amount rounded once.
    public var currency: CurrencyCode?
    public var filter = ServiceFilter()
    /// Also draw informal channels, for reference (never the cheapest).
    public var includeInformal = false
    /// The day whose fee schedules and rates are used (today by default).
    public var date: CalendarDate?

    public init(from: CountryCode, to: CountryCode, grid: CurveGrid) {
        self.from = from
        self.to = to
        self.grid = grid
    }
}

extension RemitDatabase {
    /// Draws the cost curves of a corridor's services over the request's amounts, with the break-evens.
    public func costCurve(_ request: CurveRequest) throws -> CostCurve {
        try read { db in
            let prices = try Self.corridorPrices(db, from: request.from, to: request.to, currency: request.currency,
                                                 period: nil, date: request.date)
            let corridor = prices.corridor
            let currency: Currency
            if let code = request.currency {
                guard let found = ReferenceData.currency(code) else { throw LookupError.unknownCurrency(code.rawValue) }
                currency = found
            } else {
                currency = corridor.sendCurrency
            }
            var amounts: [Money] = []
            for value in request.grid.values {
                let text = DecimalText.format(value)
                guard let typed = Money.parse(text, in: currency) else { throw CompareError.tooManyDecimals(text, currency) }
                amounts.append(typed)
            }
            if currency != corridor.sendCurrency {
                guard let rate = try Self.referenceRate(db, from: currency.code, to: corridor.sendCurrency.code, on: prices.asOf) else {
                    throw LookupError.noReferenceRate(from: currency.code.rawValue, to: corridor.sendCurrency.code.rawValue,
                                                      date: prices.asOf.description)
                }
                amounts = amounts.map { Money.rounded($0.decimalValue * rate.rate, in: corridor.sendCurrency) }
                if let zero = amounts.first(where: { $0.minorUnits <= 0 }) {
                    throw CompareError.amountNotPositive(zero.description)
                }
            }
            return CostCurve.compute(prices.offers, corridor: corridor, referenceRate: prices.referenceRate, amounts: amounts,
                                     filter: request.filter, includeInformal: request.includeInformal)
        }
    }
}
