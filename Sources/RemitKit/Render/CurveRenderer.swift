import Foundation

/// The formats `remit curve` prints: those of ``OutputFormat`` and an SVG chart.
public enum CurveFormat: String, Vocabulary {
    /// Aligned columns for a terminal.
    case table
    /// One JSON object.
    case json
    /// Long (tidy) CSV: one row per amount and service.
    case csv
    /// GitHub-flavoured Markdown.
    case markdown
    /// An SVG line chart of total cost % against the amount.
    case svg

    public var label: String { rawValue }
}

/// Prints a ``CostCurve`` as a table, JSON, CSV, Markdown or an SVG chart. Computes no figures.
public enum CurveRenderer {
    /// The text for `format`.
    public static func render(_ curve: CostCurve, as format: CurveFormat) throws -> String {
        switch format {
        case .table: table(curve)
        case .json: try JSONOutput.encode(CurveDocument(curve: curve, labels: labels(curve)))
        case .csv: csv(curve)
        case .markdown: markdown(curve)
        case .svg: svg(curve)
        }
    }

    /// The CSV columns, in order.
    public static let csvColumns = [
        "amount", "sendCurrency", "provider", "service", "fundingMethod", "payoutMethod", "formal", "feeMode", "fee",
        "totalCostPercent", "recipientAmount", "receiveCurrency", "isCheapest",
    ]

    /// A name for every drawn service, unique within the curve: `Provider, Service`, with the funding
    /// method (then the payout method, then the id) added when two services would read the same.
    public static func labels(_ curve: CostCurve) -> [Int64: String] {
        let offers = curve.services.map(\.offer)
        var labels = Dictionary(uniqueKeysWithValues: offers.map { ($0.serviceID, "\($0.service.provider.name), \($0.service.name)") })
        let refinements: [(ServiceOffer) -> String] = [
            { $0.service.fundingMethod.label },
            { "\($0.service.fundingMethod.label) → \($0.service.payoutMethod.label)" },
            { "\($0.service.fundingMethod.label) → \($0.service.payoutMethod.label), #\($0.serviceID)" },
        ]
        for refine in refinements {
            let counts = Dictionary(grouping: offers, by: { labels[$0.serviceID] ?? "" })
            let clashing = counts.values.filter { $0.count > 1 }.flatMap { $0 }
            if clashing.isEmpty { break }
            for offer in clashing {
                labels[offer.serviceID] = "\(offer.service.provider.name), \(offer.service.name) (\(refine(offer)))"
            }
        }
        return labels
    }

    // MARK: - Terminal table and Markdown

    static func heading(_ curve: CostCurve) -> [String] {
        let corridor = curve.corridor
        let from = ReferenceData.country(corridor.sendingCountry)?.name ?? corridor.sendingCountry.rawValue
        let to = ReferenceData.country(corridor.receivingCountry)?.name ?? corridor.receivingCountry.rawValue
        var lines: [String] = []
        var title = "Cost curves from \(from) to \(to)"
        if let first = curve.amounts.first, let last = curve.amounts.last {
            title += ": \(first) to \(last)"
            let steps = Set(zip(curve.amounts, curve.amounts.dropFirst()).map { $1.minorUnits - $0.minorUnits })
            if steps.count == 1, let step = steps.first {
                title += " every \(Money(minorUnits: step, currency: corridor.sendCurrency))"
            }
            title += " (\(curve.amounts.count) amount\(curve.amounts.count == 1 ? "" : "s"))"
        }
        if corridor.isDomestic { title += ", domestic (no currency exchange)" }
        lines.append(title)
        if !corridor.isDomestic {
            lines.append("Reference rate: 1 \(corridor.sendCurrency.code) = \(ComparisonRenderer.rateText(curve.referenceRate.rate)) "
                + "\(corridor.receiveCurrency.code) (\(curve.referenceRate.source), \(curve.referenceRate.date))")
        }
        let formal = curve.services.filter(\.isRanked).count
        let informal = curve.services.count - formal
        var drawn = "Services drawn: \(formal) formal"
        if informal > 0 { drawn += " and \(informal) informal (for reference, never the cheapest)" }
        if curve.isFiltered { drawn += ", matching the filters" }
        lines.append(drawn)
        return lines
    }

    static let tableHeaders = ["Amount", "Cheapest", "Fee", "Cost %", "Recipient gets", "Runner-up", "Cost %"]
    static let tableAlignments: [TextTable.Alignment] = [.right, .left, .right, .right, .right, .left, .right]

    /// One row per amount: the cheapest service with its fee, cost % and recipient amount, then the runner-up.
    static func amountRows(_ curve: CostCurve, labels: [Int64: String]) -> [[String]] {
        curve.cheapest.enumerated().map { index, point in
            let runnerUp = curve.services
                .filter { $0.isRanked && $0.offer.serviceID != point.offer?.serviceID }
                .compactMap { series in series.points[index].cost.map { (offer: series.offer, cost: $0) } }
                .min { CostCurve.isCheaper($0, than: $1) }
            return [
                Money.grouped(point.amount.amountText),
                point.offer.flatMap { labels[$0.serviceID] } ?? "(no service sends this amount)",
                point.cost.map { Money.grouped($0.fee.amountText) + ($0.feeMode == .deducted ? "*" : "") } ?? "",
                point.cost?.totalCostPercent.map { ComparisonRenderer.percentText($0) } ?? "",
                point.cost?.recipientAmount?.description ?? "",
                runnerUp.flatMap { labels[$0.offer.serviceID] } ?? "",
                runnerUp?.cost.totalCostPercent.map { ComparisonRenderer.percentText($0) } ?? "",
            ]
        }
    }

    static let breakEvenHeaders = ["Break-even", "Cheapest below", "Cheapest from here", "Cost % below", "Cost % here"]

    /// One row per break-even; the cost % columns give the old and the new cheapest, `from / to`.
    static func breakEvenRows(_ curve: CostCurve, labels: [Int64: String]) -> [[String]] {
        func name(_ offer: ServiceOffer?) -> String { offer.flatMap { labels[$0.serviceID] } ?? "(none)" }
        func pair(_ costs: BreakEvenCosts) -> String {
            [costs.fromCostPercent, costs.toCostPercent].map { $0.map { DecimalText.format($0, places: 6) + "%" } ?? "—" }
                .joined(separator: " / ")
        }
        return curve.breakEvens.map { [$0.amount.description, name($0.from), name($0.to), pair($0.before), pair($0.after)] }
    }

    static func notDrawnLine(_ option: UnrankedOption) -> String {
        "\(option.offer.service.provider.name) (\(ComparisonRenderer.shortFirmType(option.offer.service.provider.firmType))), "
            + "\(option.offer.service.name): \(option.reason)"
    }

    static func breakEvenIntro(_ curve: CostCurve) -> String? {
        guard let first = curve.amounts.first, let last = curve.amounts.last, first != last else { return nil }
        if curve.breakEvens.isEmpty {
            return "No break-even: the cheapest service is the same at every amount from \(first) to \(last)."
        }
        let count = curve.breakEvens.count
        return "\(count) break-even amount\(count == 1 ? "" : "s") from \(first) to \(last): where the cheapest service changes, "
            + "exact to the minor unit (the first amount at which the new one is cheapest)."
    }

    static func footnotes(_ curve: CostCurve) -> [String] {
        var notes: [String] = []
        if curve.cheapest.contains(where: { $0.cost?.feeMode == .deducted }) {
            notes.append("* The fee is deducted from the amount before conversion.")
        }
        notes.append("Cost % = fee / amount × 100 + FX margin %, as the World Bank measures it. "
            + "Only services with a fee schedule and a known rate have a curve.")
        notes.append("Break-evens are looked for between the amounts shown and at every fee-band edge, then found exactly by bisection (see docs/methodology.md).")
        if curve.usesSampleData {
            notes.append("Sample data: fictional providers with illustrative prices, built into remit. Load real prices with `remit import`.")
        }
        return notes
    }

    static func table(_ curve: CostCurve) -> String {
        let labels = labels(curve)
        var out = heading(curve).joined(separator: "\n") + "\n"
        if curve.services.contains(where: \.isRanked) {
            var table = TextTable(headers: tableHeaders, alignments: tableAlignments)
            table.rows = amountRows(curve, labels: labels)
            out += "\n" + table.aligned()
        } else {
            out += "\nNo formal, transparent service with a fee schedule in the database"
            out += curve.notDrawn.isEmpty ? " (check the filters).\n" : ".\n"
        }
        if let intro = breakEvenIntro(curve), curve.services.contains(where: \.isRanked) {
            out += "\n" + intro + "\n"
            if !curve.breakEvens.isEmpty {
                var table = TextTable(headers: breakEvenHeaders, alignments: [.right, .left, .left, .right, .right])
                table.rows = breakEvenRows(curve, labels: labels)
                out += "\n" + table.aligned()
            }
        }
        if !curve.notDrawn.isEmpty {
            out += "\nNot drawn:\n" + curve.notDrawn.map { "  " + notDrawnLine($0) + "\n" }.joined()
        }
        return out + "\n" + footnotes(curve).joined(separator: "\n") + "\n"
    }

    static func markdown(_ curve: CostCurve) -> String {
        let labels = labels(curve)
        var out = "## " + heading(curve).joined(separator: "\n\n") + "\n\n"
        if curve.services.contains(where: \.isRanked) {
            var table = TextTable(headers: tableHeaders, alignments: tableAlignments)
            table.rows = amountRows(curve, labels: labels)
            out += table.markdown()
            if let intro = breakEvenIntro(curve) {
                out += "\n### Break-even amounts\n\n" + intro + "\n"
                if !curve.breakEvens.isEmpty {
                    var table = TextTable(headers: breakEvenHeaders, alignments: [.right, .left, .left, .right, .right])
                    table.rows = breakEvenRows(curve, labels: labels)
                    out += "\n" + table.markdown()
                }
            }
        } else {
            out += "No formal, transparent service with a fee schedule in the database.\n"
        }
        if !curve.notDrawn.isEmpty {
            out += "\n### Not drawn\n\n" + curve.notDrawn.map { "- " + notDrawnLine($0) + "\n" }.joined()
        }
        return out + "\n" + footnotes(curve).joined(separator: "\n\n") + "\n"
    }

    // MARK: - CSV

    static func csv(_ curve: CostCurve) -> String {
        var table = TextTable(headers: csvColumns)
        let corridor = curve.corridor
        for (index, amount) in curve.amounts.enumerated() {
            let cheapest = curve.cheapest[index].offer?.serviceID
            for series in curve.services {
                let service = series.offer.service, cost = series.points[index].cost
                table.rows.append([
                    amount.amountText, corridor.sendCurrency.code.rawValue, service.provider.name, service.name,
                    service.fundingMethod.rawValue, service.payoutMethod.rawValue, service.provider.isFormal ? "yes" : "no",
                    series.offer.model.feeMode?.rawValue ?? "", cost?.fee.amountText ?? "",
                    cost?.totalCostPercent.map { DecimalText.format(Numbers.percent($0)) } ?? "",
                    cost?.recipientAmount?.amountText ?? "", corridor.receiveCurrency.code.rawValue,
                    series.offer.serviceID == cheapest ? "yes" : "no",
                ])
            }
        }
        return table.csv()
    }

    // MARK: - SVG

    /// A line chart of total cost % against the amount, one series per service (named by ``labels(_:)``),
    /// with a vertical marker at each break-even.
    static func svg(_ curve: CostCurve) -> String {
        let corridor = curve.corridor, labels = labels(curve)
        let from = ReferenceData.country(corridor.sendingCountry)?.name ?? corridor.sendingCountry.rawValue
        let to = ReferenceData.country(corridor.receivingCountry)?.name ?? corridor.receivingCountry.rawValue
        var chart = LineChart(title: "Total cost by amount sent, \(from) to \(to)",
                              xAxisLabel: "Amount sent (\(corridor.sendCurrency.code))",
                              yAxisLabel: "Total cost (% of amount sent)")
        chart.series = curve.services.map { series in
            LineChart.Series(name: labels[series.offer.serviceID] ?? series.offer.service.name, points: series.points.map { point in
                LineChart.Point(x: double(point.amount.decimalValue), y: point.cost?.totalCostPercent.map(double))
            })
        }
        chart.verticalMarkers = curve.breakEvens.map { ReferenceLine(value: double($0.amount.decimalValue), label: $0.amount.description) }
        chart.xFormat = ChartNumberFormat(decimals: corridor.sendCurrency.minorUnits)
        // The legend lists every service under the plot: grow the chart with it so the plot keeps its height.
        chart.width = 800
        chart.height = 420 + 22 * Double(chart.series.count)
        return chart.svg() + "\n"
    }

    /// A decimal as a binary floating-point number, for drawing only.
    private static func double(_ value: Decimal) -> Double { NSDecimalNumber(decimal: value).doubleValue }

    /// A cost % at a break-even, with 6 decimals: two services there differ by less than 4 decimals show.
    static func breakEvenPercent(_ value: Decimal) -> Decimal { MoneyRounding.round(value, places: 6) }
}

extension PriceModel {
    /// The fee mode of a schedule; survey fees are on top.
    var feeMode: FeeMode? {
        switch self {
        case let .schedule(schedule, _): schedule.mode
        case .survey: .onTop
        }
    }
}

/// The JSON shape of a cost curve (documented in docs/cli.md).
struct CurveDocument: Encodable {
    let curve: CostCurve
    let labels: [Int64: String]

    enum Keys: String, CodingKey {
        case corridor, sendCurrency, receiveCurrency, referenceRate, amounts, services, cheapest, breakEvens, notDrawn, sampleData
        case from, to, fromName, toName, domestic, rate, date, source
        case index, label, provider, firmType, formal, service, fundingMethod, payoutMethod, speed, feeMode, points
        case amount, fee, totalCostPercent, recipientAmount, isCheapest, serviceIndex, before, after
        case fromCostPercent, toCostPercent, reason
    }

    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        let corridor = curve.corridor
        try root.encode(CorridorJSON(corridor), forKey: .corridor)
        try root.encode(corridor.sendCurrency.code.rawValue, forKey: .sendCurrency)
        try root.encode(corridor.receiveCurrency.code.rawValue, forKey: .receiveCurrency)
        var rateBox = root.nestedContainer(keyedBy: Keys.self, forKey: .referenceRate)
        try rateBox.encode(Numbers.rate(curve.referenceRate.rate), forKey: .rate)
        try rateBox.encode(curve.referenceRate.date.description, forKey: .date)
        try rateBox.encode(curve.referenceRate.source, forKey: .source)
        try root.encode(curve.amounts.map(\.decimalValue), forKey: .amounts)

        let indices = Dictionary(uniqueKeysWithValues: curve.services.enumerated().map { ($1.offer.serviceID, $0) })
        var services = root.nestedUnkeyedContainer(forKey: .services)
        for (index, series) in curve.services.enumerated() {
            var box = services.nestedContainer(keyedBy: Keys.self)
            try box.encode(index, forKey: .index)
            try encodeService(series.offer, in: &box)
            try box.encode(series.offer.service.provider.firmType.rawValue, forKey: .firmType)
            try box.encode(series.offer.service.provider.isFormal, forKey: .formal)
            try box.encode(series.offer.service.payoutMethod.rawValue, forKey: .payoutMethod)
            try box.encode(series.offer.service.speed.rawValue, forKey: .speed)
            try box.encode(series.offer.model.feeMode?.rawValue, forKey: .feeMode)
            var points = box.nestedUnkeyedContainer(forKey: .points)
            for (position, point) in series.points.enumerated() {
                var pointBox = points.nestedContainer(keyedBy: Keys.self)
                try pointBox.encode(point.amount.decimalValue, forKey: .amount)
                try pointBox.encode(point.cost?.fee.decimalValue, forKey: .fee)
                try pointBox.encode(point.cost?.totalCostPercent.map(Numbers.percent), forKey: .totalCostPercent)
                try pointBox.encode(point.cost?.recipientAmount?.decimalValue, forKey: .recipientAmount)
                try pointBox.encode(curve.cheapest[position].offer?.serviceID == series.offer.serviceID, forKey: .isCheapest)
            }
        }

        var cheapest = root.nestedUnkeyedContainer(forKey: .cheapest)
        for point in curve.cheapest {
            var box = cheapest.nestedContainer(keyedBy: Keys.self)
            try box.encode(point.amount.decimalValue, forKey: .amount)
            try box.encode(point.offer.flatMap { indices[$0.serviceID] }, forKey: .serviceIndex)
            try box.encode(point.offer.flatMap { labels[$0.serviceID] }, forKey: .label)
            try box.encode(point.offer?.service.provider.name, forKey: .provider)
            try box.encode(point.offer?.service.name, forKey: .service)
            try box.encode(point.offer?.service.fundingMethod.rawValue, forKey: .fundingMethod)
            try box.encode(point.cost?.fee.decimalValue, forKey: .fee)
            try box.encode(point.cost?.totalCostPercent.map(Numbers.percent), forKey: .totalCostPercent)
            try box.encode(point.cost?.recipientAmount?.decimalValue, forKey: .recipientAmount)
        }

        var breakEvens = root.nestedUnkeyedContainer(forKey: .breakEvens)
        for breakEven in curve.breakEvens {
            var box = breakEvens.nestedContainer(keyedBy: Keys.self)
            try box.encode(breakEven.amount.decimalValue, forKey: .amount)
            for (key, offer) in [(Keys.from, breakEven.from), (.to, breakEven.to)] {
                if let offer {
                    var side = box.nestedContainer(keyedBy: Keys.self, forKey: key)
                    try side.encode(indices[offer.serviceID], forKey: .serviceIndex)
                    try encodeService(offer, in: &side)
                } else {
                    try box.encodeNil(forKey: key)
                }
            }
            for (key, costs) in [(Keys.before, breakEven.before), (.after, breakEven.after)] {
                var side = box.nestedContainer(keyedBy: Keys.self, forKey: key)
                try side.encode(costs.amount.decimalValue, forKey: .amount)
                try side.encode(costs.fromCostPercent.map(CurveRenderer.breakEvenPercent), forKey: .fromCostPercent)
                try side.encode(costs.toCostPercent.map(CurveRenderer.breakEvenPercent), forKey: .toCostPercent)
            }
        }

        var notDrawn = root.nestedUnkeyedContainer(forKey: .notDrawn)
        for option in curve.notDrawn {
            var box = notDrawn.nestedContainer(keyedBy: Keys.self)
            try box.encode(option.offer.service.provider.name, forKey: .provider)
            try box.encode(option.offer.service.name, forKey: .service)
            try box.encode(option.offer.service.fundingMethod.rawValue, forKey: .fundingMethod)
            try box.encode(option.reason, forKey: .reason)
        }
        try root.encode(curve.usesSampleData, forKey: .sampleData)
    }

    private func encodeService(_ offer: ServiceOffer, in box: inout KeyedEncodingContainer<Keys>) throws {
        try box.encode(labels[offer.serviceID], forKey: .label)
        try box.encode(offer.service.provider.name, forKey: .provider)
        try box.encode(offer.service.name, forKey: .service)
        try box.encode(offer.service.fundingMethod.rawValue, forKey: .fundingMethod)
    }
}
