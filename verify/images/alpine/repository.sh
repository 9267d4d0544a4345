#!/usr/bin/env bash
# The Alpine stand-in's package repository: no Alpine mirror answers here, so the packages a C/C++ build on
# Alpine installs (build-base, g++, gcc, binutils, make, musl-dev) and the ones its runtime installs (libstdc++,
# libgcc) are built from their upstream sources, taken from Debian's archive, and packed in Alpine's format.
#
#   bash verify/images/alpine/repository.sh build   # the repository and the root file system, in the cache
#   bash verify/images/alpine/repository.sh serve   # serves the repository on 127.0.0.1:8377 (foreground)
#   bash verify/images/alpine/repository.sh path    # prints the cache folder
#
# The cache is $SLIMFILE_ALPINE_CACHE (default ~/.cache/slimfile/alpine-standin); a step that finished is not
# run again. From an empty cache it took 1326 s on 2 cores, most of it GCC's C and C++ compilers.
#
# What it makes (every step below says why it is done that way):
#   rootfs.tar.gz      Alpine 3.20.3's official minirootfs (musl 1.2.5, apk-tools 2.14, scanelf), from the
#                      alpinelinux/docker-alpine repository at a pinned commit, checked against its SHA-256
#   key/               an RSA key made on first use; the stand-in image trusts its public half
#   repo/v3.20/main/x86_64/{*.apk,APKINDEX.tar.gz}
#                      the packages (apk.py) and apk-tools' own index of them, signed with the key
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SLIMFILE_ALPINE_CACHE:-$HOME/.cache/slimfile/alpine-standin}
PORT=8377
T=x86_64-alpine-linux-musl
GCCV=13.3.0
DEBIAN=http://deb.debian.org/debian/pool/main
# Upstream sources as Debian's archive holds them (trixie's source packages), with the SHA-256 of its Sources.
SOURCES="
g/gcc-13/gcc-13_13.3.0.orig.tar.gz 2fde6610c97427ca320113b8ed99d75439c15b7d75d0a5410256a9cf4a8e5402
b/binutils/binutils_2.44.orig.tar.xz c41a0272424f41bb01bf828e7ffef1b2d59d1788064fd6b5f1d971717e9320b8
m/musl/musl_1.2.5.orig.tar.gz a9a118bbe84d8764da0ea0d28b3ab3fae8477fc7e4085d90102b8596fc7c75e4
m/make-dfsg/make-dfsg_4.4.1.orig.tar.xz 3b16b00ea1079af9f8096bbc71ff7cc00c249fc6a862003da3c42308a0adb0fe
"
ROOTFS_REPO=alpinelinux/docker-alpine
ROOTFS_COMMIT=7d63673353bd39d92ba42f6effcc199aeebd45ee
ROOTFS_PATH=x86_64/alpine-minirootfs-3.20.3-x86_64.tar.gz
ROOTFS_SHA256=d4e6fd67dcf75e40c451560ac7265166c2b72a0f38ddc9aae756a7de3d1efa0c

case ${1:-build} in
    path) echo "$CACHE"; exit 0 ;;
    serve) exec python3 -m http.server --bind 127.0.0.1 "$PORT" --directory "$CACHE/repo" ;;
    build) ;;
    *) echo "usage: $0 build|serve|path" >&2; exit 2 ;;
esac
mkdir -p "$CACHE/src"
cd "$CACHE"
J=$(nproc)

check() { # check FILE SHA256
    echo "$2  $1" | sha256sum -c --quiet - || { echo "repository.sh: $1 is not the pinned file" >&2; rm -f "$1"; exit 1; }
}
# 1. The minirootfs: from a local mirror of the repository ($SLIMFILE_MIRRORS/OWNER+NAME/repo, as
#    verify/real.sh takes them) or from GitHub.
if [ ! -f rootfs.tar.gz ]; then
    mirror=${SLIMFILE_MIRRORS:-}/${ROOTFS_REPO/\//+}/repo
    if [ -n "${SLIMFILE_MIRRORS:-}" ] && [ -d "$mirror" ]; then
        git --git-dir "$mirror" show "$ROOTFS_COMMIT:$ROOTFS_PATH" > rootfs.tar.gz.part
    else
        curl -fsSL -o rootfs.tar.gz.part "https://raw.githubusercontent.com/$ROOTFS_REPO/$ROOTFS_COMMIT/$ROOTFS_PATH"
    fi
    check rootfs.tar.gz.part "$ROOTFS_SHA256"
    mv rootfs.tar.gz.part rootfs.tar.gz
fi
# 2. The sources.
echo "$SOURCES" | while read -r path sum; do
    [ -n "$path" ] || continue
    f=src/${path##*/}
    [ -f "$f" ] && continue
    curl -fsSL -o "$f.part" "$DEBIAN/$path"
    check "$f.part" "$sum"
    mv "$f.part" "$f"
done
for tool in makeinfo flex bison; do command -v $tool >/dev/null || missing=1; done
if [ -n "${missing:-}" ] || [ ! -f /usr/lib/x86_64-linux-gnu/libmpc.a ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc g++ make file texinfo flex bison \
        libgmp-dev libmpfr-dev libmpc-dev >/dev/null
fi
# 3. The toolchain. The programs run in the Alpine image, whose C library is musl, yet are built here with
#    Debian's compiler: linked statically (glibc), they need no C library at run time. They target
#    x86_64-alpine-linux-musl (Alpine's own triplet) with "/" as their system root, so that inside the image
#    they find musl's headers and start files in /usr/include and /usr/lib as Alpine's gcc does. The libraries
#    they build for the target (libstdc++, libgcc_s) are musl's, built against musl 1.2.5: the base image's.
SYSROOT=$CACHE/sysroot STAGE=$CACHE/stage
export PATH=$STAGE/usr/bin:$PATH
if [ ! -e .musl-done ]; then
    rm -rf musl-1.2.5 "$SYSROOT" && tar xzf src/musl_1.2.5.orig.tar.gz
    (cd musl-1.2.5 && ./configure --prefix=/usr --syslibdir=/lib CC=gcc >/dev/null && make -j"$J" >/dev/null \
        && make DESTDIR="$SYSROOT" install >/dev/null)
    touch .musl-done
fi
if [ ! -e .binutils-done ]; then
    rm -rf binutils-2.44 build-binutils && tar xJf src/binutils_2.44.orig.tar.xz && mkdir build-binutils
    (cd build-binutils && ../binutils-2.44/configure --target=$T --prefix=/usr --with-sysroot=/ --disable-nls \
        --disable-werror --disable-gprofng --disable-gdb --disable-gdbserver --disable-sim --disable-plugins \
        --disable-shared --enable-deterministic-archives --disable-multilib --without-zstd >/dev/null \
        && make -j"$J" configure-host >/dev/null && make -j"$J" LDFLAGS=-all-static >/dev/null \
        && make DESTDIR="$STAGE" install >/dev/null)
    touch .binutils-done
fi
if [ ! -e .gcc-done ]; then
    rm -rf gcc-13.3.0 build-gcc && tar xzf src/gcc-13_13.3.0.orig.tar.gz && tar xJf gcc-13-13.3.0/gcc-13.3.0-dfsg.tar.xz
    rm -rf gcc-13-13.3.0
    # Debian's tarball leaves out the GFDL manuals, tm.texi among them; the build checks tm.texi against the
    # target hooks (s-tm-texi), a check for GCC's developers: it only stamps here.
    python3 - gcc-13.3.0/gcc/Makefile.in <<'EOF'
import sys
path = sys.argv[1]
s = open(path).read()
head = "s-tm-texi: build/genhooks$(build_exeext) $(srcdir)/doc/tm.texi.in\n"
start = s.index(head)
end = s.index("\tfi\n", start) + len("\tfi\n")
open(path, "w").write(s[:start] + head + "\t$(STAMP) $@\n" + s[end:])
EOF
    mkdir build-gcc
    (cd build-gcc && CFLAGS=-O2 CXXFLAGS=-O2 CFLAGS_FOR_TARGET=-O2 CXXFLAGS_FOR_TARGET=-O2 LDFLAGS=-static \
        ../gcc-13.3.0/configure --build=x86_64-linux-gnu --host=x86_64-linux-gnu --target=$T \
        --prefix=/usr --with-sysroot=/ --with-build-sysroot="$SYSROOT" --with-native-system-header-dir=/usr/include \
        --with-toolexeclibdir=/usr/lib --enable-languages=c,c++ --disable-multilib --disable-nls \
        --disable-libsanitizer --disable-libssp --disable-libquadmath --disable-libgomp --disable-libitm \
        --disable-libvtv --disable-plugin --disable-libstdcxx-pch --enable-shared --enable-threads=posix \
        --enable-__cxa_atexit --enable-tls --enable-default-pie --with-pkgversion='slimfile verify stand-in' >/dev/null \
        && make -j"$J" all-gcc >/dev/null && make -j"$J" all-target-libgcc >/dev/null \
        && make -j"$J" all-target-libstdc++-v3 >/dev/null \
        && make DESTDIR="$STAGE" install-gcc install-target-libgcc install-target-libstdc++-v3 >/dev/null)
    # x86_64's multilib folder is lib64, Alpine's (and musl's loader's search path) /usr/lib
    mv "$STAGE"/usr/lib64/* "$STAGE/usr/lib/" && rmdir "$STAGE/usr/lib64"
    touch .gcc-done
fi
if [ ! -e .make-done ]; then
    rm -rf make-4.4.1 && tar xJf src/make-dfsg_4.4.1.orig.tar.xz
    # Debian's tarball leaves out the manual (doc/), which configure still names
    mkdir -p make-4.4.1/doc && printf 'all:\ninstall:\nclean:\ndistclean:\ncheck:\n' > make-4.4.1/doc/Makefile.in
    (cd make-4.4.1 && CFLAGS=-O2 LDFLAGS=-static ./configure --prefix=/usr --disable-nls --without-guile >/dev/null \
        && make -j"$J" -C lib >/dev/null && make -j"$J" make >/dev/null)
    touch .make-done
fi
# 4. The packages, under Alpine's names and with its dependencies, sonames provided and needed (the library
#    gate asks `apk info --who-owns` and installs `so:NAME`).
[ -e key/slimfile-verify.rsa ] || {
    mkdir -p key
    openssl genrsa -out key/slimfile-verify.rsa 2048 2>/dev/null
    openssl rsa -in key/slimfile-verify.rsa -pubout -out key/slimfile-verify.rsa.pub 2>/dev/null
}
KEY=$CACHE/key/slimfile-verify.rsa
REPO=$CACHE/repo/v3.20/main/x86_64
[ -f "$REPO/APKINDEX.tar.gz" ] && [ "$REPO/APKINDEX.tar.gz" -nt .gcc-done ] && [ "$REPO/APKINDEX.tar.gz" -nt "$HERE/apk.py" ] \
    && [ "$REPO/APKINDEX.tar.gz" -nt "$0" ] && exit 0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -rf "$REPO" && mkdir -p "$REPO"
take() { # take PKG GLOB… : copies the STAGE paths into the package's tree
    local pkg=$1 p f; shift
    for p in "$@"; do
        for f in $(cd "$STAGE" && echo $p); do
            [ -e "$STAGE/$f" ] || [ -L "$STAGE/$f" ] || { echo "repository.sh: $STAGE/$f is missing" >&2; exit 1; }
            mkdir -p "$WORK/$pkg/$(dirname "$f")" && cp -a "$STAGE/$f" "$WORK/$pkg/$f"
        done
    done
}
link() { # link PKG TARGET NAME
    mkdir -p "$WORK/$1/$(dirname "$3")" && ln -sfn "$2" "$WORK/$1/$3"
}
pack() { # pack PKG VERSION DESCRIPTION URL LICENSE [apk.py options…]
    local pkg=$1 ver=$2 desc=$3 url=$4 lic=$5 files; shift 5
    mkdir -p "$WORK/$pkg"
    mapfile -t files < <(cd "$WORK/$pkg" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./||' | sort)
    python3 "$HERE/apk.py" --root "$WORK/$pkg" --name "$pkg" --version "$ver" --description "$desc" \
        --url "$url" --license "$lic" --key "$KEY" --out "$REPO" "$@" "${files[@]}" >/dev/null
}
# strip what runs (the static programs) and what the runtime loads
find "$STAGE/usr/bin" "$STAGE/usr/libexec" "$STAGE/usr/$T/bin" -type f \
    -exec sh -c 'file "$1" | grep -q "ELF.*executable" && strip "$1" || true' _ {} \;
for so in "$STAGE"/usr/lib/libstdc++.so.6.0.*[0-9] "$STAGE"/usr/lib/libgcc_s.so.1; do strip --strip-unneeded "$so"; done

for t in addr2line ar as c++filt elfedit gprof ld ld.bfd nm objcopy objdump ranlib readelf size strings strip; do
    take binutils "usr/bin/$T-$t"
    [ "$t" = ld.bfd ] || link binutils "$T-$t" "usr/bin/$t"
done
take binutils "usr/$T/bin/*" "usr/$T/lib/ldscripts"
pack binutils 2.44-r0 "Tools necessary to build programs" https://www.gnu.org/software/binutils/ GPL-3.0-or-later

take gcc "usr/bin/$T-gcc" "usr/bin/$T-cpp" "usr/bin/$T-gcc-ar" "usr/bin/$T-gcc-nm" "usr/bin/$T-gcc-ranlib" \
    "usr/libexec/gcc/$T/$GCCV/cc1" "usr/libexec/gcc/$T/$GCCV/collect2" "usr/libexec/gcc/$T/$GCCV/lto-wrapper" \
    "usr/lib/gcc/$T/$GCCV" "usr/lib/libgcc_s.so"
for t in gcc cpp gcc-ar gcc-nm gcc-ranlib; do link gcc "$T-$t" "usr/bin/$t"; done
link gcc "$T-gcc" usr/bin/cc
pack gcc "$GCCV-r0" "The GNU Compiler Collection" https://gcc.gnu.org GPL-3.0-or-later \
    --depend binutils --depend libgcc --depend musl-dev

take g++ "usr/bin/$T-g++" "usr/bin/$T-c++" "usr/libexec/gcc/$T/$GCCV/cc1plus" "usr/$T/include/c++" \
    "usr/lib/libstdc++.so" "usr/lib/libstdc++.a" "usr/lib/libsupc++.a" "usr/lib/libstdc++fs.a" "usr/lib/libstdc++exp.a"
link g++ "$T-g++" usr/bin/g++
link g++ "$T-c++" usr/bin/c++
pack g++ "$GCCV-r0" "GNU C++ standard library and compiler" https://gcc.gnu.org GPL-3.0-or-later \
    --origin gcc --depend gcc --depend libstdc++ --depend musl-dev

so6=$(cd "$STAGE/usr/lib" && echo libstdc++.so.6.0.*[0-9])
take libstdc++ usr/lib/libstdc++.so.6 "usr/lib/$so6"
pack libstdc++ "$GCCV-r0" "GNU C++ standard runtime library" https://gcc.gnu.org GPL-3.0-or-later \
    --origin gcc --depend so:libc.musl-x86_64.so.1 --depend so:libgcc_s.so.1 --provide "so:libstdc++.so.6=${so6#libstdc++.so.}"

take libgcc usr/lib/libgcc_s.so.1
pack libgcc "$GCCV-r0" "GNU C compiler runtime libraries" https://gcc.gnu.org GPL-3.0-or-later \
    --origin gcc --depend so:libc.musl-x86_64.so.1 --provide so:libgcc_s.so.1=1

# musl-dev: headers, start files and archives; the linker's libc.so is the base image's own loader, as in Alpine
mkdir -p "$WORK/musl-dev/usr/lib"
cp -a "$SYSROOT/usr/include" "$WORK/musl-dev/usr/"
cp -a "$SYSROOT"/usr/lib/*.o "$SYSROOT"/usr/lib/*.a "$WORK/musl-dev/usr/lib/"
link musl-dev /lib/ld-musl-x86_64.so.1 usr/lib/libc.so
pack musl-dev 1.2.5-r0 "the musl c library (libc) implementation (development files)" https://musl.libc.org/ MIT \
    --origin musl --depend musl

mkdir -p "$WORK/make/usr/bin" && cp make-4.4.1/make "$WORK/make/usr/bin/make" && strip "$WORK/make/usr/bin/make"
pack make 4.4.1-r0 "GNU make utility to maintain groups of programs" https://www.gnu.org/software/make GPL-3.0-or-later

pack build-base 0.5-r3 "Meta package for build base" https://alpinelinux.org MIT \
    --depend binutils --depend gcc --depend g++ --depend make --depend musl-dev

# 5. The index: apk-tools' own `apk index`, run in the minirootfs, then signed as the packages are.
mkdir -p "$WORK/root" && tar xzf rootfs.tar.gz -C "$WORK/root" && mkdir -p "$WORK/root/repo" && cp "$REPO"/*.apk "$WORK/root/repo/"
chroot "$WORK/root" /sbin/apk index --allow-untrusted --no-warnings -d "slimfile verify stand-in" \
    -o /repo/APKINDEX.unsigned.tar.gz $(cd "$REPO" && ls ./*.apk | sed 's|^\./|/repo/|')
python3 - "$HERE" "$KEY" "$WORK/root/repo/APKINDEX.unsigned.tar.gz" "$REPO/APKINDEX.tar.gz" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import apk
key, src, dst = sys.argv[2:]
index = open(src, "rb").read()
open(dst, "wb").write(apk.signature_stream(key, index) + index)
EOF
ls -l "$REPO" >&2
