#!/usr/bin/env bash
# Builds the playground and serves it with live reload: http://127.0.0.1:8080 by default.
# ADDRESS and PORT override where it listens, e.g. `PORT=9000 bash scripts/serve.sh`.
# Extra arguments go to `trunk serve` (e.g. `--release`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-web-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

exec trunk --skip-version-check serve \
    --address "${ADDRESS:-127.0.0.1}" --port "${PORT:-8080}" "$@"
