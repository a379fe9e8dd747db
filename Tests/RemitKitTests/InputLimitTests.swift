import CZlib
import Foundation
import Testing
@testable import RemitKit

/// Hostile and absurd inputs end in a clear error, in bounded memory and time, with the database untouched.
///
/// The limits are documented in docs/formats.md ("Limits"). The full-size runs (a 2 GB file of random
/// bytes, a 1 GB zip bomb written by Python's zipfile) are in scripts/limits.sh; these tests use
/// inputs of a few MB to a few tens of MB, and synthetic endless sources, so they stay fast.
@Suite("Input limits")
struct InputLimitTests {
    // MARK: Through a whole import

    /// A database holding one real import, its snapshot, and a folder for the hostile files.
    final class Fixture {
        let temp: TemporaryDatabase
        let before: [String]

        init() throws {
            temp = try TemporaryDatabase()
            _ = try temp.database.importFile(ImportSource(path: fixture("rpw/rpw-new-layout.csv"), format: .rpw))
            before = try temp.snapshot()
        }

        /// Writes `bytes` to a file in the database's temporary folder.
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = temp.folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        /// Imports `path` as `format`; returns the ``ImportError`` it must end in, having checked that
        /// it ended within `seconds` and that the database is exactly as before.
        func failure(_ path: String, _ format: ImportSource.Format, seconds: Double = 10,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ImportError? {
            let started = Date()
            var failure: ImportError?
            do {
                _ = try temp.database.importFile(ImportSource(path: path, format: format))
                Issue.record("the import of \(path) as \(format) succeeded", sourceLocation: sourceLocation)
            } catch let error as ImportError {
                failure = error
            } catch {
                Issue.record("expected an ImportError, got \(error)", sourceLocation: sourceLocation)
            }
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed < seconds, "took \(elapsed) s", sourceLocation: sourceLocation)
            #expect(try temp.snapshot() == before, "the database changed", sourceLocation: sourceLocation)
            return failure
        }
    }

    static let rpwHeader = (try? String(contentsOfFile: fixture("rpw/rpw-new-layout.csv"), encoding: .utf8))?
        .split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""

    @Test("A field over 1 MiB: the file, line and column, for every CSV format")
    func longField() throws {
        let fixture = try Fixture()
        let long = String(repeating: "x", count: (1 << 20) + 1)
        let rpw = try fixture.write("field.csv", Array((Self.rpwHeader + "\n1001,2025_3Q,KEN,\(long)\n").utf8))
        let message = "a field longer than 1 MiB (1,048,576 bytes), remit's limit for one field; is this the right file?"
        #expect(try fixture.failure(rpw, .rpw) == .syntax(SourceLocation(file: rpw, line: 2, column: 4), message))
        // Inside quotes, and spread over lines, it is the same limit, reported where the field starts.
        let quoted = try fixture.write("quoted.csv", Array(("date,base,quote,rate\n2026-01-01,\"\n\(long)\",EUR,1\n").utf8))
        #expect(try fixture.failure(quoted, .rates) == .syntax(SourceLocation(file: quoted, line: 2, column: 2), message))
        for format in [ImportSource.Format.schedules, .flows] {
            let path = try fixture.write("field-\(format).csv", Array("\(long),b\n".utf8))
            #expect(try fixture.failure(path, format) == .syntax(SourceLocation(file: path, line: 1, column: 1), message))
        }
    }

    @Test("A row over 10 MiB made of fields under 1 MiB")
    func longRow() throws {
        let fixture = try Fixture()
        let field = Array(repeating: UInt8(ascii: "y"), count: 1_000_000)
        var bytes = Array((Self.rpwHeader + "\n").utf8)
        for _ in 0..<11 { bytes += field + [UInt8(ascii: ",")] }
        bytes += Array("z\n".utf8)
        let path = try fixture.write("row.csv", bytes)
        #expect(try fixture.failure(path, .rpw)
                == .syntax(SourceLocation(file: path, line: 2, column: 11),
                           "a row longer than 10 MiB (10,485,760 bytes), remit's limit for one row; is this the right file?"))
    }

    @Test("10,000 columns stop at the 4,097th")
    func manyColumns() throws {
        let fixture = try Fixture()
        let header = (1...10_000).map { "c\($0)" }.joined(separator: ",")
        let path = try fixture.write("wide.csv", Array((header + "\n" + String(repeating: "1,", count: 9_999) + "1\n").utf8))
        let message = "more than 4,096 columns in one row, remit's limit; is this the right file?"
        for format in [ImportSource.Format.rpw, .schedules, .rates, .flows] {
            #expect(try fixture.failure(path, format) == .syntax(SourceLocation(file: path, line: 1, column: 4_097), message))
        }
    }

    @Test("32 MiB of random bytes, and of NUL bytes, in every format: a clear error at once")
    func garbage() throws {
        let fixture = try Fixture()
        var generator = SeededGenerator(seed: 2_026)
        var random = [UInt8](repeating: 0, count: 32 << 20)
        random.withUnsafeMutableBytes { buffer in
            let words = buffer.bindMemory(to: UInt64.self)
            for index in words.indices { words[index] = generator.next() }
        }
        random[0] = 0xC3   // not '<' nor "PK": the CSV readers get it
        let noise = try fixture.write("noise.bin", random)
        for format in ImportSource.Format.allCases where format != .rpwXLSX {
            let error = try fixture.failure(noise, format)
            // Random bytes are not UTF-8, or hold a stray quote, within the first few hundred bytes.
            guard case let .syntax(location, problem)? = error else {
                Issue.record("\(format): expected a syntax error, got \(String(describing: error))")
                continue
            }
            #expect(location.line <= 3, "\(format): \(String(describing: error))")
            #expect(problem.contains("UTF-8") || problem.contains("quote"), "\(format): \(problem)")
        }
        let zeros = try fixture.write("zeros.bin", [UInt8](repeating: 0, count: 32 << 20))
        for format in ImportSource.Format.allCases where format != .rpwXLSX {
            #expect(try fixture.failure(zeros, format)
                    == .syntax(SourceLocation(file: zeros, line: 1, column: 1),
                               "a field longer than 1 MiB (1,048,576 bytes), remit's limit for one field; is this the right file?"),
                    "\(format)")
        }
        // Random bytes behind a ZIP signature: not a workbook.
        var zipped = random
        zipped.replaceSubrange(0..<4, with: [0x50, 0x4B, 0x03, 0x04])
        let fake = try fixture.write("fake.xlsx", Array(zipped.prefix(4 << 20)))
        guard case let .unreadable(file, reason)? = try fixture.failure(fake, .rpw) else {
            Issue.record("expected .unreadable")
            return
        }
        #expect(file == fake && reason.hasPrefix("not an .xlsx workbook"))
    }

    @Test("An ECB XML file over 64 MiB is refused before it is read into memory")
    func hugeXML() throws {
        let fixture = try Fixture()
        let head = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gesmes:Envelope>".utf8)
        let path = try fixture.write("eurofxref-hist.xml", head + [UInt8](repeating: UInt8(ascii: " "), count: Int(ECBFile.maximumXMLBytes)))
        guard case let .unreadable(file, reason)? = try fixture.failure(path, .rates) else {
            Issue.record("expected .unreadable")
            return
        }
        #expect(file == path && reason.hasPrefix("an ECB XML file larger than 64 MiB (found 64 MiB)"))
    }

    // MARK: Zip bombs

    @Test("A 1 GiB sheet packed into 1 MiB is refused before anything is unpacked")
    func zipBomb() throws {
        let fixture = try Fixture()
        let bomb = BombWorkbook.make(cellBytes: 1 << 30)
        #expect(bomb.sheet.size >= 1 << 30)
        #expect(bomb.sheet.size / UInt64(bomb.sheet.data.count) > 1_000)   // deflate's best is about 1,030:1
        let path = try fixture.write("bomb.xlsx", bomb.archive())
        guard case let .unreadable(file, reason)? = try fixture.failure(path, .rpw, seconds: 5) else {
            Issue.record("expected .unreadable")
            return
        }
        #expect(file == path)
        #expect(reason.hasPrefix("the sheet 'Dataset (from Q2 2016)' would unpack to 1.0 GiB from "))
        #expect(reason.hasSuffix("more than 1000 times its compressed size; refusing it as a likely zip bomb"))
    }

    @Test("The same bomb declaring 8 MiB is stopped once it unpacks past 8 MiB")
    func lyingZipBomb() throws {
        let fixture = try Fixture()
        // Empty rows after an RPW header: the reader keeps unpacking, and the declared size stops it.
        let header = "<row r=\"1\">" + Self.rpwHeader.split(separator: ",").map {
            "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>"
        }.joined() + "</row>"
        let bomb = BombWorkbook.make(prefix: header, chunk: String(repeating: "<row/>", count: (4 << 20) / 6), repeats: 256,
                                     declaredSize: 8 << 20)
        let path = try fixture.write("lying.xlsx", bomb.archive())
        #expect(try fixture.failure(path, .rpw, seconds: 10)
                == .unreadable(file: path, reason: "the sheet 'Dataset (from Q2 2016)' unpacks to more than the 8388608 bytes "
                               + "the archive declares; refusing it (a damaged file or a zip bomb)"))
    }

    @Test("Past the ratio guard, a bomb's giant cell stops at 1 MiB, with only a few chunks in memory")
    func bombCell() throws {
        let fixture = try Fixture()
        let path = try fixture.write("bomb.xlsx", BombWorkbook.make(cellBytes: 1 << 30).archive())
        var limits = XLSXLimits()
        limits.maxRatio = .max
        var reader = try XLSXSheetReader(path: path, sheet: BombWorkbook.sheetName, limits: limits)
        let started = Date()
        #expect(throws: ImportError.syntax(SourceLocation(file: "\(path) [\(BombWorkbook.sheetName)]", line: 1, column: 1),
                                           "the cell A1 holds more than 1 MiB (1,048,576 bytes) of text, remit's limit for "
                                               + "one cell; is this the right file?")) {
            while try reader.next() != nil {}
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(reader.peakBufferedBytes < 1 << 20)
    }

    // MARK: Endless sources straight into the CSV reader

    /// `pattern` repeated without end (up to `cap` bytes, a safety stop for a failing test).
    final class EndlessSource: ByteSource {
        let pattern: [UInt8]
        let prefix: [UInt8]
        let cap: Int64
        private(set) var delivered: Int64 = 0
        /// Where in `pattern` the next byte comes from.
        private var phase = 0

        init(prefix: String = "", pattern: [UInt8], cap: Int64 = 1 << 30) {
            self.prefix = Array(prefix.utf8)
            self.pattern = pattern
            self.cap = cap
        }

        func read(maxCount: Int) -> [UInt8] {
            guard delivered < cap else { return [] }
            var out: [UInt8] = delivered == 0 ? prefix : []
            out.reserveCapacity(maxCount)
            while out.count < maxCount {
                let take = min(pattern.count - phase, maxCount - out.count)
                out += pattern[phase..<(phase + take)]
                phase = (phase + take) % pattern.count
            }
            delivered += Int64(out.count)
            return out
        }
    }

    /// Reads `source` to its error; returns the error and how many bytes were taken from the source.
    static func endless(_ source: EndlessSource) -> (ImportError?, Int64) {
        var reader = CSVReader(source: source, fileName: "endless.csv")
        do {
            while try reader.next() != nil {}
            return (nil, source.delivered)
        } catch {
            return (error, source.delivered)
        }
    }

    @Test("Endless input: one field, a quoted field, short fields, long fields — each stops after a few MiB")
    func endlessInputs() {
        let field = "a field longer than 1 MiB (1,048,576 bytes), remit's limit for one field; is this the right file?"
        var (error, read) = Self.endless(EndlessSource(pattern: [0x78]))
        #expect(error == .syntax(SourceLocation(file: "endless.csv", line: 1, column: 1), field))
        #expect(read <= 4 << 20)
        (error, read) = Self.endless(EndlessSource(prefix: "a,b\nc,\"", pattern: Array("\r\nquoted \"\" text ".utf8)))
        #expect(error == .syntax(SourceLocation(file: "endless.csv", line: 2, column: 2), field))
        #expect(read <= 4 << 20)
        (error, read) = Self.endless(EndlessSource(pattern: Array("1234,".utf8)))
        #expect(error == .syntax(SourceLocation(file: "endless.csv", line: 1, column: 4_097),
                                 "more than 4,096 columns in one row, remit's limit; is this the right file?"))
        #expect(read <= 1 << 20)
        (error, read) = Self.endless(EndlessSource(pattern: Array(repeating: 0x7A, count: 1 << 20 - 1) + [0x2C]))
        #expect(error == .syntax(SourceLocation(file: "endless.csv", line: 1, column: 11),
                                 "a row longer than 10 MiB (10,485,760 bytes), remit's limit for one row; is this the right file?"))
        #expect(read <= 32 << 20)
    }

    @Test("Rows just under the limits are read; the limits are on bytes as written")
    func justUnderTheLimits() throws {
        let field = String(repeating: "w", count: 1 << 20)
        var reader = CSVReader(bytes: Array("a,b\n\(field),\"\(String(repeating: "v", count: (1 << 20) - 2))\"\n".utf8),
                               fileName: "t.csv")
        #expect(try reader.next()?.count == 2)
        let record = try #require(try reader.next())
        #expect(record.range(0).count == 1 << 20 && record.range(1).count == (1 << 20) - 2)
        #expect(try reader.next() == nil)
        // A row of exactly 10 MiB: eleven fields of 953,250 bytes and ten commas.
        let part = Array(repeating: UInt8(ascii: "u"), count: 953_250)
        var bytes: [UInt8] = []
        for index in 0..<11 { bytes += (index > 0 ? [UInt8(ascii: ",")] : []) + part }
        #expect(bytes.count == 10 << 20)
        bytes.append(UInt8(ascii: "\n"))
        var exact = CSVReader(bytes: bytes, fileName: "t.csv")
        #expect(try exact.next()?.count == 11)
        var over = CSVReader(bytes: [UInt8(ascii: "u")] + bytes, fileName: "t.csv")
        #expect(throws: ImportError.self) { _ = try over.next() }
    }
}

/// A workbook whose only dataset sheet holds a deflate bomb, built in memory with zlib: a chunk
/// compressed once behind a full flush (so it refers to nothing before it) and its bytes repeated.
struct BombWorkbook {
    static let sheetName = "Dataset (from Q2 2016)"

    struct Entry {
        var name: String
        var data: [UInt8]
        var method: UInt16
        var size: UInt64
        var crc: UInt32
    }

    var sheet: Entry
    var declaredSize: UInt64

    /// A sheet whose cell A1 holds `cellBytes` letters A.
    static func make(cellBytes: Int) -> BombWorkbook {
        let chunk = 4 << 20
        return make(prefix: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>", chunk: String(repeating: "A", count: chunk),
                    repeats: cellBytes / chunk, suffix: "</t></is></c></row>")
    }

    /// A sheet of `prefix`, `chunk` × `repeats` and `suffix` inside `<sheetData>`.
    static func make(prefix: String, chunk: String, repeats: Int, suffix: String = "",
                     declaredSize: UInt64? = nil) -> BombWorkbook {
        let head = Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
            + "spreadsheetml/2006/main\"><sheetData>" + prefix).utf8)
        let tail = Array((suffix + "</sheetData></worksheet>").utf8)
        let body = Array(chunk.utf8)
        var stream = z_stream()
        _ = deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        func compress(_ input: [UInt8], _ flush: Int32) -> [UInt8] {
            var input = input
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            input.withUnsafeMutableBufferPointer { inBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                repeat {
                    buffer.withUnsafeMutableBufferPointer { outBuffer in
                        stream.next_out = outBuffer.baseAddress
                        stream.avail_out = uInt(outBuffer.count)
                        _ = deflate(&stream, flush)
                        output += outBuffer[0..<(outBuffer.count - Int(stream.avail_out))]
                    }
                } while stream.avail_out == 0 || stream.avail_in > 0
            }
            return output
        }
        let first = compress(head, Z_FULL_FLUSH)
        let middle = compress(body, Z_FULL_FLUSH)
        let last = compress(tail, Z_FINISH)
        var data = first
        data.reserveCapacity(first.count + middle.count * repeats + last.count)
        for _ in 0..<repeats { data += middle }
        data += last
        // The CRC of the whole, without computing over a gigabyte: combine the chunk's CRC by doubling.
        func crc(_ bytes: [UInt8]) -> uLong { bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) } }
        var total = crc(head)
        var power = crc(body), powerLength = body.count, remaining = repeats
        var bodyCRC: uLong = 0, bodyLength = 0
        while remaining > 0 {
            if remaining & 1 == 1 {
                bodyCRC = bodyLength == 0 ? power : crc32_combine(bodyCRC, power, off_t(powerLength))
                bodyLength += powerLength
            }
            power = crc32_combine(power, power, off_t(powerLength))
            powerLength *= 2
            remaining >>= 1
        }
        if bodyLength > 0 { total = crc32_combine(total, bodyCRC, off_t(bodyLength)) }
        total = crc32_combine(total, crc(tail), off_t(tail.count))
        let size = UInt64(head.count) + UInt64(body.count) * UInt64(repeats) + UInt64(tail.count)
        return BombWorkbook(sheet: Entry(name: "xl/worksheets/sheet1.xml", data: data, method: 8, size: size, crc: UInt32(total)),
                            declaredSize: declaredSize ?? size)
    }

    /// The .xlsx file: the workbook parts (stored) and the sheet (deflated, ZIP64 sizes when needed).
    func archive() -> [UInt8] {
        let ns = "http://schemas.openxmlformats.org"
        func stored(_ name: String, _ text: String) -> Entry {
            let bytes = Array(text.utf8)
            return Entry(name: name, data: bytes, method: 0, size: UInt64(bytes.count),
                         crc: UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }))
        }
        var sheet = self.sheet
        sheet.size = declaredSize
        let entries = [
            stored("xl/workbook.xml", "<workbook xmlns=\"\(ns)/spreadsheetml/2006/main\" xmlns:r=\"\(ns)/officeDocument/"
                + "2006/relationships\"><sheets><sheet name=\"\(Self.sheetName)\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            stored("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"\(ns)/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(ns)/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            sheet,
        ]
        func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let offset = UInt32(out.count)
            let name = Array(entry.name.utf8)
            let zip64 = entry.size >= 0xFFFF_FFFF
            let extra = zip64 ? le16(1) + le16(16) + le64(entry.size) + le64(UInt64(entry.data.count)) : []
            let size32 = zip64 ? UInt32.max : UInt32(entry.size)
            out += le32(0x0403_4B50) + le16(45) + le16(0) + le16(entry.method) + le16(0) + le16(0x21)
            out += le32(entry.crc) + le32(zip64 ? .max : UInt32(entry.data.count)) + le32(size32)
            out += le16(UInt16(name.count)) + le16(UInt16(extra.count)) + name + extra + entry.data
            central += le32(0x0201_4B50) + le16(45) + le16(45) + le16(0) + le16(entry.method) + le16(0) + le16(0x21)
            central += le32(entry.crc) + le32(zip64 ? .max : UInt32(entry.data.count)) + le32(size32)
            central += le16(UInt16(name.count)) + le16(UInt16(extra.count)) + le16(0) + le16(0) + le16(0) + le32(0)
            central += le32(offset) + name + extra
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return out
    }
}
