import Crypto
import CSQLiteConfig
import Foundation
import GRDB
import GRDBSQLite

/// How an import treats bad rows and earlier imports of the same file.
public struct ImportOptions: Hashable, Sendable {
    /// Commit the valid rows and report the invalid ones, instead of importing nothing.
    public var skipInvalid = false
    /// Stop after this many invalid rows (`nil`: 10 without ``skipInvalid``, no limit with it).
    public var maxErrors: Int?
    /// Replace an earlier import of the same file (same contents, or same name and format).
    public var replace = false

    public init(skipInvalid: Bool = false, maxErrors: Int? = nil, replace: Bool = false) {
        self.skipInvalid = skipInvalid
        self.maxErrors = maxErrors
        self.replace = replace
    }

    var errorLimit: Int? { maxErrors ?? (skipInvalid ? nil : 10) }
}

/// How far an import has got, for a progress display.
public struct ImportProgress: Sendable {
    public var rows: Int
    public var bytesRead: Int64
    public var totalBytes: Int64?
}

/// A row left out by `--skip-invalid`, with why.
public struct RejectedRow: Sendable {
    public var line: Int
    public var fields: [String]
    public var error: ImportError
}

/// A survey figure kept as published although it breaks the RPW identity.
public struct InconsistentFigure: Hashable, Sendable {
    public var line: Int
    public var provider: String
    public var corridor: String
    public var period: Period
    public var amount: Money
    public var published: Decimal
    public var recomputed: Decimal
}

/// What an import did.
public struct ImportReport: Sendable {
    public var batchID: Int64
    public var fileName: String
    public var format: String
    /// Data rows read.
    public var rows = 0
    /// Rows written.
    public var imported = 0
    public var rejected: [RejectedRow] = []
    public var services = 0
    public var observations = 0
    public var schedules = 0
    public var referenceRates = 0
    /// Bilateral remittance flows written.
    public var flows = 0
    public var inconsistent: [InconsistentFigure] = []
    /// Columns of the file, for writing rejected rows back out.
    public var header: [String] = []
    /// The batch this import replaced, if any.
    public var replacedBatch: Int64?
    /// Other notes (e.g. currency columns skipped).
    public var notes: [String] = []
}

/// A file to import and what it is.
public struct ImportSource: Sendable {
    /// What kind of file.
    public enum Format: String, Sendable, CaseIterable {
        case rpw, rpwXLSX = "rpw-xlsx", ecb, rates, schedules, flows
    }

    public var path: String
    public var format: Format

    public init(path: String, format: Format) {
        self.path = path
        self.format = format
    }

    /// The file name shown in messages and recorded in the batch.
    public var fileName: String { (path as NSString).lastPathComponent.isEmpty ? path : path }

    /// The SHA-256 of the file, read in chunks; `nil` if `isCancelled` says stop first.
    func sha256(isCancelled: () -> Bool = { false }) throws(ImportError) -> (hash: String, size: Int64)? {
        let source = try FileByteSource(path: path)
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            if isCancelled() { return nil }
            let chunk: [UInt8]
            do { chunk = try source.read(maxCount: 1 << 20) } catch { throw ImportError.unreadable(file: path, reason: "\(error)") }
            if chunk.isEmpty { break }
            size += Int64(chunk.count)
            hasher.update(data: chunk)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }
}

/// The SHA-256 of a file, computed on a thread of its own while an import goes on.
///
/// Hashing an 80 MB survey file takes about a tenth of a second that the writing
/// thread would otherwise spend before its first row. An RPW import starts at once
/// and checks the hash against earlier batches as soon as it is known (between
/// chunks), and always before it reports a duplicate row, an error or success, so
/// a file imported before is still refused as "already imported", never half-written.
final class FileDigest: @unchecked Sendable {
    // `result` and `isCancelled` are read and written only while `lock` is held.
    private let lock = NSLock()
    private var result: Result<(hash: String, size: Int64), ImportError>?
    private var isCancelled = false
    private let done = DispatchSemaphore(value: 0)

    /// Starts hashing `source`'s file; `before` runs first on the hashing thread (tests use it to hold the hash back).
    init(_ source: ImportSource, before: (@Sendable () -> Void)? = nil) {
        Thread.detachNewThread { [self] in
            before?()
            #if os(Linux)
            // Below the import's own threads: on two cores the hash can wait, the rows cannot. (On Linux
            // the nice value is per thread, and `who` 0 is the calling thread.)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            let outcome: Result<(hash: String, size: Int64), ImportError>
            do throws(ImportError) {
                let digest = try source.sha256 { [self] in lock.withLock { isCancelled } }
                outcome = digest.map { .success($0) } ?? .failure(.interrupted(file: source.path))
            } catch {
                outcome = .failure(error)
            }
            lock.withLock { result = outcome }
            done.signal()
        }
    }

    /// Whether the hash is known (or hashing failed or stopped).
    var isReady: Bool { lock.withLock { result != nil } }

    /// The hash and size of the file, waiting for them if need be.
    func value() throws(ImportError) -> (hash: String, size: Int64) {
        waitUntilReady()
        guard let outcome = lock.withLock({ result }) else { throw ImportError.unreadable(file: "", reason: "no hash") }
        return try outcome.get()
    }

    /// Stops hashing if it is still going, and waits until it has stopped.
    func cancel() {
        lock.withLock { isCancelled = true }
        waitUntilReady()
    }

    private func waitUntilReady() {
        // The thread signals once; each waiter passes the signal on.
        while !isReady {
            done.wait()
            done.signal()
        }
    }
}

extension RemitDatabase {
    /// Imports one file as one batch, in one transaction: on any error nothing is written.
    ///
    /// `isCancelled` is polled before the transaction, every 1,024 rows of an RPW file and last
    /// thing before the commit; once it returns `true` the import throws
    /// ``ImportError/interrupted(file:)`` and the transaction is rolled back.
    public func importFile(
        _ source: ImportSource, options: ImportOptions = ImportOptions(),
        progress: (@Sendable (ImportProgress) -> Void)? = nil,
        isCancelled: (@Sendable () -> Bool)? = nil
    ) throws -> ImportReport {
        try importFile(source, options: options, progress: progress, isCancelled: isCancelled, beforeHashing: nil)
    }

    /// ``importFile(_:options:progress:isCancelled:)``, with `beforeHashing` run on the hashing thread before it
    /// starts: tests hold the hash back to prove an import never depends on how soon it is known.
    func importFile(
        _ source: ImportSource, options: ImportOptions, progress: (@Sendable (ImportProgress) -> Void)?,
        isCancelled: (@Sendable () -> Bool)?, beforeHashing: (@Sendable () -> Void)?
    ) throws -> ImportReport {
        let checkCancelled = { () throws(ImportError) in
            if isCancelled?() == true { throw ImportError.interrupted(file: source.path) }
        }
        var source = source
        if source.format == .rpw, try FileByteSource(path: source.path).read(maxCount: 4) == [0x50, 0x4B, 0x03, 0x04] {
            source.format = .rpwXLSX   // a ZIP archive: the published .xlsx workbook
        }
        // An RPW survey is loaded without per-row foreign-key probes, a fifth of SQLite's work per row: every
        // price it writes points at its own batch, "USD" and services it has just written or read, all in this
        // transaction under the write lock (RPWWriter). Replacing a batch needs ON DELETE cascades, so it keeps them.
        let bulk = (source.format == .rpw || source.format == .rpwXLSX) && !options.replace
        let digest = FileDigest(source, before: beforeHashing)
        defer { digest.cancel() }
        // A bulk import starts before its file's hash is known (see FileDigest); other imports wait for it.
        let (hash, size) = bulk ? (PendingDigest.placeholder, try Self.fileSize(source.path)) : try digest.value()
        try checkCancelled()
        return try write(importing: source.path, bulk: bulk) { db in
            let batchSource = BatchSource(fileName: source.path, sha256: hash, format: source.format.rawValue)
            var replaced: Int64?
            let columns = ImportBatchRecord.Columns.self
            let previous = bulk ? nil : try ImportBatchRecord.filter(columns.sha256 == hash && columns.format == source.format.rawValue).fetchOne(db)
                ?? (options.replace ? try ImportBatchRecord.filter(Column("file_name") == source.path && columns.format == source.format.rawValue)
                    .order(Column("id").desc).fetchOne(db) : nil)
            if let previous, let id = previous.id {
                guard options.replace else { throw ImportError.alreadyImported(file: source.path, batch: id) }
                try Self.removeBatch(id, db: db)
                replaced = id
            }
            var batch = ImportBatchRecord(id: nil, fileName: batchSource.fileName, sha256: hash, format: batchSource.format,
                                          rowCount: 0, rejectedCount: 0, importedAt: Self.timestamp())
            try batch.insert(db)
            guard let batchID = batch.id else { throw StoreError.corrupt("an import batch without an id") }
            var report = ImportReport(batchID: batchID, fileName: source.path, format: source.format.rawValue)
            report.replacedBatch = replaced
            let pending = bulk ? PendingDigest(digest, db: db, batchID: batchID, file: source.path, format: source.format.rawValue) : nil
            do {
                try importRows(source, batchID: batchID, size: size, options: options, progress: progress,
                               checkCancelled: checkCancelled, pending: pending, report: &report, db: db)
            } catch let error as ImportError {
                // A file imported before is "already imported", whatever else its rows would say now.
                // (Other failures, such as a full disk, stand as they are: SQLite may have ended the transaction.)
                if case .interrupted = error { throw error }
                try pending?.verify(waiting: true)
                throw error
            }
            try pending?.verify(waiting: true)
            try Self.removeUnpriced(db)
            if bulk {
                // What foreign keys would have caught outside the prices, cheaply: the corridors and services this
                // import wrote, and what deleting unpriced services could orphan (no cascade runs with them off).
                for table in ["corridor", "service", "service_identity_document"] {
                    if let row = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check(\(table))") {
                        throw StoreError.schemaViolation("\(table) row \(row[1] ?? "?") would point at a missing \(row[2] ?? "?") row")
                    }
                }
            }
            try db.execute(sql: "UPDATE import_batch SET row_count = ?, rejected_count = ? WHERE id = ?",
                           arguments: [report.imported, report.rejected.count, batchID])
            try checkCancelled()   // the last moment to roll back
            return report
        }
    }

    /// Reads `source`'s rows into batch `batchID`, by format, recording what happened in `report`.
    private func importRows(
        _ source: ImportSource, batchID: Int64, size: Int64, options: ImportOptions,
        progress: (@Sendable (ImportProgress) -> Void)?, checkCancelled: @escaping () throws(ImportError) -> Void,
        pending: PendingDigest?, report: inout ImportReport, db: Database
    ) throws {
        let path = source.path
        let survey = RPWWriter(db: db, batchID: batchID, options: options, progress: progress, totalBytes: size,
                               checkCancelled: checkCancelled, pendingDigest: pending)
        switch source.format {
        case .rpw:
            try survey.run(fileName: path, report: &report) { () throws(ImportError) in
                CSVReader(source: try FileByteSource(path: path), fileName: path)
            }
        case .rpwXLSX:
            // The two dataset sheets of the World Bank workbook, streamed one after the other into one batch.
            let names = try XLSXSheetReader.sheetNames(path: path)
            let datasets = names.filter { $0.lowercased().hasPrefix("dataset") }
            guard !datasets.isEmpty else {
                throw ImportError.unreadable(file: path, reason: "no sheet named 'Dataset …' (sheets: \(names.joined(separator: ", ")))")
            }
            for sheet in datasets {
                try survey.run(fileName: "\(path) [\(sheet)]", report: &report) { () throws(ImportError) in
                    try XLSXSheetReader(path: path, sheet: sheet)
                }
            }
        case .schedules:
            let log = try InvalidRowLog(source, options: options, report: &report)
            let entries = try ScheduleFile.read(CSVReader(source: try FileByteSource(path: source.path), fileName: source.path),
                                                fileName: source.path, onInvalid: log.add)
            var writer = ServiceWriter(db: db, batchID: batchID)
            // A schedule another batch already holds is an invalid row for each of its bands, like any other.
            var storedBands = 0
            let written = try writer.write(entries) { error, entry in
                storedBands += entry.schedule.bands.count
                for row in entry.sourceRows { try log.add(error, line: row.line, fields: row.fields) }
            }
            report.imported = entries.reduce(0) { $0 + $1.schedule.bands.count } - storedBands
            try log.finish(&report)
            report.schedules = written.schedules
            report.services = written.services
        case .rates, .ecb:
            let prefix = try FileByteSource(path: source.path).read(maxCount: 4096)
            let rates: [ReferenceRate]
            let format = RateFileFormat.detect(prefix)
            switch format {
            case .ecbCSV, .ecbXML:
                let result: ECBFile.Result
                if format == .ecbCSV {
                    result = try ECBFile.readCSV(CSVReader(source: try FileByteSource(path: source.path), fileName: source.path),
                                                 fileName: source.path)
                } else {
                    // Read whole (the ECB's full history is about 7 MB), so the size is bounded first.
                    guard size <= ECBFile.maximumXMLBytes else {
                        throw ImportError.unreadable(file: source.path, reason: "an ECB XML file larger than \(ECBFile.maximumXMLBytes >> 20) MiB "
                            + "(found \(size >> 20) MiB); the ECB's full history is about 7 MB: is this the right file?")
                    }
                    let bytes: [UInt8]
                    do { bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: source.path))) } catch {
                        throw ImportError.unreadable(file: source.path, reason: error.localizedDescription)
                    }
                    result = try ECBFile.readXML(bytes, fileName: source.path)
                }
                rates = result.rates
                report.rows = result.rows
                report.imported = result.rows   // ECB files are read whole: every row or none
                if !result.skippedCurrencies.isEmpty {
                    report.notes.append("skipped currencies no longer in ISO 4217: \(result.skippedCurrencies.joined(separator: ", "))")
                }
            case .generic:
                let log = try InvalidRowLog(source, options: options, report: &report)
                rates = try RateFile.read(CSVReader(source: try FileByteSource(path: source.path), fileName: source.path),
                                          fileName: source.path, defaultSource: (source.path as NSString).lastPathComponent,
                                          onInvalid: log.add)
                report.imported = rates.count
                try log.finish(&report)
            }
            report.referenceRates = try Self.insert(rates, batchID: batchID, db: db)
        case .flows:
            let log = try InvalidRowLog(source, options: options, report: &report)
            let flows = try FlowFile.read(CSVReader(source: try FileByteSource(path: source.path), fileName: source.path),
                                          fileName: source.path, onInvalid: log.add)
            report.imported = try Self.insert(flows, fileName: source.path, batchID: batchID, log: log, db: db)
            try log.finish(&report)
            report.flows = report.imported
        }
    }

    /// The size of the file at `path`, in bytes.
    static func fileSize(_ path: String) throws(ImportError) -> Int64 {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        return Int64(status.st_size)
    }

    /// Deletes a batch and every price it brought, then services, providers and corridors left without prices.
    static func removeBatch(_ id: Int64, db: Database) throws {
        try db.execute(sql: "DELETE FROM import_batch WHERE id = ?", arguments: [id])
        try removeUnpriced(db)
    }

    /// Deletes services without any price (a rejected row's service), then providers and corridors without services.
    static func removeUnpriced(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM service WHERE NOT EXISTS (SELECT 1 FROM fee_schedule f WHERE f.service_id = service.id)
               AND NOT EXISTS (SELECT 1 FROM price_observation o WHERE o.service_id = service.id)
               AND NOT EXISTS (SELECT 1 FROM exchange_quote q WHERE q.service_id = service.id)
            """)
        try db.execute(sql: "DELETE FROM provider WHERE NOT EXISTS (SELECT 1 FROM service s WHERE s.provider_id = provider.id)")
        try db.execute(sql: "DELETE FROM corridor WHERE NOT EXISTS (SELECT 1 FROM service s WHERE s.corridor_id = corridor.id)")
    }
}

/// The hash of a file being imported while it is computed: the batch row holds a placeholder until
/// ``verify(waiting:)`` finds the hash, refuses a file imported before, and records it.
final class PendingDigest {
    /// What the batch row holds until the hash is known: never a SHA-256 a file has (and never committed).
    static let placeholder = String(repeating: "0", count: 64)

    private let digest: FileDigest
    private let db: Database
    private let batchID: Int64
    private let file: String
    private let format: String
    private var isVerified = false

    init(_ digest: FileDigest, db: Database, batchID: Int64, file: String, format: String) {
        self.digest = digest
        self.db = db
        self.batchID = batchID
        self.file = file
        self.format = format
    }

    /// Once the hash is known (waiting for it if `waiting`): throws ``ImportError/alreadyImported(file:batch:)``
    /// if an earlier batch has the same file, else records the hash in this batch. Does nothing after the first time.
    func verify(waiting: Bool) throws {
        guard !isVerified, waiting || digest.isReady else { return }
        let hash = try digest.value().hash
        isVerified = true
        if let earlier = try Int64.fetchOne(db, sql: "SELECT id FROM import_batch WHERE sha256 = ? AND format = ? AND id <> ?",
                                            arguments: [hash, format, batchID]) {
            throw ImportError.alreadyImported(file: file, batch: earlier)
        }
        try db.execute(sql: "UPDATE import_batch SET sha256 = ? WHERE id = ?", arguments: [hash, batchID])
    }
}

/// Writes RPW rows inside the import transaction.
struct RPWWriter {
    let db: Database
    let batchID: Int64
    let options: ImportOptions
    let progress: (@Sendable (ImportProgress) -> Void)?
    let totalBytes: Int64
    /// Throws ``ImportError/interrupted(file:)`` once the import is cancelled.
    let checkCancelled: () throws(ImportError) -> Void
    /// The file's hash while it is being computed (a bulk import), to check against earlier batches.
    let pendingDigest: PendingDigest?

    /// Imports the table `makeSource` opens (on the reading thread of an ``RPWRowReader``).
    ///
    /// SQLite's CHECK constraints are not evaluated while it runs (their GLOB and `date()` expressions took
    /// about 40 % of SQLite's time per price): every price was held to the same rules on the reading thread
    /// (``PriceObservationRules``), and the other tables it writes are checked with `PRAGMA quick_check`
    /// before it returns. The setting is restored however it ends.
    func run(fileName: String, report: inout ImportReport,
             makeSource: @escaping @Sendable () throws(ImportError) -> any RecordSource) throws {
        // A page cache twice the usual for the load (the indexes it updates at random then stay in memory
        // longer); peak memory stays under 100 MB at 2.5 million rows (docs/performance.md).
        try db.execute(sql: "PRAGMA ignore_check_constraints = ON; PRAGMA cache_size = \(2 * RemitDatabase.cacheSize)")
        let restore = "PRAGMA ignore_check_constraints = OFF; PRAGMA cache_size = \(RemitDatabase.cacheSize)"
        // On failure the import's transaction (RemitDatabase.importTransaction) restores the settings, after the
        // rollback: a statement here could fail too (SQLite may have ended the transaction) and hide the error.
        try load(fileName: fileName, report: &report, makeSource: makeSource)
        // Restored here too, not only by the transaction: quick_check skips CHECK constraints while they are ignored
        // (BulkLoadTests.checksVerifiedAfterLoad fails without this line).
        try db.execute(sql: restore)
        for table in ["provider", "corridor", "service", "country"] {
            let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(\(table))")
            guard problems == ["ok"] else {
                throw StoreError.schemaViolation(problems.prefix(3).joined(separator: "; "))
            }
        }
    }

    private func load(fileName: String, report: inout ImportReport,
                      makeSource: @escaping @Sendable () throws(ImportError) -> any RecordSource) throws {
        let reader = RPWRowReader(fileName: fileName, makeSource: makeSource)
        defer { reader.stop() }
        var services = ServiceWriter(db: db, batchID: batchID, cachesServices: false)
        // A chunk's prices go in with one INSERT ... SELECT from a virtual table over the chunk's values (C shim):
        // SQLite then keeps its cursors open across the rows. A prepared INSERT per price opened, positioned and
        // closed the table and both indexes each time, a fifth of SQLite's work per row. OR FAIL keeps the rows
        // written before a duplicate, so that the duplicate is the one refused row (see PointBatch.write).
        guard let connection = db.sqliteConnection,
              let pointTable = remit_rows_register(UnsafeMutableRawPointer(connection), PointBatch.tableName, Int32(PointBatch.columns))
        else { throw StoreError.sqlite("could not register the import's virtual table \(PointBatch.tableName) (out of memory?)") }
        let insert = try db.makeStatement(sql: """
            INSERT OR FAIL INTO price_observation (service_id, period, amount, denomination_amount, denomination_currency, fee,
                offered_rate, reference_rate, fx_margin_percent, total_cost_percent, recomputed_total_cost_percent,
                is_inconsistent, source_row_id, source_line, observed_on, batch_id)
            SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15 FROM \(PointBatch.tableName)
            """)
        let existing = try db.makeStatement(sql: """
            SELECT batch_id, source_line FROM price_observation WHERE service_id = ? AND period = ? AND amount = ?
            """)
        // Every price point is denominated in US dollars: the one parent row the import does not write or read itself.
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM currency WHERE code = 'USD')") == true else {
            throw StoreError.corrupt("the currency table has no USD, which every RPW price point is denominated in")
        }
        /// Database ids and send currencies by the reader's local service number; `nil` once the import has
        /// failed (nothing more is written).
        var serviceIDs: [(id: Int64, currency: Currency)?] = []
        var errors = ErrorCollector(options: options, fileName: fileName)
        var countries: [String: (region: String?, income: String?)] = [:]
        var bytesRead: Int64 = 0
        var batch = PointBatch()   // its storage is reused from chunk to chunk
        /// A row whose prices are all written: counted, and its inconsistent figures listed.
        func settle(_ pending: PointBatch.Pending, report: inout ImportReport) throws {
            let row = pending.row
            report.observations += pending.pointCount
            for point in row.points where point.inconsistent {
                if let published = point.published, let recomputed = point.recomputedValue {
                    let names = try Self.names(of: pending.service, db: db)
                    report.inconsistent.append(InconsistentFigure(
                        line: row.line, provider: names.provider, corridor: names.corridor,
                        period: row.period, amount: Money(minorUnits: point.amount, currency: pending.currency),
                        published: published.decimalValue, recomputed: recomputed.decimalValue))
                }
            }
            report.imported += 1
        }
        /// A row one of whose prices the UNIQUE (service, period, amount) constraint refused: an earlier row of this
        /// file, or an earlier import (or the same file imported before, which the hash says). `pointsWritten` of its
        /// points went in before it; they are taken out again, and the row is an error.
        func conflict(_ pending: PointBatch.Pending, pointsWritten: Int, lastRowID: Int64, text: [UInt8],
                      report: inout ImportReport) throws {
            let row = pending.row, line = row.line
            try pendingDigest?.verify(waiting: true)
            let point = pointsWritten == 0 ? row.first : (row.second ?? row.first)
            if pointsWritten > 0 {   // by rowid: two sheets of a workbook can have a row on the same line
                try db.execute(sql: "DELETE FROM price_observation WHERE id = ?", arguments: [lastRowID])
            }
            let amount = Money(minorUnits: point.amount, currency: pending.currency)
            let holder = try Row.fetchOne(existing, arguments: [pending.service, row.period.description, point.amount])
            let holderBatch: Int64? = holder?["batch_id"]
            let error: ImportError
            if holderBatch == batchID, let first: Int = holder?["source_line"] {
                error = .duplicate(SourceLocation(file: fileName, line: line), firstLine: first)
            } else {
                error = .alreadyInDatabase(SourceLocation(file: fileName, line: line),
                                           "the \(row.period) price of \(try Self.names(of: pending.service, db: db).provider) at \(amount)",
                                           batch: holderBatch)
            }
            try errors.add(error, line: line, fields: row.record(in: text).fields, report: &report)
        }

        reading: while true {
            let items: [RPWItem], text: [UInt8]
            switch reader.next() {
            case let .header(header):
                report.header = header
                continue
            case let .failed(error):
                throw error
            case let .finished(bytes):
                bytesRead = bytes
                break reading
            case let .rows(rows, chunkText, bytes):
                items = rows
                text = chunkText
                bytesRead = bytes
            }
            try pendingDigest?.verify(waiting: false)
            try text.withUnsafeBufferPointer { buffer in
                /// Writes the points collected so far, then settles each of their rows in file order.
                func flush() throws {
                    var next = 0
                    while next < batch.rows.count {
                        let failed = try batch.write(from: next, with: insert, table: pointTable)
                        let settledEnd = failed?.row ?? batch.rows.count
                        for pending in batch.rows[next..<settledEnd] {
                            try settle(pending, report: &report)
                        }
                        guard let failed else { break }
                        try conflict(batch.rows[failed.row], pointsWritten: failed.pointsWritten, lastRowID: failed.lastRowID,
                                     text: text, report: &report)
                        next = failed.row + 1
                        // all-or-nothing: after an error, write nothing more
                        if !errors.errors.isEmpty { break }
                    }
                    batch.removeAll()
                }
                for item in items {
                    let row: RPWRowPrices
                    switch item {
                    case let .service(service):
                        guard errors.errors.isEmpty else {
                            serviceIDs.append(nil)
                            continue
                        }
                        let id = try services.service(service.service, sourceLabel: service.sourceLabel)
                        let corridor = service.service.corridor
                        serviceIDs.append((id, corridor.sendCurrency))
                        if service.sendingRegion != nil || service.sendingIncome != nil {
                            countries[corridor.sendingCountry.rawValue] = (service.sendingRegion, service.sendingIncome)
                        }
                        if service.receivingRegion != nil || service.receivingIncome != nil {
                            countries[corridor.receivingCountry.rawValue] = (service.receivingRegion, service.receivingIncome)
                        }
                        continue
                    case let .invalid(line, record, error):
                        try counted(&report, bytesRead: bytesRead)
                        try flush()   // the earlier rows' duplicates come first, in file order
                        try errors.add(error, line: line, fields: record?.fields ?? [], report: &report)
                        continue
                    case let .prices(prices):
                        try counted(&report, bytesRead: bytesRead)
                        row = prices
                    }
                    // all-or-nothing: after an error keep validating, write nothing more
                    guard errors.errors.isEmpty, row.service < serviceIDs.count, let (serviceID, currency) = serviceIDs[row.service] else {
                        continue
                    }
                    batch.append(row, service: serviceID, currency: currency, batchID: batchID, text: buffer)
                }
                try flush()
            }
        }
        guard errors.errors.isEmpty else { throw ImportError.invalidRows(errors.errors, more: false) }
        if report.rows == 0 { throw ImportError.empty(file: fileName, "the file has a header but no rows") }
        if report.imported == 0 { throw ImportError.invalidRows(report.rejected.prefix(10).map(\.error), more: report.rejected.count > 10) }
        for (code, info) in countries {
            try db.execute(sql: "UPDATE country SET region = coalesce(?, region), income_group = coalesce(?, income_group) WHERE alpha2 = ?",
                           arguments: [info.region, info.income, code])
        }
        report.services += services.servicesInserted
        progress?(ImportProgress(rows: report.rows, bytesRead: bytesRead, totalBytes: totalBytes))
    }

    /// Counts a row read; every 1,024 rows checks for cancellation, every 20,000 reports progress.
    private func counted(_ report: inout ImportReport, bytesRead: Int64) throws(ImportError) {
        report.rows += 1
        if report.rows % 1024 == 0 { try checkCancelled() }
        if report.rows % 20_000 == 0 {
            progress?(ImportProgress(rows: report.rows, bytesRead: bytesRead, totalBytes: totalBytes))
        }
    }

    /// Collects invalid rows: rejects them under `--skip-invalid`, else keeps them to fail the import; stops at the limit.
    struct ErrorCollector {
        let options: ImportOptions
        let fileName: String
        private(set) var errors: [ImportError] = []

        init(options: ImportOptions, fileName: String) {
            self.options = options
            self.fileName = fileName
        }

        mutating func add(_ error: ImportError, line: Int, fields: [String], report: inout ImportReport) throws(ImportError) {
            let limit = options.errorLimit
            if options.skipInvalid {
                report.rejected.append(RejectedRow(line: line, fields: fields, error: error))
                if let limit, report.rejected.count > limit { throw ImportError.tooManyErrors(file: fileName, limit: limit) }
            } else {
                errors.append(error)
                if let limit, errors.count >= limit { throw ImportError.invalidRows(errors, more: true) }
            }
        }
    }

    /// A service's provider and corridor in words, for messages (looked up only when one is needed).
    static func names(of serviceID: Int64, db: Database) throws -> (provider: String, corridor: String) {
        let row = try Row.fetchOne(db, sql: """
            SELECT p.name, c.sending_country || '→' || c.receiving_country AS corridor
              FROM service s JOIN provider p ON p.id = s.provider_id JOIN corridor c ON c.id = s.corridor_id WHERE s.id = ?
            """, arguments: [serviceID])
        return (row?["name"] ?? "?", row?["corridor"] ?? "?")
    }

    static func line(of error: ImportError) -> Int {
        if case let .fieldCount(location, _, _) = error { return location.line }
        return 0
    }
}

/// The invalid rows of a file read by a row reader (schedules, generic rates, flows), under the
/// import's options: kept to fail the import (all-or-nothing, at most `--max-errors` reported), or
/// rejected with `--skip-invalid`, as ``RPWWriter`` does for survey files.
final class InvalidRowLog {
    private var collector: RPWWriter.ErrorCollector
    private var rejections: ImportReport

    /// Starts a log for `source`, recording its header in `report` for a rejects file.
    init(_ source: ImportSource, options: ImportOptions, report: inout ImportReport) throws(ImportError) {
        collector = RPWWriter.ErrorCollector(options: options, fileName: source.path)
        rejections = ImportReport(batchID: report.batchID, fileName: source.path, format: report.format)
        var header = CSVReader(source: try FileByteSource(path: source.path), fileName: source.path)
        report.header = try header.next()?.fields ?? []
    }

    /// Takes one invalid row; throws when the import must stop.
    func add(_ error: ImportError, line: Int, fields: [String]) throws(ImportError) {
        try collector.add(error, line: line, fields: fields, report: &rejections)
    }

    /// Throws the errors kept for an all-or-nothing import, or when no row was valid; otherwise moves the
    /// rejected rows into `report` and counts every row read (`report.imported` must hold the valid ones).
    func finish(_ report: inout ImportReport) throws(ImportError) {
        guard collector.errors.isEmpty else { throw ImportError.invalidRows(collector.errors, more: false) }
        let rejected = rejections.rejected.sorted { $0.line < $1.line }   // a refused schedule's rows come last otherwise
        if report.imported == 0, !rejected.isEmpty {
            throw ImportError.invalidRows(rejected.prefix(10).map(\.error), more: rejected.count > 10)
        }
        report.rejected = rejected
        report.rows = report.imported + rejected.count
    }
}

/// An import batch as listed by `remit batches`.
public struct BatchInfo: Hashable, Sendable {
    public var id: Int64
    public var fileName: String
    public var sha256: String
    public var format: String
    public var rows: Int
    public var rejected: Int
    public var importedAt: String
    /// Prices the batch holds now: survey observations, fee schedules, rate quotes, reference rates.
    public var observations: Int, schedules: Int, quotes: Int, referenceRates: Int
}

extension RemitDatabase {
    /// Every import batch, oldest first, with what it holds.
    public func batches() throws -> [BatchInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.*,
                       (SELECT count(*) FROM price_observation o WHERE o.batch_id = b.id) AS observations,
                       (SELECT count(*) FROM fee_schedule f WHERE f.batch_id = b.id) AS schedules,
                       (SELECT count(*) FROM exchange_quote q WHERE q.batch_id = b.id) AS quotes,
                       (SELECT count(*) FROM reference_rate r WHERE r.batch_id = b.id) AS rates
                  FROM import_batch b ORDER BY b.id
                """).map { row in
                BatchInfo(id: row["id"], fileName: row["file_name"], sha256: row["sha256"], format: row["format"],
                          rows: row["row_count"], rejected: row["rejected_count"], importedAt: row["imported_at"],
                          observations: row["observations"], schedules: row["schedules"], quotes: row["quotes"],
                          referenceRates: row["rates"])
            }
        }
    }

    /// Deletes batch `id` and everything it brought, in one transaction; `false` if there is no such batch.
    @discardableResult
    public func removeBatch(_ id: Int64) throws -> Bool {
        try write { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM import_batch WHERE id = ?", arguments: [id]) != nil else { return false }
            try Self.removeBatch(id, db: db)
            return true
        }
    }

    /// Survey figures flagged as inconsistent with the RPW identity, optionally of one batch.
    public func inconsistentObservations(batch: Int64? = nil) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM price_observation WHERE is_inconsistent AND (? IS NULL OR batch_id = ?)",
                             arguments: [batch, batch]) ?? 0
        }
    }
}

extension XLSXSheetReader {
    /// A sheet row ends at its last non-empty cell.
    public var allowsShortRows: Bool { true }
}

/// The prices of one chunk, as the column values of the rows they become, read by SQLite through the
/// `remit_rows` virtual table of the C shim (`INSERT ... SELECT c0, … FROM remit_price_points`).
///
/// Text values point into the chunk's text (no copies): a batch is filled and written inside the
/// chunk's `withUnsafeBufferPointer`, emptied before it ends, and SQLite reads them as `SQLITE_STATIC`.
struct PointBatch {
    /// The name of the virtual table on the writing connection.
    static let tableName = "remit_price_points"
    /// The columns of `price_observation` the import writes, in the order of its INSERT.
    static let columns = 16

    /// A row whose prices are in the batch.
    struct Pending {
        var row: RPWRowPrices
        var service: Int64
        var currency: Currency
        /// The index of its first point in the batch, and how many it has (1 or 2).
        var firstPoint: Int, pointCount: Int
    }

    private(set) var rows: [Pending] = []
    private var values: [remit_value] = []
    private var points = 0

    init() {
        rows.reserveCapacity(RPWRowReader.chunkSize)
        values.reserveCapacity(2 * RPWRowReader.chunkSize * Self.columns)
    }

    /// Adds `row`'s points, written for `service` in batch `batchID`; its text columns are spans of `text`.
    mutating func append(_ row: RPWRowPrices, service: Int64, currency: Currency, batchID: Int64, text: UnsafeBufferPointer<UInt8>) {
        let first = points
        func span(_ span: TextSpan) {
            if span.count >= 0, let base = text.baseAddress {
                values.append(remit_value(integer: 0, text: UnsafeRawPointer(base + Int(span.start)).assumingMemoryBound(to: CChar.self),
                                          length: Int32(span.count)))
            } else {
                null()
            }
        }
        for point in row.points {
            integer(service); span(row.periodText); integer(point.amount)
            if let denomination = point.denomination {
                integer(denomination)
                let usd: StaticString = "USD"   // every RPW price point is in US dollars
                values.append(remit_value(integer: 0, text: UnsafeRawPointer(usd.utf8Start).assumingMemoryBound(to: CChar.self), length: 3))
            } else {
                null(); null()
            }
            integer(point.fee); span(point.offered); span(row.reference); span(point.margin); span(point.total)
            span(point.recomputed); integer(point.inconsistent ? 1 : 0); span(row.rowID); integer(Int64(row.line))
            span(row.observed); integer(batchID)
            points += 1
        }
        rows.append(Pending(row: row, service: service, currency: currency, firstPoint: first, pointCount: points - first))
    }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        points = 0
    }

    /// Writes the points of `rows[start...]` with `statement` (an `INSERT OR FAIL ... SELECT` from `table`).
    ///
    /// - Returns: `nil` when every point went in; else the row whose point the UNIQUE constraint refused,
    ///   how many of that row's points went in before it, and the id of the last row written. The points
    ///   before the refused one stay written (OR FAIL); none after it are.
    func write(from start: Int, with statement: Statement, table: UnsafeMutablePointer<remit_rows>)
        throws -> (row: Int, pointsWritten: Int, lastRowID: Int64)? {
        guard start < rows.count else { return nil }
        let firstPoint = rows[start].firstPoint
        let handle = statement.sqliteStatement
        let connection = sqlite3_db_handle(handle)
        let code = values.withUnsafeBufferPointer { values in
            table.pointee.values = values.baseAddress
            table.pointee.start = Int64(firstPoint)
            table.pointee.count = Int64(points)
            defer {
                table.pointee.values = nil
                table.pointee.count = 0
            }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            return code
        }
        if code == SQLITE_DONE { return nil }
        if code & 0xFF == SQLITE_CONSTRAINT, sqlite3_extended_errcode(connection) == 2067 /* SQLITE_CONSTRAINT_UNIQUE */ {
            let refused = firstPoint + Int(sqlite3_changes(connection))
            guard let index = rows[start...].firstIndex(where: { refused < $0.firstPoint + $0.pointCount }) else {
                throw StoreError.corrupt("a refused price beyond the chunk's \(points) points")
            }
            return (index, refused - rows[index].firstPoint, sqlite3_last_insert_rowid(connection))
        }
        // The result code goes with the error (a full disk, a busy database): later statements reset the connection's.
        throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                            message: String(cString: sqlite3_errmsg(connection)))
    }

    private mutating func integer(_ value: Int64) {
        values.append(remit_value(integer: value, text: nil, length: -1))
    }

    private mutating func null() {
        values.append(remit_value(integer: 0, text: nil, length: -2))
    }
}
