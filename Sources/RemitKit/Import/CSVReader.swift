import Foundation

/// A streaming RFC 4180 CSV reader over bytes, with exact line and column positions.
///
/// Written here rather than taken from SwiftCSV or CSV.swift (both in the offline
/// package set) because imports need three things those do not give together:
/// positions for every error (line and column, also inside multi-line quoted
/// fields), rejection of invalid UTF-8 instead of silent replacement, and
/// chunked reading of files larger than memory without per-character `String`
/// work. `scripts/bench-csv.sh` measures it.
///
/// Accepted: `,` separators, `"` quoting with `""` escapes, LF, CRLF and lone CR
/// line ends, a leading UTF-8 byte-order mark, a missing final line end.
public struct CSVReader {
    /// One record: its fields and the line it starts on.
    public struct Record: Sendable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The 1-based line number where the record starts.
        public var line: Int
    }

    private let source: ByteSource
    private let fileName: String
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private var startedFile = false
    /// Bytes consumed from the source so far (for progress).
    public private(set) var bytesRead: Int64 = 0
    /// The most bytes one field may hold; longer ones are an error, not a memory blow-up.
    public var maxFieldBytes = 1 << 20
    /// The most fields one record may hold.
    public var maxFields = 4_096

    /// Reads CSV text from `source`; `fileName` is used in error messages.
    public init(source: ByteSource, fileName: String) {
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
            try fill(minimum: 3)
            if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                position += 3
            }
        }
        guard try peek() != nil else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var column = 1
        while true {
            // Start of a field.
            if try peek() == quote {
                position += 1
                let quoteLine = line
                while true {
                    guard let byte = try peek() else {
                        throw ImportError.syntax(.init(file: fileName, line: quoteLine, column: column),
                                                 "a quoted field is not closed before the end of the file")
                    }
                    position += 1
                    if byte == quote {
                        if try peek() == quote {
                            position += 1
                            field.append(quote)
                        } else {
                            break
                        }
                    } else {
                        if byte == lf {
                            line += 1
                        } else if byte == cr {
                            let following = try peek()
                            if following != lf { line += 1 }
                        }
                        field.append(byte)
                    }
                    if field.count > maxFieldBytes { throw tooLong(column) }
                }
                if let next = try peek(), next != comma, next != lf, next != cr {
                    throw ImportError.syntax(.init(file: fileName, line: line, column: column),
                                             "expected a separator after the closing quote, found \(Self.show(next))")
                }
            } else {
                while let byte = try peek(), byte != comma, byte != lf, byte != cr {
                    if byte == quote {
                        throw ImportError.syntax(.init(file: fileName, line: line, column: column),
                                                 "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
                    }
                    field.append(byte)
                    position += 1
                    if field.count > maxFieldBytes { throw tooLong(column) }
                }
            }
            guard let text = String(validating: field, as: UTF8.self) else {
                throw ImportError.syntax(.init(file: fileName, line: line, column: column),
                                         "the field is not valid UTF-8 text (save the file as UTF-8)")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            guard fields.count <= maxFields else {
                throw ImportError.syntax(.init(file: fileName, line: startLine, column: column),
                                         "more than \(maxFields) columns in one row")
            }
            switch try peek() {
            case comma?:
                position += 1
                column += 1
            case cr?:
                position += 1
                if try peek() == lf { position += 1 }
                line += 1
                return Record(fields: fields, line: startLine)
            case lf?:
                position += 1
                line += 1
                return Record(fields: fields, line: startLine)
            default:
                return Record(fields: fields, line: startLine)
            }
        }
    }

    private func tooLong(_ column: Int) -> ImportError {
        .syntax(.init(file: fileName, line: line, column: column), "a field is longer than \(maxFieldBytes) bytes")
    }

    private mutating func peek() throws(ImportError) -> UInt8? {
        if position >= buffer.count {
            try fill(minimum: 1)
            if position >= buffer.count { return nil }
        }
        return buffer[position]
    }

    private mutating func fill(minimum: Int) throws(ImportError) {
        while buffer.count - position < minimum, !atEnd {
            if position > 0 {
                buffer.removeSubrange(0..<position)
                position = 0
            }
            let chunk: [UInt8]
            do { chunk = try source.read(maxCount: 1 << 16) } catch {
                throw ImportError.unreadable(file: fileName, reason: "\(error)")
            }
            if chunk.isEmpty { atEnd = true } else {
                bytesRead += Int64(chunk.count)
                buffer.append(contentsOf: chunk)
            }
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
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(file: path, reason: FileManager.default.fileExists(atPath: path)
                ? "permission denied" : "no such file")
        }
        self.handle = handle
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        guard let data = try handle.read(upToCount: maxCount) else { return [] }
        return [UInt8](data)
    }

    deinit { try? handle.close() }
}
