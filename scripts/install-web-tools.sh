#!/usr/bin/env bash
# Installs what the web playground's build needs, only when it is missing or the wrong version:
#   - the toolchain pinned in rust-toolchain.toml and its wasm32-unknown-unknown target,
#   - trunk 0.21.14 (0.22 needs a newer rustc than the one we pin),
#   - wasm-bindgen-cli at exactly the version of the `wasm-bindgen` crate in Cargo.lock
#     (trunk refuses a mismatch, and Trunk.toml sets `offline = true`, so it never downloads one),
#   - the crate sources, so that trunk's `cargo build --offline` finds them.
# Works on a fresh Debian machine with rustup and root. Safe to run again: it then does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
say() { echo "install-web-tools: $*" >&2; }

# A C compiler and linker: rustc links with `cc`, and trunk's dependencies build C code.
if ! command -v cc >/dev/null 2>&1; then
    say "installing a C toolchain (build-essential)"
    apt-get update -qq && apt-get install -y -qq build-essential >/dev/null
fi

# The toolchain from rust-toolchain.toml (the directory we are in), with its wasm target.
if ! rustup which rustc >/dev/null 2>&1; then
    say "installing the toolchain from rust-toolchain.toml"
    rustup toolchain install || rustup show  # rustup < 1.28 installs it on `show`
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# The version of `wasm-bindgen` that Cargo.lock resolved (Cargo.toml pins it with `=`).
wbg_version=$(awk '
    /^\[\[package\]\]/ { in_wbg = 0 }
    $0 == "name = \"wasm-bindgen\"" { in_wbg = 1 }
    in_wbg && /^version = / { gsub(/"/, "", $3); print $3 }
' Cargo.lock)
if [ -z "$wbg_version" ] || [ "$(echo "$wbg_version" | wc -l)" -ne 1 ]; then
    say "expected exactly one wasm-bindgen in Cargo.lock, found: '${wbg_version}'"
    exit 1
fi

# Prints the version a tool reports ("trunk 0.21.14" -> "0.21.14"), or nothing if it is missing.
version_of() { "$1" --version 2>/dev/null | awk 'NR == 1 { print $2 }' || true; }

if [ "$(version_of trunk)" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (takes a few minutes)"
    cargo install --locked --force trunk --version "$TRUNK_VERSION"
fi

if [ "$(version_of wasm-bindgen)" != "$wbg_version" ]; then
    say "installing wasm-bindgen-cli $wbg_version (takes a few minutes)"
    # Not --locked: with it, the install of wasm-bindgen-cli 0.2.130 fails (measured).
    cargo install --force wasm-bindgen-cli --version "$wbg_version"
fi

# trunk runs `cargo build --offline`: make sure every crate is already downloaded.
if ! cargo fetch --offline --target wasm32-unknown-unknown >/dev/null 2>&1; then
    say "downloading the crates"
    cargo fetch --target wasm32-unknown-unknown
fi
