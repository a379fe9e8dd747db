import Foundation
import Testing

/// An import that cannot get the write lock in time fails with a message saying why, and writes nothing.
@Suite("A database busy with another writer")
struct BusyDatabaseTests {
    @Test("Another process holds the write lock past the wait: exit 1, 'is busy', nothing written",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
    func busy() async throws {
        let sandbox = try Sandbox()
        let db = sandbox.path("busy.sqlite").path
        let fixtures = try #require(RemitBinary.packageRoot).appendingPathComponent("fixtures")
        let first = try await sandbox.remit("import", "rpw", fixtures.appendingPathComponent("rpw/rpw-new-layout.csv").path, "--db", db)
        try #require(first.status == 0, "\(first.stderr)")

        // The sqlite3 shell takes the write lock and keeps it for 4 s.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [db, "BEGIN IMMEDIATE;", "INSERT INTO import_batch (file_name, sha256, format, imported_at) VALUES ('lock', '\(String(repeating: "0", count: 64))', 'rates', 'now');", ".system sleep 4", "ROLLBACK;"]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.waitUntilExit() }
        try await Task.sleep(nanoseconds: 700_000_000)

        let started = Date()
        let blocked = try await sandbox.remit("import", "rpw", fixtures.appendingPathComponent("reports/rpw-reports.csv").path, "--db", db,
                                              environment: ["REMIT_BUSY_TIMEOUT": "1"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("the database \(db) is busy: another process"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("for over 1 s; nothing was written"))
        #expect(Date().timeIntervalSince(started) < 3.5)

        holder.waitUntilExit()
        let batches = try await sandbox.remit("batches", "--db", db, "--format", "csv")
        #expect(batches.stdout.split(separator: "\n").count == 2)   // the header and the first batch only
    }
}
