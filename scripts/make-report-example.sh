#!/usr/bin/env bash
# Regenerate the example report shown in the README:
#   docs/examples/corridor-report.html  the HTML `remit report corridor` writes
#   docs/examples/corridor-report.png   that page rendered by headless Chromium
#
#   scripts/make-report-example.sh [REMIT]
#
# The data is the hand-checked fixture fixtures/reports/rpw-reports.csv
# (fictional providers) and fixtures/reports/flows.csv. REMIT is a remit binary
# (default: build one with `swift build`). Needs Chromium
# (apt-get install -y chromium) for the PNG.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 1 ]]; then remit=$1; else
    swift build >&2
    remit="$(swift build --show-bin-path)/remit"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/remit-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/example.sqlite"

"$remit" import rpw fixtures/reports/rpw-reports.csv --db "$db" --quiet
"$remit" import flows fixtures/reports/flows.csv --db "$db" --quiet
mkdir -p docs/examples
"$remit" report corridor --from KE --to TZ --db "$db" --format html > docs/examples/corridor-report.html
"$remit" report global --db "$db" --format html > docs/examples/global-report.html
scripts/render-html-png.sh docs/examples/corridor-report.html docs/examples/corridor-report.png 900 3200 >/dev/null
scripts/render-html-png.sh docs/examples/corridor-report.html docs/examples/corridor-report-phone.png 390 4200 >/dev/null
echo "wrote docs/examples/corridor-report.{html,png}, corridor-report-phone.png and global-report.html"
