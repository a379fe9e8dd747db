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
    /// The most bytes one record may hold; a longer one is an error, not a memory blow-up.
    public var maxRecordBytes = 16 << 20
    /// The most fields one record may hold.
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
                if buffer.count - start > maxRecordBytes {
                    throw ImportError.syntax(.init(file: fileName, line: line), "a record is longer than \(maxRecordBytes) bytes")
                }
                try refill()
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
        let outcome: Result<(Int, Bool), ImportError> = buffer.withUnsafeBufferPointer { raw in
            var i = start
            let end = raw.count
            while true {
                // At the start of a field.
                let column = ends.count + 1
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
                    let fieldStart = i
                    while i < end {
                        let byte = raw[i]
                        if byte == comma || byte == lf || byte == cr { break }
                        if byte == quote {
                            return .failure(.syntax(.init(file: fileName, line: line + lines, column: column),
                                                    "a quote inside an unquoted field; quote the whole field and double the quote (\"\")"))
                        }
                        highBits |= byte
                        i += 1
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: raw[fieldStart..<i]))
                }
                ends.append(bytes.count)
                if ends.count > maxFields {
                    return .failure(.syntax(.init(file: fileName, line: line, column: column), "more than \(maxFields) columns in one row"))
                }
                guard i < end else {
                    return final ? .success((i, true)) : .success((i, false))
                }
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

    /// Drops consumed bytes and reads the next chunk.
    private mutating func refill() throws(ImportError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk: [UInt8]
        do { chunk = try source.read(maxCount: 1 << 18) } catch {
            throw ImportError.unreadable(file: fileName, reason: "\(error)")
        }
        if chunk.isEmpty { atEnd = true } else {
            bytesRead += Int64(chunk.count)
            buffer.append(contentsOf: chunk)
        }
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
public final class FileByteSource: ByteSource {
    private let handle: FileHandle

    /// Opens `path` for reading.
    public init(path: String) throws(ImportError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError.unreadable(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ImportError.unreadable(file: path, reason: "it is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(file: path, reason: "permission denied")
        }
        self.handle = handle
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        guard let data = try handle.read(upToCount: maxCount) else { return [] }
        return [UInt8](data)
    }

    deinit { try? handle.close() }
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
