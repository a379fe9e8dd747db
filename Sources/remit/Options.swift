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

/// Resolves a country argument or throws a usage error naming what is accepted.
func country(_ text: String) throws -> CountryCode {
    guard let entry = ReferenceData.country(text), let code = CountryCode(entry.alpha2) else {
        throw ValidationError(LookupError.unknownCountry(text).description)
    }
    return code
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
