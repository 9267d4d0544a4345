#!/usr/bin/env bash
# Builds the JavaScript API (crates/slimfile-js) into OUT (default dist-js/): an ES module, its wasm and
# TypeScript definitions, usable without the playground. scripts/build-site.sh puts it in the site's js/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist-js}"
bash scripts/install-web-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo build -q -p slimfile-js --target wasm32-unknown-unknown --release
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/slimfile_js.wasm"
printf '%-44s %10s %10s\n' file raw gzip-9
for f in "$out"/*.wasm "$out"/*.js; do
    printf '%-44s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
