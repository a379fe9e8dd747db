#!/usr/bin/env python3
"""Generate a synthetic RPW survey file for benchmarking `remit import rpw`.

    python3 scripts/gen-rpw.py OUT.csv [--rows 250000] [--seed 2016]

The file has the exact 42-column header of RPW's "Dataset (from Q2 2016)"
sheet (lower-case headers as published) and one row per service per period,
2016_2Q to 2025_3Q (38 quarters). The output depends only on --rows and
--seed: the same arguments give a byte-identical file.

The data is fictional (made-up firm names, synthetic exchange rates that follow
the broad 2016-2025 trends) but shaped like the real survey:

* Countries carry World Bank style names ("Korea, Rep.", "Egypt, Arab Rep.",
  "Côte d'Ivoire", "Türkiye"), regions, income groups, lending categories.
  `corridor` is source alpha-3 + destination alpha-3, `date` is ISO.
* A service is (corridor, firm, payment instrument, access point, pickup
  method, speed, ...). Within one corridor and firm, two services never share
  the same first payment instrument and pickup method, so an importer that
  keys services on (provider, corridor, funding, payout) sees no collisions.
  A firm name always has the same firm type, wherever it appears.
* Price points: cc1 = USD 200, cc2 = USD 500, quoted as the sending-currency
  equivalent rounded to 2 significant digits (fixed per year, from the
  year's first quarter), e.g. GBP 150 / 370, KES 25,000 / 63,000 in 2025.
* The RPW identities hold on the stored values:
      cc fx margin  = round((1 - cc lcu fx rate / inter lcu bank fx) * 100, 6)
      cc total cost = round(cc lcu fee / cc lcu amount * 100 + cc fx margin, 6)
  where both rates are the values written to the file (rates are rounded
  first, then the margin is computed from the rounded rates).
* About 8% of firms in a corridor (so ~7.5% of rows) are non-transparent
  (`transparent` = `no`): margin 0 and both rates 1 (`cc1 lcu fx rate`,
  `cc2 lcu fx rate` and `inter lcu bank fx`), as RPW stores placeholders;
  their total is the fee percentage only. Corridors where both sides use the
  same currency (USA -> SLV/ECU) are transparent with rates 1 and margin 0,
  and ZAF -> LSO (LSL pegged 1:1 to ZAR) has an interbank rate of exactly 1.
  Recipients in Zimbabwe are paid in USD.
* About 1% of transparent rows carry a negative margin (a promotion), and
  about 0.3% of rows have a published total deliberately off by 0.05-1
  percentage point (cc1, cc2 or both), as errors in the source.
* `..` stands for "not provided" in the optional fields (lending category,
  G8/G20 membership, notes, pickup location, network coverage, and rarely
  the access point).

Row counts: RPW's own layout allows at most 38 rows per service (one per
period), so N rows need at least N / 38 services (~N / 24 here, as services
enter and leave the market). The generator fills the 52 headline corridors
first (10-20 firms each, 1-6 products per firm), then ~150 further plausible
corridors of the same 19 sending countries, both round-robin over the sending
countries; once all 202 corridors are used (past ~190k rows) it adds another
10-20 firms to every corridor, as often as needed. 250k rows: ~10.5k services
in 202 corridors (the real 2016+ sheet has 204k rows in ~370 corridors);
2.5M rows: ~105k services, ~14 rounds of firms (up to ~250 firms a corridor).
Speed: about 1 s per 130k rows (250k in ~2 s, 2.5M in ~20 s, ~350 bytes a row).
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import time

HEADER = [
    "id", "period",
    "source_code", "source_name", "source_region", "source_income", "source_lending", "source_G8G20",
    "destination_code", "destination_name", "destination_region", "destination_income",
    "destination_lending", "destination_G8G20",
    "firm", "firm_type", "payment instrument", "access point", "speed actual",
    "cc1 lcu amount", "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee", "cc1 lcu fx rate",
    "cc1 fx margin", "cc1 total cost %",
    "cc2 lcu amount", "cc2 denomination amount", "cc2 lcu code", "cc2 lcu fee", "cc2 lcu fx rate",
    "cc2 fx margin", "cc2 total cost %",
    "inter lcu bank fx", "transparent", "Standard Note", "note2",
    "receiving network coverage", "pickup location", "pickup method", "date", "corridor",
]
assert len(HEADER) == 42

PERIODS = [(2016, q) for q in (2, 3, 4)] + [(y, q) for y in range(2017, 2025) for q in (1, 2, 3, 4)] \
    + [(2025, q) for q in (1, 2, 3)]
assert len(PERIODS) == 38

NA = ".."

EAP, ECA, LAC, MENA, NA_REG, SAR, SSA = (
    "East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean",
    "Middle East & North Africa", "North America", "South Asia", "Sub-Saharan Africa")
HI, UMI, LMI, LI = "High income", "Upper middle income", "Lower middle income", "Low income"

# alpha-3: (name, region, income, lending, G8/G20, currency)
COUNTRIES = {
    # sending countries
    "USA": ("United States", NA_REG, HI, NA, "G8", "USD"),
    "CAN": ("Canada", NA_REG, HI, NA, "G8", "CAD"),
    "GBR": ("United Kingdom", ECA, HI, NA, "G8", "GBP"),
    "DEU": ("Germany", ECA, HI, NA, "G8", "EUR"),
    "FRA": ("France", ECA, HI, NA, "G8", "EUR"),
    "ITA": ("Italy", ECA, HI, NA, "G8", "EUR"),
    "ESP": ("Spain", ECA, HI, NA, NA, "EUR"),
    "RUS": ("Russian Federation", ECA, HI, NA, "G8", "RUB"),
    "JPN": ("Japan", EAP, HI, NA, "G8", "JPY"),
    "KOR": ("Korea, Rep.", EAP, HI, NA, "G20", "KRW"),
    "AUS": ("Australia", EAP, HI, NA, "G20", "AUD"),
    "SGP": ("Singapore", EAP, HI, NA, NA, "SGD"),
    "MYS": ("Malaysia", EAP, UMI, "IBRD", NA, "MYR"),
    "SAU": ("Saudi Arabia", MENA, HI, NA, "G20", "SAR"),
    "ARE": ("United Arab Emirates", MENA, HI, NA, NA, "AED"),
    "QAT": ("Qatar", MENA, HI, NA, NA, "QAR"),
    "KWT": ("Kuwait", MENA, HI, NA, NA, "KWD"),
    "ZAF": ("South Africa", SSA, UMI, "IBRD", "G20", "ZAR"),
    "KEN": ("Kenya", SSA, LMI, "Blend", NA, "KES"),
    # receiving countries
    "MEX": ("Mexico", LAC, UMI, "IBRD", "G20", "MXN"),
    "GTM": ("Guatemala", LAC, UMI, "IBRD", NA, "GTQ"),
    "SLV": ("El Salvador", LAC, UMI, "IBRD", NA, "USD"),
    "HND": ("Honduras", LAC, LMI, "IDA", NA, "HNL"),
    "DOM": ("Dominican Republic", LAC, UMI, "IBRD", NA, "DOP"),
    "COL": ("Colombia", LAC, UMI, "IBRD", NA, "COP"),
    "ECU": ("Ecuador", LAC, UMI, "IBRD", NA, "USD"),
    "JAM": ("Jamaica", LAC, UMI, "IBRD", NA, "JMD"),
    "HTI": ("Haiti", LAC, LMI, "IDA", NA, "HTG"),
    "PHL": ("Philippines", EAP, LMI, "IBRD", NA, "PHP"),
    "VNM": ("Viet Nam", EAP, LMI, "IBRD", NA, "VND"),
    "CHN": ("China", EAP, UMI, "IBRD", "G20", "CNY"),
    "IDN": ("Indonesia", EAP, UMI, "IBRD", "G20", "IDR"),
    "THA": ("Thailand", EAP, UMI, "IBRD", NA, "THB"),
    "KHM": ("Cambodia", EAP, LMI, "IDA", NA, "KHR"),
    "IND": ("India", SAR, LMI, "IBRD", "G20", "INR"),
    "PAK": ("Pakistan", SAR, LMI, "Blend", NA, "PKR"),
    "BGD": ("Bangladesh", SAR, LMI, "IDA", NA, "BDT"),
    "NPL": ("Nepal", SAR, LMI, "IDA", NA, "NPR"),
    "LKA": ("Sri Lanka", SAR, LMI, "Blend", NA, "LKR"),
    "TUR": ("Türkiye", ECA, UMI, "IBRD", "G20", "TRY"),
    "POL": ("Poland", ECA, HI, NA, NA, "PLN"),
    "ROU": ("Romania", ECA, HI, NA, NA, "RON"),
    "ALB": ("Albania", ECA, UMI, "IBRD", NA, "ALL"),
    "UKR": ("Ukraine", ECA, UMI, "IBRD", NA, "UAH"),
    "ARM": ("Armenia", ECA, UMI, "IBRD", NA, "AMD"),
    "GEO": ("Georgia", ECA, UMI, "IBRD", NA, "GEL"),
    "TJK": ("Tajikistan", ECA, LMI, "IDA", NA, "TJS"),
    "UZB": ("Uzbekistan", ECA, LMI, "Blend", NA, "UZS"),
    "KGZ": ("Kyrgyz Republic", ECA, LMI, "IDA", NA, "KGS"),
    "MAR": ("Morocco", MENA, LMI, "IBRD", NA, "MAD"),
    "TUN": ("Tunisia", MENA, LMI, "IBRD", NA, "TND"),
    "DZA": ("Algeria", MENA, UMI, "IBRD", NA, "DZD"),
    "EGY": ("Egypt, Arab Rep.", MENA, LMI, "IBRD", NA, "EGP"),
    "JOR": ("Jordan", MENA, UMI, "IBRD", NA, "JOD"),
    "SEN": ("Senegal", SSA, LMI, "IDA", NA, "XOF"),
    "MLI": ("Mali", SSA, LI, "IDA", NA, "XOF"),
    "CIV": ("Côte d'Ivoire", SSA, LMI, "IDA", NA, "XOF"),
    "NGA": ("Nigeria", SSA, LMI, "Blend", NA, "NGN"),
    "GHA": ("Ghana", SSA, LMI, "IDA", NA, "GHS"),
    "TZA": ("Tanzania", SSA, LMI, "IDA", NA, "TZS"),
    "UGA": ("Uganda", SSA, LI, "IDA", NA, "UGX"),
    "RWA": ("Rwanda", SSA, LI, "IDA", NA, "RWF"),
    "ETH": ("Ethiopia", SSA, LI, "IDA", NA, "ETB"),
    "ZWE": ("Zimbabwe", SSA, LMI, "Blend", NA, "USD"),  # recipients are paid in USD
    "MOZ": ("Mozambique", SSA, LI, "IDA", NA, "MZN"),
    "MWI": ("Malawi", SSA, LI, "IDA", NA, "MWK"),
    "LSO": ("Lesotho", SSA, LMI, "IDA", NA, "LSL"),
}

# Units per USD, 2016_2Q -> 2025_3Q (log-linear trend plus a seeded random walk).
# None: pegged or derived, see PEGS.
CURRENCY_PATH = {
    "USD": (1.0, 1.0), "CAD": (1.29, 1.37), "GBP": (0.70, 0.74), "EUR": (0.89, 0.86),
    "RUB": (65.0, 80.0), "JPY": (108.0, 147.0), "KRW": (1160.0, 1390.0), "AUD": (1.33, 1.53),
    "SGD": (1.36, 1.29), "MYR": (4.05, 4.25), "KWD": (0.302, 0.306), "ZAR": (14.9, 17.8),
    "KES": (101.0, 129.2), "MXN": (18.6, 18.7), "GTQ": (7.65, 7.67), "HNL": (22.6, 26.1),
    "DOP": (46.0, 61.5), "COP": (3000.0, 4050.0), "JMD": (125.0, 160.0), "HTG": (63.0, 131.0),
    "PHP": (46.5, 57.2), "VND": (22300.0, 26200.0), "CNY": (6.60, 7.18), "IDR": (13300.0, 16350.0),
    "THB": (35.2, 32.4), "KHR": (4080.0, 4010.0), "INR": (67.0, 87.5), "PKR": (104.8, 282.0),
    "BDT": (78.5, 122.0), "LKR": (146.0, 300.0), "TRY": (2.95, 40.8), "PLN": (3.90, 3.66),
    "RON": (4.02, 4.33), "ALL": (123.0, 84.0), "UAH": (25.0, 41.5), "AMD": (477.0, 387.0),
    "GEL": (2.32, 2.71), "TJS": (7.87, 9.35), "UZS": (2950.0, 12550.0), "KGS": (68.0, 87.4),
    "MAD": (9.75, 9.05), "TND": (2.15, 2.93), "DZD": (109.0, 130.5), "EGP": (8.88, 48.6),
    "NGN": (199.0, 1530.0), "GHS": (3.90, 10.6), "TZS": (2185.0, 2480.0), "UGX": (3380.0, 3560.0),
    "RWF": (780.0, 1445.0), "ETB": (21.8, 138.0), "MZN": (60.0, 63.9), "MWK": (715.0, 1735.0),
}
PEGS = {  # currency: (anchor, units per anchor unit)
    "SAR": ("USD", 3.75), "AED": ("USD", 3.6725), "QAR": ("USD", 3.64), "JOD": ("USD", 0.709),
    "XOF": ("EUR", 655.957), "LSL": ("ZAR", 1.0), "NPR": ("INR", 1.6),
}

# source: (headline destinations, further plausible destinations)
SOURCES = {
    "USA": (["MEX", "PHL", "GTM", "SLV", "IND", "CHN", "VNM", "DOM", "HTI", "COL"],
            ["HND", "JAM", "ECU", "NGA", "PAK", "GHA", "ETH", "LKA", "THA", "IDN", "BGD", "UKR", "KHM"]),
    "CAN": (["IND"], ["PHL", "CHN", "JAM", "HTI", "PAK", "VNM", "LKA", "NGA", "GHA"]),
    "GBR": (["IND", "PAK", "NGA", "POL", "KEN"],
            ["BGD", "LKA", "GHA", "ROU", "PHL", "CHN", "UGA", "JAM", "NPL", "TUR", "ETH", "VNM"]),
    "DEU": (["TUR", "POL", "ROU"], ["ALB", "UKR", "VNM", "CHN", "LKA", "GHA", "MAR", "GEO", "IND"]),
    "FRA": (["SEN", "MAR", "DZA", "TUN", "CIV"], ["MLI", "VNM", "CHN", "TUR", "HTI", "PHL", "ROU", "POL"]),
    "ITA": (["ROU", "ALB"], ["MAR", "PHL", "CHN", "BGD", "UKR", "SEN", "IND", "LKA", "PAK", "NGA", "TUN"]),
    "ESP": (["MAR", "COL"], ["ROU", "ECU", "DOM", "CHN", "SEN", "PAK", "PHL", "UKR", "BGD", "DZA"]),
    "RUS": (["TJK", "UZB", "KGZ", "ARM"], ["UKR", "GEO", "VNM", "CHN"]),
    "JPN": (["PHL"], ["VNM", "CHN", "THA", "IDN", "KHM", "NPL", "IND"]),
    "KOR": (["VNM"], ["PHL", "CHN", "THA", "IDN", "KHM", "NPL", "LKA", "BGD"]),
    "AUS": (["PHL"], ["VNM", "CHN", "IND", "LKA", "THA", "IDN", "NPL", "KHM"]),
    "SGP": (["IND"], ["PHL", "BGD", "IDN", "CHN", "THA", "VNM", "LKA"]),
    "MYS": (["IDN"], ["BGD", "NPL", "PHL", "IND", "PAK", "VNM", "CHN"]),
    "SAU": (["PAK", "IND", "EGY"], ["BGD", "PHL", "NPL", "LKA", "JOR", "IDN"]),
    "ARE": (["IND", "PAK", "PHL"], ["BGD", "NPL", "LKA", "EGY", "JOR", "ETH", "UGA", "NGA"]),
    "QAT": (["NPL"], ["IND", "BGD", "PAK", "PHL", "EGY", "LKA"]),
    "KWT": (["LKA"], ["IND", "EGY", "PAK", "BGD", "PHL", "NPL"]),
    "ZAF": (["ZWE", "MOZ", "LSO", "MWI"], ["CHN", "IND", "NGA", "GHA", "UGA", "TZA", "ETH"]),
    "KEN": (["TZA", "UGA", "RWA"], ["ETH", "ZWE", "MWI", "GHA"]),
}

# ---------------------------------------------------------------- firms

NAME_WORDS = [
    "Alder", "Amber", "Anchor", "Arcadia", "Atlas", "Aurora", "Azure", "Beacon", "Bluefin", "Boreal",
    "Bridge", "Caravel", "Cedar", "Cinder", "Cobalt", "Comet", "Compass", "Coral", "Crescent", "Delta",
    "Dune", "Ember", "Equinox", "Falcon", "Fjord", "Fortune", "Galleon", "Garnet", "Granite", "Harbor",
    "Heron", "Horizon", "Indigo", "Iris", "Jade", "Juniper", "Kestrel", "Keystone", "Lagoon", "Lantern",
    "Laurel", "Linden", "Lotus", "Lumen", "Magnolia", "Mariner", "Meadow", "Meridian", "Monarch", "Nimbus",
    "Northstar", "Oakridge", "Onyx", "Orchid", "Orion", "Pacific", "Paragon", "Pelican", "Pinnacle", "Prairie",
    "Quartz", "Quill", "Raven", "Redwood", "Ridge", "Saffron", "Sahel", "Sapphire", "Sequoia", "Sierra",
    "Silverline", "Solstice", "Sparrow", "Summit", "Sunbird", "Tamarind", "Tern", "Thistle", "Tidewater",
    "Topaz", "Trident", "Tundra", "Umber", "Vantage", "Verdant", "Vesper", "Willow", "Zenith", "Zephyr",
]
# (firm_type label, weight, name patterns) - patterns are disjoint across types,
# so a name never appears with two firm types.
FIRM_TYPES = [
    ("Money Transfer Operator", 52, ["{w} Remit", "{w} Money Transfer", "{w} Express", "{w}Pay",
                                     "{w} Transfers", "{w} Cash Services", "{w} Money"]),
    ("Bank", 24, ["{w} Bank", "Bank of {w}", "{w} National Bank", "{w} Savings Bank",
                  "{w} Commercial Bank"]),
    ("Bank/Money Transfer Operator", 4, ["{w} Bank & Remittance", "{w} Banking Transfers"]),
    ("Post office", 4, ["{w} Post", "{w} Postal Services"]),
    ("Mobile Operator", 6, ["{w} Mobile Money", "{w}Tel Wallet"]),
    ("Non-bank FI", 6, ["{w} Finance", "{w} Microfinance"]),
    ("Credit union", 3, ["{w} Federal Credit Union", "{w} Credit Union"]),
    ("Building society", 1, ["{w} Building Society"]),
]

# payment instrument: (text, first instrument, weight)
INSTRUMENTS = [
    ("Cash", "cash", 30), ("Bank account", "bank", 16), ("Debit card", "debit", 12),
    ("Credit card", "credit", 3), ("Debit card, Credit card", "debit", 14), ("Cash, Debit card", "cash", 5),
    ("Bank account, Debit card, Credit card", "bank", 8), ("Mobile money", "mobile", 6),
]
PICKUPS = [("Cash", 40), ("Bank account", 35), ("Mobile wallet", 18), ("Home delivery", 7)]
SPEEDS = ["Less than one hour", "Same day", "Next day", "2 days", "3-5 days", "6 days or more"]
COVERAGE = [("High", 45), ("Medium", 30), ("Low", 15), (NA, 10)]
PICKUP_LOCATIONS = [(NA, 55), ("Agent", 20), ("Bank branch", 15), ("Any location", 10)]
STANDARD_NOTES = [
    "Fee includes a flat charge, the rate is set by the payout agent",
    'Quoted for a "first transfer" promotion',
    "Service available to account holders only",
    "Cash payout in major cities",
    "Rate guaranteed for 24 hours",
]
NOTE2 = ["Exchange rate applied at the time of payout", "Fee varies by payout location", "Online only"]


def weighted(rng: random.Random, items):
    values = [i[0] for i in items]
    weights = [i[-1] for i in items]
    return rng.choices(values, weights)[0]


def csv_field(text: str) -> str:
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def fmt(x: float, decimals: int) -> str:
    s = "%.*f" % (decimals, x)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s == "-0":
        s = "0"
    return s


def round_sig2(x: float) -> float:
    """Round to 2 significant digits: 184.3 -> 180, 25840 -> 26000, 61.2 -> 61."""
    step = 10.0 ** (math.floor(math.log10(x)) - 1)
    return math.floor(x / step + 0.5) * step


def rate_decimals(rate: float) -> int:
    return 4 if rate >= 10 else (5 if rate >= 1 else 6)


class World:
    def __init__(self, rng: random.Random):
        self.rng = rng
        n = len(PERIODS)
        self.per_usd = {}
        for code, (start, end) in CURRENCY_PATH.items():
            walk, path = 0.0, []
            for i in range(n):
                trend = math.log(start) + (math.log(end) - math.log(start)) * i / (n - 1)
                if code != "USD":
                    walk = 0.8 * walk + rng.gauss(0.0, 0.018)
                path.append(math.exp(trend + walk))
            self.per_usd[code] = path
        for code, (anchor, units) in PEGS.items():
            self.per_usd[code] = [units * v for v in self.per_usd[anchor]]

        # firm name pools per type, shuffled once; popular names come first
        self.pools = {}
        for label, _, patterns in FIRM_TYPES:
            names = [p.format(w=w) for p in patterns for w in NAME_WORDS]
            rng.shuffle(names)
            self.pools[label] = names
        self.type_weights = [(label, w) for label, w, _ in FIRM_TYPES]


class Service:
    __slots__ = ("prefix", "suffix", "start", "end", "transparent", "fee1", "fee2", "margin1", "margin2",
                 "fee_style")


def make_corridors():
    """Headline corridors first, then the others; each group taken round-robin over the
    sending countries, so that even a small file has corridors from many of them."""
    def interleave(lists):
        out = []
        for i in range(max(len(x) for x in lists)):
            out += [x[i] for x in lists if i < len(x)]
        return out
    head = interleave([[(src, d) for d in headline] for src, (headline, _) in SOURCES.items()])
    rest = interleave([[(src, d) for d in further] for src, (_, further) in SOURCES.items()])
    seen, out = set(), []
    for pair in head + rest:
        if pair not in seen and pair[0] != pair[1]:
            seen.add(pair)
            out.append(pair)
    return out, len(head)


def country_fields(code: str) -> list[str]:
    name, region, income, lending, g = COUNTRIES[code][:5]
    return [code, csv_field(name), csv_field(region), income, lending, g]


def build_services(world: World, rng: random.Random, rows: int):
    corridors, _ = make_corridors()
    last = len(PERIODS) - 1
    services_by_corridor: dict[tuple[str, str], list[Service]] = {}
    used_firms: dict[tuple[str, str], set[str]] = {}
    total = 0
    firm_count = 0
    rounds = 0
    type_labels = [t for t, _ in world.type_weights]
    type_w = [w for _, w in world.type_weights]
    while total < rows:
        for src, dst in corridors:
            if total >= rows:
                break
            key = (src, dst)
            used = used_firms.setdefault(key, set())
            lst = services_by_corridor.setdefault(key, [])
            src_fields = country_fields(src)
            dst_fields = country_fields(dst)
            same_ccy = COUNTRIES[src][5] == COUNTRIES[dst][5]
            for _ in range(rng.randint(10, 20)):
                if total >= rows:
                    break
                ftype = rng.choices(type_labels, type_w)[0]
                if ftype == "Credit union" and src not in ("USA", "CAN", "AUS"):
                    ftype = "Money Transfer Operator"
                if ftype == "Building society" and src != "GBR":
                    ftype = "Bank"
                pool = world.pools[ftype]
                # popular names are drawn more often (geometric over the shuffled pool)
                for _attempt in range(50):
                    idx = min(int(rng.expovariate(1.0 / (12 + 8 * rounds))), len(pool) - 1)
                    name = pool[idx]
                    if name not in used:
                        break
                else:
                    name = next((n for n in pool if n not in used), None)
                    if name is None:
                        continue
                used.add(name)
                firm_count += 1
                n_products = rng.choices([1, 2, 3, 4, 5, 6], [30, 25, 20, 12, 8, 5])[0]
                seen_keys = set()
                firm_transparent = rng.random() >= 0.08
                bank_like = ftype in ("Bank", "Bank/Money Transfer Operator", "Credit union", "Building society")
                for _p in range(n_products):
                    if total >= rows:
                        break
                    for _attempt in range(20):
                        instrument, first, _w = rng.choices(INSTRUMENTS, [i[2] for i in INSTRUMENTS])[0]
                        pickup = weighted(rng, PICKUPS)
                        if (first, pickup) not in seen_keys:
                            break
                    else:
                        continue
                    seen_keys.add((first, pickup))
                    s = Service()
                    # access point and speed follow the instrument and firm type
                    if first == "cash":
                        access = {"Post office": "Post Office branch"}.get(ftype, "Bank branch" if bank_like else "Agent")
                    elif first == "mobile":
                        access = "Mobile phone"
                    elif bank_like:
                        access = rng.choice(["Bank branch", "Internet", "Internet"])
                    else:
                        access = rng.choice(["Internet", "Internet", "Mobile phone"])
                    if rng.random() < 0.02:
                        access = NA
                    if bank_like:
                        speed = rng.choices(SPEEDS, [2, 6, 20, 25, 35, 12])[0]
                    elif access in ("Internet", "Mobile phone") or pickup == "Mobile wallet":
                        speed = rng.choices(SPEEDS, [55, 20, 15, 5, 4, 1])[0]
                    else:
                        speed = rng.choices(SPEEDS, [45, 25, 15, 7, 6, 2])[0]
                    # span of periods: many services are there for the whole survey
                    start = 0 if rng.random() < 0.55 else rng.randint(1, last)
                    end = last if rng.random() < 0.6 else rng.randint(start, last)
                    span = end - start + 1
                    if total + span > rows:
                        end = start + (rows - total) - 1
                        span = end - start + 1
                    total += span
                    s.start, s.end = start, end
                    s.transparent = firm_transparent or same_ccy
                    # price level in 2016 (percent of USD 200), falling over time
                    level = {"Bank": 11.0, "Bank/Money Transfer Operator": 9.0, "Credit union": 8.0,
                             "Building society": 9.0, "Post office": 7.5, "Mobile Operator": 4.0,
                             "Non-bank FI": 6.5}.get(ftype, 6.5)
                    if access in ("Internet", "Mobile phone"):
                        level *= 0.65
                    if dst_fields[2] == SSA:
                        level *= 1.3
                    elif dst_fields[2] == SAR:
                        level *= 0.85
                    level *= 1.15 * rng.lognormvariate(0.0, 0.35)
                    fee_share = rng.uniform(0.25, 0.75) if not same_ccy else 1.0
                    s.fee1 = 2.0 * level * fee_share  # USD, at the USD 200 point
                    s.fee2 = s.fee1 * (1.0 if rng.random() < 0.4 else rng.uniform(1.1, 2.2))
                    s.margin1 = 0.0 if same_ccy else level * (1.0 - fee_share)
                    s.margin2 = s.margin1 * rng.uniform(0.8, 1.0)
                    s.fee_style = 0 if rng.random() < 0.04 else rng.choice((1, 2, 3))  # 0: free
                    note = NA if rng.random() < 0.9 else csv_field(rng.choice(STANDARD_NOTES))
                    note2 = NA if rng.random() < 0.97 else csv_field(rng.choice(NOTE2))
                    firm_field = csv_field(name)
                    s.prefix = ",".join(src_fields + dst_fields + [
                        firm_field, csv_field(ftype), csv_field(instrument), csv_field(access), speed])
                    s.suffix = ",".join([
                        "yes" if s.transparent else "no", note, note2, weighted(rng, COVERAGE),
                        weighted(rng, PICKUP_LOCATIONS), csv_field(pickup)])
                    lst.append(s)
        rounds += 1
    n_services = sum(len(v) for v in services_by_corridor.values())
    n_corridors = sum(1 for v in services_by_corridor.values() if v)
    return services_by_corridor, total, n_services, n_corridors, firm_count, rounds



def price_fee(fee_lcu: float, style: int, big_unit: bool) -> float:
    if style == 0:
        return 0.0
    if big_unit:  # KES, RUB, JPY...: whole units, 2 significant digits
        return round_sig2(fee_lcu) if fee_lcu >= 1 else 0.0
    if style == 1:  # 4.99
        return max(math.floor(fee_lcu) + 0.99, 0.99) if fee_lcu >= 0.5 else 0.99
    if style == 2:  # whole units
        return float(max(round(fee_lcu), 1))
    return round(fee_lcu, 2)  # exact cents


def generate(out_path: str, rows: int, seed: int) -> dict:
    rng = random.Random(seed)
    world = World(rng)
    by_corridor, total, n_services, n_corridors, n_firms, rounds = build_services(world, rng, rows)
    assert total == rows, (total, rows)
    last = len(PERIODS) - 1
    rnd = rng.random
    stats = {"rows": 0, "services": n_services, "corridors": n_corridors, "firm_slots": n_firms,
             "rounds": rounds, "non_transparent_rows": 0, "negative_margin_rows": 0, "inconsistent_rows": 0}
    next_id = 1
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(csv_field(h) for h in HEADER) + "\n")
        for p, (year, q) in enumerate(PERIODS):
            period = f"{year}_{q}Q"
            year_first = PERIODS.index((year, 1)) if (year, 1) in PERIODS else 0
            trend = 1.0 - 0.022 * (p / 4.0)  # costs fall ~2% a year
            lines = []
            for (src, dst), services in by_corridor.items():
                if not services:
                    continue
                send_ccy, recv_ccy = COUNTRIES[src][5], COUNTRIES[dst][5]
                send_usd = world.per_usd[send_ccy][p]
                inter = world.per_usd[recv_ccy][p] / send_usd
                dec = rate_decimals(inter)
                inter = round(inter, dec)
                inter_s = fmt(inter, dec)
                amt_rate = world.per_usd[send_ccy][year_first]
                amt1 = 200.0 if send_ccy == "USD" else round_sig2(200.0 * amt_rate)
                amt2 = 500.0 if send_ccy == "USD" else round_sig2(500.0 * amt_rate)
                amt1_s, amt2_s = fmt(amt1, 2), fmt(amt2, 2)
                big_unit = send_usd >= 10
                same_ccy = send_ccy == recv_ccy
                month = 3 * (q - 1) + 1 + int(rnd() * 3)
                day0 = 1 + int(rnd() * 20)
                mid1 = ",".join([amt1_s, "200", send_ccy])
                mid2 = ",".join([amt2_s, "500", send_ccy])
                corridor = src + dst
                for s in services:
                    if s.start > p or s.end < p:
                        continue
                    fee_style = s.fee_style
                    f1 = price_fee(s.fee1 * trend * send_usd, fee_style, big_unit)
                    f2 = price_fee(s.fee2 * trend * send_usd, fee_style, big_unit)
                    if f2 < f1:
                        f2 = f1
                    if s.transparent and not same_ccy:
                        noise = 1.0 + (rnd() - 0.5) * 0.2
                        m1 = s.margin1 * trend * noise
                        m2 = s.margin2 * trend * noise
                        if rnd() < 0.011:  # promotion
                            m1 = -(0.1 + rnd() * 1.9)
                            m2 = m1 * (0.8 + rnd() * 0.2)
                        o1 = round(inter * (1.0 - m1 / 100.0), dec)
                        o2 = round(inter * (1.0 - m2 / 100.0), dec)
                        m1 = round((1.0 - o1 / inter) * 100.0, 6)
                        m2 = round((1.0 - o2 / inter) * 100.0, 6)
                        if m1 < 0:
                            stats["negative_margin_rows"] += 1
                        o1_s, o2_s, ib_s = fmt(o1, dec), fmt(o2, dec), inter_s
                    else:
                        m1 = m2 = 0.0
                        o1_s = o2_s = ib_s = "1"
                        if not s.transparent:
                            stats["non_transparent_rows"] += 1
                    t1 = round(f1 / amt1 * 100.0 + m1, 6)
                    t2 = round(f2 / amt2 * 100.0 + m2, 6)
                    if rnd() < 0.003:  # an error in the source
                        stats["inconsistent_rows"] += 1
                        off = (0.05 + rnd() * 0.95) * (1 if rnd() < 0.5 else -1)
                        which = rnd()
                        if which < 0.6:
                            t1 = round(t1 + off, 6)
                        elif which < 0.8:
                            t2 = round(t2 + off, 6)
                        else:
                            t1, t2 = round(t1 + off, 6), round(t2 + off, 6)
                    date = "%04d-%02d-%02d" % (year, month, day0 + int(rnd() * 8))
                    lines.append(",".join((
                        str(next_id), period, s.prefix,
                        mid1, fmt(f1, 2), o1_s, fmt(m1, 6), fmt(t1, 6),
                        mid2, fmt(f2, 2), o2_s, fmt(m2, 6), fmt(t2, 6),
                        ib_s, s.suffix, date, corridor)))
                    next_id += 1
            lines.append("")
            f.write("\n".join(lines))
            stats["rows"] += len(lines) - 1
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description="Write a synthetic RPW 'Dataset (from Q2 2016)' CSV file.")
    ap.add_argument("output", help="path of the CSV file to write")
    ap.add_argument("--rows", type=int, default=250_000, help="number of data rows (default 250000)")
    ap.add_argument("--seed", type=int, default=2016, help="random seed (default 2016)")
    ap.add_argument("--quiet", action="store_true", help="print no summary")
    args = ap.parse_args()
    if args.rows < 1:
        ap.error("--rows must be at least 1")
    t0 = time.perf_counter()
    stats = generate(args.output, args.rows, args.seed)
    elapsed = time.perf_counter() - t0
    if not args.quiet:
        print(f"gen-rpw: {stats['rows']} rows, {stats['services']} services in {stats['corridors']} corridors "
              f"({stats['rounds']} round(s) of firms), {stats['non_transparent_rows']} non-transparent, "
              f"{stats['negative_margin_rows']} negative-margin, {stats['inconsistent_rows']} inconsistent rows; "
              f"{elapsed:.1f} s -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
