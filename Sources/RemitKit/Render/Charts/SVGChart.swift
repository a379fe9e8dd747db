import Foundation

/// A chart that renders itself as one standalone, accessible `<svg>` element.
///
/// The SVG has `xmlns`, a `viewBox` and `width="100%"` (it scales to its container), `role="img"` with a
/// `<title>` and a `<desc>`, no scripts and no external resources, and parses as XML. Every series group is
/// `<g class="series" data-series="NAME">`; every reference line is `<g class="reference-line" data-value="3">`.
public protocol SVGChart: Sendable {
    /// The chart's title: its `<title>`, its accessible name and, when shown, the heading drawn on it.
    var title: String { get }
    /// The chart as a standalone `<svg>` element.
    func svg() -> String
}

/// A labelled line across a chart at one value: a cost target (3 %) or a break-even amount.
public struct ReferenceLine: Sendable, Equatable {
    /// Where the line is drawn, in the units of the axis it crosses.
    public var value: Double
    /// The text drawn beside the line, e.g. `SDG 10.c target 3 %`.
    public var label: String

    /// A line at `value` labelled `label`.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }

    /// The two SDG 10.c yardsticks: average costs below 3 %, no corridor above 5 %.
    public static let sdgTargets = [
        ReferenceLine(value: 3, label: "SDG 10.c target 3 %"),
        ReferenceLine(value: 5, label: "SDG 10.c corridor ceiling 5 %"),
    ]
}

/// The shape drawn at each point of a series.
public enum MarkerShape: String, Sendable, CaseIterable {
    /// Filled circle, square, triangles and diamond; open cross and plus.
    case circle, square, triangle, diamond, triangleDown, cross, plus

    /// An SVG path for the shape centred on (`x`, `y`), about `size` pixels across.
    func path(x: Double, y: Double, size: Double = 9) -> String {
        let r = size / 2, n = SVGWriter.n
        func poly(_ points: [(Double, Double)]) -> String {
            "M" + points.map { "\(n(x + $0.0 * r)) \(n(y + $0.1 * r))" }.joined(separator: " L") + " Z"
        }
        switch self {
        case .circle: return "M\(n(x - r)) \(n(y)) a\(n(r)) \(n(r)) 0 1 0 \(n(2 * r)) 0 a\(n(r)) \(n(r)) 0 1 0 \(n(-2 * r)) 0 Z"
        case .square: return poly([(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)])
        case .triangle: return poly([(0, -1.2), (1.1, 0.8), (-1.1, 0.8)])
        case .diamond: return poly([(0, -1.25), (1.1, 0), (0, 1.25), (-1.1, 0)])
        case .triangleDown: return poly([(0, 1.2), (1.1, -0.8), (-1.1, -0.8)])
        case .cross: return "M\(n(x - r)) \(n(y - r)) L\(n(x + r)) \(n(y + r)) M\(n(x - r)) \(n(y + r)) L\(n(x + r)) \(n(y - r))"
        case .plus: return "M\(n(x - r)) \(n(y)) L\(n(x + r)) \(n(y)) M\(n(x)) \(n(y - r)) L\(n(x)) \(n(y + r))"
        }
    }

    /// Whether the shape is drawn with strokes only (a cross or a plus has no inside to fill).
    var isOpen: Bool { self == .cross || self == .plus }
}

/// How one series looks. Series differ in all three of colour, dash pattern and marker,
/// so a chart still reads in greyscale or for colour-blind readers.
public struct SeriesStyle: Sendable, Equatable {
    /// A `#rrggbb` colour.
    public var color: String
    /// An SVG `stroke-dasharray`, or `nil` for a solid line.
    public var dash: String?
    /// The shape at each point.
    public var marker: MarkerShape

    /// Okabe–Ito colours (colour-blind safe) whose luminance spreads from black to orange; yellow and sky
    /// blue are left out (too light on white, too close to orange).
    public static let palette = ["#000000", "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7"]
    /// Dash patterns, one per series, solid first.
    public static let dashes: [String?] = [nil, "8 4", "2 3", "12 3 3 3", "5 5", "1 2"]

    /// The style of the series at `index` (0-based); from the seventh on, styles repeat in new combinations.
    public static func at(_ index: Int) -> SeriesStyle {
        let i = max(index, 0), shapes = MarkerShape.allCases
        return SeriesStyle(color: palette[i % palette.count], dash: dashes[(i + i / palette.count) % dashes.count],
                           marker: shapes[i % shapes.count])
    }
}
