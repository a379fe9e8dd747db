import Foundation

/// A reference rate as found for a lookup: the rate, its date, and where it came from.
public struct RateLookup: Hashable, Sendable {
    /// Units of the receiving currency per unit of the sending currency.
    public var rate: Decimal
    /// The date of the published rate (the lookup date or the latest earlier one).
    public var date: CalendarDate
    /// Who published it (`ECB`, `sample`...), with `via EUR` when crossed.
    public var source: String

    public init(rate: Decimal, date: CalendarDate, source: String) {
        self.rate = rate
        self.date = date
        self.source = source
    }
}

/// A service with everything needed to price it.
public struct ServiceOffer: Hashable, Sendable {
    public var serviceID: Int64
    public var service: ServiceDescriptor
    public var model: PriceModel
    /// The reference rate for schedule prices (survey prices carry their own).
    public var referenceRate: RateLookup
    /// When the price was observed: the rate quote's time or the survey period.
    public var observedAt: String?
    /// Whether the price comes from remit's built-in sample rather than real data.
    public var isSampleData: Bool

    public init(serviceID: Int64, service: ServiceDescriptor, model: PriceModel, referenceRate: RateLookup,
                observedAt: String?, isSampleData: Bool = false) {
        self.serviceID = serviceID
        self.service = service
        self.model = model
        self.referenceRate = referenceRate
        self.observedAt = observedAt
        self.isSampleData = isSampleData
    }
}

/// Which services a person can use.
public struct ServiceFilter: Hashable, Sendable {
    public var payoutMethod: PayoutMethod?
    public var fundingMethod: FundingMethod?
    /// The slowest speed accepted.
    public var maxSpeed: Speed?
    public var firmType: FirmType?
    /// Only services the sender can use with cash and an ID, without a bank account or card.
    public var withoutBankAccount = false

    public init(payoutMethod: PayoutMethod? = nil, fundingMethod: FundingMethod? = nil, maxSpeed: Speed? = nil,
                firmType: FirmType? = nil, withoutBankAccount: Bool = false) {
        self.payoutMethod = payoutMethod
        self.fundingMethod = fundingMethod
        self.maxSpeed = maxSpeed
        self.firmType = firmType
        self.withoutBankAccount = withoutBankAccount
    }

    /// Whether `service` passes every filter that is set.
    public func admits(_ service: ServiceDescriptor) -> Bool {
        if let payoutMethod, service.payoutMethod != payoutMethod { return false }
        if let fundingMethod, service.fundingMethod != fundingMethod { return false }
        if let maxSpeed, service.speed > maxSpeed { return false }
        if let firmType, service.provider.firmType != firmType { return false }
        if withoutBankAccount, service.requiresBankAccount || service.fundingMethod != .cash { return false }
        return true
    }
}

/// How to order the ranking.
public enum RankingOrder: String, Vocabulary {
    /// Cheapest first: lowest total cost (in reverse mode, least to pay).
    case cost
    /// Most received first.
    case received
    /// Fastest first, then cheapest.
    case speed

    public var label: String { rawValue }
}

/// What the person wants to send.
public enum TransferTarget: Hashable, Sendable {
    /// Send this amount (in the corridor's sending currency).
    case send(Money)
    /// The recipient must get this amount (in the receiving currency).
    case receive(Money)
}

/// One service priced for the request.
public struct PricedOption: Hashable, Sendable {
    /// 1 for the best; `nil` for options listed but not ranked.
    public var rank: Int?
    public var offer: ServiceOffer
    public var cost: CostBreakdown
}

/// A service left out of the ranking, and why.
public struct UnrankedOption: Hashable, Sendable {
    public var offer: ServiceOffer
    /// The price as far as it is known.
    public var cost: CostBreakdown?
    /// Why it is not ranked, in words.
    public var reason: String
}

/// The figures under a ranking.
public struct ComparisonSummary: Hashable, Sendable {
    /// Simple average of total cost % over the ranked services.
    public var averageTotalCostPercent: Decimal
    /// Average total cost in the sending currency.
    public var averageTotalCost: Money
    /// The rank-1 option by cost.
    public var cheapest: PricedOption
    /// The most expensive ranked option.
    public var dearest: PricedOption
    /// What choosing the cheapest saves over the average, in the sending currency.
    public var savingVersusAverage: Money
    /// The same at the reference rate, in the receiving currency.
    public var savingVersusAverageReceived: Money
    /// What choosing the cheapest saves over the dearest, in the sending currency.
    public var savingVersusDearest: Money
    /// The same at the reference rate, in the receiving currency.
    public var savingVersusDearestReceived: Money
}

/// The answer to `remit compare`.
public struct ComparisonResult: Hashable, Sendable {
    public var corridor: Corridor
    public var target: TransferTarget
    /// The corridor's reference rate at the comparison date.
    public var referenceRate: RateLookup
    /// Formal, transparent services that can send the amount, in rank order (the limit applied).
    public var ranked: [PricedOption]
    /// How many services were ranked before the limit.
    public var rankedCount: Int
    /// Formal services shown but not ranked: rate undisclosed, amount outside limits.
    public var unranked: [UnrankedOption]
    /// Informal channels, listed for reference only, never ranked.
    public var informal: [UnrankedOption]
    /// Averages and savings, when at least one service is ranked.
    public var summary: ComparisonSummary?
    /// The survey period the survey prices come from, if any.
    public var period: Period?
    /// Whether any of the corridor's prices come from the built-in sample.
    public var usesSampleData: Bool
    /// Whether filters left some of the corridor's services out.
    public var isFiltered: Bool
}

/// Ranks formal channels by what they really cost: pure, no I/O.
public enum Comparison {
    /// Prices every offer for `target`, filters, ranks and summarises.
    public static func rank(
        _ offers: [ServiceOffer], corridor: Corridor, target: TransferTarget, referenceRate: RateLookup,
        filter: ServiceFilter = ServiceFilter(), sort: RankingOrder = .cost, includeInformal: Bool = false,
        limit: Int? = nil, period: Period? = nil
    ) -> ComparisonResult {
        var ranked: [PricedOption] = []
        var unranked: [UnrankedOption] = []
        var informal: [UnrankedOption] = []
        for offer in offers where filter.admits(offer.service) {
            let isFormal = offer.service.provider.isFormal
            if !isFormal && !includeInformal { continue }
            let cost: CostBreakdown
            do {
                let pricer = try Pricer(sendCurrency: corridor.sendCurrency, receiveCurrency: corridor.receiveCurrency,
                                        model: offer.model, referenceRate: offer.referenceRate.rate)
                switch target {
                case let .send(amount): cost = try pricer.price(amount)
                case let .receive(amount):
                    cost = try pricer.amountToSend(toDeliver: amount)
                }
            } catch PricingError.rateUndisclosed where offer.service.isTransparent {
                let option = UnrankedOption(offer: offer, cost: nil, reason: "no exchange rate observed on or before the comparison date")
                if isFormal { unranked.append(option) } else { informal.append(option) }
                continue
            } catch {
                let option = UnrankedOption(offer: offer, cost: nil, reason: "\(error)")
                if isFormal { unranked.append(option) } else { informal.append(option) }
                continue
            }
            if !isFormal {
                informal.append(UnrankedOption(offer: offer, cost: cost, reason: "informal channel: not licensed or regulated"))
            } else if !offer.service.isTransparent {
                unranked.append(UnrankedOption(offer: offer, cost: cost,
                                               reason: "exchange rate not disclosed: the FX margin, and so the total cost, is unknown"))
            } else if !cost.isTransparent {
                unranked.append(UnrankedOption(offer: offer, cost: cost,
                                               reason: "no exchange rate observed on or before the comparison date"))
            } else {
                ranked.append(PricedOption(rank: nil, offer: offer, cost: cost))
            }
        }
        let reverse: Bool = if case .receive = target { true } else { false }
        ranked.sort { lhs, rhs in isOrdered(lhs, before: rhs, by: sort, reverse: reverse) }
        for index in ranked.indices { ranked[index].rank = index + 1 }
        let summary = summarize(ranked, corridor: corridor, referenceRate: referenceRate, reverse: reverse)
        let byName: (UnrankedOption, UnrankedOption) -> Bool = {
            ($0.offer.service.provider.name, $0.offer.serviceID) < ($1.offer.service.provider.name, $1.offer.serviceID)
        }
        return ComparisonResult(
            corridor: corridor, target: target, referenceRate: referenceRate,
            ranked: limit.map { Array(ranked.prefix($0)) } ?? ranked, rankedCount: ranked.count,
            unranked: unranked.sorted(by: byName), informal: informal.sorted(by: byName),
            summary: summary, period: period, usesSampleData: offers.contains { $0.isSampleData },
            isFiltered: offers.contains { !filter.admits($0.service) })
    }

    /// The cost by which options are compared: total cost, or in reverse mode what the sender pays.
    static func costKey(_ option: PricedOption, reverse: Bool) -> Decimal {
        reverse ? option.cost.senderPays.decimalValue : (option.cost.totalCostPercent ?? 0)
    }

    static func isOrdered(_ lhs: PricedOption, before rhs: PricedOption, by sort: RankingOrder, reverse: Bool) -> Bool {
        let lcost = costKey(lhs, reverse: reverse), rcost = costKey(rhs, reverse: reverse)
        let tie = (lhs.offer.service.provider.name, lhs.offer.serviceID) < (rhs.offer.service.provider.name, rhs.offer.serviceID)
        switch sort {
        case .cost:
            return lcost != rcost ? lcost < rcost : tie
        case .received:
            let l = lhs.cost.recipientAmount?.minorUnits ?? 0, r = rhs.cost.recipientAmount?.minorUnits ?? 0
            if reverse || l == r { return lcost != rcost ? lcost < rcost : tie }
            return l > r
        case .speed:
            if lhs.offer.service.speed != rhs.offer.service.speed { return lhs.offer.service.speed < rhs.offer.service.speed }
            return lcost != rcost ? lcost < rcost : tie
        }
    }

    static func summarize(_ ranked: [PricedOption], corridor: Corridor, referenceRate: RateLookup, reverse: Bool) -> ComparisonSummary? {
        let byCost = ranked.sorted { isOrdered($0, before: $1, by: .cost, reverse: reverse) }
        guard let cheapest = byCost.first, let dearest = byCost.last else { return nil }
        let count = Decimal(ranked.count)
        let percents = ranked.compactMap(\.cost.totalCostPercent)
        let average = percents.reduce(0, +) / count
        // In reverse mode the recipient gets the same everywhere: what differs is what the sender pays.
        func spent(_ option: PricedOption) -> Money {
            reverse ? option.cost.senderPays : (option.cost.totalCost ?? option.cost.fee)
        }
        let averageSpent = ranked.map { spent($0).decimalValue }.reduce(0, +) / count
        let averageMoney = Money.rounded(averageSpent, in: corridor.sendCurrency)
        let averageCost = reverse
            ? Money.rounded(ranked.compactMap { $0.cost.totalCost?.decimalValue }.reduce(0, +) / count, in: corridor.sendCurrency)
            : averageMoney
        let versusAverage = averageMoney - spent(cheapest)
        let versusDearest = spent(dearest) - spent(cheapest)
        func received(_ money: Money) -> Money {
            Money.rounded(money.decimalValue * referenceRate.rate, in: corridor.receiveCurrency)
        }
        return ComparisonSummary(
            averageTotalCostPercent: average, averageTotalCost: averageCost, cheapest: cheapest, dearest: dearest,
            savingVersusAverage: versusAverage, savingVersusAverageReceived: received(versusAverage),
            savingVersusDearest: versusDearest, savingVersusDearestReceived: received(versusDearest))
    }
}
