#!/usr/bin/env python3
"""Cross-check remit's report JSON against the sqlite3 baseline's output.

    check.py global SQLITE_OUTPUT REMIT_JSON
    check.py sdg    SQLITE_OUTPUT REMIT_JSON

SQLITE_OUTPUT is what `sqlite3 DB < global.sql` (or sdg.sql) printed: tagged rows,
'|'-separated (see those files). Every figure both compute is compared: numbers to
within 1e-6 (remit's JSON rounds to 6 decimals), counts, names and order exactly.
Prints a one-line summary; on any difference prints each one (at most 20) and exits 1.
"""
import json
import sys

TOLERANCE = 1e-6


def number(text):
    return None if text == "" else float(text)


class Checker:
    def __init__(self):
        self.differences = []
        self.compared = 0

    def same(self, what, sql, remit, tolerance=None):
        self.compared += 1
        if tolerance is None or sql is None or remit is None:
            ok = sql == remit
        else:
            ok = abs(sql - remit) <= tolerance
        if not ok:
            self.differences.append(f"{what}: sqlite3 {sql!r}, remit {remit!r}")
        return ok

    def num(self, what, sql, remit):
        return self.same(what, sql, remit, TOLERANCE)


def rows(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("|")
            out.setdefault(fields[0], []).append(fields[1:])
    return out


def check_global(sql, doc, c):
    (period,), = sql["period"]
    c.same("period", period, doc["period"])
    (avg, services, corridors, above5, share), = sql["global"]
    c.num("globalAverageTotalCostPercent", number(avg), doc["globalAverageTotalCostPercent"])
    c.same("serviceCount", int(services), doc["serviceCount"])
    c.same("corridorCount", int(corridors), doc["corridorCount"])
    c.same("corridorsSmartAbove5Percent", int(above5), doc["corridorsSmartAbove5Percent"])
    c.num("shareOfCorridorsAverageBelow3Percent", number(share), doc["shareOfCorridorsAverageBelow3Percent"])

    def corridor_list(name, sql_rows, json_rows):
        c.same(f"{name}: number of corridors", len(sql_rows), len(json_rows))
        for (frm, to, n, a, s), j in zip(sql_rows, json_rows):
            key = f"{name} {frm}->{to}"
            if c.same(f"{name}: corridor order", (frm, to), (j["from"], j["to"])):
                c.same(f"{key} serviceCount", int(n), j["serviceCount"])
                c.num(f"{key} average", number(a), j["averageTotalCostPercent"])
                c.num(f"{key} SmaRT", number(s), j["smartTotalCostPercent"])

    corridor_list("corridors", sql.get("corridor", []), doc["corridors"])
    corridor_list("smartAbove5PercentCorridors", sql.get("smart-above-5", []), doc["smartAbove5PercentCorridors"])

    for tag, key in [("sending-region", "bySendingRegion"), ("receiving-region", "byReceivingRegion"),
                     ("income-group", "byReceivingIncomeGroup"), ("firm-type", "byFirmType")]:
        s_rows, j_rows = sql.get(tag, []), doc[key]
        c.same(f"{key}: groups in order", [r[0] for r in s_rows], [g["group"] for g in j_rows])
        for (group, n, a), g in zip(s_rows, j_rows):
            if group == g["group"]:
                c.same(f"{key} {group} serviceCount", int(n), g["serviceCount"])
                c.num(f"{key} {group} average", number(a), g["averageTotalCostPercent"])

    excluded = {reason: int(n) for reason, n in sql.get("excluded", []) if n not in ("", "0")}
    c.same("excludedCounts", excluded, doc["excludedCounts"])

    s_trend, j_trend = sql.get("trend", []), doc["trend"]
    c.same("trend: periods", [r[0] for r in s_trend], [t["period"] for t in j_trend])
    for (p, a, n, k), t in zip(s_trend, j_trend):
        if p == t["period"]:
            c.num(f"trend {p} average", number(a), t["globalAverageTotalCostPercent"])
            c.same(f"trend {p} serviceCount", int(n), t["serviceCount"])
            c.same(f"trend {p} corridorCount", int(k), t["corridorCount"])
    c.same("flows (none imported)", None, doc.get("flows"))
    return (f"global {period}: average {number(avg):.6f} % sqlite3 vs "
            f"{doc['globalAverageTotalCostPercent']} remit, {len(sql.get('corridor', []))} corridors, "
            f"{len(s_trend)} trend periods")


def check_sdg(sql, doc, c):
    s_rows, j_rows = sql.get("sdg", []), doc["corridors"]
    c.same("number of SDG rows", len(s_rows), len(j_rows))
    for i, (r, j) in enumerate(zip(s_rows, j_rows), 1):
        frm, to, n, a, s, m3, m5, gap, change = r
        if not c.same(f"SDG row {i}: corridor", (frm, to), (j["from"], j["to"])):
            continue
        key = f"SDG {frm}->{to}"
        c.same(f"{key} serviceCount", int(n), j["serviceCount"])
        c.num(f"{key} average", number(a), j["averageTotalCostPercent"])
        c.num(f"{key} SmaRT", number(s), j["smartTotalCostPercent"])
        c.same(f"{key} meets3Percent", m3 == "1", j["meets3Percent"])
        c.same(f"{key} meets5Percent", None if m5 == "" else m5 == "1", j["meets5Percent"])
        c.num(f"{key} gapTo3Percent", number(gap), j["gapTo3Percent"])
        c.num(f"{key} changeFiveYears", number(change), j["changeFiveYears"])
    return f"sdg {doc['period']}: {len(s_rows)} rows sqlite3 vs {len(j_rows)} remit"


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("global", "sdg"):
        sys.exit(__doc__)
    kind, sql_path, json_path = sys.argv[1:]
    sql = rows(sql_path)
    with open(json_path, encoding="utf-8") as f:
        doc = json.load(f)
    c = Checker()
    summary = (check_global if kind == "global" else check_sdg)(sql, doc, c)
    if c.differences:
        print(f"cross-check {kind}: {len(c.differences)} of {c.compared} figures differ ({summary})", file=sys.stderr)
        for d in c.differences[:20]:
            print(f"  {d}", file=sys.stderr)
        sys.exit(1)
    print(f"cross-check {kind}: {c.compared} figures agree ({summary})")


if __name__ == "__main__":
    main()
