import Foundation

/// The JSON of the report commands. Percentages are numbers in per cent, rounded to 6 decimals; absent values are null.
enum ReportJSON {
    /// Rounds for output: 6 decimals are far below what any survey measures.
    static func round(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return (value * 1_000_000).rounded() / 1_000_000
    }

    struct Corridor: Encodable {
        var from, to, fromName, toName: String
    }

    struct Group: Encodable {
        var group, label: String
        var serviceCount: Int
        @JSONNullable var averageTotalCostPercent: Double?
        init(_ group: GroupAverage) {
            self.group = group.group
            label = group.label
            serviceCount = group.serviceCount
            averageTotalCostPercent = round(group.averageTotalCostPercent)
        }
    }

    struct Service: Encodable {
        var provider, service: String
        @JSONNullable var totalCostPercent: Double?
        init(_ price: SurveyedPrice) {
            provider = price.provider
            service = price.service
            totalCostPercent = round(price.totalCostPercent)
        }
    }

    struct Cheapest: Encodable {
        var provider, service, firmType: String
        @JSONNullable var totalCostPercent: Double?
        @JSONNullable var feePercent: Double?
        @JSONNullable var fxMarginPercent: Double?
        init(_ price: SurveyedPrice) {
            provider = price.provider
            service = price.service
            firmType = price.firmType.rawValue
            totalCostPercent = round(price.totalCostPercent)
            feePercent = round(price.feePercent)
            fxMarginPercent = round(price.fxMarginPercent)
        }
    }

    struct Composition: Encodable {
        @JSONNullable var averageFeePercent: Double?
        @JSONNullable var averageFxMarginPercent: Double?
        @JSONNullable var feeSharePercent: Double?
        @JSONNullable var fxSharePercent: Double?
    }

    struct SDGStatus: Encodable {
        @JSONNullable var averageBelow3Percent: Bool?
        @JSONNullable var smartAtOrBelow5Percent: Bool?
    }

    struct Trend: Encodable {
        var period: String
        var serviceCount: Int
        @JSONNullable var averageTotalCostPercent: Double?
        @JSONNullable var smartTotalCostPercent: Double?
        @JSONNullable var cheapestTotalCostPercent: Double?
    }

    struct Change: Encodable {
        var fromPeriod, toPeriod: String
        @JSONNullable var averageChange: Double?
        @JSONNullable var smartChange: Double?
        init?(_ change: CostChange?) {
            guard let change else { return nil }
            fromPeriod = change.from.description
            toPeriod = change.to.description
            averageChange = round(change.averageChange)
            smartChange = round(change.smartChange)
        }
    }

    struct Changes: Encodable {
        @JSONNullable var sinceFirst: Change?
        @JSONNullable var fiveYear: Change?
    }

    struct Excluded: Encodable {
        var provider, service: String
        var reasons: [String]
        @JSONNullable var publishedTotalCostPercent: Double?
    }

    /// The corridor report.
    struct CorridorDocument: Encodable {
        var corridor: Corridor
        var period: String
        var tier: Int
        var tierCurrency = "USD"
        var serviceCount, providerCount, surveyedServiceCount, smartServiceCount: Int
        @JSONNullable var averageTotalCostPercent: Double?
        @JSONNullable var smartTotalCostPercent: Double?
        var smartServices: [Service]
        @JSONNullable var minimumTotalCostPercent: Double?
        @JSONNullable var p10TotalCostPercent: Double?
        @JSONNullable var medianTotalCostPercent: Double?
        @JSONNullable var p90TotalCostPercent: Double?
        @JSONNullable var maximumTotalCostPercent: Double?
        @JSONNullable var cheapest: Cheapest?
        var byFirmType, byPayoutMethod, byFundingMethod: [Group]
        var costComposition: Composition
        var sdg: SDGStatus
        var trend: [Trend]
        var change: Changes
        var excluded: [Excluded]
        var services: [Service]

        init(_ report: CorridorReport) {
            let summary = report.summary
            corridor = Corridor(from: report.corridor.from.rawValue, to: report.corridor.to.rawValue,
                                fromName: report.fromName, toName: report.toName)
            period = report.period.description
            tier = report.tier.rawValue
            serviceCount = summary.serviceCount
            providerCount = summary.providerCount
            surveyedServiceCount = report.surveyedCount
            smartServiceCount = summary.smartServices.count
            averageTotalCostPercent = round(summary.average)
            smartTotalCostPercent = round(summary.smart)
            smartServices = summary.smartServices.map(Service.init)
            minimumTotalCostPercent = round(summary.minimum)
            p10TotalCostPercent = round(summary.p10)
            medianTotalCostPercent = round(summary.median)
            p90TotalCostPercent = round(summary.p90)
            maximumTotalCostPercent = round(summary.maximum)
            cheapest = summary.cheapest.map(Cheapest.init)
            byFirmType = report.byFirmType.map(Group.init)
            byPayoutMethod = report.byPayoutMethod.map(Group.init)
            byFundingMethod = report.byFundingMethod.map(Group.init)
            costComposition = Composition(averageFeePercent: round(summary.averageFeePercent),
                                          averageFxMarginPercent: round(summary.averageFxMarginPercent),
                                          feeSharePercent: round(summary.feeSharePercent), fxSharePercent: round(summary.fxSharePercent))
            sdg = SDGStatus(averageBelow3Percent: report.averageBelow3Percent, smartAtOrBelow5Percent: report.smartAtOrBelow5Percent)
            trend = report.trend.map {
                Trend(period: $0.period.description, serviceCount: $0.serviceCount, averageTotalCostPercent: round($0.average),
                      smartTotalCostPercent: round($0.smart), cheapestTotalCostPercent: round($0.cheapest))
            }
            change = Changes(sinceFirst: Change(report.sinceFirst), fiveYear: Change(report.fiveYear))
            excluded = report.excluded.map {
                Excluded(provider: $0.provider, service: $0.service, reasons: $0.exclusions.map(\.rawValue),
                         publishedTotalCostPercent: round($0.totalCostPercent))
            }
            services = report.included.map(Service.init)
        }


    }

    struct CorridorFigureJSON: Encodable {
        var from, to: String
        var serviceCount: Int
        @JSONNullable var averageTotalCostPercent: Double?
        @JSONNullable var smartTotalCostPercent: Double?
        init(_ figure: CorridorFigure) {
            from = figure.corridor.from.rawValue
            to = figure.corridor.to.rawValue
            serviceCount = figure.serviceCount
            averageTotalCostPercent = round(figure.average)
            smartTotalCostPercent = round(figure.smart)
        }
    }

    struct GlobalTrend: Encodable {
        var period: String
        @JSONNullable var globalAverageTotalCostPercent: Double?
        var serviceCount, corridorCount: Int
    }

    struct Saving: Encodable {
        var from, to: String
        var year: Int
        var flowUSD: Int64
        @JSONNullable var averageTotalCostPercent: Double?
        @JSONNullable var smartTotalCostPercent: Double?
        @JSONNullable var annualSavingsUSD: Double?
    }

    struct Flows: Encodable {
        @JSONNullable var flowWeightedAverageTotalCostPercent: Double?
        var coveredCorridorCount: Int
        var totalFlowUSD: Int64
        @JSONNullable var totalAnnualSavingsUSD: Double?
        var savings: [Saving]
        init(_ flows: FlowFigures) {
            flowWeightedAverageTotalCostPercent = round(flows.weightedAverage)
            coveredCorridorCount = flows.coveredCorridorCount
            totalFlowUSD = flows.totalFlowUSD
            totalAnnualSavingsUSD = round(flows.totalAnnualSavingsUSD)
            savings = flows.savings.map {
                Saving(from: $0.corridor.from.rawValue, to: $0.corridor.to.rawValue, year: $0.year, flowUSD: $0.flowUSD,
                       averageTotalCostPercent: round($0.average), smartTotalCostPercent: round($0.smart),
                       annualSavingsUSD: round($0.annualSavingsUSD))
            }
        }
    }

    /// The global report.
    struct GlobalDocument: Encodable {
        var period: String
        var tier: Int
        var tierCurrency = "USD"
        @JSONNullable var globalAverageTotalCostPercent: Double?
        var serviceCount, corridorCount, corridorsSmartAbove5Percent: Int
        var smartAbove5PercentCorridors: [CorridorFigureJSON]
        @JSONNullable var shareOfCorridorsAverageBelow3Percent: Double?
        var bySendingRegion, byReceivingRegion, byReceivingIncomeGroup, byFirmType: [Group]
        var corridors: [CorridorFigureJSON]
        var excludedCounts: [String: Int]
        var trend: [GlobalTrend]
        @JSONNullable var flows: Flows?

        init(_ report: GlobalReport) {
            period = report.period.description
            tier = report.tier.rawValue
            globalAverageTotalCostPercent = round(report.average)
            serviceCount = report.serviceCount
            corridorCount = report.corridors.count
            corridorsSmartAbove5Percent = report.smartAbove5Percent.count
            smartAbove5PercentCorridors = report.smartAbove5Percent.map(CorridorFigureJSON.init)
            shareOfCorridorsAverageBelow3Percent = round(report.shareOfCorridorsAverageBelow3Percent)
            bySendingRegion = report.bySendingRegion.map(Group.init)
            byReceivingRegion = report.byReceivingRegion.map(Group.init)
            byReceivingIncomeGroup = report.byReceivingIncomeGroup.map(Group.init)
            byFirmType = report.byFirmType.map(Group.init)
            corridors = report.corridors.map(CorridorFigureJSON.init)
            excludedCounts = Dictionary(uniqueKeysWithValues: report.excludedCounts.map { ($0.key.rawValue, $0.value) })
            trend = report.trend.map {
                GlobalTrend(period: $0.period.description, globalAverageTotalCostPercent: round($0.average),
                            serviceCount: $0.serviceCount, corridorCount: $0.corridorCount)
            }
            flows = report.flows.map(Flows.init)
        }


    }

    struct SDGRowJSON: Encodable {
        var from, to: String
        var serviceCount: Int
        @JSONNullable var averageTotalCostPercent: Double?
        @JSONNullable var smartTotalCostPercent: Double?
        @JSONNullable var gapTo3Percent: Double?
        @JSONNullable var changeFiveYears: Double?
        var meets3Percent: Bool
        @JSONNullable var meets5Percent: Bool?
        init(_ row: SDGRow) {
            from = row.corridor.from.rawValue
            to = row.corridor.to.rawValue
            serviceCount = row.serviceCount
            averageTotalCostPercent = round(row.average)
            smartTotalCostPercent = round(row.smart)
            gapTo3Percent = round(row.gapTo3Percent)
            changeFiveYears = round(row.changeFiveYears)
            meets3Percent = row.meets3Percent
            meets5Percent = row.meets5Percent
        }
    }

    /// The SDG table.
    struct SDGDocument: Encodable {
        var period: String
        var tier: Int
        var tierCurrency = "USD"
        var corridors: [SDGRowJSON]
        init(_ report: SDGReport) {
            period = report.period.description
            tier = report.tier.rawValue
            corridors = report.rows.map(SDGRowJSON.init)
        }
    }
}
