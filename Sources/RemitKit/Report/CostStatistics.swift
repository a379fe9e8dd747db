import Foundation

/// The statistics of reports, as docs/reports.md defines them. Pure functions over numbers.
public enum CostStatistics {
    /// The simple (unweighted) average; `nil` for no values.
    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The percentile `fraction` (0…1) of `sorted` (ascending), by linear interpolation between
    /// order statistics (R-7, Excel's PERCENTILE.INC, NumPy's default); `nil` for no values.
    public static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let position = Double(sorted.count - 1) * min(max(fraction, 0), 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// How many services SmaRT averages.
    public static let smartSize = 3
}

/// The figures of one set of prices that count (one corridor in one period, say).
public struct CostSummary: Sendable {
    /// The prices, cheapest first (ties: provider, then service).
    public let prices: [SurveyedPrice]
    public var serviceCount: Int { prices.count }
    public let providerCount: Int
    /// The corridor average: the simple average of the totals.
    public let average: Double?
    /// The average of the (up to) three cheapest services delivering within five days.
    public let smart: Double?
    /// The services SmaRT averages, cheapest first; fewer than three when fewer qualify.
    public let smartServices: [SurveyedPrice]
    public let minimum: Double?
    public let p10: Double?
    public let median: Double?
    public let p90: Double?
    public let maximum: Double?
    /// The average fee part, fee ÷ amount × 100.
    public let averageFeePercent: Double?
    /// The average FX margin.
    public let averageFxMarginPercent: Double?

    /// Summarises `prices`, keeping only those that count (no exclusion, a published total).
    public init(_ prices: [SurveyedPrice]) {
        let counted = prices.filter { $0.includedCost != nil }.sorted(by: Self.cheaperFirst)
        self.prices = counted
        let costs = counted.compactMap(\.includedCost)
        providerCount = Set(counted.map { $0.provider.lowercased() }).count
        average = CostStatistics.mean(costs)
        smartServices = Array(counted.filter { $0.speed.isWithinFiveDays }.prefix(CostStatistics.smartSize))
        smart = CostStatistics.mean(smartServices.compactMap(\.includedCost))
        minimum = costs.first
        p10 = CostStatistics.percentile(costs, 0.1)
        median = CostStatistics.percentile(costs, 0.5)
        p90 = CostStatistics.percentile(costs, 0.9)
        maximum = costs.last
        averageFeePercent = CostStatistics.mean(counted.map(\.feePercent))
        averageFxMarginPercent = CostStatistics.mean(counted.compactMap(\.fxMarginPercent))
    }

    /// The cheapest price, if any counts.
    public var cheapest: SurveyedPrice? { prices.first }

    /// The fee's share of fee + margin, in per cent; `nil` when the sum is not positive.
    public var feeSharePercent: Double? {
        guard let fee = averageFeePercent, let margin = averageFxMarginPercent, fee + margin > 0 else { return nil }
        return fee / (fee + margin) * 100
    }

    /// The margin's share of fee + margin, in per cent.
    public var fxSharePercent: Double? { feeSharePercent.map { 100 - $0 } }

    static func cheaperFirst(_ a: SurveyedPrice, _ b: SurveyedPrice) -> Bool {
        let x = a.includedCost ?? .infinity, y = b.includedCost ?? .infinity
        if x != y { return x < y }
        if a.provider != b.provider { return a.provider < b.provider }
        return a.service < b.service
    }

    /// The averages of the prices that count, grouped by `key` (group, label); cheapest group first.
    public static func groups(_ prices: [SurveyedPrice], by key: (SurveyedPrice) -> (group: String, label: String)) -> [GroupAverage] {
        var sums: [String: (label: String, count: Int, sum: Double)] = [:]
        for price in prices {
            guard let cost = price.includedCost else { continue }
            let (group, label) = key(price)
            let entry = sums[group] ?? (label, 0, 0)
            sums[group] = (label, entry.count + 1, entry.sum + cost)
        }
        return sums.map { GroupAverage(group: $0.key, label: $0.value.label, serviceCount: $0.value.count,
                                       averageTotalCostPercent: $0.value.sum / Double($0.value.count)) }
            .sorted { ($0.averageTotalCostPercent, $0.label) < ($1.averageTotalCostPercent, $1.label) }
    }
}

extension Period {
    /// The period `quarters` quarters later (earlier when negative).
    public func adding(quarters: Int) -> Period? {
        let index = year * 4 + (quarter - 1) + quarters
        return Period(year: index / 4, quarter: index % 4 + 1)
    }
}
