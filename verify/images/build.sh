#!/usr/bin/env bash
# Builds the local stand-ins named on the command line (none: every one), each skipped when it exists
# and was built from the same recipe (the label slimfile.recipe holds the recipe's hash):
#   bash verify/images/build.sh distroless-static golang
# Every stand-in starts from localhost/debian:bookworm (base.sh, debootstrap) and Debian 12 packages.
set -euo pipefail
cd "$(dirname "$0")"
B=(buildah --storage-driver vfs)
REBUILD= bash base.sh
# Builders that fetch from registries trust what this machine trusts (see python.Dockerfile).
mkdir -p host-ca && cp /usr/local/share/ca-certificates/*.crt host-ca/ 2>/dev/null || true
recipe() { # recipe FILE ARGS… → a hash of what the image is made from
    { cat "$1" host-ca/* 2>/dev/null; echo "${@:2}"; } | sha256sum | cut -c1-16
}
have() { # have TAG [HASH]
    local got
    got=$("${B[@]}" inspect --type image --format '{{index .OCIv1.Config.Labels "slimfile.recipe"}}' "$1" 2>/dev/null) || return 1
    [ "${REBUILD:-}" != 1 ] && { [ -z "${2:-}" ] || [ "$got" = "$2" ]; }
}
bud() { # bud TAG FILE [buildah bud args…]
    local tag=$1 file=$2; shift 2
    local hash; hash=$(recipe "$file" "$@")
    if have "$tag" "$hash"; then return 0; fi
    echo "building $tag" >&2
    local log=/tmp/slimfile-standin-${tag//[\/:]/_}.log
    if ! "${B[@]}" bud --isolation chroot --layers --label "slimfile.recipe=$hash" -t "$tag" -f "$file" "$@" . >"$log" 2>&1; then
        tail -30 "$log" >&2; echo "FAILED: $tag (log: $log)" >&2; return 1
    fi
}
distroless() { # distroless NAME "PACKAGES" [ENTRYPOINT-JSON]
    local hash; hash=$(recipe distroless.Dockerfile "$2" "${3:-}")
    if [ -n "${3:-}" ] && ! have "localhost/distroless-$1:nonroot" "$hash"; then
        bud "localhost/distroless-$1:nonroot-noentry" distroless.Dockerfile --build-arg PACKAGES="$2"
        local c; c=$("${B[@]}" from --pull-never "localhost/distroless-$1:nonroot-noentry")
        "${B[@]}" config --entrypoint "$3" --label "slimfile.recipe=$hash" "$c"
        "${B[@]}" commit --rm -q "$c" "localhost/distroless-$1:nonroot" >/dev/null
        "${B[@]}" rmi "localhost/distroless-$1:nonroot-noentry" >/dev/null
    fi
    [ -n "${3:-}" ] || bud "localhost/distroless-$1:nonroot" distroless.Dockerfile --build-arg PACKAGES="$2"
    hash=$("${B[@]}" inspect --type image --format '{{.FromImageID}}' "localhost/distroless-$1:nonroot")
    if ! have "localhost/distroless-$1:latest" "$hash"; then  # the same files, run as root from /
        local ctr; ctr=$("${B[@]}" from --pull-never "localhost/distroless-$1:nonroot")
        "${B[@]}" config --user 0 --workingdir / --label "slimfile.recipe=$hash" "$ctr"
        "${B[@]}" commit --rm -q "$ctr" "localhost/distroless-$1:latest" >/dev/null
    fi
}
CC="libc6 libssl3 libgcc-s1 libstdc++6 libgomp1"
one() {
    case $1 in
        debian) ;;
        distroless-static) distroless static "" ;;
        distroless-base) distroless base "libc6 libssl3" ;;
        distroless-cc) distroless cc "$CC" ;;
        distroless-python3) distroless python3 "$CC python3 libbz2-1.0 media-types libreadline8 readline-common" ;;
        distroless-nodejs) distroless nodejs "$CC nodejs" '["/nodejs/bin/node"]' ;;
        distroless-java) distroless java "$CC openjdk-17-jre-headless" '["/usr/bin/java", "-jar"]' ;;
        golang|rust|node|python|python-slim|maven|nginx) bud "localhost/$1:bookworm" "$1.Dockerfile" ;;
        rustup) bud localhost/rustup:1.95 rustup.Dockerfile ;;
        *) echo "unknown stand-in '$1'" >&2; return 2 ;;
    esac
}
if [ $# -eq 0 ]; then
    set -- distroless-static distroless-base distroless-cc distroless-python3 distroless-nodejs distroless-java \
        golang rust rustup node python python-slim maven nginx
fi
for n in "$@"; do one "$n"; done
