#!/usr/bin/env python3
"""Writes the small RPW fixtures in fixtures/rpw/ used by the tests.

Figures follow the RPW identities (total = fee / amount * 100 + margin,
margin = (1 - offered / interbank) * 100) except where a row is meant to
break them. Run: python3 scripts/make-rpw-fixtures.py
"""
import csv
import pathlib
from decimal import Decimal, ROUND_HALF_UP

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "rpw"
NEW = ["id", "period", "source_code", "source_name", "source_region", "source_income", "source_lending", "source_G8G20",
       "destination_code", "destination_name", "destination_region", "destination_income", "destination_lending",
       "destination_G8G20", "firm", "firm_type", "payment instrument", "access point", "speed actual",
       "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee", "cc1 lcu fx rate", "cc1 fx margin",
       "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount", "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate",
       "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx", "transparent", "Standard Note", "note2",
       "receiving network coverage", "pickup location", "pickup method", "date", "corridor"]
OLD = ["id", "period", "source_code", "source_name", "source_region", "source_income", "source_lending", "source_G8G20",
       "destination_code", "destination_name", "destination_region", "destination_income", "destination_lending",
       "destination_G8G20", "firm", "firm_type", "product", "sending location", "speed actual",
       "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee", "cc1 lcu fx rate", "cc1 fx margin",
       "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount", "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate",
       "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx", "transparent", "coverage", "note1", "note2",
       "pick-up method", "date", "corridor"]
assert len(NEW) == 42 and len(OLD) == 41

KEN = ["KEN", "Kenya", "Sub-Saharan Africa", "Lower middle income", "IDA", "No"]
TZA = ["TZA", "Tanzania", "Sub-Saharan Africa", "Lower middle income", "IDA", "No"]
RATE = Decimal("20.1574")   # TZS per KES, interbank


def q(value, places=6):
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def point(amount, fee, offered, inter=RATE, total_offset=Decimal(0)):
    margin = (1 - Decimal(offered) / inter) * 100
    total = Decimal(fee) / Decimal(amount) * 100 + margin + total_offset
    return [amount, fee, offered, q(margin), q(total)]


def new_row(rid, period, firm, firm_type, instrument, access, speed, p1, p2, transparent="yes", pickup="Cash",
            coverage="High", date="2025-07-15", inter=RATE):
    a1, f1, r1, m1, t1 = p1
    a2, f2, r2, m2, t2 = p2
    return [rid, period] + KEN + TZA + [firm, firm_type, instrument, access, speed,
            a1, "200", "KES", f1, r1, m1, t1, a2, "500", "KES", f2, r2, m2, t2, str(inter), transparent, "..", "..",
            coverage, "..", pickup, date, "KENTZA"]


def write(name, header, rows, upper=False, crlf=False):
    path = OUT / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([h.upper() for h in header] if upper else header)
        writer.writerows(rows)
    print("wrote", path.relative_to(OUT.parent.parent))


OUT.mkdir(parents=True, exist_ok=True)
rows = [
    # A bank: dear, cash out.
    new_row("1001", "2025_3Q", "Savanna Commercial Bank", "Bank", "Bank account", "Bank branch", "2 days",
            point("25800", "1500", "19.3511"), point("64500", "2500", "19.3511"), pickup="Bank account"),
    # A money transfer operator with compound firm type.
    new_row("1002", "2025_3Q", "Jambo Express", "Bank/Money Transfer Operator", "Cash", "Agent", "Less than one hour",
            point("25800", "600", "19.7543"), point("64500", "900", "19.7543")),
    # A mobile operator with a promotion: the offered rate beats the interbank rate.
    new_row("1003", "2025_3Q", "Kilima Mobile", "Mobile Operator", "Mobile money", "Mobile phone", "Less than one hour",
            point("25800", "300", "20.2500"), point("64500", "500", "20.2500"), pickup="Mobile wallet"),
    # Non-transparent: RPW stores margin 0 and both rates 1.
    new_row("1004", "2025_3Q", "Rift Valley Bank", "Bank", "Bank account", "Bank branch", "3-5 days",
            ["25800", "1200", "1", "0", q(Decimal(1200) / 25800 * 100)], ["64500", "2000", "1", "0", q(Decimal(2000) / 64500 * 100)],
            transparent="no", pickup="Bank account", inter=Decimal(1)),
    # A post office whose published USD 200 total is wrong by 0.5 points.
    new_row("1005", "2025_3Q", "Posta Kenya Sample", "Post office", "Cash", "Post Office branch", "Next day",
            point("25800", "800", "19.5526", total_offset=Decimal("0.5")), point("64500", "1100", "19.5526")),
    # The same MTO service a quarter earlier.
    new_row("0901", "2025_2Q", "Jambo Express", "Bank/Money Transfer Operator", "Cash", "Agent", "Less than one hour",
            point("25800", "650", "19.7140"), point("64500", "950", "19.7140"), date="2025-04-14"),
]
write("rpw-new-layout.csv", NEW, rows)

# Upper-case headers, quoted numbers, Excel serial and dd/Mon/yyyy dates, `..`, `Yes`, CRLF, a BOM.
variant = []
for row in rows[:3]:
    row = list(row)
    row[NEW.index("date")] = "45853" if row[0] == "1001" else ("15/Jul/2025" if row[0] == "1002" else "2025-07-15")
    row[NEW.index("transparent")] = "Yes"
    row[NEW.index("receiving network coverage")] = ".."
    variant.append(row)
path = OUT / "rpw-variants.csv"
with path.open("w", newline="", encoding="utf-8-sig") as handle:
    writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([h.upper() for h in NEW])
    writer.writerows(variant)
print("wrote fixtures/rpw/rpw-variants.csv")

old_rows = [
    ["0101", "2011_1Q"] + KEN + TZA + ["Jambo Express", "Money Transfer Operator", "Cash to cash", "Agent", "Less than one hour",
     *point("16000", "550", "17.9200", inter=Decimal("18.4300"))[:1], "200", "KES", *point("16000", "550", "17.9200", inter=Decimal("18.4300"))[1:],
     *point("40000", "900", "17.9200", inter=Decimal("18.4300"))[:1], "500", "KES", *point("40000", "900", "17.9200", inter=Decimal("18.4300"))[1:],
     "18.43", "yes", "Nationwide", "..", "..", "Cash", "2011-02-10", "KENTZA"],
    ["0102", "2011_1Q"] + KEN + TZA + ["Savanna Commercial Bank", "Bank", "Account to account", "Bank branch", "3-5 days",
     *point("16000", "1400", "17.6000", inter=Decimal("18.4300"))[:1], "200", "KES", *point("16000", "1400", "17.6000", inter=Decimal("18.4300"))[1:],
     *point("40000", "2000", "17.6000", inter=Decimal("18.4300"))[:1], "500", "KES", *point("40000", "2000", "17.6000", inter=Decimal("18.4300"))[1:],
     "18.43", "yes", "Major cities", "..", "..", "Account", "10/Feb/2011", "KENTZA"],
]
write("rpw-old-layout.csv", OLD, old_rows)

# The bad-file corpus: each file breaks one rule; tests expect the exact error and an untouched database.
BAD = OUT / "bad"
BAD.mkdir(exist_ok=True)
good = [str(v) for v in rows[1]]


def bad(name, header=NEW, body=None, raw=None):
    path = BAD / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body or [])
    print("wrote", path.relative_to(OUT.parent.parent))


def with_field(column, value, row=None):
    row = list(row or good)
    row[NEW.index(column)] = value
    return row


bad("truncated-row.csv", body=[good, good[:20]])
bad("extra-field.csv", body=[good + ["surplus", "more"]])
bad("bad-number.csv", body=[with_field("cc1 lcu fee", "6OO")])
bad("unknown-country.csv", body=[with_field("destination_code", "XXX")])
bad("unknown-currency.csv", body=[with_field("cc1 lcu code", "KSH")])
bad("negative-fee.csv", body=[with_field("cc2 lcu fee", "-900")])
bad("bad-period.csv", body=[with_field("period", "2025 third quarter")])
bad("duplicate-row.csv", body=[good, good])
bad("missing-columns.csv", header=[h for h in NEW if h not in ("cc1 lcu fee", "inter lcu bank fx")],
    body=[[v for h, v in zip(NEW, good) if h not in ("cc1 lcu fee", "inter lcu bank fx")]])
bad("empty.csv", raw=b"")
bad("header-only.csv", raw=(",".join(NEW) + "\n").encode())
line = ",".join(f'"{v}"' if "," in v else v for v in good)
bad("non-utf8.csv", raw=(",".join(NEW) + "\n").encode() + line.replace("Jambo Express", "Jambo Expr\u00e8s").encode("latin-1") + b"\n")
bad("unclosed-quote.csv", raw=(",".join(NEW) + "\n" + line.replace("Jambo Express", '"Jambo Express') + "\n").encode())
# Valid in spite of appearances: BOM, CRLF, a firm name with quotes and a line break inside a quoted field.
tricky = with_field("firm", 'Jambo "Express"\nKenya')
with (OUT / "rpw-tricky.csv").open("w", newline="", encoding="utf-8-sig") as handle:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(NEW)
    writer.writerow(tricky)
print("wrote fixtures/rpw/rpw-tricky.csv")
