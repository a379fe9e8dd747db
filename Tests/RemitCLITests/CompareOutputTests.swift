import Foundation
import Testing

// `remit compare --from US --to MX --amount 300` in every output format, against the built-in sample.
//
// Hand computation (fixtures/sample/schedules.csv, reference-rates.csv). Reference USD→MXN on 2026-11-27: 18.3152.
// FX margin % = (1 − offered / 18.3152) × 100; total cost % = fee / 300 × 100 + margin.
//
//  #  service (funding)                                   fee     rate        margin    total %   recipient
//  1  Paperkite Welcome rate (debit-card)                 3.99    18.3848     −0.3800    0.9500   300 × 18.3848 = 5515.44
//  2  Bluefinch Bank deposit (bank-account)   0.5% = 1.50 → min 1.99   18.2053   0.6000  1.2634   5461.59
//  3  Bluefinch Bank deposit (debit-card)     2.99 + 1.50 = 4.49      18.2053    0.6000    2.0967   5461.59
//  4  Rapido Deposito Bancario (debit-card)               2.99    18.0588      1.3999    2.3966   5417.64
//  5  Meridian Online to mobile wallet (debit-card)       3.99    17.9672      1.9001    3.2301   5390.16
//  6  Meridian Online to cash pickup (debit-card)         4.99    17.9489      2.0000    3.6633   5384.67
//  7  Lakeshore Remesa Directa (bank-account, deducted)   7.00    17.9855      1.8001    4.1335   (300 − 7) × 17.9855 = 5269.7515 → 5269.75
//  8  Rapido Efectivo (cash)                              4.99    17.8390      2.6000    4.2634   300 × 17.8390 = 5351.70
//  9  Meridian Online to cash pickup (credit-card)  4.99 + 3% = 13.99  17.9489  2.0000    6.6633   5384.67
// 10  Meridian Cash pickup (cash), band 200.01–500       11.99    17.7474      3.1002    7.0968   5324.22
// 11  Northbridge ExpressSend (margin 3.8 %)             15.00    18.3152 × 0.962 = 17.619222   3.8   8.8000   5285.77
// 12  Northbridge Global wire (margin 3.5 %)             20.00    18.3152 × 0.965 = 17.674168   3.5  10.1667   300 × 17.674168 = 5302.2504 → 5302.25

/// The US→MX ranking at USD 300, by hand (see the table above).
let usMexicoAt300: [ServiceKey] = [
    ServiceKey("Paperkite Money", "Welcome rate (first transfer)", "debit-card"),
    ServiceKey("Bluefinch Transfer", "Bank deposit", "bank-account"),
    ServiceKey("Bluefinch Transfer", "Bank deposit", "debit-card"),
    ServiceKey("Rapido Remesas", "Rapido Deposito Bancario", "debit-card"),
    ServiceKey("Meridian Money Transfer", "Online to mobile wallet", "debit-card"),
    ServiceKey("Meridian Money Transfer", "Online to cash pickup", "debit-card"),
    ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"),
    ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"),
    ServiceKey("Meridian Money Transfer", "Online to cash pickup", "credit-card"),
    ServiceKey("Meridian Money Transfer", "Cash pickup", "cash"),
    ServiceKey("Northbridge Bank", "ExpressSend cash pickup", "bank-account"),
    ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account"),
]

/// The CSV columns of `remit compare --format csv`, in order.
let compareCSVColumns = [
    "rank", "status", "provider", "firmType", "service", "fundingMethod", "payoutMethod", "speed",
    "sendCurrency", "amount", "fee", "feeMode", "senderPays", "receiveCurrency", "exchangeRate", "referenceRate",
    "fxMarginPercent", "totalCost", "totalCostPercent", "recipientAmount", "basis", "observedAt", "note",
]

/// Checks the structure every `compare --format json` document must have, and returns the options.
@discardableResult
func checkComparisonDocument(_ document: [String: Any], sendAmount: Double?, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    for key in ["corridor", "amount", "referenceRate", "options"] {
        #expect(document[key] != nil, "top-level key '\(key)' missing", sourceLocation: sourceLocation)
    }
    let reference = try obj(document, "referenceRate", sourceLocation: sourceLocation)
    #expect(try num(reference, "rate", sourceLocation: sourceLocation) > 0, sourceLocation: sourceLocation)
    #expect(CalendarDateText.isISODate(try str(reference, "date", sourceLocation: sourceLocation)), sourceLocation: sourceLocation)
    #expect(!(try str(reference, "source", sourceLocation: sourceLocation)).isEmpty, sourceLocation: sourceLocation)

    let options = try objects(document, "options", sourceLocation: sourceLocation)
    let textKeys = ["provider", "firmType", "service", "fundingMethod", "payoutMethod", "speed", "basis", "observedAt"]
    let numberKeys = ["rank", "fee", "exchangeRate", "fxMarginPercent", "totalCost", "totalCostPercent", "recipientAmount"]
    for (index, option) in options.enumerated() {
        for key in textKeys {
            #expect(option[key] is String, "option \(index + 1): '\(key)' should be a JSON string, is \(String(describing: option[key]))",
                    sourceLocation: sourceLocation)
        }
        for key in numberKeys {
            #expect(number(option[key]) != nil, "option \(index + 1): '\(key)' should be a JSON number, is \(String(describing: option[key]))",
                    sourceLocation: sourceLocation)
        }
        #expect(number(option["rank"]) == Double(index + 1), "ranks must be 1…n in order", sourceLocation: sourceLocation)
        // RPW total cost % = fee / amount × 100 + FX margin %, for every option.
        let amount = try sendAmount ?? num(option, "amount", sourceLocation: sourceLocation)
        let fee = try num(option, "fee", sourceLocation: sourceLocation)
        let margin = try num(option, "fxMarginPercent", sourceLocation: sourceLocation)
        let total = try num(option, "totalCostPercent", sourceLocation: sourceLocation)
        let name = (try? ServiceKey(option))?.description ?? "?"
        #expect(abs(total - (fee / amount * 100 + margin)) <= 0.01,
                "option \(index + 1) (\(name)): total cost % \(total) ≠ \(fee)/\(amount)×100 + \(margin)",
                sourceLocation: sourceLocation)
        #expect(isNull(option["reason"]), "a ranked option has no reason", sourceLocation: sourceLocation)
    }
    return options
}

enum CalendarDateText {
    static func isISODate(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
    }
}

/// The data rows of an aligned terminal table: the lines after the `──` rule up to the first blank line
/// or the first `(… more … not shown …)` note.
func tableRows(_ output: String) -> [String] {
    let lines = output.components(separatedBy: "\n")
    guard let rule = lines.firstIndex(where: { $0.hasPrefix("─") }) else { return [] }
    return Array(lines[(rule + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("(") })
}

@Suite("compare US→MX USD 300: formats and hand-computed prices")
struct CompareOutputTests {
    @Test("table: exit 0, ranked cheapest first, summary and sample note, nothing on stderr")
    func table() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let out = result.stdout
        #expect(out.hasPrefix("Sending USD 300.00 from United States to Mexico\n"), "\(result)")
        #expect(out.contains("Reference rate: 1 USD = 18.3152 MXN (sample, 2026-11-27)"), "\(result)")

        let rows = tableRows(out)
        try #require(rows.count == 12, "\(result)")
        for (index, row) in rows.enumerated() {
            let cells = row.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells.first.map(String.init) == String(index + 1), "row \(index + 1): \(row)")
        }
        #expect(rows[0].contains("Paperkite Money") && rows[0].contains("Welcome rate (first transfer)"), "rank 1: \(rows[0])")
        #expect(rows[0].contains("0.95%") && rows[0].contains("MXN 5,515.44"), "rank 1: \(rows[0])")
        #expect(rows[11].contains("Northbridge Bank") && rows[11].contains("Global wire transfer") && rows[11].contains("10.17%"))
        // The deducted fee is starred, and explained below.
        #expect(rows[6].contains("Lakeshore Federal Credit Union") && rows[6].contains("7.00*") && rows[6].contains("MXN 5,269.75"), "\(rows[6])")
        #expect(out.contains("* The fee is deducted from the amount before conversion."))
        // Cost % (the last percentage of each row) never decreases down the ranking.
        let costs = rows.map { row -> Double in
            let percents = row.split(separator: " ").filter { $0.hasSuffix("%") }
            return Double(percents.last?.dropLast() ?? "") ?? .nan
        }
        #expect(costs == costs.sorted() && !costs.contains(where: \.isNaN), "Cost % column: \(costs)")

        // Summary: mean total cost = (2.85 + 3.79 + 6.29 + 7.19 + 9.69 + 10.99 + 12.40 + 12.79 + 19.99 + 21.29 + 26.40 + 30.50) / 12
        // = 164.17 / 12 = 13.68; mean total cost % = 54.7239 / 12 = 4.56. Savings 13.68 − 2.85 = 10.83 (× 18.3152 = MXN 198.35),
        // 30.50 − 2.85 = 27.65 (× 18.3152 = MXN 506.42).
        #expect(out.contains("Corridor average: 4.56% total cost (USD 13.68) over 12 ranked services\n"), "\(result)")
        #expect(out.contains("Cheapest: Paperkite Money, Welcome rate (first transfer), 0.95%: the recipient gets MXN 5,515.44\n"), "\(result)")
        let savings = try #require(out.components(separatedBy: "\n").first { $0.hasPrefix("Choosing it over the average") }, "\(result)")
        for figure in ["MXN 198.35", "USD 10.83", "MXN 506.42", "USD 27.65"] {
            #expect(savings.contains(figure), "savings line: \(savings)")
        }
        #expect(out.contains("A negative FX margin is a promotion"), "Paperkite's −0.38 % margin needs the footnote")
        #expect(out.contains("Sample data: fictional providers with illustrative prices"), "\(result)")
        #expect(!out.contains("Not ranked") && !out.contains("Informal"), "\(result)")
    }

    @Test("json: shape, types, ranks, the RPW identity, and hand-computed prices")
    func json() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let document = try jsonObject(result)
        let options = try checkComparisonDocument(document, sendAmount: 300)

        let corridor = try obj(document, "corridor")
        #expect(try str(corridor, "from") == "US")
        #expect(try str(corridor, "to") == "MX")
        #expect(try str(corridor, "sendCurrency") == "USD")
        #expect(try str(corridor, "receiveCurrency") == "MXN")
        let amount = try obj(document, "amount")
        #expect(try str(amount, "mode") == "send")
        #expect(try num(amount, "value") == 300)
        #expect(try str(amount, "currency") == "USD")
        let reference = try obj(document, "referenceRate")
        #expect(close(try num(reference, "rate"), 18.3152))
        #expect(try str(reference, "date") == "2026-11-27")
        #expect(try str(reference, "source") == "sample")
        #expect(document["sampleData"] as? Bool == true)

        #expect(try options.map(ServiceKey.init) == usMexicoAt300)
        let percents = try options.map { try num($0, "totalCostPercent") }
        #expect(percents == percents.sorted(), "totalCostPercent must not decrease: \(percents)")
        for option in options {
            #expect(try num(option, "recipientAmount") > 0, "\(option)")
            #expect(try str(option, "basis") == "schedule")
            #expect(try str(option, "observedAt") == "2026-11-27")
        }

        // Rapido Efectivo: band 1.00–500.00, flat 4.99 on top, rate 17.8390.
        // margin = (1 − 17.8390 / 18.3152) × 100 = 0.4762 / 18.3152 × 100 = 2.600026 %; FX cost 300 × 2.600026 % = 7.80;
        // total 4.99 + 7.80 = 12.79; total % = 1.663333 + 2.600026 = 4.2634; recipient 300 × 17.8390 = 5351.70; pays 304.99.
        let rapido = try option(options, ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"))
        #expect(close(try num(rapido, "fee"), 4.99))
        #expect(close(try num(rapido, "exchangeRate"), 17.839))
        #expect(close(try num(rapido, "fxMarginPercent"), 2.6000, 0.000_05))
        #expect(close(try num(rapido, "totalCost"), 12.79))
        #expect(close(try num(rapido, "totalCostPercent"), 4.2634, 0.000_05))
        #expect(close(try num(rapido, "recipientAmount"), 5351.70))
        #expect(close(try num(rapido, "senderPays"), 304.99))
        #expect(try str(rapido, "feeMode") == "on-top")
        #expect(close(try num(rapido, "rank"), 8))

        // Lakeshore Remesa Directa: fee 7.00 deducted, rate 17.9855.
        // margin = 0.3297 / 18.3152 × 100 = 1.800141 %; FX cost 5.40; total 12.40; total % = 2.333333 + 1.800141 = 4.1335;
        // recipient (300 − 7) × 17.9855 = 5269.7515 → 5269.75; the sender pays 300.00 only.
        let lakeshore = try option(options, ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"))
        #expect(close(try num(lakeshore, "fee"), 7))
        #expect(try str(lakeshore, "feeMode") == "deducted")
        #expect(close(try num(lakeshore, "senderPays"), 300))
        #expect(close(try num(lakeshore, "exchangeRate"), 17.9855))
        #expect(close(try num(lakeshore, "fxMarginPercent"), 1.8001, 0.000_05))
        #expect(close(try num(lakeshore, "totalCost"), 12.40))
        #expect(close(try num(lakeshore, "totalCostPercent"), 4.1335, 0.000_05))
        #expect(close(try num(lakeshore, "recipientAmount"), 5269.75))

        // Northbridge Global wire: flat 20.00, margin stated as 3.5 % → rate 18.3152 × 0.965 = 17.674168;
        // FX cost 300 × 3.5 % = 10.50; total 30.50; total % = 6.666667 + 3.5 = 10.1667; recipient 5302.2504 → 5302.25.
        let wire = try option(options, ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account"))
        #expect(close(try num(wire, "fee"), 20))
        #expect(close(try num(wire, "exchangeRate"), 17.674168))
        #expect(close(try num(wire, "fxMarginPercent"), 3.5, 0.000_05))
        #expect(close(try num(wire, "totalCost"), 30.50))
        #expect(close(try num(wire, "totalCostPercent"), 10.1667, 0.000_05))
        #expect(close(try num(wire, "recipientAmount"), 5302.25))

        // Paperkite promotion: rate 18.3848 beats the reference: margin = −0.0696 / 18.3152 × 100 = −0.380012 %;
        // FX cost −1.14; total 3.99 − 1.14 = 2.85; total % = 1.33 − 0.38 = 0.95; recipient 300 × 18.3848 = 5515.44.
        let promo = try option(options, ServiceKey("Paperkite Money", "Welcome rate (first transfer)", "debit-card"))
        #expect(close(try num(promo, "fxMarginPercent"), -0.38, 0.000_05))
        #expect(close(try num(promo, "totalCost"), 2.85))
        #expect(close(try num(promo, "totalCostPercent"), 0.95, 0.000_05))
        #expect(close(try num(promo, "recipientAmount"), 5515.44))

        // Bluefinch bank account: 0.5 % of 300 = 1.50, raised to the 1.99 minimum.
        #expect(close(try num(option(options, ServiceKey("Bluefinch Transfer", "Bank deposit", "bank-account")), "fee"), 1.99))
        // Meridian credit card: 4.99 + 3 % of 300 = 13.99.
        #expect(close(try num(option(options, ServiceKey("Meridian Money Transfer", "Online to cash pickup", "credit-card")), "fee"), 13.99))

        let summary = try obj(document, "summary")
        #expect(close(try num(summary, "rankedCount"), 12))
        #expect(close(try num(summary, "averageTotalCost"), 13.68))
        #expect(close(try num(summary, "averageTotalCostPercent"), 4.5603, 0.000_1))
        #expect(try str(obj(summary, "cheapest"), "provider") == "Paperkite Money")
        #expect(close(try num(obj(summary, "savingVersusAverage"), "send"), 10.83))
        #expect(close(try num(obj(summary, "savingVersusDearest"), "send"), 27.65))
        #expect(try objects(document, "notRanked").isEmpty)
        #expect(try objects(document, "informal").isEmpty)
    }

    @Test("csv: the documented header, parsable rows, as many ranked rows as JSON options")
    func csv() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "csv")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let rows = parseCSV(result.stdout)
        try #require(!rows.isEmpty, "\(result)")
        #expect(rows[0] == compareCSVColumns)
        let body = Array(rows.dropFirst())
        for row in body { #expect(row.count == compareCSVColumns.count, "\(row)") }
        let ranked = body.filter { $0.count > 1 && $0[1] == "ranked" }
        #expect(ranked.map { $0[0] } == (1...12).map(String.init))

        let json = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "json")
        #expect(try objects(jsonObject(json), "options").count == ranked.count)

        // Column values for the deducted-fee service, by hand (see the JSON test).
        let column = Dictionary(uniqueKeysWithValues: compareCSVColumns.enumerated().map { ($1, $0) })
        let lakeshore = try #require(ranked.first { $0[column["provider"]!] == "Lakeshore Federal Credit Union" })
        #expect(lakeshore[column["amount"]!] == "300.00")
        #expect(lakeshore[column["fee"]!] == "7.00")
        #expect(lakeshore[column["feeMode"]!] == "deducted")
        #expect(lakeshore[column["senderPays"]!] == "300.00")
        #expect(lakeshore[column["recipientAmount"]!] == "5269.75")
        #expect(lakeshore[column["sendCurrency"]!] == "USD" && lakeshore[column["receiveCurrency"]!] == "MXN")
    }

    @Test("markdown: a table header row and its separator")
    func markdown() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "markdown")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let lines = result.stdout.components(separatedBy: "\n")
        let header = try #require(lines.firstIndex { $0.hasPrefix("| # | Provider |") }, "\(result)")
        #expect(lines[header].hasSuffix("|"))
        let separator = lines[header + 1]
        #expect(separator.range(of: #"^\|(\s*:?-{3,}:?\s*\|)+$"#, options: .regularExpression) != nil, "separator: \(separator)")
        #expect(separator.components(separatedBy: "|").count == lines[header].components(separatedBy: " | ").count + 2,
                "one separator cell per header cell")
        #expect(lines[header + 2].hasPrefix("| 1 | Paperkite Money |"), "\(result)")
        #expect(lines.filter { $0.hasPrefix("| ") }.count == 13, "header + 12 ranked rows")
        #expect(result.stdout.hasPrefix("## Sending USD 300.00 from United States to Mexico"))
    }
}
