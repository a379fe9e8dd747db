import Foundation
import Testing
@testable import RemitKit

/// The fixtures come from scripts/make-xlsx-fixtures.py, which also checks them with openpyxl.
@Suite("XLSX sheet reader")
struct XLSXReaderTests {
    static let folder = T.root.appendingPathComponent("fixtures/xlsx")
    static func fixture(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static let newSheet = "Dataset (from Q2 2016)"
    static let oldSheet = "Dataset (up to Q1 2016)"

    static let newHeader = [
        "id", "period", "source_code", "source_name", "source_region", "source_income", "source_lending",
        "source_G8G20", "destination_code", "destination_name", "destination_region", "destination_income",
        "destination_lending", "destination_G8G20", "firm", "firm_type", "payment instrument", "access point",
        "speed actual", "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee",
        "cc1 lcu fx rate", "cc1 fx margin", "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount",
        "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
        "transparent", "Standard Note", "note2", "receiving network coverage", "pickup location", "pickup method",
        "date", "corridor",
    ]
    static let oldHeader = [
        "id", "period", "source_code", "source_name", "source_region", "source_income", "source_lending",
        "source_G8G20", "destination_code", "destination_name", "destination_region", "destination_income",
        "destination_lending", "destination_G8G20", "firm", "firm_type", "product", "sending location",
        "speed actual", "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee",
        "cc1 lcu fx rate", "cc1 fx margin", "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount",
        "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
        "transparent", "coverage", "note1", "note2", "pick-up method", "date", "corridor",
    ]

    /// Every row of a sheet as (row number, fields).
    static func rows(_ file: String, _ sheet: String, limits: XLSXLimits = .standard) throws -> [(Int, [String])] {
        var reader = try XLSXSheetReader(path: fixture(file), sheet: sheet, limits: limits)
        var rows: [(Int, [String])] = []
        while let record = try reader.next() { rows.append((record.line, record.fields)) }
        return rows
    }

    /// The error thrown by `body`, which must throw an ``ImportError``.
    static func importError(_ body: () throws -> Void) -> ImportError? {
        do {
            try body()
            return nil
        } catch let error as ImportError {
            return error
        } catch {
            return nil
        }
    }

    static func readAll(_ file: String, _ sheet: String = "Sheet1", limits: XLSXLimits = .standard) -> ImportError? {
        importError { _ = try rows(file, sheet, limits: limits) }
    }

    // MARK: Workbook structure

    @Test("Sheet names come in workbook order")
    func sheetNames() throws {
        #expect(try XLSXSheetReader.sheetNames(path: Self.fixture("rpw-small.xlsx"))
                == ["Terms of Use", Self.newSheet, Self.oldSheet])
        #expect(try XLSXSheetReader.sheetNames(path: Self.fixture("openpyxl-written.xlsx")) == ["Data"])
    }

    @Test("A sheet is found whatever the letter case of its name")
    func sheetNameCase() throws {
        let reader = try XLSXSheetReader(path: Self.fixture("rpw-small.xlsx"), sheet: "dataset (FROM q2 2016)")
        #expect(reader.sheetName == Self.newSheet)
        #expect(reader.location == Self.fixture("rpw-small.xlsx") + " [Dataset (from Q2 2016)]")
    }

    // MARK: Values

    @Test("The RPW 2016+ sheet: header and every row, exactly")
    func newLayout() throws {
        let rows = try Self.rows("rpw-small.xlsx", Self.newSheet)
        // Row 6 holds only empty cells and row 7 does not exist: both are skipped.
        #expect(rows.map(\.0) == [1, 2, 3, 4, 5, 8])
        try #require(rows.count == 6)
        #expect(rows[0].1 == Self.newHeader)
        #expect(rows[0].1.count == 42)
        // Shared strings (one with two rich-text runs), numbers as written, the date an Excel serial.
        #expect(rows[1].1 == [
            "1001", "2025_3Q", "KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
            "TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
            "Savanna Commercial Bank", "Bank", "Bank account", "Bank branch", "2 days", "25800", "200", "KES",
            "1500", "19.3511", "4.00002", "9.813973", "64500", "500", "KES", "2500", "19.3511", "4.00002",
            "7.875989", "20.1574", "yes", "..", "..", "High", "..", "Bank account", "45853", "KENTZA",
        ])
        // Inline strings, entities, an _x000D_ escape, a formula's cached string, 0.1 and 17.2345 untouched.
        #expect(rows[2].1 == [
            "1002", "2025_3Q", "USA", "United States", "North America", "High income", "..", "G8, G20",
            "MEX", "Mexico", "Latin America & Caribbean", "Upper middle income", "IBRD", "G20",
            "Banco del Río & Co", "Bank", "Cash", "Agent", "Same day", "200", "200", "USD", "17.2345",
            "17.2345", "0.1", "8.71725", "500", "500", "USD", "25", "17.2345", "0.1", "5.1", "17.252", "yes",
            "Fee includes VAT\r\nsecond line", "see note", "Medium", "..", "Cash", "45853", "USAMEX",
        ])
        // The sparse row: cells at A, B, O, P (no r: after O), Z and AP; a styled empty AQ is dropped.
        var sparse = Array(repeating: "", count: 42)
        sparse[0] = "1003"
        sparse[1] = "2025_3Q"
        sparse[14] = "Sparse Transfers Ltd"
        sparse[15] = "Money Transfer Operator"
        sparse[25] = "4.5"
        sparse[41] = "FRACIV"
        #expect(rows[3].1 == sparse)
        let gaps = Array(rows[3].1[2..<14]) + Array(rows[3].1[16..<25]) + Array(rows[3].1[26..<41])
        #expect(gaps == Array(repeating: "", count: 36))
        // A row without r follows row 4; its cells without r fill A, B, C… in order.
        #expect(rows[4].1 == ["1004", "2025_3Q", "FRA", "France", "Europe & Central Asia", "High income", "..", "G8, G20"])
        // An error cell, E notation, a negative number, many decimals, a phonetic run ignored, non-ASCII.
        #expect(rows[5].1 == [
            "1005", "2025_3Q", "FRA", "France", "Europe & Central Asia", "High income", "..", "G8, G20",
            "CIV", "Côte d'Ivoire", "Sub-Saharan Africa", "Lower middle income", "IDA", "No", "日本送金",
            "Money Transfer Operator", "Bank account, Debit card", "Internet", "Less than one hour", "130",
            "200", "EUR", "0", "655.957", "1.2E-05", "1.2E-05", "330", "500", "EUR", "0", "#N/A", "-0.5",
            "0.0123456789", "655.96487", "yes", "..", "Promotion: first transfer free", "High", "..",
            "Bank account", "45853", "FRACIV",
        ])
    }

    @Test("The RPW sheet up to Q1 2016 (41 columns)")
    func oldLayout() throws {
        let rows = try Self.rows("rpw-small.xlsx", Self.oldSheet)
        #expect(rows.map(\.0) == [1, 2, 3])
        try #require(rows.count == 3)
        #expect(rows[0].1 == Self.oldHeader)
        #expect(rows[0].1.count == 41)
        #expect(rows[1].1 == [
            "101", "2011_1Q", "KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
            "TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No", "Jambo Express",
            "Money Transfer Operator", "Cash to cash", "Agent", "Less than one hour", "16000", "200", "KES",
            "550", "17.92", "2.767227", "6.204727", "40000", "500", "KES", "900", "17.92", "2.767227",
            "5.017227", "18.43", "yes", "Nationwide", "..", "..", "Cash", "40584", "KENTZA",
        ])
        // Numbers stored as text keep their zeros; a dd/Mon/yyyy date stays text.
        #expect(rows[2].1 == [
            "0102", "2011_1Q", "KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
            "TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
            "Savanna Commercial Bank", "Bank", "Account to account", "Bank branch", "3-5 days", "16000", "200",
            "KES", "1400", "17.6000", "4.503527", "13.253527", "40000", "500", "KES", "2000", "17.6000",
            "4.503527", "9.503527", "18.43", "Yes", "Major cities", "..", "..", "Account", "10/Feb/2011",
            "KENTZA",
        ])
    }

    @Test("Booleans, CDATA, ISO dates, formulas, character references, comments and extensions")
    func termsOfUse() throws {
        let rows = try Self.rows("rpw-small.xlsx", "Terms of Use")
        #expect(rows.map(\.0) == [1, 3, 4, 5])
        try #require(rows.count == 4)
        #expect(rows[0].1 == ["Terms of Use"])
        // A CR LF written in the XML is one line end, as XML requires.
        #expect(rows[1].1 == ["The data is licensed under CC BY 4.0 © World Bank & partners.\nSecond line."])
        #expect(rows[2].1 == ["1", "0", "<b>raw</b> & kept", "2025-09-30T00:00:00"])
        #expect(rows[3].1 == ["2", "Aé😀 <b> \"q\" 'a'"])
    }

    @Test("A workbook written by openpyxl: inline strings, absolute part names, no shared strings")
    func openpyxlWritten() throws {
        let rows = try Self.rows("openpyxl-written.xlsx", "Data")
        #expect(rows.map(\.0) == [1, 2, 3, 5])
        #expect(rows.map(\.1) == [["corridor", "fee", "rate", "note"], ["KENTZA", "1500", "19.3511", "x & <y>"],
                                  ["USAMEX", "0.1", "17.2345"], ["", "", "", "sparse"]])
    }

    @Test("Progress reaches the sheet's compressed size; reading past the end stays at the end")
    func progress() throws {
        var reader = try XLSXSheetReader(path: Self.fixture("rpw-small.xlsx"), sheet: Self.newSheet)
        #expect(reader.bytesRead == 0)
        #expect(reader.totalBytes > 0)
        var last: Int64 = 0
        while try reader.next() != nil {
            #expect(reader.bytesRead >= last)
            last = reader.bytesRead
        }
        #expect(reader.bytesRead == reader.totalBytes)
        #expect(try reader.next() == nil)
    }

    // MARK: Bad files

    @Test("Missing files, folders and files that are not ZIP archives")
    func notWorkbooks() {
        let garbage = Self.fixture("not-a-zip.xlsx")
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: garbage) }
                == .unreadable(file: garbage, reason: "not an .xlsx workbook (not a ZIP archive)"))
        #expect(Self.importError { _ = try XLSXSheetReader(path: garbage, sheet: "x") }
                == .unreadable(file: garbage, reason: "not an .xlsx workbook (not a ZIP archive)"))
        let missing = Self.fixture("no-such.xlsx")
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: missing) }
                == .unreadable(file: missing, reason: "no such file"))
        let folder = Self.folder.path
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: folder) }
                == .unreadable(file: folder, reason: "it is a folder, not a file"))
        let cut = Self.fixture("truncated-zip.xlsx")
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: cut) }
                == .unreadable(file: cut, reason: "not an .xlsx workbook (the ZIP archive is damaged or truncated)"))
    }

    @Test("A sheet the workbook lacks: the error names the sheets it has")
    func missingSheet() {
        let path = Self.fixture("rpw-small.xlsx")
        let error = Self.importError { _ = try XLSXSheetReader(path: path, sheet: "Dataset") }
        #expect(error == .unreadable(file: path, reason: "the workbook has no sheet named 'Dataset'; its sheets are "
                                     + "'Terms of Use', 'Dataset (from Q2 2016)', 'Dataset (up to Q1 2016)'"))
        #expect(error?.description == "\(path): cannot read the file: the workbook has no sheet named 'Dataset'; "
                + "its sheets are 'Terms of Use', 'Dataset (from Q2 2016)', 'Dataset (up to Q1 2016)'")
    }

    @Test("A sheet cut off in the middle: the error names the sheet and the row")
    func truncatedSheet() throws {
        let path = Self.fixture("truncated-sheet.xlsx")
        var reader = try XLSXSheetReader(path: path, sheet: "Sheet1")
        #expect(try reader.next()?.fields == ["a", "b"])
        #expect(try reader.next()?.fields == ["1", "2"])
        let error = Self.importError { _ = try reader.next() }
        #expect(error == .syntax(SourceLocation(file: "\(path) [Sheet1]", line: 3),
                                 "the XML ends before </row> (the part is truncated or damaged)"))
        // The reader stays failed.
        #expect(Self.importError { _ = try reader.next() } == error)
    }

    @Test("Mismatched tags: the error names the sheet and the row")
    func malformedSheet() {
        let path = Self.fixture("malformed-sheet.xlsx")
        #expect(Self.readAll("malformed-sheet.xlsx")
                == .syntax(SourceLocation(file: "\(path) [Sheet1]", line: 4), "</c> where </v> was expected"))
    }

    @Test("A shared-string number beyond the table")
    func badSharedIndex() {
        let path = Self.fixture("bad-shared-index.xlsx")
        #expect(Self.readAll("bad-shared-index.xlsx")
                == .syntax(SourceLocation(file: "\(path) [Sheet1]", line: 2, column: 2),
                           "shared string 7 does not exist (the workbook has 2)"))
    }

    @Test("An entry claiming to unpack 200 MiB from a hundred bytes is refused before unpacking")
    func declaredBomb() {
        let path = Self.fixture("bomb-declared.xlsx")
        let error = Self.importError { _ = try XLSXSheetReader(path: path, sheet: "Sheet1") }
        guard case let .unreadable(file, reason) = error else {
            Issue.record("expected .unreadable, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(reason.hasPrefix("the sheet 'Sheet1' would unpack to 200.0 MiB from "))
        #expect(reason.hasSuffix("more than 1000 times its compressed size; refusing it as a likely zip bomb"))
    }

    @Test("An entry unpacking to more than it declares is stopped at the declared size")
    func lyingBomb() {
        let path = Self.fixture("bomb-lying.xlsx")
        #expect(Self.readAll("bomb-lying.xlsx")
                == .unreadable(file: path, reason: "the sheet 'Sheet1' unpacks to more than the 1000 bytes the archive "
                               + "declares; refusing it (a damaged file or a zip bomb)"))
    }

    @Test("Size and ratio limits apply to honest entries too")
    func ratioAndSizeLimits() throws {
        let path = Self.fixture("bomb-ratio.xlsx")
        // 4 MiB of spaces: fine with the default limits (under the 100 MiB floor)…
        #expect(try Self.rows("bomb-ratio.xlsx", "Sheet1").map(\.1) == [["1"]])
        // …refused when the floor is lowered…
        var limits = XLSXLimits()
        limits.ratioFloor = 1 << 20
        limits.maxRatio = 100
        let ratio = Self.importError { _ = try XLSXSheetReader(path: path, sheet: "Sheet1", limits: limits) }
        guard case let .unreadable(_, reason) = ratio else {
            Issue.record("expected .unreadable, got \(String(describing: ratio))")
            return
        }
        #expect(reason.contains("would unpack to 4.0 MiB from "))
        #expect(reason.hasSuffix("more than 100 times its compressed size; refusing it as a likely zip bomb"))
        // …or when parts may not be that large.
        limits = XLSXLimits()
        limits.maxPartBytes = 1 << 20
        #expect(Self.importError { _ = try XLSXSheetReader(path: path, sheet: "Sheet1", limits: limits) }
                == .unreadable(file: path, reason: "the sheet 'Sheet1' would unpack to 4.0 MiB, more than the limit of 1.0 MiB"))
    }

    @Test("The shared strings are capped")
    func sharedStringCap() {
        let path = Self.fixture("rpw-small.xlsx")
        var limits = XLSXLimits()
        limits.maxSharedStringBytes = 1_000
        #expect(Self.importError { _ = try XLSXSheetReader(path: path, sheet: Self.newSheet, limits: limits) }
                == .unreadable(file: path, reason: "the shared strings (xl/sharedStrings.xml) take more than 1000 bytes "
                               + "of memory; refusing to load them"))
    }

    @Test("An unpacking worker that stops delivering is reported, not waited for forever")
    func stalledWorker() throws {
        var limits = XLSXLimits()
        limits.stallTimeout = 0.2
        let stream = XLSXPartStream(fileName: "f.xlsx", label: "the sheet 'S'", limits: limits) { stream in
            _ = stream.put(Data("<a>".utf8))
            while !stream.isCancelled { usleep(5_000) }
            return nil
        }
        #expect(try stream.take() == Data("<a>".utf8))
        #expect(Self.importError { _ = try stream.take() }
                == .unreadable(file: "f.xlsx", reason: "unpacking the sheet 'S' stopped making progress for 0.2 s; "
                               + "the ZIP data looks damaged"))
    }

    /// A deflate stream that ends with the file: zlib says so at once (ZIPFoundation, used before,
    /// spun forever here), long before the stall timeout.
    @Test("A deflate stream cut short at the end of the file fails at once instead of hanging")
    func stalledDeflate() throws {
        let path = Self.fixture("stalled-deflate.xlsx")
        var limits = XLSXLimits()
        limits.stallTimeout = 30
        let started = Date()
        var reader = try XLSXSheetReader(path: path, sheet: "Sheet1", limits: limits)
        #expect(try reader.next()?.fields == ["1"])
        #expect(Self.importError { _ = try reader.next() }
                == .unreadable(file: path, reason: "the sheet 'Sheet1' cannot be unpacked (the ZIP archive is damaged "
                               + "(the compressed data of xl/worksheets/sheet1.xml ends too soon)); the file is damaged"))
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("Package problems: no workbook part, chart sheets, missing parts, old .xls files, bad workbook XML")
    func packageProblems() throws {
        let ns = "http://schemas.openxmlformats.org"
        let workbook = Array(("<workbook xmlns=\"\(ns)/spreadsheetml/2006/main\" xmlns:r=\"\(ns)/officeDocument/"
            + "2006/relationships\"><sheets><sheet name=\"Chart1\" sheetId=\"1\" r:id=\"rId1\"/>"
            + "<sheet name=\"Gone\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>").utf8)
        let rels = Array(("<Relationships xmlns=\"\(ns)/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(ns)/officeDocument/2006/relationships/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"\(ns)/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
            + "</Relationships>").utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        let noWorkbook = try write("no-workbook.xlsx", StoredZip.archive([("word/document.xml", Array("<w/>".utf8))]))
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: noWorkbook) }
                == .unreadable(file: noWorkbook, reason: "not an .xlsx workbook (a ZIP archive without xl/workbook.xml)"))

        let charts = try write("charts.xlsx", StoredZip.archive([("xl/workbook.xml", workbook),
                                                                 ("xl/_rels/workbook.xml.rels", rels)]))
        #expect(try XLSXSheetReader.sheetNames(path: charts) == ["Chart1", "Gone"])
        #expect(Self.importError { _ = try XLSXSheetReader(path: charts, sheet: "Chart1") }
                == .unreadable(file: charts, reason: "'Chart1' is a chart, not a sheet of cells"))
        #expect(Self.importError { _ = try XLSXSheetReader(path: charts, sheet: "Gone") }
                == .unreadable(file: charts, reason: "the workbook lists the sheet 'Gone' but its part "
                               + "xl/worksheets/sheet2.xml is missing (the file is damaged)"))

        let xls = try write("old.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: xls) }
                == .unreadable(file: xls, reason: "not an .xlsx workbook (it is an old-style .xls file or a "
                               + "password-protected workbook; save it as an unprotected Excel workbook, .xlsx)"))

        let dtd = try write("dtd.xlsx", StoredZip.archive([
            ("xl/workbook.xml", Array(#"<!DOCTYPE w [<!ENTITY a "aaaaaaaa">]><workbook>&a;</workbook>"#.utf8)),
        ]))
        #expect(Self.importError { _ = try XLSXSheetReader.sheetNames(path: dtd) }
                == .unreadable(file: dtd, reason: "xl/workbook.xml declares a DTD or entities, which workbooks never do; refusing it"))

        let badStrings = try write("bad-strings.xlsx", StoredZip.archive([
            ("xl/workbook.xml", Array(("<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>").utf8)),
            ("xl/_rels/workbook.xml.rels", Array(("<Relationships>"
                + "<Relationship Id=\"rId1\" Type=\"\(ns)/officeDocument/2006/relationships/worksheet\" Target=\"s.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"\(ns)/officeDocument/2006/relationships/sharedStrings\" Target=\"/xl/sst.xml\"/>"
                + "</Relationships>").utf8)),
            ("xl/sst.xml", Array("<sst><si><t>a</t></si><si><t>b &bogus; c</t></si></sst>".utf8)),
            ("xl/s.xml", Array(Self.sheet("").utf8)),
        ]))
        #expect(Self.importError { _ = try XLSXSheetReader(path: badStrings, sheet: "S") }
                == .unreadable(file: badStrings, reason: "the shared strings (xl/sst.xml) are damaged: an unknown entity "
                               + "&bogus; (at string 2)"))

        let broken = try write("broken.xlsx", StoredZip.archive([("xl/workbook.xml", Array("<workbook>\n<sheets>\n</workbook>".utf8))]))
        let error = Self.importError { _ = try XLSXSheetReader.sheetNames(path: broken) }
        guard case let .unreadable(file, reason) = error else {
            Issue.record("expected .unreadable, got \(String(describing: error))")
            return
        }
        #expect(file == broken)
        #expect(reason.hasPrefix("xl/workbook.xml is not well-formed XML at line 3"))
    }

    // MARK: Streaming

    @Test("A large sheet streams through a small window, across chunk boundaries")
    func boundedMemory() throws {
        let rowCount = 20_000
        let path = try Self.writeLargeWorkbook(rows: rowCount)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try XLSXSheetReader(path: path, sheet: "Big")
        #expect(reader.sheetXMLBytes > 4 << 20)
        var count = 0
        while let record = try reader.next() {
            count += 1
            let n = record.line - 1
            let expected = ["\(n)", "0.\(n % 1000)", "R&D é\nline \(n)", "", "KENTZA", n % 2 == 0 ? "1" : "0"]
            if record.fields != expected {
                Issue.record("row \(record.line): \(record.fields) != \(expected)")
                break
            }
        }
        #expect(count == rowCount)
        #expect(reader.bytesRead == reader.totalBytes)
        // The sheet is several MiB; the reader never held more than a few chunks of it.
        #expect(reader.peakBufferedBytes < 256 << 10)
    }

    @Test("A reader dropped early stops its unpacking thread")
    func earlyDrop() async throws {
        let path = try Self.writeLargeWorkbook(rows: 5_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        weak var stream: XLSXPartStream?
        do {
            var reader = try XLSXSheetReader(path: path, sheet: "Big")
            #expect(try reader.next()?.line == 1)
            stream = reader.partStream
            #expect(stream != nil)
        }
        // The worker holds the stream until it notices the cancellation and exits.
        for _ in 0..<200 where stream != nil { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(stream == nil)
    }

    // MARK: Sheet XML fed in chunks of any size

    /// Reads sheet XML delivered in chunks of `chunk` bytes.
    static func sheetRows(_ xml: [UInt8], chunk: Int = 1 << 16, strings: [String] = [],
                          limits: XLSXLimits = .standard) throws -> [(Int, [String])] {
        let stream = XLSXPartStream(fileName: "t.xlsx", label: "the sheet 'S'", limits: limits) { stream in
            var offset = 0
            while offset < xml.count {
                let end = min(xml.count, offset + chunk)
                guard stream.put(Data(xml[offset..<end])) else { return nil }
                offset = end
            }
            return nil
        }
        var reader = XLSXSheetReader(stream: stream, sheetName: "S", location: "t.xlsx [S]",
                                     strings: XLSXSharedStrings(strings), xmlBytes: Int64(xml.count), limits: limits)
        var rows: [(Int, [String])] = []
        while let record = try reader.next() { rows.append((record.line, record.fields)) }
        return rows
    }

    static func sheetRows(_ xml: String, chunk: Int = 1 << 16, strings: [String] = [],
                          limits: XLSXLimits = .standard) throws -> [(Int, [String])] {
        try sheetRows(Array(xml.utf8), chunk: chunk, strings: strings, limits: limits)
    }

    /// The error reading `xml` as a sheet.
    static func sheetError(_ xml: String, limits: XLSXLimits = .standard, chunk: Int = 1 << 16) -> ImportError? {
        importError { _ = try sheetRows(xml, chunk: chunk, limits: limits) }
    }

    static func sheet(_ rows: String) -> String {
        #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            + rows + "</sheetData></worksheet>"
    }

    static func at(_ line: Int, _ column: Int? = nil) -> RemitKit.SourceLocation {
        RemitKit.SourceLocation(file: "t.xlsx [S]", line: line, column: column)
    }

    @Test("Chunk boundaries anywhere: inside tags, entities, CR LF pairs, CDATA and prefixed names")
    func chunkBoundaries() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<!-- lead -->"
            + #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>"#
            + #"<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c>"#
            + "<x:c r=\"C2\" t=\"inlineStr\"><x:is><x:t>a&amp;b&#x1F600;&lt;&#10;c\r\nd\re é</x:t></x:is></x:c></x:row>"
            + #"<x:row r="3" spans="1:3"><x:c r='B3' t='str'><x:f>A1&amp;"x"</x:f><x:v>x &gt; y</x:v></x:c>"#
            + #"<x:c t="inlineStr"><x:is><x:t><![CDATA[<&>]]></x:t></x:is></x:c></x:row><?pi stuff?>"#
            + "</x:sheetData></x:worksheet>\n"
        let expected: [(Int, [String])] = [(2, ["one", "", "a&b😀<\nc\nd\ne é"]), (3, ["", "x > y", "<&>"])]
        for chunk in [1, 2, 3, 4, 5, 7, 11, 13, 64, 1 << 16] {
            let rows = try Self.sheetRows(xml, chunk: chunk, strings: ["one"])
            #expect(rows.map(\.0) == expected.map(\.0), "chunk \(chunk)")
            #expect(rows.map(\.1) == expected.map(\.1), "chunk \(chunk)")
        }
    }

    @Test("Damaged sheet XML: each problem with its row and message")
    func sheetErrors() {
        let cases: [(String, RemitKit.SourceLocation, String)] = [
            (Self.sheet(#"<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>"#), Self.at(1, 1),
             "cell A1 comes after column B (cells out of order or repeated)"),
            (Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>"#), Self.at(1, 1),
             "cell A1 comes after column A (cells out of order or repeated)"),
            (Self.sheet(#"<row r="7"><c r="XFE7"><v>1</v></c></row>"#), Self.at(7),
             "column 16385 is beyond Excel's last column XFD"),
            (Self.sheet(#"<row r="7"><c r="7A"><v>1</v></c></row>"#), Self.at(7, 1), "'7A' is not a cell reference like B7"),
            (Self.sheet(#"<row r="x"><c r="A1"><v>1</v></c></row>"#), Self.at(1),
             "the row number 'x' is not a positive whole number"),
            (Self.sheet(#"<row r="2" spans=1:3><c r="A2"><v>1</v></c></row>"#), Self.at(1),
             "malformed attributes ' r=\"2\" spans=1:3'"),
            (Self.sheet(#"<row r="2"><c r="A2" t="inlineStr"><is><t>a &nbsp; b</t></is></c></row>"#), Self.at(2),
             "an unknown entity &nbsp;"),
            (Self.sheet(#"<row r="2"><c r="A2" t="inlineStr"><is><t>R & D</t></is></c></row>"#), Self.at(2),
             "a bare '&' in text (it must be written &amp;)"),
            (Self.sheet(#"<row r="2"><c r="A2"><v>&#0;</v></c></row>"#), Self.at(2),
             "the character reference &#0; is not an XML character"),
            (Self.sheet(#"<row r="2"><c r="A2"><c r="B2"/></c></row>"#), Self.at(2, 1), "a cell inside a cell"),
            (Self.sheet(#"<c r="A1"><v>1</v></c>"#), Self.at(1), "a cell outside a row"),
            (Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></row>"#), Self.at(2),
             "</row> where </c> was expected"),
            (Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#) + "</extra>", Self.at(2),
             "an end tag </extra> without its start tag"),
            (Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#) + "<worksheet/>", Self.at(2),
             "a second root element <worksheet>"),
            ("junk" + Self.sheet(""), Self.at(1), "text outside the root element"),
            (#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]><worksheet/>"#, Self.at(1),
             "a DTD or other declaration (<!…>), which workbooks never contain"),
            (#"<worksheet><sheetData><row r="4"><c r="A4"><v>1</v></c>"#, Self.at(4),
             "the XML ends before </row> (the part is truncated or damaged)"),
            (#"<worksheet><sheetData><row r="4"><c r="A4"><v>1</v></c"#, Self.at(4),
             "the XML ends inside a tag (the part is truncated or damaged)"),
            ("", Self.at(1), "the part holds no XML element"),
            (Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><1/></row>"#), Self.at(2), "a malformed tag"),
        ]
        for (xml, location, message) in cases {
            #expect(Self.sheetError(xml) == .syntax(location, message), "\(xml)")
            // The same with the XML arriving a few bytes at a time.
            #expect(Self.sheetError(xml, chunk: 3) == .syntax(location, message), "\(xml) in 3-byte chunks")
        }
    }

    @Test("Invalid UTF-8 and UTF-16 are refused")
    func encodings() {
        let bad = Array(#"<worksheet><sheetData><row r="3"><c r="A3"><v>1</v></c><c r="B3" t="inlineStr"><is><t>x"#.utf8)
            + [0xFF, 0xFE] + Array("</t></is></c></row></sheetData></worksheet>".utf8)
        #expect(Self.importError { _ = try Self.sheetRows(bad) }
                == .syntax(Self.at(3, 2), "the cell B3 is not valid UTF-8 text"))
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("<".utf8) + [0]
        #expect(Self.importError { _ = try Self.sheetRows(utf16) }
                == .syntax(Self.at(1), "the XML is UTF-16, which this reader does not support"))
    }

    @Test("Rows and tags have size limits")
    func tokenLimits() {
        var limits = XLSXLimits()
        limits.maxRowBytes = 10
        #expect(Self.sheetError(Self.sheet(#"<row r="5"><c r="A5" t="inlineStr"><is><t>0123456789ABC</t></is></c></row>"#),
                                limits: limits) == .syntax(Self.at(5), "the row holds more than 10 bytes of text"))
        limits = XLSXLimits()
        limits.maxTokenBytes = 100
        let long = String(repeating: "x", count: 300)
        // The row's own tag is too long, so the error names the row after the last one read.
        #expect(Self.sheetError(Self.sheet(#"<row r="4"><c r="A4"><v>1</v></c></row><row r="5" x="\#(long)"></row>"#),
                                limits: limits, chunk: 64)
                == .syntax(Self.at(5), "a tag, comment or CDATA section is longer than 100 bytes"))
    }

    // MARK: Helpers

    @Test("Column letters")
    func columns() {
        #expect(XLSXColumn.name(0) == "A")
        #expect(XLSXColumn.name(25) == "Z")
        #expect(XLSXColumn.name(26) == "AA")
        #expect(XLSXColumn.name(41) == "AP")
        #expect(XLSXColumn.name(16_383) == "XFD")
    }

    @Test("Excel's _xHHHH_ escapes")
    func escapes() {
        func unescape(_ text: String) -> String {
            var bytes = Array(text.utf8)
            XLSXEscapes.unescape(&bytes, from: 0)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(unescape("a_x000D_b") == "a\rb")
        #expect(unescape("_x005F_x000D_") == "_x000D_")
        #expect(unescape("_xD83D__xDE00_") == "😀")
        #expect(unescape("_x00zz_ _x41") == "_x00zz_ _x41")
        #expect(unescape("plain") == "plain")
    }

    /// A workbook with one sheet "Big" of `rows` rows, written uncompressed (no zlib in the tests).
    /// Every row has an inline string with an entity, a character reference and a CR LF, a gap,
    /// and a boolean, so tokens straddle the reader's 64 KiB chunks.
    static func writeLargeWorkbook(rows: Int) throws -> String {
        var sheet = Array(#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
        for n in 0..<rows {
            let r = n + 1
            sheet += Array(("<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(n)</v></c><c r=\"B\(r)\" s=\"2\"><v>0.\(n % 1000)</v></c>"
                + "<c r=\"C\(r)\" t=\"inlineStr\"><is><t>R&amp;D &#233;\r\nline \(n)</t></is></c>"
                + "<c r=\"E\(r)\" t=\"s\"><v>0</v></c><c r=\"F\(r)\" t=\"b\"><v>\(n % 2 == 0 ? 1 : 0)</v></c></row>").utf8)
        }
        sheet += Array("</sheetData></worksheet>".utf8)
        let ns = "http://schemas.openxmlformats.org"
        let parts: [(String, [UInt8])] = [
            ("xl/workbook.xml", Array(("<workbook xmlns=\"\(ns)/spreadsheetml/2006/main\" xmlns:r=\"\(ns)/officeDocument/"
                + "2006/relationships\"><sheets><sheet name=\"Big\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").utf8)),
            ("xl/_rels/workbook.xml.rels", Array(("<Relationships xmlns=\"\(ns)/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(ns)/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"\(ns)/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
                + "</Relationships>").utf8)),
            ("xl/sharedStrings.xml", Array("<sst xmlns=\"\(ns)/spreadsheetml/2006/main\"><si><t>KENTZA</t></si></sst>".utf8)),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("remit-xlsx-\(UUID().uuidString).xlsx").path
        try Data(StoredZip.archive(parts)).write(to: URL(fileURLWithPath: path))
        return path
    }
}

extension XLSXReaderTests {
/// A minimal ZIP writer for tests: stored (uncompressed) entries only.
enum StoredZip {
    static func archive(_ entries: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in entries {
            let offset = UInt32(out.count)
            let crc = crc32(data)
            let nameBytes = Array(name.utf8)
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
            out += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
            out += nameBytes + data
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
            central += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count))
            central += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return out
    }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBufferPointer { bytes in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
}
