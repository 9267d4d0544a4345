#!/usr/bin/env bash
# slimfile's own image as a user gets it (the root Dockerfile):
#   1. `slimfile check` passes the Dockerfile with no finding at any level;
#   2. `slimfile verify` on it says there is nothing to verify: the final image is already scratch, so
#      slimfile's rewrite would change nothing (it builds no image then);
#   3. scripts/build-image.sh builds it (with buildah and the local stand-in of the rust image when no
#      docker daemon answers: --stand-ins), then the image runs as a user would run it, `docker run --rm -i
#      IMAGE …`: --version is the workspace's; `check -` on a conversion fixture from standard input prints
#      what the work tree's CLI prints and exits 1; `check -` on the Dockerfile exits 0; it runs as 65532;
#      and its size is printed. About 6 minutes on 2 cores with a cold build (vfs storage), 4 more on a new
#      machine for the rust stand-in; KEEP_IMAGES=1 keeps the image and the build's cache.
set -euo pipefail
cd "$(dirname "$0")/.."
failed=0 passed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
tmp=$(mktemp -d /tmp/slimfile-image-test.XXXXXX)
ctr=""
cleanup() {
    [ -z "$ctr" ] || buildah --storage-driver vfs rm "$ctr" >/dev/null 2>&1 || true
    # The vfs driver stores every layer whole (the builder's are gigabytes): the image and the build's
    # cached layers go after the test, as verify/run.sh does (KEEP_IMAGES=1 keeps them, and the cache).
    if [ -n "${tag:-}" ] && [ "${engine:-}" = buildah ] && [ "${KEEP_IMAGES:-}" != 1 ]; then
        buildah --storage-driver vfs rmi -f "$tag" >/dev/null 2>&1 || true
        buildah --storage-driver vfs rmi --prune >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]["version"])')
cargo build -q -p slimfile-cli
cli=${CARGO_TARGET_DIR:-target}/debug/slimfile

# 1. and 2.: slimfile on its own Dockerfile.
if "$cli" check Dockerfile --fail-level style --format json > "$tmp/check.json" \
    && python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["summary"]["findings"] != 0)' "$tmp/check.json"; then
    ok "slimfile check Dockerfile: no finding at any level"
else
    fail "slimfile check Dockerfile has findings"; cat "$tmp/check.json"
fi
"$cli" verify Dockerfile --context . --engine buildah --map verify/map.txt --format json > "$tmp/verify.json" 2>/dev/null || true
if python3 - "$tmp/verify.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["verdict"] == "unchanged" and any("already scratch" in x for x in r["reasons"])))
PY
then
    ok "slimfile verify Dockerfile: unchanged (the final image is already scratch), nothing to build"
else
    fail "slimfile verify Dockerfile: $(cat "$tmp/verify.json")"
fi

# 3. The image.
engine=docker
if ! docker info >/dev/null 2>&1; then engine=buildah; fi
if [ $engine = docker ]; then
    read -r tag _ size compressed < <(bash scripts/build-image.sh)
    run() { docker run --rm -i "$tag" "$@"; }
    user=$(docker image inspect --format '{{.Config.User}}' "$tag")
else
    read -r tag _ size compressed < <(bash scripts/build-image.sh --stand-ins)
    B=(buildah --storage-driver vfs)
    ctr=$("${B[@]}" from --pull-never "$tag")
    user=$("${B[@]}" inspect --type image --format '{{.OCIv1.Config.User}}' "$tag")
    entry=$("${B[@]}" inspect --type image --format '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}' "$tag")
    # buildah run runs the command given, not the ENTRYPOINT: prefix it, as docker run would.
    # shellcheck disable=SC2086
    run() { "${B[@]}" run --isolation chroot --user "$user" "$ctr" -- $entry "$@"; }
fi
got=$(run --version)
[ "$got" = "slimfile $version" ] && ok "$tag --version: $got" || fail "$tag --version: '$got'"
fixture=crates/slimfile-core/tests/fixtures/convert/01-go-ubuntu-classic/Dockerfile
set +e
# Standard output only: buildah run adds its own lines to standard error when the command exits non-zero.
run check - < "$fixture" > "$tmp/image.out" 2>"$tmp/image.err"; image_rc=$?
"$cli" check - < "$fixture" > "$tmp/tree.out" 2>/dev/null; tree_rc=$?
run check - < Dockerfile > "$tmp/self.out" 2>&1; self_rc=$?
set -e
if [ $image_rc -eq 1 ] && [ $tree_rc -eq 1 ] && cmp -s "$tmp/image.out" "$tmp/tree.out" && grep -q DL3006 "$tmp/image.out"; then
    ok "$tag check - < $fixture: exit 1, the work tree's findings byte for byte"
else
    fail "$tag check - < $fixture: exit $image_rc"; diff "$tmp/tree.out" "$tmp/image.out" | head
fi
[ $self_rc -eq 0 ] && ok "$tag check - < Dockerfile: exit 0" || { fail "$tag check - < Dockerfile: exit $self_rc"; cat "$tmp/self.out"; }
[ "$user" = 65532:65532 ] && ok "$tag runs as $user" || fail "$tag runs as '$user'"
echo "image: $tag, $size bytes unpacked, $compressed compressed ($engine)"
echo "image: $passed passed, $failed failed"
[ $failed -eq 0 ]
