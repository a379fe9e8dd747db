import Foundation

/// The exchange rate a service applies, as the provider states it.
public enum RateTerms: Hashable, Sendable {
    /// The rate offered: receiving-currency units per sending-currency unit.
    case offered(Decimal)
    /// A margin over the reference rate in percent: offered = reference × (1 − margin / 100).
    case margin(percent: Decimal)
    /// The provider does not disclose its rate (a non-transparent service).
    case undisclosed
}

/// A survey price point: what a service charged for one amount in one period.
public struct SurveyPoint: Hashable, Sendable {
    /// The amount surveyed, in the sending currency (e.g. the local equivalent of USD 200).
    public var amount: Money
    /// The fee charged on top of the amount.
    public var fee: Money
    /// The rate offered, or `nil` if not disclosed.
    public var offeredRate: Decimal?
    /// The interbank rate the survey compared it with; `nil` when not published (non-transparent).
    public var referenceRate: Decimal?
    /// The published FX margin in percent, or `nil` when unknown (non-transparent).
    public var fxMarginPercent: Decimal?

    public init(amount: Money, fee: Money, offeredRate: Decimal?, referenceRate: Decimal?, fxMarginPercent: Decimal?) {
        self.amount = amount
        self.fee = fee
        self.offeredRate = offeredRate
        self.referenceRate = referenceRate
        self.fxMarginPercent = fxMarginPercent
    }
}

/// How remit knows a service's price.
public enum PriceModel: Hashable, Sendable {
    /// A fee schedule that prices any amount, with the service's exchange-rate terms.
    case schedule(FeeSchedule, rate: RateTerms)
    /// Survey price points only (such as RPW's USD 200 and USD 500).
    ///
    /// At a surveyed amount the price is the surveyed one (basis `survey`). At any
    /// other amount it is an estimate: the fee is interpolated linearly between the
    /// two nearest points (and held flat beyond the first and last), and the rate
    /// and margin are those of the nearest point.
    case survey([SurveyPoint])
}

/// Where a price comes from.
public enum PriceBasis: String, Vocabulary {
    /// Computed from the provider's fee schedule and rate.
    case schedule
    /// Observed by a survey at exactly this amount.
    case survey
    /// Estimated from survey points at other amounts.
    case estimate

    public var label: String { rawValue.capitalized }
}

/// What sending one amount through one service costs, in full.
public struct CostBreakdown: Hashable, Sendable {
    /// The amount sent (the principal), in the sending currency.
    public var amount: Money
    /// The fee.
    public var fee: Money
    /// Whether the fee is on top of the amount or deducted from it.
    public var feeMode: FeeMode
    /// What the sender hands over: amount + fee on top, or the amount when deducted.
    public var senderPays: Money
    /// The amount converted: the amount, less the fee when the fee is deducted.
    public var exchangedAmount: Money
    /// The reference (interbank mid-market) rate the margin is measured against.
    public var referenceRate: Decimal
    /// The rate applied, or `nil` when the service does not disclose it.
    public var offeredRate: Decimal?
    /// (1 − offered / reference) × 100, or `nil` when unknown. Negative is a promotion.
    public var fxMarginPercent: Decimal?
    /// The FX margin in money: amount × margin / 100, in the sending currency.
    public var fxCost: Money?
    /// Fee + FX cost, in the sending currency.
    public var totalCost: Money?
    /// RPW total cost: fee / amount × 100 + FX margin %.
    public var totalCostPercent: Decimal?
    /// What the recipient gets, in the receiving currency.
    public var recipientAmount: Money?
    /// Where the price comes from.
    public var basis: PriceBasis

    /// Whether the cost is fully known (the FX margin is disclosed).
    public var isTransparent: Bool { fxMarginPercent != nil }
}

/// Prices one service for any amount: the pure core of remit.
public struct Pricer: Hashable, Sendable {
    /// The corridor's sending currency.
    public let sendCurrency: Currency
    /// The corridor's receiving currency.
    public let receiveCurrency: Currency
    /// How the service is priced.
    public let model: PriceModel
    /// The reference rate used for schedule prices (survey prices carry their own).
    public let referenceRate: Decimal

    /// Creates a pricer; the reference rate must be positive.
    public init(sendCurrency: Currency, receiveCurrency: Currency, model: PriceModel, referenceRate: Decimal) throws(PricingError) {
        guard referenceRate > 0 else { throw .invalidRate(referenceRate) }
        if case let .schedule(_, .offered(rate)) = model, rate <= 0 { throw .invalidRate(rate) }
        self.sendCurrency = sendCurrency
        self.receiveCurrency = receiveCurrency
        self.model = model
        self.referenceRate = referenceRate
    }

    /// The full cost of sending `amount`.
    public func price(_ amount: Money) throws(PricingError) -> CostBreakdown {
        guard amount.currency == sendCurrency else {
            throw .currencyMismatch(expected: sendCurrency.code, found: amount.currency.code)
        }
        guard amount.minorUnits > 0 else { throw .amountNotServed(amount) }
        switch model {
        case let .schedule(schedule, terms):
            guard let fee = schedule.fee(for: amount) else { throw .amountNotServed(amount) }
            // A deducted fee as large as the amount leaves nothing to send.
            if schedule.mode == .deducted, fee.minorUnits >= amount.minorUnits { throw .amountNotServed(amount) }
            let offered: Decimal?
            switch terms {
            case let .offered(rate): offered = rate
            case let .margin(percent): offered = referenceRate * (1 - percent / 100)
            case .undisclosed: offered = nil
            }
            return breakdown(amount: amount, fee: fee, mode: schedule.mode, reference: referenceRate,
                             offered: offered, margin: offered.map { Self.marginPercent(offered: $0, reference: referenceRate) },
                             basis: .schedule)
        case let .survey(points):
            guard let nearest = Self.nearest(points, to: amount) else { throw .amountNotServed(amount) }
            let exact = nearest.amount == amount
            let fee = exact ? nearest.fee : Self.interpolatedFee(points, at: amount)
            return breakdown(amount: amount, fee: fee, mode: .onTop, reference: nearest.referenceRate ?? referenceRate,
                             offered: nearest.offeredRate, margin: nearest.fxMarginPercent,
                             basis: exact ? .survey : .estimate)
        }
    }

    /// The cheapest way to have the recipient get at least `target`: the amount whose
    /// total paid (amount plus any fee on top) is least, with its cost.
    ///
    /// Exact: within each band the smallest amount in minor units whose recipient
    /// amount reaches the target is found by bisection (the recipient amount never
    /// decreases within a band), and the bands are compared by what the sender pays,
    /// so a cheaper higher band or a fee cap is found. When rounding makes the exact
    /// target unreachable, the recipient gets the least amount above it.
    public func amountToSend(toDeliver target: Money) throws(PricingError) -> CostBreakdown {
        guard target.currency == receiveCurrency else {
            throw .currencyMismatch(expected: receiveCurrency.code, found: target.currency.code)
        }
        guard isRateDisclosed else { throw .rateUndisclosed }
        var best: CostBreakdown?
        for segment in segments {
            guard let found = search(segment, target: target) else { continue }
            if best.map({ (found.senderPays.minorUnits, found.amount.minorUnits) < ($0.senderPays.minorUnits, $0.amount.minorUnits) }) ?? true {
                best = found
            }
        }
        guard let best else { throw .targetUnreachable(target) }
        return best
    }

    /// (1 − offered / reference) × 100.
    public static func marginPercent(offered: Decimal, reference: Decimal) -> Decimal {
        (1 - offered / reference) * 100
    }

    /// Whether the service's rate is known (at every surveyed point, for survey prices).
    public var isRateDisclosed: Bool {
        switch model {
        case .schedule(_, .undisclosed): false
        case .schedule: true
        case let .survey(points): points.allSatisfy { $0.fxMarginPercent != nil && $0.offeredRate != nil }
        }
    }

    // MARK: - Internals

    private func breakdown(
        amount: Money, fee: Money, mode: FeeMode, reference: Decimal,
        offered: Decimal?, margin: Decimal?, basis: PriceBasis
    ) -> CostBreakdown {
        let senderPays = mode == .onTop ? amount + fee : amount
        let exchanged = mode == .onTop ? amount : amount - fee
        let fxCost = margin.map { Money.rounded(amount.decimalValue * $0 / 100, in: sendCurrency) }
        let feePercent = Decimal(fee.minorUnits) / Decimal(amount.minorUnits) * 100
        return CostBreakdown(
            amount: amount, fee: fee, feeMode: mode, senderPays: senderPays, exchangedAmount: exchanged,
            referenceRate: reference, offeredRate: margin == nil ? nil : offered, fxMarginPercent: margin,
            fxCost: fxCost, totalCost: fxCost.map { fee + $0 },
            totalCostPercent: margin.map { feePercent + $0 },
            recipientAmount: margin == nil ? nil : offered.map { Money.rounded(exchanged.decimalValue * $0, in: receiveCurrency) },
            basis: basis)
    }

    /// Ranges of amounts (minor units) within which the recipient amount never decreases.
    private var segments: [(lower: Int64, upper: Int64?)] {
        switch model {
        case let .schedule(schedule, _):
            return schedule.bands.map { (max($0.minAmount, 1), $0.maxAmount) }
        case let .survey(points):
            let sorted = points.map(\.amount.minorUnits).sorted()
            var result: [(Int64, Int64?)] = []
            var lower: Int64 = 1
            for (index, amount) in sorted.enumerated() where index + 1 < sorted.count {
                let boundary = Self.midpoint(amount, sorted[index + 1])
                result.append((lower, boundary - 1))
                lower = boundary
            }
            result.append((lower, nil))
            return result
        }
    }

    private func search(_ segment: (lower: Int64, upper: Int64?), target: Money) -> CostBreakdown? {
        func reaches(_ minor: Int64) -> CostBreakdown? {
            guard let cost = try? price(Money(minorUnits: minor, currency: sendCurrency)),
                  let received = cost.recipientAmount, received.minorUnits >= target.minorUnits else { return nil }
            return cost
        }
        let ceiling: Int64 = 1_000_000_000_000_000
        var low = segment.lower
        var high: Int64
        if let upper = segment.upper {
            guard low <= upper, reaches(upper) != nil else { return nil }
            high = upper
        } else {
            high = max(low, 1)
            while reaches(high) == nil {
                guard high < ceiling else { return nil }
                low = high + 1
                high = min(high * 2, ceiling)
            }
        }
        while low < high {
            let middle = low + (high - low) / 2
            if reaches(middle) != nil { high = middle } else { low = middle + 1 }
        }
        return reaches(low)
    }

    /// The first amount whose nearest point is `b` rather than `a` (ties go to `a`).
    private static func midpoint(_ a: Int64, _ b: Int64) -> Int64 { a + (b - a) / 2 + 1 }

    /// The point whose amount is closest to `amount` (the lower one on a tie).
    private static func nearest(_ points: [SurveyPoint], to amount: Money) -> SurveyPoint? {
        points.filter { $0.amount.currency == amount.currency }
            .min { lhs, rhs in
                let l = abs(lhs.amount.minorUnits - amount.minorUnits)
                let r = abs(rhs.amount.minorUnits - amount.minorUnits)
                return l != r ? l < r : lhs.amount.minorUnits < rhs.amount.minorUnits
            }
    }

    private static func interpolatedFee(_ points: [SurveyPoint], at amount: Money) -> Money {
        let sorted = points.sorted { $0.amount.minorUnits < $1.amount.minorUnits }
        guard let first = sorted.first, let last = sorted.last else { return Money(minorUnits: 0, currency: amount.currency) }
        if amount.minorUnits <= first.amount.minorUnits { return first.fee }
        if amount.minorUnits >= last.amount.minorUnits { return last.fee }
        guard let upperIndex = sorted.firstIndex(where: { $0.amount.minorUnits >= amount.minorUnits }), upperIndex > 0 else {
            return last.fee
        }
        let low = sorted[upperIndex - 1], high = sorted[upperIndex]
        let span = Decimal(high.amount.minorUnits - low.amount.minorUnits)
        let position = Decimal(amount.minorUnits - low.amount.minorUnits) / span
        let exact = Decimal(low.fee.minorUnits) + Decimal(high.fee.minorUnits - low.fee.minorUnits) * position
        return Money.rounded(exact.scaled(by: -amount.currency.minorUnits), in: amount.currency)
    }
}
