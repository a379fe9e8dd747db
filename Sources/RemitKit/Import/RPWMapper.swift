import Foundation

/// One survey price point of an RPW row (the USD 200 or USD 500 column group).
public struct RPWPricePoint: Hashable, Sendable {
    /// The amount sent, in the sending currency.
    public var amount: Money
    /// The price point in its denomination currency (e.g. USD 200), if given.
    public var denomination: Money?
    public var fee: Money
    /// The rate offered; `nil` for a non-transparent service (RPW's placeholder 1 dropped).
    public var offeredRate: FixedDecimal?
    /// The published FX margin; `nil` when the service is not transparent (unknown, not zero).
    public var fxMarginPercent: FixedDecimal?
    /// The published total cost %; `nil` when not transparent (RPW's figure then omits the margin).
    public var totalCostPercent: FixedDecimal?
    /// fee / amount × 100 + margin, recomputed from the published fee and margin, to 8 decimals.
    public var recomputedTotalCostPercent: FixedDecimal?
    /// Whether published and recomputed totals differ by more than 0.01 percentage points.
    public var isInconsistent: Bool
}

/// The service an RPW row describes: the same for every period the service was surveyed in.
public struct RPWService: Hashable, Sendable {
    public var service: ServiceDescriptor
    /// The source's description of the service (instrument | access point | pickup | coverage).
    public var sourceLabel: String
    /// World Bank region and income group of the sending and receiving countries, as the row gives them.
    public var sendingRegion: String?, sendingIncome: String?, receivingRegion: String?, receivingIncome: String?
}

/// The prices of one RPW row.
public struct RPWPrices: Hashable, Sendable {
    public var period: Period
    /// The interbank rate; `nil` when not transparent (RPW's placeholder 1 dropped).
    public var referenceRate: FixedDecimal?
    /// The USD 200 point, and the USD 500 one if the row has it (held inline: no array per row).
    public var first: RPWPricePoint, second: RPWPricePoint?
    public var observedOn: CalendarDate?
    public var sourceRowID: String?

    /// The points in order.
    public var points: [RPWPricePoint] { second.map { [first, $0] } ?? [first] }
}

/// Maps rows of the World Bank's Remittance Prices Worldwide dataset to remit's model.
///
/// Both published layouts are read — "Dataset (from Q2 2016)" (42 columns) and
/// "Dataset (up to Q1 2016)" (41 columns) — and files mixing them, with headers
/// in any case and order. Values as found in the real files are accepted: `..`
/// for not provided, numbers as quoted text, dates as ISO, `dd/Mon/yyyy` or
/// Excel serials, `yes`/`Yes`/`no`.
struct RPWMapper {
    /// Columns without which no cost can be computed.
    static let requiredColumns = [
        "period", "source_code", "destination_code", "firm", "firm_type", "speed actual",
        "cc1 lcu amount", "cc1 lcu code", "cc1 lcu fee", "cc1 lcu fx rate", "cc1 fx margin", "cc1 total cost %",
        "inter lcu bank fx", "transparent",
    ]
    static let secondPoint = ["cc2 lcu amount", "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate", "cc2 fx margin", "cc2 total cost %"]

    /// The largest gap between the published and the recomputed total cost that is not flagged.
    static let tolerance = Decimal(string: "0.01") ?? 0

    private struct PointColumns {
        let amount, denomination, code, fee, rate, margin, total: ColumnRef
    }

    private let period, source, destination, firm, firmType, speed, interbank, transparent: ColumnRef
    private let instrument, accessPoint, pickupMethod, coverage, product, sendingLocation, oldPickup, oldCoverage: ColumnRef
    private let date, id, sourceRegion, sourceIncome, destinationRegion, destinationIncome: ColumnRef
    private let points: [PointColumns]
    /// The columns whose values make a service: rows agreeing on all of them are one service.
    private let identity: [ColumnRef]

    /// Checks the header: all cost columns present, the USD 500 group whole or absent.
    init(_ table: TableReader) throws(ImportError) {
        let missing = Self.requiredColumns.filter { !table.has($0) }
        guard missing.isEmpty else { throw ImportError.missingColumns(file: table.fileName, missing) }
        let second = Self.secondPoint.filter { table.has($0) }
        if !second.isEmpty, second.count < Self.secondPoint.count {
            throw ImportError.missingColumns(file: table.fileName, Self.secondPoint.filter { !table.has($0) })
        }
        func point(_ prefix: String) -> PointColumns {
            PointColumns(amount: table.column("\(prefix) lcu amount"), denomination: table.column("\(prefix) denomination amount"),
                         code: table.column("\(prefix) lcu code"), fee: table.column("\(prefix) lcu fee"),
                         rate: table.column("\(prefix) lcu fx rate"), margin: table.column("\(prefix) fx margin"),
                         total: table.column("\(prefix) total cost %"))
        }
        points = second.isEmpty ? [point("cc1")] : [point("cc1"), point("cc2")]
        period = table.column("period"); source = table.column("source_code"); destination = table.column("destination_code")
        firm = table.column("firm"); firmType = table.column("firm_type"); speed = table.column("speed actual")
        interbank = table.column("inter lcu bank fx"); transparent = table.column("transparent")
        instrument = table.column("payment instrument"); accessPoint = table.column("access point")
        pickupMethod = table.column("pickup method"); coverage = table.column("receiving network coverage")
        product = table.column("product"); sendingLocation = table.column("sending location")
        oldPickup = table.column("pick-up method"); oldCoverage = table.column("coverage")
        date = table.column("date"); id = table.column("id")
        sourceRegion = table.column("source_region"); sourceIncome = table.column("source_income")
        destinationRegion = table.column("destination_region"); destinationIncome = table.column("destination_income")
        identity = [source, destination, firm, firmType, speed, transparent, instrument, accessPoint, pickupMethod, coverage,
                    product, sendingLocation, oldPickup, oldCoverage] + points.map(\.code)
    }

    /// The column a value breaking one of price_observation's CHECKs came from (the USD 200 group's, for a price point).
    func column(for violation: PriceObservationRules.Violation) -> ColumnRef {
        switch violation {
        case .period: period
        case .amount: points[0].amount
        case .fee: points[0].fee
        case .offeredRate: points[0].rate
        case .referenceRate: interbank
        case .fxMargin: points[0].margin
        case .totalCost: points[0].total
        case .observedOn: date
        }
    }

    /// A fingerprint of the columns that identify a service, to recognise rows of a service already mapped.
    func serviceKey(_ row: TableRow) -> ServiceKey {
        var key = ServiceKey()
        row.record.bytes.withUnsafeBufferPointer { bytes in
            for column in identity {
                if let index = column.index, index < row.record.count {
                    for byte in UnsafeBufferPointer(rebasing: bytes[row.record.range(index)]) { key.add(byte) }
                }
                key.add(0x1F)
            }
        }
        return key
    }

    /// Maps the service a row describes, or throws the first problem with its location.
    func service(_ row: TableRow) throws(ImportError) -> RPWService {
        let from = try country(row, source), to = try country(row, destination)
        guard let firmName = row.text(firm) else { throw row.invalid(firm, expected: "the firm's name") }
        guard let firmLabel = row.text(firmType), let mappedFirmType = Self.firmType(firmLabel) else {
            throw row.invalid(firmType, expected: "a firm type such as Bank or Money Transfer Operator")
        }
        guard let speedText = row.text(speed), let mappedSpeed = Self.speed(speedText) else {
            throw row.invalid(speed, expected: "an RPW speed: Less than one hour, Same day, Next day, 2 days, 3-5 days or 6 days or more")
        }
        guard let isTransparent = try row.flag(transparent) else { throw row.invalid(transparent, expected: "yes or no") }
        guard let receiveCurrency = ReferenceData.currency(named: to.currency), let receiving = CountryCode(to.alpha2),
              let sending = CountryCode(from.alpha2) else {
            throw row.invalid(destination, expected: "a country with a current currency")
        }
        var sendCurrency: Currency?
        for columns in points {
            guard let code = row.text(columns.code), let currency = ReferenceData.currency(named: code) else {
                throw row.invalid(columns.code, expected: "an ISO 4217 currency code")
            }
            if let first = sendCurrency, first != currency {
                throw row.invalid(columns.code, expected: "the same sending currency as \(first.code)")
            }
            sendCurrency = currency
        }
        guard let sendCurrency else { throw row.invalid(points[0].code, expected: "an ISO 4217 currency code") }

        let newLayout = instrument.index != nil || pickupMethod.index != nil
        let fundingText = (newLayout ? row.text(instrument) : nil) ?? row.text(product) ?? ""
        let payoutText = (newLayout ? row.text(pickupMethod) : nil) ?? row.text(oldPickup) ?? row.text(product) ?? ""
        let accessText = row.text(accessPoint) ?? row.text(sendingLocation)
        let coverageText = row.text(coverage) ?? row.text(oldCoverage)
        let (funding, needsAccount) = Self.funding(fundingText)
        let payout = Self.payout(payoutText, product: newLayout ? nil : row.text(product))
        let corridor = Corridor(sendingCountry: sending, receivingCountry: receiving, sendCurrency: sendCurrency,
                                receiveCurrency: sending == receiving ? sendCurrency : receiveCurrency)
        let service = ServiceDescriptor(
            provider: ProviderDescriptor(name: firmName, firmType: mappedFirmType,
                                         firmTypeLabel: firmLabel == mappedFirmType.label ? nil : firmLabel, isFormal: true),
            corridor: corridor,
            name: "\(fundingText.isEmpty ? "?" : fundingText) → \(payoutText.isEmpty ? "?" : payoutText)"
                + (accessText.map { " via \($0)" } ?? "") + ", \(mappedSpeed.label.lowercased())"
                + (coverageText.map { ", \($0.lowercased()) coverage" } ?? "")
                // A product whose rate is disclosed and the same product whose rate is not are two services:
                // only one of them has a known margin.
                + (isTransparent ? "" : ", rate not disclosed"),
            fundingMethod: funding, payoutMethod: payout, accessPoint: accessText.flatMap(Self.accessPoint),
            speed: mappedSpeed, isTransparent: isTransparent,
            networkCoverage: coverageText.flatMap { NetworkCoverage(lenient: $0) },
            requiresBankAccount: needsAccount)
        return RPWService(
            service: service, sourceLabel: [fundingText, accessText ?? "", payoutText, coverageText ?? ""].joined(separator: " | "),
            sendingRegion: row.text(sourceRegion), sendingIncome: row.text(sourceIncome),
            receivingRegion: row.text(destinationRegion), receivingIncome: row.text(destinationIncome))
    }

    /// Maps a row's prices for a service already mapped, or throws the first problem with its location.
    func prices(_ row: TableRow, sendCurrency: Currency, isTransparent: Bool, cache: inout RPWMapperCache) throws(ImportError) -> RPWPrices {
        guard let periodRange = row.trimmedRange(period),
              let parsedPeriod = Self.parse(row, periodRange, cache: &cache.periods, fast: { Period(canonical: $0) }, slow: { Period($0) })
        else { throw row.invalid(period, expected: "a period such as 2025_3Q") }
        let reference = try row.fixed(interbank, expected: "the interbank rate as a number")
        if isTransparent, (reference?.units ?? 0) <= 0 { throw row.invalid(interbank, expected: "an interbank rate above zero") }
        let first = try point(row, points[0], currency: sendCurrency, transparent: isTransparent)
        var second: RPWPricePoint?
        // The USD 500 point may be missing (`..`) on a row that has the USD 200 one.
        if points.count > 1, row.trimmedRange(points[1].amount) != nil || row.trimmedRange(points[1].fee) != nil {
            second = try point(row, points[1], currency: sendCurrency, transparent: isTransparent)
        }
        var observedOn: CalendarDate?
        if let dateRange = row.trimmedRange(date) {
            guard let value = Self.parse(row, dateRange, cache: &cache.dates, fast: { CalendarDate(iso: $0) }, slow: Self.date) else {
                throw row.invalid(date, expected: "a date as YYYY-MM-DD, dd/Mon/yyyy or an Excel serial number")
            }
            observedOn = value
        }
        return RPWPrices(period: parsedPeriod, referenceRate: isTransparent ? reference : nil, first: first, second: second,
                         observedOn: observedOn, sourceRowID: row.text(id))
    }

    /// The value in `row`'s bytes at `range`: read by `fast` straight from the bytes when it can (RPW's own
    /// spellings, no `String`), else by `slow` from the text, remembered in `cache` since such values repeat.
    private static func parse<Value>(_ row: TableRow, _ range: Range<Int>, cache: inout [[UInt8]: Value],
                                     fast: (UnsafeBufferPointer<UInt8>) -> Value?, slow: (String) -> Value?) -> Value? {
        if let value = row.record.bytes.withUnsafeBufferPointer({ fast(UnsafeBufferPointer(rebasing: $0[range])) }) { return value }
        let key = Array(row.record.bytes[range])
        if let cached = cache[key] { return cached }
        guard let value = slow(String(decoding: key, as: UTF8.self)) else { return nil }
        cache[key] = value
        return value
    }

    private func country(_ row: TableRow, _ column: ColumnRef) throws(ImportError) -> CountryEntry {
        guard let text = row.text(column), let entry = ReferenceData.country(text) else {
            throw row.invalid(column, expected: "an ISO 3166 alpha-3 country code")
        }
        return entry
    }

    private func point(_ row: TableRow, _ columns: PointColumns, currency: Currency, transparent: Bool) throws(ImportError) -> RPWPricePoint {
        guard let amountValue = try row.fixed(columns.amount, expected: "the amount sent as a number"), amountValue.units > 0,
              let amountMinor = amountValue.rescaled(to: currency.minorUnits), amountMinor > 0, amountMinor < 100_000_000_000_000 else {
            throw row.invalid(columns.amount, expected: "an amount above zero")
        }
        guard let feeValue = try row.fixed(columns.fee, expected: "the fee as a number"),
              let feeMinor = feeValue.rescaled(to: currency.minorUnits) else {
            throw row.invalid(columns.fee, expected: "the fee as a number")
        }
        guard feeValue.units >= 0 else { throw row.invalid(columns.fee, expected: "a fee of zero or more") }
        guard feeMinor <= amountMinor else { throw row.invalid(columns.fee, expected: "a fee no larger than the amount sent") }
        let amount = Money(minorUnits: amountMinor, currency: currency), fee = Money(minorUnits: feeMinor, currency: currency)
        var denomination: Money?
        if let value = try row.fixed(columns.denomination, expected: "the price point as a number"), value.units > 0,
           let usd = Self.usd, let minor = value.rescaled(to: usd.minorUnits) {
            denomination = Money(minorUnits: minor, currency: usd)
        }
        guard transparent else {
            return RPWPricePoint(amount: amount, denomination: denomination, fee: fee, offeredRate: nil, fxMarginPercent: nil,
                                 totalCostPercent: nil, recomputedTotalCostPercent: nil, isInconsistent: false)
        }
        guard let offered = try row.fixed(columns.rate, expected: "the offered rate as a number"), offered.units > 0 else {
            throw row.invalid(columns.rate, expected: "an offered rate above zero")
        }
        guard let margin = try row.fixed(columns.margin, expected: "the FX margin in percent"),
              let margin8 = margin.rescaled(to: 8), margin8 < 10_000_000_000, margin8 > -10_000_000_000 else {
            throw row.invalid(columns.margin, expected: "an FX margin in percent between -100 and 100")
        }
        let total = try row.fixed(columns.total, expected: "the total cost in percent")
        // fee / amount × 100 in units of 10⁻⁸ %, exactly, rounded once (ties away from zero).
        var recomputed: FixedDecimal?
        var inconsistent = false
        if let feePercent8 = Self.percent8(fee: feeValue, amount: amountValue) {
            let recomputed8 = feePercent8 + margin8
            recomputed = FixedDecimal(units: recomputed8, scale: 8)
            if let total8 = total?.rescaled(to: 8) {
                inconsistent = (total8 - recomputed8).magnitude > 1_000_000   // 0.01 percentage points
            }
        }
        return RPWPricePoint(amount: amount, denomination: denomination, fee: fee, offeredRate: offered,
                             fxMarginPercent: margin, totalCostPercent: total,
                             recomputedTotalCostPercent: recomputed, isInconsistent: inconsistent)
    }

    private static let usd = ReferenceData.currency(named: "USD")

    /// fee / amount × 100 × 10⁸, rounded half away from zero; `nil` if it does not fit.
    static func percent8(fee: FixedDecimal, amount: FixedDecimal) -> Int64? {
        // (fee.units / 10^fs) / (amount.units / 10^as) × 10^10 = fee.units × 10^(as + 10 − fs) / amount.units
        let shift = amount.scale + 10 - fee.scale
        var numerator = Int128(fee.units)
        var denominator = Int128(amount.units)
        if shift >= 0 {
            for _ in 0..<shift {
                let (value, overflow) = numerator.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                numerator = value
            }
        } else {
            for _ in 0..<(-shift) { denominator *= 10 }
        }
        guard denominator != 0 else { return nil }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let rounded = remainder.magnitude * 2 >= denominator.magnitude ? quotient + (numerator < 0 ? -1 : 1) : quotient
        return Int64(exactly: rounded)
    }

    // MARK: - Vocabulary mapping

    /// RPW firm types, including compound labels (`Bank/Money Transfer Operator` maps to its first part).
    static func firmType(_ label: String) -> FirmType? {
        let first = label.split(whereSeparator: { $0 == "/" || $0 == "," || $0 == ";" }).first.map(String.init) ?? label
        let key = first.lowercased().filter(\.isLetter)
        switch key {
        case "bank": return .bank
        case "moneytransferoperator", "mto": return .moneyTransferOperator
        case "postoffice", "post": return .postOffice
        case "mobileoperator", "mno": return .mobileOperator
        case "nonbankfi", "nonbankfinancialinstitution", "nbfi": return .nonBankFinancialInstitution
        case "creditunion", "cooperative": return .creditUnion
        case "buildingsociety", "other": return .other
        default: return key.isEmpty ? nil : .other
        }
    }

    /// RPW speed buckets; the stray `1-3 days` counts as 3-5 days (its slowest case).
    static func speed(_ text: String) -> Speed? {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "lessthanonehour", "lessthan1hour", "lessthananhour": return .lessThanOneHour
        case "sameday": return .sameDay
        case "nextday", "1day": return .nextDay
        case "2days": return .twoDays
        case "35days", "13days": return .threeToFiveDays
        case "6daysormore", "6ormoredays", "morethan5days": return .sixDaysOrMore
        default: return Speed(lenient: text)
        }
    }

    /// The funding method from a payment instrument (`Cash, Bank account`: the first) or an old product label
    /// (`Cash to cash`), and whether every option needs a bank account or card.
    ///
    /// When some option needs no account (`Bank account, Cash`), the funding method is the first such option:
    /// a person without an account can use the service, and the schema holds that a service whose funding
    /// method is an account or a card requires one.
    static func funding(_ text: String) -> (FundingMethod, Bool) {
        let lower = text.lowercased()
        let sendingSide = lower.components(separatedBy: " to ").first ?? lower
        let options = sendingSide.split(whereSeparator: { $0 == "," || $0 == "/" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let methods = options.compactMap(fundingTerm)
        guard let first = methods.first else { return (.other, false) }
        if let open = methods.first(where: { !$0.needsBankAccount }) { return (open, false) }
        return (first, true)
    }

    private static func fundingTerm(_ text: String) -> FundingMethod? {
        if text.contains("credit") { return .creditCard }
        if text.contains("debit") || text.contains("card") { return .debitCard }
        if text.contains("mobile") || text.contains("wallet") { return .mobileMoney }
        if text.contains("account") || text.contains("bank") { return .bankAccount }
        if text.contains("cash") { return .cash }
        return nil
    }

    /// The payout method from a pickup method or the receiving side of an old product label.
    static func payout(_ text: String, product: String?) -> PayoutMethod {
        var lower = text.lowercased()
        if let product, lower == product.lowercased(), let range = lower.range(of: " to ") {
            lower = String(lower[range.upperBound...])
        }
        let first = lower.split(whereSeparator: { $0 == "," || $0 == "/" || $0 == ";" }).first.map(String.init) ?? lower
        if first.contains("home") || first.contains("door") || first.contains("delivery") { return .homeDelivery }
        if first.contains("mobile") || first.contains("wallet") { return .mobileWallet }
        if first.contains("account") || first.contains("bank") { return .bankAccount }
        if first.contains("cash") { return .cash }
        return .other
    }

    static func accessPoint(_ text: String) -> AccessPoint? {
        if text.lowercased() == "n/a" { return nil }
        let first = (text.lowercased().split(whereSeparator: { $0 == "," || $0 == "/" || $0 == ";" }).first.map(String.init) ?? "")
        if first.contains("internet") || first.contains("online") || first.contains("web") { return .internet }
        if first.contains("post") { return .postOffice }
        if first.contains("branch") || first.contains("bank") { return .bankBranch }
        if first.contains("mobile") || first.contains("phone") { return .mobilePhone }
        if first.contains("agent") { return .agent }
        return first.isEmpty || first == "n/a" ? nil : .other
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// ISO `2025-07-15` (a time after it is ignored), `15/Jul/2025`, or an Excel serial such as `45853`.
    static func date(_ text: String) -> CalendarDate? {
        if let iso = CalendarDate(iso: text.prefix(10)) { return iso }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == " " })
        if parts.count == 3, let day = Int(parts[0]), let monthIndex = months.firstIndex(of: parts[1].prefix(3).lowercased()),
           let year = Int(parts[2]) {
            return CalendarDate(year: year < 100 ? 2000 + year : year, month: monthIndex + 1, day: day)
        }
        // Excel's 1900 date system: serial 61 is 1900-03-01; count from 1899-12-30 above the phantom 29 Feb 1900.
        if var serialValue = DecimalText.parse(text), serialValue >= 61, serialValue < 2_958_466 {
            var day = Decimal()
            NSDecimalRound(&day, &serialValue, 0, .down)   // a fraction is the time of day
            return day.exactInt64.flatMap { CalendarDate(dayNumber: Int($0) - 25_569) }
        }
        return nil
    }
}

/// A 128-bit fingerprint of a row's service columns (two independent FNV-1a hashes), fed byte by byte:
/// a dictionary key of 16 bytes whatever the row, so memory stays small with 100,000 services. Two
/// different services colliding is a 1-in-10²⁸ event at that size.
struct ServiceKey: Hashable, Sendable {
    private(set) var first: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var second: UInt64 = 0x6c62_272e_07bb_0142

    mutating func add(_ byte: UInt8) {
        first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
        second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9E37_79B9
    }
}

/// Values parsed once per import: periods and dates repeat on many rows.
struct RPWMapperCache {
    var periods: [[UInt8]: Period] = [:]
    var dates: [[UInt8]: CalendarDate] = [:]
}

extension CalendarDate {
    /// The date `dayNumber` days after 1970-01-01.
    init?(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}
