import Foundation

/// Builds reports from surveyed prices: pure code, no database (docs/reports.md defines every figure).
public enum ReportBuilder {
    /// Quarters in five years: the span of the 5×5 yardstick.
    public static let fiveYears = 20

    /// The corridor report for `period` from every price of the corridor at the tier, all periods.
    public static func corridor(_ corridor: CorridorKey, fromName: String, toName: String, period: Period, tier: ReportTier,
                                prices: [SurveyedPrice]) -> CorridorReport {
        let byPeriod = Dictionary(grouping: prices, by: \.period)
        let current = byPeriod[period] ?? []
        let summary = CostSummary(current)
        let trend = byPeriod.keys.sorted().map { key in trendPoint(key, CostSummary(byPeriod[key] ?? [])) }
        let now = trend.first { $0.period == period }
        let first = trend.first { $0.average != nil }
        let fiveYearsBack = period.adding(quarters: -fiveYears).flatMap { back in trend.first { $0.period == back } }
        return CorridorReport(
            corridor: corridor, fromName: fromName, toName: toName, period: period, tier: tier,
            surveyedCount: current.count, summary: summary,
            byFirmType: CostSummary.groups(current) { ($0.firmType.rawValue, $0.firmType.label) },
            byPayoutMethod: CostSummary.groups(current) { ($0.payoutMethod.rawValue, $0.payoutMethod.label) },
            byFundingMethod: CostSummary.groups(current) { ($0.fundingMethod.rawValue, $0.fundingMethod.label) },
            trend: trend,
            sinceFirst: first.flatMap { change(from: $0, to: now) },
            fiveYear: fiveYearsBack.flatMap { change(from: $0, to: now) },
            excluded: current.filter { !$0.exclusions.isEmpty }.sorted { ($0.provider, $0.service) < ($1.provider, $1.service) },
            included: summary.prices)
    }

    static func trendPoint(_ period: Period, _ summary: CostSummary) -> TrendPoint {
        TrendPoint(period: period, serviceCount: summary.serviceCount, average: summary.average, smart: summary.smart,
                   cheapest: summary.minimum)
    }

    static func change(from earlier: TrendPoint, to later: TrendPoint?) -> CostChange? {
        guard let later, later.period != earlier.period, let before = earlier.average, let after = later.average else { return nil }
        let smartChange: Double? = if let a = earlier.smart, let b = later.smart { b - a } else { nil }
        return CostChange(from: earlier.period, to: later.period, averageChange: after - before, smartChange: smartChange)
    }

    /// Each corridor's average and SmaRT from the included costs of one period, by corridor.
    ///
    /// The same rules as ``CostSummary`` (simple average; SmaRT over the three cheapest within five days),
    /// on plain numbers: the global and SDG reports compute this for every corridor.
    public static func corridorFigures(_ costs: [CorridorCost]) -> [CorridorFigure] {
        Dictionary(grouping: costs, by: \.corridor).compactMap { key, group in
            let sorted = group.sorted { $0.cost < $1.cost }
            guard let average = CostStatistics.mean(sorted.map(\.cost)) else { return nil }
            let smart = CostStatistics.mean(sorted.lazy.filter(\.isWithinFiveDays).prefix(CostStatistics.smartSize).map(\.cost))
            return CorridorFigure(corridor: key, serviceCount: group.count, average: average, smart: smart)
        }.sorted { $0.corridor < $1.corridor }
    }

    /// The included costs among `prices`.
    public static func costs(_ prices: [SurveyedPrice]) -> [CorridorCost] {
        prices.compactMap { price in
            price.includedCost.map { CorridorCost(corridor: price.corridor, cost: $0, isWithinFiveDays: price.speed.isWithinFiveDays) }
        }
    }

    /// The global report for `period` from the period's prices, the global trend and the flows.
    ///
    /// - Parameter flows: every imported flow by corridor, as (year, USD) pairs.
    public static func global(period: Period, tier: ReportTier, prices: [SurveyedPrice], trend: [GlobalTrendPoint],
                              flows: [CorridorKey: [(year: Int, usd: Int64)]]) -> GlobalReport {
        let costs = costs(prices)
        let corridors = corridorFigures(costs)
        let unknown = "Unknown"
        var excluded: [ExclusionReason: Int] = [:]
        for price in prices { for reason in price.exclusions { excluded[reason, default: 0] += 1 } }
        return GlobalReport(
            period: period, tier: tier, average: CostStatistics.mean(costs.map(\.cost)), serviceCount: costs.count,
            corridors: corridors,
            smartAbove5Percent: corridors.filter { ($0.smart ?? 0) > 5 }
                .sorted { ($0.smart ?? 0, $1.corridor) > ($1.smart ?? 0, $0.corridor) },
            shareOfCorridorsAverageBelow3Percent: corridors.isEmpty ? nil
                : Double(corridors.filter { $0.average < 3 }.count) / Double(corridors.count) * 100,
            bySendingRegion: CostSummary.groups(prices) { ($0.sendingRegion ?? unknown, $0.sendingRegion ?? unknown) },
            byReceivingRegion: CostSummary.groups(prices) { ($0.receivingRegion ?? unknown, $0.receivingRegion ?? unknown) },
            byReceivingIncomeGroup: CostSummary.groups(prices) { ($0.receivingIncomeGroup ?? unknown, $0.receivingIncomeGroup ?? unknown) },
            byFirmType: CostSummary.groups(prices) { ($0.firmType.rawValue, $0.firmType.label) },
            trend: trend,
            flows: flows.isEmpty ? nil : flowFigures(corridors, period: period, flows: flows),
            excludedCounts: excluded)
    }

    /// Flow-weighted average and savings: each corridor's flow is that of the latest year not after the period's.
    static func flowFigures(_ corridors: [CorridorFigure], period: Period,
                            flows: [CorridorKey: [(year: Int, usd: Int64)]]) -> FlowFigures {
        var weighted = 0.0, total: Int64 = 0, covered = 0
        var savings: [CorridorSaving] = []
        for figure in corridors {
            guard let flow = flows[figure.corridor]?.filter({ $0.year <= period.year }).max(by: { $0.year < $1.year }) else { continue }
            covered += 1
            total += flow.usd
            weighted += Double(flow.usd) * figure.average
            if let smart = figure.smart, smart < figure.average {
                savings.append(CorridorSaving(corridor: figure.corridor, year: flow.year, flowUSD: flow.usd, average: figure.average,
                                              smart: smart, annualSavingsUSD: Double(flow.usd) * (figure.average - smart) / 100))
            }
        }
        savings.sort { ($0.annualSavingsUSD, $1.corridor) > ($1.annualSavingsUSD, $0.corridor) }
        return FlowFigures(weightedAverage: total > 0 ? weighted / Double(total) : nil, coveredCorridorCount: covered,
                           totalFlowUSD: total, savings: savings,
                           totalAnnualSavingsUSD: savings.reduce(0) { $0 + $1.annualSavingsUSD })
    }

    /// The SDG table for `period` from its included costs and those of the same quarter five years earlier.
    public static func sdg(period: Period, tier: ReportTier, costs: [CorridorCost], fiveYearsEarlier: [CorridorCost],
                           order: SDGOrder) -> SDGReport {
        let before = Dictionary(uniqueKeysWithValues: corridorFigures(fiveYearsEarlier).map { ($0.corridor, $0.average) })
        let rows = corridorFigures(costs).map { figure in
            SDGRow(corridor: figure.corridor, serviceCount: figure.serviceCount, average: figure.average, smart: figure.smart,
                   changeFiveYears: before[figure.corridor].map { figure.average - $0 })
        }
        return SDGReport(period: period, tier: tier, rows: sorted(rows, by: order))
    }

    /// Orders SDG rows; rows without the figure go last, ties by corridor.
    static func sorted(_ rows: [SDGRow], by order: SDGOrder) -> [SDGRow] {
        func descending(_ value: @escaping (SDGRow) -> Double?) -> (SDGRow, SDGRow) -> Bool {
            { a, b in
                switch (value(a), value(b)) {
                case let (x?, y?) where x != y: x > y
                case (.some, nil): true
                case (nil, .some): false
                default: a.corridor < b.corridor
                }
            }
        }
        switch order {
        case .gap: return rows.sorted(by: descending(\.gapTo3Percent))
        case .average: return rows.sorted(by: descending(\.average))
        case .smart: return rows.sorted(by: descending(\.smart))
        case .change: return rows.sorted(by: descending(\.changeFiveYears))
        case .corridor: return rows.sorted { $0.corridor < $1.corridor }
        }
    }
}
