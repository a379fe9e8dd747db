import Foundation

/// Where the database lives, and whether remit may fill it with the built-in sample.
public struct DatabaseLocation: Hashable, Sendable {
    /// The database file.
    public var path: String
    /// Whether this is the default location (no `--db`, no `REMIT_DB`): only then is the sample seeded.
    public var isDefault: Bool
    /// Whether to open the database for reading only, even if it could be written (`REMIT_READ_ONLY=1`).
    public var readOnly: Bool

    /// A location; `readOnly` opens it for reading only.
    public init(path: String, isDefault: Bool, readOnly: Bool = false) {
        self.path = path
        self.isDefault = isDefault
        self.readOnly = readOnly
    }

    /// `--db` if given, else `$REMIT_DB`, else `$XDG_DATA_HOME/remit/remit.sqlite`
    /// (`~/.local/share/remit/remit.sqlite` when `XDG_DATA_HOME` is unset or relative);
    /// read-only when `REMIT_READ_ONLY` is `1`, `true` or `yes`.
    public static func resolve(explicit: String?, environment: [String: String]) -> DatabaseLocation {
        let readOnly = ["1", "true", "yes"].contains(environment["REMIT_READ_ONLY"]?.lowercased() ?? "")
        if let explicit, !explicit.isEmpty { return DatabaseLocation(path: explicit, isDefault: false, readOnly: readOnly) }
        if let fromEnvironment = environment["REMIT_DB"], !fromEnvironment.isEmpty {
            return DatabaseLocation(path: fromEnvironment, isDefault: false, readOnly: readOnly)
        }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            dataHome = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        }
        return DatabaseLocation(path: dataHome + "/remit/remit.sqlite", isDefault: true, readOnly: readOnly)
    }
}

extension RemitDatabase {
    /// The batch format of the built-in sample.
    public static let sampleFormat = "sample"

    /// Opens the database at `location`; a default database that does not exist yet is created and seeded with the sample.
    ///
    /// An explicit path (`--db`, `REMIT_DB`) that does not exist is created only when `create` is set
    /// (imports), so a mistyped path does not silently answer from an empty database. A database that
    /// cannot be written, or a `readOnly` location, is opened for reading only (see ``open(path:readOnly:)``).
    public static func open(_ location: DatabaseLocation, create: Bool = false) throws -> RemitDatabase {
        let isNew = !FileManager.default.fileExists(atPath: location.path)
        if isNew && !location.isDefault && !create {
            throw StoreError.cannotOpen(path: location.path, reason: "no such database file (an import creates it)")
        }
        if location.readOnly {
            return try open(path: location.path, locked: false, forceReadOnly: "REMIT_READ_ONLY is set")
        }
        guard location.isDefault else { return try open(path: location.path) }
        // An existing default database that cannot be written is read as it is: there is nothing to seed,
        // and the lock file could not be made beside it.
        if !isNew, let reason = unwritableReason(location.path) { return try openReadOnly(path: location.path, reason: reason) }
        // The process that creates the default database seeds it, holding the creation lock so that
        // others started at the same moment wait and then find the sample there.
        try createFolder(for: location.path)
        let lock = try CreationLock(path: location.path + ".lock")
        defer { lock.release() }
        let database = try open(path: location.path, locked: true)
        if database.wasCreated { try database.loadSample() }
        return database
    }

    /// Loads the built-in sample dataset (fictional providers, illustrative prices) as one batch.
    ///
    /// Returns `nil` when the sample is already there.
    @discardableResult
    public func loadSample() throws -> ImportSummary? {
        let schedulesName = Embedded.sampleSchedulesPath, ratesName = Embedded.sampleRatesPath
        let schedules = try ScheduleFile.read(CSVReader(bytes: Array(Embedded.sampleSchedules.utf8), fileName: schedulesName),
                                              fileName: schedulesName)
        let rates = try RateFile.read(CSVReader(bytes: Array(Embedded.sampleRates.utf8), fileName: ratesName),
                                      fileName: ratesName, defaultSource: "sample")
        let source = BatchSource(fileName: "built-in sample (\(schedulesName), \(ratesName))",
                                 sha256: BatchSource.sha256(of: Array((Embedded.sampleSchedules + Embedded.sampleRates).utf8)),
                                 format: Self.sampleFormat)
        let rows = Embedded.sampleSchedules.split(separator: "\n").count - 1 + Embedded.sampleRates.split(separator: "\n").count - 1
        do {
            return try importSchedules(schedules, rates: rates, rows: rows, from: source)
        } catch ImportError.alreadyImported {
            return nil
        }
    }
}
