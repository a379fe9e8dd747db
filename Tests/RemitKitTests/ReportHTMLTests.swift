import Foundation
import Testing
@testable import RemitKit

/// The HTML reports: well-formed pages whose charts carry the report's series and the SDG 10.c lines.
@Suite("HTML reports")
struct ReportHTMLTests {
    typealias P = ReportStatisticsTests

    static let prices = [
        P.price("A", total: 9, period: "2020_3Q"), P.price("B", total: 7, firm: .bank, period: "2020_3Q"),
        P.price("A", total: 6, period: "2025_3Q"), P.price("B", total: 4.5, firm: .bank, period: "2025_3Q"),
        P.price("C", total: 2.5, firm: .postOffice, period: "2025_3Q"),
        P.price("D <&>", total: 3, period: "2025_3Q", exclusions: [.notTransparent]),
    ]

    func svgs(_ page: ParsedElement) -> [ParsedElement] { page.elements("svg") }

    func referenceValues(_ svg: ParsedElement) -> Set<String> {
        Set(svg.elements(class: "reference-line").compactMap { $0.attributes["data-value"] })
    }

    @Test("The corridor page parses as XML: trend lines, cost distribution and firm-type bars, each with the 3 % and 5 % lines")
    func corridorPage() throws {
        let report = ReportBuilder.corridor(P.kenyaTanzania, fromName: "Kenya", toName: "Tanzania",
                                            period: Period("2025_3Q")!, tier: .usd200, prices: Self.prices)
        let html = try ReportRenderer.render(report, as: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        // Nothing fetched: the only URLs are the SVG namespace of each chart, and no element loads anything.
        let namespace = "xmlns=\"http://www.w3.org/2000/svg\""
        #expect(html.components(separatedBy: "http").count - 1 == html.components(separatedBy: namespace).count - 1)
        let page = try ParsedElement.parse(html)
        #expect(page.all.allSatisfy { $0.attributes["src"] == nil && $0.attributes["href"] == nil })
        #expect(page.name == "html")
        let charts = svgs(page)
        try #require(charts.count == 3)
        // The trend: three named series over the two periods.
        let trend = charts[0].elements(class: "series")
        #expect(trend.compactMap { $0.attributes["data-series"] } == ["Average", "SmaRT", "Cheapest"])
        #expect(trend.allSatisfy { $0.attributes["data-points"] == "2" })
        // The distribution: one-point bins holding the three included services (2.5, 4.5, 6).
        let bins = charts[1].elements(class: "bin").compactMap { $0.attributes["data-count"].flatMap { Int($0) } }
        #expect(bins.reduce(0, +) == 3)
        // Firm types, cheapest first: post office 2.5, bank 4.5, MTO 6.
        let bars = charts[2].elements(class: "series").compactMap { $0.attributes["data-series"] }
        #expect(bars == ["Post office", "Bank", "Money transfer operator"])
        for chart in charts { #expect(referenceValues(chart) == ["3", "5"]) }
        // The excluded provider's name is escaped, and shown.
        #expect(html.contains("D &lt;&amp;&gt;"))
        // Axis labels carry units.
        #expect(charts.allSatisfy { $0.elements(class: "axis-label").contains { $0.text.contains("%") } })
    }

    @Test("The global and SDG pages parse as XML and chart every period and corridor")
    func globalAndSDGPages() throws {
        let trend = [GlobalTrendPoint(period: Period("2020_3Q")!, average: 8, serviceCount: 2, corridorCount: 1),
                     GlobalTrendPoint(period: Period("2025_3Q")!, average: 4.333, serviceCount: 3, corridorCount: 1)]
        let current = Self.prices.filter { $0.period.description == "2025_3Q" }
        let global = ReportBuilder.global(period: Period("2025_3Q")!, tier: .usd200, prices: current, trend: trend, flows: [:])
        let globalPage = try ParsedElement.parse(try ReportRenderer.render(global, as: .html))
        let globalCharts = svgs(globalPage)
        #expect(globalCharts.count == 4)
        #expect(globalCharts.first?.elements(class: "series").first?.attributes["data-points"] == "2")

        let sdg = ReportBuilder.sdg(period: Period("2025_3Q")!, tier: .usd200, costs: ReportBuilder.costs(current),
                                    fiveYearsEarlier: [], order: .gap)
        let sdgPage = try ParsedElement.parse(try ReportRenderer.render(sdg, as: .html))
        let bars = try #require(svgs(sdgPage).first).elements(class: "series").compactMap { $0.attributes["data-series"] }
        #expect(bars == ["KE→TZ"])
        #expect(sdgPage.elements("tr").count == 2)   // header + one corridor
    }
}
