import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reliability of imports as processes see it: Ctrl-C during an import, readers while an import
// writes, two imports at once. The long versions (kills at random moments, 200,000-row files) are
// scripts/kill-import.sh and scripts/readers-during-import.sh; see docs/reliability.md.

@Suite("interrupted and concurrent imports", .serialized)
struct InterruptTests {
    @Test("SIGINT during remit import rpw: exit 130, a clean message, the database unchanged, the file importable again")
    func sigint() async throws {
        let sandbox = try Sandbox()
        try SyntheticRPW.write(sandbox.path("base.csv"), firms: 0..<20)
        let outcome = try await Self.interrupt(sandbox, signal: SIGINT) { big in [big] }
        guard let (db, big, rows, result, before) = outcome else { return }
        #expect(result.status == 130, "\(result)")
        #expect(result.stderr == "Interrupted: nothing from \(big.path) was imported (the database is unchanged).\n", "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let after = try await DatabaseSnapshot.take(sandbox, db)
        #expect(after == before, "the interrupted import changed the database")

        // Nothing of the interrupted import lingers: the same file imports in full.
        let again = try await sandbox.remit("import", "rpw", big.path, "--db", db, "--quiet")
        #expect(again.status == 0, "\(again)")
        let batches = try await sandbox.remit("batches", "list", "--db", db, "--format", "json")
        let list = try jsonArray(batches)
        #expect(list.count == 2, "\(batches)")
        if let last = list.last {
            #expect(try num(last, "rows") == Double(rows), "\(batches)")
        }
    }

    @Test("SIGTERM during the second of three files: exit 143, the first file kept, the message names what is in and what is not")
    func sigtermWithSeveralFiles() async throws {
        let sandbox = try Sandbox()
        try SyntheticRPW.write(sandbox.path("base.csv"), firms: 0..<20)
        try SyntheticRPW.write(sandbox.path("first.csv"), firms: 500..<520)
        try SyntheticRPW.write(sandbox.path("last.csv"), firms: 600..<620)
        let outcome = try await Self.interrupt(sandbox, signal: SIGTERM) { big in
            [sandbox.path("first.csv"), big, sandbox.path("last.csv")]
        }
        guard let (db, big, _, result, _) = outcome else { return }
        #expect(result.status == 143, "\(result)")
        let first = sandbox.path("first.csv").path, last = sandbox.path("last.csv").path
        #expect(result.stderr == "Interrupted: nothing from \(big.path) was imported. Imported before the interruption, and kept: "
                    + "\(first) (batch 2). Not imported: \(last).\n", "\(result)")
        let list = try jsonArray(try await sandbox.remit("batches", "list", "--db", db, "--format", "json"))
        #expect(list.compactMap { $0["file"] as? String } == ["base.csv", first], "\(list)")
    }

    /// Imports `base.csv` into a new database, then runs `remit import rpw` on `files(big)` and
    /// sends `signal` while remit parses `big` (a synthetic file written here), inside its
    /// transaction. If the import ends before the signal, tries again with a file four times
    /// larger (three attempts, then records an issue and returns `nil`).
    ///
    /// - Returns: the database, `big` and its rows, how remit ended and the database as it was before the run.
    static func interrupt(
        _ sandbox: Sandbox, signal: Int32, files: (URL) -> [URL], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (db: String, big: URL, rows: Int, result: CommandResult, before: DatabaseSnapshot)? {
        var firms = 800   // 30,400 rows: seconds in a debug build
        var outcomes: [String] = []
        for attempt in 1...3 {
            let db = sandbox.path("survey-\(attempt).sqlite").path
            let base = try await sandbox.remit("import", "rpw", "base.csv", "--db", db, "--quiet")
            try #require(base.status == 0, "\(base)", sourceLocation: sourceLocation)
            let before = try await DatabaseSnapshot.take(sandbox, db)
            let big = sandbox.path("big-\(attempt).csv")
            let rows = try SyntheticRPW.write(big, firms: 1000..<(1000 + firms))
            let paths = files(big)
            // Bytes read before remit parses `big`: every earlier file twice (hashed, then parsed),
            // `big` once (hashed), and at most the whole database.
            var bytesBefore: Int64 = try fileSize(big) + fileSize(URL(fileURLWithPath: db))
            for earlier in paths.prefix(while: { $0 != big }) { bytesBefore += 2 * (try fileSize(earlier)) }

            let running = try sandbox.start(["import", "rpw"] + paths.map(\.path) + ["--db", db, "--quiet"])
            let inside = await running.waitUntilReading(big, pastBytes: bytesBefore)
            running.signal(signal)
            let result = try await running.wait()
            if inside, !running.diedOfSignal, result.status != 0 {
                return (db, big, rows, result, before)
            }
            #expect(!running.diedOfSignal, "remit died of the signal instead of handling it:\n\(result)", sourceLocation: sourceLocation)
            // The import ended before the signal: try again with a file four times larger.
            outcomes.append("attempt \(attempt), \(rows) rows: exit \(result.status) before the signal")
            firms *= 4
        }
        Issue.record("the import always ended before the signal, so the interrupted path was not exercised: \(outcomes)",
                     sourceLocation: sourceLocation)
        return nil
    }

    @Test("a reader looping over remit report global during an import: never locked, only the before or after figures")
    func readersDuringImport() async throws {
        let sandbox = try Sandbox()
        let db = sandbox.path("survey.sqlite").path
        try SyntheticRPW.write(sandbox.path("base.csv"), firms: 0..<20)
        try SyntheticRPW.write(sandbox.path("big.csv"), firms: 1000..<1600)   // 22,800 rows
        let base = try await sandbox.remit("import", "rpw", "base.csv", "--db", db, "--quiet")
        try #require(base.status == 0, "\(base)")
        let before = try await Self.serviceCount(sandbox, db)

        let running = try sandbox.start(["import", "rpw", "big.csv", "--db", db, "--quiet"])
        var reads: [CommandResult] = []
        var readsDuring = 0
        while !running.hasExited {
            reads.append(try await sandbox.remit("report", "global", "--format", "json", "--db", db))
            if !running.hasExited { readsDuring += 1 }
        }
        let imported = try await running.wait()
        #expect(imported.status == 0, "\(imported)")
        let after = try await Self.serviceCount(sandbox, db)
        #expect(before == 20 && after == 620, "before \(before), after \(after)")

        var sawBefore = 0, sawAfter = 0
        for read in reads {
            #expect(read.status == 0, "\(read)")
            #expect(!read.stderr.contains("locked"), "\(read)")
            guard read.status == 0 else { continue }
            let count = try num(try jsonObject(read), "serviceCount")
            #expect(count == before || count == after, "a read during the import saw \(count) services: neither \(before) nor \(after)")
            if count == before { sawBefore += 1 }
            if count == after { sawAfter += 1 }
        }
        // The import takes seconds in a debug build, a read a fraction of one.
        #expect(readsDuring >= 1, "no read completed while the import ran (\(reads.count) reads)")
        #expect(sawBefore >= 1, "no read saw the database as it was before the import (\(reads.count) reads, \(sawAfter) after it)")
    }

    @Test("two imports started at once: both succeed (one waits for the other) or one fails clearly; each batch whole or absent")
    func twoImportsAtOnce() async throws {
        let sandbox = try Sandbox()
        let db = sandbox.path("survey.sqlite").path
        try SyntheticRPW.write(sandbox.path("base.csv"), firms: 0..<20)
        let files = ["a.csv", "b.csv"]
        // 9,500 rows each: long enough in a debug build for the second to start while the first writes.
        let rows = try SyntheticRPW.write(sandbox.path("a.csv"), firms: 2000..<2250)
        try SyntheticRPW.write(sandbox.path("b.csv"), firms: 3000..<3250)
        let base = try await sandbox.remit("import", "rpw", "base.csv", "--db", db, "--quiet")
        try #require(base.status == 0, "\(base)")

        let first = try sandbox.start(["import", "rpw", files[0], "--db", db, "--quiet"])
        let second = try sandbox.start(["import", "rpw", files[1], "--db", db, "--quiet"])
        let results = [try await first.wait(), try await second.wait()]

        let list = try jsonArray(try await sandbox.remit("batches", "list", "--db", db, "--format", "json"))
        for (file, result) in zip(files, results) {
            let batches = list.filter { $0["file"] as? String == file }
            if result.status == 0 {
                #expect(batches.count == 1, "\(result)")
                if let batch = batches.first {
                    #expect(try num(batch, "rows") == Double(rows) && num(batch, "observations") == Double(2 * rows), "\(batch)")
                }
            } else {
                #expect(result.status == 1 && result.stderr.hasPrefix("Error: "), "not a clear failure:\n\(result)")
                #expect(batches.isEmpty, "\(file) failed but left a batch:\n\(result)")
            }
        }
        #expect(results.contains { $0.status == 0 }, "neither import succeeded:\n\(results)")
        #expect(list.count == 1 + results.filter { $0.status == 0 }.count, "\(list)")
        if hasSQLiteShell {
            let check = try await sandbox.run(sqliteShell, [db, "PRAGMA integrity_check; PRAGMA foreign_key_check;"])
            #expect(check.stdout == "ok\n", "\(check)")
        }
    }

    /// The top-level `serviceCount` of `remit report global --format json`.
    static func serviceCount(_ sandbox: Sandbox, _ db: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Double {
        let report = try await sandbox.remit("report", "global", "--format", "json", "--db", db)
        try #require(report.status == 0, "\(report)", sourceLocation: sourceLocation)
        return try num(try jsonObject(report), "serviceCount", sourceLocation: sourceLocation)
    }
}

/// What a database holds, as remit and (when installed) the sqlite3 shell show it.
struct DatabaseSnapshot: Equatable, CustomStringConvertible {
    var batches: String
    var report: String
    var tables: String

    var description: String { "batches:\n\(batches)\nreport:\n\(report)\ntables:\n\(tables)" }

    static func take(_ sandbox: Sandbox, _ db: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> DatabaseSnapshot {
        let batches = try await sandbox.remit("batches", "list", "--db", db, "--format", "json")
        #expect(batches.status == 0, "\(batches)", sourceLocation: sourceLocation)
        let report = try await sandbox.remit("report", "global", "--db", db, "--format", "json")
        #expect(report.status == 0, "\(report)", sourceLocation: sourceLocation)
        var tables = ""
        if hasSQLiteShell {
            let result = try await sandbox.run(sqliteShell, ["-readonly", db, """
                PRAGMA integrity_check;
                SELECT count(*), total(fee), total(amount), total(service_id), count(DISTINCT batch_id) FROM price_observation;
                SELECT count(*) FROM service; SELECT count(*) FROM provider; SELECT count(*) FROM corridor;
                SELECT count(region), count(income_group) FROM country;
                """])
            #expect(result.status == 0 && result.stdout.hasPrefix("ok\n"), "\(result)", sourceLocation: sourceLocation)
            tables = result.stdout
        }
        return DatabaseSnapshot(batches: batches.stdout, report: report.stdout, tables: tables)
    }
}

func fileSize(_ url: URL) throws -> Int64 {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.size] as? NSNumber)?.int64Value ?? 0
}

/// Synthetic RPW survey files: each firm one provider with one service from Kenya to Tanzania,
/// priced in every quarter from 2016_2Q to 2025_3Q with the figures of a fixture row that
/// satisfies the RPW identity. Files of disjoint firm ranges share no price, so they import together.
enum SyntheticRPW {
    static let header = """
        id,period,source_code,source_name,source_region,source_income,source_lending,source_G8G20,destination_code,\
        destination_name,destination_region,destination_income,destination_lending,destination_G8G20,firm,firm_type,\
        payment instrument,access point,speed actual,cc1 lcu amount,cc1 denomination amount,cc1 lcu code,cc1 lcu fee,\
        cc1 lcu fx rate,cc1 fx margin,cc1 total cost %,cc2 lcu amount,cc2 denomination amount,cc2 lcu code,cc2 lcu fee,\
        cc2 lcu fx rate,cc2 fx margin,cc2 total cost %,inter lcu bank fx,transparent,Standard Note,note2,\
        receiving network coverage,pickup location,pickup method,date,corridor
        """
    // The fields of fixtures/rpw/rpw-new-layout.csv, line 3 (Jambo Express), around the firm name:
    // the two countries, the firm type to speed, and the prices to the pickup method.
    static let country = "KEN,Kenya,Sub-Saharan Africa,Lower middle income,IDA,No,TZA,Tanzania,Sub-Saharan Africa,Lower middle income,IDA,No"
    static let service = "Bank/Money Transfer Operator,Cash,Agent,Less than one hour"
    static let prices = "25800,200,KES,600,19.7543,1.999762,4.325343,64500,500,KES,900,19.7543,1.999762,3.395111,20.1574,yes,..,..,High,..,Cash"

    /// The 38 quarters of the survey's new layout, as (year, quarter).
    static let periods: [(year: Int, quarter: Int)] =
        [2, 3, 4].map { (2016, $0) } + (2017...2024).flatMap { year in (1...4).map { (year, $0) } } + [1, 2, 3].map { (2025, $0) }

    /// Writes one row per firm in `firms` and quarter to `url`; returns the number of rows.
    @discardableResult
    static func write(_ url: URL, firms: Range<Int>) throws -> Int {
        var text = header + "\n"
        var id = 0
        for period in periods {
            let month = period.quarter * 3 - 1
            let date = "\(period.year)-\(month < 10 ? "0" : "")\(month)-15"
            for firm in firms {
                id += 1
                text += "\(id),\(period.year)_\(period.quarter)Q,\(country),Synthetic Remit \(firm),\(service),\(prices),\(date),KENTZA\n"
            }
        }
        try Data(text.utf8).write(to: url)
        return id
    }
}

/// A `remit` process started in the background, to be signalled or waited for.
final class RunningRemit: @unchecked Sendable {
    // @unchecked: `process` is only read after `exited` has fired (its termination status), or for its pid.
    private let process: Process
    private let exited = ExitSignal()
    private let commandLine: String
    private let outURL: URL, errURL: URL
    let pid: Int32

    fileprivate init(process: Process, commandLine: String, outURL: URL, errURL: URL) throws {
        self.process = process
        self.commandLine = commandLine
        self.outURL = outURL
        self.errURL = errURL
        let exited = exited
        process.terminationHandler = { _ in exited.fire() }
        try process.run()
        pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { [pid] in
            if !exited.hasFired { kill(pid, SIGKILL) }
        }
    }

    var hasExited: Bool { exited.hasFired }

    /// Whether the process was ended by a signal it did not handle (then ``wait()``'s status is the signal's number).
    var diedOfSignal: Bool { hasExited && process.terminationReason == .uncaughtSignal }

    func signal(_ number: Int32) {
        if !hasExited { kill(pid, number) }
    }

    /// Waits until the process has read `pastBytes` bytes plus a fifth of `file` (so it is parsing
    /// `file`, having hashed it: inside the import's transaction); `false` if it exited first.
    /// Without /proc (macOS), waits one second.
    func waitUntilReading(_ file: URL, pastBytes: Int64) async -> Bool {
        let threshold = pastBytes + ((try? fileSize(file)) ?? 0) / 5
        let deadline = Date().addingTimeInterval(30)
        guard FileManager.default.fileExists(atPath: "/proc/\(pid)/io") else {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            return !hasExited
        }
        while !hasExited, Date() < deadline {
            if let read = readBytes(), read >= threshold { return true }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return !hasExited
    }

    /// `rchar` of /proc/PID/io: the bytes the process has read so far.
    private func readBytes() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
            return Int64(line.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Waits for the process to end and returns what it printed.
    func wait() async throws -> CommandResult {
        while !hasExited { try await Task.sleep(nanoseconds: 5_000_000) }
        for handle in [process.standardOutput, process.standardError] { try? (handle as? FileHandle)?.close() }
        let result = CommandResult(commandLine: commandLine, status: process.terminationStatus,
                                   stdoutData: try Data(contentsOf: outURL), stderrData: try Data(contentsOf: errURL))
        return result
    }
}

extension Sandbox {
    /// Starts `remit` with `arguments` in the background.
    func start(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunningRemit {
        let binary = try RemitBinary.require(sourceLocation: sourceLocation)
        let id = UUID().uuidString
        let outURL = root.appendingPathComponent("io/\(id).out"), errURL = root.appendingPathComponent("io/\(id).err")
        var attempt = 0
        while true {
            attempt += 1
            guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
                  FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
                throw SandboxError.cannotCreate(outURL.path)
            }
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = baseEnvironment
            process.currentDirectoryURL = root
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            do {
                return try RunningRemit(process: process, commandLine: (["remit"] + arguments).joined(separator: " "),
                                        outURL: outURL, errURL: errURL)
            } catch {
                // Another build may be relinking the binary ("Text file busy"): retry briefly.
                guard attempt < 20 else { throw error }
                Thread.sleep(forTimeInterval: 0.25)
            }
        }
    }
}
