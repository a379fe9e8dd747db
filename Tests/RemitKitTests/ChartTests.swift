import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RemitKit

/// An element of a parsed XML document, for checking the charts' and pages' markup.
final class ParsedElement {
    let name: String
    let attributes: [String: String]
    var children: [ParsedElement] = []
    var ownText = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and every element below it, in document order.
    var all: [ParsedElement] { [self] + children.flatMap(\.all) }
    /// The text of this element and its descendants, without the line breaks between elements at either end.
    var text: String { rawText.trimmingCharacters(in: .whitespacesAndNewlines) }
    private var rawText: String { ownText + children.map(\.rawText).joined() }
    /// The element's classes.
    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    /// Every element named `name` at or below this one.
    func elements(_ name: String) -> [ParsedElement] { all.filter { $0.name == name } }
    /// Every element with class `name` at or below this one.
    func elements(class name: String) -> [ParsedElement] { all.filter { $0.classes.contains(name) } }

    /// Parses `markup` with Foundation's XMLParser; throws when it is not well-formed.
    static func parse(_ markup: String) throws -> ParsedElement {
        let parser = XMLParser(data: Data(markup.utf8))
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw XMLError(message: parser.parserError.map { "\($0)" } ?? "no root element",
                           line: parser.lineNumber)
        }
        return root
    }

    struct XMLError: Error { let message: String; let line: Int }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [ParsedElement] = []
        var root: ParsedElement?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let element = ParsedElement(name: elementName, attributes: attributeDict)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.ownText += string }
    }
}

@Suite("SVG charts")
struct ChartTests {
    static let periods = ["2023_1Q", "2023_2Q", "2023_3Q", "2023_4Q", "2024_1Q", "2024_2Q"]

    static func trendChart() -> LineChart {
        LineChart(title: "Average total cost by firm type", xAxisLabel: "Survey period",
                  yAxisLabel: "Total cost (% of amount sent)", xAxis: .categories(periods),
                  series: [.init(name: "Bank", values: [10.2, 9.8, 9.9, 9.1, 8.7, 8.8]),
                           .init(name: "Money transfer operator", values: [6.1, 5.9, 5.8, 5.6, 5.1, 4.9]),
                           .init(name: "Post office", values: [7.5, 7.4, 7.0, 6.6, 6.8, 6.2])],
                  referenceLines: ReferenceLine.sdgTargets)
    }

    static func series(_ root: ParsedElement) -> [ParsedElement] { root.elements(class: "series") }

    @Test("A line chart is a standalone, accessible SVG with its series, axis labels, lines and legend")
    func lineChartStructure() throws {
        let svg = Self.trendChart().svg()
        let root = try ParsedElement.parse(svg)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["viewBox"]?.hasPrefix("0 0 560 400") == true)
        #expect(root.attributes["width"] == "100%")
        #expect(root.attributes["role"] == "img")
        #expect(root.children.first?.name == "title")
        #expect(root.children.first?.text == "Average total cost by firm type")
        #expect(root.children.dropFirst().first?.name == "desc")
        #expect(root.children.dropFirst().first?.text.contains("Money transfer operator (6 points)") == true)

        let groups = Self.series(root)
        #expect(groups.map { $0.attributes["data-series"] } == ["Bank", "Money transfer operator", "Post office"])
        for group in groups {
            #expect(group.elements(class: "point").count == 6)
            #expect(group.attributes["data-points"] == "6")
            #expect(group.elements(class: "line").count == 1)
        }
        let references = root.elements(class: "reference-line")
        #expect(references.map { $0.attributes["data-value"] } == ["3", "5"])
        #expect(references.map(\.text) == ["SDG 10.c target 3 %", "SDG 10.c corridor ceiling 5 %"])
        let axisLabels = root.elements(class: "axis-label").map(\.text)
        #expect(axisLabels.sorted() == ["Survey period", "Total cost (% of amount sent)"])
        #expect(root.elements(class: "legend-entry").map { $0.attributes["data-series"] }
            == ["Bank", "Money transfer operator", "Post office"])
        #expect(!svg.contains("<script") && !svg.contains("href"))
    }

    @Test("Series differ in colour, dash and marker, and the colours differ in luminance")
    func distinguishableStyles() {
        let styles = (0..<6).map(SeriesStyle.at)
        #expect(Set(styles.map(\.color)).count == 6)
        #expect(Set(styles.map { $0.dash ?? "solid" }).count == 6)
        #expect(Set(styles.map(\.marker)).count == 6)
        func luminance(_ hex: String) -> Double {
            let value = Int(hex.dropFirst(), radix: 16) ?? 0
            func channel(_ shift: Int) -> Double {
                let c = Double((value >> shift) & 0xFF) / 255
                return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
        }
        let levels = SeriesStyle.palette.map(luminance).sorted()
        for (a, b) in zip(levels, levels.dropFirst()) { #expect(b - a > 0.03) }
        #expect(levels.last ?? 1 < 0.5, "every colour stays dark enough to see on white")
        // The first three series span dark, middle and light.
        #expect(luminance(styles[2].color) - luminance(styles[0].color) > 0.3)
    }

    @Test("Every text is escaped: the SVG parses and gives back the names as written")
    func escaping() throws {
        let name = "A & B <x> \"quoted\" 'single'"
        let chart = LineChart(title: "Costs \"<&>\"", xAxisLabel: "Amount sent (USD) <&>", yAxisLabel: "Total cost (% of amount sent)",
                              series: [.init(name: name, points: [.init(x: 100, y: 4), .init(x: 200, y: 3)]),
                                       .init(name: "Other", points: [.init(x: 100, y: 5)])],
                              referenceLines: [.init(value: 3, label: "Target <3 %> & more")])
        let svg = chart.svg()
        let root = try ParsedElement.parse(svg)
        #expect(Self.series(root).first?.attributes["data-series"] == name)
        #expect(root.elements("title").first?.text == "Costs \"<&>\"")
        #expect(root.elements(class: "axis-label").contains { $0.text == "Amount sent (USD) <&>" })
        #expect(root.elements(class: "reference-line").first?.text == "Target <3 %> & more")
        #expect(svg.contains("A &amp; B &lt;x&gt; &quot;quoted&quot; &#39;single&#39;"))
        #expect(!svg.contains("<x>"))
    }

    @Test("A nil value breaks the line into two segments")
    func gaps() throws {
        var chart = Self.trendChart()
        chart.series = [.init(name: "Bank", values: [10, 9.5, nil, 9, 8.5, 8])]
        let root = try ParsedElement.parse(chart.svg())
        let group = try #require(Self.series(root).first)
        #expect(group.elements(class: "line").count == 2)
        #expect(group.elements(class: "point").count == 5)
        #expect(group.elements(class: "line").allSatisfy { ($0.attributes["d"] ?? "").filter { $0 == "M" }.count == 1 })
    }

    @Test("NaN and infinite values are skipped, never written")
    func nonFinite() throws {
        var chart = Self.trendChart()
        chart.series = [.init(name: "Bank", values: [4, .nan, 6, .infinity, 5, -.infinity])]
        chart.referenceLines = [.init(value: .nan, label: "broken"), .init(value: 3, label: "SDG")]
        let svg = chart.svg()
        let root = try ParsedElement.parse(svg)
        #expect(Self.series(root).first?.elements(class: "point").count == 3)
        #expect(Self.series(root).first?.attributes["data-points"] == "3")
        #expect(root.elements(class: "reference-line").map { $0.attributes["data-value"] } == ["3"])
        #expect(svg.range(of: "nan", options: .caseInsensitive) == nil)
        #expect(svg.range(of: "inf", options: .caseInsensitive) == nil)

        let bars = BarChart(title: "Bars", valueAxisLabel: "Cost", bars: [.init(label: "X", value: .nan), .init(label: "Y", value: 2)])
        let barSVG = bars.svg()
        #expect(try ParsedElement.parse(barSVG).elements(class: "bar").count == 1)
        #expect(barSVG.range(of: "nan", options: .caseInsensitive) == nil)

        let distribution = DistributionChart(title: "Spread", values: [1, .nan, 2, .infinity])
        let distributionSVG = distribution.svg()
        #expect(try ParsedElement.parse(distributionSVG).elements(class: "rug").count == 2)
        #expect(distributionSVG.range(of: "nan", options: .caseInsensitive) == nil)
        #expect(distributionSVG.range(of: "inf", options: .caseInsensitive) == nil)
    }

    @Test("Extreme values neither crash nor write nan or inf")
    func extremes() throws {
        let charts: [any SVGChart] = [
            LineChart(title: "Huge", xAxisLabel: "Amount sent (USD)", yAxisLabel: "Cost",
                      series: [.init(name: "A", points: [.init(x: -1e308, y: 1e308), .init(x: 1e308, y: -1e308), .init(x: 0, y: .leastNonzeroMagnitude)])],
                      referenceLines: ReferenceLine.sdgTargets, verticalMarkers: [.init(value: 1e308, label: "far")]),
            LineChart(title: "Tiny", xAxisLabel: "Amount sent (USD)", yAxisLabel: "Cost",
                      series: [.init(name: "A", points: [.init(x: 1, y: .leastNonzeroMagnitude * 2000), .init(x: 2, y: 0)])]),
            DistributionChart(title: "Huge", values: [1e300, -1e300, 0]),
            DistributionChart(title: "Tiny bins", values: [1e-300, 2e-300], binWidth: .leastNormalMagnitude / 100),
            DistributionChart(title: "Bad bins", values: [1, 2], binWidth: -.infinity),
            BarChart(title: "Huge", valueAxisLabel: "Cost", bars: [.init(label: "A", value: -1e308), .init(label: "B", value: 1e308)]),
        ]
        for chart in charts {
            let svg = chart.svg()
            #expect(throws: Never.self) { try ParsedElement.parse(svg) }
            #expect(svg.range(of: "nan", options: .caseInsensitive) == nil)
            #expect(svg.range(of: "inf", options: .caseInsensitive) == nil)
        }
        #expect(DistributionChart(title: "Huge", values: [1e300, -1e300, 0]).bins().map(\.count).reduce(0, +) == 3)
    }

    @Test("Empty charts render a well-formed SVG with a No data note")
    func emptyCharts() throws {
        let charts: [any SVGChart] = [
            LineChart(title: "Empty", xAxisLabel: "Survey period", yAxisLabel: "Total cost (% of amount sent)"),
            LineChart(title: "No values", xAxisLabel: "Survey period", yAxisLabel: "Cost", xAxis: .categories([]),
                      series: [.init(name: "Bank", values: [nil, nil])]),
            BarChart(title: "Empty", valueAxisLabel: "Total cost (% of amount sent)"),
            DistributionChart(title: "Empty", values: []),
        ]
        for chart in charts {
            let root = try ParsedElement.parse(chart.svg())
            #expect(root.elements(class: "no-data").map(\.text) == ["No data"])
            #expect(root.elements(class: "point").isEmpty && root.elements(class: "bar").isEmpty && root.elements(class: "bin").isEmpty)
        }
        let full = try ParsedElement.parse(Self.trendChart().svg())
        #expect(full.elements(class: "no-data").isEmpty)
    }

    @Test("Ticks are round: 1, 2 or 5 times a power of ten, covering the data", arguments: [
        (0.0, 9.6, 2.0, 0.0, 10.0), (0.0, 1.0, 0.2, 0.0, 1.0), (120.0, 980.0, 200.0, 0.0, 1000.0),
        (0.0, 12.3, 2.0, 0.0, 14.0), (-0.4, 3.2, 1.0, -1.0, 4.0), (7.0, 7.0, 0.2, 6.2, 7.8),
    ])
    func niceTicks(minimum: Double, maximum: Double, step: Double, lower: Double, upper: Double) {
        let ticks = NiceTicks(minimum: minimum, maximum: maximum, target: 5)
        #expect(abs(ticks.step - step) < 1e-9)
        #expect(abs(ticks.lower - lower) < 1e-9 && abs(ticks.upper - upper) < 1e-9)
        #expect(ticks.values.count == Int(((upper - lower) / step).rounded()) + 1)
    }

    @Test("A reference line's label moves off the data: below the line when a series runs just above it")
    func referenceLabelPlacement() {
        let frame = PlotFrame(left: 0, top: 0, width: 400, height: 300)
        let above = [(x: 0.0, y: 95.0), (x: 400.0, y: 95.0)]
        let clear = LineChart.referenceLabel("SDG 10.c target 3 %", y: 200, frame: frame, avoiding: [above])
        #expect(clear.anchor == "end" && clear.y == 195)
        let moved = LineChart.referenceLabel("SDG 10.c target 3 %", y: 100, frame: frame, avoiding: [above])
        #expect(moved.anchor == "end" && moved.y == 115)
        let rightBusy = [(x: 200.0, y: 110.0), (x: 400.0, y: 110.0), (x: 200.0, y: 93.0), (x: 400.0, y: 93.0)]
        let left = LineChart.referenceLabel("SDG 10.c target 3 %", y: 100, frame: frame, avoiding: [Array(rightBusy[0...1]), Array(rightBusy[2...3])])
        #expect(left.anchor == "start")
    }

    @Test("Numeric x axis: round tick labels, break-even markers with their values")
    func numericAxis() throws {
        let amounts = stride(from: 50.0, through: 1000, by: 10).map { $0 }
        let chart = LineChart(title: "Cost curve", xAxisLabel: "Amount sent (USD)", yAxisLabel: "Total cost (% of amount sent)",
                              series: [.init(name: "Bank", points: amounts.map { .init(x: $0, y: 15 / $0 * 100 + 1) }),
                                       .init(name: "MTO", points: amounts.map { .init(x: $0, y: 4 / $0 * 100 + 2.5) })],
                              verticalMarkers: [.init(value: 240, label: "Break-even USD 240")])
        let root = try ParsedElement.parse(chart.svg())
        let xTicks = try #require(root.elements(class: "x-axis").first).elements(class: "tick").map(\.text)
        let values = xTicks.compactMap { Double($0.replacingOccurrences(of: ",", with: "")) }
        #expect(values.count == xTicks.count && values.count >= 3)
        let steps = Set(zip(values, values.dropFirst()).map { $1 - $0 })
        #expect(steps.count == 1)
        #expect(steps.first.map { [100.0, 200, 250, 500].contains($0) } == true)
        #expect(xTicks.contains("1,000"))
        let markers = root.elements(class: "vertical-marker")
        #expect(markers.map { $0.attributes["data-value"] } == ["240"])
        #expect(markers.first?.text == "Break-even USD 240")
        // 96 points: markers are thinned, the line keeps every point.
        let bank = try #require(Self.series(root).first)
        #expect(bank.attributes["data-points"] == "96")
        #expect((1...24).contains(bank.elements(class: "point").count))
        #expect(bank.elements(class: "line").first?.attributes["d"]?.filter { $0 == "L" }.count == 95)
    }

    @Test("A fixed y maximum turns higher values into gaps and caps the axis")
    func yAxisMaximum() throws {
        var chart = LineChart(title: "Cost curve", xAxisLabel: "Amount sent (USD)", yAxisLabel: "Total cost (% of amount sent)",
                              series: [.init(name: "Bank", points: [20, 50, 100, 200, 500].map { .init(x: $0, y: 2000 / $0) })])
        chart.yAxisMaximum = 30
        let root = try ParsedElement.parse(chart.svg())
        #expect(Self.series(root).first?.attributes["data-points"] == "3")
        #expect(root.elements(class: "y-axis").first?.elements(class: "tick").last?.text == "30")
        chart.yAxisMaximum = .nan
        #expect(try Self.series(ParsedElement.parse(chart.svg())).first?.attributes["data-points"] == "5")
    }

    @Test("Crowded categories keep every tick but thin out the labels")
    func thinnedCategories() throws {
        let periods = (2011...2025).flatMap { year in (1...4).map { "\(year)_\($0)Q" } }
        let chart = LineChart(title: "Trend", xAxisLabel: "Survey period", yAxisLabel: "Cost", xAxis: .categories(periods),
                              series: [.init(name: "Global average", values: periods.indices.map { 10 - Double($0) * 0.06 })])
        let root = try ParsedElement.parse(chart.svg())
        let axis = try #require(root.elements(class: "x-axis").first)
        let labels = axis.elements(class: "tick").map(\.text)
        #expect(axis.elements("line").count == periods.count + 1)
        #expect(labels.first == "2011_1Q")
        #expect(labels.count > 3 && labels.count < periods.count / 2)
        #expect(root.elements(class: "legend").isEmpty, "one series needs no legend")
    }

    @Test("Bar chart: one bar per category, value labels, notes, reference lines")
    func barChart() throws {
        let chart = BarChart(title: "Average cost by firm type", valueAxisLabel: "Total cost (% of amount sent)",
                             categoryAxisLabel: "Firm type",
                             bars: [.init(label: "Bank", value: 9.814, annotation: "n = 12"),
                                    .init(label: "Money transfer operator", value: 6.4249, annotation: "n = 31"),
                                    .init(label: "Promotion", value: -0.5),
                                    .init(label: "Post office", value: nil, annotation: "n = 0")],
                             referenceLines: ReferenceLine.sdgTargets)
        let root = try ParsedElement.parse(chart.svg())
        let bars = Self.series(root)
        #expect(bars.map { $0.attributes["data-series"] } == ["Bank", "Money transfer operator", "Promotion", "Post office"])
        #expect(bars.map { $0.attributes["data-value"] } == ["9.814", "6.4249", "-0.5", nil])
        #expect(bars.map { $0.elements(class: "value").first?.text } == ["9.81 %", "6.42 %", "-0.50 %", "No data"])
        #expect(bars.map { $0.elements(class: "annotation").first?.text } == ["n = 12", "n = 31", nil, "n = 0"])
        #expect(bars.map { $0.elements(class: "bar").count } == [1, 1, 1, 0])
        let widths = bars.compactMap { $0.elements(class: "bar").first?.attributes["width"].flatMap(Double.init) }
        #expect(widths.count == 3 && widths[0] > widths[1] && widths[1] > widths[2])
        #expect(root.elements(class: "reference-line").map { $0.attributes["data-value"] } == ["3", "5"])
        #expect(root.elements(class: "axis-label").map(\.text).sorted() == ["Firm type", "Total cost (% of amount sent)"])
    }

    @Test("Distribution: 1-point bins count every value, rug marks, SDG lines, average and median")
    func distribution() throws {
        let values = [0.5, 1.2, 1.7, 3.0, 4.9, 7.5, 12.25]
        let chart = DistributionChart(title: "Cost of each service", values: values)
        let root = try ParsedElement.parse(chart.svg())
        let group = try #require(Self.series(root).first)
        #expect(group.attributes["data-series"] == "Services")
        let bins = group.elements(class: "bin")
        #expect(bins.compactMap { $0.attributes["data-count"].flatMap(Int.init) }.reduce(0, +) == values.count)
        let binOne = bins.first { $0.attributes["data-from"] == "1" }
        #expect(binOne?.attributes["data-to"] == "2" && binOne?.attributes["data-count"] == "2")
        #expect(bins.first { $0.attributes["data-from"] == "3" }?.attributes["data-count"] == "1")
        #expect(group.elements(class: "rug").count == values.count)
        let references = root.elements(class: "reference-line")
        #expect(references.map { $0.attributes["data-value"] } == ["3", "5"])
        #expect(references.map(\.text) == ["SDG 10.c target 3 %", "SDG 10.c corridor ceiling 5 %"])
        let statistics = root.elements(class: "statistic")
        #expect(statistics.map { $0.attributes["data-statistic"] } == ["average", "median"])
        #expect(statistics.map(\.text) == ["Average 4.44 %", "Median 3.00 %"])
        #expect(root.elements(class: "axis-label").map(\.text).sorted() == ["Number of services", "Total cost (% of amount sent)"])
    }

    @Test("Numbers read the same in every locale: '.' decimals, ',' thousands, half away from zero")
    func numberFormat() {
        #expect(ChartNumberFormat.percent.string(6.4249) == "6.42 %")
        #expect(ChartNumberFormat.percent.string(0.125) == "0.13 %")
        #expect(ChartNumberFormat.percent.string(-0.001) == "0.00 %")
        #expect(ChartNumberFormat.amount.string(1_234_567.891) == "1,234,567.89")
        #expect(ChartNumberFormat(decimals: 0, suffix: " USD").string(-1500) == "-1,500 USD")
        #expect(ChartNumberFormat.percent.string(.nan) == "")
        #expect(ChartNumberFormat.trimmed(3) == "3" && ChartNumberFormat.trimmed(5.50) == "5.5" && ChartNumberFormat.trimmed(-0.001) == "0")
    }
}
