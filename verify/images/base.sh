#!/usr/bin/env bash
# localhost/debian:bookworm: the stand-in base every other stand-in and builder starts from.
# debootstrap --variant=minbase from Debian's archive (what debian:bookworm itself is made of, with
# debuerreotype), committed with buildah from scratch. About 1.5 minutes; skipped when the image exists.
set -euo pipefail
B=(buildah --storage-driver vfs)
if "${B[@]}" inspect --type image localhost/debian:bookworm >/dev/null 2>&1 && [ "${REBUILD:-}" != 1 ]; then
    exit 0
fi
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
ROOTFS=$(mktemp -d /tmp/slimfile-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >/tmp/slimfile-debootstrap.log 2>&1 \
    || { tail -20 /tmp/slimfile-debootstrap.log; exit 1; }
# As the official image: no apt lists or caches left, the security and updates suites configured.
cat > "$ROOTFS/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
       "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* "$ROOTFS"/dev/* 2>/dev/null || true
ctr=$("${B[@]}" from scratch)
"${B[@]}" copy "$ctr" "$ROOTFS" / >/dev/null
"${B[@]}" config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
"${B[@]}" commit --rm -q "$ctr" localhost/debian:bookworm >/dev/null
echo "built localhost/debian:bookworm"
