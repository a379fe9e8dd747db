import Foundation
import Testing

/// `remit import schedules|rates|flows --skip-invalid --rejects`, end to end.
@Suite("Skipping invalid rows in schedule, rate and flow files")
struct SkipInvalidCommandTests {
    @Test("Schedules: valid bands imported, the rest written to the rejects file with line and reason; exit 0")
    func schedules() async throws {
        let sandbox = try Sandbox()
        let file = sandbox.path("s.csv"), rejects = sandbox.path("rejected.csv"), db = sandbox.path("t.sqlite")
        try """
            provider,firm_type,from,to,service,funding,payout,speed,fee_mode,band_min,band_max,fixed_fee,offered_rate,valid_from
            Acme,mto,US,MX,Online,debit-card,bank-account,same-day,on-top,1,,2,18.1,2026-01-01
            Acme,mto,US,MX,Cash,cash,cash,same-day,sideways,1,,3,18.0,2026-01-01
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await sandbox.remit("import", "schedules", file.path, "--db", db.path, "--skip-invalid", "--rejects", rejects.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("imported 1 of 2 rows"))
        let written = try String(contentsOf: rejects, encoding: .utf8)
        let rows = parseCSV(written)
        #expect(rows.first?.suffix(2) == ["rejected_line", "rejected_reason"])
        #expect(rows.count == 2)
        #expect(rows.last?[8] == "sideways")
        #expect(rows.last?.suffix(2).first == "3")
        #expect(rows.last?.last?.contains("(fee_mode): expected") == true)
    }

    @Test("Rates without --skip-invalid: exit 1, every bad row named, nothing imported")
    func ratesAllOrNothing() async throws {
        let sandbox = try Sandbox()
        let file = sandbox.path("r.csv"), db = sandbox.path("t.sqlite")
        try "date,base,quote,rate\n2026-11-27,USD,KES,abc\n2026-11-27,USD,XXX,1\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try await sandbox.remit("import", "rates", file.path, "--db", db.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("r.csv:2:4 (rate)"))
        #expect(result.stderr.contains("r.csv:3:3 (quote)"))
        let batches = try await sandbox.remit("batches", "--db", db.path)
        #expect(batches.stdout.contains("No import batches."))
    }
}
