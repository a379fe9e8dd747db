/// Where in an input file something was found: `file:line:column (field)`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file name as given.
    public var file: String
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column (field number), if known.
    public var column: Int?
    /// The column's header name, if known.
    public var field: String?

    public init(file: String, line: Int, column: Int? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String {
        var text = "\(file):\(line)"
        if let column { text += ":\(column)" }
        if let field { text += " (\(field))" }
        return text
    }
}

/// Why an input file could not be imported. Nothing is written when one is thrown.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The bytes are not valid CSV (or not UTF-8) at this place.
    case syntax(SourceLocation, String)
    /// The file holds no header, or a header but no rows.
    case empty(file: String, String)
    /// The header lacks columns the format needs.
    case missingColumns(file: String, [String])
    /// The header names a column twice, or does not look like this format at all.
    case badHeader(file: String, String)
    /// A row has a different number of fields from the header.
    case fieldCount(SourceLocation, expected: Int, found: Int)
    /// A value is not what its field expects.
    case invalidValue(SourceLocation, expected: String, found: String)
    /// A row repeats one already read.
    case duplicate(SourceLocation, firstLine: Int)
    /// A row contradicts an earlier row about the same thing.
    case inconsistent(SourceLocation, String)
    /// The same file was imported before.
    case alreadyImported(file: String, batch: Int64)
    /// Several rows are invalid: the first ones found, and whether there are more.
    case invalidRows([ImportError], more: Bool)
    /// A row's price is already in the database from an earlier import.
    case alreadyInDatabase(SourceLocation, String, batch: Int64?)
    /// The import was stopped after too many invalid rows.
    case tooManyErrors(file: String, limit: Int)
    /// The import was cancelled (e.g. Ctrl-C) before it committed: its transaction was rolled back.
    case interrupted(file: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "\(file): cannot read the file: \(reason)"
        case let .syntax(location, problem):
            "\(location): \(problem)"
        case let .empty(file, problem):
            "\(file): \(problem)"
        case let .missingColumns(file, columns):
            "\(file):1: the header lacks the required column\(columns.count == 1 ? "" : "s") \(columns.joined(separator: ", "))"
        case let .badHeader(file, problem):
            "\(file):1: \(problem)"
        case let .fieldCount(location, expected, found):
            "\(location): expected \(expected) fields as in the header, found \(found)"
        case let .invalidValue(location, expected, found):
            "\(location): expected \(expected), found \(found.isEmpty ? "an empty value" : "'\(found)'")"
        case let .duplicate(location, firstLine):
            "\(location): duplicate of line \(firstLine)"
        case let .inconsistent(location, problem):
            "\(location): \(problem)"
        case let .alreadyImported(file, batch):
            "\(file): already imported (batch \(batch)); use --replace to import it again"
        case let .invalidRows(errors, more):
            "\(errors.count)\(more ? "+" : "") invalid row\(errors.count == 1 && !more ? "" : "s"); nothing was imported:\n"
                + errors.map { "  \($0)" }.joined(separator: "\n")
                + (more ? "\n  … (raise --max-errors to see more, or --skip-invalid to import the valid rows)" : "")
        case let .alreadyInDatabase(location, what, batch):
            "\(location): \(what) is already in the database" + (batch.map { " (batch \($0): take it out with `remit batches remove \($0)`, or use --replace if batch \($0) was an earlier version of this file)" } ?? "")
        case let .tooManyErrors(file, limit):
            "\(file): stopped after \(limit) invalid rows (--max-errors); nothing was imported"
        case let .interrupted(file):
            "\(file): interrupted; nothing from this file was imported"
        }
    }
}
