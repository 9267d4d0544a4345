#!/usr/bin/env bash
# Builds the local stand-ins named on the command line (default: all), each skipped when it exists:
#   bash verify/images/build.sh distroless-static golang
# Every stand-in starts from localhost/debian:bookworm (base.sh, debootstrap) and Debian 12 packages.
set -euo pipefail
cd "$(dirname "$0")"
B=(buildah --storage-driver vfs)
have() { "${B[@]}" inspect --type image "$1" >/dev/null 2>&1 && [ "${REBUILD:-}" != 1 ]; }
bud() { # bud TAG [buildah bud args…]
    local tag=$1; shift
    if have "$tag"; then return 0; fi
    echo "building $tag" >&2
    local log=/tmp/slimfile-standin-${tag//[\/:]/_}.log
    if ! "${B[@]}" bud --isolation chroot --layers -t "$tag" "$@" . >"$log" 2>&1; then
        tail -30 "$log" >&2; echo "FAILED: $tag (log: $log)" >&2; return 1
    fi
}
distroless() { # distroless NAME "PACKAGES" [ENTRYPOINT-JSON]
    if [ -n "${3:-}" ] && ! have "localhost/distroless-$1:nonroot"; then
        bud "localhost/distroless-$1:nonroot-noentry" -f distroless.Dockerfile --build-arg PACKAGES="$2"
        local c; c=$("${B[@]}" from --pull-never "localhost/distroless-$1:nonroot-noentry")
        "${B[@]}" config --entrypoint "$3" "$c"
        "${B[@]}" commit --rm -q "$c" "localhost/distroless-$1:nonroot" >/dev/null
        "${B[@]}" rmi "localhost/distroless-$1:nonroot-noentry" >/dev/null
    fi
    bud "localhost/distroless-$1:nonroot" -f distroless.Dockerfile --build-arg PACKAGES="$2"
    if ! have "localhost/distroless-$1:latest"; then  # the same files, run as root from /
        local ctr; ctr=$("${B[@]}" from --pull-never "localhost/distroless-$1:nonroot")
        "${B[@]}" config --user 0 --workingdir / "$ctr"
        "${B[@]}" commit --rm -q "$ctr" "localhost/distroless-$1:latest" >/dev/null
    fi
}
CC="libc6 libssl3 libgcc-s1 libstdc++6 libgomp1"
one() {
    case $1 in
        debian) bash base.sh ;;
        distroless-static) distroless static "" ;;
        distroless-base) distroless base "libc6 libssl3" ;;
        distroless-cc) distroless cc "$CC" ;;
        distroless-python3) distroless python3 "$CC python3 libbz2-1.0 media-types libreadline8 readline-common" ;;
        distroless-nodejs) distroless nodejs "$CC nodejs" '["/nodejs/bin/node"]' ;;
        distroless-java) distroless java "$CC openjdk-17-jre-headless" '["/usr/bin/java", "-jar"]' ;;
        golang|rust|node|python|python-slim|maven|nginx) bud "localhost/$1:bookworm" -f "$1.Dockerfile" ;;
        *) echo "unknown stand-in '$1'" >&2; return 2 ;;
    esac
}
REBUILD= bash base.sh
# Builders that fetch from registries trust what this machine trusts (see python.Dockerfile).
mkdir -p host-ca && cp /usr/local/share/ca-certificates/*.crt host-ca/ 2>/dev/null || true
for name in "${@:-distroless-static distroless-base distroless-cc distroless-python3 distroless-nodejs golang rust node python python-slim nginx}"; do
    for n in $name; do one "$n"; done
done
