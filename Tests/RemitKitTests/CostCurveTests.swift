import Foundation
import Testing
@testable import RemitKit

// Cost curves and break-evens on hand-computed schedules.
//
// Throughout: total cost % = fee / amount × 100 + FX margin %, with the fee rounded once to the minor unit
// (halves away from zero). The services state a margin over a reference rate of 20 MXN per USD, so the
// margin is exact: margin 1 % → rate 19.8, 2.5 % → 19.5, 0.5 % → 19.9.
// x below is the amount in cents. Every break-even was also checked by pricing every cent of the range
// with exact fractions (a throwaway script), which found the same amounts and no others.

/// Test fixtures: services, offers and curves in a made-up US→MX corridor (and a JP→PH one for yen).
private enum C {
    static let us = CountryCode("US")!, mx = CountryCode("MX")!, jp = CountryCode("JP")!, ph = CountryCode("PH")!
    static let corridor = Corridor(sendingCountry: us, receivingCountry: mx, sendCurrency: T.usd, receiveCurrency: T.mxn)
    static let yenCorridor = Corridor(sendingCountry: jp, receivingCountry: ph, sendCurrency: T.jpy, receiveCurrency: T.php)
    static let day = CalendarDate(year: 2026, month: 11, day: 27)!
    static let reference = RateLookup(rate: 20, date: day, source: "test")

    /// A service priced from `bands` with a margin over the reference rate.
    static func offer(
        _ id: Int64, _ provider: String, margin: String, mode: FeeMode = .onTop, bands: [FeeBand],
        corridor: Corridor = corridor, reference: String = "20", formal: Bool = true, transparent: Bool = true,
        rate: RateTerms? = nil, funding: FundingMethod = .bankAccount
    ) -> ServiceOffer {
        let service = ServiceDescriptor(
            provider: ProviderDescriptor(name: provider, firmType: .moneyTransferOperator, isFormal: formal),
            corridor: corridor, name: "Service \(id)", fundingMethod: funding, payoutMethod: .bankAccount,
            speed: .nextDay, isTransparent: transparent)
        return ServiceOffer(
            serviceID: id, service: service,
            model: .schedule(T.schedule(corridor.sendCurrency, mode, bands), rate: rate ?? .margin(percent: T.d(margin))),
            referenceRate: RateLookup(rate: T.d(reference), date: day, source: "test"), observedAt: nil)
    }

    /// One band from `min` (major units) with no upper limit.
    static func open(_ min: String = "1.00", fixed: String = "0", percent: String = "0", currency: Currency = T.usd) -> FeeBand {
        FeeBand(minAmount: T.minor(min, currency), maxAmount: nil, fixedFee: T.minor(fixed, currency), percentFee: T.d(percent))
    }

    static func amounts(_ values: String..., currency: Currency = T.usd) -> [Money] {
        values.map { T.money($0, currency) }
    }

    static func curve(_ offers: [ServiceOffer], _ amounts: [Money], corridor: Corridor = corridor,
                      filter: ServiceFilter = ServiceFilter(), includeInformal: Bool = false) -> CostCurve {
        CostCurve.compute(offers, corridor: corridor, referenceRate: reference, amounts: amounts, filter: filter,
                          includeInformal: includeInformal)
    }

    /// `value` rounded to 6 decimals, for comparing repeating decimals.
    static func six(_ value: Decimal?) -> Decimal? { value.map { MoneyRounding.round($0, places: 6) } }
}

/// The break-evens as (minor units, from id, to id), easy to compare.
private func summary(_ curve: CostCurve) -> [(Int64, Int64?, Int64?)] {
    curve.breakEvens.map { ($0.amount.minorUnits, $0.from?.serviceID, $0.to?.serviceID) }
}

private func expectBreakEvens(_ curve: CostCurve, _ expected: [(Int64, Int64?, Int64?)],
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let found = summary(curve)
    #expect(found.count == expected.count && zip(found, expected).allSatisfy { $0 == $1 },
            "break-evens \(found), expected \(expected)", sourceLocation: sourceLocation)
}

@Suite("Cost curves")
struct CostCurveTests {
    // A: fee USD 5.00 flat, margin 1 %      → cost % = 50000 / x + 1
    // B: fee 2 % of the amount, margin 0.5 % → cost % = round(0.02 x) × 100 / x + 0.5
    // Without rounding, A is cheaper once 50000 / x + 1 < 2.5, i.e. x > 33333.3: from USD 333.34.
    // With B's fee rounded to the cent, A is cheaper when round(0.02 x) > 500 + 0.005 x:
    //   x = 33324: round(666.48) = 666, not above 666.62 → B (B 2.498560 %, A 2.500420 %)
    //   x = 33325: round(666.50) = 667 (half away from zero), above 666.625 → A (B 2.501500 %, A 2.500375 %)
    //   below 33325, round(0.02 x) ≤ 666 while 500 + 0.005 x > 666 from x = 33200 on, and
    //   round(0.02 x) ≤ 0.02 x + 0.5 < 500 + 0.005 x below x = 33300: B throughout;
    //   from 33325 to 33366, round(0.02 x) = 667 > 500 + 0.005 x (at most 666.83), and above that
    //   0.02 x − 0.5 > 500 + 0.005 x: A throughout.
    // So the break-even is USD 333.25, nine cents below the unrounded 333.34.
    @Test("A flat fee overtakes a percentage fee: break-even at USD 333.25, where B's rounded fee steps up")
    func flatVersusPercentage() {
        let a = C.offer(1, "Alpha", margin: "1", bands: [C.open(fixed: "5.00")])
        let b = C.offer(2, "Bravo", margin: "0.5", bands: [C.open(percent: "2")])
        let curve = C.curve([a, b], C.amounts("100", "200", "300", "400", "500"))
        // Grid: 100 → B (A 6 %, B 2.5 %); 300 → B (A 2.6667 %, B 2.5 %); 400 → A (A 2.25 %, B 2.5 %).
        #expect(curve.cheapest.map { $0.offer?.serviceID } == [2, 2, 2, 1, 1])
        #expect(curve.cheapest[3].cost?.totalCostPercent == T.d("2.25"))
        #expect(curve.cheapest[3].cost?.recipientAmount == T.money("7920.00", T.mxn)) // 400 × 19.8
        #expect(curve.services.first { $0.offer.serviceID == 2 }?.points[3].cost?.fee == T.money("8.00", T.usd))
        expectBreakEvens(curve, [(33325, 2, 1)])
        let breakEven = curve.breakEvens.first
        #expect(breakEven?.amount == T.money("333.25", T.usd))
        #expect(breakEven?.before.amount == T.money("333.24", T.usd))
        // Before: B = 66600 / 33324 + 0.5 = 2.4985596 %, A = 50000 / 33324 + 1 = 2.5004201 %.
        #expect(C.six(breakEven?.before.fromCostPercent) == T.d("2.498560"))
        #expect(C.six(breakEven?.before.toCostPercent) == T.d("2.500420"))
        // After: B = 66700 / 33325 + 0.5 = 2.5015004 %, A = 50000 / 33325 + 1 = 2.5003751 %.
        #expect(C.six(breakEven?.after.fromCostPercent) == T.d("2.501500"))
        #expect(C.six(breakEven?.after.toCostPercent) == T.d("2.500375"))
    }

    // B': no fee, margin 2.5 % → cost % = 2.5 exactly. A is cheaper when 50000 / x + 1 < 2.5, x > 33333.33:
    //   x = 33333: 1.500015 + 1 > 2.5 → B';  x = 33334: 1.499970 + 1 < 2.5 → A.
    @Test("Without fee rounding the break-even is the unrounded one: USD 333.34")
    func flatVersusMargin() {
        let a = C.offer(1, "Alpha", margin: "1", bands: [C.open(fixed: "5.00")])
        let b = C.offer(2, "Bravo", margin: "2.5", bands: [C.open()])
        let curve = C.curve([a, b], C.amounts("50", "1000"))
        expectBreakEvens(curve, [(33334, 2, 1)])
        #expect(curve.breakEvens.first?.before.fromCostPercent == T.d("2.5"))
        #expect(C.six(curve.breakEvens.first?.before.toCostPercent) == T.d("2.500015"))
    }

    // A: USD 5.00 up to 500.00, USD 15.00 from 500.01; margin 1 %. B: no fee, margin 2.5 % (2.5 % flat).
    //   up to 500.00: 50000 / x + 1 < 2.5 from 333.34 (as above)              → B, then A from 333.34
    //   at 500.01:    150000 / 50001 + 1 = 3.99994 > 2.5                       → B again
    //   from 500.01:  150000 / x + 1 < 2.5 when x > 100000; at x = 100000 both are exactly 2.5 %,
    //                 and the tie goes to whoever delivers more: A (1000 × 19.8 = 19,800.00 MXN
    //                 against 1000 × 19.5 = 19,500.00)                          → A from 1000.00.
    // The grid 300, 700, 1100 has B at 300 and at 700: only the band edge finds the two changes between.
    @Test("A fee band makes two break-evens between two grid amounts that have the same cheapest service")
    func bandEdge() {
        // A is named after B on purpose, so that only the recipient amount can give it the tie at 1000.00.
        let a = C.offer(1, "Xray", margin: "1", bands: [
            FeeBand(minAmount: 100, maxAmount: 50_000, fixedFee: 500),
            FeeBand(minAmount: 50_001, maxAmount: nil, fixedFee: 1500),
        ])
        let b = C.offer(2, "Bravo", margin: "2.5", bands: [C.open()])
        let curve = C.curve([a, b], C.amounts("300", "700", "1100"))
        #expect(curve.cheapest.map { $0.offer?.serviceID } == [2, 2, 1])
        expectBreakEvens(curve, [(33334, 2, 1), (50001, 1, 2), (100_000, 2, 1)])
        // At 500.01 A's fee jumps: 500.00 → 50000 / 50000 + 1 = 2 %; 500.01 → 3.99994 %.
        let jump = curve.breakEvens[1]
        #expect(jump.before.fromCostPercent == T.d("2"))
        #expect(C.six(jump.after.fromCostPercent) == T.d("3.999940"))
        #expect(jump.after.toCostPercent == T.d("2.5"))
        // The tie at 1000.00: equal cost %, broken by the recipient amount.
        let tie = curve.breakEvens[2]
        #expect(tie.after.fromCostPercent == T.d("2.5") && tie.after.toCostPercent == T.d("2.5"))
        #expect(C.six(tie.before.toCostPercent) == T.d("2.500015")) // 150000 / 99999 + 1
    }

    // D deducts a USD 10.00 fee, margin 1 %: cost % = 100000 / x + 1 (RPW measures the FX cost on the whole
    // amount in both modes). E: no fee, margin 2.5 %. D is cheaper when 100000 / x < 1.5, x > 66666.67:
    //   x = 66666: 1.500015 + 1 → E;  x = 66667: 1.499992 + 1 → D.  Break-even USD 666.67.
    // Recipient: D converts the amount less the fee: at 800, (800 − 10) × 19.8 = 15,642.00 MXN.
    // A deducted fee as large as the amount leaves nothing to send: D does not send USD 10.00, and sends 10.01.
    @Test("Deducted fee: same cost % rule, recipient gets the amount less the fee, and no amount at or below the fee")
    func deductedFee() {
        let d = C.offer(1, "Delta", margin: "1", mode: .deducted, bands: [C.open(fixed: "10.00")])
        let e = C.offer(2, "Echo", margin: "2.5", bands: [C.open()])
        let curve = C.curve([d, e], C.amounts("10.00", "10.01", "800", "1000"))
        expectBreakEvens(curve, [(66667, 2, 1)])
        let delta = curve.services.first { $0.offer.serviceID == 1 }
        #expect(delta?.points[0].cost == nil)
        #expect(delta?.points[1].cost?.recipientAmount == T.money("0.20", T.mxn)) // 0.01 × 19.8 = 0.198 → 0.20
        #expect(delta?.points[2].cost?.totalCostPercent == T.d("2.25"))
        #expect(delta?.points[2].cost?.recipientAmount == T.money("15642.00", T.mxn))
        #expect(delta?.points[3].cost?.recipientAmount == T.money("19602.00", T.mxn)) // 990 × 19.8
        #expect(curve.cheapest.map { $0.offer?.serviceID } == [2, 2, 1, 1])
    }

    // Yen has no decimals: amounts and fees are whole yen. Reference 0.4 PHP per JPY.
    // J1: ¥1,000 flat, margin 1 % → cost % = 100000 / x + 1.
    // J2: 1.5 % fee, margin 0.8 %  → cost % = round(0.015 x) × 100 / x + 0.8.
    // J1 is cheaper when round(0.015 x) > 1000 + 0.002 x (unrounded: x > 76923.08):
    //   x = 76899: round(1153.485) = 1153, not above 1153.798 → J2
    //   x = 76900: round(1153.5)   = 1154 (half away), above 1153.8 → J1
    //   below: round(0.015 x) ≤ 0.015 x + 0.5 < 1000 + 0.002 x up to x = 76884, and 1153 from 76885 to 76899;
    //   above: 1154 up to 76966 (< 1000 + 0.002 x only from 77000), then 0.015 x − 0.5 > 1000 + 0.002 x.
    // Break-even ¥76,900. At ¥100,000: J1 2 %, recipient 100000 × 0.396 = 39,600.00 PHP; J2 1500 / 1000 + 0.8 = 2.3 %.
    @Test("Yen, a currency without minor units: the break-even is a whole number of yen")
    func yen() {
        let j1 = C.offer(1, "Juliett", margin: "1", bands: [C.open("1", fixed: "1000", currency: T.jpy)],
                         corridor: C.yenCorridor, reference: "0.4")
        let j2 = C.offer(2, "Kilo", margin: "0.8", bands: [C.open("1", percent: "1.5", currency: T.jpy)],
                         corridor: C.yenCorridor, reference: "0.4")
        let curve = C.curve([j1, j2], C.amounts("10000", "50000", "100000", currency: T.jpy), corridor: C.yenCorridor)
        expectBreakEvens(curve, [(76900, 2, 1)])
        #expect(curve.breakEvens.first?.amount.description == "JPY 76,900")
        #expect(curve.cheapest[2].cost?.totalCostPercent == T.d("2"))
        #expect(curve.cheapest[2].cost?.recipientAmount == T.money("39600.00", T.php))
        #expect(curve.services.first { $0.offer.serviceID == 2 }?.points[2].cost?.totalCostPercent == T.d("2.3"))
    }

    // C sends only USD 1.00–200.00, with no fee and a 0.1 % margin; B: no fee, margin 2.5 %, from USD 1.00.
    // Below USD 1.00 nobody sends. C is the cheapest up to 200.00; from 200.01 only B is left.
    @Test("A service that cannot send an amount has no point there, and the cheapest moves on at its band limit")
    func outsideBands() {
        let c = C.offer(1, "Charlie", margin: "0.1", bands: [FeeBand(minAmount: 100, maxAmount: 20_000)])
        let b = C.offer(2, "Bravo", margin: "2.5", bands: [C.open()])
        let curve = C.curve([c, b], C.amounts("0.50", "100", "300"))
        let charlie = curve.services.first { $0.offer.serviceID == 1 }
        #expect(charlie?.points.map { $0.cost == nil } == [true, false, true])
        #expect(curve.cheapest.map { $0.offer?.serviceID } == [nil, 1, 2])
        #expect(curve.cheapest[0].cost == nil)
        expectBreakEvens(curve, [(100, nil, 1), (20_001, 1, 2)])
        let limit = curve.breakEvens[1]
        #expect(limit.before.fromCostPercent == T.d("0.1") && limit.before.toCostPercent == T.d("2.5"))
        #expect(limit.after.fromCostPercent == nil && limit.after.toCostPercent == T.d("2.5"))
    }

    // Same cost % and same recipient amount everywhere: the provider name decides, whatever the input order.
    @Test("Ties: equal cost % goes to the larger recipient amount, then to the provider name, in any input order")
    func ties() {
        let zulu = C.offer(1, "Zulu", margin: "1", bands: [C.open(fixed: "3.00")])
        let alpha = C.offer(2, "Alpha", margin: "1", bands: [C.open(fixed: "3.00")])
        for offers in [[zulu, alpha], [alpha, zulu]] {
            let curve = C.curve(offers, C.amounts("100", "200", "300"))
            #expect(curve.cheapest.map { $0.offer?.serviceID } == [2, 2, 2])
            #expect(curve.breakEvens.isEmpty)
            #expect(curve.services.map(\.offer.serviceID) == [2, 1]) // by provider name
        }
        // Same cost % (2.5) at USD 100 and 200, different recipient amounts: Sierra (fee 2.5 %, margin 0, rate 20)
        // delivers 100 × 20 = 2,000.00 MXN at USD 100; Mike (no fee, margin 2.5 %) 100 × 19.5 = 1,950.00.
        // Sierra comes after Mike by name: only the recipient amount makes it the cheapest.
        let lima = C.offer(3, "Sierra", margin: "0", bands: [C.open(percent: "2.5")])
        let mike = C.offer(4, "Mike", margin: "2.5", bands: [C.open()])
        let curve = C.curve([mike, lima], C.amounts("100", "200"))
        #expect(curve.cheapest.map { $0.offer?.serviceID } == [3, 3])
        #expect(curve.cheapest[0].cost?.recipientAmount == T.money("2000.00", T.mxn))
    }

    @Test("Survey-only, non-transparent and rate-less services are not drawn; informal ones only when asked, never cheapest")
    func whoIsDrawn() {
        let formal = C.offer(1, "Bravo", margin: "2.5", bands: [C.open()])
        let hidden = C.offer(2, "Hotel", margin: "0", bands: [C.open()], transparent: false, rate: .undisclosed)
        let noQuote = C.offer(3, "India", margin: "0", bands: [C.open()], rate: .undisclosed)
        let informal = C.offer(4, "Hawala", margin: "0.1", bands: [C.open()], formal: false)
        let surveyed = ServiceOffer(
            serviceID: 5, service: formal.service, model: .survey([SurveyPoint(
                amount: T.money("200", T.usd), fee: T.money("5", T.usd), offeredRate: T.d("19"), referenceRate: 20,
                fxMarginPercent: 5)]),
            referenceRate: C.reference, observedAt: "2025_3Q")
        let offers = [formal, hidden, noQuote, informal, surveyed]

        let plain = C.curve(offers, C.amounts("100", "200"))
        #expect(plain.services.map(\.offer.serviceID) == [1])
        #expect(plain.notDrawn.map(\.offer.serviceID) == [5, 2, 3]) // by provider name: Bravo, Hotel, India
        #expect(plain.notDrawn.first { $0.offer.serviceID == 2 }?.reason.contains("not disclosed") == true)
        #expect(plain.notDrawn.first { $0.offer.serviceID == 3 }?.reason.contains("no exchange rate observed") == true)
        #expect(plain.notDrawn.first { $0.offer.serviceID == 5 }?.reason.contains("survey prices only") == true)

        let withInformal = C.curve(offers, C.amounts("100", "200"), includeInformal: true)
        #expect(withInformal.services.map(\.offer.serviceID) == [1, 4]) // formal first
        // Hawala costs 0.1 %, far below Bravo's 2.5 %, but it is never the cheapest.
        #expect(withInformal.services[1].points[0].cost?.totalCostPercent == T.d("0.1"))
        #expect(withInformal.cheapest.map { $0.offer?.serviceID } == [1, 1])
        #expect(withInformal.breakEvens.isEmpty)

        let filtered = C.curve(offers, C.amounts("100"), filter: ServiceFilter(fundingMethod: .cash))
        #expect(filtered.services.isEmpty && filtered.isFiltered)
        #expect(filtered.cheapest.map { $0.offer == nil } == [true])
    }

    // A percentage fee with a minimum: P charges 1 % with at least USD 5.00, margin 0.5 %:
    //   up to 500.00: 500 / x (in USD) × 100 + 0.5; from 500.00 on: round(0.01 x) × 100 / x + 0.5 ≈ 1.5 %.
    // Q: no fee, margin 1.6 %. P is cheaper when its cost % < 1.6: below 500, 50000 / x + 0.5 < 1.6 ⇔
    // x > 45454.5 (cents) → from USD 454.55; above 500 its cost stays ≈ 1.5 % < 1.6 %. One break-even.
    @Test("A minimum fee: below it the fee is the minimum, and the break-even falls there")
    func minimumFee() {
        let p = C.offer(1, "Papa", margin: "0.5", bands: [
            FeeBand(minAmount: 100, maxAmount: nil, percentFee: 1, minFee: 500)])
        let q = C.offer(2, "Quebec", margin: "1.6", bands: [C.open()])
        let curve = C.curve([p, q], C.amounts("100", "2000"))
        expectBreakEvens(curve, [(45455, 2, 1)])
        // 454.54: 50000 / 45454 + 0.5 = 1.600013 %; 454.55: 1.599989 %.
        #expect(C.six(curve.breakEvens.first?.before.toCostPercent) == T.d("1.600013"))
        #expect(C.six(curve.breakEvens.first?.after.toCostPercent) == T.d("1.599989"))
    }

    // P charges 2 % with at least USD 5.00, margin 0; Q charges USD 3.00 flat, margin 1 %. Both in one band.
    //   below 250.00 (2 % < 5.00): P = 500 / x, Q = 300 / x + 1 (x in USD): P is cheaper above 200; at 200.00
    //     both cost 2.5 % and P delivers more (200 × 20 against 200 × 19.8), so P is cheapest from 200.00
    //     (at 199.99: P 2.500125 %, Q 2.500075 %);
    //   from 250.00: P ≈ 2 % (its fee rounded to the cent), Q = 300 / x + 1: Q is cheaper again above about 300.
    // The grid 100, 400 has Q at both ends: only pricing both sides of P's kink at 250.00 finds P in between.
    // Near 300, P's rounded fee makes the two swap three times (Q from 299.75, P from 300.00, Q from 300.25,
    // as a cent-by-cent check shows); the bisection reports one of the two lasting changes, never a false one.
    @Test("A minimum fee's kink: the cheapest changes and changes back between two grid amounts, and every change found is real")
    func minimumFeeKinkChangesBack() {
        let p = C.offer(1, "Romeo", margin: "0", bands: [FeeBand(minAmount: 100, maxAmount: nil, percentFee: 2, minFee: 500)])
        let q = C.offer(2, "Quebec", margin: "1", bands: [C.open(fixed: "3.00")])
        let curve = C.curve([p, q], C.amounts("100", "400"))
        #expect(curve.cheapest.map { $0.offer?.serviceID } == [2, 2])
        let found = summary(curve)
        #expect(found.first.map { $0 == (20_000, 2, 1) } == true, "\(found)")
        #expect(C.six(curve.breakEvens.first?.before.fromCostPercent) == T.d("2.500075"))
        #expect(C.six(curve.breakEvens.first?.before.toCostPercent) == T.d("2.500125"))
        #expect(found.count >= 2 && found.last.map { [29_975, 30_025].contains($0.0) && $0.1 == 1 && $0.2 == 2 } == true, "\(found)")
        // Each change reported is real: re-price one cent either side.
        for breakEven in curve.breakEvens {
            let around = C.curve([p, q], [Money(minorUnits: breakEven.amount.minorUnits - 1, currency: T.usd), breakEven.amount])
            #expect(around.cheapest.map { $0.offer?.serviceID } == [breakEven.from?.serviceID, breakEven.to?.serviceID])
        }
    }

    @Test("Amounts are sorted, deduplicated and kept to the corridor's currency; one amount has no break-even")
    func amountsNormalised() {
        let b = C.offer(2, "Bravo", margin: "2.5", bands: [C.open()])
        let curve = C.curve([b], C.amounts("300", "100", "300") + [T.money("100", T.mxn)])
        #expect(curve.amounts == C.amounts("100", "300"))
        #expect(curve.services.first?.points.map(\.amount) == C.amounts("100", "300"))
        let single = C.curve([b], C.amounts("100"))
        #expect(single.breakEvens.isEmpty && single.cheapest.count == 1)
    }
}

@Suite("Curve grids")
struct CurveGridTests {
    @Test("From the minimum every step, with the maximum added when the steps miss it")
    func values() throws {
        #expect(try CurveGrid(minimum: 50, maximum: 200, step: 50).values == [50, 100, 150, 200])
        #expect(try CurveGrid(minimum: 50, maximum: 120, step: 50).values == [50, 100, 120])
        #expect(try CurveGrid(minimum: 5, maximum: 5, step: 1).values == [5])
        #expect(try CurveGrid(minimum: T.d("0.5"), maximum: T.d("1.25"), step: T.d("0.25")).values
                    == [T.d("0.5"), T.d("0.75"), 1, T.d("1.25")])
        #expect(try CurveGrid(minimum: 1, maximum: 10_000, step: 1).count == 10_000)
    }

    @Test("Refused: a minimum at or below zero, a maximum below the minimum, a step at or below zero, too many amounts")
    func refused() {
        #expect(throws: CurveError.minimumNotPositive("0")) { try CurveGrid(minimum: 0, maximum: 100, step: 10) }
        #expect(throws: CurveError.maximumBelowMinimum(minimum: "100", maximum: "50")) { try CurveGrid(minimum: 100, maximum: 50, step: 10) }
        #expect(throws: CurveError.stepNotPositive("-5")) { try CurveGrid(minimum: 100, maximum: 500, step: -5) }
        #expect(throws: CurveError.tooManyPoints(limit: 10_000)) { try CurveGrid(minimum: 1, maximum: 10_001, step: 1) }
        #expect(throws: CurveError.tooManyPoints(limit: 10_000)) { try CurveGrid(minimum: 1, maximum: 10_000, step: T.d("0.9999")) }
        #expect(throws: CurveError.tooManyPoints(limit: 10_000)) {
            try CurveGrid(minimum: T.d("0.01"), maximum: 999_999_999_999, step: T.d("0.01"))
        }
    }
}
