#!/usr/bin/env bash
# Fuzzes remit's readers and argument parsers with libFuzzer (docs/reliability.md, "Fuzzing").
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS is the time per target (default 60); TARGETs default to all five: FuzzCSV FuzzRPWMapper
# FuzzECB FuzzSchedules FuzzArguments. The Fuzz/ package is built in release mode with
# `-sanitize=fuzzer,address` into .build-fuzz/ (git-ignored).
#
# Corpora: each target fuzzes a working corpus in .build-fuzz/corpus/TARGET/ (git-ignored, kept
# between runs), made of the committed corpus Fuzz/corpus/TARGET/ plus seeds written from
# fixtures/ (seed-*, at most 4 KB each). Afterwards the committed corpus is replaced by a small
# set of inputs that still covers everything the working corpus covers (`-set_cover_merge=1`).
# Crashes, timeouts, leaks and out-of-memory inputs go to a temporary folder that the summary
# names; turn each into a test in Tests/RemitKitTests/FuzzRegressionTests.swift. Exits non-zero
# if any target found one.
#
# Environment: FUZZ_MAX_LEN (default 4096), FUZZ_NO_MERGE=1 (leave the committed corpus as it is),
# FUZZ_SKIP_BUILD=1 (use the binaries already in .build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzCSV FuzzRPWMapper FuzzECB FuzzSchedules FuzzArguments)
max_len=${FUZZ_MAX_LEN:-4096}

build=(swift build -c release --package-path Fuzz --scratch-path .build-fuzz
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    echo "building: ${build[*]}" >&2
    "${build[@]}" >&2
fi
bin=$("${build[@]}" --show-bin-path)

work=$(mktemp -d "${TMPDIR:-/tmp}/remit-fuzz.XXXXXX")
# Let libFuzzer report crashes: the Swift runtime's backtracer would run first and trip ASan.
export SWIFT_BACKTRACE=enable=no
# Foundation's own leaks (see the file) are not findings; every other leak is.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
echo "crash artifacts and logs: $work" >&2

# Seeds: small inputs made from fixtures/, at most 4 KB each, written as .build-fuzz/corpus/TARGET/seed-*.
python3 - "${targets[@]}" <<'PY'
import glob, os, sys

def lines_upto(path, limit=4000, start=1):
    """The header and as many rows from `start` on as fit in `limit` bytes."""
    data = open(path, 'rb').read()
    rows = data.split(b'\n')
    out = rows[0] + b'\n'
    for row in rows[start:]:
        if len(out) + len(row) + 1 > limit:
            break
        out += row + b'\n'
    return out

def write(target, name, data):
    folder = f'.build-fuzz/corpus/{target}'
    os.makedirs(folder, exist_ok=True)
    with open(f'{folder}/seed-{name}', 'wb') as f:
        f.write(data[:4096])

def csvs(*patterns):
    for pattern in patterns:
        for path in sorted(glob.glob(pattern)):
            yield path

for target in sys.argv[1:]:
    if target == 'FuzzCSV':
        for path in csvs('fixtures/*/*.csv', 'fixtures/*/bad/*.csv'):
            body = lines_upto(path)
            name = path.replace('fixtures/', '').replace('/', '-')
            write(target, name, b'\x00\x00' + body)          # 1-byte chunks, default limits
            write(target, 'tiny-' + name, b'\x1a\x35' + body)  # 3- and 4-byte chunks, tiny limits
        write(target, 'quoted', b'\x07\x00h1,h2\r\n"a,""b""\r\nc",d\r\n"",\r\nlast,"x"')
        write(target, 'bom-cr', b'\x02\x00\xef\xbb\xbfa,b\rc,d\r')
    elif target == 'FuzzRPWMapper':
        for path in csvs('fixtures/rpw/*.csv', 'fixtures/rpw/bad/*.csv', 'fixtures/reports/rpw-reports.csv'):
            write(target, path.replace('fixtures/', '').replace('/', '-'), lines_upto(path))
    elif target == 'FuzzECB':
        for path in sorted(glob.glob('fixtures/ecb/*') + glob.glob('fixtures/ecb/bad/*')) + ['fixtures/sample/reference-rates.csv']:
            if os.path.isfile(path):
                write(target, path.replace('fixtures/', '').replace('/', '-'), open(path, 'rb').read())
    elif target == 'FuzzSchedules':
        path = 'fixtures/sample/schedules.csv'
        total = open(path, 'rb').read().count(b'\n')
        for start in range(1, total, 12):
            write(target, f'schedules-{start}', lines_upto(path, start=start))
        write(target, 'flows', open('fixtures/reports/flows.csv', 'rb').read())
    elif target == 'FuzzArguments':
        for index, text in enumerate([
            'US', 'MEX', 'Mexico', "cote d'ivoire", 'Côte d’Ivoire', 'Turkey', 'usd', 'XOF', 'KWD',
            '300', '299.99', '1,000', '1_000.50', '-0', '1.2E-05', '0.0000001', '99999999999.999',
            '2025_3Q', '2025Q3', '2025-q3', '2026-11-27', '2024-02-29', '15/Jul/2025', '15-Jul-25', '45853',
            '30 October 2026', 'Bank/Money Transfer Operator', 'Less than one hour', '3-5 days',
            'Cash, Bank account', 'Account to account', 'Internet', 'N/A', '..',
        ]):
            write(target, f'{index:02d}', text.encode())
PY

status=0
summary=()
for target in "${targets[@]}"; do
    corpus="Fuzz/corpus/$target"
    scratch=".build-fuzz/corpus/$target"
    mkdir -p "$corpus" "$scratch"
    cp "$corpus"/* "$scratch"/ 2>/dev/null || true
    log="$work/$target.log"
    echo "fuzzing $target for $seconds s (working corpus: $(ls "$scratch" | wc -l) files)" >&2
    started=$SECONDS
    set +e
    "$bin/$target" "$scratch" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/$target-" > "$log" 2>&1
    code=$?
    set -e
    elapsed=$((SECONDS - started))
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    [ -z "$executions" ] && executions=$(grep -o '^#[0-9]*' "$log" | tr -d '#' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    found=$(ls "$work" | grep -c "^$target-\(crash\|timeout\|oom\|leak\|slow-unit\)-" || true)
    if [ "$code" -ne 0 ] || [ "$found" -gt 0 ]; then
        status=1
        echo "$target: libFuzzer exited with $code; findings:" >&2
        ls "$work" | grep "^$target-" | grep -v '\(corpus\|log\)$' >&2 || true
        grep -m5 -A3 'ERROR\|fatal error\|Fatal error\|invariant broken' "$log" >&2 || true
    fi
    if [ "${FUZZ_NO_MERGE:-0}" != 1 ]; then
        # The committed corpus: a small set of inputs covering all that the working corpus covers.
        merged="$work/$target-merged"
        mkdir -p "$merged"
        "$bin/$target" -set_cover_merge=1 -max_len="$max_len" "$merged" "$scratch" > "$work/$target-merge.log" 2>&1 || true
        if [ -n "$(ls "$merged")" ]; then
            rm -f "$corpus"/*
            cp "$merged"/* "$corpus"/
        fi
    fi
    summary+=("$(printf '%-14s %6ss %12s runs %8s/s %5s corpus files %3s findings' "$target" "$elapsed" \
        "${executions:-?}" "${rate:-?}" "$(ls "$corpus" | wc -l)" "$found")")
done

echo
printf '%s\n' "${summary[@]}"
echo "logs and any crash inputs: $work"
exit $status
