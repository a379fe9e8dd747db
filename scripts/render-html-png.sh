#!/usr/bin/env bash
# Render an HTML page (such as a remit report) to a PNG with headless Chromium.
#
#   scripts/render-html-png.sh INPUT.html OUTPUT.png [WIDTH] [HEIGHT]
#
# WIDTH is the viewport width in CSS pixels (default 1000; 390 looks like a
# phone). HEIGHT is the viewport height (default 2400): Chromium captures the
# viewport only, so a longer page is cut off at HEIGHT and a shorter one is
# padded with the page background. Raise HEIGHT for long reports.
#
# Environment:
#   CHROMIUM=path   the browser to use (default: the first of chromium,
#                   chromium-browser, google-chrome found on PATH)
#
# Exits 2 on bad arguments, 127 when no browser is found, 1 when rendering
# fails. Prints the absolute path of the PNG on success.
set -euo pipefail

usage() {
    echo "usage: scripts/render-html-png.sh INPUT.html OUTPUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
}

[[ $# -ge 2 && $# -le 4 ]] || usage
input=$1 output=$2 width=${3:-1000} height=${4:-2400}
[[ $width =~ ^[1-9][0-9]*$ && $height =~ ^[1-9][0-9]*$ ]] || {
    echo "render-html-png: WIDTH and HEIGHT must be whole numbers of pixels, got '$width' and '$height'" >&2
    exit 2
}
[[ -f $input ]] || { echo "render-html-png: no such file: $input" >&2; exit 2; }

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
    for name in chromium chromium-browser google-chrome; do
        if command -v "$name" >/dev/null 2>&1; then browser=$(command -v "$name"); break; fi
    done
fi
if [[ -z $browser ]] || ! command -v "$browser" >/dev/null 2>&1; then
    echo "render-html-png: Chromium not found. Install it (Debian: apt-get install -y chromium)" >&2
    echo "or set CHROMIUM=/path/to/chromium." >&2
    exit 127
fi

abs_input=$(realpath "$input")
abs_output=$(realpath -m "$output")
mkdir -p "$(dirname "$abs_output")"
rm -f "$abs_output"
# file:// URL: escape the characters that would end or change the path.
url_path=${abs_input//%/%25}
url_path=${url_path// /%20}
url_path=${url_path//#/%23}
url_path=${url_path//\?/%3F}

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
status=0
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$profile" --window-size="$width,$height" \
    --screenshot="$abs_output" "file://$url_path" >"$profile/log" 2>&1 || status=$?
if [[ $status -ne 0 || ! -s $abs_output ]]; then
    echo "render-html-png: $browser failed (exit status $status) and wrote no PNG:" >&2
    cat "$profile/log" >&2
    exit 1
fi
echo "$abs_output"
