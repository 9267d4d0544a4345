#!/usr/bin/env bash
# The real-build verification suite: for each fixture app in verify/apps/ (default: all), build its
# original Dockerfile and slimfile's rewrite with buildah on local stand-in images, run both the same
# way, compare what they do, and record the real sizes next to the estimate.
#
#   bash verify/run.sh                 # every case (about half an hour on 2 cores, most of it apt and builds)
#   bash verify/run.sh go-static       # one case
#
# Needs root and Debian's archive (buildah, debootstrap and the stand-ins' packages come from it).
# Writes verify/results/CASE.json and verify/results/table.md (or under $VERIFY_RESULTS), then removes the case's
# images (KEEP_IMAGES=1 keeps them); exits 1 when a case's verdict is not the
# one its verify.conf expects (EXPECT=same by default; a case whose rewrite must stop its own build,
# such as go-cgo-zlib, has EXPECT=failed and a NOTE). verify/README.md describes the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
fi
# SLIMFILE=PATH uses that binary instead of building the work tree's.
if [ -z "${SLIMFILE:-}" ]; then
    cargo build -q -p slimfile-cli
    SLIMFILE=${CARGO_TARGET_DIR:-target}/debug/slimfile
fi
RESULTS=${VERIFY_RESULTS:-verify/results}
mkdir -p "$RESULTS"
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    for d in verify/apps/*/; do cases+=("$(basename "$d")"); done
fi
status=0 passed=0 failed=0
for c in "${cases[@]}"; do
    dir=verify/apps/$c
    [ -f "$dir/verify.conf" ] || { echo "no such case: $c" >&2; status=1 failed=$((failed + 1)); continue; }
    # CONTEXT and DOCKERFILE: another case's app, built another way (default: the case's own folder).
    # MASKS and HEALTH (bash arrays, one pattern or check each, kept whole): verify's --mask and --health-cmd.
    STANDINS="" SERVE="" ARGS="" EXPECT=same NOTE="" CONTEXT="" DOCKERFILE="" MASKS=() HEALTH=()
    # shellcheck disable=SC1090
    . "$dir/verify.conf"
    start=$(date +%s)
    # A case's prepare.sh builds on this machine what the Dockerfile takes ready-made (a jar it only ADDs).
    if [ -f "$dir/prepare.sh" ]; then echo "== $c: prepare.sh" >&2; bash "$dir/prepare.sh"; fi
    echo "== $c: stand-ins ($STANDINS)" >&2
    # shellcheck disable=SC2086
    [ -z "$STANDINS" ] || bash verify/images/build.sh $STANDINS
    server=""
    if [ -n "$SERVE" ]; then  # a stand-in's package repository (127.0.0.1:8377), while both images build
        bash "verify/images/$SERVE/repository.sh" serve >/dev/null 2>&1 &
        server=$!
        for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8377) 2>/dev/null && break; sleep 0.2; done
    fi
    echo "== $c: slimfile verify" >&2
    set +e
    # shellcheck disable=SC2086
    checks=()
    for m in "${MASKS[@]}"; do checks+=(--mask "$m"); done
    for h in "${HEALTH[@]}"; do checks+=(--health-cmd "$h"); done
    before=$(mktemp)
    python3 verify/store.py ids "$before"
    "$SLIMFILE" verify "${DOCKERFILE:-$dir/Dockerfile}" --context "${CONTEXT:-$dir}" --engine buildah --map verify/map.txt \
        --name "$c" --format json "${checks[@]}" $ARGS > "$RESULTS/.$c.json.part"
    set -e
    [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
    python3 verify/table.py --note "$NOTE" --seconds $(( $(date +%s) - start )) --expect "$EXPECT" "$RESULTS/.$c.json.part"
    # The result takes its place whole: a test that reads the results never sees one half written.
    mv "$RESULTS/.$c.json.part" "$RESULTS/$c.json"
    verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$RESULTS/$c.json")
    if [ "$verdict" != "$EXPECT" ]; then
        echo "== $c: verdict '$verdict', expected '$EXPECT'" >&2
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("error",""))' "$RESULTS/$c.json" >&2
        status=1 failed=$((failed + 1))
    else
        echo "== $c: $verdict, as expected" >&2
        passed=$((passed + 1))
    fi
    # The case's images and the intermediate images its builds made: the vfs driver stores every layer
    # whole, so the full suite would need more than 40 GB (KEEP_IMAGES=1 keeps them, to inspect a case).
    # Never `rmi --prune`: the store is shared, and a prune removes another build's layers under way.
    if [ "${KEEP_IMAGES:-}" != 1 ]; then
        python3 verify/store.py remove "$c" "$before" || true
    fi
    rm -f "$before"
done
python3 verify/table.py --table "$RESULTS"/*.json > "$RESULTS/table.md"
cat "$RESULTS/table.md"
echo "verify: $passed passed, $failed failed"
exit $status
