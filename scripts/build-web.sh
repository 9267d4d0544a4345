#!/usr/bin/env bash
# Release build of the playground into dist/ (a static site: serve that directory as it is),
# then prints the size of the .wasm and .js, raw and gzip -9.
# Extra arguments go to `trunk build`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-web-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

trunk --skip-version-check build --release "$@"

echo
printf '%-44s %10s %10s\n' file raw gzip-9
for f in dist/*.wasm dist/*.js; do
    [ -e "$f" ] || continue
    printf '%-44s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
