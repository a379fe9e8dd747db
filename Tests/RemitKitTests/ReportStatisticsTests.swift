import Foundation
import Testing
@testable import RemitKit

/// Report arithmetic on hand-made prices; every expected figure is worked out in the comments.
@Suite("Report statistics")
struct ReportStatisticsTests {
    static let kenyaTanzania = CorridorKey(from: CountryCode("KE")!, to: CountryCode("TZ")!)

    static func price(_ provider: String, total: Double?, fee: Double = 1, margin: Double? = 1, speed: Speed = .sameDay,
                      firm: FirmType = .moneyTransferOperator, payout: PayoutMethod = .cash, period: String = "2025_3Q",
                      exclusions: [ExclusionReason] = [], corridor: CorridorKey = kenyaTanzania) -> SurveyedPrice {
        SurveyedPrice(corridor: corridor, period: Period(period)!, provider: provider, service: "service", firmType: firm,
                      fundingMethod: .cash, payoutMethod: payout, speed: speed, feePercent: fee, fxMarginPercent: margin,
                      totalCostPercent: total, exclusions: exclusions)
    }

    @Test("Percentiles interpolate between order statistics (R-7)")
    func percentiles() {
        let sorted = [2.0, 4, 5, 7, 10, 12]
        // n = 6: p10 → h = 5 × 0.1 = 0.5 → 2 + 0.5 × (4 − 2) = 3
        #expect(CostStatistics.percentile(sorted, 0.1) == 3)
        // median → h = 2.5 → 5 + 0.5 × (7 − 5) = 6
        #expect(CostStatistics.percentile(sorted, 0.5) == 6)
        // p90 → h = 4.5 → 10 + 0.5 × (12 − 10) = 11
        #expect(CostStatistics.percentile(sorted, 0.9) == 11)
        #expect(CostStatistics.percentile(sorted, 0) == 2)
        #expect(CostStatistics.percentile(sorted, 1) == 12)
        #expect(CostStatistics.percentile([4], 0.9) == 4)
        #expect(CostStatistics.percentile([], 0.5) == nil)
        #expect(CostStatistics.mean([]) == nil)
    }

    @Test("SmaRT averages the three cheapest services within five days, skipping slower and excluded ones")
    func smart() throws {
        let summary = CostSummary([
            Self.price("A", total: 2, speed: .sixDaysOrMore),         // cheapest but too slow
            Self.price("B", total: 3),
            Self.price("C", total: 1, exclusions: [.notTransparent]), // left out
            Self.price("D", total: 4, speed: .threeToFiveDays),
            Self.price("E", total: 6),
            Self.price("F", total: 9),
        ])
        // counted: A 2, B 3, D 4, E 6, F 9 → average 24 / 5 = 4.8
        #expect(summary.serviceCount == 5)
        #expect(summary.average == 4.8)
        // within five days: B 3, D 4, E 6 → 13 / 3
        #expect(summary.smartServices.map(\.provider) == ["B", "D", "E"])
        #expect(abs(try #require(summary.smart) - 13.0 / 3) < 1e-12)
        #expect(summary.cheapest?.provider == "A")
        #expect(summary.minimum == 2 && summary.maximum == 9)
    }

    @Test("SmaRT with fewer than three qualifying services is their average; with none it is absent")
    func smartFewerThanThree() {
        let two = CostSummary([Self.price("A", total: 3), Self.price("B", total: 8), Self.price("C", total: 1, speed: .sixDaysOrMore)])
        #expect(two.smartServices.count == 2)
        #expect(two.smart == 5.5)   // (3 + 8) / 2
        let none = CostSummary([Self.price("A", total: 3, speed: .sixDaysOrMore)])
        #expect(none.smart == nil)
        #expect(none.average == 3)
        let empty = CostSummary([Self.price("A", total: 3, exclusions: [.inconsistent])])
        #expect(empty.average == nil && empty.smart == nil && empty.cheapest == nil)
    }

    @Test("Fee and margin parts and their shares")
    func composition() throws {
        let summary = CostSummary([Self.price("A", total: 5, fee: 4, margin: 1), Self.price("B", total: 3, fee: 1, margin: 2)])
        // fee: (4 + 1) / 2 = 2.5; margin: (1 + 2) / 2 = 1.5; fee share 2.5 / 4 = 62.5 %
        #expect(summary.averageFeePercent == 2.5)
        #expect(summary.averageFxMarginPercent == 1.5)
        #expect(summary.feeSharePercent == 62.5)
        #expect(summary.fxSharePercent == 37.5)
    }

    @Test("Group averages, cheapest group first, counting only included prices")
    func groups() {
        let prices = [Self.price("A", total: 8, firm: .bank), Self.price("B", total: 6, firm: .bank),
                      Self.price("C", total: 5), Self.price("D", total: 1, firm: .bank, exclusions: [.informal])]
        let groups = CostSummary.groups(prices) { ($0.firmType.rawValue, $0.firmType.label) }
        // MTO: 5 (1 service); bank: (8 + 6) / 2 = 7 (2 services; D is excluded)
        #expect(groups.map(\.group) == ["money-transfer-operator", "bank"])
        #expect(groups.map(\.serviceCount) == [1, 2])
        #expect(groups.map(\.averageTotalCostPercent) == [5, 7])
    }

    @Test("Corridor trend, change since the first period and over exactly five years")
    func corridorTrend() throws {
        let prices = [
            Self.price("A", total: 10, period: "2019_1Q"),
            Self.price("A", total: 9, period: "2020_3Q"), Self.price("B", total: 7, period: "2020_3Q"),
            Self.price("A", total: 6, period: "2025_3Q"), Self.price("B", total: 4, period: "2025_3Q"),
            Self.price("C", total: 2, period: "2025_3Q", exclusions: [.inconsistent]),
        ]
        let report = ReportBuilder.corridor(Self.kenyaTanzania, fromName: "Kenya", toName: "Tanzania",
                                            period: Period("2025_3Q")!, tier: .usd200, prices: prices)
        #expect(report.trend.map(\.period.description) == ["2019_1Q", "2020_3Q", "2025_3Q"])
        #expect(report.trend.map(\.average) == [10, 8, 5])
        #expect(report.surveyedCount == 3)
        #expect(report.excluded.map(\.provider) == ["C"])
        // since 2019_1Q: 5 − 10 = −5; five years (2020_3Q): 5 − 8 = −3; SmaRT likewise (all within five days)
        let first = try #require(report.sinceFirst)
        #expect(first.from.description == "2019_1Q" && first.averageChange == -5 && first.smartChange == -5)
        let five = try #require(report.fiveYear)
        #expect(five.from.description == "2020_3Q" && five.averageChange == -3)
        #expect(report.averageBelow3Percent == false && report.smartAtOrBelow5Percent == true)

        let older = ReportBuilder.corridor(Self.kenyaTanzania, fromName: "Kenya", toName: "Tanzania",
                                           period: Period("2020_3Q")!, tier: .usd200, prices: prices)
        #expect(older.fiveYear == nil)   // 2015_3Q has no data: no neighbouring quarter is substituted
    }

    @Test("Flow-weighted average and savings use the latest flow year not after the period")
    func flows() throws {
        let mexico = CorridorKey(from: CountryCode("US")!, to: CountryCode("MX")!)
        let india = CorridorKey(from: CountryCode("GB")!, to: CountryCode("IN")!)
        let prices = [
            Self.price("A", total: 2), Self.price("B", total: 4), Self.price("C", total: 9),       // KE→TZ: avg 5, SmaRT 5
            Self.price("A", total: 1, corridor: mexico), Self.price("B", total: 3, corridor: mexico),
            Self.price("C", total: 5, corridor: mexico), Self.price("D", total: 7, corridor: mexico), // US→MX: avg 4, SmaRT 3
            Self.price("A", total: 6, corridor: india),                                             // GB→IN: only a 2026 flow
        ]
        let flows: [CorridorKey: [(year: Int, usd: Int64)]] = [
            Self.kenyaTanzania: [(2024, 1_000)],
            mexico: [(2023, 5_000), (2024, 3_000), (2026, 9_000)],
            india: [(2026, 7_000)],
        ]
        let report = ReportBuilder.global(period: Period("2025_3Q")!, tier: .usd200, prices: prices, trend: [], flows: flows)
        let figures = try #require(report.flows)
        // covered: KE→TZ 1,000 at 5 %, US→MX 3,000 (2024) at 4 % → (5,000 + 12,000) / 4,000 = 4.25
        #expect(figures.coveredCorridorCount == 2)
        #expect(figures.totalFlowUSD == 4_000)
        #expect(figures.weightedAverage == 4.25)
        // savings: US→MX 3,000 × (4 − 3) / 100 = 30; KE→TZ SmaRT = average → nothing to save
        #expect(figures.savings.map(\.corridor) == [mexico])
        #expect(figures.savings.first?.annualSavingsUSD == 30)
        #expect(figures.totalAnnualSavingsUSD == 30)
        // global: (2 + 4 + 9 + 1 + 3 + 5 + 7 + 6) / 8 = 37 / 8
        #expect(report.average == 37.0 / 8)
        #expect(report.corridors.count == 3)
        #expect(report.smartAbove5Percent.map(\.corridor) == [india])   // SmaRT 6
        #expect(abs(try #require(report.shareOfCorridorsAverageBelow3Percent)) < 1e-12)  // none below 3 %
    }

    @Test("The SDG table puts the corridors furthest from 3 % first, and sorts by any column")
    func sdgOrder() {
        let mexico = CorridorKey(from: CountryCode("US")!, to: CountryCode("MX")!)
        let prices = [Self.price("A", total: 2), Self.price("A", total: 7, corridor: mexico)]
        let before = [Self.price("A", total: 9, period: "2020_3Q", corridor: mexico)]
        let report = ReportBuilder.sdg(period: Period("2025_3Q")!, tier: .usd200, costs: ReportBuilder.costs(prices),
                                       fiveYearsEarlier: ReportBuilder.costs(before), order: .gap)
        #expect(report.rows.map(\.corridor) == [mexico, Self.kenyaTanzania])
        #expect(report.rows.map(\.meets3Percent) == [false, true])
        #expect(report.rows.map(\.meets5Percent) == [false, true])
        #expect(report.rows.first?.changeFiveYears == -2)   // 7 − 9
        #expect(report.rows.last?.changeFiveYears == nil)
        let byChange = ReportBuilder.sdg(period: Period("2025_3Q")!, tier: .usd200, costs: ReportBuilder.costs(prices),
                                         fiveYearsEarlier: ReportBuilder.costs(before), order: .corridor)
        #expect(byChange.rows.map(\.corridor) == [Self.kenyaTanzania, mexico])
    }

    @Test("Periods step by quarters across years")
    func periodArithmetic() {
        #expect(Period("2025_3Q")?.adding(quarters: -20)?.description == "2020_3Q")
        #expect(Period("2025_1Q")?.adding(quarters: -1)?.description == "2024_4Q")
        #expect(Period("2024_4Q")?.adding(quarters: 1)?.description == "2025_1Q")
    }
}
