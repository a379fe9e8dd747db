import Dispatch
import Foundation

/// What the reading half of an RPW import hands to the writing half, in file order.
enum RPWItem: Sendable {
    /// A row that could not be read or mapped; `record` is `nil` when the row had the wrong shape.
    case invalid(line: Int, record: TextRecord?, error: ImportError)
    /// A service seen for the first time: the next local service number, counting from 0.
    case service(RPWService)
    /// A row's prices, for the service with local number `service`.
    case prices(RPWRowPrices)
}

/// The mapped prices of one RPW row, as price_observation columns ready to bind.
struct RPWRowPrices: Sendable {
    /// The line of the file the row starts on.
    var line: Int
    /// The row's fields as read, kept in the chunk's text for a rejects file should the database refuse the row
    /// (the bytes, then each field's end as four little-endian bytes): no allocation per row.
    var fieldBytes, fieldEnds: TextSpan
    /// The local number of the row's service (see ``RPWItem/service(_:)``).
    var service: Int
    var period: Period
    /// Text columns shared by the row's points, as spans of the chunk's text (see ``RPWMessage/rows(_:text:bytesRead:)``).
    var periodText, reference, rowID, observed: TextSpan
    /// The USD 200 point, and the USD 500 one if the row has it.
    var first: EncodedPoint, second: EncodedPoint?

    /// One price point's columns.
    struct EncodedPoint: Sendable {
        /// Minor units of the send currency.
        var amount: Int64, fee: Int64
        /// The USD price point in cents, if given.
        var denomination: Int64?
        var inconsistent: Bool
        var offered, margin, total, recomputed: TextSpan
        /// The published and recomputed total cost %, for the report of inconsistent figures.
        var published: FixedDecimal?, recomputedValue: FixedDecimal?

        init(_ point: RPWPricePoint, text: inout [UInt8]) {
            amount = point.amount.minorUnits
            fee = point.fee.minorUnits
            denomination = point.denomination?.minorUnits
            inconsistent = point.isInconsistent
            offered = TextSpan.append(point.offeredRate, to: &text)
            margin = TextSpan.append(point.fxMarginPercent, to: &text)
            total = TextSpan.append(point.totalCostPercent, to: &text)
            recomputed = TextSpan.append(point.recomputedTotalCostPercent, to: &text)
            published = point.totalCostPercent
            recomputedValue = point.recomputedTotalCostPercent
        }
    }

    /// Encodes `prices` of `record`, appending the text columns to `text`.
    init(record: TextRecord, service: Int, prices: RPWPrices, text: inout [UInt8]) {
        line = record.line
        fieldBytes = TextSpan.append(to: &text) { $0.append(contentsOf: record.bytes) }
        fieldEnds = TextSpan.append(to: &text) { text in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: record.ends.count * 4) { buffer in
                for (index, end) in record.ends.enumerated() {
                    let value = UInt32(truncatingIfNeeded: end)
                    for byte in 0..<4 { buffer[index * 4 + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
                }
                text.append(contentsOf: buffer)
            }
        }
        self.service = service
        period = prices.period
        periodText = TextSpan.append(prices.period, to: &text)
        reference = TextSpan.append(prices.referenceRate, to: &text)
        rowID = TextSpan.append(prices.sourceRowID, to: &text)
        observed = TextSpan.append(prices.observedOn, to: &text)
        first = EncodedPoint(prices.first, text: &text)
        second = prices.second.map { EncodedPoint($0, text: &text) }
    }

    /// The row's points, in order (without building an array).
    var points: Points { Points(pending: first, last: second) }

    struct Points: Sequence, IteratorProtocol {
        var pending: EncodedPoint?, last: EncodedPoint?

        mutating func next() -> EncodedPoint? {
            defer { (pending, last) = (last, nil) }
            return pending
        }
    }

    /// The row as read, from the chunk's `text`.
    func record(in text: [UInt8]) -> TextRecord {
        func slice(_ span: TextSpan) -> ArraySlice<UInt8> {
            let start = Int(span.start), end = start + max(0, Int(span.count))
            return start >= 0 && end <= text.count ? text[start..<end] : []
        }
        let endBytes = Array(slice(fieldEnds))
        let ends = stride(from: 0, to: endBytes.count - 3, by: 4).map { index -> Int in
            var value: UInt32 = 0
            for offset in (0..<4).reversed() { value = value << 8 | UInt32(endBytes[index + offset]) }
            return Int(value)
        }
        return TextRecord(bytes: Array(slice(fieldBytes)), ends: ends, line: line)
    }
}

/// A value's UTF-8 text inside a shared buffer: where it starts and how long it is; NULL when absent.
struct TextSpan: Sendable {
    var start: Int32
    /// The length in bytes; -1 for NULL.
    var count: Int32

    static let null = TextSpan(start: 0, count: -1)

    /// Appends the bytes `write` adds to `text`, and returns their span.
    static func append(to text: inout [UInt8], _ write: (inout [UInt8]) -> Void) -> TextSpan {
        let start = text.count
        write(&text)
        return TextSpan(start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: text.count - start))
    }

    static func append(_ value: FixedDecimal?, to text: inout [UInt8]) -> TextSpan {
        guard let value else { return .null }
        return append(to: &text) { value.write(to: &$0) }
    }

    static func append(_ value: Period, to text: inout [UInt8]) -> TextSpan {
        append(to: &text) { value.write(to: &$0) }
    }

    static func append(_ value: CalendarDate?, to text: inout [UInt8]) -> TextSpan {
        guard let value else { return .null }
        return append(to: &text) { value.write(to: &$0) }
    }

    static func append(_ value: String?, to text: inout [UInt8]) -> TextSpan {
        guard let value else { return .null }
        return append(to: &text) { $0.append(contentsOf: value.utf8) }
    }
}

/// A message from the reading thread.
enum RPWMessage: Sendable {
    /// The file's header, as written.
    case header([String])
    /// The next rows, the text their ``TextSpan``s point into, and how many bytes of the file have been read so far.
    case rows([RPWItem], text: [UInt8], bytesRead: Int64)
    /// The file could not be read on (not a row's fault: unreadable, bad header, a syntax error).
    case failed(ImportError)
    /// Every row has been handed over.
    case finished(bytesRead: Int64)
}

/// Reads, validates and maps the rows of an RPW file on a thread of its own.
///
/// An RPW import is two jobs of about equal weight: parsing and checking some
/// forty fields a row, and SQLite storing two indexed price rows a row. SQLite
/// allows one writer, but the parsing needs no database, so it runs here, on a
/// second core, up to a few thousand rows ahead of the writer (``RPWWriter``), which
/// keeps every decision that needs the database: service ids, duplicates,
/// errors and their limits, all in file order, so the outcome is the same as
/// if one thread did both. At most ``RPWRowReader/queueDepth`` chunks wait
/// between the two, so memory stays flat.
final class RPWRowReader: Sendable {
    /// Rows per message: large enough that handing over costs nothing per row.
    static let chunkSize = 512
    /// A message is sent once its text reaches this size, even with fewer rows: with one row at most
    /// 10 MiB (the CSV reader's limit), a chunk's text stays far below the 2 GiB a ``TextSpan`` can address.
    static let chunkTextBytes = 8 << 20
    /// Messages that may wait for the writer.
    static let queueDepth = 8

    private let handoff = Handoff<RPWMessage>(capacity: queueDepth)
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading the table `makeSource` opens; `fileName` is used in messages.
    init(fileName: String, makeSource: @escaping @Sendable () throws(ImportError) -> any RecordSource) {
        let handoff = self.handoff, done = self.done
        Thread.detachNewThread {
            Self.read(fileName: fileName, makeSource: makeSource, into: handoff)
            done.signal()
        }
    }

    /// The next message; blocks until the reading thread has one.
    func next() -> RPWMessage { handoff.take() }

    /// Tells the reading thread to stop and waits until it has: call once, when the writer is done
    /// (finished or failed), so no thread outlives the import or keeps the file open.
    func stop() {
        handoff.close()
        done.wait()
    }

    private static func read(fileName: String, makeSource: () throws(ImportError) -> any RecordSource,
                             into handoff: Handoff<RPWMessage>) {
        do throws(ImportError) {
            var table = try TableReader(csv: try makeSource(), fileName: fileName, required: [])
            let mapper = try RPWMapper(table)
            guard handoff.put(.header(table.header)) else { return }
            var services: [ServiceKey: KnownService] = [:]
            var cache = RPWMapperCache()
            var items: [RPWItem] = []
            var text: [UInt8] = []
            /// Bytes of invalid rows' records held in `items` (they are kept outside `text`).
            var invalidBytes = 0
            items.reserveCapacity(chunkSize)
            /// Hands over what has been read; `false` once the writer has stopped.
            func flush() -> Bool {
                defer {
                    items = []
                    items.reserveCapacity(chunkSize)
                    text = []
                    invalidBytes = 0
                }
                return handoff.put(.rows(items, text: text, bytesRead: table.bytesRead))
            }
            func reject(_ row: TableRow, _ error: ImportError) {
                items.append(.invalid(line: row.line, record: row.record, error: error))
                invalidBytes += row.record.bytes.count
            }
            // Rows read before a file-level error still count (their errors, a limit reached, a duplicate).
            do throws(ImportError) {
                while true {
                    if items.count >= chunkSize || text.count + invalidBytes >= chunkTextBytes {
                        guard flush() else { return }
                    }
                    let next: TableRow?
                    do { next = try table.next() } catch {
                        // A row with the wrong shape: the reader has moved past it, so it is rejected like any other.
                        guard case let .fieldCount(location, _, _) = error else { throw error }
                        items.append(.invalid(line: location.line, record: nil, error: error))
                        continue
                    }
                    guard let row = next else { break }
                    let key = mapper.serviceKey(row)
                    let known: KnownService
                    if let cached = services[key] {
                        known = cached
                    } else {
                        do {
                            let service = try mapper.service(row)
                            known = KnownService(number: services.count, sendCurrency: service.service.corridor.sendCurrency,
                                                 isTransparent: service.service.isTransparent)
                            services[key] = known
                            items.append(.service(service))
                        } catch {
                            reject(row, error)
                            continue
                        }
                    }
                    do throws(ImportError) {
                        let prices = try mapper.prices(row, sendCurrency: known.sendCurrency, isTransparent: known.isTransparent,
                                                       cache: &cache)
                        let mark = text.count
                        let encoded = RPWRowPrices(record: row.record, service: known.number, prices: prices, text: &text)
                        if let violation = PriceObservationRules.violation(of: encoded, text: text) {
                            text.removeSubrange(mark...)
                            throw row.invalid(mapper.column(for: violation),
                                              expected: "a value the database accepts (price_observation's CHECK constraints in schema.sql)")
                        }
                        items.append(.prices(encoded))
                    } catch {
                        reject(row, error)
                    }
                }
            } catch {
                if !items.isEmpty, !flush() { return }
                throw error
            }
            if !items.isEmpty, !flush() { return }
            _ = handoff.put(.finished(bytesRead: table.bytesRead))
        } catch {
            _ = handoff.put(.failed(error))
        }
    }

    /// A service already mapped by this reader: what its later rows need.
    private struct KnownService {
        var number: Int
        var sendCurrency: Currency
        var isTransparent: Bool
    }
}

/// A bounded queue between one producing and one consuming thread.
final class Handoff<Element: Sendable>: @unchecked Sendable {
    // Every stored property below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var queue: [Element] = []   // at most `capacity`: removing the first is cheap
    private var isClosed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Queues `element`, waiting while the queue is full; `false` once the consumer has closed it.
    func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity, !isClosed { condition.wait() }
        guard !isClosed else { return false }
        queue.append(element)
        condition.broadcast()
        return true
    }

    /// The oldest element, waiting while there is none.
    func take() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty { condition.wait() }
        let element = queue.removeFirst()
        condition.broadcast()
        return element
    }

    /// Stops the producer: pending and later `put`s return `false`, and what was queued is dropped.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        isClosed = true
        queue.removeAll()
        condition.broadcast()
    }
}

/// The CHECK constraints of `price_observation` (schema.sql), evaluated in Swift.
///
/// The RPW writer inserts survey prices with SQLite's CHECK evaluation off
/// (`PRAGMA ignore_check_constraints`): the GLOB and `date()` expressions took
/// about 40 % of SQLite's time per row, on the one thread that may write. Every
/// row is held to the same rules here instead, on the reading thread, before it
/// is handed over. `ObservationRulesTests` proves each rule accepts exactly what
/// the schema's CHECK accepts, and `PRAGMA integrity_check` (`remit db check`)
/// evaluates the CHECKs again on stored rows. Other writers (the `sqlite3`
/// shell, fee schedules) keep SQLite's own checks.
enum PriceObservationRules {
    /// A column of price_observation whose CHECK a value breaks.
    enum Violation: Equatable, Sendable {
        case period, amount, fee, offeredRate, referenceRate, fxMargin, totalCost, observedOn
    }

    /// The first CHECK the row's values break, or `nil` when they satisfy all of them.
    static func violation(of row: RPWRowPrices, text: [UInt8]) -> Violation? {
        text.withUnsafeBufferPointer { text in
            func bytes(_ span: TextSpan) -> UnsafeBufferPointer<UInt8>? {
                guard span.count >= 0, let base = text.baseAddress else { return nil }
                return UnsafeBufferPointer(start: base + Int(span.start), count: Int(span.count))
            }
            if !isPeriod(bytes(row.periodText)) { return .period }
            if !isRate(bytes(row.reference)) { return .referenceRate }
            if !isDate(bytes(row.observed)) { return .observedOn }
            for point in row.points {
                if point.amount <= 0 { return .amount }
                if point.fee < 0 { return .fee }
                if !isRate(bytes(point.offered)) { return .offeredRate }
                if !isPercent(bytes(point.margin)) { return .fxMargin }
                if !isPercent(bytes(point.total)) { return .totalCost }
            }
            return nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `length(period) = 7 AND period GLOB '[12][0-9][0-9][0-9]_[1-4]Q'` (NOT NULL).
    static func isPeriod(_ text: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let text, text.count == 7 else { return false }
        return (text[0] == UInt8(ascii: "1") || text[0] == UInt8(ascii: "2")) && isDigit(text[1]) && isDigit(text[2])
            && isDigit(text[3]) && text[4] == UInt8(ascii: "_") && (UInt8(ascii: "1")...UInt8(ascii: "4")).contains(text[5])
            && text[6] == UInt8(ascii: "Q")
    }

    /// `x IS NULL OR (x NOT GLOB '*[^0-9.]*' AND CAST(x AS REAL) > 0)`. The cast reads the longest prefix that is a
    /// number (digits, one point, digits), so the value is above zero when that prefix holds a non-zero digit.
    static func isRate(_ text: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let text else { return true }
        var points = 0, positive = false
        for byte in text {
            if byte == UInt8(ascii: ".") {
                points += 1
            } else if isDigit(byte) {
                if points < 2, byte != UInt8(ascii: "0") { positive = true }
            } else {
                return false
            }
        }
        return positive
    }

    /// `x IS NULL OR (x GLOB '*[0-9]*' AND x NOT GLOB '*[^0-9.-]*')`.
    static func isPercent(_ text: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let text else { return true }
        var digit = false
        for byte in text {
            if isDigit(byte) { digit = true } else if byte != UInt8(ascii: ".") && byte != UInt8(ascii: "-") { return false }
        }
        return digit
    }

    /// `x IS NULL OR date(x, '+0 days') IS x`: exactly `YYYY-MM-DD`, a day that exists.
    static func isDate(_ text: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let text else { return true }
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard isDigit(text[index]) else { return nil }
                value = value * 10 + Int(text[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return false }
        // SQLite's date() covers years 0000–9999; remit's dates start at year 1.
        if year == 0 { return (1...12).contains(month) && (1...CalendarDate.daysIn(month: month, year: 2000)).contains(day) }
        return CalendarDate(year: year, month: month, day: day) != nil
    }
}
