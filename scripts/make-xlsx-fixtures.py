#!/usr/bin/env python3
"""Writes the small .xlsx fixtures in fixtures/xlsx/ used by XLSXReaderTests.

    python3 scripts/make-xlsx-fixtures.py            # (re)write the fixtures
    python3 scripts/make-xlsx-fixtures.py big OUT.xlsx [--rows 200000]
                                                     # a large RPW-shaped workbook for benchmarks

Needs openpyxl (`pip install openpyxl`): one fixture is written by openpyxl itself, and every
well-formed fixture is read back with openpyxl to check that it is a workbook another reader
accepts and that it holds the values the Swift tests expect.

Most fixtures are written XML part by XML part (with zipfile) rather than through openpyxl,
because the reader must cope with what Excel writes and openpyxl never does: a shared-string
table with rich-text runs and phonetic runs, `_x000D_` escapes, cells and rows without `r`
attributes, styled empty cells, formula string cells, error cells, relative relationship
targets. The output is deterministic (fixed timestamps), so rerunning the script changes
nothing unless the script changed.

Fixtures:
  rpw-small.xlsx          Terms of Use + both RPW dataset sheets (42 and 41 columns)
  openpyxl-written.xlsx   a sheet written by openpyxl (inline strings, absolute part names)
  not-a-zip.xlsx          garbage bytes
  truncated-zip.xlsx      the first half of rpw-small.xlsx
  truncated-sheet.xlsx    a valid ZIP whose sheet XML stops in the middle of row 3
  malformed-sheet.xlsx    mismatched tags in row 4
  bad-shared-index.xlsx   a cell pointing at shared string 7 of 2
  bomb-declared.xlsx      a sheet whose entry claims to unpack to 200 MiB from ~100 bytes
  bomb-lying.xlsx         a sheet of 2 MiB of repeated bytes whose entry claims 1,000 bytes
  bomb-ratio.xlsx         an honest sheet of 4 MiB of repeated bytes (ratio > 1000), for
                          the ratio check with a lowered size floor
  stalled-deflate.xlsx    a deflate stream cut short at the end of the file (ZIPFoundation's
                          inflater spins on it; the reader's stall timeout must fire)
"""
from __future__ import annotations

import argparse
import datetime
import io
import pathlib
import random
import re
import struct
import sys
import warnings
import zipfile
from xml.sax.saxutils import escape

# openpyxl warns that it drops the <extLst> of the Terms of Use sheet; that is expected.
warnings.filterwarnings("ignore", message="Unknown extension is not supported")

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "xlsx"
STAMP = (2025, 10, 1, 12, 0, 0)

NEW = ["id", "period", "source_code", "source_name", "source_region", "source_income", "source_lending",
       "source_G8G20", "destination_code", "destination_name", "destination_region", "destination_income",
       "destination_lending", "destination_G8G20", "firm", "firm_type", "payment instrument", "access point",
       "speed actual", "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee",
       "cc1 lcu fx rate", "cc1 fx margin", "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount",
       "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
       "transparent", "Standard Note", "note2", "receiving network coverage", "pickup location", "pickup method",
       "date", "corridor"]
OLD = ["id", "period", "source_code", "source_name", "source_region", "source_income", "source_lending",
       "source_G8G20", "destination_code", "destination_name", "destination_region", "destination_income",
       "destination_lending", "destination_G8G20", "firm", "firm_type", "product", "sending location",
       "speed actual", "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee",
       "cc1 lcu fx rate", "cc1 fx margin", "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount",
       "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
       "transparent", "coverage", "note1", "note2", "pick-up method", "date", "corridor"]
assert len(NEW) == 42 and len(OLD) == 41

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def col_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def excel_serial(day: datetime.date) -> int:
    return (day - datetime.date(1899, 12, 30)).days


class SharedStrings:
    """The shared-string table; `add` takes plain text, `add_xml` the raw content of an <si>."""

    def __init__(self):
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.add_xml(f'<t xml:space="preserve">{escape(text)}</t>' if text != text.strip()
                            else f"<t>{escape(text)}</t>")

    def add_xml(self, xml: str) -> int:
        if xml not in self.index:
            self.index[xml] = len(self.items)
            self.items.append(xml)
        return self.index[xml]

    def xml(self) -> str:
        body = "".join(f"<si>{item}</si>" for item in self.items)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f'<sst xmlns="{MAIN_NS}" count="{len(self.items)}" uniqueCount="{len(self.items)}">{body}</sst>')


# Cell specs: ("s", text) shared string, ("rich", si_xml) shared string given as XML,
# ("i", text) inline string, ("n", literal) number, ("b", "1"), ("e", "#N/A"),
# ("str", formula, cached) formula with a string result, ("f", formula, cached) formula with a number,
# ("raw", xml) the whole <c> element as written, ("empty",) a styled empty cell.
# A row is {column letter or index: spec}; `None` keys mean "no r attribute: the next column".

def cell_xml(sst: SharedStrings, ref: str | None, spec: tuple) -> str:
    r = f' r="{ref}"' if ref else ""
    kind = spec[0]
    if kind == "s":
        return f'<c{r} s="1" t="s"><v>{sst.add(spec[1])}</v></c>'
    if kind == "rich":
        return f'<c{r} t="s"><v>{sst.add_xml(spec[1])}</v></c>'
    if kind == "i":
        return f'<c{r} t="inlineStr"><is><t>{escape(spec[1])}</t></is></c>'
    if kind == "n":
        return f"<c{r}><v>{spec[1]}</v></c>"
    if kind == "b":
        return f'<c{r} t="b"><v>{spec[1]}</v></c>'
    if kind == "e":
        return f'<c{r} t="e"><v>{escape(spec[1])}</v></c>'
    if kind == "str":
        return f'<c{r} t="str"><f>{escape(spec[1])}</f><v>{escape(spec[2])}</v></c>'
    if kind == "f":
        return f"<c{r}><f>{escape(spec[1])}</f><v>{spec[2]}</v></c>"
    if kind == "raw":
        return spec[1].replace("{r}", r)
    if kind == "empty":
        return f'<c{r} s="1"/>'
    raise ValueError(kind)


def sheet_xml(sst: SharedStrings, rows: list[tuple], extra_head: str = "", extra_tail: str = "") -> str:
    """rows: (row number or None, [(column index or None, spec), ...], row attributes)."""
    out = []
    for number, cells, attributes in rows:
        row_r = f' r="{number}"' if number is not None else ""
        body = "".join(cell_xml(sst, f"{col_name(c)}{number}" if c is not None else None, spec)
                       for c, spec in cells)
        out.append(f"<row{row_r}{attributes}>{body}</row>" if body else f"<row{row_r}{attributes}/>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}" '
            f'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            f'<dimension ref="A1:AP8"/>{extra_head}<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/>'
            f'<sheetData>{"".join(out)}</sheetData>{extra_tail}'
            f'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


def row_of(values: list[tuple], number: int | None, attributes: str = "") -> tuple:
    """A full row: one spec per column in order, None for a missing cell."""
    return (number, [(i, spec) for i, spec in enumerate(values) if spec is not None], attributes)


STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<styleSheet xmlns="{MAIN_NS}">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def write_package(path: pathlib.Path, sheets: list[tuple[str, str]], sst: SharedStrings | None,
                  compression=zipfile.ZIP_DEFLATED) -> None:
    """sheets: (name, sheet XML). Parts are named as Excel names them, targets relative."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(len(sheets)))
    if sst is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="{PKG_REL_NS}">'
                 f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheet_list = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                         for i, (name, _) in enumerate(sheets))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/>'
                f'<bookViews><workbookView activeTab="1"/></bookViews><sheets>{sheet_list}</sheets>'
                f'<calcPr calcId="191029"/></workbook>')
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                   for i in range(len(sheets)))
    n = len(sheets)
    rels += f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
    if sst is not None:
        rels += f'<Relationship Id="rId{n + 2}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    workbook_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                     f'<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>')
    with zipfile.ZipFile(path, "w", compression) as z:
        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = compression
            z.writestr(info, text.encode("utf-8"))
        put("[Content_Types].xml", content_types)
        put("_rels/.rels", root_rels)
        put("xl/workbook.xml", workbook)
        put("xl/_rels/workbook.xml.rels", workbook_rels)
        put("xl/styles.xml", STYLES)
        for i, (_, xml) in enumerate(sheets):
            put(f"xl/worksheets/sheet{i + 1}.xml", xml)
        if sst is not None:
            put("xl/sharedStrings.xml", sst.xml())


# ---------------------------------------------------------------------------------------------
# rpw-small.xlsx

def s(text):
    return ("s", text)


def n(literal):
    return ("n", literal)


KEN = [s("KEN"), s("Kenya"), s("Sub-Saharan Africa"), s("Lower middle income"), s("IDA"), s("No")]
TZA = [s("TZA"), s("Tanzania"), s("Sub-Saharan Africa"), s("Lower middle income"), s("IDA"), s("No")]
USA = [s("USA"), s("United States"), s("North America"), s("High income"), s(".."), s("G8, G20")]
MEX = [s("MEX"), s("Mexico"), s("Latin America & Caribbean"), s("Upper middle income"), s("IBRD"), s("G20")]
FRA = [s("FRA"), s("France"), s("Europe & Central Asia"), s("High income"), s(".."), s("G8, G20")]
CIV = [s("CIV"), s("Côte d'Ivoire"), s("Sub-Saharan Africa"), s("Lower middle income"), s("IDA"), s("No")]

# The firm name in row 2 is rich text: two runs with their own formatting, concatenated.
RICH_FIRM = ('<r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">Savanna </t></r>'
             '<r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t>Commercial Bank</t></r>')
# Row 8's firm carries a phonetic (furigana) run that readers must ignore.
PHONETIC_FIRM = ('<t>日本送金</t><rPh sb="0" eb="2"><t>ニホン</t></rPh><rPh sb="2" eb="4"><t>ソウキン</t></rPh>'
                 '<phoneticPr fontId="1" type="noConversion"/>')


def new_layout_sheet(sst: SharedStrings) -> str:
    header = row_of([s(name) for name in NEW], 1, ' spans="1:42"')
    # Row 2: everything shared or numeric; the date is an Excel serial (2025-07-15).
    row2 = row_of([n("1001"), s("2025_3Q"), *KEN, *TZA, ("rich", RICH_FIRM), s("Bank"), s("Bank account"),
                   s("Bank branch"), s("2 days"), n("25800"), n("200"), s("KES"), n("1500"), n("19.3511"),
                   n("4.00002"), n("9.813973"), n("64500"), n("500"), s("KES"), n("2500"), n("19.3511"),
                   n("4.00002"), n("7.875989"), n("20.1574"), s("yes"), s(".."), s(".."), s("High"), s(".."),
                   s("Bank account"), n(str(excel_serial(datetime.date(2025, 7, 15)))), s("KENTZA")],
                  2, ' spans="1:42" x14ac:dyDescent="0.25"')
    # Row 3: inline strings, a formula with a string result, 0.1 and precise decimals.
    row3 = row_of([n("1002"), ("i", "2025_3Q"), *USA, *MEX, ("i", "Banco del Río & Co"), ("i", "Bank"),
                   ("i", "Cash"), ("i", "Agent"), ("i", "Same day"), n("200"), n("200"), ("i", "USD"),
                   n("17.2345"), n("17.2345"), n("0.1"), n("8.71725"), n("500"), n("500"), ("i", "USD"),
                   n("25"), n("17.2345"), n("0.1"), n("5.1"), n("17.252"), ("i", "yes"),
                   ("raw", '<c{r} t="inlineStr"><is><t>Fee includes VAT_x000D_\nsecond line</t></is></c>'),
                   ("str", 'IF(TRUE,"see note","")', "see note"), ("i", "Medium"), ("i", ".."),
                   ("i", "Cash"), n("45853"), ("i", "USAMEX")],
                  3, ' spans="1:42"')
    # Row 4: sparse; gaps between A-B, O-P and Z, AP; P has no r (follows O); a styled empty cell at AQ.
    row4 = (4, [(0, n("1003")), (1, s("2025_3Q")), (14, s("Sparse Transfers Ltd")), (None, s("Money Transfer Operator")),
                (25, n("4.5")), (41, s("FRACIV")), (42, ("empty",))], "")
    # Row 5: no r on the row (follows row 4) nor on its cells.
    row5 = (None, [(None, n("1004")), (None, s("2025_3Q")), *[(None, spec) for spec in FRA]], "")
    # Row 6: only empty cells (styled, a shared string cell without a value, an empty inline
    # string): skipped.
    row6 = (6, [(0, ("empty",)), (1, ("raw", '<c{r} t="s"/>')), (2, ("raw", '<c{r} t="inlineStr"><is><t/></is></c>'))], "")
    # Row 7 is absent. Row 8: an error cell, a tiny number in E notation, a negative margin,
    # many decimals, a phonetic run and non-ASCII text.
    row8 = row_of([n("1005"), s("2025_3Q"), *FRA, *CIV, ("rich", PHONETIC_FIRM), s("Money Transfer Operator"),
                   s("Bank account, Debit card"), s("Internet"), s("Less than one hour"), n("130"), n("200"),
                   s("EUR"), n("0"), n("655.957"), n("1.2E-05"), n("1.2E-05"), n("330"), n("500"), s("EUR"),
                   n("0"), ("e", "#N/A"), n("-0.5"), n("0.0123456789"), n("655.96487"), s("yes"), s(".."),
                   s("Promotion: first transfer free"), s("High"), s(".."), s("Bank account"), n("45853"),
                   s("FRACIV")],
                  8, "")
    return sheet_xml(sst, [header, row2, row3, row4, row5, row6, row8])


def old_layout_sheet(sst: SharedStrings) -> str:
    header = row_of([s(name) for name in OLD], 1)
    row2 = row_of([n("101"), s("2011_1Q"), *KEN, *TZA, s("Jambo Express"), s("Money Transfer Operator"),
                   s("Cash to cash"), s("Agent"), s("Less than one hour"), n("16000"), n("200"), s("KES"), n("550"),
                   n("17.92"), n("2.767227"), n("6.204727"), n("40000"), n("500"), s("KES"), n("900"), n("17.92"),
                   n("2.767227"), n("5.017227"), n("18.43"), s("yes"), s("Nationwide"), s(".."), s(".."), s("Cash"),
                   n(str(excel_serial(datetime.date(2011, 2, 10)))), s("KENTZA")], 2)
    # Row 3: numbers stored as text (shared strings), a dd/Mon/yyyy date, "Yes" capitalised.
    row3 = row_of([s("0102"), s("2011_1Q"), *KEN, *TZA, s("Savanna Commercial Bank"), s("Bank"),
                   s("Account to account"), s("Bank branch"), s("3-5 days"), s("16000"), s("200"), s("KES"),
                   s("1400"), s("17.6000"), s("4.503527"), s("13.253527"), s("40000"), s("500"), s("KES"),
                   s("2000"), s("17.6000"), s("4.503527"), s("9.503527"), s("18.43"), s("Yes"), s("Major cities"),
                   s(".."), s(".."), s("Account"), s("10/Feb/2011"), s("KENTZA")], 3)
    return sheet_xml(sst, [header, row2, row3])


def terms_sheet(sst: SharedStrings) -> str:
    rows = [
        (1, [(0, s("Terms of Use"))], ""),
        (3, [(0, ("i", "The data is licensed under CC BY 4.0 © World Bank & partners.\r\nSecond line."))], ""),
        (4, [(0, ("b", "1")), (1, ("b", "0")),
             (2, ("raw", '<c{r} t="inlineStr"><is><t><![CDATA[<b>raw</b> & kept]]></t></is></c>')),
             (3, ("raw", '<c{r} t="d"><v>2025-09-30T00:00:00</v></c>'))], ""),
        (5, [(0, ("f", "1+1", "2")), (1, ("raw", '<c{r} t="inlineStr"><is><r><t>A&#233;&#x1F600;</t></r>'
                                                 '<r><t xml:space="preserve"> &lt;b&gt; &quot;q&quot; &apos;a&apos;</t></r></is></c>'))], ""),
    ]
    return sheet_xml(sst, rows, extra_tail="<!-- a comment after the data --><extLst><ext uri=\"{X}\"><x:y "
                                           "xmlns:x=\"urn:x\" a='1 > 0'/></ext></extLst>")


def make_rpw_small(path: pathlib.Path) -> None:
    sst = SharedStrings()
    terms = terms_sheet(sst)
    new = new_layout_sheet(sst)
    old = old_layout_sheet(sst)
    write_package(path, [("Terms of Use", terms), ("Dataset (from Q2 2016)", new), ("Dataset (up to Q1 2016)", old)],
                  sst)


# ---------------------------------------------------------------------------------------------
# Bad files

def make_openpyxl_written(path: pathlib.Path) -> None:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["corridor", "fee", "rate", "note"])
    ws.append(["KENTZA", 1500, 19.3511, "x & <y>"])
    ws.append(["USAMEX", 0.1, 17.2345, None])
    ws["D5"] = "sparse"
    wb.properties.created = wb.properties.modified = datetime.datetime(*STAMP)
    buffer = io.BytesIO()
    wb.save(buffer)
    # Same parts, fixed timestamps: the fixture does not change when the script is rerun.
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into dcterms:modified.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2025-10-01T12:00:00Z\g<2>", data)
            z.writestr(zipfile.ZipInfo(info.filename, STAMP), data, zipfile.ZIP_DEFLATED)


def make_truncated_sheet(path: pathlib.Path) -> None:
    sst = SharedStrings()
    xml = sheet_xml(sst, [row_of([s("a"), s("b")], 1), row_of([n("1"), n("2")], 2), row_of([n("3"), n("4")], 3)])
    cut = xml.index('<c r="B3">')
    write_package(path, [("Sheet1", xml[:cut])], sst)


def make_malformed_sheet(path: pathlib.Path) -> None:
    sst = SharedStrings()
    rows = [row_of([s("a"), s("b")], 1), row_of([n("1"), n("2")], 2), row_of([n("3"), n("4")], 3),
            (4, [(0, ("raw", "<c{r}><v>5</c>"))], "")]
    write_package(path, [("Sheet1", sheet_xml(sst, rows))], sst)


def make_bad_shared_index(path: pathlib.Path) -> None:
    sst = SharedStrings()
    rows = [row_of([s("a"), s("b")], 1), (2, [(0, n("1")), (1, ("raw", '<c{r} t="s"><v>7</v></c>'))], "")]
    write_package(path, [("Sheet1", sheet_xml(sst, rows))], sst)


def patch_sizes(path: pathlib.Path, member: str, uncompressed: int) -> None:
    """Rewrites the declared uncompressed size of `member` in its local and central headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    patched = 0
    offset = 0
    while True:
        offset = data.find(b"PK\x03\x04", offset)
        if offset < 0:
            break
        name_length = struct.unpack_from("<H", data, offset + 26)[0]
        if data[offset + 30: offset + 30 + name_length] == name:
            struct.pack_into("<I", data, offset + 22, uncompressed)
            patched += 1
        offset += 4
    offset = 0
    while True:
        offset = data.find(b"PK\x01\x02", offset)
        if offset < 0:
            break
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46: offset + 46 + name_length] == name:
            struct.pack_into("<I", data, offset + 24, uncompressed)
            patched += 1
        offset += 4
    assert patched == 2, patched
    path.write_bytes(bytes(data))


def filler_sheet(size: int) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    tail = "</sheetData></worksheet>"
    return head + " " * (size - len(head) - len(tail)) + tail


def make_bombs() -> None:
    sst = SharedStrings()
    small = sheet_xml(sst, [row_of([n("1")], 1)])
    path = OUT / "bomb-declared.xlsx"
    write_package(path, [("Sheet1", small)], None)
    patch_sizes(path, "xl/worksheets/sheet1.xml", 200 << 20)

    path = OUT / "bomb-lying.xlsx"
    write_package(path, [("Sheet1", filler_sheet(2 << 20))], None)
    patch_sizes(path, "xl/worksheets/sheet1.xml", 1000)

    write_package(OUT / "bomb-ratio.xlsx", [("Sheet1", filler_sheet(4 << 20))], None)


def make_stalled_deflate(path: pathlib.Path) -> None:
    """The sheet entry is a deflate *stored* block that announces 65,535 bytes but the file
    ends first. ZIPFoundation keeps asking for input at end of file without ever finishing."""
    # The sheet's first row arrives; the rest of the sheet is an unclosed comment, so the XML
    # scanner keeps asking for more rather than failing on the bytes that follow.
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
           f'<row r="1"><c r="A1"><v>1</v></c></row><!-- the rest never arrives ')
    write_package(path, [("Sheet1", xml)], None, compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # Local header.
    offset = 0
    while True:
        offset = data.find(b"PK\x03\x04", offset)
        name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
        if data[offset + 30: offset + 30 + name_length] == name:
            break
        offset += 4
    start = offset + 30 + name_length + extra_length
    compressed = struct.unpack_from("<I", data, offset + 18)[0]
    # A stored block header (not final, LEN 65535) followed by the first bytes of the XML.
    payload = b"\x00\xff\xff\x00\x00" + bytes(data[start: start + compressed - 5])
    data[start: start + compressed] = payload
    struct.pack_into("<H", data, offset + 8, 8)
    struct.pack_into("<I", data, offset + 22, 1 << 20)
    # Central header.
    offset = 0
    while True:
        offset = data.find(b"PK\x01\x02", offset)
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46: offset + 46 + name_length] == name:
            break
        offset += 4
    struct.pack_into("<H", data, offset + 10, 8)
    struct.pack_into("<I", data, offset + 24, 1 << 20)
    # write_package puts the sheet last (no shared strings here), so after the announced block
    # the inflater reads the central directory and then hits the end of the file.
    path.write_bytes(bytes(data))


# ---------------------------------------------------------------------------------------------
# Checking the fixtures with openpyxl

def openpyxl_rows(path: pathlib.Path, sheet: str) -> dict[int, list]:
    import openpyxl
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[sheet]
    rows = {}
    for row in ws.iter_rows():
        values = [cell.value for cell in row]
        while values and values[-1] in (None, ""):
            values.pop()
        if values:
            rows[row[0].row] = values
    return rows


def unescape_ooxml(text: str) -> str:
    """Excel's `_xHHHH_` escapes, which openpyxl leaves in place (Excel decodes them)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def same(expected: str, actual) -> bool:
    if actual is None:
        return expected == ""
    if isinstance(actual, bool):
        return expected == ("1" if actual else "0")
    if isinstance(actual, (int, float)):
        return float(expected) == actual
    if isinstance(actual, datetime.datetime):
        return expected.startswith(actual.date().isoformat())
    return expected == unescape_ooxml(actual)


# What the Swift tests expect for rpw-small.xlsx (row number -> fields), checked against openpyxl.
def expected_rpw_small() -> dict[str, dict[int, list[str]]]:
    d = "45853"
    return {
        "Terms of Use": {
            1: ["Terms of Use"],
            3: ["The data is licensed under CC BY 4.0 © World Bank & partners.\nSecond line."],
            4: ["1", "0", "<b>raw</b> & kept", "2025-09-30T00:00:00"],
            5: ["2", "Aé😀 <b> \"q\" 'a'"],
        },
        "Dataset (from Q2 2016)": {
            1: NEW,
            2: ["1001", "2025_3Q", "KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
                "TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
                "Savanna Commercial Bank", "Bank", "Bank account", "Bank branch", "2 days", "25800", "200", "KES",
                "1500", "19.3511", "4.00002", "9.813973", "64500", "500", "KES", "2500", "19.3511", "4.00002",
                "7.875989", "20.1574", "yes", "..", "..", "High", "..", "Bank account", d, "KENTZA"],
            3: ["1002", "2025_3Q", "USA", "United States", "North America", "High income", "..", "G8, G20",
                "MEX", "Mexico", "Latin America & Caribbean", "Upper middle income", "IBRD", "G20",
                "Banco del Río & Co", "Bank", "Cash", "Agent", "Same day", "200", "200", "USD", "17.2345",
                "17.2345", "0.1", "8.71725", "500", "500", "USD", "25", "17.2345", "0.1", "5.1", "17.252", "yes",
                "Fee includes VAT\r\nsecond line", "see note", "Medium", "..", "Cash", d, "USAMEX"],
            4: ["1003", "2025_3Q"] + [""] * 12 + ["Sparse Transfers Ltd", "Money Transfer Operator"] + [""] * 9
               + ["4.5"] + [""] * 15 + ["FRACIV"],
            5: ["1004", "2025_3Q", "FRA", "France", "Europe & Central Asia", "High income", "..", "G8, G20"],
            8: ["1005", "2025_3Q", "FRA", "France", "Europe & Central Asia", "High income", "..", "G8, G20",
                "CIV", "Côte d'Ivoire", "Sub-Saharan Africa", "Lower middle income", "IDA", "No", "日本送金",
                "Money Transfer Operator", "Bank account, Debit card", "Internet", "Less than one hour", "130",
                "200", "EUR", "0", "655.957", "1.2E-05", "1.2E-05", "330", "500", "EUR", "0", "#N/A", "-0.5",
                "0.0123456789", "655.96487", "yes", "..", "Promotion: first transfer free", "High", "..",
                "Bank account", d, "FRACIV"],
        },
        "Dataset (up to Q1 2016)": {
            1: OLD,
            2: ["101", "2011_1Q", "KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
                "TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No", "Jambo Express",
                "Money Transfer Operator", "Cash to cash", "Agent", "Less than one hour", "16000", "200", "KES",
                "550", "17.92", "2.767227", "6.204727", "40000", "500", "KES", "900", "17.92", "2.767227",
                "5.017227", "18.43", "yes", "Nationwide", "..", "..", "Cash", "40584", "KENTZA"],
            3: ["0102", "2011_1Q", "KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
                "TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No",
                "Savanna Commercial Bank", "Bank", "Account to account", "Bank branch", "3-5 days", "16000", "200",
                "KES", "1400", "17.6000", "4.503527", "13.253527", "40000", "500", "KES", "2000", "17.6000",
                "4.503527", "9.503527", "18.43", "Yes", "Major cities", "..", "..", "Account", "10/Feb/2011",
                "KENTZA"],
        },
    }


def check_with_openpyxl() -> None:
    import openpyxl
    path = OUT / "rpw-small.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["Terms of Use", "Dataset (from Q2 2016)",
                                                       "Dataset (up to Q1 2016)"]
    for sheet, rows in expected_rpw_small().items():
        actual = openpyxl_rows(path, sheet)
        assert sorted(actual) == sorted(rows), (sheet, sorted(actual), sorted(rows))
        for number, values in rows.items():
            got = actual[number]
            assert len(got) == len(values), (sheet, number, len(got), len(values))
            for column, (want, have) in enumerate(zip(values, got)):
                assert same(want, have), (sheet, number, col_name(column), want, have)
    assert len(expected_rpw_small()["Dataset (from Q2 2016)"][4]) == 42
    written = openpyxl_rows(OUT / "openpyxl-written.xlsx", "Data")
    assert written == {1: ["corridor", "fee", "rate", "note"], 2: ["KENTZA", 1500, 19.3511, "x & <y>"],
                       3: ["USAMEX", 0.1, 17.2345], 5: [None, None, None, "sparse"]}, written


# ---------------------------------------------------------------------------------------------
# A large RPW-shaped workbook for benchmarks (not a committed fixture)

def make_big(path: pathlib.Path, rows: int, seed: int) -> None:
    """Excel-style: text in shared strings, numbers with up to 6 decimals, dates as serials,
    `s` style attributes and `spans` on rows, like Excel's own output."""
    rng = random.Random(seed)
    sst = SharedStrings()
    corridors = [("KEN", "Kenya", "TZA", "Tanzania", "KES"), ("USA", "United States", "MEX", "Mexico", "USD"),
                 ("GBR", "United Kingdom", "IND", "India", "GBP"), ("FRA", "France", "CIV", "Côte d'Ivoire", "EUR"),
                 ("ARE", "United Arab Emirates", "PAK", "Pakistan", "AED"), ("DEU", "Germany", "TUR", "Türkiye", "EUR")]
    firms = [f"Firm {i:03d} Remittances" for i in range(120)]
    kinds = ["Bank", "Money Transfer Operator", "Mobile Operator", "Post office"]
    speeds = ["Less than one hour", "Same day", "Next day", "2 days", "3-5 days"]
    for text in NEW:
        sst.add(text)
    header = "".join(f'<c r="{col_name(i)}1" s="1" t="s"><v>{sst.add(t)}</v></c>' for i, t in enumerate(NEW))
    letters = [col_name(i) for i in range(42)]

    def text(i, value, r):
        return f'<c r="{letters[i]}{r}" s="1" t="s"><v>{sst.add(value)}</v></c>'

    def num(i, value, r):
        return f'<c r="{letters[i]}{r}"><v>{value}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as out:
            out.write((f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="{MAIN_NS}" '
                       f'xmlns:r="{REL_NS}"><sheetData><row r="1" spans="1:42">{header}</row>').encode())
            buffer = io.StringIO()
            for k in range(rows):
                r = k + 2
                src, src_name, dst, dst_name, currency = corridors[k % len(corridors)]
                rate = round(rng.uniform(0.5, 300), 4)
                margin = round(rng.uniform(-0.5, 6), 6)
                fee = round(rng.uniform(0, 30), 2)
                cells = [num(0, 100000 + k, r), text(1, f"{2016 + (k // 20000) % 10}_{1 + k % 4}Q", r),
                         text(2, src, r), text(3, src_name, r), text(4, "Region", r), text(5, "High income", r),
                         text(6, "..", r), text(7, "G20", r), text(8, dst, r), text(9, dst_name, r),
                         text(10, "Region", r), text(11, "Lower middle income", r), text(12, "IDA", r),
                         text(13, "No", r), text(14, rng.choice(firms), r), text(15, rng.choice(kinds), r),
                         text(16, "Bank account", r), text(17, "Agent", r), text(18, rng.choice(speeds), r),
                         num(19, 200, r), num(20, 200, r), text(21, currency, r), num(22, fee, r), num(23, rate, r),
                         num(24, margin, r), num(25, round(fee / 2 + margin, 6), r), num(26, 500, r),
                         num(27, 500, r), text(28, currency, r), num(29, fee, r), num(30, rate, r),
                         num(31, margin, r), num(32, round(fee / 5 + margin, 6), r), num(33, rate, r),
                         text(34, "yes", r), text(35, "..", r), text(36, "..", r), text(37, "High", r),
                         text(38, "..", r), text(39, "Cash", r), num(40, 42000 + k % 3000, r),
                         text(41, src + dst, r)]
                buffer.write(f'<row r="{r}" spans="1:42">{"".join(cells)}</row>')
                if k % 2000 == 1999:
                    out.write(buffer.getvalue().encode())
                    buffer = io.StringIO()
            out.write((buffer.getvalue() + "</sheetData></worksheet>").encode())
        # The other parts, after the sheet (write_package's layout, minus the sheet).
        put = lambda name, text: z.writestr(zipfile.ZipInfo(name, STAMP), text.encode(), zipfile.ZIP_DEFLATED)
        put("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '</Types>')
        put("_rels/.rels", f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        put("xl/workbook.xml", f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            f'<sheet name="Dataset (from Q2 2016)" sheetId="1" r:id="rId1"/></sheets></workbook>')
        put("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        put("xl/sharedStrings.xml", sst.xml())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    big = sub.add_parser("big", help="write a large RPW-shaped workbook for benchmarks")
    big.add_argument("out")
    big.add_argument("--rows", type=int, default=200_000)
    big.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    if args.command == "big":
        make_big(pathlib.Path(args.out), args.rows, args.seed)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    make_rpw_small(OUT / "rpw-small.xlsx")
    make_openpyxl_written(OUT / "openpyxl-written.xlsx")
    (OUT / "not-a-zip.xlsx").write_bytes(b"id,period,corridor\n1001,2025_3Q,KENTZA\n" + bytes(range(256)))
    whole = (OUT / "rpw-small.xlsx").read_bytes()
    (OUT / "truncated-zip.xlsx").write_bytes(whole[: len(whole) // 2])
    make_truncated_sheet(OUT / "truncated-sheet.xlsx")
    make_malformed_sheet(OUT / "malformed-sheet.xlsx")
    make_bad_shared_index(OUT / "bad-shared-index.xlsx")
    make_bombs()
    make_stalled_deflate(OUT / "stalled-deflate.xlsx")
    check_with_openpyxl()
    print(f"wrote {len(list(OUT.glob('*.xlsx')))} fixtures to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
