import ArgumentParser
import RemitKit

extension RemitCommand {
    /// `remit corridors`: the corridors the database holds prices for.
    struct Corridors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the corridors with services in the database.",
            discussion: """
                Examples:
                  remit corridors
                  remit corridors --from US --format csv
                """)

        @Option(help: ArgumentHelp("Only corridors from this country.", valueName: "country"))
        var from: String?

        @Option(help: ArgumentHelp("Only corridors to this country.", valueName: "country"))
        var to: String?

        @OptionGroup var output: FormatOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            _ = try from.map(country)
            _ = try to.map(country)
        }

        func run() throws {
            let corridors = try database.open().corridors(from: try from.map(country), to: try to.map(country))
            emit(try CatalogRenderer.render(corridors, as: output.format))
        }
    }
}
