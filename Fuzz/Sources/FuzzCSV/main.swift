import FuzzSupport
import RemitKit

// The CSV reader: no crash, no hang, and the same records (or the same error) however the input
// is split into chunks, with the default limits and with tiny ones that the fuzzer can reach.
//
// Input: byte 0 picks the chunk sizes (1–8 bytes alternating with 1–249), byte 1 the limits; the rest is the CSV.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard size >= 2 else { return 0 }
    let control = (data[0], data[1])
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let sizes = [Int(control.0 & 7) + 1, Int(control.0 >> 3) * 8 + 1]
    let tiny = control.1 & 1 == 1
    func configured(_ reader: CSVReader) -> CSVReader {
        var reader = reader
        if tiny {
            reader.maxFieldBytes = Int(control.1 >> 1 & 7) * 4 + 1
            reader.maxRecordBytes = Int(control.1 >> 4) * 8 + 2
            reader.maxFields = Int(control.1 >> 4 & 3) + 2
        }
        return reader
    }
    let whole = Fuzz.read(configured(CSVReader(bytes: bytes, fileName: "fuzz.csv")))
    let chunked = Fuzz.read(configured(CSVReader(source: ChunkedBytes(bytes, sizes: sizes), fileName: "fuzz.csv")))
    Fuzz.check(whole.error == chunked.error, "errors differ: \(whole.error ?? "none") / \(chunked.error ?? "none")")
    Fuzz.check(whole.records.map(\.comparable) == chunked.records.map(\.comparable), "records differ with chunks \(sizes)")
    return 0
}

Fuzz.run(fuzz)
