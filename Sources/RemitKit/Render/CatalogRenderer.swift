import Foundation

/// Prints the lists behind `remit corridors` and `remit providers`.
public enum CatalogRenderer {
    /// Corridors as a table, JSON, CSV or Markdown.
    public static func render(_ corridors: [CorridorSummary], as format: OutputFormat) throws -> String {
        var table = TextTable(headers: ["from", "to", "fromName", "toName", "sendCurrency", "receiveCurrency",
                                        "services", "providers", "latestPeriod", "schedules"])
        table.rows = corridors.map { summary in
            [summary.corridor.sendingCountry.rawValue, summary.corridor.receivingCountry.rawValue,
             summary.sendingName, summary.receivingName, summary.corridor.sendCurrency.code.rawValue,
             summary.corridor.receiveCurrency.code.rawValue, String(summary.serviceCount), String(summary.providerCount),
             summary.latestPeriod?.description ?? "", summary.hasSchedules ? "yes" : "no"]
        }
        switch format {
        case .csv: return table.csv()
        case .json:
            return try JSONOutput.encode(corridors.map { summary in
                CorridorJSON(from: summary.corridor.sendingCountry.rawValue, to: summary.corridor.receivingCountry.rawValue,
                             fromName: summary.sendingName, toName: summary.receivingName,
                             sendCurrency: summary.corridor.sendCurrency.code.rawValue,
                             receiveCurrency: summary.corridor.receiveCurrency.code.rawValue,
                             services: summary.serviceCount, providers: summary.providerCount,
                             latestPeriod: summary.latestPeriod?.description, schedules: summary.hasSchedules)
            })
        case .table, .markdown:
            var display = TextTable(headers: ["Corridor", "From", "To", "Currencies", "Services", "Providers", "Latest survey", "Fee schedules"],
                                    alignments: [.left, .left, .left, .left, .right, .right, .left, .left])
            display.rows = corridors.map { summary in
                ["\(summary.corridor.sendingCountry)→\(summary.corridor.receivingCountry)", summary.sendingName, summary.receivingName,
                 "\(summary.corridor.sendCurrency.code)→\(summary.corridor.receiveCurrency.code)",
                 String(summary.serviceCount), String(summary.providerCount), summary.latestPeriod?.description ?? "—",
                 summary.hasSchedules ? "yes" : "no"]
            }
            if corridors.isEmpty { return "No corridors with services in the database.\n" }
            return format == .table ? display.aligned() : display.markdown()
        }
    }

    /// Providers as a table, JSON, CSV or Markdown.
    public static func render(_ providers: [ProviderSummary], as format: OutputFormat) throws -> String {
        switch format {
        case .csv:
            var table = TextTable(headers: ["provider", "firmType", "formal", "services", "corridors"])
            table.rows = providers.map {
                [$0.provider.name, $0.provider.firmType.rawValue, $0.provider.isFormal ? "yes" : "no",
                 String($0.serviceCount), $0.corridors.joined(separator: " ")]
            }
            return table.csv()
        case .json:
            return try JSONOutput.encode(providers.map {
                ProviderJSON(provider: $0.provider.name, firmType: $0.provider.firmType.rawValue,
                             firmTypeLabel: $0.provider.firmTypeLabel, formal: $0.provider.isFormal,
                             services: $0.serviceCount, corridors: $0.corridors)
            })
        case .table, .markdown:
            if providers.isEmpty { return "No providers match.\n" }
            var display = TextTable(headers: ["Provider", "Type", "Formal", "Services", "Corridors"],
                                    alignments: [.left, .left, .left, .right, .left])
            display.rows = providers.map {
                [$0.provider.name, $0.provider.firmType.label, $0.provider.isFormal ? "yes" : "no (informal)",
                 String($0.serviceCount), $0.corridors.joined(separator: " ")]
            }
            return format == .table ? display.aligned() : display.markdown()
        }
    }

    private struct CorridorJSON: Encodable {
        var from, to, fromName, toName, sendCurrency, receiveCurrency: String
        var services, providers: Int
        var latestPeriod: String?
        var schedules: Bool

        enum CodingKeys: String, CodingKey {
            case from, to, fromName, toName, sendCurrency, receiveCurrency, services, providers, latestPeriod, schedules
        }

        func encode(to encoder: any Encoder) throws {
            var box = encoder.container(keyedBy: CodingKeys.self)
            try box.encode(from, forKey: .from)
            try box.encode(to, forKey: .to)
            try box.encode(fromName, forKey: .fromName)
            try box.encode(toName, forKey: .toName)
            try box.encode(sendCurrency, forKey: .sendCurrency)
            try box.encode(receiveCurrency, forKey: .receiveCurrency)
            try box.encode(services, forKey: .services)
            try box.encode(providers, forKey: .providers)
            try box.encode(latestPeriod, forKey: .latestPeriod)
            try box.encode(schedules, forKey: .schedules)
        }
    }

    private struct ProviderJSON: Encodable {
        var provider, firmType: String
        var firmTypeLabel: String?
        var formal: Bool
        var services: Int
        var corridors: [String]

        enum CodingKeys: String, CodingKey { case provider, firmType, firmTypeLabel, formal, services, corridors }

        func encode(to encoder: any Encoder) throws {
            var box = encoder.container(keyedBy: CodingKeys.self)
            try box.encode(provider, forKey: .provider)
            try box.encode(firmType, forKey: .firmType)
            try box.encode(firmTypeLabel, forKey: .firmTypeLabel)
            try box.encode(formal, forKey: .formal)
            try box.encode(services, forKey: .services)
            try box.encode(corridors, forKey: .corridors)
        }
    }
}
