import Foundation
import GRDB

// Codable records: one per table that remit writes. Decimal columns are
// canonical decimal text (see schema.sql), money columns minor units.

/// A row of `import_batch`.
struct ImportBatchRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "import_batch"
    var id: Int64?
    var fileName: String
    var sha256: String
    var format: String
    var rowCount: Int
    var rejectedCount: Int
    var importedAt: String

    enum CodingKeys: String, CodingKey {
        case id, sha256, format
        case fileName = "file_name", rowCount = "row_count", rejectedCount = "rejected_count", importedAt = "imported_at"
    }

    enum Columns {
        static let sha256 = Column(CodingKeys.sha256)
        static let format = Column(CodingKeys.format)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `provider`.
struct ProviderRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "provider"
    var id: Int64?
    var name: String
    var firmType: String
    var firmTypeLabel: String?
    var isFormal: Bool

    enum CodingKeys: String, CodingKey {
        case id, name
        case firmType = "firm_type", firmTypeLabel = "firm_type_label", isFormal = "is_formal"
    }

    enum Columns {
        static let name = Column(CodingKeys.name)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `corridor`.
struct CorridorRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "corridor"
    var id: Int64?
    var sendingCountry: String
    var receivingCountry: String
    var sendCurrency: String
    var receiveCurrency: String

    enum CodingKeys: String, CodingKey {
        case id
        case sendingCountry = "sending_country", receivingCountry = "receiving_country"
        case sendCurrency = "send_currency", receiveCurrency = "receive_currency"
    }

    enum Columns {
        static let sendingCountry = Column(CodingKeys.sendingCountry)
        static let receivingCountry = Column(CodingKeys.receivingCountry)
        static let sendCurrency = Column(CodingKeys.sendCurrency)
        static let receiveCurrency = Column(CodingKeys.receiveCurrency)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `service`.
struct ServiceRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "service"
    var id: Int64?
    var providerId: Int64
    var corridorId: Int64
    var name: String
    var fundingMethod: String
    var payoutMethod: String
    var accessPoint: String?
    var speed: String
    var isTransparent: Bool
    var networkCoverage: String?
    var requiresBankAccount: Bool
    var sourceLabel: String?
    var batchId: Int64?

    enum CodingKeys: String, CodingKey {
        case id, name, speed
        case sourceLabel = "source_label"
        case providerId = "provider_id", corridorId = "corridor_id", fundingMethod = "funding_method"
        case payoutMethod = "payout_method", accessPoint = "access_point", isTransparent = "is_transparent"
        case networkCoverage = "network_coverage", requiresBankAccount = "requires_bank_account", batchId = "batch_id"
    }

    enum Columns {
        static let providerId = Column(CodingKeys.providerId)
        static let corridorId = Column(CodingKeys.corridorId)
        static let name = Column(CodingKeys.name)
        static let fundingMethod = Column(CodingKeys.fundingMethod)
        static let payoutMethod = Column(CodingKeys.payoutMethod)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `fee_schedule`.
struct FeeScheduleRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "fee_schedule"
    var id: Int64?
    var serviceId: Int64
    var currency: String
    var feeMode: String
    var validFrom: String
    var validTo: String?
    var batchId: Int64?

    enum CodingKeys: String, CodingKey {
        case id, currency
        case serviceId = "service_id", feeMode = "fee_mode", validFrom = "valid_from", validTo = "valid_to"
        case batchId = "batch_id"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `fee_band`.
struct FeeBandRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "fee_band"
    var scheduleId: Int64
    var minAmount: Int64
    var maxAmount: Int64?
    var fixedFee: Int64
    var percentFee: String
    var minFee: Int64?
    var maxFee: Int64?

    enum CodingKeys: String, CodingKey {
        case scheduleId = "schedule_id", minAmount = "min_amount", maxAmount = "max_amount"
        case fixedFee = "fixed_fee", percentFee = "percent_fee", minFee = "min_fee", maxFee = "max_fee"
    }
}

/// A row of `exchange_quote`.
struct ExchangeQuoteRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "exchange_quote"
    var serviceId: Int64
    var observedAt: String
    var offeredRate: String?
    var marginPercent: String?
    var batchId: Int64?

    enum CodingKeys: String, CodingKey {
        case serviceId = "service_id", observedAt = "observed_at", offeredRate = "offered_rate"
        case marginPercent = "margin_percent", batchId = "batch_id"
    }
}

/// A row of `reference_rate`.
struct ReferenceRateRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "reference_rate"
    var baseCurrency: String
    var quoteCurrency: String
    var rateDate: String
    var rate: String
    var source: String
    var batchId: Int64?

    enum CodingKeys: String, CodingKey {
        case rate, source
        case baseCurrency = "base_currency", quoteCurrency = "quote_currency", rateDate = "rate_date"
        case batchId = "batch_id"
    }
}
