#!/usr/bin/env bash
# Builds the JavaScript API (crates/slimfile-js) into OUT (default dist-js/): an ES module, its wasm and
# TypeScript definitions, usable without the playground. `--debug` builds without optimizations (what
# `trunk serve` uses through scripts/trunk-post-build.sh); the default is the release profile.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist-js}"
profile=release
[ "${2:-}" = --debug ] && profile=debug
bash scripts/install-web-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if [ "$profile" = release ]; then
    cargo build -q -p slimfile-js --target wasm32-unknown-unknown --release
else
    cargo build -q -p slimfile-js --target wasm32-unknown-unknown
fi
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/slimfile_js.wasm"
rm -f "$out/.gitignore" "$out/package.json"
printf '%-44s %10s %10s\n' file raw gzip-9
for f in "$out"/*.wasm "$out"/*.js; do
    printf '%-44s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
