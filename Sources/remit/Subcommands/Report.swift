import ArgumentParser
import Foundation
import RemitKit

extension RemitCommand {
    /// `remit report`: corridor, global and SDG cost reports from survey prices.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cost reports for NGOs and researchers: RPW averages, SmaRT, SDG 10.c, trends.",
            discussion: """
                Reports read the survey prices imported with `remit import rpw`, at the USD 200 (default) or USD 500 price point, and follow the World Bank's RPW method. Every figure is defined in docs/reports.md.

                Examples:
                  remit report corridor --from KE --to TZ
                  remit report global --period 2025_3Q --format html > global.html
                  remit report sdg --sort average --format csv
                """,
            subcommands: [CorridorReportCommand.self, GlobalReportCommand.self, SDGReportCommand.self])
    }

    /// Options every report shares: the period, the price point, the format and the database.
    struct ReportOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The survey period, e.g. 2025_3Q (default: the latest with data).", valueName: "period"))
        var period: String?

        @Option(help: ArgumentHelp("The survey price point in US dollars: 200 or 500.", valueName: "usd"))
        var tier: Int = 200

        @Option(help: "Output format.")
        var format: ReportFormat = .markdown

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            _ = try parsedPeriod()
            _ = try parsedTier()
        }

        func parsedPeriod() throws -> Period? {
            try period.map { text in
                guard let parsed = Period(text) else { throw ValidationError(LookupError.invalidPeriod(text).description) }
                return parsed
            }
        }

        func parsedTier() throws -> ReportTier {
            guard let tier = ReportTier(rawValue: tier) else {
                throw ValidationError("--tier must be 200 or 500 (the RPW price points in US dollars), found \(tier).")
            }
            return tier
        }
    }

    struct CorridorReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "corridor",
            abstract: "One corridor: average, SmaRT, spread, cheapest, groups, SDG 10.c status and trend.")

        @Option(help: ArgumentHelp("The sending country (ISO code or name).", valueName: "country"))
        var from: String

        @Option(help: ArgumentHelp("The receiving country (ISO code or name).", valueName: "country"))
        var to: String

        @OptionGroup var options: ReportOptions

        func validate() throws {
            _ = try (country(from), country(to))
        }

        func run() throws {
            let report = try options.database.open().corridorReport(
                from: try country(from), to: try country(to), period: try options.parsedPeriod(), tier: try options.parsedTier())
            emit(try ReportRenderer.render(report, as: options.format))
        }
    }

    struct GlobalReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "global",
            abstract: "All corridors: global average, regions, income groups, firm types, corridors above 5 %, flows and savings.")

        @OptionGroup var options: ReportOptions

        func run() throws {
            let report = try options.database.open().globalReport(period: try options.parsedPeriod(), tier: try options.parsedTier())
            emit(try ReportRenderer.render(report, as: options.format))
        }
    }

    struct SDGReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sdg",
            abstract: "One row per corridor against SDG 10.c (average below 3 %, SmaRT at or below 5 %), furthest from target first.")

        @Option(help: "How to order the corridors.")
        var sort: SDGOrder = .gap

        @OptionGroup var options: ReportOptions

        func run() throws {
            let report = try options.database.open().sdgReport(period: try options.parsedPeriod(), tier: try options.parsedTier(),
                                                                order: sort)
            emit(try ReportRenderer.render(report, as: options.format))
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension SDGOrder: ExpressibleByArgument {}
