#!/usr/bin/env python3
"""Generate Sources/RemitKit/Model/ReferenceData+Generated.swift.

How to run (from the repository root):

    apt-get install iso-codes                       # Debian/Ubuntu: /usr/share/iso-codes/json
    pip install babel==2.19.0 iso4217==1.16.20260101
    python3 scripts/generate-reference-data.py      # writes the Swift file
    python3 scripts/generate-reference-data.py --check   # exit 1 if the file is out of date

The output is sorted (currencies by code, countries by alpha-2 code) and depends
only on the inputs below, so re-running with the same inputs gives an identical
file. The versions of the inputs are written into the generated file's header.

What each source contributes:

* ISO 4217 table, as shipped by the PyPI package `iso4217` (its `table.xml` is
  the official SIX list, "Pblshd" date in the header): which currencies are
  current, their names when iso-codes lacks one, and the minor units (the ISO
  exponent `CcyMnrUnts`, NOT CLDR's "digits", which differ for e.g. IQD, IDR,
  HUF, COP, IRR, ...). Fund codes (`IsFund="true"`) and codes without an
  exponent ("N.A.": precious metals, bond units, XDR, XSU, XUA, XTS, XXX) are
  left out, plus the few non-tender units listed in EXCLUDED_CURRENCIES.
* Debian iso-codes (`/usr/share/iso-codes/json/iso_3166-1.json`,
  `iso_4217.json`): the list of countries with their alpha-2/alpha-3 codes and
  English names (`name`, `official_name`, `common_name`), and the English
  currency names. Debian's copy can lag ISO: codes it lists that the ISO table
  has withdrawn (e.g. HRK, BGN, ANG, SLL, ZWL, CUC) are dropped, and current ISO
  codes it lacks (e.g. XCG, ZWG) take the ISO table's name.
* CLDR, through the PyPI package `babel`
  (`babel.numbers.get_territory_currencies(territory, AS_OF, tender=True)`):
  each territory's legal-tender currency on AS_OF.

Hand-picked choices (all in this file, below):

* AS_OF: the date at which CLDR's territory currencies are read. Fixed so that
  the output does not change with the day the script is run.
* CURRENCY_CHOICES: territories where CLDR gives no current tender currency
  (Antarctica) or more than one; the script fails if CLDR gives several
  candidates for a territory not listed there, or if a choice is not among
  CLDR's candidates.
* EXTRA_COUNTRIES: Kosovo (XK/XKX), which is not in ISO 3166-1 but is covered
  by the World Bank's Remittance Prices Worldwide (which codes it KSV).
* SHORT_NAMES and EXTRA_ALIASES: familiar English names where the ISO name is
  awkward ("Korea, Republic of" -> "South Korea"), and common spellings,
  including World Bank style names ("Egypt, Arab Rep.").

Checks: every country's currency is a generated currency; no alias, name or
code maps to two countries after normalising to lower-case letters and digits
(the same folding as `ReferenceData.normalizedName` in Swift); a few known
ISO exponents (JPY 0, KWD 3, IQD 3, ...).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import unicodedata

import babel
import babel.core
import iso4217
from babel.numbers import get_territory_currencies

ISO_CODES_DIR = "/usr/share/iso-codes/json"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPO_ROOT, "Sources", "RemitKit", "Model", "ReferenceData+Generated.swift")

# CLDR territory currencies are read as of this date. 2026-02-01 is after the
# end of Bulgaria's BGN/EUR dual circulation (2026-01-31), so BG -> EUR.
AS_OF = datetime.date(2026, 2, 1)

# Current ISO 4217 codes that are not a currency anyone sends or receives.
# (Funds carry IsFund="true" in the ISO table and are dropped anyway; they are
# listed here too so that a table without the flag cannot let them through.)
EXCLUDED_CURRENCIES = {
    "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI",  # funds
    "UYW",  # Unidad Previsional: an index unit, not flagged IsFund by ISO
    "XAD",  # Arab Accounting Dinar: unit of account of the Arab Monetary Fund
    "XAG", "XAU", "XPD", "XPT",  # precious metals
    "XBA", "XBB", "XBC", "XBD",  # bond market units
    "XDR", "XSU", "XUA",  # SDR, Sucre, ADB unit of account
    "XTS", "XXX",  # testing, no currency
}

# Shared currencies that must survive the filter above.
REQUIRED_CURRENCIES = {"XOF", "XAF", "XCD", "XPF"}

# Known ISO exponents, checked so that a wrong source (e.g. CLDR digits) is caught.
EXPECTED_MINOR_UNITS = {
    "JPY": 0, "KWD": 3, "BHD": 3, "OMR": 3, "TND": 3, "JOD": 3, "LYD": 3,
    "IQD": 3, "CLP": 0, "KRW": 0, "VND": 0, "ISK": 0, "UGX": 0, "XOF": 0,
    "XAF": 0, "USD": 2, "EUR": 2, "IDR": 2, "HUF": 2,
}

# Hand-picked currencies, by alpha-2 code. Each choice must be one of CLDR's
# tender candidates on AS_OF, except where CLDR has none.
CURRENCY_CHOICES = {
    "AQ": "USD",  # Antarctica: no currency (CLDR none, ISO "No universal currency"); stations mostly use USD
    "BT": "BTN",  # Bhutan: CLDR INR and BTN; the ngultrum is the national currency (INR circulates at par)
    "HT": "HTG",  # Haiti: CLDR HTG and USD; the gourde is the national currency
    "LS": "LSL",  # Lesotho: CLDR ZAR and LSL; the loti is the national currency (ZAR at par)
    "NA": "NAD",  # Namibia: CLDR ZAR and NAD; the Namibian dollar is the national currency (ZAR at par)
    "PA": "USD",  # Panama: CLDR PAB and USD; the balboa exists only as coins, notes and accounts are USD
    "PS": "ILS",  # Palestine: CLDR ILS and JOD (ISO "No universal currency"); ILS is the most used
    "ZW": "ZWG",  # Zimbabwe: CLDR USD and ZWG; ZWG is the ISO-listed national currency (USD widely used)
}

# Countries that are not in ISO 3166-1.
EXTRA_COUNTRIES = [
    # Kosovo: user-assigned code XK/XKX, used by the EU, the IMF and CLDR; the
    # World Bank (Remittance Prices Worldwide) codes it KSV.
    {"alpha_2": "XK", "alpha_3": "XKX", "name": "Kosovo", "aliases": ["KSV"]},
]

# The short English name people use, where iso-codes' common_name/name is awkward.
SHORT_NAMES = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SH": "Saint Helena",
    "SX": "Sint Maarten",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

# Other spellings accepted on input, in addition to the ISO names (which are
# all kept as aliases). Spellings that differ only in case, accents, spaces or
# punctuation are not needed: input is matched after folding to lower-case
# letters and digits.
EXTRA_ALIASES = {
    "AE": ["UAE"],
    "BA": ["Bosnia"],
    "BQ": ["Caribbean Netherlands"],
    "BS": ["The Bahamas", "Bahamas, The"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa", "Congo, Dem. Rep."],
    "CG": ["Congo-Brazzaville", "Congo, Rep."],
    "CI": ["Ivory Coast"],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic"],
    "EG": ["Egypt, Arab Rep."],
    "FM": ["Micronesia, Fed. Sts."],
    "GB": ["UK", "Great Britain", "Britain"],
    "GM": ["The Gambia", "Gambia, The"],
    "HK": ["Hong Kong SAR, China"],
    "IR": ["Iran, Islamic Rep."],
    "KN": ["St. Kitts and Nevis"],
    "KP": ["Korea, Dem. People's Rep."],
    "KR": ["Republic of Korea", "Korea, Rep."],
    "LA": ["Lao PDR"],
    "LC": ["St. Lucia"],
    "MF": ["St. Martin (French part)"],
    "MK": ["Macedonia"],
    "MM": ["Burma"],
    "MO": ["Macau", "Macao SAR, China"],
    "NL": ["The Netherlands", "Holland"],
    "PS": ["State of Palestine", "West Bank and Gaza", "Palestinian Territories"],
    "RU": ["Russian Federation"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
    "TR": ["Turkey"],
    "US": ["USA", "United States of America"],
    "VA": ["Vatican"],
    "VC": ["St. Vincent and the Grenadines"],
    "VE": ["Venezuela, RB"],
    "VI": ["US Virgin Islands", "Virgin Islands (U.S.)"],
    "YE": ["Yemen, Rep."],
}


def normalized(text):
    """Lower-case letters and digits only, accents removed (as ReferenceData.normalizedName)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return "".join(ch for ch in stripped.casefold() if ch.isalpha() or ch in "0123456789")


def swift_string(text):
    """A Swift string literal; non-ASCII characters are kept as they are (UTF-8)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def load_json(name):
    with open(os.path.join(ISO_CODES_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def iso_codes_version():
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
            capture_output=True, text=True, check=True)
        return result.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def iso_table():
    """Current ISO 4217 entries: code -> (name, minor units), without funds or N.A. exponents."""
    table = {}
    for node in iso4217.raw_xml.findall("CcyTbl/CcyNtry"):
        code = node.findtext("Ccy")
        if not code:
            continue  # "No universal currency" rows (Antarctica, Palestine, ...)
        code = code.strip()
        name_node = node.find("CcyNm")
        is_fund = name_node is not None and name_node.get("IsFund", "").lower() == "true"
        units = (node.findtext("CcyMnrUnts") or "").strip()
        if is_fund or not units.isdigit() or not node.findtext("CcyNbr"):
            continue
        name = name_node.text.strip()
        if code in table and table[code] != (name, int(units)):
            sys.exit(f"ISO table disagrees with itself about {code}: {table[code]} vs {(name, int(units))}")
        table[code] = (name, int(units))
    return table


def build_currencies():
    iso = iso_table()
    debian_names = {c["alpha_3"]: c["name"] for c in load_json("iso_4217.json")["4217"]}
    currencies = {}
    for code, (iso_name, units) in iso.items():
        if code in EXCLUDED_CURRENCIES:
            continue
        currencies[code] = (debian_names.get(code, iso_name), units)
    missing = REQUIRED_CURRENCIES - set(currencies)
    assert not missing, f"required currencies missing: {sorted(missing)}"
    for code, units in EXPECTED_MINOR_UNITS.items():
        assert currencies[code][1] == units, f"{code}: minor units {currencies[code][1]}, expected {units}"
    dropped = sorted(set(debian_names) - set(currencies) - EXCLUDED_CURRENCIES)
    added = sorted(set(currencies) - set(debian_names))
    return currencies, dropped, added


def pick_currency(alpha2, currencies):
    candidates = [c for c in get_territory_currencies(alpha2, AS_OF, tender=True) if c in currencies]
    if alpha2 in CURRENCY_CHOICES:
        choice = CURRENCY_CHOICES[alpha2]
        assert not candidates or choice in candidates, \
            f"{alpha2}: hand-picked {choice} is not among CLDR's {candidates}"
        return choice
    assert len(candidates) == 1, \
        f"{alpha2}: CLDR tender currencies {candidates} on {AS_OF}; add a choice to CURRENCY_CHOICES"
    return candidates[0]


def build_countries(currencies):
    records = []
    for entry in load_json("iso_3166-1.json")["3166-1"]:
        iso_names = [entry["name"], entry.get("official_name"), entry.get("common_name")]
        records.append((entry["alpha_2"], entry["alpha_3"], entry.get("common_name") or entry["name"],
                        [n for n in iso_names if n]))
    for extra in EXTRA_COUNTRIES:
        records.append((extra["alpha_2"], extra["alpha_3"], extra["name"], list(extra["aliases"])))

    unknown = (set(SHORT_NAMES) | set(EXTRA_ALIASES) | set(CURRENCY_CHOICES)) - {r[0] for r in records}
    assert not unknown, f"hand-picked entries for unknown countries: {sorted(unknown)}"

    countries = []
    owner = {}  # normalized key -> alpha-2

    def claim(key, alpha2):
        norm = normalized(key)
        assert norm, f"{alpha2}: {key!r} normalizes to nothing"
        other = owner.setdefault(norm, alpha2)
        assert other == alpha2, f"{key!r} ({norm}) names both {other} and {alpha2}"

    for alpha2, alpha3, default_name, names in sorted(records):
        name = SHORT_NAMES.get(alpha2, default_name)
        aliases = []  # every ISO name and hand-added alias, each once, without the name itself
        for alias in names + EXTRA_ALIASES.get(alpha2, []):
            if alias != name and alias not in aliases:
                aliases.append(alias)
        currency = pick_currency(alpha2, currencies)
        assert currency in currencies, f"{alpha2}: currency {currency} is not a generated currency"
        for key in [alpha2, alpha3, name] + aliases:
            claim(key, alpha2)
        countries.append((alpha2, alpha3, name, aliases, currency))

    assert len({c[0] for c in countries}) == len(countries), "duplicate alpha-2 code"
    assert len({c[1] for c in countries}) == len(countries), "duplicate alpha-3 code"
    return countries


def render(currencies, countries):
    lines = [
        "// Generated by scripts/generate-reference-data.py — do not edit by hand.",
        "//",
        "// Sources:",
        f"// - ISO 4217 table published {iso4217.__published__.isoformat()} "
        f"(PyPI iso4217 {iso4217.__version__}): current currencies and minor units (ISO exponent).",
        f"// - Debian iso-codes {iso_codes_version()}: ISO 3166-1 countries and names, ISO 4217 currency names.",
        f"// - CLDR {babel.core.get_cldr_version()} (PyPI babel {babel.__version__}): "
        f"each territory's tender currency on {AS_OF.isoformat()}.",
        "// - Hand-picked names, aliases, Kosovo and currency choices: see the script.",
        "",
        "extension ReferenceData {",
        "    static let generatedCurrencies: [CurrencyEntry] = [",
    ]
    for code in sorted(currencies):
        name, units = currencies[code]
        lines.append(f"        CurrencyEntry(code: {swift_string(code)}, name: {swift_string(name)}, "
                     f"minorUnits: {units}),")
    lines.append("    ]")
    lines.append("")
    lines.append("    static let generatedCountries: [CountryEntry] = [")
    for alpha2, alpha3, name, aliases, currency in sorted(countries):
        alias_list = "[" + ", ".join(swift_string(a) for a in aliases) + "]"
        lines.append(f"        CountryEntry(alpha2: {swift_string(alpha2)}, alpha3: {swift_string(alpha3)}, "
                     f"name: {swift_string(name)}, aliases: {alias_list}, currency: {swift_string(currency)}),")
    lines.append("    ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file is out of date")
    args = parser.parse_args()

    currencies, dropped, added = build_currencies()
    countries = build_countries(currencies)
    text = render(currencies, countries)

    if args.check:
        try:
            with open(OUTPUT, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print(f"{os.path.relpath(OUTPUT, REPO_ROOT)} is out of date", file=sys.stderr)
            return 1
        return 0

    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUTPUT, REPO_ROOT)}: {len(currencies)} currencies, {len(countries)} countries")
    if dropped:
        print(f"iso-codes currencies no longer current in the ISO table: {', '.join(dropped)}")
    if added:
        print(f"current ISO currencies missing from iso-codes: {', '.join(added)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
