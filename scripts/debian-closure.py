#!/usr/bin/env python3
"""Installed size of the packages an `apt-get install` pulls into an official Debian-based image.

slimfile estimates, before anything is built, how many bytes an `apt-get install X` adds to an image.
This script turns Debian's package index into that number for the packages Dockerfiles install most.
Python 3 standard library only (plus the `lz4` program, only when reading apt's lz4-compressed lists).

Usage
-----
    scripts/debian-closure.py refresh      # apt lists -> trimmed snapshot -> closure JSON
    scripts/debian-closure.py compute      # committed snapshot -> closure JSON (no apt lists needed)
    scripts/debian-closure.py --check      # recompute from the committed snapshot, compare with the
                                           # committed JSON, exit 1 on any difference
    scripts/debian-closure.py show PKG[,PKG...] [--base NAME] [--recommends]   # what PKG pulls, for review
    scripts/debian-closure.py apt-check [PKG] [--base NAME]  # compare with apt-get -s (needs apt lists)

`refresh` needs `apt-get update` to have run on a Debian 12 (bookworm) machine.  Options:
`--lists DIR` (default /var/lib/apt/lists), `--corpus DIR` (default /work/shared/corpus/real).

Files (all under crates/slimfile-core/data/debian/)
-----------------------------------------------------
bookworm-Packages.trimmed.gz
    The merged index of bookworm main + bookworm-updates + bookworm-security for amd64 (for each
    package the highest version of the three, by dpkg's version ordering), keeping only the fields
    Package, Version, Installed-Size, Depends, Pre-Depends, Recommends, Provides, Priority and
    Essential; stanzas sorted by package name; gzip with mtime 0, so it is byte-for-byte
    reproducible from the same lists.  (Recommends is kept too: the with-Recommends figure needs it.)
    It is read by this script and by the crate's tests, never embedded in the library.
bookworm-closure.json
    Per package and per base image: [bytes, bytes_with_recommends, packages, packages_with_recommends].
    Only final numbers: this file is small enough to embed in the wasm build.

Method
------
* Size of a package = its `Installed-Size` field (KiB, as dpkg counts it) x 1024.  This is what
  `apt-get install` announces as "After this operation, N kB of additional disk space will be used",
  and what the package's files take on disk, give or take file-system block rounding.
* Closure of package P over base image B = the packages `apt-get install --no-install-recommends P`
  adds to B, resolved the way apt does for a consistent archive:
    - the dependencies are Depends + Pre-Depends, followed recursively, breadth-first in the order
      the fields list them;
    - a dependency already satisfied by an installed package (of B, or added earlier) adds nothing,
      whichever of its `a | b` alternatives that package is (so `default-mta | mail-transport-agent`
      adds nothing when some MTA is there);
    - otherwise the first alternative that can be installed is taken: a real package of that name,
      else (a virtual package) one of its providers through `Provides`, the one of highest Priority
      (required > important > standard > optional > extra), ties broken by name;
    - version constraints and architecture qualifiers (`:any`, `:native`) are ignored: the merged
      index is one consistent release, so the candidate version always fits.
  The with-Recommends closure (plain `apt-get install P`, since apt installs Recommends by default)
  also follows, for every newly installed package, its Recommends the same way, and theirs in turn;
  a Recommends that cannot be satisfied is skipped, as apt does.  Suggests are never followed.
* The figure is the sum of the sizes of the packages added, i.e. the closure MINUS what the base
  image already has.  It is an estimate of the layer's growth before apt's own caches: the
  /var/lib/apt/lists left by `apt-get update` are a separate item (see data/artifacts.json).
* The resolver is a model of apt's, not apt itself.  `apt-check` compares it with
  `apt-get install -s --no-install-recommends` run against a dpkg status that holds only the base
  set.  Over the debian base, it gives 533 of the 542 packages exactly apt's package set;
  the 9 others (texlive-full, biber, cheese, python3-pyroute2, libvips-dev, tk-dev, libgdal-dev,
  libxxf86vm-dev, libpango1.0-dev) differ by one to three packages -- a versioned dependency
  that a Provides does not satisfy for apt (libencode-perl), or apt choosing another alternative
  or provider -- and by at most 10 MB.

Base images (package sets; see BASES below)
--------------------------------------------
* debian  -- debian:bookworm and debian:bookworm-slim.  Both are built by debuerreotype with
  `debootstrap --variant=minbase`, i.e. every Priority: required package (and the Essential: yes
  ones, which are all required) plus apt, with their dependencies.  The set below is copied from the
  image's own package manifest, debuerreotype/docker-debian-artifacts `bookworm/rootfs.manifest`
  (amd64 and slim variants list the same 88 packages; slim only deletes docs, man pages and
  locales, it removes no package).  `tzdata` is in it (Priority: required in bookworm).
* buildpack-deps-curl, buildpack-deps-scm, buildpack-deps -- the three layers of the
  docker-library/buildpack-deps images (debian/bookworm/{curl,scm,}/Dockerfile), each installed
  with --no-install-recommends on top of the previous.  golang:*-bookworm is buildpack-deps:scm plus
  `g++ gcc libc6-dev make pkg-config` (docker-library/golang Dockerfile): base `golang`.
  node:*-bookworm, python:*-bookworm and rust:*-bookworm are FROM buildpack-deps:bookworm (the full
  one): base `buildpack-deps`.  Their own additions (python's libbluetooth-dev tk-dev uuid-dev,
  node's none from apt) are left out.
* python-slim -- python:3.x-slim-bookworm: debian plus `ca-certificates netbase tzdata` (its
  Dockerfile) and the shared libraries its interpreter links to, which the Dockerfile keeps by
  `apt-mark manual` after an ldd scan: libssl3 libsqlite3-0 libncursesw6 libreadline8 libgdbm6
  libgdbm-compat4 libffi8 libbz2-1.0 liblzma5 libuuid1 libdb5.3 zlib1g (most already in debian).

Package list
------------
The packages are those named after `apt-get install` / `apt install` in the Dockerfiles of the corpus
(--corpus, counted once per occurrence) plus WELL_KNOWN below (what Dockerfiles on GitHub install
most, from experience with the docker-library images and common tutorials); names missing from
bookworm (Ubuntu-only or old names like python-dev, libssl1.0.2) are skipped and listed under
"skipped" in the JSON.  `compute` and `--check` reuse the list already in the JSON, so they do not
depend on the corpus.
"""

import argparse
import glob
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "slimfile-core", "data", "debian")
SNAPSHOT = os.path.join(DATA, "bookworm-Packages.trimmed.gz")
CLOSURE = os.path.join(DATA, "bookworm-closure.json")

FIELDS = ["Package", "Version", "Installed-Size", "Priority", "Essential",
          "Pre-Depends", "Depends", "Recommends", "Provides"]
SUITES = ["bookworm", "bookworm-updates", "bookworm-security"]

# debuerreotype/docker-debian-artifacts bookworm/rootfs.manifest (and bookworm/slim/rootfs.manifest).
DEBIAN_BOOKWORM = """
adduser apt base-files base-passwd bash bsdutils coreutils dash debconf debian-archive-keyring
debianutils diffutils dpkg e2fsprogs findutils gcc-12-base gpgv grep gzip hostname
init-system-helpers libacl1 libapt-pkg6.0 libattr1 libaudit-common libaudit1 libblkid1 libbz2-1.0
libc-bin libc6 libcap-ng0 libcap2 libcom-err2 libcrypt1 libdb5.3 libdebconfclient0 libext2fs2
libffi8 libgcc-s1 libgcrypt20 libgmp10 libgnutls30 libgpg-error0 libhogweed6 libidn2-0 liblz4-1
liblzma5 libmd0 libmount1 libnettle8 libp11-kit0 libpam-modules libpam-modules-bin libpam-runtime
libpam0g libpcre2-8-0 libseccomp2 libselinux1 libsemanage-common libsemanage2 libsepol2
libsmartcols1 libss2 libstdc++6 libsystemd0 libtasn1-6 libtinfo6 libudev1 libunistring2 libuuid1
libxxhash0 libzstd1 login logsave mawk mount ncurses-base ncurses-bin passwd perl-base sed
sysvinit-utils tar tzdata usr-is-merged util-linux util-linux-extra zlib1g
""".split()

# docker-library/buildpack-deps debian/bookworm/curl/Dockerfile (2026; older builds had dirmngr
# instead of sq), scm/Dockerfile and Dockerfile.
BPD_CURL = "ca-certificates curl gnupg netbase sq wget".split()
BPD_SCM = "git mercurial openssh-client subversion procps".split()
BPD_FULL = """
autoconf automake bzip2 dpkg-dev file g++ gcc imagemagick libbz2-dev libc6-dev libcurl4-openssl-dev
libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev
liblzma-dev libmagickcore-dev libmagickwand-dev libmaxminddb-dev libncurses5-dev libncursesw5-dev
libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev
libxslt-dev libyaml-dev make patch unzip xz-utils zlib1g-dev default-libmysqlclient-dev
""".split()
GOLANG = "g++ gcc libc6-dev make pkg-config".split()
PYTHON_SLIM = """
ca-certificates netbase tzdata libssl3 libsqlite3-0 libncursesw6 libreadline8 libgdbm6
libgdbm-compat4 libffi8 libbz2-1.0 liblzma5 libuuid1 libdb5.3 zlib1g
""".split()

# name -> (parent base or None, packages installed on top with --no-install-recommends, images)
BASES = {
    "debian": (None, DEBIAN_BOOKWORM, ["debian:bookworm", "debian:bookworm-slim"]),
    "buildpack-deps-curl": ("debian", BPD_CURL, ["buildpack-deps:bookworm-curl"]),
    "buildpack-deps-scm": ("buildpack-deps-curl", BPD_SCM, ["buildpack-deps:bookworm-scm"]),
    "golang": ("buildpack-deps-scm", GOLANG, ["golang:*-bookworm"]),
    "buildpack-deps": ("buildpack-deps-scm", BPD_FULL,
                       ["buildpack-deps:bookworm", "node:*-bookworm", "python:*-bookworm", "rust:*-bookworm"]),
    "python-slim": ("debian", PYTHON_SLIM, ["python:*-slim-bookworm"]),
}
BASE_ORDER = ["debian", "buildpack-deps-curl", "buildpack-deps-scm", "golang", "buildpack-deps", "python-slim"]

WELL_KNOWN = """
build-essential gcc g++ make git curl wget ca-certificates python3 python3-dev python3-pip python3-venv
python3-setuptools python3-wheel python-is-python3 libpq-dev libpq5 golang-go golang default-jdk
default-jdk-headless default-jre default-jre-headless openjdk-17-jdk openjdk-17-jdk-headless
openjdk-17-jre openjdk-17-jre-headless maven gradle ant nodejs npm yarnpkg cmake pkg-config pkgconf
openssl libssl-dev libssl3 unzip zip vim vim-tiny nano less sudo gnupg gnupg2 dirmngr gpg tzdata locales
locales-all procps netcat-openbsd netcat-traditional iputils-ping iproute2 net-tools dnsutils
bind9-dnsutils jq supervisor nginx nginx-extras apache2 openssh-client openssh-server rsync lsb-release
software-properties-common apt-transport-https apt-utils xz-utils bzip2 file patch autoconf automake
libtool bison flex gettext libffi-dev zlib1g-dev libbz2-dev libreadline-dev libsqlite3-dev sqlite3
libncurses5-dev libncursesw5-dev liblzma-dev tk-dev uuid-dev libgdbm-dev libxml2-dev libxml2
libxslt1-dev libyaml-dev libcurl4-openssl-dev libcurl4 libjpeg-dev libjpeg62-turbo-dev libpng-dev
libfreetype6-dev libwebp-dev libtiff-dev libzip-dev libonig-dev libicu-dev libmagickwand-dev
imagemagick ffmpeg libgl1 libgl1-mesa-glx libglib2.0-0 libsm6 libxext6 libxrender1 libgomp1 libc6-dev
libmariadb-dev libmariadb-dev-compat default-libmysqlclient-dev default-mysql-client mariadb-client
postgresql-client redis-tools libevent-dev libmemcached-dev libgmp-dev libldap2-dev libsasl2-dev
libkrb5-dev libsodium-dev libzmq3-dev libhdf5-dev libopenblas-dev liblapack-dev libblas-dev gfortran
libboost-all-dev libboost-dev clang llvm lld gdb valgrind strace tini dumb-init gosu cron logrotate
rsyslog zstd p7zip-full htop tree telnet traceroute tcpdump git-lfs mercurial subversion
fonts-liberation fonts-dejavu fontconfig chromium chromium-driver firefox-esr xvfb xauth libnss3
libatk1.0-0 libatk-bridge2.0-0 libcups2 libdrm2 libxkbcommon0 libxcomposite1 libxdamage1 libxrandr2
libgbm1 libasound2 libpango-1.0-0 libcairo2 libxss1 libgtk-3-0 poppler-utils tesseract-ocr ghostscript
libreoffice pandoc php php-cli php-fpm ruby ruby-dev perl python3-numpy python3-yaml python3-requests
libmagic1 libmagic-dev libexpat1-dev libcap2-bin bash-completion man-db emacs-nox screen tmux dos2unix
moreutils parallel awscli docker.io cpp binutils dpkg-dev debhelper devscripts fakeroot ccache
ninja-build meson protobuf-compiler libprotobuf-dev swig libusb-1.0-0-dev libudev-dev libsystemd-dev
libdbus-1-dev libgirepository1.0-dev libcairo2-dev libpango1.0-dev libgtk-3-dev libx11-dev
libgl1-mesa-dev libglu1-mesa-dev libegl1 libvips-dev libvips42 libheif-dev libavcodec-dev
libavformat-dev libswscale-dev libopencv-dev python3-opencv libsnappy-dev liblz4-dev libzstd-dev
libbrotli-dev libgeos-dev libproj-dev gdal-bin libgdal-dev libspatialindex-dev r-base luarocks erlang
elixir rustc cargo ghc openjdk-17-jdk-headless wkhtmltopdf xfonts-75dpi xfonts-base fonts-noto-cjk
libpcre3-dev libpcre2-dev libedit-dev libncurses-dev libtinfo-dev libseccomp-dev libcap-dev
libapparmor-dev libselinux1-dev libacl1-dev libattr1-dev libaio-dev libnuma-dev libhwloc-dev
python3-psycopg2 python3-lxml python3-pil python3-cryptography python3-venv python3-full
libjemalloc2 libjemalloc-dev libtcmalloc-minimal4 google-perftools libunwind-dev libdw-dev libelf-dev
iptables nftables ipset bridge-utils kmod dbus systemd systemd-sysv openrc dbus-x11 x11-apps
xdg-utils xz-utils unrar-free cabextract lbzip2 pigz pv bc gawk sed grep findutils coreutils
util-linux e2fsprogs xfsprogs btrfs-progs lvm2 mdadm parted fdisk gdisk dosfstools nfs-common cifs-utils
ldap-utils krb5-user libnss-wrapper mailutils postfix exim4 msmtp ssmtp nullmailer
""".split()

PRIORITY_RANK = {"required": 0, "important": 1, "standard": 2, "optional": 3, "extra": 4}


# ---------------------------------------------------------------- dpkg version ordering

def _order(c):
    if c == "~":
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _verrevcmp(a, b):
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) else 0
            bc = _order(b[j]) if j < len(b) else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def _split_version(v):
    epoch, _, rest = v.partition(":") if ":" in v else ("0", "", v)
    upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "0")
    return int(epoch or 0), upstream, revision


def version_cmp(a, b):
    """dpkg's version comparison (deb-version(7))."""
    ea, ua, ra = _split_version(a)
    eb, ub, rb = _split_version(b)
    if ea != eb:
        return ea - eb
    return _verrevcmp(ua, ub) or _verrevcmp(ra, rb)


# ---------------------------------------------------------------- reading indexes

def read_text(path):
    if path.endswith(".lz4"):
        return subprocess.run(["lz4", "-dc", path], check=True, capture_output=True).stdout.decode("utf-8", "replace")
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    if path.endswith(".xz"):
        import lzma
        with lzma.open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def parse_stanzas(text, keep=FIELDS):
    """Yields dicts of the kept fields; continuation lines are folded into one line."""
    for block in text.split("\n\n"):
        d = {}
        key = None
        for line in block.split("\n"):
            if not line:
                continue
            if line[0] in " \t":
                if key in d:
                    d[key] += " " + line.strip()
                continue
            k, _, v = line.partition(":")
            key = k
            if k in keep:
                d[k] = v.strip()
        if "Package" in d:
            yield d


def find_lists(lists_dir):
    found = []
    for suite in SUITES:
        pat = os.path.join(lists_dir, "*_dists_%s_main_binary-amd64_Packages*" % suite)
        hits = sorted(p for p in glob.glob(pat) if not p.endswith(".diff_Index"))
        if not hits:
            if suite == "bookworm":
                sys.exit("no bookworm main Packages index under %s: run apt-get update on Debian 12" % lists_dir)
            continue
        found.append(hits[0])
    return found


def merged_index(paths):
    best = {}
    for p in paths:
        for st in parse_stanzas(read_text(p)):
            name = st["Package"]
            cur = best.get(name)
            if cur is None or version_cmp(st["Version"], cur["Version"]) > 0:
                best[name] = st
    return best


def write_snapshot(index, path):
    out = io.StringIO()
    for name in sorted(index):
        st = index[name]
        for f in FIELDS:
            if f in st and st[f] != "":
                out.write("%s: %s\n" % (f, st[f]))
        out.write("\n")
    raw = out.getvalue().encode("utf-8")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(raw)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def load_snapshot(path=SNAPSHOT):
    with gzip.open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return {st["Package"]: st for st in parse_stanzas(text)}


# ---------------------------------------------------------------- resolution

def parse_rel(field):
    """'a (>= 1) | b:any, c' -> [['a', 'b'], ['c']]"""
    groups = []
    if not field:
        return groups
    for group in field.split(","):
        alts = []
        for alt in group.split("|"):
            alt = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", alt).strip()
            if not alt:
                continue
            alts.append(alt.split(":")[0])
        if alts:
            groups.append(alts)
    return groups


class Archive:
    def __init__(self, index):
        self.index = index
        self.providers = {}
        for name in sorted(index):
            for grp in parse_rel(index[name].get("Provides", "")):
                for v in grp:
                    self.providers.setdefault(v, []).append(name)
        self.rel = {}

    def size(self, name):
        return int(self.index[name].get("Installed-Size", "0") or 0) * 1024

    def deps(self, name, recommends):
        key = (name, recommends)
        if key not in self.rel:
            st = self.index[name]
            groups = parse_rel(st.get("Pre-Depends", "")) + parse_rel(st.get("Depends", ""))
            rec = parse_rel(st.get("Recommends", "")) if recommends else []
            self.rel[key] = (groups, rec)
        return self.rel[key]

    def satisfied(self, alts, installed):
        for a in alts:
            if a in installed:
                return True
            for p in self.providers.get(a, ()):
                if p in installed:
                    return True
        return False

    def candidate(self, alts):
        for a in alts:
            if a in self.index:
                return a
            provs = self.providers.get(a)
            if provs:
                return min(provs, key=lambda p: (PRIORITY_RANK.get(self.index[p].get("Priority", "optional"), 3), p))
        return None

    def install(self, roots, installed, recommends=False):
        """Adds to the set `installed` what apt would install for `roots`; returns the added names."""
        installed_set = set(installed)
        added = []
        queue = []
        for r in roots:
            if r not in installed_set:
                if r not in self.index:
                    c = self.candidate([r])
                    if c is None:
                        raise KeyError(r)
                    if c in installed_set:
                        continue
                    r = c
                installed_set.add(r)
                added.append(r)
                queue.append(r)
        i = 0
        while i < len(queue):
            name = queue[i]
            i += 1
            groups, rec = self.deps(name, recommends)
            for optional, gs in ((False, groups), (True, rec)):
                for alts in gs:
                    if self.satisfied(alts, installed_set):
                        continue
                    c = self.candidate(alts)
                    if c is None:
                        if optional:
                            continue
                        # a hard dependency no package satisfies: the archive is consistent for
                        # amd64, so this only happens for arch-specific names; skip it.
                        continue
                    installed_set.add(c)
                    added.append(c)
                    queue.append(c)
        return added


def base_sets(archive):
    sets = {}
    for name in BASE_ORDER:
        parent, pkgs, _ = BASES[name]
        if parent is None:
            s = set(p for p in pkgs if p in archive.index)
        else:
            s = set(sets[parent])
            s.update(archive.install(pkgs, s, recommends=False))
        sets[name] = frozenset(s)
    return sets


def closures(archive, packages):
    bases = base_sets(archive)
    result = {}
    for pkg in packages:
        row = {}
        for b in BASE_ORDER:
            plain = archive.install([pkg], bases[b], recommends=False)
            rec = archive.install([pkg], bases[b], recommends=True)
            row[b] = [sum(archive.size(p) for p in plain), sum(archive.size(p) for p in rec), len(plain), len(rec)]
        result[pkg] = row
    return result, bases


# ---------------------------------------------------------------- package list

def corpus_counts(corpus):
    counts = {}
    for f in sorted(glob.glob(os.path.join(corpus, "**", "Dockerfile*"), recursive=True)):
        try:
            text = open(f, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        text = re.sub(r"\\\r?\n", " ", text)
        for line in text.splitlines():
            for seg in re.split(r"&&|;|\|\||\|", line):
                m = re.search(r"\bapt(?:-get)?\s+(?:\S+\s+)*?install\b(.*)", seg)
                if not m:
                    continue
                for tok in m.group(1).split():
                    if tok.startswith("-") or "$" in tok or tok.startswith("#"):
                        continue
                    tok = tok.split("=")[0].strip("\"'")
                    if re.fullmatch(r"[a-z0-9][a-z0-9+.\-]+", tok):
                        counts[tok] = counts.get(tok, 0) + 1
    return counts


def choose_packages(archive, corpus):
    counts = corpus_counts(corpus) if os.path.isdir(corpus) else {}
    names = set(counts) | set(WELL_KNOWN)
    chosen, skipped = [], []
    for n in sorted(names):
        if n in archive.index:
            chosen.append(n)
        else:
            skipped.append(n)
    return chosen, skipped, counts


# ---------------------------------------------------------------- output

def render(archive, packages, skipped, corpus_counts_used):
    result, bases = closures(archive, packages)
    doc = {
        "about": ("Bytes `apt-get install PKG` adds to an official Debian 12 (bookworm) based image, amd64: the "
                  "Installed-Size of every package in PKG's dependency closure that the base image does not "
                  "already have. Generated by scripts/debian-closure.py (its docstring is the method) from "
                  "data/debian/bookworm-Packages.trimmed.gz; do not edit by hand."),
        "source": ("Debian bookworm + bookworm-updates + bookworm-security main amd64 Packages indexes "
                   "(deb.debian.org), newest version of each package; base package sets from "
                   "debuerreotype/docker-debian-artifacts bookworm/rootfs.manifest and the docker-library "
                   "buildpack-deps, golang and python Dockerfiles."),
        "columns": ["bytes", "bytes_with_recommends", "packages", "packages_with_recommends"],
        "bases": {
            b: {
                "images": BASES[b][2],
                "parent": BASES[b][0],
                "installs": sorted(BASES[b][1]) if BASES[b][0] else [],
                "packages": len(bases[b]),
                "bytes": sum(archive.size(p) for p in bases[b]),
            }
            for b in BASE_ORDER
        },
        "corpus_counts": {k: corpus_counts_used[k] for k in sorted(corpus_counts_used) if k in result},
        "skipped": skipped,
        "packages": {p: result[p] for p in sorted(result)},
    }
    return doc


def dump(doc):
    # one package per line: readable diffs, small file
    lines = ["{"]
    keys = list(doc)
    for i, k in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        if k == "packages":
            lines.append('  "packages": {')
            pk = list(doc["packages"])
            for j, p in enumerate(pk):
                c2 = "," if j < len(pk) - 1 else ""
                lines.append("    %s: %s%s" % (json.dumps(p), json.dumps(doc["packages"][p], separators=(",", ":"), sort_keys=False), c2))
            lines.append("  }" + comma)
        elif k == "bases":
            lines.append('  "bases": {')
            bk = list(doc["bases"])
            for j, b in enumerate(bk):
                c2 = "," if j < len(bk) - 1 else ""
                lines.append("    %s: %s%s" % (json.dumps(b), json.dumps(doc["bases"][b], sort_keys=True), c2))
            lines.append("  }" + comma)
        else:
            lines.append("  %s: %s%s" % (json.dumps(k), json.dumps(doc[k], sort_keys=True), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def apt_check(archive, packages, base="debian"):
    """Compares the resolver with apt's own (`apt-get install -s`) over a status file of the base set."""
    bases = base_sets(archive)
    with tempfile.TemporaryDirectory() as d:
        status = os.path.join(d, "status")
        with open(status, "w") as f:
            for p in sorted(bases[base]):
                st = archive.index[p]
                f.write("Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\n" % (p, st["Version"]))
                for k in ("Essential", "Priority", "Pre-Depends", "Depends", "Provides"):
                    if k in st:
                        f.write("%s: %s\n" % (k, st[k]))
                f.write("Installed-Size: %s\n\n" % st.get("Installed-Size", "0"))
        worst = []
        for pkg in packages:
            out = subprocess.run(["apt-get", "-s", "-o", "Dir::State::status=" + status, "-o",
                                  "APT::Install-Recommends=false", "install", pkg],
                                 capture_output=True, text=True)
            # a package of the base set apt lists is a reinstall caused by the minimal status file
            # (it has no Multi-Arch field), not part of the closure
            apt_set = sorted(set(re.findall(r"^Inst (\S+)", out.stdout, re.M)) - bases[base])
            ours = sorted(archive.install([pkg], bases[base]))
            a_bytes = sum(archive.size(p) for p in apt_set if p in archive.index)
            o_bytes = sum(archive.size(p) for p in ours)
            if set(apt_set) != set(ours):
                worst.append((abs(a_bytes - o_bytes), pkg, sorted(set(apt_set) - set(ours)), sorted(set(ours) - set(apt_set)), a_bytes, o_bytes))
        worst.sort(reverse=True)
        print("%d of %d packages differ from apt" % (len(worst), len(packages)))
        for w in worst[:40]:
            print("%-28s apt %6.1f MB ours %6.1f MB  only-apt %s  only-ours %s" % (w[1], w[4] / 1e6, w[5] / 1e6, w[2][:6], w[3][:6]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", nargs="?", default="compute", choices=["refresh", "compute", "show", "apt-check"])
    ap.add_argument("package", nargs="?")
    ap.add_argument("--check", action="store_true", help="recompute from the snapshot and compare with the JSON")
    ap.add_argument("--lists", default="/var/lib/apt/lists")
    ap.add_argument("--corpus", default="/work/shared/corpus/real")
    ap.add_argument("--base", default="debian", choices=BASE_ORDER)
    ap.add_argument("--recommends", action="store_true")
    args = ap.parse_args()

    if args.check:
        archive = Archive(load_snapshot())
        with open(CLOSURE) as f:
            committed = json.load(f)
        doc = render(archive, list(committed["packages"]), committed["skipped"], committed["corpus_counts"])
        if dump(doc) != dump(committed):
            bad = [p for p in committed["packages"] if committed["packages"][p] != doc["packages"][p]]
            print("closure JSON differs from a recomputation from the snapshot: %s" % (bad[:20] or "metadata"), file=sys.stderr)
            return 1
        print("ok: %d packages x %d bases recomputed from %s" % (len(committed["packages"]), len(BASE_ORDER), os.path.relpath(SNAPSHOT, ROOT)))
        return 0

    if args.mode == "refresh":
        write_snapshot(merged_index(find_lists(args.lists)), SNAPSHOT)
        archive = Archive(load_snapshot())
        chosen, skipped, counts = choose_packages(archive, args.corpus)
        with open(CLOSURE, "w") as f:
            f.write(dump(render(archive, chosen, skipped, counts)))
        print("wrote %s and %s (%d packages, %d skipped)" % (SNAPSHOT, CLOSURE, len(chosen), len(skipped)))
        return 0

    archive = Archive(load_snapshot())
    if args.mode == "compute":
        with open(CLOSURE) as f:
            committed = json.load(f)
        doc = render(archive, list(committed["packages"]), committed["skipped"], committed["corpus_counts"])
        with open(CLOSURE, "w") as f:
            f.write(dump(doc))
        print("wrote %s" % CLOSURE)
        return 0
    if args.mode == "show":
        bases = base_sets(archive)
        # `show a,b,c`: what installing them together adds (shared dependencies counted once).
        added = archive.install(args.package.split(","), bases[args.base], recommends=args.recommends)
        for p in sorted(added, key=lambda p: -archive.size(p)):
            print("%10d  %s" % (archive.size(p), p))
        print("%10d  total, %d packages" % (sum(archive.size(p) for p in added), len(added)))
        return 0
    if args.mode == "apt-check":
        with open(CLOSURE) as f:
            committed = json.load(f)
        pk = [args.package] if args.package else list(committed["packages"])
        apt_check(archive, pk, args.base)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
