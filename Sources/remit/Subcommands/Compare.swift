import ArgumentParser
import Foundation
import RemitKit

extension RemitCommand {
    /// `remit compare`: ranks a corridor's formal channels for one amount.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank formal channels by total cost for the amount you send.",
            discussion: """
                Total cost = fee + FX margin, where the FX margin is how far the rate offered falls short of the reference (interbank) rate. Informal channels and services that hide their rate are listed separately and never ranked.

                Examples:
                  remit compare --from US --to MX --amount 300
                  remit compare --from US --to MX --amount 300 --payout cash --without-bank-account
                  remit compare --from GB --to IN --receive 25000 --sort cost
                  remit compare --from France --to Senegal --amount 200 --currency USD --format json
                """)

        @Option(help: ArgumentHelp("The sending country: ISO code (US, USA) or English name.", valueName: "country"))
        var from: String

        @Option(help: ArgumentHelp("The receiving country: ISO code (MX, MEX) or English name.", valueName: "country"))
        var to: String

        @Option(help: ArgumentHelp("The amount to send, in --currency.", valueName: "amount"))
        var amount: String?

        @Option(help: ArgumentHelp("The currency of --amount (default: the sending country's).", valueName: "code"))
        var currency: String?

        @Option(help: ArgumentHelp("Reverse mode: the amount the recipient must get, in the receiving currency.", valueName: "amount"))
        var receive: String?

        @OptionGroup var filters: FilterOptions

        @Option(help: ArgumentHelp("Prices of this survey period, e.g. 2025_3Q (default: the latest).", valueName: "period"))
        var period: String?

        @Option(help: ArgumentHelp("Prices in force on this day, YYYY-MM-DD (default: today).", valueName: "date"))
        var date: String?


        @Flag(name: .customLong("include-informal"), help: "List informal channels below the ranking, for reference (never ranked).")
        var includeInformal = false

        @Option(help: "How to order the ranking.")
        var sort: RankingOrder = .cost

        @Option(help: ArgumentHelp("Show at most this many ranked services.", valueName: "n"))
        var limit: Int?

        @OptionGroup var output: FormatOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            _ = try request()
        }

        func run() throws {
            let result = try database.open().compare(try request())
            emit(try ComparisonRenderer.render(result, as: output.format))
        }

        /// The library request these options describe; throws a usage error when they do not make one.
        func request() throws -> CompareRequest {
            let amount: CompareRequest.Amount
            switch (self.amount, receive) {
            case (nil, nil):
                throw ValidationError("Give the amount to send (--amount 300) or the amount to deliver (--receive 5000).")
            case (_?, _?):
                throw ValidationError("--amount and --receive exclude each other: give one.")
            case let (text?, nil):
                amount = .send(try Self.positive(text, option: "--amount"), currency: try currencyCode())
            case let (nil, text?):
                if currency != nil { throw ValidationError("--currency applies to --amount; --receive is in the receiving currency.") }
                amount = .receive(try Self.positive(text, option: "--receive"), currency: nil)
            }
            var request = CompareRequest(from: try country(from), to: try country(to), amount: amount)
            request.filter = filters.filter
            if let period {
                guard let parsed = Period(period) else { throw ValidationError(LookupError.invalidPeriod(period).description) }
                request.period = parsed
            }
            request.date = try date.map(remit.date)
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, found \(limit).") }
            request.limit = limit
            request.includeInformal = includeInformal
            request.sort = sort
            return request
        }

        private func currencyCode() throws -> CurrencyCode? {
        try currency.map { try remit.currency($0).code }
    }

    private static func positive(_ text: String, option: String) throws -> Decimal {
            let value = try remit.amount(text, option: option)
            guard value > 0 else { throw ValidationError("\(option) must be above zero, found '\(text)'.") }
            return value
        }
    }
}
