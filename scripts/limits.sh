#!/usr/bin/env bash
# Full-size hostile inputs against a release build of remit (docs/reliability.md, "Input limits").
#
#   scripts/limits.sh
#
# Each case imports one file into a database that already holds a real import, and checks that
# the import ends in a clear error, in bounded time and memory (GNU time's peak RSS), and that
# the database is exactly as before (a SHA-256 of its SQL dump). The cases:
#
#   garbage-2g   2 GiB from /dev/urandom, as `rpw`, `schedules` and `rates`
#   zeros-2g     2 GiB of NUL bytes, as `rpw`
#   blank-256m   an RPW header, then 256 MiB of empty lines: read to the end, as nothing limits it
#                (the time grows linearly with the size; the memory does not)
#   bomb-1g      an .xlsx (Python's zipfile, deflate level 9) whose sheet unpacks to 1 GiB:
#                one cell of 1 GiB of "A", about 1 MiB packed
#   bomb-rows    an .xlsx whose 1 GiB sheet is an RPW header and empty rows with random spacing,
#                packed about 7:1, so that it passes the ratio guard and is streamed to the end
#
# Needs python3, /usr/bin/time and about 5 GiB free in $TMPDIR (default /tmp). REMIT=path uses that
# binary instead of building `swift build -c release --product remit`. Exits non-zero if a case
# succeeds, crashes, changes the database, or takes more than LIMIT_SECONDS (default 120).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

if [ -z "${REMIT:-}" ]; then
    swift build -c release --product remit >&2
    REMIT="$(swift build -c release --show-bin-path)/remit"
fi
limit=${LIMIT_SECONDS:-120}
work=$(mktemp -d "${TMPDIR:-/tmp}/remit-limits.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/remit.sqlite"
"$REMIT" import rpw fixtures/rpw/rpw-new-layout.csv --db "$db" >/dev/null

dump() {
    python3 -c 'import hashlib, sqlite3, sys
print(hashlib.sha256("\n".join(sqlite3.connect(sys.argv[1]).iterdump()).encode()).hexdigest())' "$db"
}

echo "making the inputs in $work" >&2
header=$(head -1 fixtures/rpw/rpw-new-layout.csv)
head -c 2G /dev/urandom > "$work/garbage-2g.csv"
head -c 2G /dev/zero > "$work/zeros-2g.csv"
{ echo "$header"; head -c 256M /dev/zero | tr '\0' '\n'; } > "$work/blank-256m.csv"
python3 - "$work" "$header" <<'PY'
import random, sys, zipfile
folder, header = sys.argv[1], sys.argv[2]
NS = 'http://schemas.openxmlformats.org'
WORKBOOK = (f'<workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships">'
            '<sheets><sheet name="Dataset (from Q2 2016)" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = (f'<Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}/spreadsheetml/2006/main"><sheetData>'.encode()
TAIL = b'</sheetData></worksheet>'
GIB = 1 << 30

def workbook(name, body, level):
    with zipfile.ZipFile(f'{folder}/{name}', 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr('xl/workbook.xml', WORKBOOK)
        z.writestr('xl/_rels/workbook.xml.rels', RELS)
        with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as sheet:
            sheet.write(HEAD)
            body(sheet)
            sheet.write(TAIL)

def one_cell(sheet):
    sheet.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
    block = b'A' * (16 << 20)
    for _ in range(GIB // len(block)):
        sheet.write(block)
    sheet.write(b'</t></is></c></row>')

def empty_rows(sheet):
    cells = ''.join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header.split(','))
    sheet.write(f'<row r="1">{cells}</row>'.encode())
    rng = random.Random(2026)
    block = b''.join(b'<row/>' + b' ' * rng.randrange(8) + b'\n' * rng.randrange(3) for _ in range(1 << 20))
    written = 0
    while written < GIB:
        sheet.write(block)
        written += len(block)

workbook('bomb-1g.xlsx', one_cell, 9)
workbook('bomb-rows.xlsx', empty_rows, 1)   # level 1: seconds instead of minutes to pack
PY
ls -l "$work" >&2

before=$(dump)
status=0
printf '%-16s %-9s %8s %10s %9s  %s\n' case format seconds "peak RSS" database error
run() {
    local name=$1 format=$2 file=$3
    set +e
    /usr/bin/time -f '%e %M' -o "$work/time" "$REMIT" import "$format" "$file" --db "$db" > "$work/out" 2> "$work/err"
    local code=$?
    set -e
    read -r seconds kib < <(tail -1 "$work/time")
    local after
    after=$(dump)
    local same=unchanged
    [ "$after" = "$before" ] || { same=CHANGED; status=1; }
    local message
    message=$(grep -v '^Command exited' "$work/err" | head -2 | tr '\n' ' ' | cut -c1-160)
    if [ "$code" -eq 0 ] || [ "$code" -gt 128 ]; then status=1; message="exit $code: $message"; fi
    if awk -v s="$seconds" -v l="$limit" 'BEGIN { exit !(s > l) }'; then status=1; message="TOO SLOW: $message"; fi
    printf '%-16s %-9s %8s %7s MiB %9s  %s\n' "$name" "$format" "$seconds" "$((kib / 1024))" "$same" "$message"
}
run garbage-2g rpw "$work/garbage-2g.csv"
run garbage-2g schedules "$work/garbage-2g.csv"
run garbage-2g rates "$work/garbage-2g.csv"
run zeros-2g rpw "$work/zeros-2g.csv"
run blank-256m rpw "$work/blank-256m.csv"
run bomb-1g rpw "$work/bomb-1g.xlsx"
run bomb-rows rpw "$work/bomb-rows.xlsx"
exit $status
