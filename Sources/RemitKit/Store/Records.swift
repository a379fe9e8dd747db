import Foundation
import GRDB

// Codable records for the tables remit writes row by row. (Providers, corridors
// and services are written with literal SQL, see ServiceWriter.) Decimal columns are
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
