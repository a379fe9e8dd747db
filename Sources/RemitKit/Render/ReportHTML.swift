import Foundation

/// Reports as one self-contained HTML page: the Markdown report's tables plus charts.
enum ReportHTML {
    static let source = "Survey prices as imported into remit (for RPW data: World Bank, Remittance Prices Worldwide, CC BY 4.0)."

    static func page(title: String, subtitle: String) -> HTMLPage {
        var page = HTMLPage(title: title, subtitle: subtitle)
        page.footer = HTMLPage.Footer(source: source, generated: "Made with remit", notes: [ReportRenderer.methodNote])
        return page
    }

    /// The cards of the global page.
    static func globalKeyFigures(_ report: GlobalReport) -> [HTMLPage.KeyFigure] {
        typealias R = ReportRenderer
        let left = report.excludedCounts.values.reduce(0, +)
        var cards = [
            HTMLPage.KeyFigure(label: "Global average total cost", value: R.percent(report.average),
                               note: "\(report.serviceCount) services" + (left > 0 ? ", \(left) prices left out" : "")),
            HTMLPage.KeyFigure(label: "Corridors", value: String(report.corridors.count)),
            HTMLPage.KeyFigure(label: "SmaRT above 5 %", value: String(report.smartAbove5Percent.count), note: "corridors"),
            HTMLPage.KeyFigure(label: "Average below 3 %", value: R.percent(report.shareOfCorridorsAverageBelow3Percent, decimals: 0),
                               note: "of corridors"),
        ]
        if let flows = report.flows {
            cards.append(HTMLPage.KeyFigure(label: "Flow-weighted average", value: R.percent(flows.weightedAverage),
                                            note: "\(flows.coveredCorridorCount) corridors, \(R.dollars(Double(flows.totalFlowUSD))) a year"))
            cards.append(HTMLPage.KeyFigure(label: "Savings at SmaRT", value: R.dollars(flows.totalAnnualSavingsUSD),
                                            note: "a year, if each corridor's average fell to its SmaRT"))
        }
        return cards
    }

    /// A bar chart of group averages with the SDG lines.
    static func bars(_ title: String, _ groups: [GroupAverage]) -> HTMLPage.Figure {
        HTMLPage.Figure(BarChart(
            title: title, valueAxisLabel: "Average total cost (% of amount sent)",
            bars: groups.map { BarChart.Bar(label: $0.label, value: $0.averageTotalCostPercent, annotation: "n = \($0.serviceCount)") },
            referenceLines: ReferenceLine.sdgTargets))
    }

    /// Lines over survey periods, one series per (name, values) pair, with the SDG lines.
    static func trendChart(_ title: String, periods: [Period], series: [(String, [Double?])]) -> LineChart {
        LineChart(title: title, xAxisLabel: "Survey period", yAxisLabel: "Total cost (% of amount sent)",
                  xAxis: .categories(periods.map(\.description)),
                  series: series.map { LineChart.Series(name: $0.0, values: $0.1) },
                  referenceLines: ReferenceLine.sdgTargets)
    }

    /// Short values with notes: the cards of the corridor page (the Markdown table has the same figures in full).
    static func corridorKeyFigures(_ report: CorridorReport) -> [HTMLPage.KeyFigure] {
        typealias R = ReportRenderer
        let summary = report.summary
        var cards = [
            HTMLPage.KeyFigure(label: "Average total cost", value: R.percent(summary.average),
                               note: "\(summary.serviceCount) of \(report.surveyedCount) services surveyed, \(summary.providerCount) providers"),
            HTMLPage.KeyFigure(label: "SmaRT", value: R.percent(summary.smart),
                               note: R.smartNote(summary) ?? "the three cheapest services delivering within five days"),
        ]
        if let cheapest = summary.cheapest {
            cards.append(HTMLPage.KeyFigure(label: "Cheapest", value: R.percent(cheapest.totalCostPercent), note: cheapest.provider))
        }
        cards += [
            HTMLPage.KeyFigure(label: "Spread", value: "\(R.percent(summary.minimum)) – \(R.percent(summary.maximum))",
                               note: "p10 \(R.percent(summary.p10)) · median \(R.percent(summary.median)) · p90 \(R.percent(summary.p90))"),
            HTMLPage.KeyFigure(label: "Fee share of the cost", value: R.percent(summary.feeSharePercent, decimals: 0),
                               note: "fee \(R.percent(summary.averageFeePercent)) + FX margin \(R.percent(summary.averageFxMarginPercent)) on average"),
            HTMLPage.KeyFigure(label: "SDG 10.c: average below 3 %", value: R.yesNo(report.averageBelow3Percent)),
            HTMLPage.KeyFigure(label: "SDG 10.c: SmaRT at or below 5 %", value: R.yesNo(report.smartAtOrBelow5Percent)),
        ]
        if let change = report.sinceFirst {
            cards.append(HTMLPage.KeyFigure(label: "Change since \(change.from)", value: R.points(change.averageChange),
                                            note: "average; SmaRT \(R.points(change.smartChange))"))
        }
        cards.append(HTMLPage.KeyFigure(
            label: "Change over five years", value: R.points(report.fiveYear?.averageChange),
            note: report.fiveYear.map { "average since \($0.from); SmaRT \(R.points($0.smartChange))" }
                ?? R.noFiveYearChange(report)))
        return cards
    }

    static func corridor(_ report: CorridorReport) -> String {
        var page = page(title: ReportRenderer.corridorTitle(report),
                        subtitle: "\(report.corridor) · \(report.period) · \(report.tier) price point")
        page.addKeyFigures(corridorKeyFigures(report))
        page.addHeading("Trend")
        page.addFigure(HTMLPage.Figure(trendChart(
            "Total cost of sending \(report.tier), \(report.corridor)", periods: report.trend.map(\.period),
            series: [("Average", report.trend.map(\.average)), ("SmaRT", report.trend.map(\.smart)),
                     ("Cheapest", report.trend.map(\.cheapest))]),
            caption: "Corridor average, SmaRT (three cheapest within five days) and cheapest service per survey period."))
        page.addTable(HTMLPage.Table(ReportRenderer.trendTable(report)))
        page.addHeading("How the services compare")
        page.addFigure(HTMLPage.Figure(DistributionChart(
            title: "Total cost of each service, \(report.period)", values: report.included.compactMap(\.totalCostPercent)),
            caption: "Number of services by total cost, one-point bins; the dashed lines are the SDG 10.c yardsticks."))
        page.addFigure(bars("Average total cost by firm type", report.byFirmType))
        page.addTable(HTMLPage.Table(ReportRenderer.groupTable("Firm type", report.byFirmType)))
        page.addTable(HTMLPage.Table(ReportRenderer.groupTable("Payout method", report.byPayoutMethod)))
        page.addTable(HTMLPage.Table(ReportRenderer.groupTable("Funding method", report.byFundingMethod)))
        page.addHeading("Services counted, cheapest first")
        page.addTable(HTMLPage.Table(ReportRenderer.serviceTable(report)))
        if !report.excluded.isEmpty {
            page.addHeading("Left out of the averages")
            page.addTable(HTMLPage.Table(ReportRenderer.excludedTable(report)))
        }
        return page.html()
    }

    static func global(_ report: GlobalReport) -> String {
        var page = page(title: "The cost of sending money: all corridors", subtitle: "\(report.period) · \(report.tier) price point")
        page.addKeyFigures(globalKeyFigures(report))
        page.addHeading("Trend")
        page.addFigure(HTMLPage.Figure(trendChart(
            "Global average total cost of sending \(report.tier)", periods: report.trend.map(\.period),
            series: [("Global average", report.trend.map { Optional($0.average) })]),
            caption: "Simple average over every transparent formal service surveyed in each period."))
        page.addHeading("Where it costs most")
        page.addFigure(bars("Average total cost by receiving region", report.byReceivingRegion))
        page.addFigure(bars("Average total cost by firm type", report.byFirmType))
        page.addFigure(HTMLPage.Figure(DistributionChart(
            title: "Corridor averages, \(report.period)", name: "Corridors", values: report.corridors.map(\.average),
            yAxisLabel: "Number of corridors"),
            caption: "Number of corridors by average total cost; the dashed lines are the SDG 10.c yardsticks."))
        for (heading, groups) in [("Sending region", report.bySendingRegion), ("Receiving region", report.byReceivingRegion),
                                  ("Income group (receiving country)", report.byReceivingIncomeGroup), ("Firm type", report.byFirmType)] {
            page.addTable(HTMLPage.Table(ReportRenderer.groupTable(heading, groups)))
        }
        page.addHeading("Corridors with SmaRT above 5 %")
        if report.smartAbove5Percent.isEmpty { page.addParagraph("None.") } else {
            page.addTable(HTMLPage.Table(ReportRenderer.corridorFigureTable(report.smartAbove5Percent)))
        }
        if let flows = report.flows, !flows.savings.isEmpty {
            page.addHeading("Estimated annual savings if each corridor's average fell to its SmaRT")
            page.addTable(HTMLPage.Table(ReportRenderer.savingsTable(flows)))
        }
        page.addHeading("Global trend")
        page.addTable(HTMLPage.Table(ReportRenderer.globalTrendTable(report)))
        return page.html()
    }

    static func sdg(_ report: SDGReport) -> String {
        var page = page(title: "SDG 10.c: corridor by corridor", subtitle: "\(report.period) · \(report.tier) price point")
        let meeting3 = report.rows.filter(\.meets3Percent).count
        let failing5 = report.rows.filter { $0.meets5Percent == false }.count
        page.addKeyFigures([
            HTMLPage.KeyFigure(label: "Corridors", value: String(report.rows.count)),
            HTMLPage.KeyFigure(label: "Average below 3 %", value: String(meeting3)),
            HTMLPage.KeyFigure(label: "SmaRT above 5 %", value: String(failing5)),
        ])
        page.addFigure(HTMLPage.Figure(BarChart(
            title: "Average total cost by corridor", valueAxisLabel: "Average total cost (% of amount sent)",
            bars: report.rows.prefix(40).map { BarChart.Bar(label: $0.corridor.description, value: $0.average,
                                                           annotation: $0.smart.map { "SmaRT " + ReportRenderer.percent($0) }) },
            referenceLines: ReferenceLine.sdgTargets),
            caption: report.rows.count > 40 ? "The 40 corridors first in the table below." : nil))
        page.addTable(HTMLPage.Table(ReportRenderer.sdgTable(report, decimals: nil)))
        return page.html()
    }
}
