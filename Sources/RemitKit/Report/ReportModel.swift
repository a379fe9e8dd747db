import Foundation

/// The survey price point a report reads: RPW's USD 200 or USD 500 amount.
public enum ReportTier: Int, Sendable, CaseIterable, CustomStringConvertible {
    case usd200 = 200
    case usd500 = 500

    /// The tier in US cents, as `price_observation.denomination_amount` stores it.
    public var minorUnits: Int64 { Int64(rawValue) * 100 }

    public var description: String { "USD \(rawValue)" }
}

/// Why a surveyed price is left out of averages, SmaRT and percentiles (docs/reports.md).
public enum ExclusionReason: String, Sendable, Codable, CaseIterable, Comparable {
    /// The service does not disclose its exchange rate: its margin is unknown.
    case notTransparent = "not-transparent"
    /// The provider is not a formal, regulated channel.
    case informal
    /// The published total differs from fee + margin by more than 0.01 points.
    case inconsistent
    /// The total cost was not published.
    case noTotal = "no-total"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// The reason in words.
    public var label: String {
        switch self {
        case .notTransparent: "exchange rate not disclosed"
        case .informal: "informal channel"
        case .inconsistent: "published total inconsistent with fee and margin"
        case .noTotal: "no published total"
        }
    }
}

/// A corridor as reports see it: a pair of countries.
public struct CorridorKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var from: CountryCode
    public var to: CountryCode

    public init(from: CountryCode, to: CountryCode) {
        self.from = from
        self.to = to
    }

    public var description: String { "\(from)→\(to)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
}

/// One surveyed price of one service in one period at one tier, with what reports need.
public struct SurveyedPrice: Sendable {
    public var corridor: CorridorKey
    public var period: Period
    public var provider: String
    public var service: String
    public var firmType: FirmType
    public var fundingMethod: FundingMethod
    public var payoutMethod: PayoutMethod
    public var speed: Speed
    /// fee ÷ amount × 100.
    public var feePercent: Double
    /// The published FX margin %; `nil` when not disclosed.
    public var fxMarginPercent: Double?
    /// The published total cost %.
    public var totalCostPercent: Double?
    /// Why the price is left out of averages; empty when it counts.
    public var exclusions: [ExclusionReason]
    /// The World Bank region of the sending country, its receiving country's region and income group.
    public var sendingRegion: String?
    public var receivingRegion: String?
    public var receivingIncomeGroup: String?

    public init(corridor: CorridorKey, period: Period, provider: String, service: String, firmType: FirmType,
                fundingMethod: FundingMethod, payoutMethod: PayoutMethod, speed: Speed, feePercent: Double,
                fxMarginPercent: Double?, totalCostPercent: Double?, exclusions: [ExclusionReason],
                sendingRegion: String? = nil, receivingRegion: String? = nil, receivingIncomeGroup: String? = nil) {
        self.corridor = corridor
        self.period = period
        self.provider = provider
        self.service = service
        self.firmType = firmType
        self.fundingMethod = fundingMethod
        self.payoutMethod = payoutMethod
        self.speed = speed
        self.feePercent = feePercent
        self.fxMarginPercent = fxMarginPercent
        self.totalCostPercent = totalCostPercent
        self.exclusions = exclusions
        self.sendingRegion = sendingRegion
        self.receivingRegion = receivingRegion
        self.receivingIncomeGroup = receivingIncomeGroup
    }

    /// The total cost, when the price counts in averages.
    public var includedCost: Double? { exclusions.isEmpty ? totalCostPercent : nil }
}

/// One included price reduced to what corridor figures need: its corridor, its total and whether SmaRT may count it.
public struct CorridorCost: Hashable, Sendable {
    public var corridor: CorridorKey
    public var cost: Double
    public var isWithinFiveDays: Bool

    public init(corridor: CorridorKey, cost: Double, isWithinFiveDays: Bool) {
        self.corridor = corridor
        self.cost = cost
        self.isWithinFiveDays = isWithinFiveDays
    }
}

/// The average of one group of services (a firm type, a region...).
public struct GroupAverage: Hashable, Sendable {
    /// The group's key: a kebab-case vocabulary value, or the region's name.
    public var group: String
    /// The group in words.
    public var label: String
    public var serviceCount: Int
    public var averageTotalCostPercent: Double
}

/// A corridor's figures in one period.
public struct TrendPoint: Hashable, Sendable {
    public var period: Period
    public var serviceCount: Int
    public var average: Double?
    public var smart: Double?
    public var cheapest: Double?
}

/// The change of the average and SmaRT between two periods, in percentage points (later minus earlier).
public struct CostChange: Hashable, Sendable {
    public var from: Period
    public var to: Period
    public var averageChange: Double
    /// `nil` when either period has no SmaRT.
    public var smartChange: Double?
}

/// The corridor report: a corridor's cost in one period, its groups and its trend.
public struct CorridorReport: Sendable {
    public var corridor: CorridorKey
    public var fromName: String
    public var toName: String
    public var period: Period
    public var tier: ReportTier
    /// Every price surveyed in the period, included or not.
    public var surveyedCount: Int
    public var summary: CostSummary
    public var byFirmType: [GroupAverage]
    public var byPayoutMethod: [GroupAverage]
    public var byFundingMethod: [GroupAverage]
    /// Every period with prices, oldest first.
    public var trend: [TrendPoint]
    /// The report period against the first period with an average.
    public var sinceFirst: CostChange?
    /// The report period against the same quarter five years earlier.
    public var fiveYear: CostChange?
    /// Prices left out, with their reasons.
    public var excluded: [SurveyedPrice]
    /// The prices that count, cheapest first.
    public var included: [SurveyedPrice]

    /// SDG 10.c: the average is below 3 %.
    public var averageBelow3Percent: Bool? { summary.average.map { $0 < 3 } }
    /// SDG 10.c: SmaRT is at or below 5 % (`nil` without SmaRT).
    public var smartAtOrBelow5Percent: Bool? { summary.smart.map { $0 <= 5 } }
}

/// One corridor's headline figures in the global and SDG reports.
public struct CorridorFigure: Hashable, Sendable {
    public var corridor: CorridorKey
    public var serviceCount: Int
    public var average: Double
    public var smart: Double?
}

/// The global figures of one period.
public struct GlobalTrendPoint: Hashable, Sendable {
    public var period: Period
    public var average: Double
    public var serviceCount: Int
    public var corridorCount: Int
}

/// What senders in one corridor would save a year if the average fell to SmaRT.
public struct CorridorSaving: Hashable, Sendable {
    public var corridor: CorridorKey
    /// The year of the flow used.
    public var year: Int
    public var flowUSD: Int64
    public var average: Double
    public var smart: Double
    /// flow × (average − SmaRT) ÷ 100, in US dollars a year.
    public var annualSavingsUSD: Double
}

/// The figures that need bilateral flows.
public struct FlowFigures: Hashable, Sendable {
    /// Corridor averages weighted by flow; `nil` when no corridor has both.
    public var weightedAverage: Double?
    public var coveredCorridorCount: Int
    public var totalFlowUSD: Int64
    /// Largest first.
    public var savings: [CorridorSaving]
    public var totalAnnualSavingsUSD: Double
}

/// The global report: every corridor of a period together.
public struct GlobalReport: Sendable {
    public var period: Period
    public var tier: ReportTier
    public var average: Double?
    public var serviceCount: Int
    /// Corridors with at least one price that counts, by corridor.
    public var corridors: [CorridorFigure]
    /// Corridors whose SmaRT is above 5 %, dearest first.
    public var smartAbove5Percent: [CorridorFigure]
    /// The share of corridors whose average is below 3 %, in per cent.
    public var shareOfCorridorsAverageBelow3Percent: Double?
    public var bySendingRegion: [GroupAverage]
    public var byReceivingRegion: [GroupAverage]
    public var byReceivingIncomeGroup: [GroupAverage]
    public var byFirmType: [GroupAverage]
    /// Every period, oldest first.
    public var trend: [GlobalTrendPoint]
    /// `nil` when no flows are imported.
    public var flows: FlowFigures?
    /// Prices surveyed in the period and left out, by reason.
    public var excludedCounts: [ExclusionReason: Int]
}

/// One corridor's row of the SDG table.
public struct SDGRow: Hashable, Sendable {
    public var corridor: CorridorKey
    public var serviceCount: Int
    public var average: Double
    public var smart: Double?
    /// The average is below 3 %.
    public var meets3Percent: Bool { average < 3 }
    /// SmaRT is at or below 5 %; `nil` without SmaRT.
    public var meets5Percent: Bool? { smart.map { $0 <= 5 } }
    /// average − 3, in percentage points.
    public var gapTo3Percent: Double { average - 3 }
    /// The average minus the average of the same quarter five years earlier.
    public var changeFiveYears: Double?
}

/// How the SDG table is ordered.
public enum SDGOrder: String, Vocabulary {
    /// Furthest above 3 % first.
    case gap
    /// Dearest average first.
    case average
    /// Dearest SmaRT first (corridors without SmaRT last).
    case smart
    /// Largest rise over five years first (corridors without the figure last).
    case change
    /// By sending, then receiving country code.
    case corridor

    public var label: String { rawValue }
}

/// The SDG 10.c table: one row per corridor.
public struct SDGReport: Sendable {
    public var period: Period
    public var tier: ReportTier
    public var rows: [SDGRow]
}
