import Foundation

/// A corridor: money sent from one country to another (or within one, domestic).
public struct Corridor: Hashable, Sendable, CustomStringConvertible {
    public var sendingCountry: CountryCode
    public var receivingCountry: CountryCode
    public var sendCurrency: Currency
    public var receiveCurrency: Currency

    public init(sendingCountry: CountryCode, receivingCountry: CountryCode, sendCurrency: Currency, receiveCurrency: Currency) {
        self.sendingCountry = sendingCountry
        self.receivingCountry = receivingCountry
        self.sendCurrency = sendCurrency
        self.receiveCurrency = receiveCurrency
    }

    /// Whether money stays in one country (an internal remittance).
    public var isDomestic: Bool { sendingCountry == receivingCountry }

    /// `US→MX (USD→MXN)`.
    public var description: String {
        "\(sendingCountry)→\(receivingCountry) (\(sendCurrency.code)→\(receiveCurrency.code))"
    }
}

/// Who offers a service.
public struct ProviderDescriptor: Hashable, Sendable {
    public var name: String
    public var firmType: FirmType
    /// The firm type as the source labelled it, when it differs from ``firmType``'s label.
    public var firmTypeLabel: String?
    /// Whether the channel is licensed and regulated.
    public var isFormal: Bool

    public init(name: String, firmType: FirmType, firmTypeLabel: String? = nil, isFormal: Bool) {
        self.name = name
        self.firmType = firmType
        self.firmTypeLabel = firmTypeLabel
        self.isFormal = isFormal
    }
}

/// A provider's product in a corridor, with everything a sender needs to know to use it.
public struct ServiceDescriptor: Hashable, Sendable {
    public var provider: ProviderDescriptor
    public var corridor: Corridor
    /// The product's name, e.g. "Online to bank account".
    public var name: String
    public var fundingMethod: FundingMethod
    public var payoutMethod: PayoutMethod
    public var accessPoint: AccessPoint?
    public var speed: Speed
    /// Whether the provider discloses its exchange rate.
    public var isTransparent: Bool
    public var networkCoverage: NetworkCoverage?
    /// Whether the sender needs a bank account or a card.
    public var requiresBankAccount: Bool
    /// The identity documents accepted; empty when not known.
    public var identityDocuments: Set<IdentityDocument>

    public init(
        provider: ProviderDescriptor, corridor: Corridor, name: String, fundingMethod: FundingMethod,
        payoutMethod: PayoutMethod, accessPoint: AccessPoint? = nil, speed: Speed, isTransparent: Bool = true,
        networkCoverage: NetworkCoverage? = nil, requiresBankAccount: Bool? = nil,
        identityDocuments: Set<IdentityDocument> = []
    ) {
        self.provider = provider
        self.corridor = corridor
        self.name = name
        self.fundingMethod = fundingMethod
        self.payoutMethod = payoutMethod
        self.accessPoint = accessPoint
        self.speed = speed
        self.isTransparent = isTransparent
        self.networkCoverage = networkCoverage
        self.requiresBankAccount = requiresBankAccount ?? fundingMethod.needsBankAccount
        self.identityDocuments = identityDocuments
    }
}

/// A fee schedule with its validity and the service's exchange-rate terms.
public struct ScheduleEntry: Hashable, Sendable {
    public var service: ServiceDescriptor
    public var schedule: FeeSchedule
    public var rate: RateTerms
    /// When the rate was observed (`YYYY-MM-DD` or an ISO 8601 time), if known.
    public var rateObservedAt: String?
    public var validFrom: CalendarDate
    public var validTo: CalendarDate?
    /// Where the schedule starts in the file it was read from, for messages.
    public var source: SourceLocation?
    /// The file's rows the schedule was read from (one per band), to set aside together if it cannot be stored.
    public var sourceRows: [SourceRow] = []
}

/// A row of a file as read: its line and its fields' text.
public struct SourceRow: Hashable, Sendable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A reference (interbank) rate: 1 `base` = `rate` `quote` on `date`.
public struct ReferenceRate: Hashable, Sendable {
    public var base: CurrencyCode
    public var quote: CurrencyCode
    public var date: CalendarDate
    public var rate: Decimal
    public var source: String

    public init(base: CurrencyCode, quote: CurrencyCode, date: CalendarDate, rate: Decimal, source: String) {
        self.base = base
        self.quote = quote
        self.date = date
        self.rate = rate
        self.source = source
    }
}
