import Crypto
import Foundation
import GRDB

/// What one file brings: its name, its SHA-256 and its format.
public struct BatchSource: Hashable, Sendable {
    public var fileName: String
    public var sha256: String
    public var format: String

    public init(fileName: String, sha256: String, format: String) {
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
    }

    /// The SHA-256 of `bytes` as lower-case hex.
    public static func sha256(of bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
    }
}

/// What an import wrote.
public struct ImportSummary: Hashable, Sendable {
    /// The batch recorded for the file.
    public var batchID: Int64
    public var fileName: String
    /// Rows read from the file.
    public var rows: Int
    public var services: Int
    public var schedules: Int
    public var referenceRates: Int
}

extension RemitDatabase {
    /// Whether a file with this hash and format was imported, and as which batch.
    public func batchID(for source: BatchSource) throws -> Int64? {
        try read { db in
            try ImportBatchRecord
                .filter(ImportBatchRecord.Columns.sha256 == source.sha256 && ImportBatchRecord.Columns.format == source.format)
                .fetchOne(db)?.id
        }
    }

    /// Writes fee schedules and reference rates as one batch, in one transaction.
    public func importSchedules(
        _ entries: [ScheduleEntry], rates: [ReferenceRate] = [], rows: Int, from source: BatchSource
    ) throws -> ImportSummary {
        try write { db in
            if let existing = try ImportBatchRecord
                .filter(ImportBatchRecord.Columns.sha256 == source.sha256 && ImportBatchRecord.Columns.format == source.format)
                .fetchOne(db), let id = existing.id {
                throw ImportError.alreadyImported(file: source.fileName, batch: id)
            }
            var batch = ImportBatchRecord(id: nil, fileName: source.fileName, sha256: source.sha256, format: source.format,
                                          rowCount: rows, rejectedCount: 0, importedAt: Self.timestamp())
            try batch.insert(db)
            guard let batchID = batch.id else { throw StoreError.corrupt("an import batch without an id") }
            var writer = ServiceWriter(db: db, batchID: batchID)
            let services = try writer.write(entries).services
            let rateCount = try Self.insert(rates, batchID: batchID, db: db)
            return ImportSummary(batchID: batchID, fileName: source.fileName, rows: rows, services: services,
                                 schedules: entries.count, referenceRates: rateCount)
        }
    }

    /// Writes reference rates as one batch.
    public func importRates(_ rates: [ReferenceRate], rows: Int, from source: BatchSource) throws -> ImportSummary {
        try importSchedules([], rates: rates, rows: rows, from: source)
    }

    static func insert(_ rates: [ReferenceRate], batchID: Int64, db: Database) throws -> Int {
        let statement = try db.makeStatement(sql: """
            INSERT INTO reference_rate (base_currency, quote_currency, rate_date, rate, source, batch_id)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """)
        var count = 0
        for rate in rates {
            try statement.execute(arguments: [rate.base.rawValue, rate.quote.rawValue, rate.date.description,
                                              DecimalText.format(rate.rate), rate.source, batchID])
            count += db.changesCount
        }
        return count
    }

    /// Inserts flows and returns how many; a pair and year already brought by another batch is an invalid
    /// row naming that batch, handed to `log`.
    static func insert(_ flows: [FlowRow], fileName: String, batchID: Int64, log: InvalidRowLog, db: Database) throws -> Int {
        let existing = try db.makeStatement(sql: """
            SELECT batch_id FROM remittance_flow WHERE sending_country = ? AND receiving_country = ? AND year = ?
            """)
        let statement = try db.makeStatement(sql: """
            INSERT INTO remittance_flow (sending_country, receiving_country, year, usd_amount, batch_id) VALUES (?, ?, ?, ?, ?)
            """)
        var written = 0
        for row in flows {
            let flow = row.flow
            let arguments: StatementArguments = [flow.sending.rawValue, flow.receiving.rawValue, flow.year]
            if let earlier = try Row.fetchOne(existing, arguments: arguments) {
                try log.add(ImportError.alreadyInDatabase(SourceLocation(file: fileName, line: row.line),
                                                          "the \(flow.year) flow \(flow.sending)→\(flow.receiving)", batch: earlier[0]),
                            line: row.line, fields: row.fields)
                continue
            }
            try statement.execute(arguments: arguments + [flow.usdAmount, batchID])
            written += 1
        }
        return written
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// Finds or creates providers, corridors and services within one transaction, caching their ids.
struct ServiceWriter {
    let db: Database
    let batchID: Int64?
    private var providers: [String: Int64] = [:]
    private var corridors: [Corridor: Int64] = [:]
    private var services: [String: Int64] = [:]
    /// Whether to remember service ids; the RPW import keeps its own, smaller, cache.
    private let cachesServices: Bool
    /// How many services this writer has added to the database (the others it was asked for were there).
    private(set) var servicesInserted = 0

    init(db: Database, batchID: Int64?, cachesServices: Bool = true) {
        self.db = db
        self.batchID = batchID
        self.cachesServices = cachesServices
    }

    mutating func provider(_ provider: ProviderDescriptor) throws -> Int64 {
        let key = provider.name.lowercased()
        if let id = providers[key] { return id }
        // Literal SQL through the statement cache, for lookups and inserts alike: an RPW import looks up and
        // writes thousands of services, and building query-interface SQL or encoding a Codable record for each
        // cost more than SQLite's own work (a tenth of a second, the writing thread's first, at 250,000 rows).
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM provider WHERE name = ?"), arguments: [provider.name]) {
            providers[key] = id
            return id
        }
        try db.cachedStatement(sql: "INSERT INTO provider (name, firm_type, firm_type_label, is_formal) VALUES (?, ?, ?, ?)")
            .execute(arguments: [provider.name, provider.firmType.rawValue, provider.firmTypeLabel, provider.isFormal])
        let id = db.lastInsertedRowID
        providers[key] = id
        return id
    }

    mutating func corridor(_ corridor: Corridor) throws -> Int64 {
        if let id = corridors[corridor] { return id }
        if let id = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM corridor WHERE sending_country = ? AND receiving_country = ? AND send_currency = ? AND receive_currency = ?
            """), arguments: [corridor.sendingCountry.rawValue, corridor.receivingCountry.rawValue,
                              corridor.sendCurrency.code.rawValue, corridor.receiveCurrency.code.rawValue]) {
            corridors[corridor] = id
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO corridor (sending_country, receiving_country, send_currency, receive_currency) VALUES (?, ?, ?, ?)
            """).execute(arguments: [corridor.sendingCountry.rawValue, corridor.receivingCountry.rawValue,
                                     corridor.sendCurrency.code.rawValue, corridor.receiveCurrency.code.rawValue])
        let id = db.lastInsertedRowID
        corridors[corridor] = id
        return id
    }

    /// The id of the service, inserting it (and its provider and corridor) if new.
    mutating func service(_ service: ServiceDescriptor, sourceLabel: String? = nil) throws -> Int64 {
        let providerID = try provider(service.provider)
        let corridorID = try corridor(service.corridor)
        let key = "\(providerID)\u{1F}\(corridorID)\u{1F}\(service.name)\u{1F}\(service.fundingMethod.rawValue)\u{1F}\(service.payoutMethod.rawValue)"
        if let id = services[key] { return id }
        if let id = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM service WHERE provider_id = ? AND corridor_id = ? AND name = ? AND funding_method = ? AND payout_method = ?
            """), arguments: [providerID, corridorID, service.name, service.fundingMethod.rawValue, service.payoutMethod.rawValue]) {
            if cachesServices { services[key] = id }
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO service (provider_id, corridor_id, name, funding_method, payout_method, access_point, speed,
                is_transparent, network_coverage, requires_bank_account, source_label, batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                providerID, corridorID, service.name, service.fundingMethod.rawValue, service.payoutMethod.rawValue,
                service.accessPoint?.rawValue, service.speed.rawValue, service.isTransparent,
                service.networkCoverage?.rawValue, service.requiresBankAccount, sourceLabel, batchID,
            ])
        let id = db.lastInsertedRowID
        servicesInserted += 1
        if cachesServices { services[key] = id }
        for document in service.identityDocuments.sorted(by: { $0.rawValue < $1.rawValue }) {
            try db.cachedStatement(sql: "INSERT INTO service_identity_document (service_id, document) VALUES (?, ?)")
                .execute(arguments: [id, document.rawValue])
        }
        return id
    }

    /// Writes fee schedules with their bands and rate quotes; returns how many distinct services they price.
    ///
    /// A schedule the database already holds (same service and `valid_from`, from another batch) is an error:
    /// thrown, or handed to `onStored` with the entry, which is then left out.
    mutating func write(_ entries: [ScheduleEntry],
                        onStored: ((ImportError, ScheduleEntry) throws -> Void)? = nil) throws -> (services: Int, schedules: Int) {
        var services = Set<Int64>()
        var schedules = 0
        for entry in entries {
            let serviceID = try service(entry.service)
            if let batch = try Int64?.fetchOne(db, sql: "SELECT batch_id FROM fee_schedule WHERE service_id = ? AND valid_from = ?",
                                               arguments: [serviceID, entry.validFrom.description]) {
                let error = ImportError.alreadyInDatabase(
                    entry.source ?? SourceLocation(file: "schedule", line: 0),
                    "a schedule of \(entry.service.provider.name) (\(entry.service.name)) valid from \(entry.validFrom)", batch: batch)
                guard let onStored else { throw error }
                try onStored(error, entry)
                continue
            }
            services.insert(serviceID)
            schedules += 1
            var schedule = FeeScheduleRecord(
                id: nil, serviceId: serviceID, currency: entry.schedule.currency.code.rawValue,
                feeMode: entry.schedule.mode.rawValue, validFrom: entry.validFrom.description,
                validTo: entry.validTo?.description, batchId: batchID)
            try schedule.insert(db)
            guard let scheduleID = schedule.id else { throw StoreError.corrupt("a fee schedule without an id") }
            for band in entry.schedule.bands {
                try FeeBandRecord(scheduleId: scheduleID, minAmount: band.minAmount, maxAmount: band.maxAmount,
                                  fixedFee: band.fixedFee, percentFee: DecimalText.format(band.percentFee),
                                  minFee: band.minFee, maxFee: band.maxFee).insert(db)
            }
            let observedAt = entry.rateObservedAt ?? entry.validFrom.description
            switch entry.rate {
            case let .offered(rate):
                try quote(serviceID: serviceID, observedAt: observedAt, offered: rate, margin: nil)
            case let .margin(percent):
                try quote(serviceID: serviceID, observedAt: observedAt, offered: nil, margin: percent)
            case .undisclosed:
                break
            }
        }
        return (services.count, schedules)
    }

    func quote(serviceID: Int64, observedAt: String, offered: Decimal?, margin: Decimal?) throws {
        try ExchangeQuoteRecord(serviceId: serviceID, observedAt: observedAt,
                                offeredRate: offered.map(DecimalText.format),
                                marginPercent: margin.map(DecimalText.format), batchId: batchID).insert(db)
    }
}
