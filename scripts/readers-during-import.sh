#!/usr/bin/env bash
# Readers while `remit import rpw` writes, and two imports started at once.
#
#   scripts/readers-during-import.sh
#
# Run by hand (a few minutes); it is not part of `swift test`. See docs/reliability.md.
#
# Data as in scripts/kill-import.sh: scripts/gen-rpw.py generates BASE_ROWS + ROWS synthetic RPW
# rows; the first BASE_ROWS become base.csv, the rest big.csv, and big.csv is also cut into two
# halves, half-a.csv and half-b.csv. None of these files shares a price with another.
#
# 1. Readers during an import (ROUNDS times): on a copy of a database holding base.csv as one
#    committed batch, `remit import rpw big.csv` runs while another process loops over
#      remit compare --from US --to MX --amount 200 --currency USD --format json
#      remit report corridor --from US --to MX --format json
#      remit report global --format json
#    until the import has ended. Every read must exit 0, never print "database is locked", and
#    show either the figures from before the import (the base batch alone) or those from after
#    it (both batches): the number of ranked options of compare, the serviceCount and period of
#    each report. Anything else would be a read of a half-imported batch.
# 2. Two imports at once (ROUNDS times): half-a.csv and half-b.csv are imported into a copy of
#    the base database by two processes started together. Each must either succeed (one of
#    them waits for the other: remit's busy timeout is 30 s) or fail with a clear message;
#    then PRAGMA integrity_check must be ok, and each half must be wholly present (as many
#    prices as when imported alone) or wholly absent.
# Prints a summary; exits 1 if any check failed.
#
# Environment:
#   ROUNDS=3           rounds of each part
#   ROWS=200000        rows of the file imported while readers run (halves: ROWS / 2 each)
#   BASE_ROWS=20000    rows of the earlier, committed batch
#   GEN_SEED=2016      generator seed
#   DATA_DIR=...       where generated files are kept (default: ${TMPDIR:-/tmp}/remit-reliability-rpw;
#                      shared with scripts/kill-import.sh)
#   REMIT=path         use this remit binary instead of building one (swift build -c release)
#   KEEP=1             keep the work folder (databases, every read's output) and print its path
set -euo pipefail

cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ROWS=${ROWS:-200000}
BASE_ROWS=${BASE_ROWS:-20000}
GEN_SEED=${GEN_SEED:-2016}
DATA_DIR=${DATA_DIR:-${TMPDIR:-/tmp}/remit-reliability-rpw}
KEEP=${KEEP:-0}

die() { echo "readers-during-import: $*" >&2; exit 1; }
say() { echo "readers-during-import: $*" >&2; }

for v in ROUNDS ROWS BASE_ROWS GEN_SEED; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"
command -v python3 >/dev/null || die "python3 not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/remit-readers-db.XXXXXX")
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    if [ "$KEEP" = 1 ]; then say "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- remit -----------------------------------------------------------------
if [ -z "${REMIT:-}" ]; then
    say "swift build -c release --product remit"
    swift build -c release --product remit >&2 || die "swift build -c release failed"
    REMIT="$(swift build -c release --show-bin-path)/remit"
fi
[ -x "$REMIT" ] || die "no remit binary at $REMIT"
export XDG_DATA_HOME="$WORK/xdg"   # never touch the user's default database

# --- data ------------------------------------------------------------------
mkdir -p "$DATA_DIR"
GEN_HASH=$(sha256sum scripts/gen-rpw.py | cut -c1-12)
TOTAL=$((BASE_ROWS + ROWS))
ALL="$DATA_DIR/rpw-$TOTAL-seed$GEN_SEED-$GEN_HASH.csv"
if [ -s "$ALL" ]; then
    say "reusing $ALL"
else
    find "$DATA_DIR" -maxdepth 1 -name "rpw-$TOTAL-seed$GEN_SEED-*.csv*" ! -name "$(basename "$ALL")" -delete
    python3 scripts/gen-rpw.py "$ALL.part" --rows "$TOTAL" --seed "$GEN_SEED" >&2 || die "gen-rpw.py failed"
    mv "$ALL.part" "$ALL"
fi
BASE_CSV="$WORK/base.csv" BIG_CSV="$WORK/big.csv" HALF_A="$WORK/half-a.csv" HALF_B="$WORK/half-b.csv"
head -n $((BASE_ROWS + 1)) "$ALL" >"$BASE_CSV"
{ head -n 1 "$ALL"; tail -n +$((BASE_ROWS + 2)) "$ALL"; } >"$BIG_CSV"
[ "$(wc -l <"$BIG_CSV")" -eq $((ROWS + 1)) ] || die "$ALL does not have one row per line"
HALF=$((ROWS / 2))
head -n $((HALF + 1)) "$BIG_CSV" >"$HALF_A"
{ head -n 1 "$BIG_CSV"; tail -n +$((HALF + 2)) "$BIG_CSV"; } >"$HALF_B"

rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }
now_ms() { date +%s%3N; }
q() { sqlite3 -bail -readonly "$@"; }

# The figures a read shows, on one line: "compare <options> period", "corridor <services> <period>",
# "global <services> <period>". A top-level key is indented by two spaces in remit's JSON.
figure() {   # figure KIND FILE
    local file=$2
    case $1 in
        compare) echo "compare $(grep -c '"rank" :' "$file" || true)" ;;
        *) echo "$1 $(grep -m1 '^  "serviceCount" :' "$file" | tr -dc '0-9') $(grep -m1 '^  "period" :' "$file" | cut -d'"' -f4)" ;;
    esac
}
read_once() {   # read_once KIND DB OUT: runs one reader command, writes OUT.json, OUT.err, OUT.rc
    local kind=$1 db=$2 out=$3 rc=0
    case $kind in
        compare) "$REMIT" compare --from US --to MX --amount 200 --currency USD --format json --db "$db" >"$out.json" 2>"$out.err" || rc=$? ;;
        corridor) "$REMIT" report corridor --from US --to MX --format json --db "$db" >"$out.json" 2>"$out.err" || rc=$? ;;
        global) "$REMIT" report global --format json --db "$db" >"$out.json" 2>"$out.err" || rc=$? ;;
    esac
    echo "$rc" >"$out.rc"
}
expected_figures() {   # the three figures of DB, one per line
    local db=$1 kind
    for kind in compare corridor global; do
        read_once "$kind" "$db" "$WORK/expected"
        [ "$(cat "$WORK/expected.rc")" = 0 ] || die "remit $kind on $db failed: $(cat "$WORK/expected.err")"
        figure "$kind" "$WORK/expected.json"
    done
}

# --- base database and the figures before and after ---------------------------
BASE_DB="$WORK/base.sqlite" AFTER_DB="$WORK/after.sqlite" DB="$WORK/work.sqlite"
"$REMIT" import rpw "$BASE_CSV" --db "$BASE_DB" --quiet || die "importing $BASE_CSV failed"
rm -f "$BASE_DB-wal" "$BASE_DB-shm"
BEFORE=$(expected_figures "$BASE_DB")
cp "$BASE_DB" "$AFTER_DB"
start=$(now_ms)
"$REMIT" import rpw "$BIG_CSV" --db "$AFTER_DB" --quiet || die "importing $BIG_CSV failed"
T_MS=$(($(now_ms) - start))
AFTER=$(expected_figures "$AFTER_DB")
[ "$BEFORE" != "$AFTER" ] || die "big.csv changes none of the figures read: the check would prove nothing"
say "before: $(echo "$BEFORE" | tr '\n' ';') after: $(echo "$AFTER" | tr '\n' ';') (import alone: $T_MS ms)"

failures=0
fail() { say "FAILED: $*"; failures=$((failures + 1)); }

# --- 1. readers during an import ----------------------------------------------
reads=0 read_failures=0 locked=0 saw_before=0 saw_after=0 half=0 during=0
for ((round = 1; round <= ROUNDS; round++)); do
    rmdb "$DB"
    cp "$BASE_DB" "$DB"
    READS="$WORK/reads-$round"
    mkdir -p "$READS"
    rm -f "$WORK/stop"
    # The reader: loops until the stop file appears; marks the reads started while the import ran.
    (
        n=0
        while [ ! -e "$WORK/stop" ]; do
            for kind in compare corridor global; do
                n=$((n + 1))
                [ -e "$WORK/importing" ] && touch "$READS/$n.during"
                read_once "$kind" "$DB" "$READS/$n"
                echo "$kind" >"$READS/$n.kind"
            done
        done
    ) &
    reader=$!
    PIDS+=("$reader")
    sleep 0.2
    touch "$WORK/importing"
    rc=0
    "$REMIT" import rpw "$BIG_CSV" --db "$DB" --quiet 2>"$WORK/import.err" || rc=$?
    rm -f "$WORK/importing"
    sleep 0.3
    touch "$WORK/stop"
    wait "$reader" || true
    [ "$rc" = 0 ] || fail "round $round: the import failed (exit $rc): $(cat "$WORK/import.err")"

    round_reads=0 round_during=0
    for rcfile in "$READS"/*.rc; do
        n=$(basename "$rcfile" .rc)
        [ -e "$READS/$n.kind" ] || continue
        kind=$(cat "$READS/$n.kind")
        reads=$((reads + 1)) round_reads=$((round_reads + 1))
        [ -e "$READS/$n.during" ] && { during=$((during + 1)); round_during=$((round_during + 1)); }
        if grep -qi "locked" "$READS/$n.err"; then
            locked=$((locked + 1))
            fail "round $round read $n ($kind): $(cat "$READS/$n.err")"
        fi
        if [ "$(cat "$rcfile")" != 0 ]; then
            read_failures=$((read_failures + 1))
            fail "round $round read $n ($kind) exit $(cat "$rcfile"): $(cat "$READS/$n.err")"
            continue
        fi
        got=$(figure "$kind" "$READS/$n.json")
        if grep -qxF "$got" <<<"$BEFORE"; then   # (a here-string: `echo | grep -q` can die of SIGPIPE under pipefail)
            saw_before=$((saw_before + 1))
        elif grep -qxF "$got" <<<"$AFTER"; then
            saw_after=$((saw_after + 1))
        else
            half=$((half + 1))
            fail "round $round read $n ($kind) shows '$got': neither before nor after the import"
        fi
    done
    say "round $round: import exit $rc; $round_reads reads, $round_during started while it ran"
done

# --- 2. two imports at once ----------------------------------------------------
# Prices of each half when imported alone.
rmdb "$DB"; cp "$BASE_DB" "$DB"
"$REMIT" import rpw "$HALF_A" --db "$DB" --quiet || die "importing $HALF_A alone failed"
A_PRICES=$(q "$DB" "SELECT count(*) FROM price_observation WHERE batch_id = (SELECT max(id) FROM import_batch)")
rmdb "$DB"; cp "$BASE_DB" "$DB"
"$REMIT" import rpw "$HALF_B" --db "$DB" --quiet || die "importing $HALF_B alone failed"
B_PRICES=$(q "$DB" "SELECT count(*) FROM price_observation WHERE batch_id = (SELECT max(id) FROM import_batch)")
BASE_PRICES=$(q "$BASE_DB" "SELECT count(*) FROM price_observation")

both_ok=0 clear_failures=0 pair_problems=0 waits=()
for ((round = 1; round <= ROUNDS; round++)); do
    rmdb "$DB"
    cp "$BASE_DB" "$DB"
    start=$(now_ms)
    for side in a b; do
        file=$HALF_A
        [ "$side" = b ] && file=$HALF_B
        # Each import records its exit status and when it ended.
        ( rc=0; "$REMIT" import rpw "$file" --db "$DB" --quiet 2>"$WORK/$side.err" || rc=$?
          echo "$rc $(($(now_ms) - start))" >"$WORK/$side.done" ) &
        PIDS+=("$!")
    done
    wait
    read -r ra ta <"$WORK/a.done"
    read -r rb tb <"$WORK/b.done"
    problems=()
    integrity=$(sqlite3 -bail "$DB" "PRAGMA integrity_check;" 2>&1 || true)
    [ "$integrity" = ok ] || problems+=("integrity_check: $integrity")
    fk=$(sqlite3 -bail "$DB" "PRAGMA foreign_key_check;" 2>&1 || true)
    [ -z "$fk" ] || problems+=("foreign_key_check: $fk")
    for side in a b; do
        file=$HALF_A expected=$A_PRICES rc=$ra
        [ "$side" = b ] && file=$HALF_B expected=$B_PRICES rc=$rb
        sha=$(sha256sum "$file" | cut -d' ' -f1)
        prices=$(q "$DB" "SELECT count(*) FROM price_observation WHERE batch_id = (SELECT id FROM import_batch WHERE sha256 = '$sha')")
        batches=$(q "$DB" "SELECT count(*) FROM import_batch WHERE sha256 = '$sha'")
        if [ "$rc" = 0 ]; then
            [ "$batches" = 1 ] && [ "$prices" = "$expected" ] || problems+=("half-$side exited 0 but holds $batches batch(es), $prices of $expected prices")
        else
            [ "$batches" = 0 ] || problems+=("half-$side failed (exit $rc) but left a batch")
            if grep -q '^Error: ' "$WORK/$side.err"; then
                clear_failures=$((clear_failures + 1))
                say "round $round: half-$side failed with: $(head -n 1 "$WORK/$side.err")"
            else
                problems+=("half-$side failed (exit $rc) without a clear message: $(cat "$WORK/$side.err")")
            fi
        fi
    done
    total=$(q "$DB" "SELECT count(*) FROM price_observation")
    want=$((BASE_PRICES + (ra == 0 ? A_PRICES : 0) + (rb == 0 ? B_PRICES : 0)))
    [ "$total" = "$want" ] || problems+=("$total prices in all, expected $want")
    [ "$ra" = 0 ] && [ "$rb" = 0 ] && both_ok=$((both_ok + 1))
    waits+=("$ta/$tb")   # a/b
    if [ ${#problems[@]} -eq 0 ]; then
        say "round $round: half-a exit $ra after $ta ms, half-b exit $rb after $tb ms; integrity ok; each half whole or absent"
    else
        fail "round $round: ${problems[*]}"
        pair_problems=$((pair_problems + 1))
    fi
done

echo
echo "Readers during imports: $ROUNDS rounds of a $ROWS-row import ($T_MS ms alone) on a database holding a $BASE_ROWS-row batch;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "  reads:                          $reads ($during started while the import ran)"
echo "  failed reads:                   $read_failures"
echo "  'database is locked':           $locked"
echo "  reads showing the before state: $saw_before"
echo "  reads showing the after state:  $saw_after"
echo "  reads showing a half batch:     $half"
echo "Two imports at once: $ROUNDS rounds, $HALF rows each ($A_PRICES and $B_PRICES prices)"
echo "  both succeeded (one waited):    $both_ok   (ms to finish, half-a/half-b: ${waits[*]})"
echo "  failed with a clear message:    $clear_failures"
echo "  rounds with a failed check:     $pair_problems"
[ "$failures" = 0 ]
