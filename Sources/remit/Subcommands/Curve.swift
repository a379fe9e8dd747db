import ArgumentParser
import Foundation
import RemitKit

extension RemitCommand {
    /// `remit curve`: total cost % of a corridor's services across amounts, with the break-even amounts.
    struct Curve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how total cost changes with the amount sent, and where the cheapest service changes.",
            discussion: """
                Prices every service with a fee schedule at each amount from --min to --max every --step, in --currency. For each amount it shows the cheapest formal service, and it lists the break-even amounts where the cheapest changes, exact to the minor unit (cents).

                Examples:
                  remit curve --from US --to MX
                  remit curve --from US --to MX --min 50 --max 2000 --step 50 --payout cash
                  remit curve --from GB --to IN --format csv > curve.csv
                  remit curve --from US --to PH --format svg > curve.svg
                """)

        @Option(help: ArgumentHelp("The sending country: ISO code (US, USA) or English name.", valueName: "country"))
        var from: String

        @Option(help: ArgumentHelp("The receiving country: ISO code (MX, MEX) or English name.", valueName: "country"))
        var to: String

        @Option(help: ArgumentHelp("The smallest amount, in --currency.", valueName: "amount"))
        var min = "50"

        @Option(help: ArgumentHelp("The largest amount, in --currency.", valueName: "amount"))
        var max = "2000"

        @Option(help: ArgumentHelp("The distance between two amounts, in --currency.", valueName: "amount"))
        var step = "50"

        @Option(help: ArgumentHelp("The currency of the amounts (default: the sending country's).", valueName: "code"))
        var currency: String?

        @OptionGroup var filters: FilterOptions

        @Option(help: ArgumentHelp("Prices in force on this day, YYYY-MM-DD (default: today).", valueName: "date"))
        var date: String?


        @Flag(name: .customLong("include-informal"), help: "Also draw informal channels, for reference (never the cheapest).")
        var includeInformal = false

        @Option(help: "Output format.")
        var format: CurveFormat = .table

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            _ = try request()
        }

        func run() throws {
            let curve = try database.open().costCurve(try request())
            emit(try CurveRenderer.render(curve, as: format))
        }

        /// The library request these options describe; throws a usage error when they do not make one.
        func request() throws -> CurveRequest {
            let grid: CurveGrid
            do {
                grid = try CurveGrid(minimum: try amount(min, option: "--min", example: "50 or 1999.99"), maximum: try amount(max, option: "--max", example: "50 or 1999.99"),
                                     step: try amount(step, option: "--step", example: "50 or 1999.99"))
            } catch let error as CurveError {
                throw ValidationError(error.description)
            }
            var request = CurveRequest(from: try country(from), to: try country(to), grid: grid)
            request.currency = try currency.map { try remit.currency($0).code }
            request.filter = filters.filter
            request.includeInformal = includeInformal
            request.date = try date.map(remit.date)
            return request
        }
    }
}

extension CurveFormat: ExpressibleByArgument {}
