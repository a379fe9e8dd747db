import Foundation
import Testing
@testable import RemitKit

@Suite("CSV reader")
struct CSVReaderTests {
    func records(_ text: String, chunk: Int = 1 << 16) throws -> [[String]] {
        try records(Array(text.utf8))
    }

    func records(_ bytes: [UInt8]) throws -> [[String]] {
        var reader = CSVReader(bytes: bytes, fileName: "t.csv")
        var out: [[String]] = []
        while let record = try reader.next() { out.append(record.fields) }
        return out
    }

    @Test("Quoted fields hold commas, doubled quotes and line ends")
    func quoting() throws {
        let rows = try records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n")
        #expect(rows == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"]])
    }

    @Test("CRLF, lone CR and a missing final line end")
    func lineEnds() throws {
        #expect(try records("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\r1,2") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test("A UTF-8 byte-order mark is skipped")
    func byteOrderMark() throws {
        #expect(try records([0xEF, 0xBB, 0xBF] + Array("name\nx\n".utf8)) == [["name"], ["x"]])
    }

    @Test("Empty fields and trailing separators are kept")
    func emptyFields() throws {
        #expect(try records(",a,,\n") == [["", "a", "", ""]])
    }

    @Test("Line numbers count lines inside quoted fields")
    func lineNumbers() throws {
        var reader = CSVReader(bytes: Array("h\n\"a\nb\"\nc\n".utf8), fileName: "t.csv")
        #expect(try reader.next()?.line == 1)
        #expect(try reader.next()?.line == 2)
        #expect(try reader.next()?.line == 4)
    }

    @Test("An unclosed quote is reported where it opened")
    func unclosedQuote() {
        #expect(throws: ImportError.syntax(SourceLocation(file: "t.csv", line: 2, column: 2),
                                           "a quoted field is not closed before the end of the file")) {
            try records("a,b\n1,\"oops\n2,3\n")
        }
    }

    @Test("A stray quote inside an unquoted field is an error at its line and column")
    func strayQuote() {
        #expect(throws: ImportError.self) { try records("a,b\n1,5\" screen\n") }
        do {
            _ = try records("a,b\n1,5\" screen\n")
        } catch let error as ImportError {
            #expect(error.description.hasPrefix("t.csv:2:2: a quote inside an unquoted field"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("Invalid UTF-8 is refused, not replaced")
    func invalidUTF8() throws {
        let bytes = Array("a,b\n1,caf".utf8) + [0xE9] + Array("\n".utf8)  // Latin-1 é
        do {
            _ = try records(bytes)
            Issue.record("expected an error")
        } catch let error as ImportError {
            #expect(error.description == "t.csv:2:2: the field is not valid UTF-8 text (save the file as UTF-8)")
        }
    }

    @Test("Records over the size limit fail instead of growing without bound")
    func recordLimit() {
        var reader = CSVReader(bytes: Array(("a\n" + String(repeating: "x", count: 2_000_000)).utf8), fileName: "t.csv")
        reader.maxRecordBytes = 1_000_000
        #expect(throws: ImportError.syntax(SourceLocation(file: "t.csv", line: 2, column: 1),
                                           "a row longer than 1,000,000 bytes, remit's limit for one row; is this the right file?")) {
            while try reader.next() != nil {}
        }
    }

    @Test("Too many columns fail with the line")
    func columnLimit() {
        var reader = CSVReader(bytes: Array(String(repeating: ",", count: 50).utf8), fileName: "t.csv")
        reader.maxFields = 10
        #expect(throws: ImportError.self) { _ = try reader.next() }
    }

    @Test("Every way of splitting the input into chunks gives the same records")
    func chunkSplits() throws {
        let text = "h1,h2\r\n\"a,\"\"b\"\"\r\nc\",d\r\n\"\",\r\nlast,\"x\""
        let expected = [["h1", "h2"], ["a,\"b\"\r\nc", "d"], ["", ""], ["last", "x"]]
        for size in 1...8 {
            var reader = CSVReader(source: ChunkedSource(Array(text.utf8), size: size), fileName: "t.csv")
            var rows: [[String]] = []
            while let record = try reader.next() { rows.append(record.fields) }
            #expect(rows == expected, "chunk size \(size)")
        }
    }

    @Test("Records spanning read chunks are read whole")
    func chunkBoundaries() throws {
        let long = String(repeating: "z", count: 200_000)
        let rows = try records("a,b\n\"\(long)\",\(long)\n")
        #expect(rows.count == 2)
        #expect(rows[1][0].count == 200_000 && rows[1][1].count == 200_000)
    }
}

/// Hands out bytes a few at a time, to put chunk boundaries everywhere.
final class ChunkedSource: ByteSource {
    private let bytes: [UInt8]
    private let size: Int
    private var offset = 0

    init(_ bytes: [UInt8], size: Int) {
        self.bytes = bytes
        self.size = size
    }

    func read(maxCount: Int) -> [UInt8] {
        let end = min(bytes.count, offset + min(size, maxCount))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
