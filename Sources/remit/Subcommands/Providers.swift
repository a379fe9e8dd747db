import ArgumentParser
import RemitKit

extension RemitCommand {
    /// `remit providers`: who offers services, optionally in one corridor.
    struct Providers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List providers, their firm type and the corridors they serve.",
            discussion: """
                Examples:
                  remit providers
                  remit providers --from US --to PH
                """)

        @Option(help: ArgumentHelp("Only providers serving corridors from this country.", valueName: "country"))
        var from: String?

        @Option(help: ArgumentHelp("Only providers serving corridors to this country.", valueName: "country"))
        var to: String?

        @OptionGroup var output: FormatOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            _ = try from.map(country)
            _ = try to.map(country)
        }

        func run() throws {
            let providers = try database.open().providers(from: try from.map(country), to: try to.map(country))
            emit(try CatalogRenderer.render(providers, as: output.format))
        }
    }
}
