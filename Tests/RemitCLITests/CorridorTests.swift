import Foundation
import Testing

// Corridors with special cases (informal channel, undisclosed rate, domestic, zero-decimal currency),
// country spellings, fee bands and rounding, each checked against values worked out by hand.

/// Runs `remit compare … --format json`, checks exit 0 and an empty stderr, and returns the document.
func compareJSON(_ sandbox: Sandbox, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
    let result = try await sandbox.remit(["compare"] + arguments + ["--format", "json"], sourceLocation: sourceLocation)
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
    return try jsonObject(result, sourceLocation: sourceLocation)
}

@Suite("corridors with informal, undisclosed and domestic services")
struct CorridorKindsTests {
    @Test("SA→PK without --include-informal: the hawala appears nowhere")
    func informalHiddenByDefault() async throws {
        let sandbox = try Sandbox()
        let document = try await compareJSON(sandbox, "--from", "SA", "--to", "PK", "--amount", "1000")
        let options = try checkComparisonDocument(document, sendAmount: 1000)
        #expect(try objects(document, "informal").isEmpty)
        #expect(try !options.contains { try str($0, "provider") == "Darwaza Hawala" })
        #expect(options.count == 9)
        let table = try await sandbox.remit("compare", "--from", "SA", "--to", "PK", "--amount", "1000")
        #expect(table.status == 0, "\(table)")
        #expect(!table.stdout.contains("Darwaza") && !table.stdout.contains("Informal"), "\(table)")
    }

    @Test("SA→PK --include-informal: the hawala is listed under informal, never ranked")
    func informalListed() async throws {
        let sandbox = try Sandbox()
        let document = try await compareJSON(sandbox, "--from", "SA", "--to", "PK", "--amount", "1000", "--include-informal")
        let options = try checkComparisonDocument(document, sendAmount: 1000)
        #expect(try !options.contains { try str($0, "provider") == "Darwaza Hawala" })
        let plain = try await compareJSON(sandbox, "--from", "SA", "--to", "PK", "--amount", "1000")
        #expect(try options.map(ServiceKey.init) == objects(plain, "options").map(ServiceKey.init), "the ranking is unchanged")

        let informal = try objects(document, "informal")
        try #require(informal.count == 1, "\(informal)")
        let hawala = informal[0]
        #expect(try ServiceKey(hawala) == ServiceKey("Darwaza Hawala", "Hawala cash", "cash"))
        #expect(hawala["formal"] as? Bool == false)
        #expect(isNull(hawala["rank"]))
        #expect(try str(hawala, "reason").contains("informal"))
        // By hand: fee 5.00 on top (band 100.00+), rate 74.8833; margin = (1 − 74.8833 / 75.1840) × 100 = 0.3007 / 75.184 × 100
        // = 0.39995 %; total % = 5 / 1000 × 100 + 0.39995 = 0.89995; recipient 1000 × 74.8833 = 74,883.30.
        #expect(close(try num(hawala, "fee"), 5))
        #expect(close(try num(hawala, "recipientAmount"), 74_883.30))
        #expect(close(try num(hawala, "totalCostPercent"), 0.89995, 0.000_1))

        // SA→PK ranking by hand: Falcon Wallet to wallet, band 750.00–10000.00, fee 0.00 deducted, rate 74.5073:
        // margin 0.6767 / 75.184 = 0.9001 %, total 0.9001 %, recipient 1000 × 74.5073 = 74,507.30.
        // Al Waha Home delivery: 20.00 deducted → (1000 − 20) × 73.5300 = 72,059.40.
        #expect(try ServiceKey(options[0]) == ServiceKey("Falcon Mobile Pay", "Wallet to wallet", "mobile-money"))
        #expect(close(try num(options[0], "recipientAmount"), 74_507.30))
        #expect(close(try num(options[0], "totalCostPercent"), 0.9001, 0.000_05))
        #expect(close(try num(option(options, ServiceKey("Al Waha Exchange", "Home delivery", "cash")), "recipientAmount"), 72_059.40))

        let table = try await sandbox.remit("compare", "--from", "SA", "--to", "PK", "--amount", "1000", "--include-informal")
        #expect(table.status == 0, "\(table)")
        #expect(!tableRows(table.stdout).contains { $0.contains("Darwaza") }, "the hawala is not a ranked row")
        let after = try #require(table.stdout.range(of: "Informal channels"), "\(table)")
        #expect(table.stdout[after.upperBound...].contains("Darwaza Hawala"), "\(table)")

        let csv = try await sandbox.remit("compare", "--from", "SA", "--to", "PK", "--amount", "1000", "--include-informal", "--format", "csv")
        let rows = parseCSV(csv.stdout)
        let informalRows = rows.filter { $0.count > 2 && $0[1] == "informal" }
        #expect(informalRows.count == 1 && informalRows.first?[0] == "" && informalRows.first?[2] == "Darwaza Hawala", "\(csv)")
    }

    @Test("GB→IN: the bank that hides its rate is not ranked, with a reason")
    func nonTransparent() async throws {
        let sandbox = try Sandbox()
        let document = try await compareJSON(sandbox, "--from", "GB", "--to", "IN", "--amount", "200")
        let options = try checkComparisonDocument(document, sendAmount: 200)
        #expect(try !options.contains { try str($0, "provider") == "Albion Crown Bank" })
        #expect(options.count == 7)
        let notRanked = try objects(document, "notRanked")
        try #require(notRanked.count == 1, "\(notRanked)")
        let albion = notRanked[0]
        #expect(try ServiceKey(albion) == ServiceKey("Albion Crown Bank", "International payment", "bank-account"))
        #expect(isNull(albion["rank"]))
        #expect(albion["transparent"] as? Bool == false)
        #expect(try str(albion, "reason").contains("not disclosed"), "\(albion)")
        #expect(isNull(albion["fxMarginPercent"]) && isNull(albion["totalCostPercent"]) && isNull(albion["recipientAmount"]), "\(albion)")
        #expect(close(try num(albion, "fee"), 15))

        // GB→IN by hand (reference 117.5240): Paperkite UPI instant, fee 0.00 (band 10.00–250.00), rate 116.4663:
        // margin 1.0577 / 117.524 = 0.9000 %; recipient 200 × 116.4663 = 23,293.26. Thamesbury: 15.00 + margin 3.8 % → 11.3 %, last.
        #expect(try ServiceKey(options[0]) == ServiceKey("Paperkite Money", "UPI instant", "bank-account"))
        #expect(close(try num(options[0], "recipientAmount"), 23_293.26))
        #expect(close(try num(options[0], "totalCostPercent"), 0.9, 0.000_05))
        #expect(try ServiceKey(options[6]) == ServiceKey("Thamesbury Bank", "Overseas transfer", "bank-account"))
        #expect(close(try num(options[6], "totalCostPercent"), 11.3, 0.000_05))
        // Bluefinch: 0.99 + 0.35 % of 200 = 1.69 (debit card); 0.99 + 2.5 % of 200 = 5.99 (credit card).
        #expect(close(try num(option(options, ServiceKey("Bluefinch Transfer", "Bank deposit", "debit-card")), "fee"), 1.69))
        #expect(close(try num(option(options, ServiceKey("Bluefinch Transfer", "Bank deposit", "credit-card")), "fee"), 5.99))

        let table = try await sandbox.remit("compare", "--from", "GB", "--to", "IN", "--amount", "200")
        #expect(table.status == 0, "\(table)")
        #expect(!tableRows(table.stdout).contains { $0.contains("Albion Crown") })
        let line = try #require(table.stdout.components(separatedBy: "\n").first { $0.contains("Albion Crown Bank") }, "\(table)")
        #expect(line.contains("not disclosed"), "\(line)")
        #expect(table.stdout.contains("Not ranked"), "\(table)")
    }

    @Test("KE→KE domestic: no exchange, margin 0, recipient gets the amount, cost is the fee")
    func domestic() async throws {
        let sandbox = try Sandbox()
        let document = try await compareJSON(sandbox, "--from", "KE", "--to", "KE", "--amount", "1000")
        let options = try checkComparisonDocument(document, sendAmount: 1000)
        let corridor = try obj(document, "corridor")
        #expect(corridor["domestic"] as? Bool == true)
        #expect(try str(corridor, "sendCurrency") == "KES")
        #expect(try str(corridor, "receiveCurrency") == "KES")
        for option in options {
            #expect(close(try num(option, "fxMarginPercent"), 0), "\(option)")
            #expect(close(try num(option, "exchangeRate"), 1), "\(option)")
            #expect(close(try num(option, "recipientAmount"), 1000), "\(option)")
            #expect(close(try num(option, "totalCostPercent"), try num(option, "fee") / 10), "\(option)")
        }
        // By hand at KES 1,000: Jambo send money 13.00 (band 500.01–1000.00); Savanna Bank to wallet 0.5 % = 5 → min 15.00;
        // Harambee 30.00 and Savanna Instant 30.00 (tie: by name); Jambo cash-out 29 + 1 % = 39.00; Kilima Post 100.00.
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Jambo Mobile", "Jambo Pesa send money", "mobile-money"),
            ServiceKey("Savanna Commercial Bank", "Bank to wallet", "bank-account"),
            ServiceKey("Harambee Savings Cooperative", "Member transfer", "bank-account"),
            ServiceKey("Savanna Commercial Bank", "Instant transfer", "bank-account"),
            ServiceKey("Jambo Mobile", "Jambo Pesa send to agent cash-out", "mobile-money"),
            ServiceKey("Kilima Post", "Kilima money order", "cash"),
        ])
        #expect(try options.map { try num($0, "fee") } == [13, 15, 30, 30, 39, 100])

        let table = try await sandbox.remit("compare", "--from", "KE", "--to", "KE", "--amount", "1000")
        #expect(table.status == 0, "\(table)")
        #expect(table.stderr.isEmpty, "\(table)")
        #expect(table.stdout.hasPrefix("Sending KES 1,000.00 from Kenya to Kenya (domestic, no currency exchange)"), "\(table)")
        #expect(!table.stdout.contains("Reference rate:"), "\(table)")
    }
}

@Suite("country arguments")
struct CountryArgumentTests {
    static let spellingPairs: [[String]] = [
        ["usa", "mexico"], ["USA", "MEX"], ["us", "mx"], ["United States", "Mexico"], ["united states", "MEXICO"], ["US", "México"],
    ]

    @Test("alpha-2, alpha-3 and English names, any case, give the same comparison as US / MX", arguments: spellingPairs)
    func spellings(_ pair: [String]) async throws {
        let sandbox = try Sandbox()
        let canonical = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "json")
        let spelled = try await sandbox.remit("compare", "--from", pair[0], "--to", pair[1], "--amount", "300", "--format", "json")
        #expect(spelled.status == 0, "\(spelled)")
        #expect(spelled.stderr.isEmpty, "\(spelled)")
        #expect(spelled.stdout == canonical.stdout)
        #expect(!spelled.stdout.isEmpty)
    }

    @Test("a common alternative name: --from germany --to turkey is DE→TR")
    func alternativeName() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "germany", "--to", "turkey", "--amount", "100")
        let corridor = try obj(document, "corridor")
        #expect(try str(corridor, "from") == "DE")
        #expect(try str(corridor, "to") == "TR")
        #expect(try objects(document, "options").count == 9)
    }
}

/// One fee to check at one amount in US→MX.
struct FeeCase: Sendable, CustomTestStringConvertible {
    var amount: String
    var service: ServiceKey
    var fee: Double
    var why: String
    var testDescription: String { "USD \(amount), \(service.service) (\(service.funding)): \(fee) — \(why)" }
}

@Suite("fee bands, caps and rounding")
struct FeeAndRoundingTests {
    static let rapido = ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash")
    static let meridianCash = ServiceKey("Meridian Money Transfer", "Cash pickup", "cash")
    static let bluefinchAccount = ServiceKey("Bluefinch Transfer", "Bank deposit", "bank-account")
    static let bluefinchDebit = ServiceKey("Bluefinch Transfer", "Bank deposit", "debit-card")

    static let cases: [FeeCase] = [
        FeeCase(amount: "500", service: rapido, fee: 4.99, why: "top of band 1.00–500.00"),
        FeeCase(amount: "500.01", service: rapido, fee: 7.99, why: "bottom of band 500.01–1000.00"),
        FeeCase(amount: "200", service: meridianCash, fee: 9.99, why: "top of band 1.00–200.00"),
        FeeCase(amount: "200.01", service: meridianCash, fee: 11.99, why: "bottom of band 200.01–500.00"),
        FeeCase(amount: "1000.01", service: meridianCash, fee: 15.00, why: "1.5 % = 15.00015 → minimum 15.00"),
        FeeCase(amount: "1200", service: meridianCash, fee: 18.00, why: "1.5 % of 1200, between min and max"),
        FeeCase(amount: "4000", service: meridianCash, fee: 40.00, why: "1.5 % = 60 → capped at 40.00"),
        FeeCase(amount: "10000", service: bluefinchAccount, fee: 30.00, why: "0.5 % = 50 → capped at 30.00"),
        FeeCase(amount: "10000.01", service: bluefinchAccount, fee: 30.00, why: "open-ended band 10000.01+, flat 30.00"),
        FeeCase(amount: "3", service: bluefinchDebit, fee: 3.01, why: "2.99 + 0.5 % of 3 = 3.005 → 3.01, half away from zero"),
    ]

    @Test("fee at band edges, minimum and maximum", arguments: cases)
    func fee(_ feeCase: FeeCase) async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", feeCase.amount)
        let amount = try #require(Double(feeCase.amount))
        let options = try objects(document, "options")
        let found = try option(options, feeCase.service)
        #expect(close(try num(found, "fee"), feeCase.fee), "\(found)")
        #expect(close(try num(found, "amount"), amount))
    }

    @Test("an amount above a service's last band leaves it out of the ranking (Rapido Efectivo stops at 2999.99)")
    func outsideBands() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", "3000")
        let options = try checkComparisonDocument(document, sendAmount: 3000)
        #expect(try !options.map(ServiceKey.init).contains(Self.rapido))
        let notRanked = try objects(document, "notRanked")
        #expect(try notRanked.map(ServiceKey.init).contains(Self.rapido), "\(notRanked)")
    }

    // USD 20,000 is above every band but two. Bluefinch Bank deposit (bank account), band 10000.01+: flat 30.00, rate 18.2053:
    // FX cost 20000 × 0.600048 % = 120.01, total 150.01, recipient 20000 × 18.2053 = 364,106.00.
    // Northbridge Global wire, band 5000.01+: 35.00, margin 3.5 %: FX cost 700.00, total 735.00,
    // recipient 20000 × 17.674168 = 353,483.36.
    @Test("a large amount (USD 20,000): two services can send it, the other ten are listed with null prices and a reason")
    func largeAmount() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", "20000")
        let options = try checkComparisonDocument(document, sendAmount: 20000)
        #expect(try options.map(ServiceKey.init) == [Self.bluefinchAccount, ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account")])
        try #require(options.count == 2)
        #expect(close(try num(options[0], "fee"), 30))
        #expect(close(try num(options[0], "totalCost"), 150.01))
        #expect(close(try num(options[0], "recipientAmount"), 364_106))
        #expect(close(try num(options[1], "fee"), 35))
        #expect(close(try num(options[1], "totalCost"), 735))
        #expect(close(try num(options[1], "recipientAmount"), 353_483.36))
        let notRanked = try objects(document, "notRanked")
        #expect(notRanked.count == 10)
        for entry in notRanked {
            #expect(!(try str(entry, "reason")).isEmpty, "\(entry)")
            for key in ["fee", "totalCost", "totalCostPercent", "recipientAmount", "exchangeRate", "fxMarginPercent"] {
                #expect(entry.keys.contains(key) && isNull(entry[key]), "\(key) should be present and null: \(entry)")
            }
        }
    }

    @Test("recipient amounts round half away from zero: USD 15 × 17.8390 = 267.585 → MXN 267.59")
    func recipientRoundingCents() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", "15")
        let rapido = try option(try objects(document, "options"), Self.rapido)
        #expect(dec("15") * dec("17.8390") == dec("267.585"))
        #expect(close(try num(rapido, "recipientAmount"), 267.59))
    }

    @Test("XOF has no decimals: FR→SN EUR 200 and EUR 37.50 (37.5 × 642.84 = 24,106.5 → 24,107)")
    func zeroDecimalCurrency() async throws {
        let sandbox = try Sandbox()
        let document = try await compareJSON(sandbox, "--from", "FR", "--to", "SN", "--amount", "200")
        let options = try checkComparisonDocument(document, sendAmount: 200)
        for option in options {
            let received = try num(option, "recipientAmount")
            #expect(received == received.rounded(), "XOF amounts are whole: \(option)")
        }
        // Bluefinch Mobile wallet: margin 0.8 % → rate 655.957 × 0.992 = 650.709344; 200 × 650.709344 = 130,141.87 → 130,142.
        let bluefinch = try option(options, ServiceKey("Bluefinch Transfer", "Mobile wallet", "bank-account"))
        #expect(close(try num(bluefinch, "recipientAmount"), 130_142))
        #expect(close(try num(bluefinch, "exchangeRate"), 650.709344))
        // Dakar Express Transfert espèces: 5.00 deducted: (200 − 5) × 640.21 = 124,840.95 → 124,841.
        let dakar = try option(options, ServiceKey("Dakar Express Transfert", "Transfert espèces", "cash"))
        #expect(close(try num(dakar, "recipientAmount"), 124_841))
        #expect(close(try num(dakar, "senderPays"), 200))

        let half = try await compareJSON(sandbox, "--from", "FR", "--to", "SN", "--amount", "37.50")
        let meridian = try option(try objects(half, "options"), ServiceKey("Meridian Money Transfer", "Online to mobile wallet", "debit-card"))
        #expect(close(try num(meridian, "recipientAmount"), 24_107))

        let table = try await sandbox.remit("compare", "--from", "FR", "--to", "SN", "--amount", "200")
        #expect(table.stdout.contains("XOF 130,142"), "\(table)")
    }

    @Test("an amount in another currency is converted at the reference rate (EUR 300 × 1.1618 = USD 348.54)")
    func otherCurrency() async throws {
        let sandbox = try Sandbox()
        let euros = try await compareJSON(sandbox, "--from", "US", "--to", "MX", "--amount", "300", "--currency", "EUR")
        let amount = try obj(euros, "amount")
        #expect(close(try num(amount, "value"), 348.54), "\(amount)")
        #expect(try str(amount, "currency") == "USD", "\(amount)")
        // GBP → USD crosses via EUR: 100 × 1.1618 / 0.8742 = 132.899… → USD 132.90.
        let pounds = try await compareJSON(sandbox, "--from", "US", "--to", "MX", "--amount", "100", "--currency", "gbp")
        #expect(close(try num(obj(pounds, "amount"), "value"), 132.90))
        // USD → EUR uses the EUR→USD rate inverted: 200 / 1.1618 = 172.146… → EUR 172.15 (the README's USD 200 equivalent).
        let dollars = try await compareJSON(sandbox, "--from", "France", "--to", "Senegal", "--amount", "200", "--currency", "USD")
        #expect(close(try num(obj(dollars, "amount"), "value"), 172.15))
        #expect(try str(obj(dollars, "amount"), "currency") == "EUR")
    }

    // Lakeshore Remesa Directa deducts a 7.00 fee from any amount in its 1.00–1000.00 band. At USD 3.00 the recipient
    // would get (3.00 − 7.00) × 17.9855 = −71.94 MXN: no service can deliver a negative amount, so it must not be ranked.
    @Test("a deducted fee larger than the amount is never ranked with a negative recipient amount (USD 3)")
    func deductedFeeAboveAmount() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", "3")
        let options = try objects(document, "options")
        for option in options {
            let received = number(option["recipientAmount"]) ?? 0
            #expect(received > 0, "\((try? ServiceKey(option))?.description ?? "?") is ranked delivering \(received)")
        }
        #expect(try !options.map(ServiceKey.init).contains(ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account")))
    }

    // docs/cli.md: --date compares "fee schedules valid then, and reference rates of that day or the latest earlier one".
    // The sample's quotes were all observed on 2026-11-27, so on 2026-11-20 no service has a rate yet.
    @Test("--date 2026-11-20: that day's reference rate (18.2714); no quote observed yet, so nothing is ranked")
    func dateBeforeQuotes() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", "300", "--date", "2026-11-20")
        let reference = try obj(document, "referenceRate")
        #expect(close(try num(reference, "rate"), 18.2714))
        #expect(try str(reference, "date") == "2026-11-20")
        #expect(try objects(document, "options").isEmpty)
        #expect(isNull(document["summary"]))
        let notRanked = try objects(document, "notRanked")
        #expect(Set(try notRanked.map(ServiceKey.init)) == Set(usMexicoAt300))
        for entry in notRanked {
            #expect(!(try str(entry, "reason")).isEmpty, "\(entry)")
            #expect(isNull(entry["rank"]) && isNull(entry["totalCostPercent"]), "\(entry)")
        }
    }

    @Test("--date 2026-11-28: the latest earlier reference rate (2026-11-27) and the full ranking")
    func dateAfterQuotes() async throws {
        let document = try await compareJSON(try Sandbox(), "--from", "US", "--to", "MX", "--amount", "300", "--date", "2026-11-28")
        let reference = try obj(document, "referenceRate")
        #expect(close(try num(reference, "rate"), 18.3152))
        #expect(try str(reference, "date") == "2026-11-27")
        #expect(try checkComparisonDocument(document, sendAmount: 300).map(ServiceKey.init) == usMexicoAt300)
    }

    @Test("--date before every fee schedule (2025-06-01) is a usage error: no reference rate yet")
    func dateBeforeEverything() async throws {
        let result = try await Sandbox().remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--date", "2025-06-01")
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines.first?.hasPrefix("Error: ") == true, "\(result)")
    }
}

/// One comparison per sample corridor, at about USD 200 (the RPW survey amount; fixtures/sample/README.md).
struct CorridorAmount: Sendable, CustomTestStringConvertible {
    var from, to, amount: String
    var ranked: Int
    var testDescription: String { "\(from)→\(to) \(amount)" }
}

@Suite("every sample corridor")
struct EverySampleCorridorTests {
    // Ranked counts by hand: services whose bands cover the amount, formal and with a disclosed rate.
    // US→PH 200: all 9 (Northbridge ExpressSend from 50, Paperkite from 10, Balikbayan from 20).
    // GB→IN 150.49: 8 services, Albion Crown Bank undisclosed → 7.  DE→TR 172.15: all 9.
    // SA→PK 750: 10 services, the hawala informal → 9.  FR→SN 172.15 EUR: all 9.  KE→KE 25,800: Kilima Post stops at
    // 70,000, Jambo send money at 250,000, cash-out at 150,000, Savanna Instant at 999,999.99 → all 6.
    static let corridors = [
        CorridorAmount(from: "US", to: "MX", amount: "200", ranked: 12),
        CorridorAmount(from: "US", to: "PH", amount: "200", ranked: 9),
        CorridorAmount(from: "GB", to: "IN", amount: "150.49", ranked: 7),
        CorridorAmount(from: "DE", to: "TR", amount: "172.15", ranked: 9),
        CorridorAmount(from: "SA", to: "PK", amount: "750", ranked: 9),
        CorridorAmount(from: "FR", to: "SN", amount: "172.15", ranked: 9),
        CorridorAmount(from: "KE", to: "KE", amount: "25800", ranked: 6),
    ]

    @Test("JSON is well formed, ranked by cost, obeys the RPW identity; CSV has one row per listed service", arguments: corridors)
    func corridor(_ corridor: CorridorAmount) async throws {
        let sandbox = try Sandbox()
        let document = try await compareJSON(sandbox, "--from", corridor.from, "--to", corridor.to, "--amount", corridor.amount)
        let options = try checkComparisonDocument(document, sendAmount: (corridor.amount as NSString).doubleValue)
        #expect(options.count == corridor.ranked)
        let percents = try options.map { try num($0, "totalCostPercent") }
        #expect(percents == percents.sorted())
        for option in options { #expect(try num(option, "recipientAmount") > 0, "\(option)") }
        let listed = options.count + (try objects(document, "notRanked").count) + (try objects(document, "informal").count)

        let csv = try await sandbox.remit("compare", "--from", corridor.from, "--to", corridor.to, "--amount", corridor.amount,
                                          "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        let rows = parseCSV(csv.stdout)
        #expect(rows.first == compareCSVColumns)
        #expect(rows.count == listed + 1, "\(csv)")
        #expect(rows.dropFirst().allSatisfy { $0.count == compareCSVColumns.count }, "\(csv)")

        let markdown = try await sandbox.remit("compare", "--from", corridor.from, "--to", corridor.to, "--amount", corridor.amount,
                                               "--format", "markdown")
        #expect(markdown.status == 0, "\(markdown)")
        #expect(markdown.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("| ") }.count == corridor.ranked + 1, "\(markdown)")
    }
}
