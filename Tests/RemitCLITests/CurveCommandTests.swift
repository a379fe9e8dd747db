import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

// `remit curve`, run as a person would, on the built-in sample and on a schedules file imported in the test.
//
// Sample US→MX, reference 18.3152 (fixtures/sample/schedules.csv, reference-rates.csv):
//   Bluefinch Bank deposit (bank-account): 0.5 % with at least USD 1.99, rate 18.2053
//     → margin (1 − 18.2053 / 18.3152) × 100 = 0.600048 %; below USD 398 the fee is 1.99: cost % = 199 / x + 0.600048
//   Paperkite Welcome rate (debit-card): USD 3.99 from 10.00 to 1,000.00, rate 18.3848
//     → margin (1 − 18.3848 / 18.3152) × 100 = −0.380012 %: cost % = 399 / x − 0.380012
//   Paperkite is cheaper when 200 / x < 0.980060, x > 204.0691: from USD 204.07.
//   No other service comes near: at USD 200, Bluefinch 1.5950 %, Paperkite 1.6150 %, the next is
//   Bluefinch by debit card at 2.99 + 1.00 = 3.99 → 2.5950 %.
//   At 100: Bluefinch 1.99 + 0.600048 = 2.590048 %, recipient 100 × 18.2053 = 1,820.53 MXN.
//   At 300: Paperkite 1.33 − 0.380012 = 0.949988 → 0.95 %, recipient 300 × 18.3848 = 5,515.44 MXN.
//   Above USD 1,000.00 Paperkite no longer sends: Bluefinch is cheapest again from 1,000.01.

/// `curve --from US --to MX` plus `rest`.
private func curveUSMX(_ rest: String...) -> [String] { ["curve", "--from", "US", "--to", "MX"] + rest }

/// The sample's US→MX services: 12, all formal, with schedules and rates (CompareOutputTests.swift lists them).
private let usMexicoServiceCount = 12

@Suite("curve command")
struct CurveCommandTests {
    @Test("JSON: the documented keys, one point per amount and service, the cheapest by hand, the break-even at USD 204.07")
    func json() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit(curveUSMX("--min", "50", "--max", "1000", "--step", "50", "--format", "json"))
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        let document = try jsonObject(result)
        for key in ["corridor", "sendCurrency", "receiveCurrency", "referenceRate", "amounts", "services", "cheapest",
                    "breakEvens", "notDrawn", "sampleData"] {
            #expect(document[key] != nil, "key '\(key)' missing")
        }
        #expect(try str(document, "sendCurrency") == "USD" && (try str(document, "receiveCurrency")) == "MXN")
        let amounts = try #require(document["amounts"] as? [Any])
        #expect(amounts.compactMap(number) == stride(from: 50.0, through: 1000, by: 50).map { $0 })

        let services = try objects(document, "services")
        #expect(services.count == usMexicoServiceCount)
        for service in services {
            let points = try objects(service, "points")
            #expect(points.count == 20, "\(service["label"] ?? "?")")
            #expect(points.allSatisfy { $0["isCheapest"] is Bool })
        }
        // Paperkite sends from 10.00 to 1,000.00: all 20 amounts; its point at 300 is the one computed by hand.
        let paperkite = try #require(services.first { $0["provider"] as? String == "Paperkite Money" })
        let at300 = try objects(paperkite, "points")[5]
        #expect(try num(at300, "amount") == 300 && (try num(at300, "fee")) == 3.99)
        #expect(try num(at300, "totalCostPercent") == 0.95 && (try num(at300, "recipientAmount")) == 5515.44)
        #expect(at300["isCheapest"] as? Bool == true)

        let cheapest = try objects(document, "cheapest")
        #expect(cheapest.count == 20)
        let names = try cheapest.map { try str($0, "provider") }
        #expect(names == Array(repeating: "Bluefinch Transfer", count: 4) + Array(repeating: "Paperkite Money", count: 16))
        #expect(try num(cheapest[1], "totalCostPercent") == 2.59 && (try num(cheapest[1], "recipientAmount")) == 1820.53)
        #expect(try str(cheapest[0], "fundingMethod") == "bank-account")

        let breakEvens = try objects(document, "breakEvens")
        #expect(breakEvens.count == 1)
        let breakEven = try #require(breakEvens.first)
        #expect(try num(breakEven, "amount") == 204.07)
        #expect(try str(obj(breakEven, "from"), "provider") == "Bluefinch Transfer")
        #expect(try str(obj(breakEven, "to"), "provider") == "Paperkite Money")
        // Just below, Bluefinch is the cheaper; at 204.07, Paperkite.
        let before = try obj(breakEven, "before"), after = try obj(breakEven, "after")
        #expect(try num(before, "amount") == 204.06 && (try num(after, "amount")) == 204.07)
        #expect(try num(before, "fromCostPercent") < (try num(before, "toCostPercent")))
        #expect(try num(after, "toCostPercent") < (try num(after, "fromCostPercent")))
        #expect(close(try num(after, "toCostPercent"), 399 / 204.07 - 0.380012, 0.000002))
    }

    @Test("JSON over the default range: Paperkite stops at USD 1,000.00, so Bluefinch is cheapest again from 1,000.01")
    func defaultRange() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit(curveUSMX("--format", "json"))
        #expect(result.status == 0, "\(result)")
        let document = try jsonObject(result)
        #expect((document["amounts"] as? [Any])?.count == 40) // 50 to 2,000 every 50
        let breakEvens = try objects(document, "breakEvens")
        #expect(try breakEvens.map { try num($0, "amount") } == [204.07, 1000.01])
        let last = try #require(breakEvens.last)
        #expect(isNull(try obj(last, "after")["fromCostPercent"]), "Paperkite does not send 1,000.01: \(last)")
    }

    @Test("CSV: the header, one row per amount and service, exactly one cheapest per amount")
    func csv() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit(curveUSMX("--min", "100", "--max", "300", "--step", "100", "--format", "csv"))
        #expect(result.status == 0, "\(result)")
        let rows = parseCSV(result.stdout)
        #expect(rows.first == ["amount", "sendCurrency", "provider", "service", "fundingMethod", "payoutMethod", "formal",
                               "feeMode", "fee", "totalCostPercent", "recipientAmount", "receiveCurrency", "isCheapest"])
        #expect(rows.count == 1 + 3 * usMexicoServiceCount)
        let body = rows.dropFirst()
        #expect(body.allSatisfy { $0.count == 13 })
        for amount in ["100.00", "200.00", "300.00"] {
            let cheapest = body.filter { $0[0] == amount && $0[12] == "yes" }
            #expect(cheapest.count == 1, "amount \(amount): \(cheapest)")
        }
        #expect(body.contains(["300.00", "USD", "Paperkite Money", "Welcome rate (first transfer)", "debit-card", "bank-account",
                               "yes", "on-top", "3.99", "0.95", "5515.44", "MXN", "yes"]))
        #expect(body.contains(["100.00", "USD", "Bluefinch Transfer", "Bank deposit", "bank-account", "bank-account",
                               "yes", "on-top", "1.99", "2.59", "1820.53", "MXN", "yes"]))
    }

    @Test("SVG: well-formed XML, one series per service, one marker per break-even")
    func svg() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit(curveUSMX("--format", "svg"))
        #expect(result.status == 0, "\(result)")
        let elements = try XMLElements.parse(result.stdout)
        #expect(elements.first?.name == "svg")
        let series = elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains("series") }
        #expect(series.count == usMexicoServiceCount)
        #expect(Set(series.compactMap { $0.attributes["data-series"] }).count == usMexicoServiceCount)
        #expect(series.contains { $0.attributes["data-series"] == "Bluefinch Transfer, Bank deposit (Bank account)" })
        let markers = elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains("vertical-marker") }
        #expect(markers.count == 2, "break-evens at 204.07 and 1,000.01")
        #expect(result.stdout.contains("USD 204.07"))
    }

    @Test("Table and Markdown: the cheapest per amount, the runner-up and the break-even")
    func tableAndMarkdown() async throws {
        let sandbox = try Sandbox()
        let table = try await sandbox.remit(curveUSMX("--min", "200", "--max", "300", "--step", "100"))
        #expect(table.status == 0, "\(table)")
        #expect(table.stdoutLines.first == "Cost curves from United States to Mexico: USD 200.00 to USD 300.00 every USD 100.00 (2 amounts)")
        #expect(table.stdout.contains("Reference rate: 1 USD = 18.3152 MXN (sample, 2026-11-27)"))
        let row200 = try #require(table.stdoutLines.first { $0.hasPrefix("200.00") })
        #expect(squeezed(row200) == "200.00 Bluefinch Transfer, Bank deposit (Bank account) 1.99 1.60% MXN 3,641.06 "
                    + "Paperkite Money, Welcome rate (first transfer) 1.61%")
        let breakEven = try #require(table.stdoutLines.first { $0.hasPrefix("USD 204.07") })
        #expect(squeezed(breakEven).hasPrefix("USD 204.07 Bluefinch Transfer, Bank deposit (Bank account) Paperkite Money, Welcome rate (first transfer)"))

        let markdown = try await sandbox.remit(curveUSMX("--min", "200", "--max", "300", "--step", "100", "--format", "markdown"))
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("## Cost curves from United States to Mexico"))
        #expect(markdown.stdout.contains("| Amount | Cheapest | Fee | Cost % | Recipient gets | Runner-up | Cost % |"))
        #expect(markdown.stdout.contains("### Break-even amounts"))
    }

    @Test("Filters and informal channels: --payout cash keeps the six cash-pickup services")
    func filters() async throws {
        let sandbox = try Sandbox()
        // Cash payout in the sample's US→MX: Rapido Efectivo, Meridian Cash pickup, Meridian Online to cash pickup
        // (debit and credit card), Northbridge ExpressSend, Lakeshore Remesa Directa: 6 services.
        let result = try await sandbox.remit(curveUSMX("--payout", "cash", "--max", "100", "--format", "json"))
        #expect(result.status == 0, "\(result)")
        let services = try objects(try jsonObject(result), "services")
        #expect(services.count == 6)
        #expect(services.allSatisfy { $0["payoutMethod"] as? String == "cash" })
    }

    // A file of our own, in a fresh database. Reference USD→MXN 20 on 2026-01-01.
    //   Alpha: USD 5.00 flat, margin 1 %   → cost % = 500 / x + 1 (x in USD)
    //   Bravo: 2 % of the amount, margin 0.5 % → cost % = (2 % fee rounded to the cent) / x + 0.5
    //   Unrounded they cross at 333.33; with Bravo's fee rounded, Alpha is cheaper from USD 333.25:
    //     333.24: Bravo fee round(6.6648) = 6.66 → 2.498560 %, Alpha 2.500420 %  (Bravo)
    //     333.25: Bravo fee round(6.6650) = 6.67 → 2.501500 %, Alpha 2.500375 %  (Alpha)
    //   (Tests/RemitKitTests/CostCurveTests.swift shows no other change happens.)
    //   Hidden Bank does not disclose its rate: not drawn. Kite Hawala is informal: drawn only when asked.
    static let schedules = """
        provider,firm_type,formal,from,to,service,funding,payout,speed,transparent,fee_mode,band_min,band_max,fixed_fee,percent_fee,margin_percent,valid_from
        Alpha Remit,money-transfer-operator,yes,US,MX,Flat,bank-account,bank-account,next-day,yes,on-top,1.00,,5.00,0,1,2026-01-01
        Bravo Remit,money-transfer-operator,yes,US,MX,Percent,bank-account,bank-account,next-day,yes,on-top,1.00,,0,2,0.5,2026-01-01
        Hidden Bank,bank,yes,US,MX,Wire,bank-account,bank-account,2-days,no,on-top,1.00,,10.00,0,,2026-01-01
        Kite Hawala,other,no,US,MX,Hand delivery,cash,cash,same-day,yes,on-top,1.00,,0,0,0.1,2026-01-01

        """

    @Test("An imported schedule file: the break-even is USD 333.25, as computed by hand with the fee rounded to the cent")
    func importedSchedules() async throws {
        let sandbox = try Sandbox()
        let rates = sandbox.path("rates.csv"), schedules = sandbox.path("schedules.csv")
        try "date,base,quote,rate,source\n2026-01-01,USD,MXN,20,test\n".write(to: rates, atomically: true, encoding: .utf8)
        try Self.schedules.write(to: schedules, atomically: true, encoding: .utf8)
        for (kind, file) in [("rates", rates), ("schedules", schedules)] {
            let imported = try await sandbox.remit("import", kind, file.path, "--db", "own.sqlite", "--quiet")
            #expect(imported.status == 0, "\(imported)")
        }
        let arguments = curveUSMX("--min", "100", "--max", "500", "--step", "100", "--date", "2026-06-01",
                                  "--db", "own.sqlite", "--format", "json")
        let result = try await sandbox.remit(arguments)
        #expect(result.status == 0, "\(result)")
        let document = try jsonObject(result)
        #expect(try objects(document, "services").map { try str($0, "provider") } == ["Alpha Remit", "Bravo Remit"])
        let notDrawn = try objects(document, "notDrawn")
        #expect(notDrawn.count == 1 && notDrawn.first?["provider"] as? String == "Hidden Bank")
        #expect(document["sampleData"] as? Bool == false)
        // 100 → Bravo (Alpha 6 %, Bravo 2.5 %), 300 → Bravo (2.6667 %, 2.5 %), 400 → Alpha (2.25 %, 2.5 %).
        #expect(try objects(document, "cheapest").map { try str($0, "provider") }
                    == ["Bravo Remit", "Bravo Remit", "Bravo Remit", "Alpha Remit", "Alpha Remit"])
        let breakEvens = try objects(document, "breakEvens")
        #expect(breakEvens.count == 1)
        let breakEven = try #require(breakEvens.first)
        #expect(try num(breakEven, "amount") == 333.25)
        #expect(try str(obj(breakEven, "from"), "provider") == "Bravo Remit")
        #expect(try str(obj(breakEven, "to"), "provider") == "Alpha Remit")
        let before = try obj(breakEven, "before"), after = try obj(breakEven, "after")
        #expect(try num(before, "amount") == 333.24)
        #expect(try num(before, "fromCostPercent") == 2.49856 && (try num(before, "toCostPercent")) == 2.50042)
        #expect(try num(after, "fromCostPercent") == 2.5015 && (try num(after, "toCostPercent")) == 2.500375)

        // With --include-informal the hawala is drawn (0.1 %) but never the cheapest.
        let informal = try await sandbox.remit(arguments + ["--include-informal"])
        let withHawala = try jsonObject(informal)
        let hawala = try #require(try objects(withHawala, "services").first { $0["provider"] as? String == "Kite Hawala" })
        #expect(hawala["formal"] as? Bool == false)
        #expect(try objects(hawala, "points").allSatisfy { number($0["totalCostPercent"]) == 0.1 && $0["isCheapest"] as? Bool == false })
        #expect(try objects(withHawala, "cheapest").allSatisfy { $0["provider"] as? String != "Kite Hawala" })
    }

    static let usageErrors: [ErrorCase] = [
        ErrorCase(curveUSMX("--min", "0"), 64, "--min"),
        ErrorCase(curveUSMX("--min=-5"), 64, "--min"),
        ErrorCase(curveUSMX("--min", "500", "--max", "100"), 64, "--max"),
        ErrorCase(curveUSMX("--step", "0"), 64, "--step"),
        ErrorCase(curveUSMX("--step=-50"), 64, "--step"),
        ErrorCase(curveUSMX("--min", "1", "--max", "100000", "--step", "1"), 64, "more than 10,000 amounts"),
        ErrorCase(curveUSMX("--min", "abc"), 64, "'abc'"),
        ErrorCase(curveUSMX("--max", "1e4"), 64, "'1e4'"),
        ErrorCase(curveUSMX("--max", "51", "--step", "0.001"), 64, "more decimals than USD allows"),
        ErrorCase(curveUSMX("--format", "pdf"), 64, "pdf"),
        ErrorCase(curveUSMX("--currency", "ZZZ"), 64, "unknown currency 'ZZZ'"),
        ErrorCase(["curve", "--from", "US", "--to", "BR"], 64, "no services from US to BR"),
        ErrorCase(["curve", "--from", "Narnia", "--to", "MX"], 64, "unknown country 'Narnia'"),
        ErrorCase(["curve", "--to", "MX"], 64, "--from"),
    ]

    @Test("Usage errors exit 64 with an Error: line on stderr and nothing on stdout", arguments: usageErrors)
    func usageError(_ errorCase: ErrorCase) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit(errorCase.arguments)
        #expect(result.status == errorCase.status, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let first = try #require(result.stderrLines.first, "\(result)")
        #expect(first.hasPrefix("Error: ") && first.contains(errorCase.message), "\(result)")
    }
}

/// A flat list of the elements of an XML document, in document order, from Foundation's XMLParser.
private struct XMLElements {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    /// Parses `markup`; throws when it is not well-formed.
    static func parse(_ markup: String) throws -> [Element] {
        let parser = XMLParser(data: Data(markup.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw ParseFailure(message: "\(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)") }
        return collector.elements
    }

    struct ParseFailure: Error { var message: String }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            elements.append(Element(name: elementName, attributes: attributeDict))
        }
    }
}
