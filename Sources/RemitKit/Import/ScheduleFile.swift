import Foundation

/// Reads remit's native fee-schedule CSV format (documented in docs/formats.md).
///
/// One row per fee band; the rows of one service that share `valid_from` form
/// one schedule. Service columns must agree between those rows.
public enum ScheduleFile {
    /// The columns a schedule file must have.
    public static let requiredColumns = [
        "provider", "firm_type", "from", "to", "service", "funding", "payout", "speed",
        "fee_mode", "band_min", "valid_from",
    ]

    /// All the columns the format knows.
    public static let knownColumns = requiredColumns + [
        "formal", "send_currency", "receive_currency", "access_point", "transparent", "coverage",
        "requires_bank_account", "accepted_ids", "band_max", "fixed_fee", "percent_fee", "min_fee", "max_fee",
        "offered_rate", "margin_percent", "rate_observed_at", "valid_to",
    ]

    /// Reads and validates every row; throws the first error with its location, or hands each invalid
    /// row to `onInvalid` and leaves it out (a schedule whose bands do not fit together loses all its rows).
    public static func read(_ csv: CSVReader, fileName: String,
                            onInvalid: InvalidRowHandler? = nil) throws(ImportError) -> [ScheduleEntry] {
        var table = try TableReader(csv: csv, fileName: fileName, required: requiredColumns)
        var groups: [GroupKey: Group] = [:]
        var order: [GroupKey] = []
        var bandLines: [BandKey: Int] = [:]
        // Schedules with a rejected band, by their identity as written, with that band's line: the rest of
        // such a schedule is rejected too, or the import would keep a schedule with a hole in it.
        var brokenSchedules: [String: Int] = [:]
        var rows = 0
        while let row = try table.next(onInvalid: onInvalid) {
            rows += 1
            let identity = scheduleIdentity(row)
            do throws(ImportError) {
                let parsed = try parse(row)
                let key = GroupKey(service: ServiceKey(parsed.service), validFrom: parsed.validFrom)
                let bandKey = BandKey(group: key, minAmount: parsed.band.minAmount)
                if let first = bandLines[bandKey] {
                    throw ImportError.duplicate(SourceLocation(file: fileName, line: row.line), firstLine: first)
                }
                if var group = groups[key] {
                    if group.first.service != parsed.service || group.first.rate != parsed.rate
                        || group.first.mode != parsed.mode || group.first.validTo != parsed.validTo {
                        throw ImportError.inconsistent(
                            SourceLocation(file: fileName, line: row.line),
                            "this band's service, fee mode, rate or valid_to differs from line \(group.firstLine), which starts the same schedule")
                    }
                    group.bands.append((parsed.band, row.line, row.fields))
                    groups[key] = group
                } else {
                    groups[key] = Group(first: parsed, firstLine: row.line, identity: identity,
                                        bands: [(parsed.band, row.line, row.fields)])
                    order.append(key)
                }
                bandLines[bandKey] = row.line
            } catch {
                guard let onInvalid else { throw error }
                if brokenSchedules[identity] == nil { brokenSchedules[identity] = row.line }
                try onInvalid(error, row.line, row.fields)
            }
        }
        guard rows > 0 else {
            throw ImportError.empty(file: fileName, "the file has a header but no rows")
        }
        var entries: [ScheduleEntry] = []
        for key in order {
            guard let group = groups[key] else { continue }
            if let onInvalid, let line = brokenSchedules[group.identity] {
                let problem = ImportError.inconsistent(SourceLocation(file: fileName, line: group.firstLine),
                                                       "another band of this schedule, line \(line), is invalid, so the whole schedule is left out")
                for band in group.bands { try onInvalid(problem, band.line, band.fields) }
                continue
            }
            let schedule: FeeSchedule
            do {
                schedule = try FeeSchedule(currency: group.first.service.corridor.sendCurrency, mode: group.first.mode,
                                           bands: group.bands.map(\.band))
            } catch {
                let problem = ImportError.inconsistent(SourceLocation(file: fileName, line: group.firstLine), "\(error)")
                guard let onInvalid else { throw problem }
                for band in group.bands { try onInvalid(problem, band.line, band.fields) }
                continue
            }
            entries.append(ScheduleEntry(service: group.first.service, schedule: schedule, rate: group.first.rate,
                                         rateObservedAt: group.first.rateObservedAt,
                                         validFrom: key.validFrom, validTo: group.first.validTo,
                                         source: SourceLocation(file: fileName, line: group.firstLine),
                                         sourceRows: group.bands.map { SourceRow(line: $0.line, fields: $0.fields) }))
        }
        return entries
    }

    // MARK: - One row

    private struct ParsedRow {
        var service: ServiceDescriptor
        var band: FeeBand
        var mode: FeeMode
        var rate: RateTerms
        var rateObservedAt: String?
        var validFrom: CalendarDate
        var validTo: CalendarDate?
    }

    private struct ServiceKey: Hashable {
        var provider: String, from: CountryCode, to: CountryCode, name: String
        var funding: FundingMethod, payout: PayoutMethod
        init(_ service: ServiceDescriptor) {
            provider = service.provider.name.lowercased()
            from = service.corridor.sendingCountry
            to = service.corridor.receivingCountry
            name = service.name
            funding = service.fundingMethod
            payout = service.payoutMethod
        }
    }

    private struct GroupKey: Hashable { var service: ServiceKey, validFrom: CalendarDate }
    private struct BandKey: Hashable { var group: GroupKey, minAmount: Int64 }
    private struct Group {
        var first: ParsedRow, firstLine: Int, identity: String
        var bands: [(band: FeeBand, line: Int, fields: [String])]
    }

    /// A schedule's identity as written (provider, corridor, service, funding, payout, valid_from), readable
    /// even in a row whose values are invalid.
    private static func scheduleIdentity(_ row: TableRow) -> String {
        ["provider", "from", "to", "service", "funding", "payout", "valid_from"]
            .map { (row.text($0) ?? "").lowercased() }.joined(separator: "\u{1F}")
    }

    private static func parse(_ row: TableRow) throws(ImportError) -> ParsedRow {
        let providerName = try row.required("provider", expected: "the provider's name")
        guard let firmType = try row.vocabulary("firm_type", FirmType.self) else {
            throw row.invalid("firm_type", expected: "one of \(FirmType.acceptedValues)")
        }
        let isFormal = try row.flag("formal") ?? true
        let from = try row.country("from"), to = try row.country("to")
        let sendCurrency = try row.currency("send_currency") ?? ReferenceData.currency(named: from.currency)
        let receiveCurrency = try row.currency("receive_currency") ?? ReferenceData.currency(named: to.currency)
        guard let sendCurrency, let receiveCurrency,
              let sending = CountryCode(from.alpha2), let receiving = CountryCode(to.alpha2) else {
            throw row.invalid("from", expected: "a country with a known currency")
        }
        if sending == receiving, sendCurrency != receiveCurrency {
            throw row.invalid("receive_currency", expected: "\(sendCurrency.code) in a domestic corridor")
        }
        let corridor = Corridor(sendingCountry: sending, receivingCountry: receiving,
                                sendCurrency: sendCurrency, receiveCurrency: receiveCurrency)
        guard let funding = try row.vocabulary("funding", FundingMethod.self) else {
            throw row.invalid("funding", expected: "one of \(FundingMethod.acceptedValues)")
        }
        guard let payout = try row.vocabulary("payout", PayoutMethod.self) else {
            throw row.invalid("payout", expected: "one of \(PayoutMethod.acceptedValues)")
        }
        guard let speed = try row.vocabulary("speed", Speed.self) else {
            throw row.invalid("speed", expected: "one of \(Speed.acceptedValues)")
        }
        let isTransparent = try row.flag("transparent") ?? true
        let requiresAccount = try row.flag("requires_bank_account") ?? funding.needsBankAccount
        if !requiresAccount, funding.needsBankAccount {
            throw row.invalid("requires_bank_account", expected: "yes, since funding by \(funding.rawValue) needs an account")
        }
        var documents: Set<IdentityDocument> = []
        for part in (row.text("accepted_ids") ?? "").split(whereSeparator: { $0 == ";" || $0 == "|" }) {
            guard let document = IdentityDocument(lenient: part.trimmingCharacters(in: .whitespaces)) else {
                throw row.invalid("accepted_ids", expected: "documents separated by ';' from \(IdentityDocument.acceptedValues)")
            }
            documents.insert(document)
        }
        let service = ServiceDescriptor(
            provider: ProviderDescriptor(name: providerName, firmType: firmType, isFormal: isFormal),
            corridor: corridor, name: try row.required("service", expected: "the service's name"),
            fundingMethod: funding, payoutMethod: payout,
            accessPoint: try row.vocabulary("access_point", AccessPoint.self), speed: speed,
            isTransparent: isTransparent, networkCoverage: try row.vocabulary("coverage", NetworkCoverage.self),
            requiresBankAccount: requiresAccount, identityDocuments: documents)

        guard let mode = try row.vocabulary("fee_mode", FeeMode.self) else {
            throw row.invalid("fee_mode", expected: "one of \(FeeMode.acceptedValues)")
        }
        guard let bandMin = try row.money("band_min", in: sendCurrency) else {
            throw row.invalid("band_min", expected: "the band's lowest amount in \(sendCurrency.code)")
        }
        let percent = try row.decimal("percent_fee", expected: "a percentage such as 1.5") ?? 0
        guard percent >= 0, percent < 100 else {
            throw row.invalid("percent_fee", expected: "a percentage from 0 to below 100")
        }
        let band = FeeBand(
            minAmount: bandMin.minorUnits, maxAmount: try row.money("band_max", in: sendCurrency)?.minorUnits,
            fixedFee: try row.money("fixed_fee", in: sendCurrency)?.minorUnits ?? 0, percentFee: percent,
            minFee: try row.money("min_fee", in: sendCurrency)?.minorUnits,
            maxFee: try row.money("max_fee", in: sendCurrency)?.minorUnits)

        let rate: RateTerms
        let offered = try row.decimal("offered_rate", expected: "a rate above zero")
        let margin = try row.decimal("margin_percent", expected: "a margin in percent")
        switch (isTransparent, offered, margin) {
        case (false, nil, nil):
            rate = .undisclosed
        case (false, _, _):
            throw row.invalid(offered != nil ? "offered_rate" : "margin_percent",
                              expected: "no rate for a service that is not transparent")
        case (true, let offered?, nil):
            guard offered > 0 else { throw row.invalid("offered_rate", expected: "a rate above zero") }
            rate = .offered(offered)
        case (true, nil, let margin?):
            guard margin < 100 else { throw row.invalid("margin_percent", expected: "a margin below 100") }
            rate = .margin(percent: margin)
        case (true, nil, nil):
            guard sendCurrency != receiveCurrency else { rate = .offered(1); break }
            throw row.invalid("offered_rate", expected: "an offered rate or a margin_percent (or transparent = no)")
        case (true, _?, _?):
            throw row.invalid("margin_percent", expected: "either offered_rate or margin_percent, not both")
        }
        let observedAt = row.text("rate_observed_at")
        if let observedAt, CalendarDate(iso: observedAt.prefix(10)) == nil {
            throw row.invalid("rate_observed_at", expected: "a date (YYYY-MM-DD) or an ISO 8601 time")
        }
        guard let validFrom = try row.date("valid_from") else {
            throw row.invalid("valid_from", expected: "a date as YYYY-MM-DD")
        }
        let validTo = try row.date("valid_to")
        if let validTo, validTo < validFrom {
            throw row.invalid("valid_to", expected: "a date on or after valid_from \(validFrom)")
        }
        return ParsedRow(service: service, band: band, mode: mode, rate: rate, rateObservedAt: observedAt,
                         validFrom: validFrom, validTo: validTo)
    }
}

/// Reads the generic reference-rate CSV format: `date,base,quote,rate,source`.
public enum RateFile {
    public static let requiredColumns = ["date", "base", "quote", "rate"]

    /// Reads and validates every row; `defaultSource` names rows without a `source`. Invalid rows are
    /// thrown, or handed to `onInvalid` and left out.
    public static func read(_ csv: CSVReader, fileName: String, defaultSource: String,
                            onInvalid: InvalidRowHandler? = nil) throws(ImportError) -> [ReferenceRate] {
        var table = try TableReader(csv: csv, fileName: fileName, required: requiredColumns)
        var rates: [ReferenceRate] = []
        var seen: [String: Int] = [:]
        var rows = 0
        while let row = try table.next(onInvalid: onInvalid) {
            rows += 1
            guard let rate = try row.validated(onInvalid: onInvalid, { () throws(ImportError) -> ReferenceRate in
                guard let date = try row.date("date") else { throw row.invalid("date", expected: "a date as YYYY-MM-DD") }
                guard let base = try row.currency("base") else { throw row.invalid("base", expected: "an ISO 4217 currency code") }
                guard let quote = try row.currency("quote") else { throw row.invalid("quote", expected: "an ISO 4217 currency code") }
                guard base != quote else { throw row.invalid("quote", expected: "a currency other than \(base.code)") }
                guard let rate = try row.decimal("rate", expected: "a rate above zero"), rate > 0 else {
                    throw row.invalid("rate", expected: "a rate above zero")
                }
                let source = row.text("source") ?? defaultSource
                let key = "\(date) \(base.code) \(quote.code) \(source)"
                if let first = seen[key] { throw ImportError.duplicate(SourceLocation(file: fileName, line: row.line), firstLine: first) }
                seen[key] = row.line
                return ReferenceRate(base: base.code, quote: quote.code, date: date, rate: rate, source: source)
            }) else { continue }
            rates.append(rate)
        }
        guard rows > 0 else { throw ImportError.empty(file: fileName, "the file has a header but no rows") }
        return rates
    }
}
