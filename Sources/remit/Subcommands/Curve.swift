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

        @Option(help: "Only services paying out this way.")
        var payout: PayoutMethod?

        @Option(help: "Only services funded this way.")
        var funding: FundingMethod?

        @Option(name: .customLong("max-speed"), help: "Only services at least this fast.")
        var maxSpeed: Speed?

        @Option(name: .customLong("firm-type"), help: "Only providers of this kind.")
        var firmType: FirmType?

        @Option(help: ArgumentHelp("Prices in force on this day, YYYY-MM-DD (default: today).", valueName: "date"))
        var date: String?

        @Flag(name: .customLong("without-bank-account"), help: "Only services a sender can use with cash and an ID, without a bank account or card.")
        var withoutBankAccount = false

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
                grid = try CurveGrid(minimum: try Self.number(min, option: "--min"), maximum: try Self.number(max, option: "--max"),
                                     step: try Self.number(step, option: "--step"))
            } catch let error as CurveError {
                throw ValidationError(error.description)
            }
            var request = CurveRequest(from: try country(from), to: try country(to), grid: grid)
            request.currency = try currency.map { try remit.currency($0).code }
            request.filter = ServiceFilter(payoutMethod: payout, fundingMethod: funding, maxSpeed: maxSpeed,
                                           firmType: firmType, withoutBankAccount: withoutBankAccount)
            request.includeInformal = includeInformal
            request.date = try date.map(remit.date)
            return request
        }

        /// A plain decimal number (`1,000` and `1_000` are accepted), below 10^12.
        private static func number(_ text: String, option: String) throws -> Decimal {
            let cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
            guard let value = DecimalText.parse(cleaned), !cleaned.lowercased().contains("e") else {
                throw ValidationError("\(option) must be a number such as 50 or 1999.99, found '\(text)'.")
            }
            guard value < 1_000_000_000_000 else { throw ValidationError("\(option) is too large: '\(text)'.") }
            return value
        }
    }
}

extension CurveFormat: ExpressibleByArgument {}
