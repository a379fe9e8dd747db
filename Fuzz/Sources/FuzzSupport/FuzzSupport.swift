import CLibFuzzer
import Foundation
import RemitKit

/// Helpers shared by the fuzz targets.
public enum Fuzz {
    /// Runs libFuzzer's driver with the process's arguments and `target` as the function under test.
    public static func run(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, target))
    }

    /// Stops the process with a message; libFuzzer saves the input that got here as a crash.
    public static func fail(_ message: String, file: StaticString = #file, line: UInt = #line) -> Never {
        fatalError("fuzz invariant broken: \(message)", file: file, line: line)
    }

    /// Fails unless `condition` holds.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String,
                             file: StaticString = #file, line: UInt = #line) {
        if !condition { fail(message(), file: file, line: line) }
    }

    /// Every record of a CSV input, or the error that ended it, as comparable text.
    public static func read(_ reader: CSVReader) -> (records: [TextRecord], error: String?) {
        var reader = reader
        var records: [TextRecord] = []
        do {
            while let record = try reader.next() {
                check(record.ends.last ?? 0 == record.bytes.count, "the last field does not end the record's bytes")
                check(zip(record.ends, record.ends.dropFirst()).allSatisfy { $0 <= $1 }, "field ends go backwards")
                for index in 0..<record.count {
                    check(String(validating: record.bytes[record.range(index)], as: UTF8.self) != nil,
                          "line \(record.line) field \(index + 1) is not UTF-8")
                }
                records.append(record)
            }
            return (records, nil)
        } catch {
            return (records, error.description)
        }
    }
}

/// Hands out the input a few bytes at a time, to put chunk boundaries everywhere.
public final class ChunkedBytes: ByteSource {
    private let bytes: [UInt8]
    private let sizes: [Int]
    private var offset = 0
    private var call = 0

    /// Chunks whose sizes cycle through `sizes` (each at least 1).
    public init(_ bytes: [UInt8], sizes: [Int]) {
        self.bytes = bytes
        self.sizes = sizes.isEmpty ? [1] : sizes.map { max(1, $0) }
    }

    public func read(maxCount: Int) -> [UInt8] {
        let size = min(maxCount, sizes[call % sizes.count])
        call += 1
        let end = min(bytes.count, offset + size)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

extension TextRecord {
    /// The fields as comparable values.
    public var comparable: [String] { fields + ["@\(line)"] }
}
