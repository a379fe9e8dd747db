#!/usr/bin/env bash
# Benchmark `remit import rpw` against sqlite3's own CSV import.
#
#   scripts/bench-import.sh [ROWS...]          (default: 250000 2500000)
#
# Run by hand; it is not a test. For each size it generates a synthetic RPW
# file with scripts/gen-rpw.py (kept in $BENCH_DIR and reused while the
# generator is unchanged), then RUNS times, alternately:
#   (a) sqlite3 .import --csv FILE into a fresh database: the raw baseline
#       (parse the CSV and insert every row as text into one table);
#   (b) remit import rpw FILE --db FRESH.sqlite --quiet, into a fresh database.
# Wall time and peak RSS come from /usr/bin/time. The table shows the medians
# of the wall times, remit's time per row, and the largest peak RSS of each.
# The runs go in rounds (every size once per round), and the per-row scaling
# is also given round by round: the median and range of the per-round ratios.
#
# Environment:
#   RUNS=3             runs per size and command
#   SEED=2016          generator seed
#   BENCH_DIR=...      where the generated files are kept
#                      (default: ${TMPDIR:-/tmp}/remit-bench-rpw)
#   BASELINE_ONLY=1    time sqlite3 only (no build, no remit)
#   REMIT=path         use this remit binary instead of building one
#
# Exits non-zero as soon as a build, a generation or an import fails.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${RUNS:-3}
SEED=${SEED:-2016}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/remit-bench-rpw}
BASELINE_ONLY=${BASELINE_ONLY:-0}
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(250000 2500000); fi
mapfile -t SIZES < <(printf '%s\n' "${SIZES[@]}" | awk '!seen[$0]++')   # each size once

die() { echo "bench-import: $*" >&2; exit 1; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
for n in "${SIZES[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "sizes must be positive integers (got '$n')"
done

command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"
command -v python3 >/dev/null || die "python3 not found"
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench-import: installing GNU time" >&2
        apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
    fi
    [ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install time"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/remit-bench-db.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- remit -----------------------------------------------------------------
if [ "$BASELINE_ONLY" != 1 ]; then
    if [ -z "${REMIT:-}" ]; then
        echo "bench-import: swift build -c release" >&2
        swift build -c release >&2 || die "swift build -c release failed"
        REMIT="$(swift build -c release --show-bin-path)/remit"
    fi
    [ -x "$REMIT" ] || die "no remit binary at $REMIT"
    "$REMIT" import rpw --help >/dev/null 2>&1 \
        || die "'$REMIT import rpw --help' fails: this remit has no RPW import (BASELINE_ONLY=1 times sqlite3 alone)"
fi

# --- data ------------------------------------------------------------------
mkdir -p "$BENCH_DIR"
GEN_HASH=$(sha256sum scripts/gen-rpw.py | cut -c1-12)
data_file() { echo "$BENCH_DIR/rpw-$1-seed$SEED-$GEN_HASH.csv"; }
for n in "${SIZES[@]}"; do
    f=$(data_file "$n")
    if [ -s "$f" ]; then
        echo "bench-import: reusing $f" >&2
    else
        # files of the same size made by an older generator are stale
        find "$BENCH_DIR" -maxdepth 1 -name "rpw-$n-seed$SEED-*.csv*" ! -name "$(basename "$f")" -delete
        python3 scripts/gen-rpw.py "$f.part" --rows "$n" --seed "$SEED" || die "gen-rpw.py failed for $n rows"
        mv "$f.part" "$f"
    fi
done

# --- timing ----------------------------------------------------------------
# timed LABEL CMD...: runs CMD under /usr/bin/time, prints and appends
# "wall-seconds peak-KB cpu-seconds" to $WORK/LABEL.times; on failure prints
# the command's output and exits.
timed() {
    local label=$1; shift
    local log="$WORK/$label.log" t="$WORK/time.out"
    if ! /usr/bin/time -f '%e %M %U %S' -o "$t" "$@" >"$log" 2>&1; then
        echo "bench-import: command failed: $*" >&2
        tail -n 20 "$log" >&2 || true
        [ -s "$t" ] && cat "$t" >&2
        exit 1
    fi
    # seconds, peak KB, CPU seconds (user + sys)
    tail -n 1 "$t" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' | tee -a "$WORK/$label.times"
}

# median of column 1 of the input
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
max_col2() { awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }'; }

for n in "${SIZES[@]}"; do
    cat "$(data_file "$n")" >/dev/null   # same page-cache state for the first run as for the others
    printf '.import --csv "%s" raw\n' "$(data_file "$n")" >"$WORK/import-$n.sql"
done
# Rounds: each round runs every size once (sqlite3, then remit), so that the sizes share
# whatever the machine does meanwhile. On these shared virtual machines the same binary's
# 250k median moved from 0.86 s to 0.97 s within an hour; measured size by size, minutes
# apart, that drift went straight into the per-row comparison of the sizes.
for ((i = 1; i <= RUNS; i++)); do
    for n in "${SIZES[@]}"; do
        f=$(data_file "$n")
        rm -f "$WORK/fresh.db"
        r=$(timed "sqlite-$n" sqlite3 -bail -init /dev/null -cmd ".mode csv" "$WORK/fresh.db" \
            ".read $WORK/import-$n.sql")
        got=$(sqlite3 "$WORK/fresh.db" 'SELECT count(*) FROM raw')
        [ "$got" = "$n" ] || die "sqlite3 imported $got rows from $f, expected $n"
        read -r sec kb cpu <<<"$r"
        echo "round=$i rows=$n sqlite3: $sec s wall, $cpu s CPU, $kb KB peak" >&2
        rm -f "$WORK/fresh.db"
        if [ "$BASELINE_ONLY" != 1 ]; then
            rm -f "$WORK"/fresh.sqlite "$WORK"/fresh.sqlite-wal "$WORK"/fresh.sqlite-shm "$WORK"/fresh.sqlite-journal
            r=$(XDG_DATA_HOME="$WORK/xdg" timed "remit-$n" "$REMIT" import rpw "$f" --db "$WORK/fresh.sqlite" --quiet)
            read -r sec kb cpu <<<"$r"
            echo "round=$i rows=$n remit:   $sec s wall, $cpu s CPU, $kb KB peak" >&2
            rm -f "$WORK"/fresh.sqlite "$WORK"/fresh.sqlite-wal "$WORK"/fresh.sqlite-shm "$WORK"/fresh.sqlite-journal
        fi
    done
done

RESULTS="$WORK/results"
: >"$RESULTS"
for n in "${SIZES[@]}"; do
    s_med=$(median <"$WORK/sqlite-$n.times")
    s_cpu=$(awk '{ print $3 }' "$WORK/sqlite-$n.times" | median)
    s_rss=$(max_col2 <"$WORK/sqlite-$n.times")
    if [ "$BASELINE_ONLY" != 1 ]; then
        r_med=$(median <"$WORK/remit-$n.times")
        r_rss=$(max_col2 <"$WORK/remit-$n.times")
        r_cpu=$(awk '{ print $3 }' "$WORK/remit-$n.times" | median)
    else
        r_med=NA r_rss=NA r_cpu=NA
    fi
    echo "$n $s_med $r_med $s_rss $r_rss $(stat -c %s "$(data_file "$n")") $s_cpu $r_cpu" >>"$RESULTS"
done

# --- report ----------------------------------------------------------------
echo
echo "remit import rpw vs sqlite3 .import: median wall time of $RUNS runs (CPU = user + sys, median);"
echo "peak RSS = largest of the runs. Load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
awk -v runs="$RUNS" '
function mb(kb) { return kb == "NA" ? "n/a" : sprintf("%.1f", kb / 1024) }
BEGIN {
    printf "%10s %8s %10s %8s %14s %13s %12s %15s %13s\n", "rows", "file MB", "sqlite3 s", "remit s", "remit/sqlite3", "remit us/row", "remit CPU s", "sqlite3 RSS MB", "remit RSS MB"
}
{
    rows[NR] = $1; s[NR] = $2; r[NR] = $3
    ratio = ($3 == "NA" || $2 == 0) ? "n/a" : sprintf("%.2f", $3 / $2)
    us = ($3 == "NA") ? "n/a" : sprintf("%.2f", $3 / $1 * 1e6)
    printf "%10d %8.1f %10.2f %8s %14s %13s %12s %15s %13s\n", $1, $6 / 1048576, $2, ($3 == "NA" ? "n/a" : sprintf("%.2f", $3)), ratio, us, $8 == "NA" ? "n/a" : sprintf("%.2f", $8), mb($4), mb($5)
}
END {
    if (NR < 2) exit 0
    lo = 1; hi = 1
    for (i = 2; i <= NR; i++) { if (rows[i] < rows[lo]) lo = i; if (rows[i] > rows[hi]) hi = i }
    if (rows[lo] == rows[hi]) exit 0
    if (s[lo] > 0 && s[hi] > 0)
        printf "\nper-row time, %d vs %d rows: sqlite3 x%.2f", rows[hi], rows[lo], (s[hi] / rows[hi]) / (s[lo] / rows[lo])
    if (r[lo] != "NA" && r[lo] > 0 && r[hi] > 0)
        printf ", remit x%.2f", (r[hi] / rows[hi]) / (r[lo] / rows[lo])
    printf "  (1.00 = linear)\n"
}' "$RESULTS"

# Per-row scaling round by round, smallest size against largest: each round's sizes ran
# back to back, so drift between rounds cancels out of these ratios.
if [ "$BASELINE_ONLY" != 1 ] && [ "${#SIZES[@]}" -ge 2 ]; then
    lo=$(printf '%s\n' "${SIZES[@]}" | sort -n | head -n 1)
    hi=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -n 1)
    if [ "$lo" != "$hi" ]; then
        paste "$WORK/remit-$lo.times" "$WORK/remit-$hi.times" \
            | awk -v lo="$lo" -v hi="$hi" '$1 > 0 { printf "%.4f\n", ($4 / hi) / ($1 / lo) }' >"$WORK/scaling"
        if [ -s "$WORK/scaling" ]; then
            echo "remit per-row time, $hi vs $lo rows, round by round: median x$(median <"$WORK/scaling" | xargs printf '%.2f')," \
                "range x$(sort -n "$WORK/scaling" | head -n 1 | xargs printf '%.2f')-x$(sort -n "$WORK/scaling" | tail -n 1 | xargs printf '%.2f')"
        fi
    fi
fi
