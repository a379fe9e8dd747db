import ArgumentParser
import Foundation
import RemitKit

/// `--db`, shared by every command that reads or writes the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The database file (default: $REMIT_DB, else $XDG_DATA_HOME/remit/remit.sqlite).", valueName: "path"))
    var path: String?

    /// Opens the database; the default one is created and seeded when new, an explicit one only when `create` is set.
    func open(create: Bool = false) throws -> RemitDatabase {
        try RemitDatabase.open(DatabaseLocation.resolve(explicit: path, environment: ProcessInfo.processInfo.environment),
                               create: create)
    }
}

/// `--format`, shared by every command that prints data.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format.")
    var format: OutputFormat = .table
}

/// The service filters `compare` and `curve` share.
struct FilterOptions: ParsableArguments {
    @Option(help: "Only services paying out this way.")
    var payout: PayoutMethod?

    @Option(help: "Only services funded this way.")
    var funding: FundingMethod?

    @Option(name: .customLong("max-speed"), help: "Only services at least this fast.")
    var maxSpeed: Speed?

    @Option(name: .customLong("firm-type"), help: "Only providers of this kind.")
    var firmType: FirmType?

    @Flag(name: .customLong("without-bank-account"), help: "Only services a sender can use with cash and an ID, without a bank account or card.")
    var withoutBankAccount = false

    /// The library filter these options describe.
    var filter: ServiceFilter {
        ServiceFilter(payoutMethod: payout, fundingMethod: funding, maxSpeed: maxSpeed, firmType: firmType,
                      withoutBankAccount: withoutBankAccount)
    }
}

/// Parses an amount argument: a plain decimal (`1,000` and `1_000` are accepted), below 10^12,
/// or throws a usage error naming `option` and showing `example`.
func amount(_ text: String, option: String, example: String = "300 or 299.99") throws -> Decimal {
    let cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
    guard let value = DecimalText.parse(cleaned), !cleaned.lowercased().contains("e") else {
        throw ValidationError("\(option) must be a number such as \(example), found '\(text)'.")
    }
    guard value < 1_000_000_000_000 else { throw ValidationError("\(option) is too large: '\(text)'.") }
    return value
}

/// Resolves a country argument or throws a usage error naming what is accepted.
func country(_ text: String) throws -> CountryCode {
    guard let entry = ReferenceData.country(text), let code = CountryCode(entry.alpha2) else {
        throw ValidationError(LookupError.unknownCountry(text).description)
    }
    return code
}

/// Resolves a currency argument or throws a usage error naming what is accepted.
func currency(_ text: String) throws -> Currency {
    guard let found = ReferenceData.currency(named: text) else {
        throw ValidationError(LookupError.unknownCurrency(text).description)
    }
    return found
}

/// Resolves a `YYYY-MM-DD` argument or throws a usage error.
func date(_ text: String) throws -> CalendarDate {
    guard let parsed = CalendarDate(iso: text) else { throw ValidationError("Invalid date '\(text)': write it as YYYY-MM-DD.") }
    return parsed
}

/// Writes `text` to standard output exactly as given.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

extension OutputFormat: ExpressibleByArgument {}
extension PayoutMethod: ExpressibleByArgument {}
extension FundingMethod: ExpressibleByArgument {}
extension Speed: ExpressibleByArgument {}
extension FirmType: ExpressibleByArgument {}
extension RankingOrder: ExpressibleByArgument {}

/// Writes `text` to standard error.
func emitError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// A progress bar on standard error when it is a terminal; silent otherwise (a summary follows the import).
final class ProgressDisplay: Sendable {
    private let enabled: Bool
    private let fileName: String
    private let started = Date()

    init(enabled: Bool, fileName: String) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
        self.fileName = fileName
    }

    /// Redraws the bar: rows, rows per second and the share of bytes read.
    @Sendable func update(_ progress: ImportProgress) {
        guard enabled else { return }
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        var line = "\(fileName): \(progress.rows) rows, \(Int(Double(progress.rows) / elapsed)) rows/s"
        if let total = progress.totalBytes, total > 0 {
            let share = min(1, Double(progress.bytesRead) / Double(total))
            let width = 24, filled = Int(share * Double(width))
            line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
                + String(format: "%3.0f%% ", share * 100) + line
        }
        emitError("\r" + line + "\u{1B}[K")
    }

    /// Clears the bar.
    func finish() {
        if enabled { emitError("\r\u{1B}[K") }
    }
}
