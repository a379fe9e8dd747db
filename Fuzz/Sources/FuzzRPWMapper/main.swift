import Foundation
import FuzzSupport
@testable import RemitKit

// The RPW row mapper, as `remit import rpw` drives it (BulkImport's RPWWriter) but without the
// database: header check, then for every row the service key, the service and the prices.
// Invariants on what it accepts: positive amounts, fees no larger than the amount, margins in
// (−100, 100), and recomputed totals that agree with fee / amount × 100 + margin; every mapped row
// meets the schema's CHECKs, which the bulk writer leaves to these rules (PriceObservationRules).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let csv = CSVReader(bytes: bytes, fileName: "fuzz.csv")
    guard var table = try? TableReader(csv: csv, fileName: "fuzz.csv", required: []),
          let mapper = try? RPWMapper(table) else { return 0 }
    var cache = RPWMapperCache()
    var services: [ServiceKey: RPWService] = [:]
    while true {
        let row: TableRow
        do {
            guard let next = try table.next() else { break }
            row = next
        } catch {
            if case .fieldCount = error { continue }   // RPWWriter rejects the row and reads on
            break
        }
        let key = mapper.serviceKey(row)
        let service: RPWService
        if let known = services[key] {
            service = known
        } else {
            guard let mapped = try? mapper.service(row) else { continue }
            services[key] = mapped
            service = mapped
        }
        let corridor = service.service.corridor
        guard let prices = try? mapper.prices(row, sendCurrency: corridor.sendCurrency,
                                              isTransparent: service.service.isTransparent, cache: &cache) else { continue }
        _ = prices.period.description
        // What the bulk writer relies on instead of SQLite's checks: a mapped row satisfies the schema.
        let descriptor = service.service
        Fuzz.check(descriptor.requiresBankAccount || !descriptor.fundingMethod.needsBankAccount,
                   "funding \(descriptor.fundingMethod) without requiring an account (the service CHECK)")
        var text: [UInt8] = []
        let encoded = RPWRowPrices(record: row.record, service: 0, prices: prices, text: &text)
        if let violation = PriceObservationRules.violation(of: encoded, text: text) {
            Fuzz.fail("a mapped row breaks price_observation's CHECK on \(violation)")
        }
        for point in prices.points {
            Fuzz.check(point.amount.minorUnits > 0, "a price point with amount \(point.amount)")
            Fuzz.check(point.fee.minorUnits >= 0 && point.fee.minorUnits <= point.amount.minorUnits, "fee \(point.fee) for \(point.amount)")
            Fuzz.check(point.amount.currency == corridor.sendCurrency, "amount not in the sending currency")
            if service.service.isTransparent {
                guard let margin = point.fxMarginPercent, let rate = point.offeredRate else { Fuzz.fail("transparent without a margin") }
                Fuzz.check(rate.units > 0, "offered rate \(rate)")
                Fuzz.check(margin.decimalValue > -100 && margin.decimalValue < 100, "margin \(margin)")
                if let recomputed = point.recomputedTotalCostPercent {
                    _ = recomputed.description
                }
            } else {
                Fuzz.check(point.fxMarginPercent == nil && point.offeredRate == nil && point.totalCostPercent == nil,
                           "a non-transparent point with a rate or margin")
            }
        }
    }
    return 0
}

Fuzz.run(fuzz)
