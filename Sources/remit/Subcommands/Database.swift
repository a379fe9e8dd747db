import ArgumentParser
import Foundation
import RemitKit

extension RemitCommand {
    /// `remit db`: checks, compacts, backs up and exports the database.
    struct Database: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db",
            abstract: "Check, compact, back up or export the database.",
            discussion: """
                Examples:
                  remit db check
                  remit db vacuum
                  remit db backup remit-2026-11-29.sqlite
                  remit db export remit.sql        (load it with: sqlite3 new.sqlite < remit.sql)
                """,
            subcommands: [Check.self, Vacuum.self, Backup.self, Export.self])

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check the database: SQLite's integrity and foreign-key checks, schema version, size and rows per table.",
                discussion: "The exit status is 1 when a problem is found.")

            @Option(help: "Output format.")
            var format: CheckFormat = .table

            @OptionGroup var database: DatabaseOptions

            func run() throws {
                let check = try database.open().check()
                emit(try DatabaseCheckRenderer.render(check, as: format))
                if let problems = DatabaseCheckRenderer.problemSummary(check) {
                    emitError("Error: \(problems).\n")
                    throw ExitCode.failure
                }
            }
        }

        struct Vacuum: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Rebuild the database file without its free space (SQLite's VACUUM).")

            @OptionGroup var database: DatabaseOptions

            func run() throws {
                let db = try database.open()
                let result = try db.vacuum()
                emitError(DatabaseCheckRenderer.vacuumSummary(result, path: db.path))
            }
        }

        struct Backup: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Copy the database to a new file with SQLite's online backup, safe while remit is in use.")

            @Argument(help: ArgumentHelp("The new database file.", valueName: "file"))
            var file: String

            @Flag(help: "Replace the file if it exists.")
            var overwrite = false

            @OptionGroup var database: DatabaseOptions

            func run() throws {
                let db = try database.open()
                try db.backup(to: file, overwrite: overwrite)
                emitError("Backed up \(db.path) to \(file).\n")
            }
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write the database as SQL text; `sqlite3 new.sqlite < FILE.sql` recreates it.")

            @Argument(help: ArgumentHelp("The SQL file to write.", valueName: "file.sql"))
            var file: String

            @Flag(help: "Replace the file if it exists.")
            var overwrite = false

            @OptionGroup var database: DatabaseOptions

            func run() throws {
                let db = try database.open()
                let summary = try db.exportSQL(to: file, overwrite: overwrite)
                emitError("Exported \(db.path) to \(file): \(summary.tables) tables, \(summary.rows) rows. "
                    + "Load it with: sqlite3 NEW.sqlite < \(file)\n")
            }
        }
    }
}

extension CheckFormat: ExpressibleByArgument {}
