import Foundation

/// Escaping shared by the SVG charts and ``HTMLPage``: text that any XML parser accepts.
enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, and the control characters XML 1.0 forbids removed.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\t", "\n", "\r": out.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Attributes written as ` name="value"`, in order, every value escaped.
    static func attributes(_ pairs: KeyValuePairs<String, String>) -> String {
        pairs.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }
}

/// Locale-independent number text: `.` before decimals, `,` between thousands, never `nan` or `inf`.
public struct ChartNumberFormat: Sendable, Equatable {
    /// Digits after the decimal point (0 to 6).
    public var decimals: Int
    /// Text after the number, e.g. `" %"`.
    public var suffix: String
    /// Whether thousands are separated with `,`.
    public var groupsThousands: Bool

    /// A format with `decimals` digits, an optional suffix and thousands grouping.
    public init(decimals: Int = 2, suffix: String = "", groupsThousands: Bool = true) {
        self.decimals = min(max(decimals, 0), 6)
        self.suffix = suffix
        self.groupsThousands = groupsThousands
    }

    /// Percentages with two decimals: `6.42 %`.
    public static let percent = ChartNumberFormat(decimals: 2, suffix: " %")
    /// Amounts with two decimals and grouping: `1,250.00`.
    public static let amount = ChartNumberFormat(decimals: 2)

    /// `value` rounded half away from zero, or an empty string when it is NaN or infinite.
    public func string(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return Self.fixed(value, decimals: decimals, grouping: groupsThousands) + suffix
    }

    /// Fixed-point text without any locale; very large magnitudes fall back to Swift's own description.
    static func fixed(_ value: Double, decimals: Int, grouping: Bool) -> String {
        guard value.isFinite else { return "" }
        let decimals = min(max(decimals, 0), 9)
        let scale = pow(10, Double(decimals))
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return "\(value)" }
        let units = UInt64(scaled), divisor = UInt64(scale)
        let whole = String(units / divisor)
        var text = (value < 0 && units > 0 ? "-" : "") + (grouping ? Money.grouped(whole) : whole)
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// Up to `decimals` digits, trailing zeros dropped: `3`, `5.5`, `12.25`. Used for coordinates and `data-` values.
    static func trimmed(_ value: Double, decimals: Int = 2) -> String {
        var text = fixed(value.isFinite ? value : 0, decimals: decimals, grouping: false)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}

/// Appends SVG elements to a string; every attribute value and text passes through ``Markup/escape(_:)``.
struct SVGWriter {
    private(set) var body = ""

    /// A coordinate with at most two decimals.
    static func n(_ value: Double) -> String { ChartNumberFormat.trimmed(value) }

    mutating func open(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        body += "<\(tag)\(Markup.attributes(attributes))>\n"
    }

    mutating func close(_ tag: String) { body += "</\(tag)>\n" }

    /// A `<g>` around whatever `content` writes.
    mutating func group(_ attributes: KeyValuePairs<String, String>, _ content: (inout SVGWriter) -> Void) {
        open("g", attributes)
        content(&self)
        close("g")
    }

    mutating func empty(_ tag: String, _ geometry: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        body += "<\(tag) \(geometry)\(Markup.attributes(attributes))/>\n"
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
                       _ attributes: KeyValuePairs<String, String> = [:]) {
        let n = Self.n
        empty("line", "x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\"", attributes)
    }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double,
                       _ attributes: KeyValuePairs<String, String> = [:]) {
        let n = Self.n
        empty("rect", "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\"", attributes)
    }

    /// A `<text>` element; `tooltip` adds a `<title>` child, e.g. the full text of a shortened label.
    mutating func text(_ content: String, x: Double, y: Double, _ attributes: KeyValuePairs<String, String> = [:],
                       tooltip: String? = nil) {
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\"\(Markup.attributes(attributes))>"
        if let tooltip { body += "<title>\(Markup.escape(tooltip))</title>" }
        body += "\(Markup.escape(content))</text>\n"
    }

    /// A path whose `tooltip` (if any) becomes a `<title>` child.
    mutating func path(_ d: String, _ attributes: KeyValuePairs<String, String>, tooltip: String? = nil) {
        guard let tooltip else { return empty("path", "d=\"\(d)\"", attributes) }
        body += "<path d=\"\(d)\"\(Markup.attributes(attributes))><title>\(Markup.escape(tooltip))</title></path>\n"
    }

    /// The finished standalone `<svg>` element: scales to its container's width, labelled for screen readers.
    func document(kind: String, width: Double, height: Double, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"100%\""
            + " role=\"img\" class=\"remit-chart\"\(Markup.attributes(["data-chart": kind]))"
            + " font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\" font-size=\"13\">\n"
            + "<title>\(Markup.escape(title))</title>\n<desc>\(Markup.escape(description))</desc>\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body + "</svg>\n"
    }

    /// A rough width of `text` in pixels at `size`: enough to lay out labels without font metrics.
    static func textWidth(_ text: String, size: Double = 13) -> Double { Double(text.count) * size * 0.6 }
}
