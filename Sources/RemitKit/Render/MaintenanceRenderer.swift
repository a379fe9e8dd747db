import Foundation

/// The formats `remit db check` prints.
public enum CheckFormat: String, Vocabulary {
    /// A report for a person.
    case table
    /// One JSON object.
    case json

    public var label: String { rawValue }
}

/// Renders a ``DatabaseCheck`` as a report or as JSON.
public enum DatabaseCheckRenderer {
    /// The check as text or JSON.
    public static func render(_ check: DatabaseCheck, as format: CheckFormat) throws -> String {
        switch format {
        case .json: try JSONOutput.encode(CheckJSON(check))
        case .table: text(check)
        }
    }

    /// One sentence naming what is wrong, or `nil` when the database is healthy.
    public static func problemSummary(_ check: DatabaseCheck) -> String? {
        var parts: [String] = []
        if !check.integrityProblems.isEmpty {
            parts.append(count(check.integrityProblems.count, "integrity problem"))
        }
        if !check.foreignKeyViolations.isEmpty {
            parts.append(count(check.foreignKeyViolations.count, "row") + " pointing to a missing parent row")
        }
        return parts.isEmpty ? nil : "the database \(check.path) has " + parts.joined(separator: " and ")
    }

    /// `Vacuumed remit.sqlite: 159,744 bytes before, 155,648 after (4,096 freed).`
    public static func vacuumSummary(_ result: VacuumResult, path: String) -> String {
        "Vacuumed \(path): \(grouped(result.before)) bytes before, \(grouped(result.after)) after "
            + "(\(grouped(max(0, result.before - result.after))) freed).\n"
    }

    static func text(_ check: DatabaseCheck) -> String {
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append((name + ":").padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        field("Database", check.path)
        if let reason = check.readOnlyReason { field("Access", "read-only (\(reason))") }
        if let version = check.schemaVersion {
            field("Schema", "version \(check.appliedMigrations.count), \(version)" + (check.isCurrentSchema ? " (current)" : ""))
        } else {
            field("Schema", "none")
        }
        field("Size", "\(grouped(check.sizeBytes)) bytes: \(grouped(Int64(check.pageCount))) pages of \(grouped(Int64(check.pageSize))) bytes, "
            + "\(grouped(Int64(check.freelistCount))) free")
        field("Journal mode", check.journalMode)
        field("Integrity", check.integrityProblems.isEmpty ? "ok" : count(check.integrityProblems.count, "problem"))
        lines += check.integrityProblems.map { "  " + $0 }
        field("Foreign keys", check.foreignKeyViolations.isEmpty ? "ok"
            : count(check.foreignKeyViolations.count, "row") + " pointing to a missing parent row")
        lines += check.foreignKeyViolations.map { "  " + describe($0) }
        lines.append("")
        var table = TextTable(headers: ["table", "rows"], alignments: [.left, .right])
        table.rows = check.tables.map { [$0.name, grouped(Int64($0.rows))] }
        lines.append(table.aligned().trimmingCharacters(in: .newlines))
        lines.append("")
        if check.isHealthy {
            lines.append("The database is healthy.")
        } else {
            lines.append("Problems found. Keep a copy of the file as it is (`remit db backup COPY`), then restore an earlier backup,")
            lines.append("or remove the batch that brought the rows (`remit batches`, `remit batches remove N`) and check again.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `price_observation row 7: service_id = 999, but service has no id 999`.
    static func describe(_ violation: ForeignKeyViolation) -> String {
        let row = violation.rowid.map { "\(violation.table) row \($0)" } ?? "a row of \(violation.table)"
        guard !violation.values.isEmpty, violation.values.count == violation.columns.count else {
            return "\(row): no parent row in \(violation.parent)"
        }
        let values = zip(violation.columns, violation.values).map { "\($0) = \($1)" }.joined(separator: ", ")
        let parentKey = zip(violation.parentColumns, violation.values).map { "\($0) \($1)" }.joined(separator: ", ")
        return "\(row): \(values), but \(violation.parent) has no row with " + (parentKey.isEmpty ? "that key" : parentKey)
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ number: Int64) -> String {
        let digits = Array(String(number.magnitude))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (number < 0 ? "-" : "") + result
    }

    private struct CheckJSON: Encodable {
        var path: String
        var healthy: Bool
        @JSONNullable var readOnly: String?
        var schema: Schema
        var pageSize, pageCount, freelistCount: Int
        var sizeBytes: Int64
        var journalMode: String
        var integrityProblems: [String]
        var foreignKeyViolations: [Violation]
        var tables: [TableCount]

        struct Schema: Encodable {
            @JSONNullable var version: String?
            var migrations: [String]
            var current: Bool
        }

        struct Violation: Encodable {
            var table: String
            @JSONNullable var rowid: Int64?
            var parent: String
            var columns, parentColumns, values: [String]
        }

        init(_ check: DatabaseCheck) {
            path = check.path
            healthy = check.isHealthy
            readOnly = check.readOnlyReason
            schema = Schema(version: check.schemaVersion, migrations: check.appliedMigrations, current: check.isCurrentSchema)
            pageSize = check.pageSize
            pageCount = check.pageCount
            freelistCount = check.freelistCount
            sizeBytes = check.sizeBytes
            journalMode = check.journalMode
            integrityProblems = check.integrityProblems
            foreignKeyViolations = check.foreignKeyViolations.map {
                Violation(table: $0.table, rowid: $0.rowid, parent: $0.parent, columns: $0.columns, parentColumns: $0.parentColumns,
                          values: $0.values)
            }
            tables = check.tables
        }
    }
}
