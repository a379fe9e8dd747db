import Foundation

/// A line chart of named series over survey periods (categories) or amounts (numbers), as an SVG.
///
/// ```swift
/// var chart = LineChart(title: "Average cost by firm type", xAxisLabel: "Survey period",
///                       yAxisLabel: "Total cost (% of amount sent)", xAxis: .categories(["2024_1Q", "2024_2Q"]))
/// chart.series = [.init(name: "Bank", values: [9.1, nil]), .init(name: "MTO", values: [5.2, 4.9])]
/// chart.referenceLines = ReferenceLine.sdgTargets
/// let svg = chart.svg()
/// ```
///
/// A `nil`, NaN or infinite y breaks the line. A point whose x is not finite (or, on a categorical axis, not
/// a category's index) is left out. Each series is `<g class="series" data-series="NAME" data-points="N">`
/// holding one `<path class="line">` per unbroken run of two or more points and `<path class="point">` markers.
public struct LineChart: SVGChart {
    /// How the x axis places points.
    public enum XAxis: Sendable, Equatable {
        /// Evenly spaced labels, thinned out when crowded; a point's x is its category's 0-based index.
        case categories([String])
        /// A linear scale with round (1-2-5) ticks, e.g. amounts sent.
        case numeric
    }

    /// One point of a series; a `nil` y is a gap.
    public struct Point: Sendable, Equatable {
        /// The amount, or the category index on a categorical axis.
        public var x: Double
        /// The value, or `nil` for none.
        public var y: Double?

        /// A point at (`x`, `y`).
        public init(x: Double, y: Double?) {
            self.x = x
            self.y = y
        }
    }

    /// A named line.
    public struct Series: Sendable, Equatable {
        /// The name shown in the legend and written as `data-series`.
        public var name: String
        /// The points, in any order on a numeric axis (they are sorted by x).
        public var points: [Point]

        /// A series of `points`.
        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }

        /// A series over categories: `values[i]` is the value at category `i`, `nil` for none.
        public init(name: String, values: [Double?]) {
            self.init(name: name, points: values.enumerated().map { Point(x: Double($0.offset), y: $0.element) })
        }
    }

    /// The title: the SVG's `<title>` and, when ``showsTitle``, the heading drawn on the chart.
    public var title: String
    /// The x axis label, with units, e.g. `Survey period` or `Amount sent (USD)`.
    public var xAxisLabel: String
    /// The y axis label, with units, e.g. `Total cost (% of amount sent)`.
    public var yAxisLabel: String
    /// Categories or numbers along x.
    public var xAxis: XAxis
    /// The lines, styled in order by ``SeriesStyle/at(_:)``.
    public var series: [Series]
    /// Horizontal lines at y values, e.g. ``ReferenceLine/sdgTargets``.
    public var referenceLines: [ReferenceLine]
    /// Vertical lines at x values (category indexes on a categorical axis), labelled above the plot.
    public var verticalMarkers: [ReferenceLine]
    /// How y values read in point tooltips.
    public var valueFormat = ChartNumberFormat.percent
    /// How numeric x values read in point tooltips.
    public var xFormat = ChartNumberFormat.amount
    /// Whether the y axis always shows 0.
    public var yStartsAtZero = true
    /// The top of the y axis, if fixed: higher values are left out as gaps, so that a cost curve's
    /// first amounts (often 50 % and more) do not flatten the rest.
    public var yAxisMaximum: Double?
    /// The `<desc>` text; `nil` describes the chart from its data.
    public var summary: String?
    /// Whether the title is drawn on the chart (turn off when a figure caption repeats it).
    public var showsTitle = true
    /// The most markers drawn per series; longer series get a marker every few points.
    public var maximumMarkers = 24
    /// The `viewBox` width; the SVG scales to its container.
    public var width = 560.0
    /// The `viewBox` height.
    public var height = 400.0

    /// A chart with axis labels, an x axis kind and optional series and lines.
    public init(title: String, xAxisLabel: String, yAxisLabel: String, xAxis: XAxis = .numeric, series: [Series] = [],
                referenceLines: [ReferenceLine] = [], verticalMarkers: [ReferenceLine] = []) {
        self.title = title
        self.xAxisLabel = xAxisLabel
        self.yAxisLabel = yAxisLabel
        self.xAxis = xAxis
        self.series = series
        self.referenceLines = referenceLines
        self.verticalMarkers = verticalMarkers
    }

    private var categories: [String]? {
        if case let .categories(labels) = xAxis { return labels }
        return nil
    }

    /// The finite ``yAxisMaximum``, or infinity.
    private var yCap: Double { yAxisMaximum.flatMap { $0.isFinite ? $0 : nil } ?? .infinity }

    private func onAxis(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        guard let categories else { return true }
        return x >= 0 && x < Double(categories.count) && x == x.rounded()
    }

    /// The points that can be drawn: x on the axis, non-finite y turned into gaps, sorted by x on a numeric axis.
    private var cleanSeries: [[Point]] {
        series.map { line in
            let points = line.points.filter { onAxis($0.x) }.map { point in
                Point(x: point.x, y: point.y.flatMap { $0.isFinite && $0 <= yCap ? $0 : nil })
            }
            return categories == nil ? points.sorted { $0.x < $1.x } : points
        }
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let lines = cleanSeries
        let ys = lines.flatMap { $0.compactMap(\.y) }
        let references = referenceLines.filter { $0.value.isFinite && $0.value <= yCap }
        let markers = verticalMarkers.filter { onAxis($0.value) }
        let yValues = ys + references.map(\.value) + (yStartsAtZero ? [0] : []) + (yCap.isFinite ? [yCap] : [])
        let yTicks = NiceTicks(minimum: yValues.min() ?? 0, maximum: yValues.max() ?? 1, target: max(2, Int(height / 80)))
        let left = 38 + (yTicks.values.map { SVGWriter.textWidth(yTicks.label($0)) }.max() ?? 0)
        let plotWidth = max(width - left - 24, 40)

        let (xScale, xTicks) = xAxisLayout(lines, markers: markers, left: left, plotWidth: plotWidth)
        let markerRows = ChartParts.labelRows(markers.map { (xScale($0.value), $0.label) })
        let labelRowCount = Double((markerRows.max() ?? -1) + 1)
        let top = (showsTitle ? 40 : 14) + labelRowCount * 15 + (labelRowCount > 0 ? 4 : 0)
        let legendRows = series.count > 1 ? ChartParts.legendRows(series.map(\.name), width: width - 24) : []
        let bottom = 52 + (legendRows.isEmpty ? 0 : Double(legendRows.count) * 20 + 6)
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: max(height - top - bottom, 60))
        let yScale = LinearScale(lower: yTicks.lower, upper: yTicks.upper, start: frame.bottom, end: frame.top)

        var svg = SVGWriter()
        if showsTitle { ChartParts.title(title, into: &svg) }
        ChartParts.yAxis(yTicks, scale: yScale, frame: frame, label: yAxisLabel, into: &svg)
        ChartParts.xAxis(xTicks, frame: frame, label: xAxisLabel, into: &svg)
        let drawn = lines.map { Self.runs($0).map { $0.map { (x: xScale($0.x), y: yScale($0.y ?? 0)) } } }.flatMap { $0 }
        for line in references {
            let y = yScale(line.value)
            let label = Self.referenceLabel(line.label, y: y, frame: frame, avoiding: drawn)
            ChartParts.horizontalReference(line, y: y, label: label, frame: frame, into: &svg)
        }
        for (marker, row) in zip(markers, markerRows) {
            ChartParts.verticalLine(marker, x: xScale(marker.value), row: row, frame: frame, chartWidth: width,
                                    attributes: ["class": "vertical-marker", "data-value": ChartNumberFormat.trimmed(marker.value, decimals: 6)],
                                    dash: "4 3", into: &svg)
        }
        for (index, points) in lines.enumerated() {
            drawSeries(index: index, points: points, x: xScale, y: yScale, into: &svg)
        }
        if !legendRows.isEmpty {
            ChartParts.legend(series.map(\.name), rows: legendRows, x: 12, y: frame.bottom + 62, into: &svg)
        }
        if ys.isEmpty { ChartParts.noData(in: frame, into: &svg) }
        return svg.document(kind: "line", width: width, height: frame.bottom + bottom, title: title, description: summary ?? describe(lines))
    }

    /// The x scale and tick labels: categories thinned out to fit, or round numbers over the data and markers.
    private func xAxisLayout(_ lines: [[Point]], markers: [ReferenceLine], left: Double,
                             plotWidth: Double) -> (LinearScale, [(x: Double, text: String)]) {
        if let categories {
            let scale = LinearScale(lower: -0.5, upper: Double(categories.count) - 0.5, start: left, end: left + plotWidth)
            let spacing = plotWidth / Double(max(categories.count, 1))
            let widest = categories.map { SVGWriter.textWidth($0) }.max() ?? 0
            let stride = max(1, Int(((widest + 12) / spacing).rounded(.up)))
            return (scale, categories.enumerated().map { (scale(Double($0.offset)), $0.offset % stride == 0 ? $0.element : "") })
        }
        let xs = lines.flatMap { $0.filter { $0.y != nil }.map(\.x) } + markers.map(\.value)
        let ticks = NiceTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, target: max(2, Int(plotWidth / 90)))
        let scale = LinearScale(lower: ticks.lower, upper: ticks.upper, start: left, end: left + plotWidth)
        return (scale, ChartParts.numericTicks(ticks, scale: scale, spacing: plotWidth / Double(max(ticks.values.count - 1, 1))))
    }

    private func drawSeries(index: Int, points: [Point], x: LinearScale, y: LinearScale, into svg: inout SVGWriter) {
        let style = SeriesStyle.at(index), name = series[index].name
        let plotted = points.filter { $0.y != nil }
        svg.group(["class": "series", "data-series": name, "data-points": String(plotted.count)]) { g in
            for run in Self.runs(points) where run.count > 1 {
                let d = run.enumerated().map { offset, point in
                    (offset == 0 ? "M" : "L") + "\(SVGWriter.n(x(point.x))) \(SVGWriter.n(y(point.y ?? 0)))"
                }.joined(separator: " ")
                g.path(d, ["class": "line", "fill": "none", "stroke": style.color, "stroke-width": "2.5",
                           "stroke-dasharray": style.dash ?? "none", "stroke-linejoin": "round"])
            }
            let stride = max(1, Int((Double(plotted.count) / Double(max(maximumMarkers, 1))).rounded(.up)))
            for (offset, point) in plotted.enumerated() where (offset + index) % stride == 0 {
                guard let value = point.y else { continue }
                let xText = categories.map { $0[Int(point.x)] } ?? xFormat.string(point.x)
                ChartParts.marker(style, x: x(point.x), y: y(value), tooltip: "\(name), \(xText): \(valueFormat.string(value))", into: &g)
            }
        }
    }

    /// The unbroken runs of `points`, split at gaps.
    static func runs(_ points: [Point]) -> [[Point]] {
        var runs: [[Point]] = [[]]
        for point in points {
            if point.y == nil { runs.append([]) } else { runs[runs.count - 1].append(point) }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// Where a reference line's label crosses the fewest drawn lines: at the right or left end, above or below.
    static func referenceLabel(_ text: String, y: Double, frame: PlotFrame,
                               avoiding runs: [[(x: Double, y: Double)]]) -> (x: Double, y: Double, anchor: String) {
        let width = SVGWriter.textWidth(text)
        let spots: [(x: Double, y: Double, anchor: String)] = [(frame.right - 4, y - 5, "end"), (frame.right - 4, y + 15, "end"),
                     (frame.left + 6, y - 5, "start"), (frame.left + 6, y + 15, "start")]
        func crossings(_ spot: (x: Double, y: Double, anchor: String)) -> Int {
            let x0 = spot.anchor == "end" ? spot.x - width : spot.x, x1 = x0 + width
            let y0 = spot.y - 12, y1 = spot.y + 3
            guard y0 >= frame.top - 2, y1 <= frame.bottom else { return Int.max }
            var count = 0
            for run in runs {
                count += run.filter { $0.x >= x0 - 5 && $0.x <= x1 + 5 && $0.y >= y0 - 5 && $0.y <= y1 + 5 }.count
                for (a, b) in zip(run, run.dropFirst()) {
                    let low = max(x0, min(a.x, b.x)), high = min(x1, max(a.x, b.x))
                    guard low <= high else { continue }
                    count += (0...8).filter { step in
                        let x = low + (high - low) * Double(step) / 8
                        let t = b.x == a.x ? 0 : (x - a.x) / (b.x - a.x)
                        return (y0...y1).contains(a.y + t * (b.y - a.y))
                    }.count
                }
            }
            return count
        }
        let scored = spots.map { (spot: $0, crossings: crossings($0)) }
        return scored.min { $0.crossings < $1.crossings }?.spot ?? spots[0]
    }

    private func describe(_ lines: [[Point]]) -> String {
        var text = "Line chart. Horizontal axis: \(xAxisLabel)"
        if let categories, let first = categories.first, let last = categories.last {
            text += ", \(categories.count) categories from \(first) to \(last)"
        }
        text += ". Vertical axis: \(yAxisLabel). "
        let counts = lines.map { $0.filter { $0.y != nil }.count }
        if counts.allSatisfy({ $0 == 0 }) { text += "No data." } else {
            text += "Series: " + zip(series, counts).map { "\($0.name) (\($1) points)" }.joined(separator: "; ") + "."
        }
        if !referenceLines.isEmpty { text += " Reference lines: " + referenceLines.map(\.label).joined(separator: "; ") + "." }
        if !verticalMarkers.isEmpty { text += " Markers: " + verticalMarkers.map(\.label).joined(separator: "; ") + "." }
        return text
    }
}
