#!/usr/bin/env bash
# The real-project suite: third-party apps (verify/real-apps.toml) built and run before and after conversion.
#
#   bash verify/real.sh                  # every entry (hours on 2 cores: each app is built twice, stand-ins once)
#   bash verify/real.sh voting-vote      # one entry
#   bash verify/real.sh --table          # only print the table of the results there are
#
# Each entry's repository is fetched at its pinned commit into $SLIMFILE_REAL_CACHE (default
# ~/.cache/slimfile/real-apps) with git clone, or from local mirrors when $SLIMFILE_MIRRORS names a folder of
# them (OWNER+NAME/repo, a git directory each). Nothing of theirs enters this repository. Then the entry's
# stand-ins are built (verify/images/build.sh) and `slimfile verify` runs with the entry's map and check;
# the result goes to verify/results/real/NAME.json (or under $VERIFY_RESULTS) and the table to
# verify/results/real/table.md. The case's images are removed after it (KEEP_IMAGES=1 keeps them).
# Needs root, buildah and debootstrap (installed from Debian's archive when missing).
# Not part of CI or scripts/test.sh. Exits 1 when an entry's verdict is not the one the manifest expects.
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=${VERIFY_RESULTS:-verify/results/real}
export VERIFY_RESULTS=$RESULTS
if [ "${1:-}" = --table ]; then
    python3 verify/real.py table > "$RESULTS/table.md"
    cat "$RESULTS/table.md"
    exit 0
fi
if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
fi
# SLIMFILE=PATH uses that binary instead of building the work tree's.
if [ -z "${SLIMFILE:-}" ]; then
    cargo build -q -p slimfile-cli
    SLIMFILE=$(realpath "${CARGO_TARGET_DIR:-target}/debug/slimfile")
fi
mkdir -p "$RESULTS"
status=0
python3 verify/real.py run "$SLIMFILE" "$@" || status=$?
python3 verify/real.py table > "$RESULTS/table.md"
cat "$RESULTS/table.md"
exit $status
