/// Why a database could not be opened, read or written.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened as a remit database.
    case cannotOpen(path: String, reason: String)
    /// The database was written by a newer remit, whose schema this one does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// SQLite reported an error.
    case sqlite(String)
    /// The database contents break an assumption (a value the schema should have prevented).
    case corrupt(String)
    /// An import would have left rows the schema refuses, found by a check remit makes where SQLite's own was
    /// off for a bulk load (docs/performance.md); the import was rolled back.
    case schemaViolation(String)
    /// The database could not grow (the disk is full, or its size limit was reached); the change was rolled back.
    /// `file` names the file being imported, if any.
    case full(path: String, file: String?)
    /// Another process held the database's write lock for longer than remit waits (`seconds`); nothing was written.
    case busy(path: String, seconds: Int)
    /// The database is open for reading only (`reason` says why), and the command writes.
    case readOnly(path: String, reason: String)
    /// The database was made by an older remit and needs migrating, but it cannot be written.
    case readOnlyNeedsMigration(path: String, reason: String, pending: [String])

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open the database \(path): \(reason)"
        case let .newerSchema(path, unknown):
            "the database \(path) was written by a newer version of remit (schema \(unknown.joined(separator: ", "))); upgrade remit to use it"
        case let .sqlite(message):
            "database error: \(message)"
        case let .corrupt(problem):
            "the database holds an unexpected value: \(problem); it may be damaged: check it with `remit db check`"
        case let .schemaViolation(problem):
            "nothing was imported: the import would have left rows the schema refuses (\(problem)); "
                + "check the database's reference tables with `remit db check`"
        case let .busy(path, seconds):
            "the database \(path) is busy: another process (another remit import, say) has been writing to it for over "
                + "\(seconds) s; nothing was written: try again when it has finished"
        case let .full(path, file):
            "the database \(path) is full (disk full or size limit reached); "
                + (file.map { "nothing from \($0) was imported" } ?? "nothing was written")
                + ": free some disk space and try again"
        case let .readOnly(path, reason):
            "the database \(path) is read-only (\(reason)): it can be read, but not changed; "
                + "make it writable, or work on a copy (`remit db backup COPY`)"
        case let .readOnlyNeedsMigration(path, reason, pending):
            "the database is read-only and needs migrating: \(path) was made by an older remit and lacks schema "
                + "\(pending.joined(separator: ", ")), but it cannot be written (\(reason)); make it writable and run remit once, "
                + "or migrate a writable copy"
        }
    }
}

/// Why a question about the data could not be answered: the user asked for something that is not there.
public enum LookupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name or code is not a known country.
    case unknownCountry(String)
    /// The code is not a current ISO 4217 currency.
    case unknownCurrency(String)
    /// No services are recorded between these countries.
    case noSuchCorridor(from: String, to: String, known: [String])
    /// No reference rate exists for the pair on or before the date.
    case noReferenceRate(from: String, to: String, date: String)
    /// The period is not written like `2025_3Q`.
    case invalidPeriod(String)
    /// The corridor has no prices for the period.
    case noPricesInPeriod(corridor: String, period: String, available: [String])

    public var description: String {
        switch self {
        case let .unknownCountry(text):
            "unknown country '\(text)': use an ISO 3166 code (MX, MEX) or an English name (Mexico)"
        case let .unknownCurrency(text):
            "unknown currency '\(text)': use a current ISO 4217 code such as USD, EUR or MXN"
        case let .noSuchCorridor(from, to, known):
            "no services from \(from) to \(to) in the database" + (known.isEmpty ? "" :
                "; corridors with data: \(known.prefix(12).joined(separator: ", "))\(known.count > 12 ? ", …" : "") (see `remit corridors`)")
        case let .noReferenceRate(from, to, date):
            "no reference rate from \(from) to \(to) on or before \(date); import one with `remit import rates`"
        case let .invalidPeriod(text):
            "invalid period '\(text)': write a quarter as YYYY_NQ, e.g. 2025_3Q"
        case let .noPricesInPeriod(corridor, period, available):
            "no prices for \(corridor) in \(period)" + (available.isEmpty ? "" : "; periods with data: \(available.joined(separator: ", "))")
        }
    }
}
