import Foundation

/// Horizontal bars, one per category (e.g. firm types), with the value written at each bar's end, as an SVG.
///
/// ```swift
/// var chart = BarChart(title: "Average cost by firm type", valueAxisLabel: "Total cost (% of amount sent)",
///                      bars: [.init(label: "Bank", value: 9.81, annotation: "n = 12"),
///                             .init(label: "Money transfer operator", value: 5.2, annotation: "n = 31")])
/// chart.referenceLines = ReferenceLine.sdgTargets
/// let svg = chart.svg()
/// ```
///
/// Each bar is `<g class="series" data-series="LABEL" data-value="9.81">`; a bar without a (finite) value
/// reads "No data". Long labels are shortened with "…" and keep their full text as a tooltip.
public struct BarChart: SVGChart {
    /// One category's bar.
    public struct Bar: Sendable, Equatable {
        /// The category, drawn left of the bar.
        public var label: String
        /// The bar's length; `nil`, NaN or infinite for no data.
        public var value: Double?
        /// A note after the value, e.g. `n = 12`.
        public var annotation: String?

        /// A bar for `label` with `value` and an optional note.
        public init(label: String, value: Double?, annotation: String? = nil) {
            self.label = label
            self.value = value
            self.annotation = annotation
        }
    }

    /// The title: the SVG's `<title>` and, when ``showsTitle``, the heading drawn on the chart.
    public var title: String
    /// The label of the value axis (drawn below the bars), with units.
    public var valueAxisLabel: String
    /// The label of the category axis (drawn on the left), if any, e.g. `Firm type`.
    public var categoryAxisLabel: String?
    /// The bars, top to bottom.
    public var bars: [Bar]
    /// Vertical lines at values, labelled above the bars.
    public var referenceLines: [ReferenceLine]
    /// How values read at the bar ends.
    public var valueFormat = ChartNumberFormat.percent
    /// The bars' colour.
    public var barColor = SeriesStyle.palette[1]
    /// The `<desc>` text; `nil` describes the chart from its data.
    public var summary: String?
    /// Whether the title is drawn on the chart.
    public var showsTitle = true
    /// The `viewBox` width; the SVG scales to its container. The height follows from the number of bars.
    public var width = 560.0
    /// The height of one bar's row.
    public var rowHeight = 30.0

    /// A chart of `bars` with a value axis label and optional reference lines.
    public init(title: String, valueAxisLabel: String, categoryAxisLabel: String? = nil, bars: [Bar] = [],
                referenceLines: [ReferenceLine] = []) {
        self.title = title
        self.valueAxisLabel = valueAxisLabel
        self.categoryAxisLabel = categoryAxisLabel
        self.bars = bars
        self.referenceLines = referenceLines
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let values = bars.map { $0.value.flatMap { $0.isFinite ? $0 : nil } }
        let references = referenceLines.filter { $0.value.isFinite }
        let domain = values.compactMap { $0 } + references.map(\.value) + [0]
        let labelRoom = min(bars.map { SVGWriter.textWidth($0.label) }.max() ?? 0, width * 0.38)
        let left = 12 + labelRoom + 10 + (categoryAxisLabel == nil ? 0 : 22)
        let endTexts = bars.indices.map { endText(values[$0], bars[$0].annotation) }
        let right = 16 + (endTexts.map { SVGWriter.textWidth($0.value) + SVGWriter.textWidth($0.note, size: 12) + 8 }.max() ?? 0)
        let plotWidth = max(width - left - right, 60)
        let ticks = NiceTicks(minimum: domain.min() ?? 0, maximum: domain.max() ?? 1, target: max(2, Int(plotWidth / 90)))
        let scale = LinearScale(lower: ticks.lower, upper: ticks.upper, start: left, end: left + plotWidth)

        let rows = ChartParts.labelRows(references.map { (scale($0.value), $0.label) })
        let rowCount = Double((rows.max() ?? -1) + 1)
        let top = (showsTitle ? 40 : 12) + rowCount * 15 + (rowCount > 0 ? 8 : 0)
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: max(Double(bars.count), 2) * rowHeight)

        var svg = SVGWriter()
        if showsTitle { ChartParts.title(title, into: &svg) }
        svg.group(["class": "axis y-axis"]) { g in
            for value in ticks.values {
                g.line(scale(value), frame.top, scale(value), frame.bottom, ["stroke": ChartParts.grid, "stroke-width": "1"])
            }
            if let categoryAxisLabel {
                let y = frame.top + frame.height / 2
                g.text(categoryAxisLabel, x: 16, y: y, ["class": "axis-label", "text-anchor": "middle", "fill": ChartParts.ink,
                                                         "transform": "rotate(-90 16 \(SVGWriter.n(y)))"])
            }
        }
        let tickLabels = ChartParts.numericTicks(ticks, scale: scale, spacing: plotWidth / Double(max(ticks.values.count - 1, 1)))
        ChartParts.xAxis(tickLabels, frame: frame, label: valueAxisLabel, into: &svg)
        // Behind the bars: they show between rows, and never cross a value label.
        for (line, row) in zip(references, rows) {
            ChartParts.verticalLine(line, x: scale(line.value), row: row, frame: frame, chartWidth: width,
                                    attributes: ["class": "reference-line", "data-value": ChartNumberFormat.trimmed(line.value, decimals: 6)],
                                    dash: nil, into: &svg)
        }
        for (index, bar) in bars.enumerated() {
            drawBar(bar, value: values[index], end: endTexts[index], y: frame.top + Double(index) * rowHeight,
                    scale: scale, labelRoom: labelRoom, into: &svg)
        }
        svg.line(scale(0), frame.top, scale(0), frame.bottom, ["stroke": ChartParts.ink, "stroke-width": "1"])
        if bars.isEmpty { ChartParts.noData(in: frame, into: &svg) }
        return svg.document(kind: "bar", width: width, height: frame.bottom + 52, title: title, description: summary ?? describe(values))
    }

    private func endText(_ value: Double?, _ annotation: String?) -> (value: String, note: String) {
        (value.map(valueFormat.string) ?? "No data", annotation ?? "")
    }

    private func drawBar(_ bar: Bar, value: Double?, end: (value: String, note: String), y: Double, scale: LinearScale,
                         labelRoom: Double, into svg: inout SVGWriter) {
        let attributes: KeyValuePairs<String, String> = value.map {
            ["class": "series", "data-series": bar.label, "data-value": ChartNumberFormat.trimmed($0, decimals: 6)]
        } ?? ["class": "series", "data-series": bar.label]
        svg.group(attributes) { g in
            let middle = y + rowHeight / 2
            let (label, full) = Self.shortened(bar.label, width: labelRoom)
            g.text(label, x: scale.start - 10, y: middle + 4, ["class": "category", "text-anchor": "end", "fill": ChartParts.ink],
                   tooltip: full ? nil : bar.label)
            let zero = scale(0)
            var textX = zero + 6
            if let value {
                let end = scale(value)
                g.rect(min(zero, end), y + rowHeight * 0.18, abs(end - zero), rowHeight * 0.64, ["class": "bar", "fill": barColor])
                if value > 0 { textX = end + 6 }
            }
            g.text(end.value, x: textX, y: middle + 4, ["class": "value", "font-weight": "600", "fill": ChartParts.ink,
                                                                  "stroke": "#ffffff", "stroke-width": "3", "paint-order": "stroke"])
            if !end.note.isEmpty {
                g.text(end.note, x: textX + SVGWriter.textWidth(end.value) + 8, y: middle + 4,
                       ["class": "annotation", "font-size": "12", "fill": ChartParts.muted])
            }
        }
    }

    /// `text` cut to fit `width` with "…", and whether it was left whole.
    static func shortened(_ text: String, width: Double) -> (String, Bool) {
        guard SVGWriter.textWidth(text) > width else { return (text, true) }
        let keep = max(1, Int(width / SVGWriter.textWidth("x")) - 1)
        return (String(text.prefix(keep)) + "…", false)
    }

    private func describe(_ values: [Double?]) -> String {
        guard !bars.isEmpty else { return "Bar chart. \(valueAxisLabel). No data." }
        let items = zip(bars, values).map { "\($0.label): \($1.map(valueFormat.string) ?? "no data")" }
        var text = "Bar chart of \(valueAxisLabel). " + items.joined(separator: "; ") + "."
        if !referenceLines.isEmpty { text += " Reference lines: " + referenceLines.map(\.label).joined(separator: "; ") + "." }
        return text
    }
}
