import Foundation
import Testing

// Filters, sort orders and --limit on US→MX at USD 300. Expected sets come from the hand-computed
// ranking `usMexicoAt300` (CompareOutputTests.swift) and the service columns of fixtures/sample/schedules.csv.

/// Runs `remit compare --from US --to MX --amount 300 --format json` plus `extra`, checks the run and the document.
func usMexicoJSON(_ sandbox: Sandbox, _ extra: String..., sourceLocation: SourceLocation = #_sourceLocation)
    async throws -> (document: [String: Any], options: [[String: Any]]) {
    let result = try await sandbox.remit(["compare", "--from", "US", "--to", "MX", "--amount", "300", "--format", "json"] + extra,
                                         sourceLocation: sourceLocation)
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
    let document = try jsonObject(result, sourceLocation: sourceLocation)
    let options = try checkComparisonDocument(document, sendAmount: 300, sourceLocation: sourceLocation)
    return (document, options)
}

/// RPW speed buckets, fastest first.
let speedOrder = ["less-than-one-hour", "same-day", "next-day", "2-days", "3-5-days", "6-days-or-more"]

@Suite("compare filters, sorting and --limit")
struct FilterTests {
    @Test("--payout cash: only cash payout, the six cash-pickup services")
    func payoutCash() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--payout", "cash")
        for option in options { #expect(try str(option, "payoutMethod") == "cash") }
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "debit-card"),
            ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"),
            ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"),
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "credit-card"),
            ServiceKey("Meridian Money Transfer", "Cash pickup", "cash"),
            ServiceKey("Northbridge Bank", "ExpressSend cash pickup", "bank-account"),
        ])
    }

    @Test("--funding debit-card: only debit-card services")
    func fundingDebitCard() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--funding", "debit-card")
        for option in options { #expect(try str(option, "fundingMethod") == "debit-card") }
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Paperkite Money", "Welcome rate (first transfer)", "debit-card"),
            ServiceKey("Bluefinch Transfer", "Bank deposit", "debit-card"),
            ServiceKey("Rapido Remesas", "Rapido Deposito Bancario", "debit-card"),
            ServiceKey("Meridian Money Transfer", "Online to mobile wallet", "debit-card"),
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "debit-card"),
        ])
    }

    @Test("--max-speed same-day: less than one hour or same day; the next-day and 2-day services drop out")
    func maxSpeed() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--max-speed", "same-day")
        for option in options { #expect(["less-than-one-hour", "same-day"].contains(try str(option, "speed")), "\(option)") }
        let slow: Set = [
            ServiceKey("Bluefinch Transfer", "Bank deposit", "bank-account"),          // next-day
            ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"), // next-day
            ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account"),   // 2-days
        ]
        #expect(try options.map(ServiceKey.init) == usMexicoAt300.filter { !slow.contains($0) })
    }

    @Test("--firm-type bank: Northbridge Bank's two services only")
    func firmTypeBank() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--firm-type", "bank")
        for option in options { #expect(try str(option, "firmType") == "bank") }
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Northbridge Bank", "ExpressSend cash pickup", "bank-account"),
            ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account"),
        ])
    }

    @Test("--without-bank-account: only cash-funded services that need no account")
    func withoutBankAccount() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--without-bank-account")
        for option in options {
            #expect(try str(option, "fundingMethod") == "cash", "\(option)")
            #expect(option["requiresBankAccount"] as? Bool == false, "\(option)")
        }
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"),
            ServiceKey("Meridian Money Transfer", "Cash pickup", "cash"),
        ])
    }

    @Test("--payout cash --without-bank-account (the help example)")
    func combinedFilters() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--payout", "cash", "--without-bank-account")
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"),
            ServiceKey("Meridian Money Transfer", "Cash pickup", "cash"),
        ])
    }

    @Test("a filter nobody passes: exit 0, no options, no summary, and the table says so")
    func emptyResult() async throws {
        let sandbox = try Sandbox()
        let (document, options) = try await usMexicoJSON(sandbox, "--firm-type", "post-office")
        #expect(options.isEmpty)
        #expect(isNull(document["summary"]))
        let table = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--firm-type", "post-office")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("No formal, transparent service"), "\(table)")
        #expect(!table.stdout.contains("Corridor average"), "\(table)")
    }

    @Test("--limit 3: the three cheapest; the summary still covers all 12; the table says how many are hidden")
    func limit() async throws {
        let sandbox = try Sandbox()
        let (document, options) = try await usMexicoJSON(sandbox, "--limit", "3")
        #expect(try options.map(ServiceKey.init) == Array(usMexicoAt300.prefix(3)))
        #expect(try num(obj(document, "summary"), "rankedCount") == 12)
        let table = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--limit", "3")
        #expect(table.status == 0, "\(table)")
        #expect(tableRows(table.stdout).count == 3, "\(table)")
        #expect(table.stdout.contains("9 more ranked services not shown"), "\(table)")
    }

    @Test("--limit larger than the ranking shows everything")
    func limitAboveCount() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--limit", "50")
        #expect(try options.map(ServiceKey.init) == usMexicoAt300)
    }

    @Test("--sort speed: fastest bucket first, cheapest first within a bucket")
    func sortSpeed() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--sort", "speed")
        let speeds = try options.map { try #require(speedOrder.firstIndex(of: try str($0, "speed"))) }
        #expect(speeds == speeds.sorted(), "speeds: \(speeds)")
        #expect(try options.map(ServiceKey.init) == [
            // less than one hour: 2.0967, 3.2301, 3.6633, 4.2634, 6.6633, 7.0968 %
            ServiceKey("Bluefinch Transfer", "Bank deposit", "debit-card"),
            ServiceKey("Meridian Money Transfer", "Online to mobile wallet", "debit-card"),
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "debit-card"),
            ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"),
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "credit-card"),
            ServiceKey("Meridian Money Transfer", "Cash pickup", "cash"),
            // same day: 0.95, 2.3966, 8.8 %
            ServiceKey("Paperkite Money", "Welcome rate (first transfer)", "debit-card"),
            ServiceKey("Rapido Remesas", "Rapido Deposito Bancario", "debit-card"),
            ServiceKey("Northbridge Bank", "ExpressSend cash pickup", "bank-account"),
            // next day: 1.2634, 4.1335 %
            ServiceKey("Bluefinch Transfer", "Bank deposit", "bank-account"),
            ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"),
            // 2 days
            ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account"),
        ])
    }

    @Test("--sort received: most received first (ties: cheaper first)")
    func sortReceived() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--sort", "received")
        let received = try options.map { try num($0, "recipientAmount") }
        #expect(received == received.sorted(by: >), "recipient amounts: \(received)")
        #expect(try options.map(ServiceKey.init) == [
            ServiceKey("Paperkite Money", "Welcome rate (first transfer)", "debit-card"),   // 5515.44
            ServiceKey("Bluefinch Transfer", "Bank deposit", "bank-account"),              // 5461.59, 1.26 %
            ServiceKey("Bluefinch Transfer", "Bank deposit", "debit-card"),                // 5461.59, 2.10 %
            ServiceKey("Rapido Remesas", "Rapido Deposito Bancario", "debit-card"),        // 5417.64
            ServiceKey("Meridian Money Transfer", "Online to mobile wallet", "debit-card"),  // 5390.16
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "debit-card"),  // 5384.67, 3.66 %
            ServiceKey("Meridian Money Transfer", "Online to cash pickup", "credit-card"), // 5384.67, 6.66 %
            ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"),                       // 5351.70
            ServiceKey("Meridian Money Transfer", "Cash pickup", "cash"),                  // 5324.22
            ServiceKey("Northbridge Bank", "Global wire transfer", "bank-account"),        // 5302.25
            ServiceKey("Northbridge Bank", "ExpressSend cash pickup", "bank-account"),     // 5285.77
            ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"), // 5269.75
        ])
    }

    @Test("--sort cost is the default")
    func sortCostDefault() async throws {
        let (_, options) = try await usMexicoJSON(Sandbox(), "--sort", "cost")
        #expect(try options.map(ServiceKey.init) == usMexicoAt300)
    }
}
