import Foundation
import Testing

// `remit corridors`, `remit providers` and the help text.

/// One sample corridor, as counted by hand in fixtures/sample/schedules.csv.
struct CorridorRow: Hashable, Sendable {
    var from, to, sendCurrency, receiveCurrency: String
    var services, providers: Int
}

/// The sample's seven corridors (fixtures/sample/README.md; counted in schedules.csv), in the order remit lists them.
let sampleCorridors = [
    CorridorRow(from: "DE", to: "TR", sendCurrency: "EUR", receiveCurrency: "TRY", services: 9, providers: 6),
    CorridorRow(from: "FR", to: "SN", sendCurrency: "EUR", receiveCurrency: "XOF", services: 9, providers: 6),
    CorridorRow(from: "GB", to: "IN", sendCurrency: "GBP", receiveCurrency: "INR", services: 8, providers: 6),
    CorridorRow(from: "KE", to: "KE", sendCurrency: "KES", receiveCurrency: "KES", services: 6, providers: 4),
    CorridorRow(from: "SA", to: "PK", sendCurrency: "SAR", receiveCurrency: "PKR", services: 10, providers: 7),
    CorridorRow(from: "US", to: "MX", sendCurrency: "USD", receiveCurrency: "MXN", services: 12, providers: 6),
    CorridorRow(from: "US", to: "PH", sendCurrency: "USD", receiveCurrency: "PHP", services: 9, providers: 6),
]

@Suite("remit corridors and remit providers")
struct CatalogTests {
    @Test("corridors: the seven sample corridors as a table")
    func corridorsTable() async throws {
        let result = try await Sandbox().remit("corridors")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let rows = tableRows(result.stdout)
        #expect(rows.count == 7, "\(result)")
        for (row, corridor) in zip(rows, sampleCorridors) {
            #expect(row.hasPrefix("\(corridor.from)→\(corridor.to)"), "\(row)")
            #expect(row.contains("\(corridor.sendCurrency)→\(corridor.receiveCurrency)"), "\(row)")
        }
        #expect(result.stdout.contains("Türkiye") && result.stdout.contains("Philippines"))
    }

    @Test("corridors --format json")
    func corridorsJSON() async throws {
        let result = try await Sandbox().remit("corridors", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let entries = try jsonArray(result)
        let rows = try entries.map { entry in
            CorridorRow(from: try str(entry, "from"), to: try str(entry, "to"), sendCurrency: try str(entry, "sendCurrency"),
                        receiveCurrency: try str(entry, "receiveCurrency"), services: Int(try num(entry, "services")),
                        providers: Int(try num(entry, "providers")))
        }
        #expect(rows == sampleCorridors)
        for entry in entries {
            #expect(entry["fromName"] is String && entry["toName"] is String, "\(entry)")
            #expect(entry["schedules"] as? Bool == true, "\(entry)")
        }
    }

    @Test("corridors --format csv")
    func corridorsCSV() async throws {
        let result = try await Sandbox().remit("corridors", "--format", "csv")
        #expect(result.status == 0, "\(result)")
        let rows = parseCSV(result.stdout)
        try #require(rows.count == 8, "\(result)")
        #expect(rows[0] == ["from", "to", "fromName", "toName", "sendCurrency", "receiveCurrency", "services", "providers",
                            "latestPeriod", "schedules"])
        let parsed = rows.dropFirst().map {
            CorridorRow(from: $0[0], to: $0[1], sendCurrency: $0[4], receiveCurrency: $0[5], services: Int($0[6]) ?? -1,
                        providers: Int($0[7]) ?? -1)
        }
        #expect(parsed == sampleCorridors)
    }

    @Test("corridors --from US lists US→MX and US→PH only")
    func corridorsFrom() async throws {
        let result = try await Sandbox().remit("corridors", "--from", "united states", "--format", "json")
        #expect(result.status == 0, "\(result)")
        #expect(try jsonArray(result).map { "\(try str($0, "from"))→\(try str($0, "to"))" } == ["US→MX", "US→PH"])
    }

    // US→PH in schedules.csv: Meridian (Cash pickup, Online to mobile wallet), Bluefinch (Mobile wallet by bank account
    // and by credit card), Paperkite (Bank deposit), Northbridge (Global wire, ExpressSend), Balikbayan (Door-to-door),
    // Lakeshore (Padala cash pickup).
    static let usPhilippinesProviders: [(String, String, Int)] = [
        ("Balikbayan Door Express", "money-transfer-operator", 1),
        ("Bluefinch Transfer", "money-transfer-operator", 2),
        ("Lakeshore Federal Credit Union", "credit-union", 1),
        ("Meridian Money Transfer", "money-transfer-operator", 2),
        ("Northbridge Bank", "bank", 2),
        ("Paperkite Money", "money-transfer-operator", 1),
    ]

    @Test("providers --from US --to PH: six providers and their US→PH service counts")
    func providersUSPH() async throws {
        let sandbox = try Sandbox()
        let table = try await sandbox.remit("providers", "--from", "US", "--to", "PH")
        #expect(table.status == 0, "\(table)")
        #expect(table.stderr.isEmpty, "\(table)")
        let rows = tableRows(table.stdout)
        #expect(rows.count == 6, "\(table)")
        for (row, provider) in zip(rows, Self.usPhilippinesProviders) { #expect(row.hasPrefix(provider.0), "\(row)") }
        #expect(!table.stdout.contains("Rapido"), "Rapido Remesas does not serve US→PH")

        let json = try await sandbox.remit("providers", "--from", "US", "--to", "PH", "--format", "json")
        #expect(json.status == 0, "\(json)")
        let entries = try jsonArray(json)
        #expect(entries.count == 6)
        for (entry, expected) in zip(entries, Self.usPhilippinesProviders) {
            #expect(try str(entry, "provider") == expected.0)
            #expect(try str(entry, "firmType") == expected.1)
            #expect(Int(try num(entry, "services")) == expected.2, "\(entry)")
            #expect(entry["formal"] as? Bool == true)
            #expect(entry["corridors"] as? [String] == ["US→PH"], "\(entry)")
        }

        let csv = try await sandbox.remit("providers", "--from", "US", "--to", "PH", "--format", "csv")
        let rows2 = parseCSV(csv.stdout)
        #expect(rows2.first == ["provider", "firmType", "formal", "services", "corridors"])
        #expect(rows2.count == 7, "\(csv)")
    }

    @Test("providers: all 27 sample providers; the hawala is informal; Meridian has 15 services in 6 corridors")
    func allProviders() async throws {
        let result = try await Sandbox().remit("providers", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let entries = try jsonArray(result)
        #expect(entries.count == 27)
        let hawala = try #require(entries.first { $0["provider"] as? String == "Darwaza Hawala" })
        #expect(hawala["formal"] as? Bool == false)
        let meridian = try #require(entries.first { $0["provider"] as? String == "Meridian Money Transfer" })
        #expect(Int(try num(meridian, "services")) == 15)   // US→MX 4, US→PH 2, GB→IN 2, DE→TR 3, SA→PK 1, FR→SN 3
        #expect((meridian["corridors"] as? [String])?.count == 6)
    }
}

@Suite("help")
struct HelpTests {
    @Test("remit --help lists the subcommands and shows examples")
    func rootHelp() async throws {
        let result = try await Sandbox().remit("--help")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let text = squeezed(result.stdout)
        for subcommand in ["compare", "corridors", "providers"] {
            #expect(result.stdout.range(of: "(?m)^\\s+\(subcommand)\\s", options: .regularExpression) != nil, "no '\(subcommand)' in\n\(result)")
        }
        #expect(text.contains("Examples:"))
        #expect(text.contains("remit compare --from US --to MX --amount 300"))
        #expect(text.contains("remit corridors") && text.contains("remit providers --from US --to PH"))
    }

    @Test("remit compare --help lists each option's values")
    func compareHelp() async throws {
        let result = try await Sandbox().remit("compare", "--help")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let text = squeezed(result.stdout)
        let lists = [
            "--payout": "cash, bank-account, mobile-wallet, home-delivery, other",
            "--funding": "cash, bank-account, debit-card, credit-card, mobile-money, other",
            "--max-speed": "less-than-one-hour, same-day, next-day, 2-days, 3-5-days, 6-days-or-more",
            "--firm-type": "bank, money-transfer-operator, post-office, mobile-operator, non-bank-fi, credit-union, other",
            "--sort": "cost, received, speed",
            "--format": "table, json, csv, markdown",
        ]
        for (option, values) in lists.sorted(by: { $0.key < $1.key }) {
            #expect(text.contains(option), "\(option) missing")
            #expect(text.contains(values), "\(option): values '\(values)' missing from\n\(result.stdout)")
        }
        for option in ["--from", "--to", "--amount", "--currency", "--receive", "--period", "--date", "--without-bank-account",
                       "--include-informal", "--limit", "--db"] {
            #expect(text.contains(option), "\(option) missing")
        }
        #expect(text.contains("Examples:"))
    }

    @Test("remit help compare equals remit compare --help")
    func helpSubcommand() async throws {
        let sandbox = try Sandbox()
        let viaHelp = try await sandbox.remit("help", "compare")
        let viaFlag = try await sandbox.remit("compare", "--help")
        #expect(viaHelp.status == 0, "\(viaHelp)")
        #expect(viaHelp.stdout == viaFlag.stdout)
    }

    @Test("the help examples on sample corridors run", arguments: [
        ["compare", "--from", "US", "--to", "MX", "--amount", "300", "--payout", "cash", "--without-bank-account"],
        ["compare", "--from", "GB", "--to", "India", "--receive", "25000", "--payout", "bank-account"],
        ["compare", "--from", "GB", "--to", "IN", "--receive", "25000", "--sort", "cost"],
        ["compare", "--from", "SA", "--to", "PK", "--amount", "1000", "--include-informal", "--format", "json"],
        ["compare", "--from", "France", "--to", "Senegal", "--amount", "200", "--currency", "USD", "--format", "json"],
        ["corridors", "--from", "US", "--format", "csv"],
        ["providers"],
    ])
    func examples(_ arguments: [String]) async throws {
        let result = try await Sandbox().remit(arguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(!result.stdout.isEmpty)
    }
}
