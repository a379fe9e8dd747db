import Foundation

/// What a reader does with a row it cannot import.
///
/// Without a handler a reader throws the row's error: the import is all-or-nothing. With one
/// (`--skip-invalid`, `--max-errors`), the reader hands the row over and goes on; the handler
/// throws to stop the import.
public typealias InvalidRowHandler = (_ error: ImportError, _ line: Int, _ fields: [String]) throws(ImportError) -> Void

extension TableReader {
    /// The next row; a row with the wrong number of fields goes to `onInvalid` (or is thrown without one).
    mutating func next(onInvalid: InvalidRowHandler?) throws(ImportError) -> TableRow? {
        while true {
            do {
                return try next()
            } catch {
                guard let onInvalid, case let .fieldCount(location, _, _) = error else { throw error }
                try onInvalid(error, location.line, [])
            }
        }
    }
}

extension TableRow {
    /// `body`'s result for this row; its error goes to `onInvalid` (or is thrown without one), and the row is then `nil`.
    func validated<T>(onInvalid: InvalidRowHandler?, _ body: () throws(ImportError) -> T) throws(ImportError) -> T? {
        do {
            return try body()
        } catch {
            guard let onInvalid else { throw error }
            try onInvalid(error, line, fields)
            return nil
        }
    }
}
