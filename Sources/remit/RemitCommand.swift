import ArgumentParser
import Foundation
import RemitKit

/// The `remit` command: compares what sending money home really costs.
struct RemitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remit",
        abstract: "Compare what sending money home really costs: fee plus exchange-rate margin.",
        discussion: """
            remit ranks formal (regulated) remittance channels by total cost, the World Bank's way: total cost % = fee / amount × 100 + FX margin %.

            Examples:
              remit compare --from US --to MX --amount 300
              remit compare --from GB --to India --receive 25000 --payout bank-account
              remit compare --from SA --to PK --amount 1000 --include-informal --format json
              remit corridors
              remit providers --from US --to PH
              remit report corridor --from KE --to TZ --format html > kenya-tanzania.html

            With no --db and no REMIT_DB, remit uses $XDG_DATA_HOME/remit/remit.sqlite (~/.local/share/remit/remit.sqlite), created with built-in sample data on first use.
            """,
        version: "0.1.0",
        subcommands: [Compare.self, Curve.self, Report.self, Corridors.self, Providers.self, Rates.self, Import.self, Batches.self, Database.self]
    )
}

@main
enum RemitMain {
    static func main() {
        do {
            var command = try RemitCommand.parseAsRoot()
            try command.run()
        } catch let error as LookupError {
            fail(error, exitCode: .usage)
        } catch let error as CompareError {
            fail(error, exitCode: .usage)
        } catch let error as ReportError {
            fail(error, exitCode: .usage)
        } catch {
            RemitCommand.exit(withError: error)
        }
    }

    /// Prints `Error: …` on standard error and exits.
    static func fail(_ error: any Error, exitCode: ExitCode) -> Never {
        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
        RemitCommand.exit(withError: exitCode)
    }
}

extension ExitCode {
    /// EX_USAGE: the command was used wrongly (64).
    static let usage = ExitCode(64)
}
