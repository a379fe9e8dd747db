import Foundation

/// Round tick values 1, 2 or 5 × a power of ten apart that cover a range of data.
struct NiceTicks: Equatable {
    let lower: Double
    let upper: Double
    let step: Double
    let values: [Double]
    /// Decimals needed to write every tick exactly.
    let decimals: Int

    /// About `target` steps over `minimum`…`maximum`, never finer than `minimumStep` (1 for counts).
    init(minimum: Double, maximum: Double, target: Int = 5, minimumStep: Double = 0) {
        var lo = Swift.min(minimum, maximum), hi = Swift.max(minimum, maximum)
        if !lo.isFinite || !hi.isFinite || !(hi - lo).isFinite { (lo, hi) = (0, 1) }
        if hi - lo <= Swift.max(abs(hi), abs(lo)) * 1e-12 {
            if lo == 0 { hi = 1 } else { (lo, hi) = (lo - abs(lo) * 0.1, hi + abs(hi) * 0.1) }
        }
        let rough = (hi - lo) / Double(Swift.max(target, 1))
        let magnitude = pow(10, log10(rough).rounded(.down))
        let residual = rough / magnitude
        // The step nearest the rough one on a log scale (thresholds √2, √10, √50), as d3 does.
        let factor: Double = residual >= 7.07 ? 10 : residual >= 3.16 ? 5 : residual >= 1.41 ? 2 : 1
        let nice = Swift.max(factor * magnitude, minimumStep)
        let step = nice.isFinite && nice > 0 ? nice : 1
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        let count = Swift.min(Swift.max(Int(last - first), 1), 1000)
        self.step = step
        self.lower = first * step
        self.upper = (first + Double(count)) * step
        self.values = (0...count).map { (first + Double($0)) * step }
        self.decimals = Swift.max(0, Int((-log10(step) - 1e-9).rounded(.up)))
    }

    /// A tick's label: exact, grouped by thousands, locale-independent.
    func label(_ value: Double) -> String { ChartNumberFormat.fixed(value, decimals: decimals, grouping: true) }
}

/// A linear map from data values to SVG coordinates.
struct LinearScale {
    var lower: Double, upper: Double
    var start: Double, end: Double

    func callAsFunction(_ value: Double) -> Double {
        guard upper > lower else { return (start + end) / 2 }
        return start + (value - lower) / (upper - lower) * (end - start)
    }
}

/// The plot area inside a chart's margins.
struct PlotFrame {
    var left: Double, top: Double, width: Double, height: Double
    var right: Double { left + width }
    var bottom: Double { top + height }
}

/// Drawing shared by the charts: title, axes, grid, legend, reference lines, the "No data" note.
enum ChartParts {
    static let ink = "#1a1a1a", muted = "#555555", grid = "#e0e0e0", reference = "#4d4d4d"

    static func title(_ text: String, into svg: inout SVGWriter) {
        svg.text(text, x: 12, y: 24, ["class": "chart-title", "font-size": "16", "font-weight": "600", "fill": ink])
    }

    /// Horizontal grid lines, tick labels and the rotated axis label on the left of `frame`.
    static func yAxis(_ ticks: NiceTicks?, scale: LinearScale, frame: PlotFrame, label: String, into svg: inout SVGWriter) {
        svg.group(["class": "axis y-axis"]) { g in
            for value in ticks?.values ?? [] {
                let y = scale(value)
                g.line(frame.left, y, frame.right, y, ["stroke": grid, "stroke-width": "1"])
                g.text(ticks?.label(value) ?? "", x: frame.left - 6, y: y + 4, ["class": "tick", "text-anchor": "end", "fill": muted])
            }
            g.line(frame.left, frame.top, frame.left, frame.bottom, ["stroke": ink, "stroke-width": "1"])
            let x = 16.0, y = frame.top + frame.height / 2
            g.text(label, x: x, y: y, ["class": "axis-label", "text-anchor": "middle", "fill": ink,
                                       "transform": "rotate(-90 \(SVGWriter.n(x)) \(SVGWriter.n(y)))"])
        }
    }

    /// The x axis line, ticks at `positions` labelled `labels` (empty labels skipped), and the axis label.
    static func xAxis(_ labels: [(x: Double, text: String)], frame: PlotFrame, label: String, into svg: inout SVGWriter) {
        svg.group(["class": "axis x-axis"]) { g in
            g.line(frame.left, frame.bottom, frame.right, frame.bottom, ["stroke": ink, "stroke-width": "1"])
            for tick in labels {
                g.line(tick.x, frame.bottom, tick.x, frame.bottom + 5, ["stroke": ink, "stroke-width": "1"])
                if !tick.text.isEmpty {
                    g.text(tick.text, x: tick.x, y: frame.bottom + 18, ["class": "tick", "text-anchor": "middle", "fill": muted])
                }
            }
            g.text(label, x: frame.left + frame.width / 2, y: frame.bottom + 38,
                   ["class": "axis-label", "text-anchor": "middle", "fill": ink])
        }
    }

    /// Numeric tick labels, every `stride`-th one kept so that they do not overlap.
    static func numericTicks(_ ticks: NiceTicks, scale: LinearScale, spacing: Double) -> [(x: Double, text: String)] {
        let widest = ticks.values.map { SVGWriter.textWidth(ticks.label($0)) }.max() ?? 0
        let stride = Swift.max(1, Int(((widest + 10) / Swift.max(spacing, 1)).rounded(.up)))
        return ticks.values.enumerated().map { index, value in
            (scale(value), index % stride == 0 ? ticks.label(value) : "")
        }
    }

    /// The centred "No data" note.
    static func noData(in frame: PlotFrame, into svg: inout SVGWriter) {
        svg.text("No data", x: frame.left + frame.width / 2, y: frame.top + frame.height / 2,
                 ["class": "no-data", "text-anchor": "middle", "font-size": "16", "fill": muted])
    }

    /// A horizontal reference line across `frame`, its label with its baseline at `label`.
    static func horizontalReference(_ line: ReferenceLine, y: Double, label: (x: Double, y: Double, anchor: String),
                                    frame: PlotFrame, into svg: inout SVGWriter) {
        svg.group(["class": "reference-line", "data-value": ChartNumberFormat.trimmed(line.value, decimals: 6)]) { g in
            g.line(frame.left, y, frame.right, y, ["stroke": reference, "stroke-width": "1.5"])
            g.text(line.label, x: label.x, y: label.y, ["text-anchor": label.anchor, "fill": ink, "stroke": "#ffffff",
                                                          "stroke-width": "3", "paint-order": "stroke"])
        }
    }

    /// Label rows for vertical lines at `xs`: each label goes on the first row where it overlaps no other.
    static func labelRows(_ items: [(x: Double, label: String)]) -> [Int] {
        var taken: [[ClosedRange<Double>]] = []
        return items.map { item in
            let half = SVGWriter.textWidth(item.label) / 2 + 6
            let span = (item.x - half)...(item.x + half)
            let row = taken.firstIndex { $0.allSatisfy { !$0.overlaps(span) } } ?? taken.count
            if row == taken.count { taken.append([]) }
            taken[row].append(span)
            return row
        }
    }

    /// A vertical line through `frame` at `x`, its label above the plot on label row `row` (rows go upwards).
    static func verticalLine(_ line: ReferenceLine, x: Double, row: Int, frame: PlotFrame, chartWidth: Double,
                             attributes: KeyValuePairs<String, String>, dash: String?, into svg: inout SVGWriter) {
        svg.group(attributes) { g in
            g.line(x, frame.top, x, frame.bottom, ["stroke": reference, "stroke-width": "1.5", "stroke-dasharray": dash ?? "none"])
            let half = SVGWriter.textWidth(line.label) / 2
            let labelX = Swift.min(Swift.max(x, half + 4), chartWidth - half - 4)
            g.text(line.label, x: labelX, y: frame.top - 6 - Double(row) * 15, ["text-anchor": "middle", "fill": ink])
        }
    }

    /// Legend rows for `names` within `width`: entries of a swatch and a name, wrapped.
    static func legendRows(_ names: [String], width: Double) -> [[Int]] {
        var rows: [[Int]] = [], used = 0.0
        for (index, name) in names.enumerated() {
            let entry = 44 + SVGWriter.textWidth(name) + 18
            if rows.isEmpty || used + entry > width { rows.append([]); used = 0 }
            rows[rows.count - 1].append(index)
            used += entry
        }
        return rows
    }

    /// The legend: a line swatch with its dash and marker, then the series name, one row after another.
    static func legend(_ names: [String], rows: [[Int]], x: Double, y: Double, into svg: inout SVGWriter) {
        svg.group(["class": "legend"]) { g in
            for (rowIndex, row) in rows.enumerated() {
                var left = x
                let top = y + Double(rowIndex) * 20
                for index in row {
                    let style = SeriesStyle.at(index)
                    g.group(["class": "legend-entry", "data-series": names[index]]) { e in
                        e.line(left, top, left + 36, top, ["stroke": style.color, "stroke-width": "2.5",
                                                           "stroke-dasharray": style.dash ?? "none"])
                        marker(style, x: left + 18, y: top, tooltip: nil, className: "legend-marker", into: &e)
                        e.text(names[index], x: left + 44, y: top + 4, ["fill": ink])
                    }
                    left += 44 + SVGWriter.textWidth(names[index]) + 18
                }
            }
        }
    }

    /// One point marker in `style`.
    static func marker(_ style: SeriesStyle, x: Double, y: Double, tooltip: String?, className: String = "point",
                       into svg: inout SVGWriter) {
        let d = style.marker.path(x: x, y: y)
        if style.marker.isOpen {
            svg.path(d, ["class": className, "fill": "none", "stroke": style.color, "stroke-width": "2"], tooltip: tooltip)
        } else {
            svg.path(d, ["class": className, "fill": style.color, "stroke": "#ffffff", "stroke-width": "1"], tooltip: tooltip)
        }
    }
}
