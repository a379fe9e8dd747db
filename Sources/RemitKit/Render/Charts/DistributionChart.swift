import Foundation

/// A histogram of individual service costs with a rug of the exact values, target lines and average/median, as an SVG.
///
/// ```swift
/// let chart = DistributionChart(title: "Cost of each surveyed service, 2025_2Q", values: included.map(\.totalCost))
/// let svg = chart.svg()   // bins of 1 percentage point, SDG 10.c lines at 3 % and 5 %, average and median
/// ```
///
/// NaN and infinite values are skipped. The histogram is `<g class="series" data-series="NAME" data-points="N">`
/// holding `<rect class="bin" data-from data-to data-count>` and one `<line class="rug">` per value.
/// Average and median are `<g class="statistic" data-statistic="average|median" data-value>`.
public struct DistributionChart: SVGChart {
    /// The title: the SVG's `<title>` and, when ``showsTitle``, the heading drawn on the chart.
    public var title: String
    /// The values' name, written as `data-series`, e.g. `Services`.
    public var name: String
    /// One value per service.
    public var values: [Double]
    /// The width of a bin in value units (1 percentage point); widened when the data would need over 120 bins.
    public var binWidth: Double
    /// The x axis label, with units.
    public var xAxisLabel: String
    /// The y axis label.
    public var yAxisLabel: String
    /// Vertical lines at values, labelled above the plot; the SDG 10.c lines by default.
    public var referenceLines: [ReferenceLine]
    /// Whether the mean of the values is marked.
    public var showsAverage = true
    /// Whether the median of the values is marked.
    public var showsMedian = true
    /// How values read in labels and tooltips.
    public var valueFormat = ChartNumberFormat.percent
    /// Whether the x axis always shows 0.
    public var xStartsAtZero = true
    /// The `<desc>` text; `nil` describes the chart from its data.
    public var summary: String?
    /// Whether the title is drawn on the chart.
    public var showsTitle = true
    /// The `viewBox` width; the SVG scales to its container.
    public var width = 560.0
    /// The `viewBox` height.
    public var height = 360.0

    /// A distribution of `values` with the usual cost labels and the SDG 10.c lines.
    public init(title: String, name: String = "Services", values: [Double], binWidth: Double = 1,
                xAxisLabel: String = "Total cost (% of amount sent)", yAxisLabel: String = "Number of services",
                referenceLines: [ReferenceLine] = ReferenceLine.sdgTargets) {
        self.title = title
        self.name = name
        self.values = values
        self.binWidth = binWidth
        self.xAxisLabel = xAxisLabel
        self.yAxisLabel = yAxisLabel
        self.referenceLines = referenceLines
    }

    /// The bins: lower edge, upper edge and count, covering every finite value.
    func bins() -> [(from: Double, to: Double, count: Int)] {
        let data = values.filter(\.isFinite)
        guard let low = data.min(), let high = data.max() else { return [] }
        var width = binWidth.isFinite && binWidth > 0 ? binWidth : 1
        if !(high / width - low / width <= 120) {
            width = (high - low).isFinite ? NiceTicks(minimum: low, maximum: high, target: 60).step : high / 60 - low / 60
        }
        let start = (low / width).rounded(.down) * width
        func index(_ value: Double) -> Double { (value / width - start / width).rounded(.down) }
        let count = Int(min(max(index(high), 0), 999)) + 1
        var counts = Array(repeating: 0, count: count)
        for value in data { counts[Int(min(max(index(value), 0), Double(count - 1)))] += 1 }
        return counts.enumerated().map { (start + Double($0.offset) * width, start + Double($0.offset + 1) * width, $0.element) }
    }

    /// Average and median of the finite values, as the chart marks them.
    func statistics() -> [(kind: String, line: ReferenceLine)] {
        let data = values.filter(\.isFinite).sorted()
        guard !data.isEmpty else { return [] }
        var marks: [(kind: String, line: ReferenceLine)] = []
        if showsAverage {
            let mean = data.reduce(0, +) / Double(data.count)
            if mean.isFinite { marks.append(("average", ReferenceLine(value: mean, label: "Average \(valueFormat.string(mean))"))) }
        }
        if showsMedian {
            let middle = data.count / 2
            let median = data.count % 2 == 1 ? data[middle] : data[middle - 1] / 2 + data[middle] / 2
            marks.append(("median", ReferenceLine(value: median, label: "Median \(valueFormat.string(median))")))
        }
        return marks
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let data = values.filter(\.isFinite), bins = bins(), stats = statistics()
        let references = referenceLines.filter { $0.value.isFinite }
        let lines = references.map { ("reference", $0) } + stats.map { ($0.kind, $0.line) }
        let xs = (bins.first.map { [$0.from] } ?? []) + (bins.last.map { [$0.to] } ?? []) + lines.map(\.1.value)
            + (xStartsAtZero ? [0] : [])
        let yTicks = NiceTicks(minimum: 0, maximum: Double(bins.map(\.count).max() ?? 1), target: 4, minimumStep: 1)
        let left = 38 + (yTicks.values.map { SVGWriter.textWidth(yTicks.label($0)) }.max() ?? 0)
        let plotWidth = max(width - left - 24, 60)
        let xTicks = NiceTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, target: max(2, Int(plotWidth / 70)))
        let xScale = LinearScale(lower: xTicks.lower, upper: xTicks.upper, start: left, end: left + plotWidth)
        let rows = ChartParts.labelRows(lines.map { (xScale($0.1.value), $0.1.label) })
        let rowCount = Double((rows.max() ?? -1) + 1)
        let top = (showsTitle ? 40 : 12) + rowCount * 15 + (rowCount > 0 ? 4 : 0)
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: max(height - top - 52, 60))
        let rug = 10.0
        let yScale = LinearScale(lower: yTicks.lower, upper: yTicks.upper, start: frame.bottom - rug, end: frame.top)

        var svg = SVGWriter()
        if showsTitle { ChartParts.title(title, into: &svg) }
        ChartParts.yAxis(yTicks, scale: yScale, frame: frame, label: yAxisLabel, into: &svg)
        let tickLabels = ChartParts.numericTicks(xTicks, scale: xScale, spacing: plotWidth / Double(max(xTicks.values.count - 1, 1)))
        ChartParts.xAxis(tickLabels, frame: frame, label: xAxisLabel, into: &svg)
        svg.group(["class": "series", "data-series": name, "data-points": String(data.count)]) { g in
            for bin in bins where bin.count > 0 {
                let x0 = xScale(bin.from), x1 = xScale(bin.to)
                g.rect(x0, yScale(Double(bin.count)), x1 - x0, yScale(0) - yScale(Double(bin.count)),
                       ["class": "bin", "data-from": ChartNumberFormat.trimmed(bin.from, decimals: 6),
                        "data-to": ChartNumberFormat.trimmed(bin.to, decimals: 6), "data-count": String(bin.count),
                        "fill": SeriesStyle.palette[1], "fill-opacity": "0.8", "stroke": "#ffffff", "stroke-width": "1"])
            }
            for value in data {
                let x = xScale(value)
                g.line(x, frame.bottom - rug + 2, x, frame.bottom, ["class": "rug", "stroke": ChartParts.ink, "stroke-width": "1"])
            }
        }
        for ((kind, line), row) in zip(lines, rows) {
            let value = ChartNumberFormat.trimmed(line.value, decimals: 6)
            let attributes: KeyValuePairs<String, String> = kind == "reference"
                ? ["class": "reference-line", "data-value": value]
                : ["class": "statistic", "data-statistic": kind, "data-value": value]
            ChartParts.verticalLine(line, x: xScale(line.value), row: row, frame: frame, chartWidth: width, attributes: attributes,
                                    dash: kind == "reference" ? nil : kind == "average" ? "7 4" : "2 3", into: &svg)
        }
        if data.isEmpty { ChartParts.noData(in: frame, into: &svg) }
        return svg.document(kind: "distribution", width: width, height: frame.bottom + 52, title: title,
                            description: summary ?? describe(data.count, binWidth: bins.first.map { $0.to - $0.from } ?? binWidth, stats))
    }

    private func describe(_ count: Int, binWidth: Double, _ stats: [(kind: String, line: ReferenceLine)]) -> String {
        guard count > 0 else { return "Histogram of \(xAxisLabel). No data." }
        var text = "Histogram of \(xAxisLabel) for \(count) \(name.lowercased()), in bins of \(ChartNumberFormat.trimmed(binWidth, decimals: 6))."
        let marks = stats.map(\.line.label) + referenceLines.map(\.label)
        if !marks.isEmpty { text += " Marked: " + marks.joined(separator: "; ") + "." }
        return text
    }
}
