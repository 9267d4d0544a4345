#!/usr/bin/env bash
# The npm package as a user gets it: scripts/build-npm.sh packs the tarball (or NPM_TARBALL names one), then
# Node's own test runner runs tests/npm/ (no npm): the tarball unpacked into a project's node_modules,
# `import ... from "slimfile"` in Node, the browser entry, slimfile/wasm, the widget's files, and every
# conversion fixture compared byte for byte with the CLI's `convert --format json`. Needs Node 18 or newer
# (Debian's nodejs is installed when node is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs >/dev/null; }
out=$(mktemp -d /tmp/slimfile-npm-out.XXXXXX)
trap 'rm -rf "$out"' EXIT
if [ -z "${NPM_TARBALL:-}" ]; then
    bash scripts/build-npm.sh "$out" >&2
    NPM_TARBALL=$(ls "$out"/slimfile-*.tgz)
fi
cargo build -q -p slimfile-cli
SLIMFILE_NPM_TARBALL=$(realpath "$NPM_TARBALL") SLIMFILE_CLI=$PWD/${CARGO_TARGET_DIR:-target}/debug/slimfile \
    node --test tests/npm/
