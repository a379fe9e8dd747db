import Foundation

/// Text about imports: the summary line, the list of batches, the rejects file.
public enum ImportSummaryText {
    /// What an import did, in a few lines for standard error.
    public static func summary(_ report: ImportReport, seconds: Double) -> String {
        var text = "\(report.fileName): imported \(report.imported) of \(report.rows) rows as batch \(report.batchID)"
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        var parts: [String] = []
        if report.observations > 0 { parts.append(count(report.observations, "survey price")) }
        if report.services > 0 { parts.append(count(report.services, "new service")) }
        if report.schedules > 0 { parts.append(count(report.schedules, "fee schedule")) }
        if report.referenceRates > 0 { parts.append(count(report.referenceRates, "new reference rate")) }
        if report.flows > 0 { parts.append(count(report.flows, "remittance flow")) }
        if !parts.isEmpty { text += " (" + parts.joined(separator: ", ") + ")" }
        if seconds > 0, report.rows > 0 {
            text += String(format: " in %.1f s, %.0f rows/s", seconds, Double(report.rows) / seconds)
        }
        text += "\n"
        if let replaced = report.replacedBatch { text += "  replaced batch \(replaced)\n" }
        if !report.rejected.isEmpty {
            text += "  rejected \(count(report.rejected.count, "invalid row")):\n"
            for row in report.rejected.prefix(10) { text += "    \(row.error)\n" }
            if report.rejected.count > 10 { text += "    … and \(report.rejected.count - 10) more (see --rejects)\n" }
        }
        if !report.inconsistent.isEmpty {
            text += "  \(count(report.inconsistent.count, "published total cost")) differ\(report.inconsistent.count == 1 ? "s" : "")"
            text += " from fee + FX margin by more than 0.01 points: kept as published and flagged"
            text += " (price_observation.is_inconsistent); remit prices these services from fee and margin:\n"
            for figure in report.inconsistent.prefix(10) {
                text += "    line \(figure.line): \(figure.provider) \(figure.corridor) \(figure.period) at \(figure.amount):"
                text += " published \(DecimalText.format(figure.published, places: 4))%, recomputed \(DecimalText.format(figure.recomputed, places: 4))%\n"
            }
            if report.inconsistent.count > 10 { text += "    … and \(report.inconsistent.count - 10) more\n" }
        }
        for note in report.notes { text += "  \(note)\n" }
        return text
    }
}

/// Prints the list of import batches.
public enum BatchRenderer {
    public static func render(_ batches: [BatchInfo], as format: OutputFormat) throws -> String {
        var table = TextTable(headers: ["batch", "format", "file", "rows", "rejected", "observations", "schedules", "quotes", "referenceRates", "importedAt", "sha256"],
                              alignments: [.right, .left, .left, .right, .right, .right, .right, .right, .right, .left, .left])
        table.rows = batches.map {
            [String($0.id), $0.format, $0.fileName, String($0.rows), String($0.rejected), String($0.observations),
             String($0.schedules), String($0.quotes), String($0.referenceRates), $0.importedAt, $0.sha256]
        }
        switch format {
        case .csv: return table.csv()
        case .markdown: return table.markdown()
        case .json:
            return try JSONOutput.encode(batches.map {
                BatchJSON(batch: $0.id, format: $0.format, file: $0.fileName, rows: $0.rows, rejected: $0.rejected,
                          observations: $0.observations, schedules: $0.schedules, quotes: $0.quotes,
                          referenceRates: $0.referenceRates, importedAt: $0.importedAt, sha256: $0.sha256)
            })
        case .table:
            if batches.isEmpty { return "No import batches.\n" }
            table.headers.removeLast()
            table.alignments.removeLast()
            table.rows = table.rows.map { Array($0.dropLast()) }
            return table.aligned()
        }
    }

    private struct BatchJSON: Encodable {
        var batch: Int64
        var format, file: String
        var rows, rejected, observations, schedules, quotes, referenceRates: Int
        var importedAt, sha256: String
    }
}

/// Writes rows rejected by `--skip-invalid` as CSV: the file's own columns, then the line and the reason.
public enum RejectsFile {
    public static func write(_ report: ImportReport, to path: String) throws {
        var table = TextTable(headers: report.header + ["rejected_line", "rejected_reason"])
        table.rows = report.rejected.map { row in
            let fields = row.fields.count == report.header.count ? row.fields : Array(repeating: "", count: report.header.count)
            return fields + [String(row.line), row.error.description]
        }
        do {
            try table.csv().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ImportError.unreadable(file: path, reason: "cannot write the rejects file: \(error.localizedDescription)")
        }
    }
}
