#!/usr/bin/env bash
# The PyPI wheel and the pre-commit hook as a user gets them, on a PATH without Rust:
#   1. scripts/build-wheel.sh builds the wheel (or WHEELS=DIR names a folder that has it);
#   2. `pip install slimfile` into a fresh venv, from that folder only (no index): `slimfile --version`
#      is the workspace's, and `slimfile check` on a conversion fixture prints, byte for byte and with the
#      same exit status, what the work tree's CLI prints;
#   3. `pipx run slimfile --version` (pipx from PyPI) runs the same wheel, and the release's standalone
#      binary packed from it (scripts/release-binaries.py) runs;
#   4. `pre-commit try-repo` on a temporary git repository with Dockerfiles installs this repository's hook
#      (pyproject.toml: the package that depends on the wheel) with pip pointed at the folder and no index,
#      fails on a Dockerfile with findings, naming the rule and the line, and passes once it is fixed. With
#      no index, pip can take `slimfile` from nowhere but that folder.
# Network: PyPI for maturin, pre-commit, pipx, pip and setuptools (the hook package's build backend); the
# wheel itself never comes from an index. 2 to 4 minutes, most of it building the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PRE_COMMIT_VERSION=4.7.0
PIPX_VERSION=1.18.4
SETUPTOOLS_VERSION=80.9.0
PIP_VERSION=26.1  # pipx's shared environment wants pip>=26.1, from the same folder
tmp=$(mktemp -d /tmp/slimfile-wheel-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]["version"])')
wheels=${WHEELS:-$tmp/wheels}
[ -n "${WHEELS:-}" ] || bash scripts/build-wheel.sh "$wheels"
wheel=$(ls "$wheels"/slimfile-"$version"-*.whl)
cargo build -q -p slimfile-cli
workspace_cli=$root/${CARGO_TARGET_DIR:-target}/debug/slimfile

# The tools, each in a venv of its own, and the hook package's build backend next to the wheel.
python3 -m venv "$tmp/tools"
"$tmp/tools/bin/pip" install -q "pre-commit==$PRE_COMMIT_VERSION" "pipx==$PIPX_VERSION"
"$tmp/tools/bin/pip" download -q --no-deps --only-binary :all: -d "$wheels" "setuptools==$SETUPTOOLS_VERSION" "pip==$PIP_VERSION"

# From here on, no Rust: what a user of the wheel has.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '\.cargo' -e rustup | paste -sd:)
export PATH
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    fail "cargo or rustc is still on PATH: $(command -v cargo rustc)"
fi

# 2. pip install slimfile
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --no-index --find-links "$wheels" slimfile
got=$("$tmp/venv/bin/slimfile" --version)
[ "$got" = "slimfile $version" ] && ok "pip install slimfile: $got" || fail "pip install slimfile: --version says '$got'"
fixture=crates/slimfile-core/tests/fixtures/convert/01-go-ubuntu-classic/Dockerfile
set +e
"$tmp/venv/bin/slimfile" check "$fixture" > "$tmp/wheel.out" 2>&1; wheel_rc=$?
"$workspace_cli" check "$fixture" > "$tmp/tree.out" 2>&1; tree_rc=$?
"$tmp/venv/bin/slimfile" check "$fixture" --format json > "$tmp/wheel.json"
"$workspace_cli" check "$fixture" --format json > "$tmp/tree.json"
set -e
if [ $wheel_rc -eq 1 ] && [ $tree_rc -eq 1 ] && cmp -s "$tmp/wheel.out" "$tmp/tree.out" && cmp -s "$tmp/wheel.json" "$tmp/tree.json" \
    && grep -q 'DL3006' "$tmp/wheel.out"; then
    ok "slimfile check $fixture: exit 1 and the work tree's output, byte for byte (text and json)"
else
    fail "slimfile check $fixture: exit $wheel_rc (work tree: $tree_rc)"; diff "$tmp/tree.out" "$tmp/wheel.out" | head -20
fi

# The release's standalone binary, packed from the wheel (scripts/release-binaries.py), runs on its own.
python3 scripts/release-binaries.py "$wheels" "$tmp/binaries" > /dev/null
archive=$(ls "$tmp"/binaries/slimfile-"$version"-*-linux-*.tar.gz)
tar -xzf "$archive" -C "$tmp/binaries"
got=$("$tmp/binaries/$(basename "$archive" .tar.gz)/slimfile" --version)
if [ "$got" = "slimfile $version" ] && (cd "$tmp/binaries" && sha256sum -c --quiet SHA256SUMS); then
    ok "the standalone binary $(basename "$archive"): $got, its SHA256SUMS line checks"
else
    fail "the standalone binary $(basename "$archive"): '$got'"
fi

# 3. pipx run slimfile
got=$(PIPX_HOME=$tmp/pipx PIPX_BIN_DIR=$tmp/pipx/bin "$tmp/tools/bin/pipx" run --pip-args="--no-index --find-links=$wheels" \
    slimfile --version 2>"$tmp/pipx.err") || true
[ "$got" = "slimfile $version" ] && ok "pipx run slimfile --version: $got" || { fail "pipx run slimfile: '$got'"; cat "$tmp/pipx.err"; }

# 4. The hook, through pre-commit try-repo (which takes this work tree, uncommitted changes included).
proj=$tmp/project
mkdir -p "$proj/api" "$proj/web"
cp "$fixture" "$proj/api/Dockerfile"
cat > "$proj/web/Containerfile" <<'DOCKERFILE'
FROM gcr.io/distroless/static-debian13:nonroot
COPY --chown=65532:65532 site /site
ENTRYPOINT ["/site/server"]
DOCKERFILE
echo "not a Dockerfile" > "$proj/README.md"
git -C "$proj" init -q && git -C "$proj" add -A
hook() {
    (cd "$proj" && PRE_COMMIT_HOME=$tmp/pre-commit PIP_NO_INDEX=1 PIP_FIND_LINKS=$wheels \
        "$tmp/tools/bin/pre-commit" try-repo "$root" slimfile --all-files --color never) > "$tmp/hook.out" 2>&1
}
if hook; then
    fail "the hook passed a Dockerfile with findings"; cat "$tmp/hook.out"
elif grep -q '^api/Dockerfile:1:1 DL3006 warning' "$tmp/hook.out" && grep -q 'slimfile check.*Failed' "$tmp/hook.out" \
    && ! grep -q 'README.md\|web/Containerfile:' "$tmp/hook.out"; then
    ok "pre-commit try-repo: the hook fails on api/Dockerfile (DL3006 at 1:1) and passes web/Containerfile"
else
    fail "pre-commit try-repo: unexpected output"; cat "$tmp/hook.out"
fi
git -C "$proj" rm -q -f api/Dockerfile
if hook && grep -q 'slimfile check.*Passed' "$tmp/hook.out"; then
    ok "pre-commit try-repo: the hook passes once the Dockerfile with findings is gone"
else
    fail "pre-commit try-repo: the clean repository did not pass"; cat "$tmp/hook.out"
fi
echo "wheel: $passed passed, $failed failed"
[ $failed -eq 0 ]
