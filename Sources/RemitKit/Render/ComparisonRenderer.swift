import Foundation

/// Prints a ``ComparisonResult`` as a table, JSON, CSV or Markdown. Computes no figures.
public enum ComparisonRenderer {
    /// The text for `format`.
    public static func render(_ result: ComparisonResult, as format: OutputFormat) throws -> String {
        switch format {
        case .table: table(result)
        case .json: try JSONOutput.encode(ComparisonDocument(result))
        case .csv: csv(result)
        case .markdown: markdown(result)
        }
    }

    /// The CSV (and JSON option) columns, in order.
    public static let columns = [
        "rank", "status", "provider", "firmType", "service", "fundingMethod", "payoutMethod", "speed",
        "sendCurrency", "amount", "fee", "feeMode", "senderPays", "receiveCurrency", "exchangeRate", "referenceRate",
        "fxMarginPercent", "totalCost", "totalCostPercent", "recipientAmount", "basis", "observedAt", "note",
    ]

    // MARK: - Terminal table

    static func table(_ result: ComparisonResult) -> String {
        var out = heading(result)
        if result.ranked.isEmpty {
            out += "\nNo formal, transparent service in the database can do this transfer"
            out += result.unranked.isEmpty && result.informal.isEmpty ? " (check the filters).\n" : ".\n"
        } else {
            var table = TextTable(
                headers: tableHeaders, alignments: tableAlignments)
            for option in result.ranked { table.rows.append(tableRow(option)) }
            out += "\n" + table.aligned()
            if result.rankedCount > result.ranked.count {
                out += "(\(result.rankedCount - result.ranked.count) more ranked services not shown: raise --limit)\n"
            }
        }
        if let summary = result.summary { out += "\n" + summaryText(summary, result: result) }
        if !result.unranked.isEmpty {
            out += "\nNot ranked:\n"
            for option in result.unranked { out += "  " + unrankedLine(option) + "\n" }
        }
        if !result.informal.isEmpty {
            out += "\nInformal channels (for reference only, never ranked: no consumer protection):\n"
            for option in result.informal { out += "  " + unrankedLine(option) + "\n" }
        }
        out += footnotes(result)
        return out
    }

    static func heading(_ result: ComparisonResult) -> String {
        let corridor = result.corridor
        let from = ReferenceData.country(corridor.sendingCountry)?.name ?? corridor.sendingCountry.rawValue
        let to = ReferenceData.country(corridor.receivingCountry)?.name ?? corridor.receivingCountry.rawValue
        var text: String
        switch result.target {
        case let .send(amount): text = "Sending \(amount) from \(from) to \(to)"
        case let .receive(amount): text = "Delivering \(amount) from \(from) to \(to)"
        }
        if corridor.isDomestic { text += " (domestic, no currency exchange)" }
        text += "\n"
        if !corridor.isDomestic {
            text += "Reference rate: 1 \(corridor.sendCurrency.code) = \(rateText(result.referenceRate.rate)) \(corridor.receiveCurrency.code)"
            text += " (\(result.referenceRate.source), \(result.referenceRate.date))\n"
        }
        if let period = result.period { text += "Survey period: \(period)\n" }
        return text
    }

    static let tableHeaders = ["#", "Provider", "Type", "Service", "Pay with → Paid as", "Speed", "Fee", "Rate",
                               "FX margin", "Total cost", "Cost %", "Recipient gets", "Basis"]
    static let tableAlignments: [TextTable.Alignment] = [.right, .left, .left, .left, .left, .left, .right, .right,
                                                          .right, .right, .right, .right, .left]

    static func tableRow(_ option: PricedOption) -> [String] {
        let cost = option.cost, service = option.offer.service
        return [
            option.rank.map(String.init) ?? "",
            service.provider.name,
            shortFirmType(service.provider.firmType),
            service.name,
            "\(service.fundingMethod.label) → \(service.payoutMethod.label)",
            service.speed == .lessThanOneHour ? "< 1 hour" : service.speed.label,
            Money.grouped(cost.fee.amountText) + (cost.feeMode == .deducted ? "*" : ""),
            cost.offeredRate.map(rateText) ?? "?",
            cost.fxMarginPercent.map { percentText($0) } ?? "?",
            cost.totalCost.map { Money.grouped($0.amountText) } ?? "?",
            cost.totalCostPercent.map { percentText($0) } ?? "?",
            cost.recipientAmount?.description ?? "?",
            cost.basis.rawValue,
        ]
    }

    static func summaryText(_ summary: ComparisonSummary, result: ComparisonResult) -> String {
        let cheapest = summary.cheapest
        let services = "\(result.rankedCount) ranked service\(result.rankedCount == 1 ? "" : "s")"
        var text = result.isFiltered
            ? "Average of the \(services) matching the filters: \(percentText(summary.averageTotalCostPercent)) total cost"
            : "Corridor average: \(percentText(summary.averageTotalCostPercent)) total cost"
        text += " (\(summary.averageTotalCost))" + (result.isFiltered ? "\n" : " over \(services)\n")
        text += "Cheapest: \(cheapest.offer.service.provider.name), \(cheapest.offer.service.name)"
        if let percent = cheapest.cost.totalCostPercent { text += ", \(percentText(percent))" }
        if case .receive = result.target {
            text += ": send \(cheapest.cost.senderPays) in all\n"
            text += "Choosing it over the average saves the sender \(summary.savingVersusAverage)"
            text += "; over the dearest, \(summary.savingVersusDearest)\n"
        } else {
            if let received = cheapest.cost.recipientAmount { text += ": the recipient gets \(received)" }
            text += "\n"
            let sameCurrency = result.corridor.sendCurrency == result.corridor.receiveCurrency
            func both(_ received: Money, _ sent: Money) -> String { sameCurrency ? "\(received)" : "\(received) (\(sent))" }
            text += "Choosing it over the average leaves the family "
            text += both(summary.savingVersusAverageReceived, summary.savingVersusAverage)
            text += " more; over the dearest, " + both(summary.savingVersusDearestReceived, summary.savingVersusDearest) + "\n"
        }
        return text
    }

    static func unrankedLine(_ option: UnrankedOption) -> String {
        var text = "\(option.offer.service.provider.name) (\(shortFirmType(option.offer.service.provider.firmType))), "
        text += "\(option.offer.service.name): "
        if let cost = option.cost {
            text += "fee \(cost.fee)"
            if let percent = cost.totalCostPercent { text += ", total cost \(percentText(percent))" }
            if let received = cost.recipientAmount { text += ", recipient gets \(received)" }
            text += " — "
        }
        return text + option.reason
    }

    static func footnotes(_ result: ComparisonResult) -> String {
        var notes: [String] = []
        if result.ranked.contains(where: { $0.cost.feeMode == .deducted }) {
            notes.append("* The fee is deducted from the amount before conversion.")
        }
        if result.ranked.contains(where: { ($0.cost.fxMarginPercent ?? 0) < 0 }) {
            notes.append("A negative FX margin is a promotion: the rate offered beats the reference rate (often for a first transfer only).")
        }
        if result.ranked.contains(where: { $0.cost.basis == .estimate }) {
            notes.append("estimate: survey prices at other amounts, fee interpolated between surveyed points (see docs/methodology.md).")
        }
        notes.append("Total cost = fee + FX margin (the rate's shortfall from the reference rate), as the World Bank measures it.")
        if result.usesSampleData {
            notes.append("Sample data: fictional providers with illustrative prices, built into remit. Load real prices with `remit import`.")
        }
        return "\n" + notes.joined(separator: "\n") + "\n"
    }

    static func shortFirmType(_ type: FirmType) -> String {
        switch type {
        case .bank: "Bank"
        case .moneyTransferOperator: "MTO"
        case .postOffice: "Post"
        case .mobileOperator: "Mobile"
        case .nonBankFinancialInstitution: "Non-bank FI"
        case .creditUnion: "Credit union"
        case .other: "Other"
        }
    }

    /// A percentage with two decimals: `4.27%`.
    static func percentText(_ value: Decimal) -> String { DecimalText.format(value, places: 2) + "%" }

    /// A rate with four decimals, or more when it is small (XOF→EUR).
    static func rateText(_ value: Decimal) -> String {
        DecimalText.format(value, places: value < 1 ? 6 : 4)
    }

    // MARK: - CSV and Markdown

    static func cells(rank: Int?, status: String, offer: ServiceOffer, cost: CostBreakdown?, note: String?) -> [String] {
        let service = offer.service
        return [
            rank.map(String.init) ?? "", status, service.provider.name, service.provider.firmType.rawValue, service.name,
            service.fundingMethod.rawValue, service.payoutMethod.rawValue, service.speed.rawValue,
            service.corridor.sendCurrency.code.rawValue, cost?.amount.amountText ?? "", cost?.fee.amountText ?? "",
            cost?.feeMode.rawValue ?? "", cost?.senderPays.amountText ?? "", service.corridor.receiveCurrency.code.rawValue,
            cost?.offeredRate.map { DecimalText.format(Numbers.rate($0)) } ?? "",
            cost.map { DecimalText.format(Numbers.rate($0.referenceRate)) } ?? "",
            cost?.fxMarginPercent.map { DecimalText.format(Numbers.percent($0)) } ?? "",
            cost?.totalCost?.amountText ?? "",
            cost?.totalCostPercent.map { DecimalText.format(Numbers.percent($0)) } ?? "",
            cost?.recipientAmount?.amountText ?? "", cost?.basis.rawValue ?? "", offer.observedAt ?? "", note ?? "",
        ]
    }

    static func allRows(_ result: ComparisonResult) -> [[String]] {
        result.ranked.map { cells(rank: $0.rank, status: "ranked", offer: $0.offer, cost: $0.cost, note: nil) }
            + result.unranked.map { cells(rank: nil, status: "not-ranked", offer: $0.offer, cost: $0.cost, note: $0.reason) }
            + result.informal.map { cells(rank: nil, status: "informal", offer: $0.offer, cost: $0.cost, note: $0.reason) }
    }

    static func csv(_ result: ComparisonResult) -> String {
        var table = TextTable(headers: columns)
        table.rows = allRows(result)
        return table.csv()
    }

    static func markdown(_ result: ComparisonResult) -> String {
        var out = "## " + heading(result).split(separator: "\n").joined(separator: "\n\n") + "\n\n"
        var table = TextTable(
            headers: tableHeaders, alignments: tableAlignments)
        table.rows = result.ranked.map(tableRow)
        out += result.ranked.isEmpty ? "No formal, transparent service can do this transfer.\n" : table.markdown()
        if let summary = result.summary {
            out += "\n" + summaryText(summary, result: result).split(separator: "\n").map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        for (title, options) in [("Not ranked", result.unranked), ("Informal channels (reference only)", result.informal)] where !options.isEmpty {
            out += "\n### \(title)\n\n" + options.map { "- " + unrankedLine($0) }.joined(separator: "\n") + "\n"
        }
        out += footnotes(result)
        return out
    }
}

/// How numbers are rounded for output (display only; money is already exact in minor units).
enum Numbers {
    /// Percentages to 4 decimals.
    static func percent(_ value: Decimal) -> Decimal { MoneyRounding.round(value, places: 4) }
    /// Rates to 6 decimals.
    static func rate(_ value: Decimal) -> Decimal { MoneyRounding.round(value, places: 6) }
}

/// The JSON shape of a comparison (documented in docs/cli.md).
struct ComparisonDocument: Encodable {
    let result: ComparisonResult

    init(_ result: ComparisonResult) { self.result = result }

    enum Keys: String, CodingKey {
        case corridor, amount, referenceRate, period, options, notRanked, informal, summary, sampleData
        // corridor
        case from, to, fromName, toName, sendCurrency, receiveCurrency, domestic
        // amount
        case mode, value, currency
        // rate
        case rate, date, source
        // option
        case rank, provider, firmType, formal, service, fundingMethod, payoutMethod, accessPoint, speed, transparent
        case requiresBankAccount, identityDocuments, feeMode, fee, senderPays, exchangeRate, fxMarginPercent
        case fxCost, totalCost, totalCostPercent, recipientAmount, basis, observedAt, reason
        // summary
        case averageTotalCostPercent, averageTotalCost, cheapest, savingVersusAverage, savingVersusDearest
        case send, receive, rankedCount
    }

    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        let corridor = result.corridor
        try root.encode(CorridorJSON(corridor), forKey: .corridor)

        var amountBox = root.nestedContainer(keyedBy: Keys.self, forKey: .amount)
        switch result.target {
        case let .send(money):
            try amountBox.encode("send", forKey: .mode)
            try amountBox.encode(money.decimalValue, forKey: .value)
            try amountBox.encode(money.currency.code.rawValue, forKey: .currency)
        case let .receive(money):
            try amountBox.encode("receive", forKey: .mode)
            try amountBox.encode(money.decimalValue, forKey: .value)
            try amountBox.encode(money.currency.code.rawValue, forKey: .currency)
        }
        var rateBox = root.nestedContainer(keyedBy: Keys.self, forKey: .referenceRate)
        try rateBox.encode(Numbers.rate(result.referenceRate.rate), forKey: .rate)
        try rateBox.encode(result.referenceRate.date.description, forKey: .date)
        try rateBox.encode(result.referenceRate.source, forKey: .source)
        try root.encode(result.period?.description, forKey: .period)

        var options = root.nestedUnkeyedContainer(forKey: .options)
        for option in result.ranked { try encodeOption(&options, rank: option.rank, offer: option.offer, cost: option.cost, reason: nil) }
        var notRanked = root.nestedUnkeyedContainer(forKey: .notRanked)
        for option in result.unranked { try encodeOption(&notRanked, rank: nil, offer: option.offer, cost: option.cost, reason: option.reason) }
        var informal = root.nestedUnkeyedContainer(forKey: .informal)
        for option in result.informal { try encodeOption(&informal, rank: nil, offer: option.offer, cost: option.cost, reason: option.reason) }

        if let summary = result.summary {
            var box = root.nestedContainer(keyedBy: Keys.self, forKey: .summary)
            try box.encode(result.rankedCount, forKey: .rankedCount)
            try box.encode(Numbers.percent(summary.averageTotalCostPercent), forKey: .averageTotalCostPercent)
            try box.encode(summary.averageTotalCost.decimalValue, forKey: .averageTotalCost)
            var cheapest = box.nestedContainer(keyedBy: Keys.self, forKey: .cheapest)
            try cheapest.encode(summary.cheapest.offer.service.provider.name, forKey: .provider)
            try cheapest.encode(summary.cheapest.offer.service.name, forKey: .service)
            try cheapest.encode(summary.cheapest.cost.totalCostPercent.map(Numbers.percent), forKey: .totalCostPercent)
            try cheapest.encode(summary.cheapest.cost.recipientAmount?.decimalValue, forKey: .recipientAmount)
            try cheapest.encode(summary.cheapest.cost.amount.decimalValue, forKey: .amount)
            try cheapest.encode(summary.cheapest.cost.senderPays.decimalValue, forKey: .senderPays)
            for (key, send, receive) in [(Keys.savingVersusAverage, summary.savingVersusAverage, summary.savingVersusAverageReceived),
                                         (.savingVersusDearest, summary.savingVersusDearest, summary.savingVersusDearestReceived)] {
                var saving = box.nestedContainer(keyedBy: Keys.self, forKey: key)
                try saving.encode(send.decimalValue, forKey: .send)
                try saving.encode(receive.decimalValue, forKey: .receive)
            }
        } else {
            try root.encodeNil(forKey: .summary)
        }
        try root.encode(result.usesSampleData, forKey: .sampleData)
    }

    private func encodeOption(
        _ container: inout UnkeyedEncodingContainer, rank: Int?, offer: ServiceOffer, cost: CostBreakdown?, reason: String?
    ) throws {
        var box = container.nestedContainer(keyedBy: Keys.self)
        let service = offer.service
        try box.encode(rank, forKey: .rank)
        try box.encode(service.provider.name, forKey: .provider)
        try box.encode(service.provider.firmType.rawValue, forKey: .firmType)
        try box.encode(service.provider.isFormal, forKey: .formal)
        try box.encode(service.name, forKey: .service)
        try box.encode(service.fundingMethod.rawValue, forKey: .fundingMethod)
        try box.encode(service.payoutMethod.rawValue, forKey: .payoutMethod)
        try box.encode(service.accessPoint?.rawValue, forKey: .accessPoint)
        try box.encode(service.speed.rawValue, forKey: .speed)
        try box.encode(service.isTransparent, forKey: .transparent)
        try box.encode(service.requiresBankAccount, forKey: .requiresBankAccount)
        try box.encode(service.identityDocuments.map(\.rawValue).sorted(), forKey: .identityDocuments)
        try box.encode(cost?.amount.decimalValue, forKey: .amount)
        try box.encode(cost?.fee.decimalValue, forKey: .fee)
        try box.encode(cost?.feeMode.rawValue, forKey: .feeMode)
        try box.encode(cost?.senderPays.decimalValue, forKey: .senderPays)
        try box.encode(cost?.offeredRate.map(Numbers.rate), forKey: .exchangeRate)
        try box.encode(cost.map { Numbers.rate($0.referenceRate) }, forKey: .referenceRate)
        try box.encode(cost?.fxMarginPercent.map(Numbers.percent), forKey: .fxMarginPercent)
        try box.encode(cost?.fxCost?.decimalValue, forKey: .fxCost)
        try box.encode(cost?.totalCost?.decimalValue, forKey: .totalCost)
        try box.encode(cost?.totalCostPercent.map(Numbers.percent), forKey: .totalCostPercent)
        try box.encode(cost?.recipientAmount?.decimalValue, forKey: .recipientAmount)
        try box.encode(cost?.basis.rawValue, forKey: .basis)
        try box.encode(offer.observedAt, forKey: .observedAt)
        if let reason { try box.encode(reason, forKey: .reason) }
    }
}
