#!/usr/bin/env bash
# Builds the PyPI wheel `slimfile` (crates/slimfile-cli/pyproject.toml: the CLI as a binary wheel, maturin's
# `bin` bindings, no Python code) for this machine into OUT (default target/wheels), with maturin from PyPI.
#   bash scripts/build-wheel.sh [OUT] [maturin build options…]
# The release workflow builds each platform's wheel with maturin's action instead. 2 to 3 minutes on 2 cores
# (the `cli` profile: LTO, one codegen unit). Prints the wheel and its size.
set -euo pipefail
cd "$(dirname "$0")/.."
MATURIN_VERSION=1.16.0
out="${1:-target/wheels}"
[ $# -gt 0 ] && shift
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if [ "$(maturin --version 2>/dev/null)" != "maturin $MATURIN_VERSION" ]; then
    python3 -m pip install -q "maturin==$MATURIN_VERSION"
fi
mkdir -p "$out"
rm -f "$out"/slimfile-*.whl
maturin build --quiet --locked --manifest-path crates/slimfile-cli/Cargo.toml --out "$out" "$@" >&2
for w in "$out"/slimfile-*.whl; do
    printf '%s %d bytes\n' "$w" "$(stat -c %s "$w")"
done
