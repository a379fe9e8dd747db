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
                  remit import flows bilateral-flows-2024.csv
                """,
            subcommands: [RPW.self, Rates.self, Schedules.self, Flows.self])

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

        struct RPW: FileImport {
            static let configuration = CommandConfiguration(
                commandName: "rpw",
                abstract: "Import World Bank Remittance Prices Worldwide data (CSV of either dataset sheet).")

            @Argument(help: ArgumentHelp("RPW files (.csv).", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            static let format = ImportSource.Format.rpw
        }

        struct Rates: FileImport {
            static let configuration = CommandConfiguration(
                abstract: "Import reference rates: ECB files (eurofxref-hist.csv/.xml, eurofxref.csv, eurofxref-daily.xml) or the generic CSV (date,base,quote,rate,source).")

            @Argument(help: ArgumentHelp("Rate files.", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            static let format = ImportSource.Format.rates
        }

        struct Schedules: FileImport {
            static let configuration = CommandConfiguration(
                abstract: "Import fee schedules and offered rates in remit's CSV format (docs/formats.md).")

            @Argument(help: ArgumentHelp("Schedule files.", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            static let format = ImportSource.Format.schedules
        }

        struct Flows: FileImport {
            static let configuration = CommandConfiguration(
                abstract: "Import bilateral remittance flows (sending,receiving,year,usd_amount; docs/reports.md) for flow-weighted reports.")

            @Argument(help: ArgumentHelp("Flow files (.csv).", valueName: "file"))
            var files: [String]

            @OptionGroup var options: Options
            @OptionGroup var database: DatabaseOptions

            static let format = ImportSource.Format.flows
        }
    }
}

/// An `import` subcommand: files of one format, the shared import options and the database.
protocol FileImport: ParsableCommand {
    static var format: ImportSource.Format { get }
    var files: [String] { get }
    var options: RemitCommand.Import.Options { get }
    var database: DatabaseOptions { get }
}

extension FileImport {
    func run() throws {
        try ImportRunner(options: options, database: database).run(files.map { ImportSource(path: $0, format: Self.format) })
    }
}

/// Runs imports file by file and reports on standard error.
///
/// SIGINT (Ctrl-C) or SIGTERM stops the file being imported: its transaction is rolled back, the
/// files before it stay imported, a message says so and remit exits with 130 (143 for SIGTERM).
struct ImportRunner {
    let options: RemitCommand.Import.Options
    let database: DatabaseOptions

    func run(_ sources: [ImportSource]) throws {
        let watch = InterruptWatch()
        defer { watch.stop() }
        let db = try database.open(create: true)
        var imported: [(file: String, batch: Int64)] = []
        for (index, source) in sources.enumerated() {
            let display = ProgressDisplay(enabled: !options.quiet, fileName: source.path)
            let started = Date()
            let report: ImportReport
            do {
                report = try db.importFile(source, options: options.importOptions, progress: display.update,
                                           isCancelled: watch.flag.isSet)
            } catch ImportError.interrupted {
                display.finish()
                emitError(Self.interruptedMessage(rolledBack: source.path, imported: imported,
                                                  notStarted: sources.dropFirst(index + 1).map(\.path)))
                throw ExitCode(watch.exitStatus ?? 130)
            }
            display.finish()
            imported.append((source.path, report.batchID))
            if let path = options.rejects, !report.rejected.isEmpty {
                try RejectsFile.write(report, to: path)
            }
            if !options.quiet {
                emitError(ImportSummaryText.summary(report, seconds: Date().timeIntervalSince(started)))
            }
            if let status = watch.exitStatus {
                // The signal came as the import committed: the file is in, and remit stops here.
                emitError(Self.interruptedMessage(rolledBack: nil, imported: imported,
                                                  notStarted: sources.dropFirst(index + 1).map(\.path)))
                throw ExitCode(status)
            }
        }
    }

    /// What an interrupted run leaves in the database, in words.
    ///
    /// - Parameters:
    ///   - rolledBack: the file whose import was rolled back, or `nil` if the signal came after its commit.
    ///   - imported: the files imported (committed) in this run, with their batches.
    ///   - notStarted: the files after the interrupted one.
    static func interruptedMessage(rolledBack: String?, imported: [(file: String, batch: Int64)], notStarted: [String]) -> String {
        let batches = imported.map { "\($0.file) (batch \($0.batch))" }.joined(separator: ", ")
        var text: String
        if let rolledBack {
            text = "Interrupted: nothing from \(rolledBack) was imported"
            text += imported.isEmpty ? " (the database is unchanged)." : ". Imported before the interruption, and kept: \(batches)."
        } else {
            text = "Interrupted after the import had committed: kept \(batches)."
        }
        if !notStarted.isEmpty {
            text += " Not imported: \(notStarted.joined(separator: ", "))."
        }
        return text + "\n"
    }
}
