import Foundation
import FuzzSupport
import RemitKit

// The ECB reference-rate readers (CSV in both shapes, XML) and the generic rate file, on the same
// bytes, plus the format detection that picks between them. Every rate read must be above zero,
// in EUR for the ECB shapes, and quote a current currency.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = RateFileFormat.detect(Array(bytes.prefix(4096)))
    if let result = try? ECBFile.readCSV(CSVReader(bytes: bytes, fileName: "fuzz.csv"), fileName: "fuzz.csv") {
        check(result)
    }
    if let first = bytes.first(where: { ![0x20, 0x09, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF].contains($0) }), first == UInt8(ascii: "<"),
       let result = try? ECBFile.readXML(bytes, fileName: "fuzz.xml") {
        check(result)
    }
    if let rates = try? RateFile.read(CSVReader(bytes: bytes, fileName: "fuzz.csv"), fileName: "fuzz.csv", defaultSource: "fuzz") {
        for rate in rates {
            Fuzz.check(rate.rate > 0 && rate.base != rate.quote, "generic rate \(rate)")
        }
    }
    return 0
}

private func check(_ result: ECBFile.Result) {
    Fuzz.check(result.rows > 0, "a result without rows")
    for rate in result.rates {
        Fuzz.check(rate.rate > 0, "rate \(rate.rate)")
        Fuzz.check(rate.base.rawValue == "EUR" && rate.source == ECBFile.source, "an ECB rate \(rate)")
        Fuzz.check(ReferenceData.currency(rate.quote) != nil, "a rate in a currency remit does not know: \(rate.quote)")
    }
}

Fuzz.run(fuzz)
