import Foundation
import PropertyBased
import Testing
@testable import RemitKit

/// Numbers that must not lie: invariants of pricing, checked on random fee schedules, amounts and
/// rates with swift-property-based (which shrinks a failing case and prints the seed to replay it).
///
/// Every decimal is built from integers (`Decimal(n) / 10_000`), never from a `Double` literal.
/// Schedules have 1–4 bands with fixed and percentage fees, optional minimum and maximum fees, gaps
/// between bands, either fee mode, and send and receive currencies with 0, 2 or 3 decimals. Rates
/// are stated either as an offered rate or as a margin, and margins run from −5 % (a promotion)
/// to 20 %.
@Suite("Pricing properties")
struct PricingPropertyTests {
    // MARK: Generators

    /// One band before it is placed: its width, its fees and caps (−1 for none) and the gap after it.
    struct BandSpec: Sendable, CustomStringConvertible {
        var width: Int64
        var fixedFee: Int64
        /// The percentage fee in hundredths of a percent (`150` is 1.5 %).
        var percentHundredths: Int
        var minFee: Int64
        var maxFeeAboveMin: Int64
        var gap: Int64

        var description: String {
            "band(width \(width), fixed \(fixedFee), \(percentHundredths)/100 %, min \(minFee), max +\(maxFeeAboveMin), gap \(gap))"
        }
    }

    /// A whole service: bands, where they start, fee mode, currencies and rate.
    struct ServiceSpec: Sendable, CustomStringConvertible {
        var bands: [BandSpec]
        var start: Int64
        var openEnded: Bool
        var deducted: Bool
        var sendIndex: Int
        var receiveIndex: Int
        /// The reference rate in units of 10⁻⁴.
        var referenceUnits: Int
        /// The margin in hundredths of a percent; negative is a promotion.
        var marginHundredths: Int
        /// Whether the rate is stated as a margin (`margin_percent`) rather than an offered rate.
        var statedAsMargin: Bool

        static let sendCurrencies = [T.jpy, T.usd, T.kwd]
        static let receiveCurrencies = [T.jpy, T.mxn, T.kwd, T.php]

        var send: Currency { Self.sendCurrencies[sendIndex] }
        var receive: Currency { Self.receiveCurrencies[receiveIndex] }
        var reference: Decimal { Decimal(referenceUnits) / 10_000 }
        var margin: Decimal { Decimal(marginHundredths) / 100 }

        var schedule: FeeSchedule {
            var bands: [FeeBand] = []
            var lower = start
            for (index, spec) in self.bands.enumerated() {
                let upper: Int64? = index == self.bands.count - 1 && openEnded ? nil : lower + spec.width
                let minFee: Int64? = spec.minFee < 0 ? nil : spec.minFee
                let maxFee: Int64? = spec.maxFeeAboveMin < 0 ? nil : (minFee ?? 0) + spec.maxFeeAboveMin
                bands.append(FeeBand(minAmount: lower, maxAmount: upper, fixedFee: spec.fixedFee,
                                     percentFee: Decimal(spec.percentHundredths) / 100, minFee: minFee, maxFee: maxFee))
                guard let upper else { break }
                lower = upper + spec.gap
            }
            // The bands are valid by construction; a failure here is a bug in this generator.
            guard let schedule = try? FeeSchedule(currency: send, mode: deducted ? .deducted : .onTop, bands: bands) else {
                preconditionFailure("invalid generated schedule \(self)")
            }
            return schedule
        }

        var terms: RateTerms {
            statedAsMargin ? .margin(percent: margin) : .offered(reference * (1 - Decimal(marginHundredths) / 10_000))
        }

        var pricer: Pricer {
            guard let pricer = try? Pricer(sendCurrency: send, receiveCurrency: receive, model: .schedule(schedule, rate: terms),
                                           referenceRate: reference) else { preconditionFailure("invalid generated pricer \(self)") }
            return pricer
        }

        /// Every band's edges and their neighbours: where rounding and caps bite.
        var edges: [Int64] {
            var edges: [Int64] = []
            for band in schedule.bands {
                edges += [band.minAmount - 1, band.minAmount, band.minAmount + 1]
                if let max = band.maxAmount { edges += [max - 1, max, max + 1] }
            }
            return edges.filter { $0 > 0 }
        }

        var description: String {
            "\(deducted ? "deducted" : "on-top") \(send.code)→\(receive.code) from \(start) \(bands)\(openEnded ? " open" : ""), "
                + "reference \(reference), margin \(margin) % as \(statedAsMargin ? "margin" : "offered rate")"
        }
    }

    static func bands(width: ClosedRange<Int64>) -> Generator<[BandSpec], some SendableSequenceType> {
        zip(Gen.int64(in: width), Gen.int64(in: 0...1_500), Gen.int(in: 0...900), Gen.int64(in: -1...500),
            Gen.int64(in: -1...3_000), Gen.int64(in: 1...50))
            .map { BandSpec(width: $0, fixedFee: $1, percentHundredths: $2, minFee: $3, maxFeeAboveMin: $4, gap: $5) }
            .array(of: 1...4)
    }

    /// Services with bands of `width` minor units starting at most at `start`, and reference rates in `reference` × 10⁻⁴.
    static func services(width: ClosedRange<Int64> = 100...200_000, start: ClosedRange<Int64> = 1...5_000,
                         reference: ClosedRange<Int> = 1...5_000_000,
                         sendIndex: ClosedRange<Int> = 0...2) -> Generator<ServiceSpec, some SendableSequenceType> {
        zip(bands(width: width), Gen.int64(in: start), Gen.bool, Gen.bool, Gen.int(in: sendIndex), Gen.int(in: 0...3),
            Gen.int(in: reference), Gen.int(in: -500...2_000), Gen.bool)
            .map { ServiceSpec(bands: $0, start: $1, openEnded: $2, deducted: $3, sendIndex: $4, receiveIndex: $5,
                               referenceUnits: $6, marginHundredths: $7, statedAsMargin: $8) }
    }

    /// An amount for `spec`: a band edge (or next to one) or any amount up to a little past the last band.
    static func amount(_ spec: ServiceSpec, pick: Int, offset: Int64) -> Money {
        let edges = spec.edges
        let limits = spec.schedule.limits
        let top = limits.max?.minorUnits ?? limits.min.minorUnits + 1_000_000
        let minor = pick < 3 && !edges.isEmpty ? edges[Int(offset % Int64(edges.count))] : 1 + offset % (top + 100)
        return Money(minorUnits: minor, currency: spec.send)
    }

    /// `|a − b| ≤ tolerance`.
    static func within(_ a: Decimal, _ b: Decimal, _ tolerance: Decimal) -> Bool {
        let difference = a - b
        return (difference < 0 ? -difference : difference) <= tolerance
    }

    /// Half of the smallest unit of `currency`, plus a hair for `Decimal`'s 38 digits.
    static func halfUnit(_ currency: Currency) -> Decimal {
        Decimal(5) / 10 * Decimal(sign: .plus, exponent: -currency.minorUnits, significand: 1) + Decimal(sign: .plus, exponent: -20, significand: 1)
    }

    // MARK: Total cost

    @Test("Total cost = fee + FX cost; FX cost = amount × margin, rounded once; the RPW % identity holds")
    func totalCost() async {
        var checked = 0
        await propertyCheck(count: 2_000, input: Self.services(), Gen.int(in: 0...9), Gen.int64(in: 0...Int64(Int32.max))) { spec, pick, offset in
            let amount = Self.amount(spec, pick: pick, offset: offset)
            guard let cost = try? spec.pricer.price(amount) else { return }
            checked += 1
            let fee = cost.fee, send = spec.send
            guard let margin = cost.fxMarginPercent, let fx = cost.fxCost, let total = cost.totalCost,
                  let percent = cost.totalCostPercent else {
                Issue.record("a transparent service without margin or total: \(spec)")
                return
            }
            #expect(total == fee + fx, "\(spec) at \(amount)")
            #expect(fee.minorUnits >= 0)
            // FX cost is the amount × the margin, rounded once to the sending currency.
            #expect(Self.within(fx.decimalValue, amount.decimalValue * margin / 100, Self.halfUnit(send)), "\(spec) at \(amount)")
            // The margin is the one stated (or implied by the offered rate).
            #expect(Self.within(margin, spec.margin, Decimal(sign: .plus, exponent: -25, significand: 1)), "\(spec)")
            // total % = fee / amount × 100 + margin %, and the total in money is that share of the amount.
            #expect(Self.within(percent, Decimal(fee.minorUnits) / Decimal(amount.minorUnits) * 100 + margin,
                                Decimal(sign: .plus, exponent: -25, significand: 1)))
            #expect(Self.within(total.decimalValue, amount.decimalValue * percent / 100, Self.halfUnit(send)), "\(spec) at \(amount)")
            // What the sender pays and what is converted follow from the fee mode.
            if spec.deducted {
                #expect(cost.senderPays == amount && cost.exchangedAmount == amount - fee)
            } else {
                #expect(cost.senderPays == amount + fee && cost.exchangedAmount == amount)
            }
        }
        #expect(checked >= 1_000, "only \(checked) of 2,000 cases were priced")
    }

    // MARK: Recipient amount

    @Test("The recipient never gets more than the amount at the reference rate, unless the margin is negative")
    func recipientBound() async {
        var checked = 0, promotions = 0
        await propertyCheck(count: 2_000, input: Self.services(), Gen.int(in: 0...9), Gen.int64(in: 0...Int64(Int32.max))) { spec, pick, offset in
            let amount = Self.amount(spec, pick: pick, offset: offset)
            guard let cost = try? spec.pricer.price(amount), let received = cost.recipientAmount,
                  let offered = cost.offeredRate, let margin = cost.fxMarginPercent else { return }
            checked += 1
            let receive = spec.receive
            let atReference = Money.rounded(amount.decimalValue * spec.reference, in: receive)
            if margin >= 0 {
                #expect(received.minorUnits <= atReference.minorUnits, "\(spec) at \(amount): \(received) > \(atReference)")
            } else {
                promotions += 1
                // A promotion beats the reference rate on what is converted.
                let exchangedAtReference = Money.rounded(cost.exchangedAmount.decimalValue * spec.reference, in: receive)
                #expect(received.minorUnits >= exchangedAtReference.minorUnits, "\(spec) at \(amount)")
            }
            // The recipient gets exactly what is converted at the offered rate, rounded once…
            #expect(received == Money.rounded(cost.exchangedAmount.decimalValue * offered, in: receive))
            // …so the shortfall from the reference rate is the margin's share of it, to half a unit.
            let exchanged = cost.exchangedAmount.decimalValue
            let shortfall = exchanged * spec.reference - received.decimalValue
            #expect(Self.within(shortfall, exchanged * spec.reference * margin / 100, Self.halfUnit(receive)), "\(spec) at \(amount)")
        }
        #expect(checked >= 1_000, "only \(checked) of 2,000 cases were priced")
        #expect(promotions >= 50, "only \(promotions) cases with a negative margin")
    }

    // MARK: Reverse

    @Test("Reverse: the amount found delivers the target, one unit less in its band does not, and it round-trips")
    func reverse() async {
        var checked = 0, unreachable = 0
        await propertyCheck(count: 600, input: Self.services(), Gen.int64(in: 1...Int64(Int32.max)), Gen.int64(in: 0...Int64(Int32.max))) { spec, target, offset in
            let pricer = spec.pricer
            let receive = spec.receive
            let goal = Money(minorUnits: target % 50_000_000 + 1, currency: receive)
            let found: CostBreakdown
            do {
                found = try pricer.amountToSend(toDeliver: goal)
            } catch {
                // Unreachable only if no band, at its top, delivers the goal.
                unreachable += 1
                #expect(error as? PricingError == .targetUnreachable(goal), "\(spec): \(error)")
                for band in spec.schedule.bands {
                    guard let top = band.maxAmount else {
                        Issue.record("an open-ended band cannot make \(goal) unreachable: \(spec)")
                        continue
                    }
                    if let cost = try? pricer.price(Money(minorUnits: top, currency: spec.send)), let got = cost.recipientAmount {
                        #expect(got.minorUnits < goal.minorUnits, "\(spec): \(top) delivers \(got) ≥ \(goal)")
                    }
                }
                return
            }
            checked += 1
            // Pricing the amount found gives the same breakdown, and it delivers at least the goal.
            #expect(try pricer.price(found.amount) == found)
            #expect(try #require(found.recipientAmount).minorUnits >= goal.minorUnits, "\(spec) for \(goal)")
            // One minor unit less, in the same band, no longer delivers it.
            let less = Money(minorUnits: found.amount.minorUnits - 1, currency: spec.send)
            if let band = spec.schedule.band(for: found.amount), band.contains(less.minorUnits),
               let smaller = try? pricer.price(less), let got = smaller.recipientAmount {
                #expect(got.minorUnits < goal.minorUnits, "\(spec): \(less) already delivers \(got) ≥ \(goal)")
            }
            // Forward then reverse: what an amount delivers can be had for no more money.
            let amount = Self.amount(spec, pick: Int(offset % 10), offset: offset)
            if let forward = try? pricer.price(amount), let received = forward.recipientAmount, received.minorUnits > 0 {
                let back = try pricer.amountToSend(toDeliver: received)
                #expect(back.senderPays.minorUnits <= forward.senderPays.minorUnits, "\(spec): \(amount)")
                #expect(try #require(back.recipientAmount).minorUnits >= received.minorUnits)
            }
        }
        #expect(checked >= 300, "only \(checked) of 600 targets were reachable (\(unreachable) not)")
    }

    @Test("Reverse equals an exhaustive search on small schedules: the least total paid that delivers the target")
    func reverseExhaustive() async {
        var checked = 0
        let small = Self.services(width: 10...400, start: 1...200, reference: 5_000...40_000, sendIndex: 1...1)
        await propertyCheck(count: 120, input: small, Gen.int(in: 1...3_000)) { spec, target in
            let pricer = spec.pricer
            let goal = Money(minorUnits: Int64(target), currency: spec.receive)
            let top = (spec.schedule.limits.max?.minorUnits ?? spec.schedule.limits.min.minorUnits + 3_000)
            var best: CostBreakdown?
            for minor in 1...max(1, top) {
                guard let cost = try? pricer.price(Money(minorUnits: minor, currency: spec.send)),
                      let got = cost.recipientAmount, got.minorUnits >= goal.minorUnits else { continue }
                if best.map({ (cost.senderPays.minorUnits, cost.amount.minorUnits) < ($0.senderPays.minorUnits, $0.amount.minorUnits) }) ?? true {
                    best = cost
                }
            }
            let found = try? pricer.amountToSend(toDeliver: goal)
            if spec.schedule.limits.max == nil, best == nil {
                return   // beyond the scanned range of an open-ended band: covered by the property above
            }
            checked += 1
            #expect(found?.amount == best?.amount,
                    "\(spec) for \(goal): found \(String(describing: found?.amount)), exhaustive \(String(describing: best?.amount))")
        }
        #expect(checked >= 80, "only \(checked) of 120 cases were compared")
    }

    // MARK: Ranking

    @Test("The ranking is the order by total cost (by what the sender pays, in reverse mode), and leaves out only what cannot be priced")
    func ranking() async {
        let corridor = Corridor(sendingCountry: CountryCode("US")!, receivingCountry: CountryCode("MX")!,
                                sendCurrency: T.usd, receiveCurrency: T.mxn)
        let rate = RateLookup(rate: 1, date: CalendarDate(iso: "2026-01-01")!, source: "test")
        var checked = 0
        let services = Self.services(sendIndex: 1...1).array(of: 1...6)
        await propertyCheck(count: 300, input: services, Gen.int64(in: 1...600_000), Gen.bool) { specs, minor, reverse in
            // One corridor: every service sends USD and pays MXN at one reference rate.
            let reference = specs[0].reference
            let offers = specs.enumerated().map { index, spec in
                var spec = spec
                spec.receiveIndex = 1
                spec.referenceUnits = specs[0].referenceUnits
                let service = ServiceDescriptor(
                    provider: ProviderDescriptor(name: "Provider \(index % 3)", firmType: .moneyTransferOperator, isFormal: true),
                    corridor: corridor, name: "Service \(index)", fundingMethod: .cash, payoutMethod: .cash, speed: .sameDay)
                return ServiceOffer(serviceID: Int64(index + 1), service: service, model: .schedule(spec.schedule, rate: spec.terms),
                                    referenceRate: RateLookup(rate: reference, date: rate.date, source: "test"), observedAt: nil)
            }
            let target: TransferTarget = reverse
                ? .receive(Money(minorUnits: minor * 10, currency: T.mxn)) : .send(Money(minorUnits: minor, currency: T.usd))
            let result = Comparison.rank(offers, corridor: corridor, target: target,
                                         referenceRate: RateLookup(rate: reference, date: rate.date, source: "test"))
            checked += 1
            #expect(result.ranked.map(\.rank) == result.ranked.indices.map { $0 + 1 })
            #expect(result.ranked.count + result.unranked.count == offers.count)
            for (lhs, rhs) in zip(result.ranked, result.ranked.dropFirst()) {
                if reverse {
                    #expect(lhs.cost.senderPays.minorUnits <= rhs.cost.senderPays.minorUnits)
                } else {
                    let l = try #require(lhs.cost.totalCostPercent), r = try #require(rhs.cost.totalCostPercent)
                    #expect(l <= r)
                    #expect(try #require(lhs.cost.totalCost).minorUnits <= (try #require(rhs.cost.totalCost)).minorUnits)
                    if l == r {
                        #expect((lhs.offer.service.provider.name, lhs.offer.serviceID) < (rhs.offer.service.provider.name, rhs.offer.serviceID))
                    }
                }
            }
            // Ranked exactly when the service can price the request.
            for offer in offers {
                let pricer = try Pricer(sendCurrency: T.usd, receiveCurrency: T.mxn, model: offer.model, referenceRate: reference)
                let priced: Bool
                switch target {
                case let .send(amount): priced = (try? pricer.price(amount)) != nil
                case let .receive(amount): priced = (try? pricer.amountToSend(toDeliver: amount)) != nil
                }
                #expect(result.ranked.contains { $0.offer.serviceID == offer.serviceID } == priced)
                if case let .receive(goal) = target, let option = result.ranked.first(where: { $0.offer.serviceID == offer.serviceID }) {
                    #expect(try #require(option.cost.recipientAmount).minorUnits >= goal.minorUnits)
                }
            }
            if let summary = result.summary {
                #expect(summary.cheapest == result.ranked.first && summary.dearest == result.ranked.last)
            }
        }
        #expect(checked == 300)
    }
}
