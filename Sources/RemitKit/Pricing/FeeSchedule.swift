import Foundation

/// One amount band of a fee schedule: the fee for amounts from `minAmount` to `maxAmount`.
///
/// The fee is `fixedFee + amount × percentFee / 100`, then raised to `minFee`
/// and capped at `maxFee` where they are set, then rounded once to minor units.
public struct FeeBand: Hashable, Sendable {
    /// The smallest amount in the band, inclusive, in the schedule's currency.
    public var minAmount: Int64
    /// The largest amount in the band, inclusive; `nil` for no upper limit.
    public var maxAmount: Int64?
    /// A flat fee in minor units.
    public var fixedFee: Int64
    /// A fee as a percentage of the amount sent (`1.5` is 1.5%).
    public var percentFee: Decimal
    /// The least fee charged in this band, in minor units.
    public var minFee: Int64?
    /// The most fee charged in this band, in minor units.
    public var maxFee: Int64?

    public init(
        minAmount: Int64, maxAmount: Int64?, fixedFee: Int64 = 0, percentFee: Decimal = 0,
        minFee: Int64? = nil, maxFee: Int64? = nil
    ) {
        self.minAmount = minAmount
        self.maxAmount = maxAmount
        self.fixedFee = fixedFee
        self.percentFee = percentFee
        self.minFee = minFee
        self.maxFee = maxFee
    }

    /// Whether `amount` (minor units) falls in the band.
    public func contains(_ amount: Int64) -> Bool {
        amount >= minAmount && maxAmount.map { amount <= $0 } ?? true
    }

    /// The exact fee for `amount` in minor units, before rounding.
    func exactFee(for amount: Int64) -> Decimal {
        var fee = Decimal(fixedFee) + Decimal(amount) * percentFee / 100
        if let minFee, fee < Decimal(minFee) { fee = Decimal(minFee) }
        if let maxFee, fee > Decimal(maxFee) { fee = Decimal(maxFee) }
        return fee
    }
}

/// What a service charges for any amount: ordered, non-overlapping bands in one currency.
public struct FeeSchedule: Hashable, Sendable {
    /// The currency of the band limits and fees: the corridor's sending currency.
    public let currency: Currency
    /// Whether the fee is added to the amount or taken out of it.
    public let mode: FeeMode
    /// The bands, ordered by ``FeeBand/minAmount``.
    public let bands: [FeeBand]

    /// Creates a schedule after checking that its bands make sense.
    public init(currency: Currency, mode: FeeMode, bands: [FeeBand]) throws(PricingError) {
        let sorted = bands.sorted { $0.minAmount < $1.minAmount }
        guard !sorted.isEmpty else { throw .emptySchedule }
        for (index, band) in sorted.enumerated() {
            let limit = band.maxAmount.map { Money(minorUnits: $0, currency: currency).description } ?? "no limit"
            let context = "band \(Money(minorUnits: band.minAmount, currency: currency).description) to \(limit)"
            if band.minAmount < 0 { throw .invalidBand(context, "the lower limit is negative") }
            if let max = band.maxAmount, max < band.minAmount {
                throw .invalidBand(context, "the upper limit is below the lower limit")
            }
            if band.fixedFee < 0 || (band.minFee ?? 0) < 0 || (band.maxFee ?? 0) < 0 {
                throw .invalidBand(context, "a fee is negative")
            }
            if band.percentFee < 0 || band.percentFee >= 100 {
                throw .invalidBand(context, "the percentage fee must be at least 0 and below 100")
            }
            if let minFee = band.minFee, let maxFee = band.maxFee, minFee > maxFee {
                throw .invalidBand(context, "the minimum fee is above the maximum fee")
            }
            if index + 1 < sorted.count {
                let next = sorted[index + 1]
                guard let max = band.maxAmount, max < next.minAmount else {
                    throw .invalidBand(context, "it overlaps the band starting at \(Money(minorUnits: next.minAmount, currency: currency))")
                }
            }
        }
        self.currency = currency
        self.mode = mode
        self.bands = sorted
    }

    /// The band that prices `amount`, or `nil` if the service does not send it.
    public func band(for amount: Money) -> FeeBand? {
        bands.first { $0.contains(amount.minorUnits) }
    }

    /// The fee for `amount`, rounded once; `nil` if no band covers the amount.
    public func fee(for amount: Money) -> Money? {
        guard amount.currency == currency, let band = band(for: amount) else { return nil }
        return Money.rounded(band.exactFee(for: amount.minorUnits).scaled(by: -currency.minorUnits), in: currency)
    }

    /// The smallest and largest amounts the schedule prices (the largest is `nil` if unbounded).
    public var limits: (min: Money, max: Money?) {
        (Money(minorUnits: bands.first?.minAmount ?? 0, currency: currency),
         bands.last?.maxAmount.map { Money(minorUnits: $0, currency: currency) })
    }
}

/// Why a price could not be computed.
public enum PricingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A schedule with no bands.
    case emptySchedule
    /// A band that is inconsistent: which band, and what is wrong with it.
    case invalidBand(String, String)
    /// The amount is outside every band of the schedule (or below/above the surveyed range).
    case amountNotServed(Money)
    /// The amount is in a different currency from the service's sending currency.
    case currencyMismatch(expected: CurrencyCode, found: CurrencyCode)
    /// No amount the service can send delivers the target.
    case targetUnreachable(Money)
    /// An exchange rate that is zero or negative.
    case invalidRate(Decimal)
    /// The provider does not disclose its rate, so what the recipient gets is unknown.
    case rateUndisclosed

    public var description: String {
        switch self {
        case .emptySchedule:
            "a fee schedule needs at least one band"
        case let .invalidBand(band, problem):
            "fee schedule \(band): \(problem)"
        case let .amountNotServed(amount):
            "the service does not send \(amount)"
        case let .currencyMismatch(expected, found):
            "the amount is in \(found), but the service sends \(expected)"
        case let .targetUnreachable(target):
            "no amount the service sends delivers \(target)"
        case .rateUndisclosed:
            "the provider does not disclose its exchange rate, so what the recipient gets is unknown"
        case let .invalidRate(rate):
            "an exchange rate must be above zero, found \(DecimalText.format(rate))"
        }
    }
}
