import Foundation

/// The amounts a cost curve is drawn at: from `minimum` to `maximum` every `step`, in major units.
///
/// The last amount is `maximum` itself, added when the steps do not land on it.
public struct CurveGrid: Hashable, Sendable {
    /// The most amounts a grid may have.
    public static let maximumPoints = 10_000

    /// The first amount, above zero.
    public let minimum: Decimal
    /// The last amount, at least `minimum`.
    public let maximum: Decimal
    /// The distance between two amounts, above zero.
    public let step: Decimal
    /// How many amounts the grid has (at most ``maximumPoints``).
    public let count: Int

    /// Creates a grid after checking its limits and size.
    public init(minimum: Decimal, maximum: Decimal, step: Decimal) throws(CurveError) {
        guard minimum > 0 else { throw .minimumNotPositive(DecimalText.format(minimum)) }
        guard maximum >= minimum else {
            throw .maximumBelowMinimum(minimum: DecimalText.format(minimum), maximum: DecimalText.format(maximum))
        }
        guard step > 0 else { throw .stepNotPositive(DecimalText.format(step)) }
        let steps = (maximum - minimum) / step
        guard steps < Decimal(Self.maximumPoints) else { throw .tooManyPoints(limit: Self.maximumPoints) }
        var exact = steps, whole = Decimal()
        NSDecimalRound(&whole, &exact, 0, .down)
        let count = Int(DecimalText.format(whole)).map { $0 + 1 } ?? Self.maximumPoints + 1
        let total = minimum + whole * step < maximum ? count + 1 : count
        guard total <= Self.maximumPoints else { throw .tooManyPoints(limit: Self.maximumPoints) }
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.count = total
    }

    /// The amounts in major units, ascending: minimum, minimum + step, … and maximum.
    public var values: [Decimal] {
        var result = (0..<count).map { minimum + Decimal($0) * step }
        if let last = result.last, last > maximum { result[result.count - 1] = maximum }
        return result
    }
}

/// Why a cost curve cannot be drawn as asked.
public enum CurveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first amount is zero or negative.
    case minimumNotPositive(String)
    /// The last amount is below the first.
    case maximumBelowMinimum(minimum: String, maximum: String)
    /// The step is zero or negative.
    case stepNotPositive(String)
    /// The grid would have more amounts than allowed.
    case tooManyPoints(limit: Int)

    public var description: String {
        switch self {
        case let .minimumNotPositive(text):
            "the smallest amount (--min) must be above zero, found \(text)"
        case let .maximumBelowMinimum(minimum, maximum):
            "the largest amount (--max) must be at least the smallest (--min): found \(maximum), below \(minimum)"
        case let .stepNotPositive(text):
            "the step (--step) must be above zero, found \(text)"
        case let .tooManyPoints(limit):
            "the curve would have more than \(Money.grouped(String(limit))) amounts: raise --step or narrow --min and --max"
        }
    }
}

/// One point of a service's cost curve: what sending one amount through it costs.
public struct CurvePoint: Hashable, Sendable {
    /// The amount sent (the principal), in the sending currency.
    public var amount: Money
    /// The full price, or `nil` when the service does not send this amount (outside its bands).
    public var cost: CostBreakdown?

    public init(amount: Money, cost: CostBreakdown?) {
        self.amount = amount
        self.cost = cost
    }
}

/// One service's cost curve: its price at every amount of the curve.
public struct CurveSeries: Hashable, Sendable {
    /// The service and its price model.
    public var offer: ServiceOffer
    /// One point per amount of the curve, in the same order.
    public var points: [CurvePoint]

    public init(offer: ServiceOffer, points: [CurvePoint]) {
        self.offer = offer
        self.points = points
    }

    /// Whether the service may be the cheapest: only formal channels can (informal ones are drawn for reference).
    public var isRanked: Bool { offer.service.provider.isFormal }
}

/// The cheapest formal service at one amount of the curve.
public struct CheapestPoint: Hashable, Sendable {
    /// The amount sent.
    public var amount: Money
    /// The cheapest service, or `nil` when no formal service sends this amount.
    public var offer: ServiceOffer?
    /// Its price at the amount.
    public var cost: CostBreakdown?

    public init(amount: Money, offer: ServiceOffer?, cost: CostBreakdown?) {
        self.amount = amount
        self.offer = offer
        self.cost = cost
    }
}

/// The total cost % of the two services of a break-even at one amount.
public struct BreakEvenCosts: Hashable, Sendable {
    /// The amount priced.
    public var amount: Money
    /// The cost % of the service cheapest below the break-even, or `nil` if it does not send this amount.
    public var fromCostPercent: Decimal?
    /// The cost % of the service cheapest from the break-even on, or `nil` if it does not send this amount.
    public var toCostPercent: Decimal?

    public init(amount: Money, fromCostPercent: Decimal?, toCostPercent: Decimal?) {
        self.amount = amount
        self.fromCostPercent = fromCostPercent
        self.toCostPercent = toCostPercent
    }
}

/// An amount where the cheapest service changes.
///
/// Exact to the minor unit: at `amount` − 1 minor unit `from` is the cheapest, and at `amount` `to` is.
public struct BreakEven: Hashable, Sendable {
    /// The smallest amount (in the interval searched) at which `to` is the cheapest.
    public var amount: Money
    /// The cheapest service one minor unit below, or `nil` when no formal service sends that amount.
    public var from: ServiceOffer?
    /// The cheapest service at `amount`, or `nil` when no formal service sends it.
    public var to: ServiceOffer?
    /// Both services' cost % one minor unit below `amount`.
    public var before: BreakEvenCosts
    /// Both services' cost % at `amount`.
    public var after: BreakEvenCosts

    public init(amount: Money, from: ServiceOffer?, to: ServiceOffer?, before: BreakEvenCosts, after: BreakEvenCosts) {
        self.amount = amount
        self.from = from
        self.to = to
        self.before = before
        self.after = after
    }
}

/// Total cost % and recipient amount of a corridor's services across a range of amounts,
/// the cheapest service at each amount, and the break-even amounts where the cheapest changes.
public struct CostCurve: Hashable, Sendable {
    /// The corridor.
    public var corridor: Corridor
    /// The corridor's reference rate on the comparison date.
    public var referenceRate: RateLookup
    /// The amounts of the curve, ascending, in the sending currency.
    public var amounts: [Money]
    /// One series per service drawn: formal ones first, then informal ones (only when asked), by provider name.
    public var services: [CurveSeries]
    /// The cheapest formal service at each amount, in the order of ``amounts``.
    public var cheapest: [CheapestPoint]
    /// Where the cheapest service changes, ascending, between the first and last amounts.
    public var breakEvens: [BreakEven]
    /// Services of the corridor that pass the filters but have no curve, with the reason.
    public var notDrawn: [UnrankedOption]
    /// Whether any of the corridor's prices come from the built-in sample.
    public var usesSampleData: Bool
    /// Whether filters left some of the corridor's services out.
    public var isFiltered: Bool

    /// Draws the cost curves of `offers` at `amounts`: pure, no I/O.
    ///
    /// Only services priced from a fee schedule with a known rate are drawn; survey-only and
    /// non-transparent services are listed in ``notDrawn``, and informal channels are left out
    /// unless `includeInformal` is set (they are then drawn, but never the cheapest).
    ///
    /// Break-evens are found on the grid and refined exactly between its amounts: the cheapest
    /// service is also priced on both sides of every band edge and fee-cap kink in the range,
    /// and wherever it differs between two neighbouring amounts priced, a bisection over whole
    /// minor units finds the exact amount where it changes, then looks again for any further
    /// change up to the next amount. Between band edges each cost % has the form a / amount + b,
    /// so no service can be cheapest, lose, and be cheapest again there; only the rounding of a
    /// fee to the minor unit can make two nearly equal services swap back and forth, and such
    /// swaps can be missed.
    public static func compute(
        _ offers: [ServiceOffer], corridor: Corridor, referenceRate: RateLookup, amounts: [Money],
        filter: ServiceFilter = ServiceFilter(), includeInformal: Bool = false
    ) -> CostCurve {
        let grid = Array(Set(amounts.filter { $0.currency == corridor.sendCurrency && $0.minorUnits > 0 }.map(\.minorUnits)))
            .sorted().map { Money(minorUnits: $0, currency: corridor.sendCurrency) }
        var drawn: [(offer: ServiceOffer, pricer: Pricer)] = []
        var notDrawn: [UnrankedOption] = []
        for offer in offers where filter.admits(offer.service) {
            if !offer.service.provider.isFormal && !includeInformal { continue }
            if let reason = Self.reasonNotDrawn(offer) {
                notDrawn.append(UnrankedOption(offer: offer, cost: nil, reason: reason))
                continue
            }
            do {
                let pricer = try Pricer(sendCurrency: corridor.sendCurrency, receiveCurrency: corridor.receiveCurrency,
                                        model: offer.model, referenceRate: offer.referenceRate.rate)
                drawn.append((offer, pricer))
            } catch {
                notDrawn.append(UnrankedOption(offer: offer, cost: nil, reason: "\(error)"))
            }
        }
        drawn.sort { lhs, rhs in
            let l = lhs.offer, r = rhs.offer
            if l.service.provider.isFormal != r.service.provider.isFormal { return l.service.provider.isFormal }
            return (l.service.provider.name, l.serviceID) < (r.service.provider.name, r.serviceID)
        }
        notDrawn.sort { ($0.offer.service.provider.name, $0.offer.serviceID) < ($1.offer.service.provider.name, $1.offer.serviceID) }

        var finder = CheapestFinder(services: drawn, currency: corridor.sendCurrency)
        let series = drawn.indices.map { index in
            CurveSeries(offer: drawn[index].offer, points: grid.map { amount in
                CurvePoint(amount: amount, cost: finder.costs(at: amount.minorUnits)[index])
            })
        }
        let cheapest = grid.map { amount in
            let (index, costs) = finder.cheapest(at: amount.minorUnits)
            return CheapestPoint(amount: amount, offer: index.map { drawn[$0].offer }, cost: index.flatMap { costs[$0] })
        }
        let breakEvens = finder.breakEvens(from: grid.first?.minorUnits, to: grid.last?.minorUnits, grid: grid.map(\.minorUnits))
        return CostCurve(
            corridor: corridor, referenceRate: referenceRate, amounts: grid, services: series, cheapest: cheapest,
            breakEvens: breakEvens, notDrawn: notDrawn, usesSampleData: offers.contains { $0.isSampleData },
            isFiltered: offers.contains { !filter.admits($0.service) })
    }

    /// Why a service gets no curve, or `nil` when it gets one.
    static func reasonNotDrawn(_ offer: ServiceOffer) -> String? {
        guard offer.service.isTransparent else {
            return "exchange rate not disclosed: the FX margin, and so the total cost, is unknown"
        }
        switch offer.model {
        case .survey:
            return "survey prices only: there is no fee schedule to draw a curve from"
        case .schedule(_, .undisclosed):
            return "no exchange rate observed on or before the comparison date"
        case .schedule:
            return nil
        }
    }

    /// Whether `lhs` is cheaper than `rhs`: lower total cost %, then more received, then provider name, then service id.
    static func isCheaper(_ lhs: (offer: ServiceOffer, cost: CostBreakdown), than rhs: (offer: ServiceOffer, cost: CostBreakdown)) -> Bool {
        let lcost = lhs.cost.totalCostPercent ?? 0, rcost = rhs.cost.totalCostPercent ?? 0
        if lcost != rcost { return lcost < rcost }
        let lgets = lhs.cost.recipientAmount?.minorUnits ?? Int64.min, rgets = rhs.cost.recipientAmount?.minorUnits ?? Int64.min
        if lgets != rgets { return lgets > rgets }
        return (lhs.offer.service.provider.name, lhs.offer.serviceID) < (rhs.offer.service.provider.name, rhs.offer.serviceID)
    }
}

/// Prices the drawn services at any amount (memoised) and finds the cheapest and the break-evens.
private struct CheapestFinder {
    let services: [(offer: ServiceOffer, pricer: Pricer)]
    let currency: Currency
    private var memo: [Int64: (cheapest: Int?, costs: [CostBreakdown?])] = [:]

    init(services: [(offer: ServiceOffer, pricer: Pricer)], currency: Currency) {
        self.services = services
        self.currency = currency
    }

    /// Every service's price at `minor` (nil where it does not send the amount or its cost is unknown).
    mutating func costs(at minor: Int64) -> [CostBreakdown?] { entry(at: minor).costs }

    /// The index of the cheapest formal service at `minor`, with every service's price there.
    mutating func cheapest(at minor: Int64) -> (Int?, [CostBreakdown?]) {
        let found = entry(at: minor)
        return (found.cheapest, found.costs)
    }

    private mutating func entry(at minor: Int64) -> (cheapest: Int?, costs: [CostBreakdown?]) {
        if let known = memo[minor] { return known }
        let amount = Money(minorUnits: minor, currency: currency)
        let costs: [CostBreakdown?] = services.map { service in
            guard let cost = try? service.pricer.price(amount), cost.totalCostPercent != nil else { return nil }
            return cost
        }
        var best: Int?
        for index in services.indices where services[index].offer.service.provider.isFormal {
            guard let cost = costs[index] else { continue }
            if let current = best, let currentCost = costs[current],
               !CostCurve.isCheaper((services[index].offer, cost), than: (services[current].offer, currentCost)) { continue }
            best = index
        }
        let result = (best, costs)
        memo[minor] = result
        return result
    }

    /// The amounts (minor units) in `lower...upper` where a fee formula changes: both sides of every
    /// band limit and of every point where a percentage fee meets its minimum or maximum.
    private func edges(lower: Int64, upper: Int64) -> [Int64] {
        var result: [Int64] = []
        func add(_ first: Int64) {
            for value in [first - 1, first] where value >= lower && value <= upper { result.append(value) }
        }
        for service in services where service.offer.service.provider.isFormal {
            guard case let .schedule(schedule, _) = service.offer.model else { continue }
            for band in schedule.bands {
                add(band.minAmount)
                if let max = band.maxAmount, max < Int64.max { add(max + 1) }
                guard band.percentFee > 0 else { continue }
                // fixed + amount × percent / 100 = limit  ⇔  amount = (limit − fixed) × 100 / percent.
                for limit in [band.minFee, band.maxFee].compactMap({ $0 }) where limit > band.fixedFee {
                    let kink = Decimal(limit - band.fixedFee) * 100 / band.percentFee
                    var exact = kink, whole = Decimal()
                    NSDecimalRound(&whole, &exact, 0, .down)
                    if whole < Decimal(upper), let floor = Int64(DecimalText.format(whole)) { add(floor + 1) }
                }
            }
        }
        return result
    }

    /// Every break-even between `lower` and `upper`, found from the grid amounts and the fee edges.
    mutating func breakEvens(from lower: Int64?, to upper: Int64?, grid: [Int64]) -> [BreakEven] {
        guard let lower, let upper, lower < upper else { return [] }
        let samples = Array(Set(grid + edges(lower: lower, upper: upper))).sorted()
        var result: [BreakEven] = []
        for (a, b) in zip(samples, samples.dropFirst()) {
            var low = a
            var current = entry(at: a).cheapest
            let target = entry(at: b).cheapest
            // Walk from `a` to `b`, one change at a time: each bisection keeps `current` cheapest at `left`
            // and not at `right`, and ends with them one minor unit apart.
            while current != target {
                var left = low, right = b
                while right - left > 1 {
                    let middle = left + (right - left) / 2
                    if entry(at: middle).cheapest == current { left = middle } else { right = middle }
                }
                let next = entry(at: right).cheapest
                result.append(breakEven(at: right, from: current, to: next))
                low = right
                current = next
            }
        }
        return result
    }

    private mutating func breakEven(at minor: Int64, from: Int?, to: Int?) -> BreakEven {
        let before = costs(at: minor - 1), after = costs(at: minor)
        func percents(_ costs: [CostBreakdown?], at amount: Int64) -> BreakEvenCosts {
            BreakEvenCosts(amount: Money(minorUnits: amount, currency: currency),
                           fromCostPercent: from.flatMap { costs[$0]?.totalCostPercent },
                           toCostPercent: to.flatMap { costs[$0]?.totalCostPercent })
        }
        return BreakEven(amount: Money(minorUnits: minor, currency: currency),
                         from: from.map { services[$0].offer }, to: to.map { services[$0].offer },
                         before: percents(before, at: minor - 1), after: percents(after, at: minor))
    }
}
