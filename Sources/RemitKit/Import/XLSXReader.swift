import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

// Reading .xlsx workbooks (Office Open XML spreadsheets) one sheet at a time, streaming.
//
// Design. A workbook is a ZIP archive of XML parts. The small parts (`_rels/.rels`,
// `xl/workbook.xml`, its relationships) are read whole and parsed with Foundation's
// `XMLParser`. The worksheet (hundreds of MB of XML in the World Bank RPW workbook) and
// the shared-string table are never held whole in memory:
//
// * A worker thread unpacks the ZIP entry with remit's own `ZipArchive.extract(_:bufferSize:
//   consumer:)` (zlib), which pushes 64 KiB chunks; a small bounded queue
//   (``XLSXPartStream``) turns that push into the pull the importer wants
//   (`mutating func next()`), so at most a few chunks are buffered whatever the sheet's size.
//   The worker checks the unpacked size against the archive's declaration as it goes (a
//   lying zip bomb stops at its declared size) and verifies the CRC at the end.
// * The sheet XML is tokenised by a small hand-written pull scanner (``XMLPullScanner``)
//   rather than by `XMLParser`: `XMLParser` is push-based, so pulling rows out of it would
//   need a second thread and a hand-over per row; on Linux it also builds a `String` and an
//   attribute dictionary for every element (8-9 million cells in the RPW sheet), and its
//   whitespace and entity reporting differs from Darwin's. The worksheet grammar the reader
//   needs is tiny (`row`, `c`, `v`, `is`/`t`/`r`/`rPh`), and the scanner still checks
//   well-formedness (matching tags, quoted attributes, known entities, no DTDs) so a damaged
//   sheet fails with its sheet name and row number instead of yielding wrong rows.
// * The shared strings go through the same scanner into one byte array plus offsets
//   (random access by index, a few MB for RPW), capped by ``XLSXLimits/maxSharedStringBytes``.
//
// Cell values are kept as the literal text of the file: numbers exactly as written in `<v>`
// ("0.1", "17.2345", "1.2E-05"), dates as Excel serial numbers ("45321"), booleans as
// "1"/"0", errors as their text ("#N/A"). Nothing goes through `Double`.

/// Safety limits for reading workbooks. The defaults leave ample room for the World Bank
/// RPW workbook (a ~50 MB file whose largest sheet unpacks to a few hundred MB).
public struct XLSXLimits: Sendable {
    /// The most bytes any part (ZIP entry) may unpack to.
    public var maxPartBytes: UInt64 = 4 << 30
    /// A part unpacking to more than ``ratioFloor`` bytes may not be more than this many
    /// times larger than its compressed size (a zip bomb's signature).
    public var maxRatio: UInt64 = 1_000
    /// The size above which ``maxRatio`` applies (small parts of repeated text compress very well).
    public var ratioFloor: UInt64 = 100 << 20
    /// The most memory the shared-string table may take: text plus 8 bytes per string.
    public var maxSharedStringBytes = 256 << 20
    /// The most bytes the parts read whole (workbook, relationships) may unpack to.
    public var maxMetadataBytes: UInt64 = 64 << 20
    /// The most bytes one row's values may hold: 10 MiB, as for a CSV row.
    public var maxRowBytes = 10 << 20
    /// The most bytes one cell's value may hold: 1 MiB, as for a CSV field.
    public var maxCellBytes = 1 << 20
    /// The longest single tag, comment or CDATA section.
    public var maxTokenBytes = 4 << 20
    /// How long a reader waits for the next unpacked chunk before calling the entry damaged
    /// (a last guard: zlib reports a deflate stream cut short, but a slow or stuck disk could still stall).
    public var stallTimeout: TimeInterval = 60

    public init() {}

    /// The default limits.
    public static let standard = XLSXLimits()
}

/// Reads one sheet of an .xlsx workbook as rows of text, streaming.
///
/// Each ``TextRecord`` is one sheet row: `line` is the row number from the sheet (1-based,
/// `r="N"`), fields are placed by their column letters (missing cells are empty fields), and a
/// row has as many fields as its last non-empty cell. Completely empty rows are skipped.
/// Memory stays bounded: the sheet is unpacked and parsed in 64 KiB chunks; only the shared
/// strings are held whole.
///
/// A worker thread unpacks the sheet while rows are read; it stops when the reader is dropped.
/// Read from one copy of a reader only: copies share the unpacking stream.
public struct XLSXSheetReader: RecordSource {
    /// The sheet's name as the workbook spells it.
    public let sheetName: String
    /// How errors name the sheet: `FILE [sheet name]`.
    public let location: String
    /// The compressed size of the sheet's ZIP entry: ``bytesRead`` reaches it at the end.
    public let totalBytes: Int64
    /// The sheet XML's unpacked size.
    public let sheetXMLBytes: Int64

    private var scanner: XMLPullScanner
    private let strings: XLSXSharedStrings
    private let limits: XLSXLimits

    // Parser state.
    private var inSheetData = false
    private var inRow = false
    private var rowNumber = 0
    private var lastRow = 0
    private var rowBytes: [UInt8] = []
    private var rowEnds: [Int] = []
    /// Fields up to the last non-empty one.
    private var keptFields = 0
    private var rowHighBits = false
    private var inCell = false
    private var cellType = XLSXCellType.number
    private var cellStart = 0
    private var cellColumn = 0
    private var inInlineString = false
    private var inPhonetic = false
    private var capturing = false
    private var finished = false
    private var failure: ImportError?

    /// The sheet names in workbook order (worksheets and any chart sheets).
    public static func sheetNames(path: String) throws(ImportError) -> [String] {
        try XLSXPackage(path: path, limits: .standard).sheets.map(\.name)
    }

    /// Opens sheet `sheet` of the workbook at `path` (the name may differ in letter case).
    public init(path: String, sheet: String) throws(ImportError) {
        try self.init(path: path, sheet: sheet, limits: .standard)
    }

    /// Opens sheet `sheet` of the workbook at `path` with explicit safety limits.
    public init(path: String, sheet: String, limits: XLSXLimits) throws(ImportError) {
        let package = try XLSXPackage(path: path, limits: limits)
        let info = try package.sheet(named: sheet)
        let entry = try package.sheetEntry(info)
        strings = try package.sharedStrings()
        sheetName = info.name
        location = "\(path) [\(info.name)]"
        totalBytes = Int64(clamping: entry.compressedSize)
        sheetXMLBytes = Int64(clamping: entry.uncompressedSize)
        self.limits = limits
        scanner = XMLPullScanner(stream: package.stream(entry, label: "the sheet '\(info.name)'"), limits: limits)
    }

    /// Reads sheet XML from `stream` (tests feed it in chunks of any size).
    init(stream: XLSXPartStream, sheetName: String, location: String, strings: XLSXSharedStrings,
         xmlBytes: Int64, limits: XLSXLimits) {
        self.sheetName = sheetName
        self.location = location
        self.strings = strings
        totalBytes = xmlBytes
        sheetXMLBytes = xmlBytes
        self.limits = limits
        scanner = XMLPullScanner(stream: stream, limits: limits)
    }

    /// Estimated compressed bytes of the sheet's ZIP entry consumed so far (for progress): the
    /// share of the unpacked sheet XML parsed, scaled to ``totalBytes``, which it reaches at the end.
    /// It is not a position in the whole .xlsx file, which also holds other sheets.
    public var bytesRead: Int64 {
        guard sheetXMLBytes > 0 else { return totalBytes }
        let share = Double(scanner.bytesConsumed) / Double(sheetXMLBytes)
        return min(totalBytes, Int64(share * Double(totalBytes)))
    }

    /// The most bytes the scanner held at once (for tests of bounded memory).
    var peakBufferedBytes: Int { scanner.peakWindowBytes }

    /// The worker unpacking the sheet (for tests).
    var partStream: XLSXPartStream { scanner.stream }

    /// The next non-empty row, or `nil` after the last one.
    public mutating func next() throws(ImportError) -> TextRecord? {
        if let failure { throw failure }
        if finished { return nil }
        do {
            return try step()
        } catch {
            let importError: ImportError
            switch error {
            case let .xml(problem, column):
                importError = .syntax(SourceLocation(file: location, line: inRow ? rowNumber : lastRow + 1,
                                                     column: column), problem)
            case let .source(sourceError):
                importError = sourceError
            }
            failure = importError
            scanner.cancel()
            throw importError
        }
    }

    private mutating func step() throws(XMLScanError) -> TextRecord? {
        while true {
            switch try scanner.next() {
            case let .start(name, attributes, empty):
                switch scanner.tag(name) {
                case .sheetData:
                    inSheetData = !empty
                case .row where inRow:
                    throw .xml("a row inside a row", column: nil)
                case .row where inSheetData:
                    try beginRow(attributes)
                    if empty, let record = try endRow() { return record }
                case .c where inCell:
                    throw .xml("a cell inside a cell", column: cellColumn + 1)
                case .c where inRow:
                    try beginCell(attributes)
                    if empty { try endCell() }
                case .v where inCell:
                    capturing = !empty && cellType != .inlineString
                case .is where inCell:
                    // An inline string; tolerate writers that forget t="inlineStr".
                    if cellType != .inlineString, rowBytes.count == cellStart { cellType = .inlineString }
                    inInlineString = !empty && cellType == .inlineString
                case .t where inInlineString && !inPhonetic:
                    capturing = !empty
                case .rPh where inInlineString:
                    inPhonetic = !empty
                case .c:
                    throw .xml("a cell outside a row", column: nil)
                default:
                    break
                }
            case let .end(name):
                switch scanner.tag(name) {
                case .v, .t: capturing = false
                case .rPh: inPhonetic = false
                case .is: inInlineString = false
                case .c where inCell: try endCell()
                case .row where inRow:
                    if let record = try endRow() { return record }
                case .sheetData: inSheetData = false
                default: break
                }
            case let .text(range):
                if capturing {
                    if try scanner.appendDecoded(range, to: &rowBytes) { rowHighBits = true }
                    try checkCellSize()
                    try checkRowSize()
                }
            case let .cdata(range):
                if capturing {
                    if scanner.appendRaw(range, to: &rowBytes) { rowHighBits = true }
                    try checkCellSize()
                    try checkRowSize()
                }
            case .endOfDocument:
                if inRow { throw .xml("the sheet XML ends inside a row", column: nil) }
                finished = true
                return nil
            }
        }
    }

    private mutating func beginRow(_ attributes: Range<Int>) throws(XMLScanError) {
        let (r, _) = try scanner.cellAttributes(attributes)
        if let r {
            guard let number = scanner.integer(r), number > 0, number <= 1 << 40 else {
                throw .xml("the row number '\(scanner.text(r))' is not a positive whole number", column: nil)
            }
            rowNumber = number
        } else {
            rowNumber = lastRow + 1
        }
        inRow = true
        rowBytes = []
        rowBytes.reserveCapacity(512)
        rowEnds = []
        rowEnds.reserveCapacity(48)
        keptFields = 0
        rowHighBits = false
    }

    private mutating func beginCell(_ attributes: Range<Int>) throws(XMLScanError) {
        let (r, t) = try scanner.cellAttributes(attributes)
        let column: Int
        if let r {
            guard let parsed = scanner.column(r) else {
                throw .xml("'\(scanner.text(r))' is not a cell reference like B7", column: rowEnds.count + 1)
            }
            column = parsed
        } else {
            column = rowEnds.count
        }
        guard column >= rowEnds.count else {
            throw .xml("cell \(scanner.text(r ?? attributes)) comes after column \(XLSXColumn.name(rowEnds.count - 1)) "
                       + "(cells out of order or repeated)", column: column + 1)
        }
        guard column < XLSXColumn.maxColumns else {
            throw .xml("column \(column + 1) is beyond Excel's last column XFD", column: nil)
        }
        while rowEnds.count < column { rowEnds.append(rowBytes.count) }
        cellColumn = column
        cellType = t.map { scanner.cellType($0) } ?? .number
        cellStart = rowBytes.count
        inCell = true
        inInlineString = false
        inPhonetic = false
        capturing = false
    }

    private mutating func endCell() throws(XMLScanError) {
        inCell = false
        capturing = false
        inInlineString = false
        inPhonetic = false
        switch cellType {
        case .shared:
            // The <v> text is the string's number: replace it with the string.
            let parsed: Int?? = rowBytes.withUnsafeBufferPointer { bytes in
                var lower = cellStart
                var upper = bytes.count
                while lower < upper, isSpace(bytes[lower]) { lower += 1 }
                while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
                guard lower < upper else { return .some(nil) }
                guard upper - lower <= 10 else { return nil }
                var value = 0
                for i in lower..<upper {
                    guard bytes[i] >= zero, bytes[i] <= nine else { return nil }
                    value = value * 10 + Int(bytes[i] - zero)
                }
                return value
            }
            guard let parsed else {
                throw .xml("'\(String(decoding: rowBytes[cellStart...], as: UTF8.self))' is not a shared-string number",
                           column: cellColumn + 1)
            }
            rowBytes.removeLast(rowBytes.count - cellStart)
            if let index = parsed {
                guard index < strings.count else {
                    throw .xml("shared string \(index) does not exist (the workbook has \(strings.count))",
                               column: cellColumn + 1)
                }
                strings.append(index, to: &rowBytes)
            }
        case .inlineString, .formulaString:
            XLSXEscapes.unescape(&rowBytes, from: cellStart)
        case .number, .boolean, .error, .date, .other:
            break
        }
        try checkCellSize()
        rowEnds.append(rowBytes.count)
        if rowBytes.count > cellStart { keptFields = rowEnds.count }
        try checkRowSize()
    }

    private mutating func endRow() throws(XMLScanError) -> TextRecord? {
        if inCell { try endCell() }
        guard keptFields > 0 else {
            inRow = false
            lastRow = rowNumber
            return nil
        }
        if rowEnds.count > keptFields { rowEnds.removeLast(rowEnds.count - keptFields) }
        let record = TextRecord(bytes: rowBytes, ends: rowEnds, line: rowNumber)
        if rowHighBits {
            for index in 0..<record.count where String(validating: record.bytes[record.range(index)], as: UTF8.self) == nil {
                throw .xml("the cell \(XLSXColumn.name(index))\(rowNumber) is not valid UTF-8 text", column: index + 1)
            }
        }
        inRow = false
        lastRow = rowNumber
        return record
    }

    @inline(__always) private func checkCellSize() throws(XMLScanError) {
        if rowBytes.count - cellStart > limits.maxCellBytes {
            throw .xml("the cell \(XLSXColumn.name(cellColumn))\(rowNumber) holds more than \(CSVReader.size(limits.maxCellBytes)) "
                       + "of text, remit's limit for one cell; is this the right file?", column: cellColumn + 1)
        }
    }

    @inline(__always) private func checkRowSize() throws(XMLScanError) {
        if rowBytes.count > limits.maxRowBytes {
            throw .xml("the row holds more than \(limits.maxRowBytes) bytes of text", column: nil)
        }
    }
}

// MARK: - Cells

enum XLSXCellType {
    case shared, inlineString, formulaString, number, boolean, error, date, other
}

/// Column letters: A = 0, Z = 25, AA = 26, …, XFD = 16383.
enum XLSXColumn {
    static let maxColumns = 16_384

    static func name(_ index: Int) -> String {
        guard index >= 0 else { return "A" }
        var index = index
        var letters: [UInt8] = []
        repeat {
            letters.append(UInt8(ascii: "A") + UInt8(index % 26))
            index = index / 26 - 1
        } while index >= 0
        return String(decoding: letters.reversed(), as: UTF8.self)
    }
}

/// Excel's `_xHHHH_` escapes in string values (ST_Xstring): `_x000D_` is a carriage return,
/// `_x005F_` an underscore.
enum XLSXEscapes {
    /// Replaces the escapes in `bytes[from...]` with the characters they stand for.
    static func unescape(_ bytes: inout [UInt8], from start: Int) {
        guard bytes.count - start >= 7 else { return }
        var i = start
        var found = false
        while i + 6 < bytes.count {
            if bytes[i] == underscore, bytes[i + 1] == lowerX, bytes[i + 6] == underscore, hexValue(bytes, i + 2) != nil {
                found = true
                break
            }
            i += 1
        }
        guard found else { return }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count - start)
        var j = start
        while j < bytes.count {
            if j + 6 < bytes.count, bytes[j] == underscore, bytes[j + 1] == lowerX, bytes[j + 6] == underscore,
               let unit = hexValue(bytes, j + 2) {
                if (0xD800..<0xDC00).contains(unit), j + 13 < bytes.count, bytes[j + 7] == underscore,
                   bytes[j + 8] == lowerX, bytes[j + 13] == underscore, let low = hexValue(bytes, j + 9),
                   (0xDC00..<0xE000).contains(low) {
                    let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    if let value = Unicode.Scalar(scalar) {
                        out.append(contentsOf: String(Character(value)).utf8)
                        j += 14
                        continue
                    }
                } else if let value = Unicode.Scalar(unit) {
                    out.append(contentsOf: String(Character(value)).utf8)
                    j += 7
                    continue
                }
            }
            out.append(bytes[j])
            j += 1
        }
        bytes.replaceSubrange(start..., with: out)
    }

    private static func hexValue(_ bytes: [UInt8], _ at: Int) -> UInt32? {
        var value: UInt32 = 0
        for k in at..<(at + 4) {
            guard let digit = hexDigit(bytes[k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }
}

private func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case zero...nine: UInt32(byte - zero)
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}

// MARK: - Shared strings

/// The workbook's shared-string table: every string's UTF-8 bytes in one array.
struct XLSXSharedStrings: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []

    var count: Int { ends.count }

    init() {}

    /// A table of these strings (for tests).
    init(_ strings: [String]) {
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            ends.append(bytes.count)
        }
    }

    func append(_ index: Int, to out: inout [UInt8]) {
        let start = index == 0 ? 0 : ends[index - 1]
        bytes.withUnsafeBufferPointer { all in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<ends[index]]))
        }
    }

    /// Reads `<sst><si><t>…</t></si><si><r><t>…</t></r>…</si></sst>`: rich-text runs are
    /// concatenated, phonetic runs (`<rPh>`) ignored.
    static func read(_ scanner: inout XMLPullScanner, part: String, fileName: String,
                     limit: Int) throws(ImportError) -> XLSXSharedStrings {
        var table = XLSXSharedStrings()
        var inItem = false
        var inPhonetic = false
        var capturing = false
        var itemStart = 0
        var highBits = false
        func fail(_ problem: String) -> ImportError {
            .unreadable(file: fileName, reason: "the shared strings (\(part)) are damaged: \(problem)")
        }
        do {
            loop: while true {
                switch try scanner.next() {
                case let .start(name, _, empty):
                    switch scanner.tag(name) {
                    case .si:
                        inItem = !empty
                        itemStart = table.bytes.count
                        highBits = false
                        if empty { table.ends.append(table.bytes.count) }
                    case .rPh where inItem: inPhonetic = !empty
                    case .t where inItem && !inPhonetic: capturing = !empty
                    default: break
                    }
                case let .end(name):
                    switch scanner.tag(name) {
                    case .t: capturing = false
                    case .rPh: inPhonetic = false
                    case .si where inItem:
                        inItem = false
                        XLSXEscapes.unescape(&table.bytes, from: itemStart)
                        if highBits, String(validating: table.bytes[itemStart...], as: UTF8.self) == nil {
                            throw fail("string \(table.count + 1) is not valid UTF-8 text")
                        }
                        table.ends.append(table.bytes.count)
                    default: break
                    }
                case let .text(range):
                    if capturing, try scanner.appendDecoded(range, to: &table.bytes) { highBits = true }
                case let .cdata(range):
                    if capturing, scanner.appendRaw(range, to: &table.bytes) { highBits = true }
                case .endOfDocument:
                    break loop
                }
                if table.bytes.count + 8 * table.ends.count > limit {
                    throw ImportError.unreadable(
                        file: fileName,
                        reason: "the shared strings (\(part)) take more than \(XLSXPackage.size(UInt64(limit))) of memory; "
                            + "refusing to load them")
                }
            }
        } catch let error as XMLScanError {
            scanner.cancel()
            switch error {
            case let .xml(problem, _): throw fail("\(problem) (at string \(table.count + 1))")
            case let .source(sourceError): throw sourceError
            }
        } catch let error as ImportError {
            scanner.cancel()
            throw error
        } catch {
            scanner.cancel()
            throw fail("\(error)")
        }
        return table
    }
}

// MARK: - Package (ZIP archive, relationships, workbook)

/// An opened .xlsx package: its sheets and where their parts are.
struct XLSXPackage {
    struct Sheet {
        enum Kind { case worksheet, chartsheet, other }
        let name: String
        let part: String?
        let kind: Kind
    }

    let path: String
    let archive: ZipArchive
    let limits: XLSXLimits
    let workbookPart: String
    let sheets: [Sheet]
    let sharedStringsPart: String?

    init(path: String, limits: XLSXLimits) throws(ImportError) {
        self.path = path
        self.limits = limits
        try Self.checkFile(path)
        do {
            archive = try ZipArchive(path: path)
        } catch {
            throw .unreadable(file: path, reason: "not an .xlsx workbook (the ZIP archive is damaged or truncated)")
        }
        // The main part, normally xl/workbook.xml.
        var workbookPart = "xl/workbook.xml"
        if let rootRels = Self.find(archive, "_rels/.rels") {
            let relationships = try Self.parseRelationships(Self.readWhole(archive, rootRels, path: path, limits: limits),
                                                            part: "_rels/.rels", path: path)
            if let main = relationships.values.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.external }) {
                workbookPart = Self.resolve(main.target, from: "")
            }
        }
        guard let workbookEntry = Self.find(archive, workbookPart) else {
            if Self.find(archive, "mimetype") != nil, Self.find(archive, "content.xml") != nil {
                throw .unreadable(file: path, reason: "not an .xlsx workbook (it looks like an OpenDocument .ods file; "
                                  + "save it as an Excel workbook)")
            }
            throw .unreadable(file: path, reason: "not an .xlsx workbook (a ZIP archive without \(workbookPart))")
        }
        self.workbookPart = workbookPart
        let workbook = WorkbookXMLParser()
        try Self.parseXML(Self.readWhole(archive, workbookEntry, path: path, limits: limits), delegate: workbook,
                          part: workbookPart, path: path)
        var relationships: [String: Relationship] = [:]
        let relsPart = Self.relationshipsPart(of: workbookPart)
        if let relsEntry = Self.find(archive, relsPart) {
            relationships = try Self.parseRelationships(Self.readWhole(archive, relsEntry, path: path, limits: limits),
                                                        part: relsPart, path: path)
        }
        sheets = workbook.sheets.map { sheet in
            guard let id = sheet.relationship, let relationship = relationships[id], !relationship.external else {
                return Sheet(name: sheet.name, part: nil, kind: .other)
            }
            let type = relationship.type
            let kind: Sheet.Kind = type.hasSuffix("/worksheet") ? .worksheet : type.hasSuffix("/chartsheet") ? .chartsheet : .other
            return Sheet(name: sheet.name, part: Self.resolve(relationship.target, from: workbookPart), kind: kind)
        }
        if let strings = relationships.values.first(where: { $0.type.hasSuffix("/sharedStrings") && !$0.external }) {
            sharedStringsPart = Self.resolve(strings.target, from: workbookPart)
        } else {
            sharedStringsPart = nil
        }
    }

    func sheet(named name: String) throws(ImportError) -> Sheet {
        if let sheet = sheets.first(where: { $0.name == name }) { return sheet }
        let folded = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let sheet = sheets.first(where: { $0.name.lowercased() == folded }) { return sheet }
        let names = sheets.map { "'\($0.name)'" }.joined(separator: ", ")
        throw .unreadable(file: path, reason: sheets.isEmpty
                          ? "the workbook has no sheet named '\(name)'; it has no sheets at all"
                          : "the workbook has no sheet named '\(name)'; its sheets are \(names)")
    }

    func sheetEntry(_ sheet: Sheet) throws(ImportError) -> ZipEntry {
        switch sheet.kind {
        case .worksheet: break
        case .chartsheet: throw .unreadable(file: path, reason: "'\(sheet.name)' is a chart, not a sheet of cells")
        case .other: throw .unreadable(file: path, reason: "'\(sheet.name)' is not a worksheet the reader understands")
        }
        guard let part = sheet.part, let entry = Self.find(archive, part) else {
            throw .unreadable(file: path, reason: "the workbook lists the sheet '\(sheet.name)' but its part "
                              + "\(sheet.part ?? "") is missing (the file is damaged)")
        }
        try Self.check(entry, label: "the sheet '\(sheet.name)'", path: path, limits: limits)
        return entry
    }

    func sharedStrings() throws(ImportError) -> XLSXSharedStrings {
        guard let part = sharedStringsPart else { return XLSXSharedStrings() }
        guard let entry = Self.find(archive, part) else {
            throw .unreadable(file: path, reason: "the shared strings part \(part) is missing (the file is damaged)")
        }
        try Self.check(entry, label: "the shared strings (\(part))", path: path, limits: limits)
        var scanner = XMLPullScanner(stream: stream(entry, label: "the shared strings (\(part))"), limits: limits)
        return try XLSXSharedStrings.read(&scanner, part: part, fileName: path, limit: limits.maxSharedStringBytes)
    }

    /// Starts unpacking `entry` on a worker thread.
    func stream(_ entry: ZipEntry, label: String) -> XLSXPartStream {
        XLSXPartStream(archivePath: path, entryPath: entry.path, declaredSize: entry.uncompressedSize,
                       checksum: entry.checksum, label: label, limits: limits)
    }

    // MARK: Helpers

    private static func checkFile(_ path: String) throws(ImportError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(file: path, reason: "it is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(file: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let magic = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw .unreadable(file: path, reason: "not an .xlsx workbook (it is an old-style .xls file or a "
                              + "password-protected workbook; save it as an unprotected Excel workbook, .xlsx)")
        }
        guard magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) || magic.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw .unreadable(file: path, reason: "not an .xlsx workbook (not a ZIP archive)")
        }
    }

    /// The entry at `part`; part names are case-insensitive in Office packages.
    static func find(_ archive: ZipArchive, _ part: String) -> ZipEntry? {
        if let entry = archive[part] { return entry }
        let folded = part.lowercased()
        return archive.entries.first { $0.path.lowercased() == folded }
    }

    /// Refuses entries whose declared size is absurd, before unpacking anything.
    static func check(_ entry: ZipEntry, label: String, path: String, limits: XLSXLimits) throws(ImportError) {
        guard entry.isFile else {
            throw .unreadable(file: path, reason: "\(label) is not a file in the archive (the file is damaged)")
        }
        let unpacked = entry.uncompressedSize
        let packed = entry.compressedSize
        if unpacked > limits.maxPartBytes {
            throw .unreadable(file: path, reason: "\(label) would unpack to \(Self.size(unpacked)), more than the "
                              + "limit of \(Self.size(limits.maxPartBytes))")
        }
        if unpacked > limits.ratioFloor, packed == 0 || unpacked / packed > limits.maxRatio {
            throw .unreadable(file: path, reason: "\(label) would unpack to \(Self.size(unpacked)) from "
                              + "\(Self.size(packed)), more than \(limits.maxRatio) times its compressed size; "
                              + "refusing it as a likely zip bomb")
        }
    }

    /// A part read whole (small metadata parts only).
    private static func readWhole(_ archive: ZipArchive, _ entry: ZipEntry, path: String,
                                  limits: XLSXLimits) throws(ImportError) -> Data {
        let label = "the part \(entry.path)"
        try check(entry, label: label, path: path, limits: limits)
        guard entry.uncompressedSize <= limits.maxMetadataBytes else {
            throw .unreadable(file: path, reason: "\(label) would unpack to \(size(entry.uncompressedSize)), more "
                              + "than the limit of \(size(limits.maxMetadataBytes)) for workbook metadata")
        }
        let stream = XLSXPartStream(archivePath: path, entryPath: entry.path, declaredSize: entry.uncompressedSize,
                                    checksum: entry.checksum, label: label, limits: limits)
        var data = Data()
        data.reserveCapacity(Int(entry.uncompressedSize))
        while let chunk = try stream.take() { data.append(chunk) }
        return data
    }

    struct Relationship {
        let type: String
        let target: String
        let external: Bool
    }

    private static func parseRelationships(_ data: Data, part: String, path: String) throws(ImportError) -> [String: Relationship] {
        let parser = RelationshipsXMLParser()
        try parseXML(data, delegate: parser, part: part, path: path)
        return parser.relationships
    }

    private static func parseXML(_ data: Data, delegate: PartXMLParser, part: String, path: String) throws(ImportError) {
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw .unreadable(file: path, reason: "\(part) declares a DTD or entities, which workbooks never do; refusing it")
        }
        // XMLParser crashes on some input (see XMLInput); Excel and LibreOffice write neither kind.
        if let line = XMLInput.lineOfInvalidUTF8(data) {
            throw .unreadable(file: path, reason: "\(part) is not UTF-8 text (line \(line)); the file is damaged")
        }
        if let line = XMLInput.lineOfProcessingInstruction([UInt8](data)) {
            throw .unreadable(file: path, reason: "\(part) holds a processing instruction (<?…?>) at line \(line), "
                              + "which workbooks never do; refusing it")
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        // On Linux `parse()` can return true after reporting errors (libxml2 recovers), so
        // the error callback and `parserError` are checked as well.
        let parsed = parser.parse()
        if let error = delegate.firstError ?? parser.parserError ?? (parsed ? nil : CocoaError(.fileReadCorruptFile)) {
            throw .unreadable(file: path, reason: "\(part) is not well-formed XML at line \(delegate.errorLine ?? parser.lineNumber) "
                              + "(XML parser error \((error as NSError).code))")
        }
    }

    /// The relationships part of `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationshipsPart(of part: String) -> String {
        var components = part.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let name = components.popLast() ?? ""
        return (components + ["_rels", name + ".rels"]).joined(separator: "/")
    }

    /// Resolves a relationship target against the part that holds the relationship.
    static func resolve(_ target: String, from source: String) -> String {
        var target = target
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        target = target.removingPercentEncoding ?? target
        var components: [String]
        if target.hasPrefix("/") {
            components = []
        } else {
            components = source.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            _ = components.popLast()
        }
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        return components.joined(separator: "/")
    }

    static func size(_ bytes: UInt64) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) bytes"
    }
}

/// Guards for Foundation's `XMLParser`, which on Linux (swift-corelibs-foundation, Swift 6.3)
/// takes the whole process down on two kinds of input, both found by fuzzing (scripts/fuzz.sh):
/// an element or attribute name that is not UTF-8 (it force-unwraps the decoded name), and a
/// processing instruction without data, `<?a?>` (it calls `strlen` on a null pointer). Neither
/// occurs in ECB files or workbook parts, so such input is refused before XMLParser sees it.
enum XMLInput {
    /// The 1-based line of the first processing instruction other than a leading XML declaration
    /// (`<?xml version="1.0"?>`), or `nil` when there is none.
    static func lineOfProcessingInstruction(_ bytes: [UInt8]) -> Int? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let lt = UInt8(ascii: "<"), question = UInt8(ascii: "?"), newline = UInt8(ascii: "\n")
        var line = 1
        var index = 0
        while index + 1 < bytes.count {
            let byte = bytes[index]
            if byte == newline {
                line += 1
            } else if byte == lt, bytes[index + 1] == question {
                let declaration = index == start && index + 5 < bytes.count
                    && bytes[(index + 2)..<(index + 5)].elementsEqual("xml".utf8)
                    && [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index + 5])
                if !declaration { return line }
            }
            index += 1
        }
        return nil
    }

    /// The 1-based line holding the first byte that is not UTF-8, or `nil` when every byte is.
    static func lineOfInvalidUTF8(_ bytes: some Collection<UInt8>) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }
}

private func localName(_ name: String) -> Substring {
    if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
    return name[...]
}

/// A delegate for the small parts read with `XMLParser`, remembering the first error.
private class PartXMLParser: NSObject, XMLParserDelegate {
    var firstError: Error?
    var errorLine: Int?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if firstError == nil {
            firstError = parseError
            errorLine = parser.lineNumber
        }
    }

    // Declared here so subclasses override them: on Linux the protocol's witnesses are this class's.
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {}
}

/// `<Relationships><Relationship Id= Type= Target= TargetMode=/>…`
private final class RelationshipsXMLParser: PartXMLParser {
    var relationships: [String: XLSXPackage.Relationship] = [:]

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard localName(elementName) == "Relationship", let id = attributeDict["Id"],
              let target = attributeDict["Target"] else { return }
        relationships[id] = XLSXPackage.Relationship(type: attributeDict["Type"] ?? "", target: target,
                                                     external: attributeDict["TargetMode"] == "External")
    }
}

/// `<workbook><sheets><sheet name= r:id=/>…</sheets></workbook>`
private final class WorkbookXMLParser: PartXMLParser {
    var sheets: [(name: String, relationship: String?)] = []
    private var inSheets = false

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch localName(elementName) {
        case "sheets":
            inSheets = true
        case "sheet" where inSheets:
            guard let name = attributeDict["name"] else { return }
            let id = attributeDict.first { $0.key.contains(":") && localName($0.key) == "id" }?.value
            sheets.append((name, id))
        default:
            break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if localName(elementName) == "sheets" { inSheets = false }
    }
}

// MARK: - Unpacking on a worker thread

/// Unpacks one ZIP entry on a worker thread and hands its bytes over in chunks through a
/// small bounded queue, so a reader can pull at its own pace with bounded memory.
///
/// The worker opens its own `ZipArchive` (each has its own file handle) and
/// stops early when the reader is gone (``cancel()``). It refuses more bytes than the archive
/// declares for the entry and checks the length and CRC at the end.
final class XLSXPartStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Data] = []
    private var finished = false
    private var failure: ImportError?
    private var cancelled = false
    private let capacity = 4
    private let stallTimeout: TimeInterval
    private let label: String
    private let fileName: String

    static let chunkSize = 1 << 16

    /// Starts unpacking the entry `entryPath` of the archive at `archivePath`.
    convenience init(archivePath: String, entryPath: String, declaredSize: UInt64, checksum: UInt32, label: String,
                     limits: XLSXLimits) {
        self.init(fileName: archivePath, label: label, limits: limits) { stream in
            stream.unpack(archivePath: archivePath, entryPath: entryPath, declaredSize: declaredSize, checksum: checksum)
        }
    }

    /// Runs `produce` on a worker thread; it hands chunks over with ``put(_:)`` and returns the
    /// failure, if any, that ends the stream.
    init(fileName: String, label: String, limits: XLSXLimits,
         produce: @escaping @Sendable (XLSXPartStream) -> ImportError?) {
        stallTimeout = limits.stallTimeout
        self.label = label
        self.fileName = fileName
        let thread = Thread { [self] in finish(produce(self)) }
        thread.name = "remit.xlsx-unpack"
        thread.start()
    }

    private enum Stop: Error { case cancelled, oversized }

    private func unpack(archivePath: String, entryPath: String, declaredSize: UInt64, checksum: UInt32) -> ImportError? {
        var problem: String?
        do {
            let archive = try ZipArchive(path: archivePath)
            guard let entry = archive[entryPath] else { throw ZipError.damaged("\(entryPath) is missing") }
            var total: UInt64 = 0
            let crc = try archive.extract(entry, bufferSize: Self.chunkSize) { data in
                total += UInt64(data.count)
                guard total <= declaredSize else { throw Stop.oversized }
                guard !data.isEmpty else { return }
                guard self.put(data) else { throw Stop.cancelled }
            }
            if total != declaredSize {
                problem = "\(label) holds \(total) bytes where the archive says \(declaredSize); the file is damaged"
            } else if crc != checksum {
                problem = "\(label) is damaged (its checksum does not match)"
            }
        } catch Stop.cancelled {
            problem = nil
        } catch Stop.oversized {
            problem = "\(label) unpacks to more than the \(declaredSize) bytes the archive declares; refusing it "
                + "(a damaged file or a zip bomb)"
        } catch {
            problem = "\(label) cannot be unpacked (\(error)); the file is damaged"
        }
        return problem.map { ImportError.unreadable(file: fileName, reason: $0) }
    }

    /// Queues a chunk, waiting while the queue is full; `false` once the reader has gone.
    func put(_ data: Data) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(data)
        condition.broadcast()
        return true
    }

    private func finish(_ failure: ImportError?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        self.failure = failure
        condition.broadcast()
    }

    /// The next chunk, or `nil` at the end of an intact entry.
    func take() throws(ImportError) -> Data? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished {
            if !condition.wait(until: Date(timeIntervalSinceNow: stallTimeout)), queue.isEmpty, !finished {
                cancelled = true
                throw .unreadable(file: fileName, reason: "unpacking \(label) stopped making progress for "
                                  + "\(String(format: "%g", stallTimeout)) s; the ZIP data looks damaged")
            }
        }
        if !queue.isEmpty {
            let chunk = queue.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }

    /// Whether the reader has gone (for producers that are not unpacking).
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Stops the worker at its next chunk.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        queue.removeAll()
        condition.broadcast()
    }
}

/// Cancels the worker when the last reader holding the stream goes away.
final class XLSXStreamOwner {
    let stream: XLSXPartStream
    init(_ stream: XLSXPartStream) { self.stream = stream }
    deinit { stream.cancel() }
}

// MARK: - XML pull scanner

/// Why scanning failed: the XML (with the 1-based column of the cell, if known) or the bytes' source.
enum XMLScanError: Error {
    case xml(String, column: Int?)
    case source(ImportError)
}

/// Bytes held between chunk boundaries: a manually managed buffer so the scanner can index it
/// without copy-on-write or exclusivity checks in its inner loops.
final class XLSXByteWindow {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Drops the first `n` bytes.
    func dropFirst(_ n: Int) {
        guard n > 0 else { return }
        let keep = count - n
        if keep > 0 { memmove(base, base + n, keep) }
        count = keep
    }

    func append(_ data: Data) {
        if count + data.count > capacity {
            let newCapacity = max(capacity * 2, count + data.count)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        data.copyBytes(to: base + count, count: data.count)
        count += data.count
    }
}

/// A pull tokenizer for the XML of spreadsheet parts, over chunks from an ``XLSXPartStream``.
///
/// It yields start tags (name and attribute bytes), end tags, text and CDATA as byte ranges of
/// its window (valid until the next call), skips comments and processing instructions, and checks
/// well-formedness: tags match, attributes are quoted, entities are known, no DTD, one root.
/// Namespace prefixes are ignored (`x:row` is `row`).
struct XMLPullScanner {
    enum Event {
        case start(Range<Int>, attributes: Range<Int>, empty: Bool)
        case end(Range<Int>)
        case text(Range<Int>)
        case cdata(Range<Int>)
        case endOfDocument
    }

    enum Tag { case sheetData, row, c, v, t, `is`, r, rPh, si, sst, other }

    private let owner: XLSXStreamOwner
    private let window = XLSXByteWindow(capacity: XLSXPartStream.chunkSize * 2)
    /// The window's bytes and how many are filled, cached here: the hot loops then read no class state.
    private var base: UnsafeMutablePointer<UInt8>
    private var filled = 0
    private var pos = 0
    private var atEnd = false
    private var started = false
    private var dropped: Int64 = 0
    private var stackBytes: [UInt8] = []
    private var stackEnds: [Int] = []
    private var sawRoot = false
    private let maxTokenBytes: Int
    private let maxDepth = 256
    private(set) var peakWindowBytes = 0

    init(stream: XLSXPartStream, limits: XLSXLimits) {
        owner = XLSXStreamOwner(stream)
        maxTokenBytes = limits.maxTokenBytes
        base = window.base
    }

    /// Unpacked bytes consumed so far.
    var bytesConsumed: Int64 { dropped + Int64(pos) }

    /// The unpacking stream (for tests).
    var stream: XLSXPartStream { owner.stream }

    func cancel() { owner.stream.cancel() }

    // MARK: Events

    mutating func next() throws(XMLScanError) -> Event {
        if !started { try start() }
        while true {
            let end = filled
            if pos >= end {
                if atEnd { return try endOfDocument() }
                try refill()
                continue
            }
            if base[pos] != lt {
                if let next = find(lt, from: pos, to: end) {
                    defer { pos = next }
                    if stackEnds.isEmpty { try checkOutside(pos..<next) }
                    return .text(pos..<next)
                }
                if atEnd {
                    defer { pos = end }
                    if stackEnds.isEmpty { try checkOutside(pos..<end) }
                    return .text(pos..<end)
                }
                let cut = safeCut(end)
                if cut > pos {
                    defer { pos = cut }
                    if stackEnds.isEmpty { try checkOutside(pos..<cut) }
                    return .text(pos..<cut)
                }
                try more()
                continue
            }
            guard pos + 1 < end else { try more(); continue }
            switch base[pos + 1] {
            case slash:
                guard let close = find(gt, from: pos + 2, to: end) else { try more(); continue }
                var nameEnd = close
                while nameEnd > pos + 2, isSpace(base[nameEnd - 1]) { nameEnd -= 1 }
                let name = (pos + 2)..<nameEnd
                try checkName(name)
                try pop(name)
                pos = close + 1
                return .end(name)
            case question:
                guard let close = find(question, gt, from: pos + 2, to: end) else { try more(); continue }
                pos = close
            case bang:
                if hasPrefix("<!--", at: pos, end: end) {
                    guard let close = find(dash, dash, gt, from: pos + 4, to: end) else { try more(); continue }
                    pos = close
                } else if hasPrefix("<![CDATA[", at: pos, end: end) {
                    guard let close = find(rbracket, rbracket, gt, from: pos + 9, to: end) else { try more(); continue }
                    guard !stackEnds.isEmpty else { throw .xml("a CDATA section outside the root element", column: nil) }
                    let range = (pos + 9)..<(close - 3)
                    pos = close
                    return .cdata(range)
                } else if end - pos < 9, !atEnd {
                    try more()
                } else {
                    throw .xml("a DTD or other declaration (<!…>), which workbooks never contain", column: nil)
                }
            default:
                var i = pos + 1
                while i < end, !isSpace(base[i]), base[i] != slash, base[i] != gt { i += 1 }
                guard i < end else { try more(); continue }
                let name = (pos + 1)..<i
                try checkName(name)
                // Find the closing '>' outside quoted attribute values.
                var close: Int?
                while i < end {
                    let byte = base[i]
                    if byte == gt {
                        close = i
                        break
                    } else if byte == quote || byte == apostrophe {
                        guard let match = find(byte, from: i + 1, to: end) else { break }
                        i = match + 1
                    } else if byte == lt {
                        throw .xml("a '<' inside the tag <\(text(name))>", column: nil)
                    } else {
                        i += 1
                    }
                }
                guard let close else { try more(); continue }
                let empty = base[close - 1] == slash && close - 1 >= name.upperBound
                let attributes = name.upperBound..<(empty ? close - 1 : close)
                if empty {
                    if stackEnds.isEmpty {
                        guard !sawRoot else { throw .xml("a second root element <\(text(name))>", column: nil) }
                        sawRoot = true
                    }
                } else {
                    try push(name)
                }
                pos = close + 1
                return .start(name, attributes: attributes, empty: empty)
            }
        }
    }

    private mutating func start() throws(XMLScanError) {
        started = true
        while filled - pos < 4, !atEnd { try refill() }
        let available = filled - pos
        if available >= 3, base[pos] == 0xEF, base[pos + 1] == 0xBB, base[pos + 2] == 0xBF {
            pos += 3
        } else if available >= 2, (base[pos] == 0xFE && base[pos + 1] == 0xFF) || (base[pos] == 0xFF && base[pos + 1] == 0xFE) {
            throw .xml("the XML is UTF-16, which this reader does not support", column: nil)
        }
    }

    private mutating func endOfDocument() throws(XMLScanError) -> Event {
        if let open = stackEnds.indices.last {
            let name = String(decoding: stackBytes[(open == 0 ? 0 : stackEnds[open - 1])..<stackEnds[open]], as: UTF8.self)
            throw .xml("the XML ends before </\(name)> (the part is truncated or damaged)", column: nil)
        }
        guard sawRoot else { throw .xml("the part holds no XML element", column: nil) }
        return .endOfDocument
    }

    /// Asks for more bytes for an incomplete token.
    private mutating func more() throws(XMLScanError) {
        if atEnd {
            throw .xml("the XML ends inside a tag (the part is truncated or damaged)", column: nil)
        }
        if filled - pos > maxTokenBytes {
            throw .xml("a tag, comment or CDATA section is longer than \(maxTokenBytes) bytes", column: nil)
        }
        try refill()
    }

    private mutating func refill() throws(XMLScanError) {
        let chunk: Data?
        do { chunk = try owner.stream.take() } catch { throw .source(error) }
        guard let chunk else {
            atEnd = true
            return
        }
        window.dropFirst(pos)
        dropped += Int64(pos)
        pos = 0
        window.append(chunk)
        base = window.base
        filled = window.count
        peakWindowBytes = max(peakWindowBytes, filled)
    }

    /// Where a text run may end without splitting an entity reference or a CR LF pair.
    private func safeCut(_ end: Int) -> Int {
        var cut = end
        var k = end - 1
        let stop = max(pos, end - 12)
        while k >= stop {
            if base[k] == semicolon { break }
            if base[k] == amp {
                cut = k
                break
            }
            k -= 1
        }
        if cut == end, end > pos, base[end - 1] == cr { cut = end - 1 }
        return cut
    }

    private func checkOutside(_ range: Range<Int>) throws(XMLScanError) {
        for i in range where !isSpace(base[i]) {
            throw .xml("text outside the root element", column: nil)
        }
    }

    private func checkName(_ name: Range<Int>) throws(XMLScanError) {
        guard let first = name.first.map({ base[$0] }),
              first >= 0x80 || first == underscore || first == colon || (first | 0x20) >= lowerA && (first | 0x20) <= lowerZ
        else {
            throw .xml("a malformed tag", column: nil)
        }
    }

    private mutating func push(_ name: Range<Int>) throws(XMLScanError) {
        if stackEnds.isEmpty {
            guard !sawRoot else { throw .xml("a second root element <\(text(name))>", column: nil) }
            sawRoot = true
        }
        guard stackEnds.count < maxDepth else { throw .xml("elements nested more than \(maxDepth) deep", column: nil) }
        stackBytes.append(contentsOf: UnsafeBufferPointer(start: base + name.lowerBound, count: name.count))
        stackEnds.append(stackBytes.count)
    }

    private mutating func pop(_ name: Range<Int>) throws(XMLScanError) {
        guard let top = stackEnds.indices.last else {
            throw .xml("an end tag </\(text(name))> without its start tag", column: nil)
        }
        let start = top == 0 ? 0 : stackEnds[top - 1]
        let length = stackEnds[top] - start
        var same = length == name.count
        var k = 0
        while same, k < length {
            same = stackBytes[start + k] == base[name.lowerBound + k]
            k += 1
        }
        guard same else {
            let open = String(decoding: stackBytes[start..<stackEnds[top]], as: UTF8.self)
            throw .xml("</\(text(name))> where </\(open)> was expected", column: nil)
        }
        stackBytes.removeLast(length)
        stackEnds.removeLast()
    }

    // MARK: Reading tokens

    /// The element's local name (after any namespace prefix) as one of the names the readers use.
    func tag(_ name: Range<Int>) -> Tag {
        let tag = localTag(base + name.lowerBound, name.count)
        guard tag == .other else { return tag }
        // A prefixed name (x:row): look at the part after the last colon.
        var start = name.lowerBound
        for i in name where base[i] == colon { start = i + 1 }
        return start == name.lowerBound ? .other : localTag(base + start, name.upperBound - start)
    }

    @inline(__always) private func localTag(_ p: UnsafeMutablePointer<UInt8>, _ length: Int) -> Tag {
        switch length {
        case 1:
            switch p[0] {
            case UInt8(ascii: "c"): return .c
            case UInt8(ascii: "v"): return .v
            case UInt8(ascii: "t"): return .t
            case UInt8(ascii: "r"): return .r
            default: return .other
            }
        case 2:
            if p[0] == UInt8(ascii: "i"), p[1] == UInt8(ascii: "s") { return .is }
            if p[0] == UInt8(ascii: "s"), p[1] == UInt8(ascii: "i") { return .si }
            return .other
        case 3:
            if p[0] == UInt8(ascii: "r"), p[1] == UInt8(ascii: "o"), p[2] == UInt8(ascii: "w") { return .row }
            if p[0] == UInt8(ascii: "r"), p[1] == UInt8(ascii: "P"), p[2] == UInt8(ascii: "h") { return .rPh }
            if p[0] == UInt8(ascii: "s"), p[1] == UInt8(ascii: "s"), p[2] == UInt8(ascii: "t") { return .sst }
            return .other
        case 9:
            return memcmp(p, "sheetData", 9) == 0 ? .sheetData : .other
        default:
            return .other
        }
    }

    /// The values of the `r` and `t` attributes among `range`, checking the attributes' syntax.
    func cellAttributes(_ range: Range<Int>) throws(XMLScanError) -> (r: Range<Int>?, t: Range<Int>?) {
        var r: Range<Int>?
        var t: Range<Int>?
        var i = range.lowerBound
        let end = range.upperBound
        while true {
            while i < end, isSpace(base[i]) { i += 1 }
            if i >= end { return (r, t) }
            let nameStart = i
            while i < end, !isSpace(base[i]), base[i] != equals { i += 1 }
            let nameEnd = i
            while i < end, isSpace(base[i]) { i += 1 }
            guard nameEnd > nameStart, i < end, base[i] == equals else {
                throw .xml("malformed attributes '\(text(range))'", column: nil)
            }
            i += 1
            while i < end, isSpace(base[i]) { i += 1 }
            guard i < end, base[i] == quote || base[i] == apostrophe,
                  let close = find(base[i], from: i + 1, to: end) else {
                throw .xml("malformed attributes '\(text(range))'", column: nil)
            }
            let value = (i + 1)..<close
            if nameEnd - nameStart == 1 {
                if base[nameStart] == UInt8(ascii: "r") { r = value } else if base[nameStart] == UInt8(ascii: "t") { t = value }
            }
            i = close + 1
            guard i >= end || isSpace(base[i]) else {
                throw .xml("malformed attributes '\(text(range))'", column: nil)
            }
        }
    }

    func cellType(_ range: Range<Int>) -> XLSXCellType {
        let p = base + range.lowerBound
        switch range.count {
        case 1:
            switch p[0] {
            case UInt8(ascii: "s"): return .shared
            case UInt8(ascii: "n"): return .number
            case UInt8(ascii: "b"): return .boolean
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "d"): return .date
            default: return .other
            }
        case 3:
            return memcmp(p, "str", 3) == 0 ? .formulaString : .other
        case 9:
            return memcmp(p, "inlineStr", 9) == 0 ? .inlineString : .other
        default:
            return .other
        }
    }

    /// The 0-based column of a cell reference like `AB12` (letters, then the row number).
    func column(_ range: Range<Int>) -> Int? {
        var column = 0
        var i = range.lowerBound
        while i < range.upperBound, i - range.lowerBound < 4 {
            let letter = base[i] | 0x20
            guard letter >= lowerA, letter <= lowerZ else { break }
            column = column * 26 + Int(letter - lowerA) + 1
            i += 1
        }
        guard i > range.lowerBound, i < range.upperBound else { return nil }
        while i < range.upperBound {
            guard base[i] >= zero, base[i] <= nine else { return nil }
            i += 1
        }
        return column - 1
    }

    /// A whole number of up to 15 digits.
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 15 else { return nil }
        var value = 0
        for i in range {
            let byte = base[i]
            guard byte >= zero, byte <= nine else { return nil }
            value = value * 10 + Int(byte - zero)
        }
        return value
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// Appends CDATA bytes as they are; returns whether any is non-ASCII.
    func appendRaw(_ range: Range<Int>, to out: inout [UInt8]) -> Bool {
        let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        out.append(contentsOf: bytes)
        return bytes.contains { $0 >= 0x80 }
    }

    /// Appends text with entity and character references decoded and line ends normalised
    /// (CR LF and lone CR become LF, as XML requires); returns whether any byte is non-ASCII.
    func appendDecoded(_ range: Range<Int>, to out: inout [UInt8]) throws(XMLScanError) -> Bool {
        var high: UInt8 = 0
        var runStart = range.lowerBound
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let byte = base[i]
            if byte != amp && byte != cr {
                high |= byte
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
            if byte == cr {
                out.append(lf)
                i += (i + 1 < end && base[i + 1] == lf) ? 2 : 1
            } else {
                guard let semi = find(semicolon, from: i + 1, to: min(end, i + 12)) else {
                    throw .xml("a bare '&' in text (it must be written &amp;)", column: nil)
                }
                try appendReference((i + 1)..<semi, to: &out)
                i = semi + 1
            }
            runStart = i
        }
        out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: end - runStart))
        return high & 0x80 != 0
    }

    private func appendReference(_ name: Range<Int>, to out: inout [UInt8]) throws(XMLScanError) {
        let p = base + name.lowerBound
        switch name.count {
        case 2 where p[1] == UInt8(ascii: "t") && (p[0] == UInt8(ascii: "l") || p[0] == UInt8(ascii: "g")):
            out.append(p[0] == UInt8(ascii: "l") ? lt : gt)
            return
        case 3 where memcmp(p, "amp", 3) == 0:
            out.append(amp)
            return
        case 4 where memcmp(p, "quot", 4) == 0:
            out.append(quote)
            return
        case 4 where memcmp(p, "apos", 4) == 0:
            out.append(apostrophe)
            return
        default:
            break
        }
        guard name.count >= 2, p[0] == hash else {
            throw .xml("an unknown entity &\(text(name));", column: nil)
        }
        var value: UInt32 = 0
        let hex = p[1] == lowerX
        let digits = (name.lowerBound + (hex ? 2 : 1))..<name.upperBound
        guard !digits.isEmpty, digits.count <= 8 else { throw .xml("a bad character reference &\(text(name));", column: nil) }
        for k in digits {
            if hex {
                guard let digit = hexDigit(base[k]) else { throw .xml("a bad character reference &\(text(name));", column: nil) }
                value = value << 4 | digit
            } else {
                guard base[k] >= zero, base[k] <= nine else {
                    throw .xml("a bad character reference &\(text(name));", column: nil)
                }
                value = value * 10 + UInt32(base[k] - zero)
            }
        }
        let allowed = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
        guard allowed, let scalar = Unicode.Scalar(value) else {
            throw .xml("the character reference &\(text(name)); is not an XML character", column: nil)
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    // MARK: Searching

    private func find(_ byte: UInt8, from: Int, to: Int) -> Int? {
        guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index just past the first `a b` pair.
    private func find(_ a: UInt8, _ b: UInt8, from: Int, to: Int) -> Int? {
        var i = from
        while let hit = find(a, from: i, to: to) {
            guard hit + 1 < to else { return nil }
            if base[hit + 1] == b { return hit + 2 }
            i = hit + 1
        }
        return nil
    }

    /// The index just past the first `a b c` run.
    private func find(_ a: UInt8, _ b: UInt8, _ c: UInt8, from: Int, to: Int) -> Int? {
        var i = from
        while let hit = find(a, from: i, to: to) {
            guard hit + 2 < to else { return nil }
            if base[hit + 1] == b, base[hit + 2] == c { return hit + 3 }
            i = hit + 1
        }
        return nil
    }

    private func hasPrefix(_ prefix: StaticString, at: Int, end: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        return end - at >= count && memcmp(base + at, prefix.utf8Start, count) == 0
    }
}

@inline(__always) private func isSpace(_ byte: UInt8) -> Bool {
    byte == space || byte == lf || byte == cr || byte == tab
}

private let lt = UInt8(ascii: "<")
private let gt = UInt8(ascii: ">")
private let slash = UInt8(ascii: "/")
private let question = UInt8(ascii: "?")
private let bang = UInt8(ascii: "!")
private let dash = UInt8(ascii: "-")
private let rbracket = UInt8(ascii: "]")
private let quote = UInt8(ascii: "\"")
private let apostrophe = UInt8(ascii: "'")
private let amp = UInt8(ascii: "&")
private let semicolon = UInt8(ascii: ";")
private let hash = UInt8(ascii: "#")
private let equals = UInt8(ascii: "=")
private let colon = UInt8(ascii: ":")
private let underscore = UInt8(ascii: "_")
private let lowerX = UInt8(ascii: "x")
private let lowerA = UInt8(ascii: "a")
private let lowerZ = UInt8(ascii: "z")
private let zero = UInt8(ascii: "0")
private let nine = UInt8(ascii: "9")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
