import Foundation
import FuzzSupport
import RemitKit

// The fee-schedule reader (and the flows reader, which shares its table code). Every schedule it
// accepts must price its band edges without a crash, keep total cost = fee + FX cost, and
// answer the reverse question consistently.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? FlowFile.read(CSVReader(bytes: bytes, fileName: "fuzz.csv"), fileName: "fuzz.csv")
    guard let entries = try? ScheduleFile.read(CSVReader(bytes: bytes, fileName: "fuzz.csv"), fileName: "fuzz.csv") else {
        return 0
    }
    for entry in entries.prefix(8) {
        let corridor = entry.service.corridor
        Fuzz.check(entry.schedule.currency == corridor.sendCurrency, "a schedule not in the sending currency")
        if let validTo = entry.validTo { Fuzz.check(validTo >= entry.validFrom, "valid_to before valid_from") }
        // A reference rate from the schedule's own terms: the offered rate itself, or 1.
        let reference: Decimal
        if case let .offered(rate) = entry.rate { reference = rate } else { reference = 1 }
        guard let pricer = try? Pricer(sendCurrency: corridor.sendCurrency, receiveCurrency: corridor.receiveCurrency,
                                       model: .schedule(entry.schedule, rate: entry.rate), referenceRate: reference) else { continue }
        var amounts: [Int64] = []
        for band in entry.schedule.bands.prefix(4) {
            amounts += [band.minAmount, band.minAmount &+ 1, band.maxAmount ?? band.minAmount &+ 100_000]
        }
        for minor in amounts where minor > 0 && minor < 1_000_000_000_000_000 {
            guard let cost = try? pricer.price(Money(minorUnits: minor, currency: corridor.sendCurrency)) else { continue }
            Fuzz.check(cost.fee.minorUnits >= 0, "a negative fee")
            if let fx = cost.fxCost, let total = cost.totalCost {
                Fuzz.check(total.minorUnits == cost.fee.minorUnits &+ fx.minorUnits, "total cost is not fee + FX cost")
            }
            guard let received = cost.recipientAmount, received.minorUnits > 0, received.minorUnits < 1_000_000_000_000 else { continue }
            guard let back = try? pricer.amountToSend(toDeliver: received) else { Fuzz.fail("cannot deliver \(received) again") }
            Fuzz.check((back.recipientAmount?.minorUnits ?? 0) >= received.minorUnits, "the reverse delivers less")
            Fuzz.check(back.senderPays.minorUnits <= cost.senderPays.minorUnits, "the reverse costs more")
        }
    }
    return 0
}

Fuzz.run(fuzz)
