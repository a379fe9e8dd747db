import ArgumentParser
import Foundation
import RemitKit

extension RemitCommand {
    /// `remit rates`: the reference rate remit would use.
    struct Rates: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the reference rate remit uses between two currencies on a day.",
            discussion: """
                The rate of the day or the latest earlier one, as quoted, inverted, or crossed through EUR (as ECB rates are published).

                Examples:
                  remit rates --from USD --to MXN
                  remit rates --from GBP --to INR --date 2024-03-01 --format json
                """)

        @Option(help: ArgumentHelp("The currency converted from (ISO 4217).", valueName: "code"))
        var from: String

        @Option(help: ArgumentHelp("The currency converted to (ISO 4217).", valueName: "code"))
        var to: String

        @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "date"))
        var date: String?

        @OptionGroup var output: FormatOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            _ = try codes()
        }

        func run() throws {
            let (base, quote, day) = try codes()
            guard let rate = try database.open().referenceRate(from: base, to: quote, on: day) else {
                throw LookupError.noReferenceRate(from: base.rawValue, to: quote.rawValue, date: day.description)
            }
            emit(try RateRenderer.render(rate, from: base, to: quote, requested: day, as: output.format))
        }

        private func codes() throws -> (CurrencyCode, CurrencyCode, CalendarDate) {
            (try currency(from).code, try currency(to).code, try date.map(remit.date) ?? CalendarDate.today())
        }
    }
}
