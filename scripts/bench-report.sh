#!/usr/bin/env bash
# Benchmark `remit report global` and `remit report sdg` against the sqlite3 shell
# computing the same figures with plain aggregate SQL on the same database.
#
#   scripts/bench-report.sh
#
# Run by hand; it is not a test. It generates a synthetic RPW file of $ROWS rows with
# scripts/gen-rpw.py (the same cached file scripts/bench-import.sh uses), imports it once
# with `remit import rpw FILE --db DB --quiet` (the database is kept in $BENCH_DIR and
# reused while the generator, the row count, the seed and schema.sql are unchanged), then:
#   1. runs each command once (warm-up) and cross-checks the figures: the sqlite3 output
#      against remit's --format json, every figure both compute (global average, counts,
#      per-corridor average and SmaRT, groups, exclusions, trend, every SDG row), numbers
#      to 1e-6 and counts, names and order exactly; any difference stops the script;
#   2. RUNS times, alternately:
#        (a) sqlite3 DB < scripts/bench-report/global.sql
#        (b) remit report global --db DB --format json
#        (c) sqlite3 DB < scripts/bench-report/sdg.sql
#        (d) remit report sdg --db DB --format json
#   3. runs `remit report global|sdg --format markdown|html` once each, for information.
# Wall time is measured by the shell (microseconds) around /usr/bin/time, which gives the
# CPU time and peak RSS. The table shows the medians of the wall and CPU times, the ratio
# of the medians remit / sqlite3 (target: <= 1.5) and the largest peak RSS.
#
# Environment:
#   RUNS=5             timed runs per command
#   ROWS=250000        rows of the generated RPW file
#   SEED=2016          generator seed
#   BENCH_DIR=...      where the generated file and the database are kept
#                      (default: ${TMPDIR:-/tmp}/remit-bench-rpw, as bench-import.sh)
#   REBUILD_DB=1       import again even if a cached database exists
#   REMIT=path         use this remit binary instead of building one
#
# Exits non-zero as soon as a build, a generation, an import, a command or the
# cross-check fails.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SQL_DIR="$ROOT/scripts/bench-report"

RUNS=${RUNS:-5}
ROWS=${ROWS:-250000}
SEED=${SEED:-2016}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/remit-bench-rpw}
REBUILD_DB=${REBUILD_DB:-0}

die() { echo "bench-report: $*" >&2; exit 1; }
export LC_ALL=C   # a decimal point in $EPOCHREALTIME and awk, whatever the user's locale

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer (got '$ROWS')"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "SEED must be a non-negative integer (got '$SEED')"
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 or later is needed (EPOCHREALTIME)"

command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"
command -v python3 >/dev/null || die "python3 not found"
for f in global.sql sdg.sql check.py; do
    [ -f "$SQL_DIR/$f" ] || die "missing $SQL_DIR/$f"
done
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench-report: installing GNU time" >&2
        apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
    fi
    [ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install time"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/remit-bench-report.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export XDG_DATA_HOME="$WORK/xdg"   # remit never touches the user's own database

# --- remit -----------------------------------------------------------------
if [ -z "${REMIT:-}" ]; then
    echo "bench-report: swift build -c release" >&2
    swift build -c release >&2 || die "swift build -c release failed"
    REMIT="$(swift build -c release --show-bin-path)/remit"
fi
[ -x "$REMIT" ] || die "no remit binary at $REMIT"
"$REMIT" report sdg --help >/dev/null 2>&1 \
    || die "'$REMIT report sdg --help' fails: this remit has no reports"

# --- data ------------------------------------------------------------------
mkdir -p "$BENCH_DIR"
GEN_HASH=$(sha256sum scripts/gen-rpw.py | cut -c1-12)
SCHEMA_HASH=$(sha256sum schema.sql | cut -c1-12)
CSV="$BENCH_DIR/rpw-$ROWS-seed$SEED-$GEN_HASH.csv"       # the name bench-import.sh uses
DB="$BENCH_DIR/reports-$ROWS-seed$SEED-$GEN_HASH-schema$SCHEMA_HASH.sqlite"

remove_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.lock"; }

if [ -s "$DB" ] && [ "$REBUILD_DB" != 1 ]; then
    echo "bench-report: reusing $DB" >&2
else
    if [ -s "$CSV" ]; then
        echo "bench-report: reusing $CSV" >&2
    else
        # files of the same size made by an older generator are stale
        find "$BENCH_DIR" -maxdepth 1 -name "rpw-$ROWS-seed$SEED-*.csv*" ! -name "$(basename "$CSV")" -delete
        python3 scripts/gen-rpw.py "$CSV.part" --rows "$ROWS" --seed "$SEED" || die "gen-rpw.py failed for $ROWS rows"
        mv "$CSV.part" "$CSV"
    fi
    # databases of the same size from an older generator or schema are stale
    for old in "$BENCH_DIR"/reports-"$ROWS"-seed"$SEED"-*.sqlite; do
        if [ -e "$old" ] && [ "$old" != "$DB" ]; then remove_db "$old"; fi
    done
    remove_db "$DB"
    remove_db "$DB.part"
    echo "bench-report: importing $ROWS rows into $DB" >&2
    start=$EPOCHREALTIME
    "$REMIT" import rpw "$CSV" --db "$DB.part" --quiet || { remove_db "$DB.part"; die "remit import rpw $CSV failed"; }
    echo "bench-report: imported in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" >&2
    # fold the WAL into the file so that the cached database is one file
    sqlite3 -bail -init /dev/null "$DB.part" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 \
        || die "could not checkpoint $DB.part"
    rm -f "$DB.part-wal" "$DB.part-shm" "$DB.part.lock"
    mv "$DB.part" "$DB"
fi
OBS=$(sqlite3 -init /dev/null "$DB" "SELECT count(*) FROM price_observation WHERE denomination_amount = 20000 AND denomination_currency = 'USD'" 2>/dev/null) \
    || die "cannot read $DB with sqlite3 (REBUILD_DB=1 imports again)"
[ "$OBS" -gt 0 ] || die "$DB holds no USD 200 observations (REBUILD_DB=1 imports again)"
DB_MB=$(du -m "$DB" | cut -f1)

# --- timing ----------------------------------------------------------------
# timed LABEL OUT IN CMD...: runs CMD < IN > OUT under /usr/bin/time; appends
# "wall-seconds peak-KB cpu-seconds" to $WORK/LABEL.times and prints it; on failure
# prints the command's errors and exits. Wall time is the shell's clock around it.
timed() {
    local label=$1 out=$2 in=$3; shift 3
    local err="$WORK/$label.err" t="$WORK/time.out" start end
    start=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M %U %S' -o "$t" "$@" <"$in" >"$out" 2>"$err"; then
        echo "bench-report: command failed: $* < $in" >&2
        tail -n 20 "$err" >&2 || true
        [ -s "$t" ] && cat "$t" >&2
        exit 1
    fi
    end=$EPOCHREALTIME
    tail -n 1 "$t" | awk -v a="$start" -v b="$end" '{ printf "%.4f %s %.2f\n", b - a, $1, $2 + $3 }' | tee -a "$WORK/$label.times"
}

# median of column 1 of the input
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
max_col2() { awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }'; }

SQLITE=(sqlite3 -bail -init /dev/null "$DB")
cat "$DB" >/dev/null   # same page-cache state for every run

# 1. warm-up and cross-check
echo "bench-report: warm-up and cross-check" >&2
timed warm-sqlite-global "$WORK/global.out" "$SQL_DIR/global.sql" "${SQLITE[@]}" >/dev/null
timed warm-remit-global "$WORK/global.json" /dev/null "$REMIT" report global --db "$DB" --format json >/dev/null
timed warm-sqlite-sdg "$WORK/sdg.out" "$SQL_DIR/sdg.sql" "${SQLITE[@]}" >/dev/null
timed warm-remit-sdg "$WORK/sdg.json" /dev/null "$REMIT" report sdg --db "$DB" --format json >/dev/null
CHECK_OK=1
python3 "$SQL_DIR/check.py" global "$WORK/global.out" "$WORK/global.json" >"$WORK/check" || CHECK_OK=0
python3 "$SQL_DIR/check.py" sdg "$WORK/sdg.out" "$WORK/sdg.json" >>"$WORK/check" || CHECK_OK=0
if [ "$CHECK_OK" != 1 ]; then
    keep="$BENCH_DIR/cross-check-failure"
    mkdir -p "$keep" && cp "$WORK"/global.out "$WORK"/global.json "$WORK"/sdg.out "$WORK"/sdg.json "$keep"/
    die "cross-check failed: sqlite3 and remit disagree (outputs kept in $keep)"
fi
cat "$WORK/check" >&2

# 2. timed runs, alternately
for ((i = 1; i <= RUNS; i++)); do
    for report in global sdg; do
        r=$(timed "sqlite-$report" /dev/null "$SQL_DIR/$report.sql" "${SQLITE[@]}")
        read -r sec kb cpu <<<"$r"
        printf 'run=%d %-30s %s s wall, %s s CPU, %s KB peak\n' "$i" "sqlite3 $report.sql" "$sec" "$cpu" "$kb" >&2
        r=$(timed "remit-$report" /dev/null /dev/null "$REMIT" report "$report" --db "$DB" --format json)
        read -r sec kb cpu <<<"$r"
        printf 'run=%d %-30s %s s wall, %s s CPU, %s KB peak\n' "$i" "remit report $report json" "$sec" "$cpu" "$kb" >&2
    done
done

# 3. other formats, once each, for information
for report in global sdg; do
    for format in markdown html; do
        timed "remit-$report-$format" /dev/null /dev/null "$REMIT" report "$report" --db "$DB" --format "$format" >/dev/null
    done
done

# --- report ----------------------------------------------------------------
RESULTS="$WORK/results"
: >"$RESULTS"
row() {   # row LABEL BASELINE-LABEL COMMAND...
    local label=$1 base=$2; shift 2
    local med cpu rss ratio="-"
    med=$(median <"$WORK/$label.times")
    cpu=$(awk '{ print $3 }' "$WORK/$label.times" | median)
    rss=$(max_col2 <"$WORK/$label.times")
    if [ "$base" != - ]; then
        ratio=$(awk -v r="$med" -v s="$(median <"$WORK/$base.times")" 'BEGIN { printf (s > 0 ? "%.2f" : "n/a"), r / s }')
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$*" "$(wc -l <"$WORK/$label.times")" "$med" "$cpu" "$ratio" "$rss" >>"$RESULTS"
}
row sqlite-global - "sqlite3 DB < global.sql"
row remit-global sqlite-global "remit report global --format json"
row sqlite-sdg - "sqlite3 DB < sdg.sql"
row remit-sdg sqlite-sdg "remit report sdg --format json"
row remit-global-markdown sqlite-global "remit report global --format markdown (info)"
row remit-global-html sqlite-global "remit report global --format html (info)"
row remit-sdg-markdown sqlite-sdg "remit report sdg --format markdown (info)"
row remit-sdg-html sqlite-sdg "remit report sdg --format html (info)"

echo
echo "remit reports vs sqlite3 running the same aggregate SQL: $ROWS RPW rows ($OBS USD 200 observations,"
echo "database $DB_MB MB). Median wall time of RUNS=$RUNS alternating runs (CPU = user + sys, median);"
echo "ratio = remit median / sqlite3 median (target <= 1.5); peak RSS = largest of the runs."
echo "Load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
echo "$(head -n 1 "$WORK/check")"
echo "$(tail -n 1 "$WORK/check")"
echo
awk -F'\t' '
BEGIN { printf "%-46s %5s %10s %8s %14s %8s\n", "command", "runs", "median s", "CPU s", "remit/sqlite3", "RSS MB" }
{ printf "%-46s %5d %10.3f %8.2f %14s %8.1f\n", $1, $2, $3, $4, $5, $6 / 1024 }' "$RESULTS"
echo
awk -F'\t' '$1 ~ /--format json$/ {
    verdict = ($5 == "n/a") ? "n/a" : ($5 + 0 <= 1.5 ? "met" : "NOT met")
    printf "target remit/sqlite3 <= 1.5, %s: %s (%s)\n", $1, verdict, $5
}' "$RESULTS"
