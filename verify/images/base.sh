#!/usr/bin/env bash
# localhost/debian:RELEASE (default bookworm): the stand-in base every other stand-in and builder starts from.
#   bash verify/images/base.sh [RELEASE]     # bookworm (Debian 12), trixie (Debian 13), bullseye (Debian 11),
#                                            # or an Ubuntu release: focal, jammy, noble (tagged localhost/ubuntu:RELEASE)
# debootstrap --variant=minbase from the distribution's archive (what debian:RELEASE itself is made of, with
# debuerreotype), committed with buildah from scratch. About 1.5 minutes; skipped when the image exists.
set -euo pipefail
RELEASE=${1:-bookworm}
B=(buildah --storage-driver vfs)
case $RELEASE in
    focal|jammy|noble)
        DISTRO=ubuntu
        MIRROR=${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
        SOURCES="deb $MIRROR $RELEASE main universe
deb $MIRROR $RELEASE-updates main universe
deb $MIRROR $RELEASE-security main universe"
        # Debian's debootstrap may predate the release: every Ubuntu release since gutsy uses one script,
        # and Ubuntu's keyring may be missing (the archive is still read over the mirror's own checksums).
        SCRIPT=/usr/share/debootstrap/scripts/gutsy
        KEYRING=(--no-check-gpg)
        [ -f /usr/share/keyrings/ubuntu-archive-keyring.gpg ] && KEYRING=(--keyring /usr/share/keyrings/ubuntu-archive-keyring.gpg)
        COMPONENTS=(--components=main,universe) ;;
    *)
        DISTRO=debian
        MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
        SOURCES="deb $MIRROR $RELEASE main
deb $MIRROR $RELEASE-updates main
deb http://deb.debian.org/debian-security $RELEASE-security main"
        SCRIPT=
        KEYRING=()
        COMPONENTS=() ;;
esac
TAG=localhost/$DISTRO:$RELEASE
if "${B[@]}" inspect --type image "$TAG" >/dev/null 2>&1 && [ "${REBUILD:-}" != 1 ]; then
    exit 0
fi
ROOTFS=$(mktemp -d /tmp/slimfile-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
LOG=/tmp/slimfile-debootstrap-$RELEASE.log
# shellcheck disable=SC2086
debootstrap --variant=minbase "${KEYRING[@]}" "${COMPONENTS[@]}" "$RELEASE" "$ROOTFS" "$MIRROR" $SCRIPT >"$LOG" 2>&1 \
    || { tail -20 "$LOG"; exit 1; }
# As the official image: no apt lists or caches left, the security and updates suites configured.
echo "$SOURCES" > "$ROOTFS/etc/apt/sources.list"
rm -f "$ROOTFS"/etc/apt/sources.list.d/*.sources
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
       "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* "$ROOTFS"/dev/* 2>/dev/null || true
ctr=$("${B[@]}" from scratch)
"${B[@]}" copy "$ctr" "$ROOTFS" / >/dev/null
"${B[@]}" config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
"${B[@]}" commit --rm -q "$ctr" "$TAG" >/dev/null
echo "built $TAG"
