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
    /// The row as read (its fields go to a rejects file if the database refuses it).
    var record: TextRecord
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

    /// Encodes `prices` of `record`, appending the text columns to `text`; `nil` without a price point.
    init?(record: TextRecord, service: Int, prices: RPWPrices, text: inout [UInt8]) {
        guard let first = prices.points.first else { return nil }
        self.record = record
        self.service = service
        period = prices.period
        periodText = TextSpan.append(prices.period, to: &text)
        reference = TextSpan.append(prices.referenceRate, to: &text)
        rowID = TextSpan.append(prices.sourceRowID, to: &text)
        observed = TextSpan.append(prices.observedOn, to: &text)
        self.first = EncodedPoint(first, text: &text)
        second = prices.points.count > 1 ? EncodedPoint(prices.points[1], text: &text) : nil
    }

    /// The row's points, in order.
    var points: [EncodedPoint] { second.map { [first, $0] } ?? [first] }
}

/// A value's UTF-8 text inside a shared buffer: where it starts and how long it is; NULL when absent.
struct TextSpan: Sendable {
    var start: Int32
    /// The length in bytes; -1 for NULL.
    var count: Int32

    static let null = TextSpan(start: 0, count: -1)

    /// Appends the bytes `write` adds to `text`, and returns their span.
    private static func append(to text: inout [UInt8], _ write: (inout [UInt8]) -> Void) -> TextSpan {
        let start = text.count
        write(&text)
        return TextSpan(start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: text.count - start))
    }

    static func append(_ value: FixedDecimal?, to text: inout [UInt8]) -> TextSpan {
        guard let value else { return .null }
        return append(to: &text) { value.write(to: &$0) }
    }

    static func append(_ value: (some CustomStringConvertible)?, to text: inout [UInt8]) -> TextSpan {
        guard let value else { return .null }
        return append(to: &text) { $0.append(contentsOf: value.description.utf8) }
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
/// second core, a few hundred rows ahead of the writer (``RPWWriter``), which
/// keeps every decision that needs the database: service ids, duplicates,
/// errors and their limits, all in file order, so the outcome is the same as
/// if one thread did both. At most ``RPWRowReader/queueDepth`` chunks wait
/// between the two, so memory stays flat.
final class RPWRowReader: Sendable {
    /// Rows per message: large enough that handing over costs nothing per row.
    static let chunkSize = 512
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
            var services: [RPWWriter.ByteKey: KnownService] = [:]
            var cache = RPWMapperCache()
            var items: [RPWItem] = []
            var text: [UInt8] = []
            items.reserveCapacity(chunkSize)
            while true {
                if items.count >= chunkSize {
                    guard handoff.put(.rows(items, text: text, bytesRead: table.bytesRead)) else { return }
                    items = []
                    items.reserveCapacity(chunkSize)
                    text = []
                }
                let next: TableRow?
                do { next = try table.next() } catch {
                    // A row with the wrong shape: the reader has moved past it, so it is rejected like any other.
                    guard case let .fieldCount(location, _, _) = error else { throw error }
                    items.append(.invalid(line: location.line, record: nil, error: error))
                    continue
                }
                guard let row = next else { break }
                let key = RPWWriter.ByteKey(mapper.serviceKey(row))
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
                        items.append(.invalid(line: row.line, record: row.record, error: error))
                        continue
                    }
                }
                do throws(ImportError) {
                    let prices = try mapper.prices(row, sendCurrency: known.sendCurrency, isTransparent: known.isTransparent,
                                                   cache: &cache)
                    guard let encoded = RPWRowPrices(record: row.record, service: known.number, prices: prices, text: &text) else {
                        throw row.invalid(mapper.firstAmount, expected: "the amount sent as a number")
                    }
                    items.append(.prices(encoded))
                } catch {
                    items.append(.invalid(line: row.line, record: row.record, error: error))
                }
            }
            if !items.isEmpty, !handoff.put(.rows(items, text: text, bytesRead: table.bytesRead)) { return }
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
