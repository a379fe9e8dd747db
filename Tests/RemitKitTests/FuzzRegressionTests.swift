import Foundation
import Testing
@testable import RemitKit

/// Inputs that crashed a fuzz target (scripts/fuzz.sh), kept as tests once fixed.
///
/// Each case gives the target that found it, what happened, and the fix.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// FuzzECB, the first 2 minutes: eurofxref-daily.xml with a few bytes mutated. Foundation's
    /// XMLParser on Linux traps (SIGILL) in `_NSXMLParserStartElementNs` when an element or attribute
    /// name is not UTF-8, so `remit import rates` on this file crashed instead of reporting an error.
    /// Fix: ECBFile.readXML (and the .xlsx metadata parts) refuse bytes that are not UTF-8 before
    /// XMLParser sees them (`XMLInput.lineOfInvalidUTF8`).
    static let mutatedDailyXML = Data(base64Encoded: [
        "PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVVRGLTgiPz4KPGdlc21lczpFbnZlbG9wZSB4bWxuczpnZXNtZXM9Imh0dHA6",
        "Ly93d3cuZ2VzbWVzbm9yZy94bWwvMjAwMi0wOC0wMSIgeG1sbnM9Imh0dHA6Ly93d3cuZWNiLmludC92b2NhYnVsYXJ5LzIwMDIt",
        "MDgtMDEvZXVyb2Z4cmVmIj4KCTxnZXNtZXM6c3ViamVjdD5SZWZlcmVuY2UgcmF0ZXM8L2dlc21lczpzdWJqZWN0PgoJPGdlc21l",
        "czpTZW5kZXI+CgkJPGdlc21lczpuYW1lPkV1cm9wZWFuIENlbnRyYWwgQmFuazwvZ2VzbWVzOm5hbWU+Cgk8L2dlc21lczpTZW5k",
        "ZXI+Cgk8Q3ViZT4KCQk8Q3ViZSB0aW1lPScyMDI2LTEwLTMwJz4KCQkJPEN1YmUgY3VycmVuY3k9J1VTRCcgcmF0ZT0nMS4xMTcy",
        "Jy8+CgkJCTxDdWJlIGN1cnJlbmN5PSdKUFknIHJhdGU9JzE3NS42OCcvPgoJCQk8Q3ViZSBjdXJyZW5jeT0nQ1pLJyByYXRlPScy",
        "NC4zMTInLz4KCQkJPEN1YmUgY3VycmVuY3k9J0RLSycgcmF0ZT0nNy40NjA0Jy8+CgkJCTxDdWJlIGN1cnJlbmN5PSdHQlAnIHJh",
        "dGU9JzAuODc0MicvPgoJCQk8Q3ViZSBjdXJyZW5jeT0nSFVGJyByYXRlPSczODguNDUnLz4KCQkJPEN1YmUgY3VycmVuY3k9J1BM",
        "TicgcmF0ZT0nNC4yNTE4Jy8+CgkJCTxDdWJlIGN1cnJlbmN5PSdTRUsnIHJhdGU9JzEwLjk4NDUnLz4KCQkJPEN1YmUg43VycmVu",
        "Y3k9J0NIRicgcmF0ZT0nMC45MzkxJy8+CgkJCTxDdWJlIGN1cnJlbmN5PSdUUlknIHJhdGU9JzQ5LjQ4NzUnLz4KCQkJPEN1YmUg",
        "Y3VycmVuY3k9J0lOUicgcmF0ZT0nOTcuMjE1Jy8+CgkJCTxDdWJlIGN1cnJlbmN5PSdNWE4n2I1hdGU9JzIwLjYxMzQnLz4KCQkJ",
        "PEN1YmUgY3Vycm1uY3k9J1BIUCcgcmF0ZT0nNjUuMzQxJy8+CgkJCTxDdWJlIGN1cnJlbmN5PSdaQVInIHJhdGU9JzE5Ljg3NDIn",
        "Lz4KCQk8L0N1YmU+Cgk8L0N1YmU+CjwvZ2XzbWVzOkVudmVsb3BlPgo=",
    ].joined()) ?? Data()

    @Test("ECB XML that is not UTF-8: an error with its line, not a crash in XMLParser", arguments: [
        ([0x3C, 0xE3, 0x27, 0x30, 0x2E], 1),                                   // the crash, minimised: `<` E3 `'0.`
        (Array("<a ".utf8) + [0xE3] + Array("=\"1\"/>".utf8), 1),                  // an attribute name that is not UTF-8
        (Array("<?xml version=\"1.0\"?>\n<a b=\"1\">\n<".utf8) + [0xC3, 0x28] + Array("/></a>".utf8), 3),
    ] as [([UInt8], Int)])
    func ecbXMLNotUTF8(bytes: [UInt8], line: Int) {
        #expect(throws: ImportError.syntax(SourceLocation(file: "x.xml", line: line), "the file is not valid UTF-8 text (save it as UTF-8)")) {
            try ECBFile.readXML(bytes, fileName: "x.xml")
        }
    }

    @Test("The crashing input itself, through a whole import: a clear error, nothing written")
    func ecbXMLImport() throws {
        let bytes = [UInt8](Self.mutatedDailyXML)
        #expect(bytes.count == 941)
        #expect(throws: ImportError.syntax(SourceLocation(file: "x.xml", line: 17), "the file is not valid UTF-8 text (save it as UTF-8)")) {
            try ECBFile.readXML(bytes, fileName: "x.xml")
        }
        let temp = try TemporaryDatabase()
        let before = try temp.snapshot()
        let path = temp.folder.appendingPathComponent("eurofxref-daily.xml").path
        try Self.mutatedDailyXML.write(to: URL(fileURLWithPath: path))
        #expect(throws: ImportError.syntax(SourceLocation(file: path, line: 17), "the file is not valid UTF-8 text (save it as UTF-8)")) {
            try temp.database.importFile(ImportSource(path: path, format: .rates))
        }
        #expect(try temp.snapshot() == before)
    }

    @Test("The same guard for a workbook's own XML parts, which XMLParser also reads")
    func workbookPartNotUTF8() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.xlsx").path
        let workbook = Array("<workbook><sheets><sheet name=\"S\" ".utf8) + [0xE3] + Array("=\"1\"/></sheets></workbook>".utf8)
        try Data(XLSXReaderTests.StoredZip.archive([("xl/workbook.xml", workbook)])).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImportError.unreadable(file: path, reason: "xl/workbook.xml is not UTF-8 text (line 1); the file is damaged")) {
            try XLSXSheetReader.sheetNames(path: path)
        }
    }
}

extension FuzzRegressionTests {
    /// FuzzCSV, the first seconds after the limits were added: with at most 4 columns, the 5th
    /// field `1"` was judged by the column count when a read chunk ended inside it (`1`), but by
    /// its stray quote when the whole line was in memory, so the error depended on the chunking.
    /// Fix: CSVReader reads on before judging a field that the end of the buffer may have cut.
    @Test("The error for a row does not depend on where the read chunks end")
    func errorIndependentOfChunks() {
        let bytes = Array(",,at,,1\"".utf8)
        let expected = ImportError.syntax(SourceLocation(file: "t.csv", line: 1, column: 5),
                                          "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
        for size in [1, 2, 7, 105] {
            var reader = CSVReader(source: ChunkedSource(bytes, size: size), fileName: "t.csv")
            reader.maxFields = 4
            #expect(throws: expected, "chunks of \(size)") { _ = try reader.next() }
        }
        var whole = CSVReader(bytes: bytes, fileName: "t.csv")
        whole.maxFields = 4
        #expect(throws: expected) { _ = try whole.next() }
        // The same with a field limit: a field cut at the limit by the buffer's end is read on.
        let long = Array("abcdefgh,x\n".utf8)
        for size in 1...long.count {
            var reader = CSVReader(source: ChunkedSource(long, size: size), fileName: "t.csv")
            reader.maxFieldBytes = 8
            reader.maxFields = 1
            #expect(throws: ImportError.syntax(SourceLocation(file: "t.csv", line: 1, column: 2),
                                               "more than 1 columns in one row, remit's limit; is this the right file?"),
                    "chunks of \(size)") { _ = try reader.next() }
        }
    }
}

extension FuzzRegressionTests {
    /// FuzzECB, the second run: `<?xlT?>` then junk. A processing instruction without data is
    /// well-formed XML, but Foundation's XMLParser on Linux calls `strlen` on the null pointer
    /// libxml2 hands it for the missing data: a segmentation fault in `remit import rates`.
    /// Fix: ECBFile.readXML and the .xlsx metadata parts refuse processing instructions other
    /// than the XML declaration (`XMLInput.lineOfProcessingInstruction`).
    @Test("A processing instruction without data: an error, not a segmentation fault", arguments: [
        ("<?xlT?>\nF8\"<-:::::::::::::.:::::::::::2::date,bseINR,MXN,PHP,Z::::,sa:gesm:::m", 1),   // the crash as found
        ("<?a?><r/>", 1),
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gesmes:Envelope>\n<?x?></gesmes:Envelope>", 3),
        ("\u{FEFF}<?xml version=\"1.0\"?><Cube><?y data?></Cube>", 1),
    ])
    func processingInstruction(text: String, line: Int) {
        #expect(throws: ImportError.syntax(SourceLocation(file: "x.xml", line: line),
                                           "a processing instruction (<?…?>) other than the XML declaration; ECB files hold none")) {
            try ECBFile.readXML(Array(text.utf8), fileName: "x.xml")
        }
    }

    @Test("The XML declaration itself is not a processing instruction to refuse")
    func declarationAllowed() throws {
        #expect(XMLInput.lineOfProcessingInstruction(Array("<?xml version=\"1.0\"?><a/>".utf8)) == nil)
        #expect(XMLInput.lineOfProcessingInstruction([0xEF, 0xBB, 0xBF] + Array("<?xml\tversion='1.0'?>\n<a/>".utf8)) == nil)
        #expect(XMLInput.lineOfProcessingInstruction(Array("<?xml?><a/>".utf8)) == 1)
        #expect(XMLInput.lineOfProcessingInstruction(Array(" <?xml version=\"1.0\"?><a/>".utf8)) == 1)
        let daily = try ECBFile.readXML([UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("ecb/eurofxref-daily.xml")))),
                                        fileName: "eurofxref-daily.xml")
        #expect(daily.rows == 1)
    }

    @Test("A workbook part with a processing instruction is refused too")
    func workbookProcessingInstruction() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pi.xlsx").path
        let workbook = Array("<?xml version=\"1.0\"?>\n<workbook><?a?><sheets/></workbook>".utf8)
        try Data(XLSXReaderTests.StoredZip.archive([("xl/workbook.xml", workbook)])).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImportError.unreadable(file: path, reason: "xl/workbook.xml holds a processing instruction (<?…?>) at "
                                                   + "line 2, which workbooks never do; refusing it")) {
            try XLSXSheetReader.sheetNames(path: path)
        }
    }
}
