import Foundation
import Testing
@testable import RemitKit

@Suite("Fee schedules")
struct FeeScheduleTests {
    let banded = T.schedule([
        FeeBand(minAmount: T.minor("1.00", T.usd), maxAmount: T.minor("500.00", T.usd), fixedFee: T.minor("5.00", T.usd)),
        FeeBand(minAmount: T.minor("500.01", T.usd), maxAmount: T.minor("1000.00", T.usd), fixedFee: T.minor("8.00", T.usd)),
        FeeBand(minAmount: T.minor("1000.01", T.usd), maxAmount: nil, percentFee: T.d("0.5")),
    ])

    @Test("Band edges are inclusive, and amounts outside every band are not served", arguments: [
        ("1.00", "5.00"), ("500.00", "5.00"), ("500.01", "8.00"), ("1000.00", "8.00"),
        ("1000.01", "5.00"), // 0.5 % of 1000.01 = 5.00005 → 5.00
        ("2001.00", "10.01"), // 10.005 → 10.01, a tie rounded away from zero
    ])
    func bandEdges(amount: String, fee: String) {
        #expect(banded.fee(for: T.money(amount, T.usd)) == T.money(fee, T.usd))
    }

    @Test("Below the first band there is no fee: the service does not send that amount")
    func notServed() {
        #expect(banded.fee(for: T.money("0.99", T.usd)) == nil)
    }

    @Test("Fixed, percentage and both")
    func shapes() {
        let fixed = T.schedule([FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 499)])
        let percent = T.schedule([FeeBand(minAmount: 1, maxAmount: nil, percentFee: T.d("1.5"))])
        let both = T.schedule([FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 200, percentFee: T.d("1"))])
        let amount = T.money("300", T.usd)
        #expect(fixed.fee(for: amount) == T.money("4.99", T.usd))
        #expect(percent.fee(for: amount) == T.money("4.50", T.usd))
        #expect(both.fee(for: amount) == T.money("5.00", T.usd))
    }

    @Test("Minimum and maximum fees cap the percentage")
    func caps() {
        let capped = T.schedule([FeeBand(minAmount: 1, maxAmount: nil, percentFee: T.d("1"),
                                         minFee: T.minor("3.00", T.usd), maxFee: T.minor("25.00", T.usd))])
        #expect(capped.fee(for: T.money("100", T.usd)) == T.money("3.00", T.usd))   // 1.00 raised to 3.00
        #expect(capped.fee(for: T.money("1000", T.usd)) == T.money("10.00", T.usd)) // within the caps
        #expect(capped.fee(for: T.money("5000", T.usd)) == T.money("25.00", T.usd)) // 50.00 capped at 25.00
    }

    @Test("Zero-decimal and three-decimal currencies round to their own minor unit")
    func minorUnits() {
        let yen = T.schedule(T.jpy, .onTop, [FeeBand(minAmount: 1, maxAmount: nil, percentFee: T.d("0.5"))])
        #expect(yen.fee(for: T.money("30100", T.jpy)) == T.money("151", T.jpy)) // 150.5 → 151
        #expect(yen.fee(for: T.money("30001", T.jpy)) == T.money("150", T.jpy)) // 150.005 → 150
        let dinar = T.schedule(T.kwd, .onTop, [FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 500, percentFee: T.d("0.0125"))])
        // 0.500 + 0.0125 % of 100.000 = 0.5125 → 0.513
        #expect(dinar.fee(for: T.money("100.000", T.kwd)) == T.money("0.513", T.kwd))
    }

    @Test("Inconsistent schedules are refused with the reason")
    func validation() {
        #expect(throws: PricingError.emptySchedule) { try FeeSchedule(currency: T.usd, mode: .onTop, bands: []) }
        #expect(throws: PricingError.self) {
            try FeeSchedule(currency: T.usd, mode: .onTop, bands: [
                FeeBand(minAmount: 100, maxAmount: 50_000), FeeBand(minAmount: 40_000, maxAmount: nil)])
        }
        #expect(throws: PricingError.self) {
            try FeeSchedule(currency: T.usd, mode: .onTop, bands: [FeeBand(minAmount: 100, maxAmount: nil), FeeBand(minAmount: 500, maxAmount: nil)])
        }
        #expect(throws: PricingError.self) { try FeeSchedule(currency: T.usd, mode: .onTop, bands: [FeeBand(minAmount: 1, maxAmount: nil, fixedFee: -1)]) }
        #expect(throws: PricingError.self) { try FeeSchedule(currency: T.usd, mode: .onTop, bands: [FeeBand(minAmount: 1, maxAmount: nil, percentFee: 100)]) }
        #expect(throws: PricingError.self) { try FeeSchedule(currency: T.usd, mode: .onTop, bands: [FeeBand(minAmount: 1, maxAmount: nil, minFee: 500, maxFee: 100)]) }
        #expect(throws: PricingError.self) { try FeeSchedule(currency: T.usd, mode: .onTop, bands: [FeeBand(minAmount: 500, maxAmount: 100)]) }
    }
}

@Suite("Cost breakdown")
struct CostBreakdownTests {
    @Test("Fee on top: RPW total cost, FX cost and recipient amount")
    func onTop() throws {
        let pricer = T.pricer(T.schedule([FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 499)]), rate: .offered(T.d("18")), reference: "18.5")
        let cost = try pricer.price(T.money("300", T.usd))
        #expect(cost.fee == T.money("4.99", T.usd))
        #expect(cost.senderPays == T.money("304.99", T.usd))
        #expect(cost.exchangedAmount == T.money("300", T.usd))
        // margin = (1 − 18 / 18.5) × 100 = 2.702702…
        #expect(T.close(try #require(cost.fxMarginPercent), T.d("2.7027027027")))
        // total % = 4.99 / 300 × 100 + 2.7027027 = 1.6633333 + 2.7027027 = 4.3660360
        #expect(T.close(try #require(cost.totalCostPercent), T.d("4.3660360360")))
        #expect(cost.fxCost == T.money("8.11", T.usd))      // 300 × 2.7027 % = 8.108
        #expect(cost.totalCost == T.money("13.10", T.usd))
        #expect(cost.recipientAmount == T.money("5400.00", T.mxn))
        #expect(cost.basis == .schedule)
    }

    @Test("Fee deducted: the sender pays the amount, the fee comes out before conversion")
    func deducted() throws {
        let pricer = T.pricer(T.schedule(T.usd, .deducted, [FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 500)]),
                              rate: .offered(T.d("18")), reference: "18")
        let cost = try pricer.price(T.money("300", T.usd))
        #expect(cost.senderPays == T.money("300", T.usd))
        #expect(cost.exchangedAmount == T.money("295", T.usd))
        #expect(cost.recipientAmount == T.money("5310.00", T.mxn))
        #expect(cost.fxMarginPercent == 0)
        #expect(T.close(try #require(cost.totalCostPercent), T.d("1.6666666667")))
    }

    @Test("A negative margin is a promotion, not an error: the recipient gets more than at the reference rate")
    func negativeMargin() throws {
        let pricer = T.pricer(T.schedule([FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 399)]), rate: .offered(T.d("18.4")), reference: "18.3")
        let cost = try pricer.price(T.money("300", T.usd))
        let margin = try #require(cost.fxMarginPercent)
        #expect(margin < 0)
        #expect(T.close(margin, T.d("-0.5464480874")))   // (1 − 18.4 / 18.3) × 100
        #expect(cost.fxCost == T.money("-1.64", T.usd))   // 300 × −0.54645 % = −1.639
        #expect(cost.totalCost == T.money("2.35", T.usd))
        #expect(cost.recipientAmount == T.money("5520.00", T.mxn))
        #expect(try #require(cost.recipientAmount).minorUnits > T.minor("5490.00", T.mxn)) // 300 × 18.3
    }

    @Test("A stated margin sets the offered rate from the reference rate")
    func statedMargin() throws {
        let pricer = T.pricer(T.schedule([FeeBand(minAmount: 1, maxAmount: nil)]), rate: .margin(percent: T.d("2")), reference: "18.5")
        let cost = try pricer.price(T.money("300", T.usd))
        #expect(cost.offeredRate == T.d("18.13"))
        #expect(cost.fxMarginPercent == T.d("2"))
        #expect(cost.recipientAmount == T.money("5439.00", T.mxn))
    }

    @Test("An undisclosed rate leaves margin, total cost and recipient amount unknown")
    func undisclosed() throws {
        let pricer = T.pricer(T.schedule([FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 1500)]), rate: .undisclosed, reference: "18")
        let cost = try pricer.price(T.money("300", T.usd))
        #expect(cost.fee == T.money("15.00", T.usd))
        #expect(cost.fxMarginPercent == nil)
        #expect(cost.totalCostPercent == nil)
        #expect(cost.recipientAmount == nil)
        #expect(!cost.isTransparent)
        #expect(throws: PricingError.rateUndisclosed) { try pricer.amountToSend(toDeliver: T.money("5000", T.mxn)) }
    }

    @Test("Zero- and three-decimal currencies end to end: JPY to PHP, KWD to INR")
    func exoticMinorUnits() throws {
        let yen = try Pricer(sendCurrency: T.jpy, receiveCurrency: T.php,
                             model: .schedule(T.schedule(T.jpy, .onTop, [FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 990)]), rate: .offered(T.d("0.3725"))),
                             referenceRate: T.d("0.3800"))
        let yenCost = try yen.price(T.money("50000", T.jpy))
        #expect(yenCost.recipientAmount == T.money("18625.00", T.php))   // 50,000 × 0.3725
        #expect(yenCost.fxCost == T.money("987", T.jpy))                  // 50,000 × 1.97368 % = 986.84
        let dinar = try Pricer(sendCurrency: T.kwd, receiveCurrency: T.inr,
                               model: .schedule(T.schedule(T.kwd, .onTop, [FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 1250)]), rate: .offered(T.d("271.5"))),
                               referenceRate: T.d("273"))
        let dinarCost = try dinar.price(T.money("100.000", T.kwd))
        #expect(dinarCost.fee == T.money("1.250", T.kwd))
        #expect(dinarCost.recipientAmount == T.money("27150.00", T.inr))
        #expect(dinarCost.fxCost == T.money("0.549", T.kwd))              // 100 × 0.549450… %
    }

    @Test("The RPW identity holds: total % = fee / amount × 100 + margin %")
    func identity() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let pricer = randomPricer(&generator)
            let amount = Money(minorUnits: Int64.random(in: 100...500_000, using: &generator), currency: T.usd)
            guard let cost = try? pricer.price(amount) else { continue }
            let fee = Decimal(cost.fee.minorUnits) / Decimal(amount.minorUnits) * 100
            #expect(T.close(try #require(cost.totalCostPercent), fee + (try #require(cost.fxMarginPercent)), "0.0000001"))
        }
    }
}

@Suite("Reverse: amount to send for a target")
struct ReverseTests {
    @Test("The least amount that delivers the target")
    func simple() throws {
        let pricer = T.pricer(T.schedule([FeeBand(minAmount: 100, maxAmount: 50_000, fixedFee: 499)]), rate: .offered(T.d("18")), reference: "18.5")
        let cost = try pricer.amountToSend(toDeliver: T.money("5000", T.mxn))
        // 277.78 × 18 = 5000.04; 277.77 × 18 = 4999.86
        #expect(cost.amount == T.money("277.78", T.usd))
        #expect(cost.recipientAmount == T.money("5000.04", T.mxn))
        #expect(cost.senderPays == T.money("282.77", T.usd))
    }

    @Test("Across band edges: a cheaper higher band wins when the lower band cannot reach")
    func bandEdge() throws {
        let usdToUsd = T.schedule(T.usd, .deducted, [
            FeeBand(minAmount: T.minor("1.00", T.usd), maxAmount: T.minor("500.00", T.usd), fixedFee: T.minor("10.00", T.usd)),
            FeeBand(minAmount: T.minor("500.01", T.usd), maxAmount: nil),
        ])
        let pricer = T.pricer(usdToUsd, rate: .offered(1), reference: "1", receive: T.usd)
        // Band 1 delivers at most 490.00; the free band starts at 500.01.
        #expect(try pricer.amountToSend(toDeliver: T.money("495", T.usd)).amount == T.money("500.01", T.usd))
        #expect(try pricer.amountToSend(toDeliver: T.money("480", T.usd)).amount == T.money("490.00", T.usd))
        #expect(try pricer.amountToSend(toDeliver: T.money("490.01", T.usd)).amount == T.money("500.01", T.usd))
    }

    @Test("Bands are compared by what the sender pays: a free higher band beats a dear lower one")
    func cheaperHigherBand() throws {
        let onTop = T.schedule([
            FeeBand(minAmount: T.minor("1.00", T.usd), maxAmount: T.minor("749.99", T.usd), fixedFee: T.minor("15.00", T.usd)),
            FeeBand(minAmount: T.minor("750.00", T.usd), maxAmount: nil),
        ])
        let pricer = T.pricer(onTop, rate: .offered(1), reference: "1", receive: T.usd)
        // 740.00 + 15.00 fee = 755.00 in all, but 750.00 with no fee delivers more for less.
        let cost = try pricer.amountToSend(toDeliver: T.money("740", T.usd))
        #expect(cost.amount == T.money("750.00", T.usd))
        #expect(cost.senderPays == T.money("750.00", T.usd))
    }

    @Test("A deducted fee as large as the amount: the service cannot send it")
    func deductedFeeExceedsAmount() {
        let pricer = T.pricer(T.schedule(T.usd, .deducted, [FeeBand(minAmount: 1, maxAmount: nil, fixedFee: 700)]),
                              rate: .offered(T.d("18")), reference: "18")
        #expect(throws: PricingError.amountNotServed(T.money("3", T.usd))) { try pricer.price(T.money("3", T.usd)) }
        #expect(throws: PricingError.amountNotServed(T.money("7", T.usd))) { try pricer.price(T.money("7", T.usd)) }
    }

    @Test("A fee cap: once the fee stops growing, each cent sent is a cent received")
    func feeCap() throws {
        let capped = T.schedule(T.usd, .deducted, [FeeBand(minAmount: 1, maxAmount: nil, percentFee: T.d("2"), maxFee: T.minor("10.00", T.usd))])
        let pricer = T.pricer(capped, rate: .offered(1), reference: "1", receive: T.usd)
        #expect(try pricer.amountToSend(toDeliver: T.money("990", T.usd)).amount == T.money("1000.00", T.usd))
        #expect(try pricer.amountToSend(toDeliver: T.money("98", T.usd)).amount == T.money("100.00", T.usd)) // 100 − 2 = 98
    }

    @Test("Unreachable targets are reported")
    func unreachable() {
        let pricer = T.pricer(T.schedule([FeeBand(minAmount: 100, maxAmount: 10_000)]), rate: .offered(T.d("18")), reference: "18")
        #expect(throws: PricingError.targetUnreachable(T.money("5000", T.mxn))) { try pricer.amountToSend(toDeliver: T.money("5000", T.mxn)) }
    }

    @Test("Round trip over random schedules: reverse(forward(A)) delivers as much for no more money, minimally in its band")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        var checked = 0
        for _ in 0..<400 {
            let pricer = randomPricer(&generator)
            let amount = Money(minorUnits: Int64.random(in: 100...400_000, using: &generator), currency: T.usd)
            guard let forward = try? pricer.price(amount), let received = forward.recipientAmount, received.minorUnits > 0 else { continue }
            let back = try pricer.amountToSend(toDeliver: received)
            #expect(back.senderPays.minorUnits <= forward.senderPays.minorUnits)
            #expect(try #require(back.recipientAmount).minorUnits >= received.minorUnits)
            // One minor unit less in the same band no longer delivers the target.
            let less = Money(minorUnits: back.amount.minorUnits - 1, currency: T.usd)
            if case let .schedule(schedule, _) = pricer.model, schedule.band(for: less) == schedule.band(for: back.amount),
               let smaller = try? pricer.price(less), let got = smaller.recipientAmount {
                #expect(got.minorUnits < received.minorUnits, "sending \(less) already delivers \(got) ≥ \(received)")
            }
            checked += 1
        }
        #expect(checked > 300)
    }
}

@Suite("Survey prices")
struct SurveyPricingTests {
    let points = [
        SurveyPoint(amount: T.money("200", T.usd), fee: T.money("5.00", T.usd), offeredRate: T.d("17.5"),
                    referenceRate: T.d("18"), fxMarginPercent: T.d("2.7778")),
        SurveyPoint(amount: T.money("500", T.usd), fee: T.money("8.00", T.usd), offeredRate: T.d("17.6"),
                    referenceRate: T.d("18"), fxMarginPercent: T.d("2.2222")),
    ]

    var pricer: Pricer { try! Pricer(sendCurrency: T.usd, receiveCurrency: T.mxn, model: .survey(points), referenceRate: T.d("18")) }

    @Test("At a surveyed amount the published figures are used (basis survey)")
    func exact() throws {
        let cost = try pricer.price(T.money("200", T.usd))
        #expect(cost.basis == .survey)
        #expect(cost.fee == T.money("5.00", T.usd))
        #expect(cost.fxMarginPercent == T.d("2.7778"))
        #expect(cost.totalCostPercent == T.d("5.2778"))   // 2.5 + 2.7778
        #expect(cost.recipientAmount == T.money("3500.00", T.mxn))
    }

    @Test("Between points the fee is interpolated and the nearest point's rate used (basis estimate)")
    func estimate() throws {
        let middle = try pricer.price(T.money("350", T.usd))
        #expect(middle.basis == .estimate)
        #expect(middle.fee == T.money("6.50", T.usd))          // 5 + 3 × 150 / 300
        #expect(middle.fxMarginPercent == T.d("2.7778"))       // a tie goes to the lower point
        let above = try pricer.price(T.money("350.01", T.usd))
        #expect(above.fxMarginPercent == T.d("2.2222"))
        #expect(try pricer.price(T.money("100", T.usd)).fee == T.money("5.00", T.usd))   // flat below the first point
        #expect(try pricer.price(T.money("900", T.usd)).fee == T.money("8.00", T.usd))   // flat above the last
    }

    @Test("Reverse works on survey prices too")
    func reverse() throws {
        let cost = try pricer.amountToSend(toDeliver: T.money("3500", T.mxn))
        #expect(cost.amount == T.money("200.00", T.usd))
    }
}

/// A small deterministic generator (SplitMix64), so property tests fail reproducibly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random but valid schedule (1–4 bands, random shapes and caps, either fee mode) with a random rate.
func randomPricer(_ generator: inout SeededGenerator) -> Pricer {
    let bandCount = Int.random(in: 1...4, using: &generator)
    var bands: [FeeBand] = []
    var lower: Int64 = Int64.random(in: 1...5_000, using: &generator)
    for index in 0..<bandCount {
        let upper: Int64? = index == bandCount - 1 && Bool.random(using: &generator) ? nil : lower + Int64.random(in: 100...200_000, using: &generator)
        let minFee: Int64? = Bool.random(using: &generator) ? Int64.random(in: 0...500, using: &generator) : nil
        let maxFee: Int64? = Bool.random(using: &generator) ? (minFee ?? 0) + Int64.random(in: 0...3_000, using: &generator) : nil
        bands.append(FeeBand(minAmount: lower, maxAmount: upper, fixedFee: Int64.random(in: 0...1_500, using: &generator),
                             percentFee: Decimal(Int.random(in: 0...500, using: &generator)) / 100, minFee: minFee, maxFee: maxFee))
        guard let upper else { break }
        lower = upper + Int64.random(in: 1...50, using: &generator)
    }
    let mode: FeeMode = Bool.random(using: &generator) ? .onTop : .deducted
    let reference = Decimal(Int.random(in: 50_000...300_000, using: &generator)) / 10_000
    let offered = reference * (1 - Decimal(Int.random(in: -100...800, using: &generator)) / 10_000)
    return try! Pricer(sendCurrency: T.usd, receiveCurrency: T.mxn,
                       model: .schedule(try! FeeSchedule(currency: T.usd, mode: mode, bands: bands), rate: .offered(offered)),
                       referenceRate: reference)
}
