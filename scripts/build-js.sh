#!/usr/bin/env bash
# Builds the JavaScript API (crates/slimfile-js) into dist-js/: an ES module, its wasm and TypeScript
# definitions, usable without the playground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-web-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo build -q -p slimfile-js --target wasm32-unknown-unknown --release
rm -rf dist-js
wasm-bindgen --target web --out-dir dist-js target/wasm32-unknown-unknown/release/slimfile_js.wasm
printf '%-36s %10s %10s\n' file raw gzip-9
for f in dist-js/*.wasm dist-js/*.js; do
    printf '%-36s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
