import ArgumentParser
import Foundation
import RemitKit

extension RemitCommand {
    /// `remit import`: loads survey files, reference rates and fee schedules.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import survey files, reference rates or fee schedules, one batch per file.",
            discussion: """
                Each file is imported in one transaction: any invalid row and nothing is written, unless --skip-invalid. Importing the same file twice adds nothing; --replace swaps the earlier batch.

                Examples:
                  remit import rpw rpw_dataset_2011_2025_q3.csv
                  remit import rpw survey.csv --skip-invalid --rejects rejected.csv
                  remit import rates eurofxref-hist.csv
                  remit import schedules my-schedules.csv --db research.sqlite
                """,
            subcommands: [RPW.self, Rates.self, Schedules.self])

        /// Options every import shares.
        struct Options: ParsableArguments {
            @Flag(name: .customLong("skip-invalid"), help: "Import the valid rows and report the invalid ones (see --rejects).")
            var skipInvalid = false

            @Option(help: ArgumentHelp("With --skip-invalid, write the rejected rows and their reasons to this CSV file.", valueName: "file"))
            var rejects: String?

            @Option(name: .customLong("max-errors"), help: ArgumentHelp("Stop after this many invalid rows (default: 10; no limit with --skip-invalid).", valueName: "n"))
            var maxErrors: Int?

            @Flag(help: "Replace an earlier import of the same file (same contents, or same name).")
            var replace = false

            @Flag(help: "Print nothing but errors.")
            var quiet = false

            func validate() throws {
                if rejects != nil && !skipInvalid { throw ValidationError("--rejects goes with --skip-invalid.") }
                if let maxErrors, maxErrors < 1 { throw ValidationError("--max-errors must be at least 1, found \(maxErrors).") }
            }

            var importOptions: ImportOptions {
                ImportOptions(skipInvalid: skipInvalid, maxErrors: maxErrors, replace: replace)
            }
        }

        struct RPW: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rpw",
                abstract: "Import World Bank Remittance Prices Worldwide data (CSV of either dataset sheet).")

            @Argument(help: ArgumentHelp("RPW files (.csv).", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            func run() throws {
                try ImportRunner(options: options, database: database).run(files.map { ImportSource(path: $0, format: .rpw) })
            }
        }

        struct Rates: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import reference rates: ECB files (eurofxref-hist.csv/.xml, eurofxref.csv, eurofxref-daily.xml) or the generic CSV (date,base,quote,rate,source).")

            @Argument(help: ArgumentHelp("Rate files.", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            func run() throws {
                try ImportRunner(options: options, database: database).run(files.map { ImportSource(path: $0, format: .rates) })
            }
        }

        struct Schedules: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import fee schedules and offered rates in remit's CSV format (docs/formats.md).")

            @Argument(help: ArgumentHelp("Schedule files.", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            func run() throws {
                try ImportRunner(options: options, database: database).run(files.map { ImportSource(path: $0, format: .schedules) })
            }
        }
    }
}

/// Runs imports file by file and reports on standard error.
struct ImportRunner {
    let options: RemitCommand.Import.Options
    let database: DatabaseOptions

    func run(_ sources: [ImportSource]) throws {
        let db = try database.open(create: true)
        for source in sources {
            let display = ProgressDisplay(enabled: !options.quiet, fileName: source.path)
            let started = Date()
            let report = try db.importFile(source, options: options.importOptions, progress: display.update)
            display.finish()
            if let path = options.rejects, !report.rejected.isEmpty {
                try RejectsFile.write(report, to: path)
            }
            if !options.quiet {
                emitError(ImportSummaryText.summary(report, seconds: Date().timeIntervalSince(started)))
            }
        }
    }
}
