import CZlib
import Foundation

/// One entry of a ZIP archive's central directory.
struct ZipEntry: Sendable {
    /// The entry's path inside the archive, e.g. `xl/worksheets/sheet1.xml`.
    let path: String
    let compressedSize: UInt64
    let uncompressedSize: UInt64
    /// The CRC-32 the archive declares for the unpacked bytes.
    let checksum: UInt32
    /// 0 (stored) or 8 (deflate); anything else cannot be read.
    let method: UInt16
    /// Whether the entry is a file (not a folder), and not encrypted.
    let isFile: Bool
    let isEncrypted: Bool
    /// Where the entry's local header starts.
    let localHeaderOffset: UInt64
}

/// Why a ZIP archive could not be read.
enum ZipError: Error, CustomStringConvertible {
    case notAnArchive
    case damaged(String)

    var description: String {
        switch self {
        case .notAnArchive: "not a ZIP archive"
        case let .damaged(detail): "the ZIP archive is damaged (\(detail))"
        }
    }
}

/// A read-only ZIP archive: the central directory, and entries unpacked in chunks with zlib.
///
/// Written here instead of using ZIPFoundation (in the offline package set) because an .xlsx
/// import needs only this much, and ZIPFoundation 0.9.20 both prints a build warning about its
/// own resources and, on Linux, spins forever inflating a deflate stream that is cut short.
/// zlib's `inflate` reports that case as an error, and its CRC-32 is fast.
final class ZipArchive {
    let path: String
    /// Every entry, in central-directory order.
    let entries: [ZipEntry]
    private let byPath: [String: Int]

    /// Reads the central directory of the archive at `path`.
    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ZipError.notAnArchive }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes.
        let tailLength = min(size, 22 + 65_535)
        try handle.seek(toOffset: size - tailLength)
        let tail = [UInt8](try handle.read(upToCount: Int(tailLength)) ?? Data())
        guard tail.count >= 22, let end = stride(from: tail.count - 22, through: 0, by: -1)
            .first(where: { Self.u32(tail, $0) == 0x0605_4B50 }) else { throw ZipError.notAnArchive }
        var count = UInt64(Self.u16(tail, end + 10))
        var directorySize = UInt64(Self.u32(tail, end + 12))
        var directoryOffset = UInt64(Self.u32(tail, end + 16))
        // ZIP64: the locator just before the end record points at the ZIP64 end record.
        if directoryOffset == 0xFFFF_FFFF || count == 0xFFFF || directorySize == 0xFFFF_FFFF {
            guard end >= 20, Self.u32(tail, end - 20) == 0x0706_4B50 else { throw ZipError.damaged("no ZIP64 locator") }
            try handle.seek(toOffset: Self.u64(tail, end - 12))
            let record = [UInt8](try handle.read(upToCount: 56) ?? Data())
            guard record.count == 56, Self.u32(record, 0) == 0x0606_4B50 else { throw ZipError.damaged("no ZIP64 end record") }
            count = Self.u64(record, 32)
            directorySize = Self.u64(record, 40)
            directoryOffset = Self.u64(record, 48)
        }
        guard directoryOffset + directorySize <= size, directorySize < 512 << 20 else {
            throw ZipError.damaged("the central directory lies outside the file")
        }
        try handle.seek(toOffset: directoryOffset)
        let directory = [UInt8](try handle.read(upToCount: Int(directorySize)) ?? Data())
        guard directory.count == Int(directorySize) else { throw ZipError.damaged("truncated central directory") }
        var entries: [ZipEntry] = []
        var index: [String: Int] = [:]
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4B50 else {
                throw ZipError.damaged("bad central directory entry")
            }
            let flags = Self.u16(directory, at + 8), method = Self.u16(directory, at + 10)
            var compressed = UInt64(Self.u32(directory, at + 20)), uncompressed = UInt64(Self.u32(directory, at + 24))
            let nameLength = Int(Self.u16(directory, at + 28)), extraLength = Int(Self.u16(directory, at + 30))
            let commentLength = Int(Self.u16(directory, at + 32))
            var offset = UInt64(Self.u32(directory, at + 42))
            let nameStart = at + 46, extraStart = nameStart + nameLength
            guard extraStart + extraLength + commentLength <= directory.count else { throw ZipError.damaged("bad entry name") }
            let name = String(decoding: directory[nameStart..<extraStart], as: UTF8.self)
            // ZIP64 extended information: the 64-bit values of the fields set to all ones, in order.
            var extra = extraStart
            while extra + 4 <= extraStart + extraLength {
                let id = Self.u16(directory, extra), length = Int(Self.u16(directory, extra + 2))
                if id == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= extra + 4 + length { uncompressed = Self.u64(directory, field); field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= extra + 4 + length { compressed = Self.u64(directory, field); field += 8 }
                    if offset == 0xFFFF_FFFF, field + 8 <= extra + 4 + length { offset = Self.u64(directory, field) }
                }
                extra += 4 + length
            }
            index[name] = index[name] ?? entries.count
            entries.append(ZipEntry(path: name, compressedSize: compressed, uncompressedSize: uncompressed,
                                    checksum: Self.u32(directory, at + 16), method: method, isFile: !name.hasSuffix("/"),
                                    isEncrypted: flags & 1 != 0, localHeaderOffset: offset))
            at = extraStart + extraLength + commentLength
        }
        self.entries = entries
        self.byPath = index
    }

    /// The entry at exactly `path`.
    subscript(path: String) -> ZipEntry? { byPath[path].map { entries[$0] } }

    /// Unpacks `entry`, handing `consumer` chunks of at most `bufferSize` bytes; returns the CRC-32 of all of them.
    ///
    /// Stops with an error when the compressed data ends before the deflate stream does.
    func extract(_ entry: ZipEntry, bufferSize: Int, consumer: (Data) throws -> Void) throws -> UInt32 {
        guard !entry.isEncrypted else { throw ZipError.damaged("\(entry.path) is encrypted") }
        guard entry.method == 0 || entry.method == 8 else {
            throw ZipError.damaged("\(entry.path) uses compression method \(entry.method)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ZipError.notAnArchive }
        defer { try? handle.close() }
        try handle.seek(toOffset: entry.localHeaderOffset)
        let header = [UInt8](try handle.read(upToCount: 30) ?? Data())
        guard header.count == 30, Self.u32(header, 0) == 0x0403_4B50 else { throw ZipError.damaged("bad local header of \(entry.path)") }
        try handle.seek(toOffset: entry.localHeaderOffset + 30 + UInt64(Self.u16(header, 26)) + UInt64(Self.u16(header, 28)))
        var remaining = entry.compressedSize
        var crc: uLong = 0
        func emit(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            guard !bytes.isEmpty else { return }
            crc = CZlib.crc32(crc, bytes.baseAddress, uInt(bytes.count))
            try consumer(Data(buffer: bytes))
        }
        func nextInput() throws -> [UInt8] {
            guard remaining > 0 else { return [] }
            let chunk = [UInt8](try handle.read(upToCount: Int(min(remaining, UInt64(bufferSize)))) ?? Data())
            guard !chunk.isEmpty else { throw ZipError.damaged("\(entry.path) is cut short") }
            remaining -= UInt64(chunk.count)
            return chunk
        }
        if entry.method == 0 {
            while remaining > 0 {
                let chunk = try nextInput()
                try chunk.withUnsafeBufferPointer { try emit($0) }
            }
            return UInt32(crc)
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipError.damaged("zlib cannot start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: bufferSize)
        var input: [UInt8] = []
        var offset = 0   // how much of `input` inflate has consumed
        var status = Z_OK
        while status != Z_STREAM_END {
            if offset == input.count, remaining > 0 {
                input = try nextInput()
                offset = 0
            }
            var produced = 0
            status = try input.withUnsafeMutableBufferPointer { inBuffer in
                try output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress.map { $0 + offset }
                    stream.avail_in = uInt(inBuffer.count - offset)
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                        throw ZipError.damaged("\(entry.path): invalid deflate data")
                    }
                    offset = inBuffer.count - Int(stream.avail_in)
                    produced = outBuffer.count - Int(stream.avail_out)
                    try emit(UnsafeBufferPointer(rebasing: outBuffer[0..<produced]))
                    return result
                }
            }
            // No input left and no progress: the deflate stream was cut short (ZIPFoundation spins here).
            if status != Z_STREAM_END, produced == 0, offset == input.count, remaining == 0 {
                throw ZipError.damaged("the compressed data of \(entry.path) ends too soon")
            }
        }
        return UInt32(crc)
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
    private static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32
    }
}
