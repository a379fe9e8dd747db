import Foundation
import Testing

/// `remit import`, `remit batches` and `remit rates` run as a person would, on fixture files.
@Suite("import, batches and rates commands")
struct ImportCommandTests {
    func fixture(_ name: String) throws -> String {
        let root = try #require(RemitBinary.packageRoot)
        return root.appendingPathComponent("fixtures/\(name)").path
    }

    @Test("Import, import again, replace, list, remove: stdout, stderr and exit codes")
    func batchLifecycle() async throws {
        let sandbox = try Sandbox()
        let file = try fixture("rpw/rpw-new-layout.csv")
        let first = try await sandbox.remit("import", "rpw", file, "--db", "r.sqlite")
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.isEmpty)
        #expect(first.stderr.contains("imported 6 of 6 rows as batch 1 (12 survey prices, 5 new services)"), "\(first)")
        #expect(first.stderr.contains("1 published total cost differs from fee + FX margin by more than 0.01 points"))
        #expect(first.stderr.contains("line 6: Posta Kenya Sample KE→TZ 2025_3Q at KES 25,800.00: published 6.6012%, recomputed 6.1012%"))

        let again = try await sandbox.remit("import", "rpw", file, "--db", "r.sqlite")
        #expect(again.status == 1)
        #expect(again.stderr == "Error: \(file): already imported (batch 1); use --replace to import it again\n")

        let replaced = try await sandbox.remit("import", "rpw", file, "--db", "r.sqlite", "--replace", "--quiet")
        #expect(replaced.status == 0 && replaced.stderr.isEmpty && replaced.stdout.isEmpty, "\(replaced)")

        let list = try await sandbox.remit("batches", "--db", "r.sqlite", "--format", "json")
        let batches = try #require(try JSONSerialization.jsonObject(with: list.stdoutData) as? [[String: Any]])
        #expect(batches.count == 1)
        #expect(batches.first?["batch"] as? Int == 2)
        #expect(batches.first?["observations"] as? Int == 12)
        #expect(batches.first?["format"] as? String == "rpw")

        let removed = try await sandbox.remit("batches", "remove", "2", "--db", "r.sqlite")
        #expect(removed.status == 0 && removed.stderr == "Removed batch 2 and the prices it brought.\n", "\(removed)")
        let empty = try await sandbox.remit("corridors", "--db", "r.sqlite")
        #expect(empty.stdout == "No corridors with services in the database.\n")
        let missing = try await sandbox.remit("batches", "remove", "2", "--db", "r.sqlite")
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("There is no batch 2"))
    }

    @Test("A bad file: exit 1, the located error on stderr, the database unchanged; --skip-invalid --rejects keeps the good rows")
    func badFileAndRejects() async throws {
        let sandbox = try Sandbox()
        let bad = try fixture("rpw/bad/truncated-row.csv")
        let failed = try await sandbox.remit("import", "rpw", bad, "--db", "b.sqlite")
        #expect(failed.status == 1)
        #expect(failed.stderr == "Error: 1 invalid row; nothing was imported:\n  \(bad):3: expected 42 fields as in the header, found 20\n")
        let none = try await sandbox.remit("batches", "--db", "b.sqlite")
        #expect(none.stdout == "No import batches.\n")

        let rejects = sandbox.path("rejects.csv").path
        let skipped = try await sandbox.remit("import", "rpw", bad, "--db", "b.sqlite", "--skip-invalid", "--rejects", rejects)
        #expect(skipped.status == 0, "\(skipped)")
        #expect(skipped.stderr.contains("imported 1 of 2 rows as batch 1"))
        #expect(skipped.stderr.contains("rejected 1 invalid row:"))
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(",rejected_line,rejected_reason"))
        #expect(lines[1].contains(",3,") && lines[1].contains("expected 42 fields as in the header, found 20"))

        let usage = try await sandbox.remit("import", "rpw", bad, "--db", "b.sqlite", "--rejects", rejects)
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--rejects goes with --skip-invalid"))
    }

    @Test("Survey data answers compare at the surveyed amount, reproducing the published totals")
    func compareAfterImport() async throws {
        let sandbox = try Sandbox()
        _ = try await sandbox.remit("import", "rpw", try fixture("rpw/rpw-new-layout.csv"), "--db", "k.sqlite", "--quiet")
        let result = try await sandbox.remit("compare", "--from", "KE", "--to", "TZ", "--amount", "200", "--currency", "USD",
                                             "--db", "k.sqlite", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let options = try #require(json["options"] as? [[String: Any]])
        // Published cc1 totals in the fixture: bank 9.813973, MTO 4.325343, mobile 0.699186, post office (flagged) 6.101163 recomputed.
        let byProvider = Dictionary(uniqueKeysWithValues: options.compactMap { option -> (String, Double)? in
            guard let name = option["provider"] as? String, let total = option["totalCostPercent"] as? Double else { return nil }
            return (name, total)
        })
        #expect(abs((byProvider["Savanna Commercial Bank"] ?? 0) - 9.813973) <= 0.01)
        #expect(abs((byProvider["Jambo Express"] ?? 0) - 4.325343) <= 0.01)
        #expect(abs((byProvider["Kilima Mobile"] ?? 0) - 0.699186) <= 0.01)
        #expect(options.allSatisfy { $0["basis"] as? String == "survey" })
        #expect((json["notRanked"] as? [[String: Any]])?.first?["provider"] as? String == "Rift Valley Bank")
    }

    @Test("rates: ECB file in, the rate remit uses out, crossed through EUR, as JSON")
    func rates() async throws {
        let sandbox = try Sandbox()
        let imported = try await sandbox.remit("import", "rates", try fixture("ecb/eurofxref-hist.csv"), "--db", "e.sqlite")
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stderr.contains("skipped currencies no longer in ISO 4217: BGN, CYP"))
        let json = try await sandbox.remit("rates", "--from", "USD", "--to", "MXN", "--date", "2026-11-01", "--db", "e.sqlite", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(object["from"] as? String == "USD" && object["to"] as? String == "MXN")
        // 20.6134 / 1.1172 = 18.450949 (6 decimals), published 2026-10-30, two days before.
        #expect(abs((object["rate"] as? Double ?? 0) - 18.450949) < 0.000001)
        #expect(object["date"] as? String == "2026-10-30")
        #expect(object["source"] as? String == "ECB via EUR")
        #expect(object["ageDays"] as? Int == 2)
        let none = try await sandbox.remit("rates", "--from", "USD", "--to", "KES", "--db", "e.sqlite")
        #expect(none.status == 64)
        #expect(none.stderr.contains("no reference rate from USD to KES"))
    }
}
