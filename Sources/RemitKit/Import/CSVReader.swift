import Foundation

/// A streaming RFC 4180 CSV reader over bytes, with exact line and column positions.
///
/// Written here rather than taken from SwiftCSV or CSV.swift (both in the offline
/// package set) because imports need three things those do not give together:
/// positions for every error (line and column, also inside multi-line quoted
/// fields), rejection of invalid UTF-8 instead of silent replacement, and
/// chunked reading of files larger than memory without per-character `String`
/// work: a record is its fields' bytes in one array, decoded only when a field
/// is used. `scripts/bench-import.sh` measures the whole import path.
///
/// Accepted: `,` separators, `"` quoting with `""` escapes, LF, CRLF and lone CR
/// line ends, a leading UTF-8 byte-order mark, a missing final line end.
public struct CSVReader: RecordSource {
    public typealias Record = TextRecord

    private let source: any ByteSource
    private let fileName: String
    private var buffer: [UInt8] = []
    /// The first byte not yet consumed.
    private var start = 0
    private var atEnd = false
    private var line = 1
    private var startedFile = false
    /// Bytes consumed from the source so far (for progress).
    public private(set) var bytesRead: Int64 = 0
    /// The most bytes one row (record) may span, separators and quotes included, line end
    /// excluded: 10 MiB. A longer row is an error, not a memory blow-up (see docs/formats.md, "Limits").
    public var maxRecordBytes = 10 << 20
    /// The most bytes one field may hold as written, quotes included: 1 MiB.
    public var maxFieldBytes = 1 << 20
    /// The most fields one row may hold.
    public var maxFields = 4_096

    /// Reads CSV text from `source`; `fileName` is used in error messages.
    public init(source: any ByteSource, fileName: String) {
        self.source = source
        self.fileName = fileName
    }

    /// Reads CSV from bytes in memory.
    public init(bytes: [UInt8], fileName: String) {
        self.init(source: MemoryByteSource(bytes), fileName: fileName)
    }

    /// The next record, or `nil` at the end of the input.
    public mutating func next() throws(ImportError) -> Record? {
        if !startedFile {
            startedFile = true
            try refill()
            while buffer.count - start < 3, !atEnd { try refill() }
            if buffer.count - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
                start += 3
            }
        }
        while true {
            if start == buffer.count {
                if atEnd { return nil }
                try refill()
                continue
            }
            switch try parse() {
            case let .record(record, next, lines):
                start = next
                line += lines
                return record
            case .needMore:
                guard !atEnd else { throw ImportError.syntax(.init(file: fileName, line: line), "unexpected end of file") }
                // `parse` stops at the first byte past a limit, so a pending row stays within the limits;
                // this only guards memory should that ever change.
                if buffer.count - start > min(maxRecordBytes, Int.max / 4) + min(maxFieldBytes, Int.max / 4) + 16 {
                    throw ImportError.syntax(.init(file: fileName, line: line), Self.rowTooLong(maxRecordBytes))
                }
                // Read at least as much again as is pending, so a long row is scanned O(n) times in all, not O(n²).
                try refill(atLeast: buffer.count - start)
            }
        }
    }

    private enum Outcome {
        case record(Record, next: Int, lines: Int)
        case needMore
    }

    /// Parses one record starting at `start`; asks for more bytes if the buffer ends inside it
    /// (unless the source is exhausted, when the end of the buffer ends the record).
    private func parse() throws(ImportError) -> Outcome {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        bytes.reserveCapacity(256)
        ends.reserveCapacity(48)
        var lines = 0
        var highBits: UInt8 = 0
        let final = atEnd
        // Limits are checked by position in the row, never by how much happens to be buffered, so
        // the outcome does not depend on how the input is split into chunks.
        let maxRecordBytes = min(max(maxRecordBytes, 0), Int.max / 4)
        let maxFieldBytes = min(max(maxFieldBytes, 0), Int.max / 4)
        let rowBound = start + maxRecordBytes
        let outcome: Result<(Int, Bool), ImportError> = buffer.withUnsafeBufferPointer { raw in
            var i = start
            let end = raw.count
            /// The error for a byte of the field starting at `fieldStart` found at or past `bound`.
            func limitError(fieldStart: Int, fieldLine: Int, column: Int) -> ImportError {
                fieldStart + maxFieldBytes <= rowBound
                    ? .syntax(.init(file: fileName, line: fieldLine, column: column), Self.fieldTooLong(maxFieldBytes))
                    : .syntax(.init(file: fileName, line: line, column: column), Self.rowTooLong(maxRecordBytes))
            }
            while true {
                // At the start of a field.
                let column = ends.count + 1
                if i > rowBound {
                    return .failure(.syntax(.init(file: fileName, line: line, column: column), Self.rowTooLong(maxRecordBytes)))
                }
                let fieldStart = i
                // The first index that would make the field, or the row, too long.
                let bound = min(fieldStart + maxFieldBytes, rowBound)
                if i < end, raw[i] == quote {
                    let quoteLine = line + lines
                    i += 1
                    while true {
                        guard i < end else {
                            if final {
                                return .failure(.syntax(.init(file: fileName, line: quoteLine, column: column),
                                                        "a quoted field is not closed before the end of the file"))
                            }
                            return .success((i, false))
                        }
                        if i >= bound { return .failure(limitError(fieldStart: fieldStart, fieldLine: quoteLine, column: column)) }
                        let byte = raw[i]
                        if byte == quote {
                            guard i + 1 < end || final else { return .success((i, false)) }
                            if i + 1 < end, raw[i + 1] == quote {
                                bytes.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if byte == lf {
                            lines += 1
                        } else if byte == cr {
                            guard i + 1 < end || final else { return .success((i, false)) }
                            if !(i + 1 < end && raw[i + 1] == lf) { lines += 1 }
                        }
                        highBits |= byte
                        bytes.append(byte)
                        i += 1
                    }
                    if i < end, raw[i] != comma, raw[i] != lf, raw[i] != cr {
                        return .failure(.syntax(.init(file: fileName, line: line + lines, column: column),
                                                "expected a separator after the closing quote, found \(Self.show(raw[i]))"))
                    }
                } else {
                    let stop = min(end, bound)
                    while i < stop {
                        let byte = raw[i]
                        if byte == comma || byte == lf || byte == cr { break }
                        if byte == quote {
                            return .failure(.syntax(.init(file: fileName, line: line + lines, column: column),
                                                    "a quote inside an unquoted field; quote the whole field and double the quote (\"\")"))
                        }
                        highBits |= byte
                        i += 1
                    }
                    if i == bound, i < end, raw[i] != comma, raw[i] != lf, raw[i] != cr {
                        return .failure(limitError(fieldStart: fieldStart, fieldLine: line + lines, column: column))
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: raw[fieldStart..<i]))
                }
                ends.append(bytes.count)
                // A field cut by the end of the buffer may go on: read more before judging the row.
                guard i < end || final else { return .success((i, false)) }
                if ends.count > maxFields {
                    return .failure(.syntax(.init(file: fileName, line: line, column: column),
                                            "more than \(Self.count(maxFields)) columns in one row, remit's limit; is this the right file?"))
                }
                guard i < end else { return .success((i, true)) }
                switch raw[i] {
                case comma:
                    i += 1
                    if i == end && !final { return .success((i, false)) }
                case cr:
                    guard i + 1 < end || final else { return .success((i, false)) }
                    i += (i + 1 < end && raw[i + 1] == lf) ? 2 : 1
                    lines += 1
                    return .success((i, true))
                default: // lf
                    i += 1
                    lines += 1
                    return .success((i, true))
                }
            }
        }
        let (next, complete): (Int, Bool)
        switch outcome {
        case let .success(value): (next, complete) = value
        case let .failure(error): throw error
        }
        guard complete else { return .needMore }
        let record = TextRecord(bytes: bytes, ends: ends, line: line)
        if highBits & 0x80 != 0 {
            for index in 0..<record.count where String(validating: record.bytes[record.range(index)], as: UTF8.self) == nil {
                throw ImportError.syntax(.init(file: fileName, line: line, column: index + 1),
                                         "the field is not valid UTF-8 text (save the file as UTF-8)")
            }
        }
        return .record(record, next: next, lines: lines)
    }

    /// Drops consumed bytes and reads the next chunk: 256 KiB, or `atLeast` bytes if more.
    private mutating func refill(atLeast: Int = 0) throws(ImportError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk: [UInt8]
        do { chunk = try source.read(maxCount: max(1 << 18, atLeast)) } catch {
            throw ImportError.unreadable(file: fileName, reason: "\(error)")
        }
        if chunk.isEmpty { atEnd = true } else {
            bytesRead += Int64(chunk.count)
            buffer.append(contentsOf: chunk)
        }
    }

    /// The message for a row over ``maxRecordBytes``.
    static func rowTooLong(_ limit: Int) -> String {
        "a row longer than \(size(limit)), remit's limit for one row; is this the right file?"
    }

    /// The message for a field over ``maxFieldBytes``.
    static func fieldTooLong(_ limit: Int) -> String {
        "a field longer than \(size(limit)), remit's limit for one field; is this the right file?"
    }

    /// `1 MiB (1,048,576 bytes)`, `64 KiB (65,536 bytes)` or `300 bytes`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB (\(count(bytes)) bytes)" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB (\(count(bytes)) bytes)" }
        return "\(count(bytes)) bytes"
    }

    /// A count with thousands separators: `10,485,760`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }

    static func show(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }
}

private let quote = UInt8(ascii: "\"")
private let comma = UInt8(ascii: ",")
private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")

/// Where bytes come from: a file read in chunks, or memory.
public protocol ByteSource: AnyObject {
    /// Up to `maxCount` more bytes; empty at the end.
    func read(maxCount: Int) throws -> [UInt8]
}

/// Bytes held in memory.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(maxCount: Int) -> [UInt8] {
        let end = min(bytes.count, offset + maxCount)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// A file read in chunks, so memory stays flat whatever its size.
///
/// Reads with `read(2)` straight into the returned array: going through `FileHandle` and `Data`
/// copied every byte once more, which an import of a large survey file (hashed, then parsed) felt.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32

    /// Opens `path` for reading.
    public init(path: String) throws(ImportError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError.unreadable(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ImportError.unreadable(file: path, reason: "it is a folder, not a file") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw ImportError.unreadable(file: path, reason: code == EACCES ? "permission denied" : String(cString: strerror(code)))
        }
        self.descriptor = descriptor
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        guard maxCount > 0 else { return [] }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
            count = 0
            while count < buffer.count {
                let got = Foundation.read(descriptor, buffer.baseAddress.map { $0 + count }, buffer.count - count)
                if got > 0 {
                    count += got
                } else if got == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
        return bytes
    }

    deinit { close(descriptor) }
}

/// One row of a table read from a file: its fields' text and the line (or sheet row) it starts on.
public struct TextRecord: Sendable {
    /// Every field's UTF-8 bytes, one after the other.
    public let bytes: [UInt8]
    /// Where each field ends in ``bytes``.
    public let ends: [Int]
    /// The 1-based line number (CSV) or row number (spreadsheet) where the record starts.
    public let line: Int

    /// A record from bytes already split into fields (the CSV reader's fast path).
    public init(bytes: [UInt8], ends: [Int], line: Int) {
        self.bytes = bytes
        self.ends = ends
        self.line = line
    }

    /// A record from field texts (spreadsheets and tests).
    public init(fields: [String], line: Int) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            ends.append(bytes.count)
        }
        self.init(bytes: bytes, ends: ends, line: line)
    }

    /// The number of fields.
    public var count: Int { ends.count }

    /// The byte range of field `index`.
    public func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    /// Field `index` as text.
    public func field(_ index: Int) -> String {
        String(decoding: bytes[range(index)], as: UTF8.self)
    }

    /// All fields as text.
    public var fields: [String] { (0..<count).map(field) }
}

/// Anything that yields table rows one at a time: a CSV file, a spreadsheet's sheet.
public protocol RecordSource {
    /// The next row, or `nil` at the end.
    mutating func next() throws(ImportError) -> TextRecord?
    /// Bytes of the underlying file consumed so far (for progress).
    var bytesRead: Int64 { get }
    /// Whether rows may stop at their last non-empty cell (spreadsheets), rather than have every field.
    var allowsShortRows: Bool { get }
}

extension RecordSource {
    public var allowsShortRows: Bool { false }
}
