import Foundation

/// The formats reports print in.
public enum ReportFormat: String, Vocabulary {
    /// GitHub-flavoured Markdown: headings and tables.
    case markdown
    /// Comma-separated values with a header row.
    case csv
    /// One JSON object.
    case json
    /// One self-contained HTML page with charts.
    case html

    public var label: String { rawValue }
}

/// Prints reports. Computes no figures: every number comes from the report value.
public enum ReportRenderer {
    /// The corridor report in `format`.
    public static func render(_ report: CorridorReport, as format: ReportFormat) throws -> String {
        switch format {
        case .json: try JSONOutput.encode(ReportJSON.CorridorDocument(report))
        case .csv: corridorCSV(report)
        case .markdown: corridorMarkdown(report)
        case .html: ReportHTML.corridor(report)
        }
    }

    /// The global report in `format`.
    public static func render(_ report: GlobalReport, as format: ReportFormat) throws -> String {
        switch format {
        case .json: try JSONOutput.encode(ReportJSON.GlobalDocument(report))
        case .csv: globalCSV(report)
        case .markdown: globalMarkdown(report)
        case .html: ReportHTML.global(report)
        }
    }

    /// The SDG table in `format`.
    public static func render(_ report: SDGReport, as format: ReportFormat) throws -> String {
        switch format {
        case .json: try JSONOutput.encode(ReportJSON.SDGDocument(report))
        case .csv: sdgTable(report, decimals: 6).csv()
        case .markdown: sdgMarkdown(report)
        case .html: ReportHTML.sdg(report)
        }
    }

    // MARK: - Numbers in words

    /// `6.42 %`, or `–` when absent.
    static func percent(_ value: Double?, decimals: Int = 2) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(decimals)f %%", value)
    }

    /// `+1.25 pp` / `−0.50 pp`, or `–`.
    static func points(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return (value > 0 ? "+" : value < 0 ? "−" : "±") + String(format: "%.2f pp", abs(value))
    }

    /// `yes`, `no`, or `unknown`.
    static func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "unknown" }

    /// A number for CSV: up to 6 decimals, no unit; empty when absent.
    static func number(_ value: Double?) -> String {
        guard let value = ReportJSON.round(value) else { return "" }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// `1,234,567` for whole dollars.
    static func dollars(_ value: Double) -> String {
        let whole = Int64(value.rounded())
        let digits = String(abs(whole))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return (whole < 0 ? "-" : "") + "USD " + grouped
    }

    static func name(_ price: SurveyedPrice) -> String { "\(price.provider) — \(price.service)" }

    static func corridorTitle(_ report: CorridorReport) -> String {
        "Sending money from \(report.fromName) to \(report.toName)"
    }

    static func smartNote(_ summary: CostSummary) -> String? {
        switch summary.smartServices.count {
        case 0: "no service is transparent and delivers within five days, so there is no SmaRT"
        case CostStatistics.smartSize: nil
        default: "only \(summary.smartServices.count) service\(summary.smartServices.count == 1 ? "" : "s") qualif\(summary.smartServices.count == 1 ? "ies" : "y") (SmaRT averages three)"
        }
    }

    static let methodNote = """
        Total cost = fee + exchange-rate margin, as a percentage of the amount sent (World Bank RPW method). \
        Averages are simple averages over services; SmaRT averages the three cheapest transparent services \
        delivering within five days. SDG 10.c: average below 3 %, no corridor above 5 %. Definitions: docs/reports.md.
        """

    // MARK: - Corridor

    /// The key figures of a corridor report as (figure, value) rows.
    static func corridorFigures(_ report: CorridorReport) -> [(String, String)] {
        let summary = report.summary
        var rows: [(String, String)] = [
            ("Services counted", "\(summary.serviceCount) of \(report.surveyedCount) surveyed, \(summary.providerCount) providers"),
            ("Average total cost", percent(summary.average)),
            ("SmaRT (three cheapest, ≤ 5 days)", percent(summary.smart) + (smartNote(summary).map { " (\($0))" } ?? "")),
        ]
        if let cheapest = summary.cheapest {
            rows.append(("Cheapest", "\(percent(cheapest.totalCostPercent)): \(name(cheapest))"))
        }
        rows += [
            ("Minimum · p10 · median · p90 · maximum",
             [summary.minimum, summary.p10, summary.median, summary.p90, summary.maximum].map { percent($0) }.joined(separator: " · ")),
            ("Fee part · FX margin part (average)",
             "\(percent(summary.averageFeePercent)) · \(percent(summary.averageFxMarginPercent))"
                + (summary.feeSharePercent.map { String(format: " (%.0f %% fee, %.0f %% margin)", $0, 100 - $0) } ?? "")),
            ("SDG 10.c: average below 3 %", yesNo(report.averageBelow3Percent)),
            ("SDG 10.c: SmaRT at or below 5 %", yesNo(report.smartAtOrBelow5Percent)),
        ]
        if let change = report.sinceFirst {
            rows.append(("Change since \(change.from)", "average \(points(change.averageChange)), SmaRT \(points(change.smartChange))"))
        }
        rows.append(("Change over five years (5×5)", report.fiveYear.map {
            "since \($0.from): average \(points($0.averageChange)), SmaRT \(points($0.smartChange))"
        } ?? noFiveYearChange(report)))
        return rows
    }

    /// Why a corridor report has no five-year change.
    static func noFiveYearChange(_ report: CorridorReport) -> String {
        guard report.summary.average != nil else { return "no average in \(report.period)" }
        return "no average in \(report.period.adding(quarters: -ReportBuilder.fiveYears)?.description ?? "the quarter five years earlier")"
    }

    static func groupTable(_ heading: String, _ groups: [GroupAverage]) -> TextTable {
        var table = TextTable(headers: [heading, "Services", "Average total cost"], alignments: [.left, .right, .right])
        table.rows = groups.map { [$0.label, String($0.serviceCount), percent($0.averageTotalCostPercent)] }
        return table
    }

    static func trendTable(_ report: CorridorReport) -> TextTable {
        var table = TextTable(headers: ["Period", "Services", "Average", "SmaRT", "Cheapest"],
                              alignments: [.left, .right, .right, .right, .right])
        table.rows = report.trend.map {
            [$0.period.description, String($0.serviceCount), percent($0.average), percent($0.smart), percent($0.cheapest)]
        }
        return table
    }

    static func serviceTable(_ report: CorridorReport) -> TextTable {
        var table = TextTable(headers: ["Provider", "Service", "Firm type", "Speed", "Fee", "FX margin", "Total cost"],
                              alignments: [.left, .left, .left, .left, .right, .right, .right])
        table.rows = report.included.map {
            [$0.provider, $0.service, $0.firmType.label, $0.speed.label, percent($0.feePercent), percent($0.fxMarginPercent),
             percent($0.totalCostPercent)]
        }
        return table
    }

    static func excludedTable(_ report: CorridorReport) -> TextTable {
        var table = TextTable(headers: ["Provider", "Service", "Left out because", "Published total"],
                              alignments: [.left, .left, .left, .right])
        table.rows = report.excluded.map {
            [$0.provider, $0.service, $0.exclusions.map(\.label).joined(separator: "; "), percent($0.totalCostPercent)]
        }
        return table
    }

    static func corridorMarkdown(_ report: CorridorReport) -> String {
        var figures = TextTable(headers: ["Figure", "Value"])
        figures.rows = corridorFigures(report).map { [$0.0, $0.1] }
        var out = "# \(corridorTitle(report))\n\n"
        out += "\(report.corridor) · \(report.period) · \(report.tier) price point\n\n"
        out += figures.markdown()
        out += "\n## By firm type\n\n" + groupTable("Firm type", report.byFirmType).markdown()
        out += "\n## By payout method\n\n" + groupTable("Payout method", report.byPayoutMethod).markdown()
        out += "\n## By funding method\n\n" + groupTable("Funding method", report.byFundingMethod).markdown()
        out += "\n## Trend\n\n" + trendTable(report).markdown()
        out += "\n## Services counted, cheapest first\n\n" + serviceTable(report).markdown()
        if !report.excluded.isEmpty {
            out += "\n## Left out of the averages\n\n" + excludedTable(report).markdown()
        }
        return out + "\n" + methodNote + "\n"
    }

    static func corridorCSV(_ report: CorridorReport) -> String {
        let summary = report.summary
        var table = TextTable(headers: ["section", "item", "metric", "value"])
        func add(_ section: String, _ item: String, _ metric: String, _ value: String) { table.rows.append([section, item, metric, value]) }
        add("corridor", report.corridor.description, "period", report.period.description)
        add("corridor", report.corridor.description, "tier_usd", String(report.tier.rawValue))
        add("summary", "", "service_count", String(summary.serviceCount))
        add("summary", "", "provider_count", String(summary.providerCount))
        add("summary", "", "surveyed_service_count", String(report.surveyedCount))
        add("summary", "", "average_total_cost_percent", number(summary.average))
        add("summary", "", "smart_total_cost_percent", number(summary.smart))
        add("summary", "", "smart_service_count", String(summary.smartServices.count))
        for (metric, value) in [("minimum", summary.minimum), ("p10", summary.p10), ("median", summary.median),
                                ("p90", summary.p90), ("maximum", summary.maximum)] {
            add("summary", "", "\(metric)_total_cost_percent", number(value))
        }
        add("summary", "", "average_fee_percent", number(summary.averageFeePercent))
        add("summary", "", "average_fx_margin_percent", number(summary.averageFxMarginPercent))
        add("summary", "", "fee_share_percent", number(summary.feeSharePercent))
        add("summary", "", "fx_share_percent", number(summary.fxSharePercent))
        add("sdg", "", "average_below_3_percent", report.averageBelow3Percent.map(String.init) ?? "")
        add("sdg", "", "smart_at_or_below_5_percent", report.smartAtOrBelow5Percent.map(String.init) ?? "")
        if let cheapest = summary.cheapest { add("cheapest", name(cheapest), "total_cost_percent", number(cheapest.totalCostPercent)) }
        for (section, groups) in [("by_firm_type", report.byFirmType), ("by_payout_method", report.byPayoutMethod),
                                  ("by_funding_method", report.byFundingMethod)] {
            for group in groups {
                add(section, group.group, "service_count", String(group.serviceCount))
                add(section, group.group, "average_total_cost_percent", number(group.averageTotalCostPercent))
            }
        }
        for point in report.trend {
            add("trend", point.period.description, "service_count", String(point.serviceCount))
            add("trend", point.period.description, "average_total_cost_percent", number(point.average))
            add("trend", point.period.description, "smart_total_cost_percent", number(point.smart))
            add("trend", point.period.description, "cheapest_total_cost_percent", number(point.cheapest))
        }
        for (item, change) in [("since_first", report.sinceFirst), ("five_year", report.fiveYear)] {
            guard let change else { continue }
            add("change", item, "from_period", change.from.description)
            add("change", item, "average_change_points", number(change.averageChange))
            add("change", item, "smart_change_points", number(change.smartChange))
        }
        for price in report.included { add("service", name(price), "total_cost_percent", number(price.totalCostPercent)) }
        for price in report.excluded {
            add("excluded", name(price), "reasons", price.exclusions.map(\.rawValue).joined(separator: ";"))
        }
        return table.csv()
    }

    // MARK: - Global

    static func globalFigures(_ report: GlobalReport) -> [(String, String)] {
        var rows: [(String, String)] = [
            ("Global average total cost", percent(report.average)),
            ("Services counted", String(report.serviceCount)),
            ("Corridors", String(report.corridors.count)),
            ("Corridors with SmaRT above 5 %", String(report.smartAbove5Percent.count)),
            ("Corridors with an average below 3 %", percent(report.shareOfCorridorsAverageBelow3Percent, decimals: 1)),
        ]
        let left = report.excludedCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.label)" }
        if !left.isEmpty { rows.append(("Prices left out", left.joined(separator: "; "))) }
        if let flows = report.flows {
            rows.append(("Flow-weighted average", percent(flows.weightedAverage)
                + " (\(flows.coveredCorridorCount) corridors, \(dollars(Double(flows.totalFlowUSD))) a year)"))
            rows.append(("Savings if every average fell to SmaRT", "\(dollars(flows.totalAnnualSavingsUSD)) a year"))
        }
        return rows
    }

    static func corridorFigureTable(_ figures: [CorridorFigure]) -> TextTable {
        var table = TextTable(headers: ["Corridor", "Services", "Average", "SmaRT"], alignments: [.left, .right, .right, .right])
        table.rows = figures.map { [$0.corridor.description, String($0.serviceCount), percent($0.average), percent($0.smart)] }
        return table
    }

    static func globalTrendTable(_ report: GlobalReport) -> TextTable {
        var table = TextTable(headers: ["Period", "Global average", "Services", "Corridors"], alignments: [.left, .right, .right, .right])
        table.rows = report.trend.map { [$0.period.description, percent($0.average), String($0.serviceCount), String($0.corridorCount)] }
        return table
    }

    static func savingsTable(_ flows: FlowFigures) -> TextTable {
        var table = TextTable(headers: ["Corridor", "Flow (year)", "Average", "SmaRT", "Savings a year"],
                              alignments: [.left, .right, .right, .right, .right])
        table.rows = flows.savings.map {
            [$0.corridor.description, "\(dollars(Double($0.flowUSD))) (\($0.year))", percent($0.average), percent($0.smart),
             dollars($0.annualSavingsUSD)]
        }
        return table
    }

    static func globalMarkdown(_ report: GlobalReport) -> String {
        var figures = TextTable(headers: ["Figure", "Value"])
        figures.rows = globalFigures(report).map { [$0.0, $0.1] }
        var out = "# The cost of sending money: all corridors\n\n\(report.period) · \(report.tier) price point\n\n" + figures.markdown()
        out += "\n## By sending region\n\n" + groupTable("Sending region", report.bySendingRegion).markdown()
        out += "\n## By receiving region\n\n" + groupTable("Receiving region", report.byReceivingRegion).markdown()
        out += "\n## By receiving country income group\n\n" + groupTable("Income group", report.byReceivingIncomeGroup).markdown()
        out += "\n## By firm type\n\n" + groupTable("Firm type", report.byFirmType).markdown()
        out += "\n## Corridors with SmaRT above 5 %\n\n"
        out += report.smartAbove5Percent.isEmpty ? "None.\n" : corridorFigureTable(report.smartAbove5Percent).markdown()
        if let flows = report.flows {
            out += "\n## Estimated annual savings if each corridor's average fell to its SmaRT\n\n"
            out += flows.savings.isEmpty ? "None.\n" : savingsTable(flows).markdown()
        }
        out += "\n## Trend\n\n" + globalTrendTable(report).markdown()
        return out + "\n" + methodNote + "\n"
    }

    static func globalCSV(_ report: GlobalReport) -> String {
        var table = TextTable(headers: ["section", "item", "metric", "value"])
        func add(_ section: String, _ item: String, _ metric: String, _ value: String) { table.rows.append([section, item, metric, value]) }
        add("global", "", "period", report.period.description)
        add("global", "", "tier_usd", String(report.tier.rawValue))
        add("global", "", "global_average_total_cost_percent", number(report.average))
        add("global", "", "service_count", String(report.serviceCount))
        add("global", "", "corridor_count", String(report.corridors.count))
        add("global", "", "corridors_smart_above_5_percent", String(report.smartAbove5Percent.count))
        add("global", "", "share_of_corridors_average_below_3_percent", number(report.shareOfCorridorsAverageBelow3Percent))
        for (section, groups) in [("by_sending_region", report.bySendingRegion), ("by_receiving_region", report.byReceivingRegion),
                                  ("by_receiving_income_group", report.byReceivingIncomeGroup), ("by_firm_type", report.byFirmType)] {
            for group in groups {
                add(section, group.group, "service_count", String(group.serviceCount))
                add(section, group.group, "average_total_cost_percent", number(group.averageTotalCostPercent))
            }
        }
        for figure in report.corridors {
            add("corridor", figure.corridor.description, "average_total_cost_percent", number(figure.average))
            add("corridor", figure.corridor.description, "smart_total_cost_percent", number(figure.smart))
        }
        if let flows = report.flows {
            add("flows", "", "flow_weighted_average_total_cost_percent", number(flows.weightedAverage))
            add("flows", "", "total_flow_usd", String(flows.totalFlowUSD))
            add("flows", "", "total_annual_savings_usd", number(flows.totalAnnualSavingsUSD))
            for saving in flows.savings {
                add("savings", saving.corridor.description, "annual_savings_usd", number(saving.annualSavingsUSD))
            }
        }
        for point in report.trend {
            add("trend", point.period.description, "global_average_total_cost_percent", number(point.average))
            add("trend", point.period.description, "service_count", String(point.serviceCount))
            add("trend", point.period.description, "corridor_count", String(point.corridorCount))
        }
        return table.csv()
    }

    // MARK: - SDG

    static func sdgTable(_ report: SDGReport, decimals: Int?) -> TextTable {
        let csv = decimals != nil
        var table = TextTable(
            headers: csv ? ["from", "to", "service_count", "average_total_cost_percent", "smart_total_cost_percent",
                            "meets_3_percent", "meets_5_percent", "gap_to_3_percent_points", "change_five_years_points"]
                : ["Corridor", "Services", "Average", "SmaRT", "Meets 3 %", "Meets 5 %", "Gap to 3 %", "Change over 5 years"],
            alignments: csv ? nil : [.left, .right, .right, .right, .left, .left, .right, .right])
        table.rows = report.rows.map { row in
            csv ? [row.corridor.from.rawValue, row.corridor.to.rawValue, String(row.serviceCount), number(row.average), number(row.smart),
                   String(row.meets3Percent), row.meets5Percent.map(String.init) ?? "", number(row.gapTo3Percent),
                   number(row.changeFiveYears)]
                : [row.corridor.description, String(row.serviceCount), percent(row.average), percent(row.smart), yesNo(row.meets3Percent),
                   yesNo(row.meets5Percent), points(row.gapTo3Percent), points(row.changeFiveYears)]
        }
        return table
    }

    static func sdgMarkdown(_ report: SDGReport) -> String {
        let meeting3 = report.rows.filter(\.meets3Percent).count
        let failing5 = report.rows.filter { $0.meets5Percent == false }.count
        var out = "# SDG 10.c: corridor by corridor\n\n\(report.period) · \(report.tier) price point · \(report.rows.count) corridor\(report.rows.count == 1 ? "" : "s"): "
        out += "\(meeting3) with an average below 3 %, \(failing5) with SmaRT above 5 %\n\n"
        return out + sdgTable(report, decimals: nil).markdown() + "\n" + methodNote + "\n"
    }
}
