#!/usr/bin/env bash
# Kill `remit import rpw` at random moments and check that nothing is ever half-written.
#
#   scripts/kill-import.sh
#
# Run by hand (it takes several minutes); it is not part of `swift test`. See docs/reliability.md.
#
# Data: scripts/gen-rpw.py generates BASE_ROWS + ROWS synthetic RPW rows (kept in $DATA_DIR and
# reused while the generator is unchanged). The first BASE_ROWS rows become base.csv, the rest
# big.csv: the two files share no price, so both can be imported into one database.
#
# Set-up: a base database holding base.csv as one committed batch; a reference database, the
# base plus big.csv imported to the end (its import time T sets the range of kill moments).
#
# Then, for each signal in SIGNALS (default: KILL, then INT) and KILLS times:
#   1. copy the base database, start `remit import rpw big.csv --quiet` on the copy;
#   2. after a random 0.1 s to 1.15 × T, send the signal (the last 15 % fall after the commit;
#      FROM_PCT and TO_PCT narrow the window, e.g. 80 and 110 to aim at the commit);
#   3. check with sqlite3: PRAGMA integrity_check is ok, PRAGMA foreign_key_check is empty, no
#      price belongs to a batch that does not exist, and the whole database is either exactly
#      the base (big.csv absent: killed before the commit) or exactly the reference (big.csv
#      wholly present: after the commit) -- batch list, row counts and sums of every price table;
#      the base batch keeps all its prices;
#   4. for SIGINT, also: exit status 130 with "Interrupted: nothing from big.csv was imported"
#      on stderr when big.csv is absent; 130 with "Interrupted after the import had committed",
#      or 0 (it had finished), when present;
#   5. import big.csv again: it must succeed when absent, and say "already imported" when
#      present; either way the database must then equal the reference.
# A summary follows: kills, before/after the commit, integrity failures, data lost (a database
# that is neither the base nor the reference, or a failed re-import). Exits 1 if any check failed.
#
# Environment:
#   KILLS=20           kills per signal
#   SIGNALS="KILL INT" signals to send, in order (names as for kill -s)
#   SEED=1             seed of the random kill moments ($RANDOM), for reproducible runs (the
#                      moments are fractions of T, so they scale with the machine's speed)
#   FROM_PCT=0         kill moments from FROM_PCT % of T (at least 0.1 s) ...
#   TO_PCT=115         ... to TO_PCT % of T
#   ROWS=200000        rows of the file killed mid-import
#   BASE_ROWS=20000    rows of the earlier, committed batch
#   GEN_SEED=2016      generator seed
#   DATA_DIR=...       where generated files are kept (default: ${TMPDIR:-/tmp}/remit-reliability-rpw;
#                      shared with scripts/readers-during-import.sh)
#   REMIT=path         use this remit binary instead of building one (swift build -c release)
#   KEEP=1             keep the work folder (databases, logs) and print its path
set -euo pipefail

cd "$(dirname "$0")/.."

KILLS=${KILLS:-20}
SIGNALS=${SIGNALS:-"KILL INT"}
SEED=${SEED:-1}
ROWS=${ROWS:-200000}
BASE_ROWS=${BASE_ROWS:-20000}
GEN_SEED=${GEN_SEED:-2016}
DATA_DIR=${DATA_DIR:-${TMPDIR:-/tmp}/remit-reliability-rpw}
KEEP=${KEEP:-0}
FROM_PCT=${FROM_PCT:-0}
TO_PCT=${TO_PCT:-115}

die() { echo "kill-import: $*" >&2; exit 1; }

for v in KILLS SEED ROWS BASE_ROWS GEN_SEED FROM_PCT TO_PCT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done
[ "$ROWS" -gt 0 ] && [ "$BASE_ROWS" -gt 0 ] || die "ROWS and BASE_ROWS must be positive"
[ "$FROM_PCT" -lt "$TO_PCT" ] || die "FROM_PCT ($FROM_PCT) must be below TO_PCT ($TO_PCT)"
for s in $SIGNALS; do
    case $s in KILL | INT | TERM) ;; *) die "SIGNALS: KILL, INT or TERM (got '$s')" ;; esac
done
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"
command -v python3 >/dev/null || die "python3 not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/remit-kill-db.XXXXXX")
cleanup() {
    if [ -n "${PID:-}" ]; then kill -KILL "$PID" 2>/dev/null || true; fi
    if [ "$KEEP" = 1 ]; then echo "kill-import: work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- remit -----------------------------------------------------------------
if [ -z "${REMIT:-}" ]; then
    echo "kill-import: swift build -c release --product remit" >&2
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
    echo "kill-import: reusing $ALL" >&2
else
    find "$DATA_DIR" -maxdepth 1 -name "rpw-$TOTAL-seed$GEN_SEED-*.csv*" ! -name "$(basename "$ALL")" -delete
    python3 scripts/gen-rpw.py "$ALL.part" --rows "$TOTAL" --seed "$GEN_SEED" >&2 || die "gen-rpw.py failed"
    mv "$ALL.part" "$ALL"
fi
BASE_CSV="$WORK/base.csv" BIG_CSV="$WORK/big.csv"
head -n $((BASE_ROWS + 1)) "$ALL" >"$BASE_CSV"
{ head -n 1 "$ALL"; tail -n +$((BASE_ROWS + 2)) "$ALL"; } >"$BIG_CSV"
[ "$(wc -l <"$BIG_CSV")" -eq $((ROWS + 1)) ] || die "$ALL does not have one row per line"
BIG_SHA=$(sha256sum "$BIG_CSV" | cut -d' ' -f1)

# --- helpers ---------------------------------------------------------------
rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# What the database holds: batches, then row counts and sums of every table an import writes.
fingerprint() {
    sqlite3 -bail -readonly "$1" "
        SELECT 'batches', count(*), group_concat(sha256 || '/' || format || '/' || row_count || '/' || rejected_count, ' ')
          FROM (SELECT * FROM import_batch ORDER BY id);
        SELECT 'observations', count(*), total(fee), total(amount), total(service_id), total(source_line),
               total(is_inconsistent), count(DISTINCT batch_id) FROM price_observation;
        SELECT 'services', count(*), total(provider_id), total(corridor_id) FROM service;
        SELECT 'providers', count(*) FROM provider;
        SELECT 'corridors', count(*) FROM corridor;
        SELECT 'schedules', count(*) FROM fee_schedule;
        SELECT 'bands', count(*) FROM fee_band;
        SELECT 'quotes', count(*) FROM exchange_quote;
        SELECT 'rates', count(*) FROM reference_rate;
        SELECT 'flows', count(*) FROM remittance_flow;
        SELECT 'countries', count(region), count(income_group) FROM country;"
}
has_big_batch() { sqlite3 -bail -readonly "$1" "SELECT count(*) FROM import_batch WHERE sha256 = '$BIG_SHA'"; }
orphans() { sqlite3 -bail -readonly "$1" "SELECT count(*) FROM price_observation WHERE batch_id NOT IN (SELECT id FROM import_batch)"; }
base_batch_prices() {
    sqlite3 -bail -readonly "$1" "SELECT count(*) FROM price_observation WHERE batch_id = (SELECT min(id) FROM import_batch)"
}
now_ms() { date +%s%3N; }

# --- base and reference databases ------------------------------------------
BASE_DB="$WORK/base.sqlite" REF_DB="$WORK/reference.sqlite" DB="$WORK/work.sqlite"
"$REMIT" import rpw "$BASE_CSV" --db "$BASE_DB" --quiet || die "importing $BASE_CSV failed"
[ ! -e "$BASE_DB-wal" ] || sqlite3 "$BASE_DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
rm -f "$BASE_DB-wal" "$BASE_DB-shm"
BASE_FP=$(fingerprint "$BASE_DB")
BASE_PRICES=$(base_batch_prices "$BASE_DB")

cp "$BASE_DB" "$REF_DB"
start=$(now_ms)
"$REMIT" import rpw "$BIG_CSV" --db "$REF_DB" --quiet || die "the reference import of $BIG_CSV failed"
T_MS=$(($(now_ms) - start))
REF_FP=$(fingerprint "$REF_DB")
[ "$REF_FP" != "$BASE_FP" ] || die "the reference import changed nothing"
REF_OBS=$(sqlite3 -readonly "$REF_DB" "SELECT count(*) FROM price_observation WHERE batch_id = (SELECT id FROM import_batch WHERE sha256 = '$BIG_SHA')")
echo "kill-import: base batch $BASE_ROWS rows ($BASE_PRICES prices); big.csv $ROWS rows ($REF_OBS prices), imported in $T_MS ms" >&2
MIN_MS=$((T_MS * FROM_PCT / 100))
[ "$MIN_MS" -ge 100 ] || MIN_MS=100
MAX_MS=$((T_MS * TO_PCT / 100))
[ "$MAX_MS" -gt "$MIN_MS" ] || MAX_MS=$((MIN_MS + 100))

# --- the kill loop -----------------------------------------------------------
RANDOM=$SEED
kills=0 before=0 after=0 finished=0 integrity_failures=0 lost=0 failures=0 messages_ok=0 reimports=0
LOG="$WORK/import.err"
for signal in $SIGNALS; do
    for ((i = 1; i <= KILLS; i++)); do
        rmdb "$DB"
        cp "$BASE_DB" "$DB"
        delay_ms=$((MIN_MS + (RANDOM * 32768 + RANDOM) % (MAX_MS - MIN_MS + 1)))
        delay=$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))
        "$REMIT" import rpw "$BIG_CSV" --db "$DB" --quiet 2>"$LOG" &
        PID=$!
        sleep "$delay"
        kill -s "$signal" "$PID" 2>/dev/null || true
        rc=0
        wait "$PID" 2>/dev/null || rc=$?   # (no "Killed" line from bash)
        PID=
        kills=$((kills + 1))
        problems=()

        integrity=$(sqlite3 -bail "$DB" "PRAGMA integrity_check;" 2>&1 || true)
        fk=$(sqlite3 -bail "$DB" "PRAGMA foreign_key_check;" 2>&1 || true)
        if [ "$integrity" != ok ] || [ -n "$fk" ]; then
            integrity_failures=$((integrity_failures + 1))
            problems+=("integrity_check: $integrity; foreign_key_check: ${fk:-empty}")
        fi
        fp=$(fingerprint "$DB")
        present=$(has_big_batch "$DB")
        [ "$(orphans "$DB")" = 0 ] || problems+=("prices of a batch that does not exist")
        [ "$(base_batch_prices "$DB")" = "$BASE_PRICES" ] || { problems+=("the base batch lost prices"); lost=$((lost + 1)); }
        if [ "$present" = 0 ] && [ "$fp" = "$BASE_FP" ]; then
            state=absent
            before=$((before + 1))
        elif [ "$present" = 1 ] && [ "$fp" = "$REF_FP" ]; then
            state=present
            after=$((after + 1))
        else
            state=partial
            lost=$((lost + 1))
            problems+=("neither the base nor the reference: $(diff <(echo "$BASE_FP") <(echo "$fp") | tr '\n' ' ')")
        fi

        err=$(tr '\n' ' ' <"$LOG")
        case "$signal/$state/$rc" in
            */present/0) finished=$((finished + 1)) ;;   # it had finished before the signal
            KILL/absent/137 | KILL/present/137 | TERM/absent/143 | TERM/present/143 | INT/absent/130 | INT/present/130) ;;
            *) problems+=("unexpected exit status $rc ($state): $err") ;;
        esac
        if [ "$signal" != KILL ] && [ "$rc" != 0 ]; then
            case "$state" in
                absent) expected="Interrupted: nothing from $BIG_CSV was imported (the database is unchanged)." ;;
                *) expected="Interrupted after the import had committed: kept $BIG_CSV (batch $(sqlite3 -readonly "$DB" \
                       "SELECT id FROM import_batch WHERE sha256 = '$BIG_SHA'"))." ;;
            esac
            if [ "$(cat "$LOG")" = "$expected" ]; then
                messages_ok=$((messages_ok + 1))
            else
                problems+=("stderr was '$err', expected '$expected'")
            fi
        fi

        # Import the file again: it must complete, or say it is already there.
        rc2=0
        "$REMIT" import rpw "$BIG_CSV" --db "$DB" --quiet 2>"$LOG" || rc2=$?
        case "$state/$rc2" in
            absent/0) reimports=$((reimports + 1)) ;;
            present/1) grep -q "already imported" "$LOG" || problems+=("re-import: $(tr '\n' ' ' <"$LOG")") ;;
            *) problems+=("re-import exit status $rc2: $(tr '\n' ' ' <"$LOG")") ;;
        esac
        if [ "$(fingerprint "$DB")" != "$REF_FP" ]; then
            lost=$((lost + 1))
            problems+=("after the re-import the database differs from the reference")
        fi

        printf 'kill-import: %-4s %2d/%d at %6s s: exit %3s, big.csv %-7s integrity %s, re-import exit %s%s\n' \
            "$signal" "$i" "$KILLS" "$delay" "$rc" "$state," "$([ "$integrity" = ok ] && echo ok || echo FAILED)" "$rc2" \
            "$([ ${#problems[@]} -eq 0 ] && echo "" || echo ": ${problems[*]}")" >&2
        [ ${#problems[@]} -eq 0 ] || failures=$((failures + 1))
    done
done

echo
echo "remit import rpw killed mid-import: $ROWS-row file ($REF_OBS prices) on a database holding a $BASE_ROWS-row batch;"
echo "reference import $T_MS ms; kill moments $(printf '%d.%03d-%d.%03d' $((MIN_MS / 1000)) $((MIN_MS % 1000)) $((MAX_MS / 1000)) $((MAX_MS % 1000))) s, SEED=$SEED; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "  signals sent:                    $kills ($SIGNALS, $KILLS each)"
echo "  big.csv absent (before commit):  $before"
echo "  big.csv whole (after commit):    $after (of which finished before the signal: $finished)"
echo "  clean interruption messages:     $messages_ok"
echo "  re-imports completed:            $reimports"
echo "  integrity failures:              $integrity_failures"
echo "  data lost or half-written:       $lost"
echo "  kills with any failed check:     $failures"
[ "$failures" = 0 ] && [ "$integrity_failures" = 0 ] && [ "$lost" = 0 ]
