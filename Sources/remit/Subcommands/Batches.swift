import ArgumentParser
import RemitKit

extension RemitCommand {
    /// `remit batches`: what was imported, and removing an import.
    struct Batches: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List import batches, or remove one with everything it brought.",
            discussion: """
                Examples:
                  remit batches
                  remit batches remove 3
                """,
            subcommands: [List.self, Remove.self],
            defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List import batches, oldest first.")

            @OptionGroup var output: FormatOptions
            @OptionGroup var database: DatabaseOptions

            func run() throws {
                emit(try BatchRenderer.render(try database.open().batches(), as: output.format))
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a batch and every price it brought.")

            @Argument(help: "The batch number, as `remit batches` lists it.")
            var id: Int64

            @OptionGroup var database: DatabaseOptions

            func run() throws {
                guard try database.open().removeBatch(id) else {
                    throw ValidationError("There is no batch \(id); `remit batches` lists them.")
                }
                emitError("Removed batch \(id) and the prices it brought.\n")
            }
        }
    }
}
