#!/usr/bin/env python3
"""The runtime library package of each `-dev` package, per Debian and Ubuntu release, from the archives.

A program built against a header package (`libsqlite3-dev`) links the shared library of the same source
package (`libsqlite3-0`); a runtime stage without the compilers must install that library package, whose
name differs between releases (`libmariadbclient18` on buster, `libmariadb3` later; `libssl3` on bookworm,
`libssl3t64` on trixie and noble). This script reads each release's package index with apt itself and
writes, for every apt `-dev` entry of crates/slimfile-core/data/packages.json that a program links (not the
header-only ones), `runtime` (bookworm's) and `runtime_by_release`: every release read when the answers differ
between releases (the engine then trusts the mapping only on the releases it names), else the 64-bit time_t
releases (where the engine trusts a mapping only when it is named).

The rule: the runtime packages of `-dev` package D on release R are D's direct dependencies (Depends) that
are binary packages of D's own source package, other than `-dev`, `-doc`, `-common`, `-data`, `-bin`,
`-tools`, `-utils` and `-devtools` packages, headers and introspection typelibs, named `lib…` or after D
(libsqlite3-dev -> libsqlite3-0, zlib1g-dev -> zlib1g,
libmariadb-dev -> libmariadb3, libluajit-5.1-dev -> libluajit-5.1-2). A D with none that only stands for other
`-dev` packages (default-libmysqlclient-dev) has theirs, and a `-dev` package of D's own source that D
depends on adds its own (libncursesw5-dev: libncurses-dev's libncursesw6). A D whose answer is still empty on
a release is left out there.

Usage
-----
    scripts/dev-runtime-packages.py update        # apt-get update into the cache (needs the archives)
    scripts/dev-runtime-packages.py show [DEV...] # the answers, for review
    scripts/dev-runtime-packages.py write         # rewrite the entries of data/packages.json
    scripts/dev-runtime-packages.py --check       # compare with the committed data, exit 1 on a difference

The cache is ~/.cache/slimfile/apt-dev-runtime (or $SLIMFILE_APT_CACHE). Debian's indices are verified with
debian-archive-keyring; Ubuntu's are read over HTTPS unverified (no Ubuntu keyring is packaged for Debian 12),
which is enough for package names and dependencies.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "crates/slimfile-core/data/packages.json"
CACHE = Path(os.environ.get("SLIMFILE_APT_CACHE", Path.home() / ".cache/slimfile/apt-dev-runtime"))

RELEASES = {
    "bullseye": ("debian", "https://deb.debian.org/debian", ["main"]),
    "bookworm": ("debian", "https://deb.debian.org/debian", ["main"]),
    "trixie": ("debian", "https://deb.debian.org/debian", ["main"]),
    "focal": ("ubuntu", "https://archive.ubuntu.com/ubuntu", ["main", "universe"]),
    "jammy": ("ubuntu", "https://archive.ubuntu.com/ubuntu", ["main", "universe"]),
    "noble": ("ubuntu", "https://archive.ubuntu.com/ubuntu", ["main", "universe"]),
}
DEFAULT = "bookworm"
# Releases renamed for the 64-bit time_t transition (knowledge/packages.rs T64_RELEASES).
T64 = {"trixie", "noble"}
# -dev packages to teach, beyond the entries already there: (name, why it is here).
NEW = [
    ("libluajit-5.1-dev", "LuaJIT, embedded by C servers (nginx/OpenResty modules, game servers)"),
    ("libelf-dev", "libelf, for eBPF and tracing tools"),
    ("libmnl-dev", "libmnl, netlink (wireguard-tools, iproute2 plugins)"),
    ("libasound2-dev", "ALSA, for audio programs"),
    ("libhiredis-dev", "hiredis, the Redis C client"),
    ("libprotobuf-dev", "protobuf's C++ runtime"),
    ("libprotobuf-c-dev", "protobuf-c"),
    ("libcap-dev", "libcap"),
    ("libseccomp-dev", "libseccomp"),
    ("libsystemd-dev", "libsystemd"),
    ("libudev-dev", "libudev"),
    ("libusb-1.0-0-dev", "libusb 1.0"),
    ("libpcap-dev", "libpcap"),
    ("liblz4-dev", "lz4"),
    ("libsnappy-dev", "snappy"),
    ("libsasl2-dev", "Cyrus SASL"),
    ("libldap2-dev", "OpenLDAP's client library"),
    ("libkrb5-dev", "MIT Kerberos"),
    ("libexpat1-dev", "expat"),
    ("libonig-dev", "oniguruma"),
    ("libcjson-dev", "cJSON"),
    ("libjansson-dev", "jansson"),
    ("libmicrohttpd-dev", "GNU libmicrohttpd"),
    ("libzmq3-dev", "ZeroMQ"),
]
SKIP_SUFFIXES = ("-dev", "-multidev", "-doc", "-common", "-data", "-bin", "-tools", "-utils", "-devtools")
# Same-source packages that are no shared library a C program links: headers (ImageMagick's
# `-arch-config` is "architecture header files"), GObject introspection typelibs, Java bindings.
SKIP_PARTS = ("-headers", "-arch-config", "gir1.2-", "gobject-introspection")
SKIP_SUFFIXES_BINDINGS = ("-java", "-jni")
# -dev entries whose package is a toolchain's headers, not a library's (php-dev, dpkg-dev, nodejs-dev).
NOT_LIBRARIES = ("php-dev", "dpkg-dev", "nodejs-dev", "python-dev", "python3-dev", "ruby-dev", "perl-dev")


def apt_update():
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (CACHE / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    lines = []
    for rel, (distro, url, comps) in RELEASES.items():
        opts = "signed-by=/usr/share/keyrings/debian-archive-keyring.gpg" if distro == "debian" else "trusted=yes"
        lines.append(f"deb [arch=amd64 {opts}] {url} {rel} {' '.join(comps)}")
    (CACHE / "sources.list").write_text("\n".join(lines) + "\n")
    subprocess.run(
        [
            "apt-get", "update", "-q",
            "-o", f"Dir::Etc::SourceList={CACHE / 'sources.list'}",
            "-o", "Dir::Etc::SourceParts=-",
            "-o", f"Dir::State::Lists={CACHE / 'lists'}",
            "-o", f"Dir::Cache={CACHE}",
            "-o", "Acquire::Languages=none",
            "-o", "Acquire::GzipIndexes=false",
            "-o", "APT::Architecture=amd64",
            "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
        ],
        check=True,
    )


def read_index(rel):
    """{package: (source, [direct dependency names])} of a release, from the cached lists."""
    out = {}
    files = sorted(p for p in (CACHE / "lists").glob(f"*_dists_{rel}_*_binary-amd64_Packages"))
    if not files:
        sys.exit(f"no package index for {rel} in {CACHE}: run `update` first")
    for path in files:
        for stanza in path.read_text(errors="replace").split("\n\n"):
            fields = {}
            key = None
            for line in stanza.splitlines():
                if line.startswith(" ") and key:
                    fields[key] += " " + line.strip()
                elif ":" in line:
                    key, _, value = line.partition(":")
                    fields[key] = value.strip()
            name = fields.get("Package")
            if not name:
                continue
            source = fields.get("Source", name).split(" ")[0]
            deps = []
            for alt in fields.get("Depends", "").split(","):
                first = alt.split("|")[0].strip()
                m = re.match(r"([a-z0-9][a-z0-9+.-]*)", first)
                if m:
                    deps.append(m.group(1))
            out.setdefault(name, (source, deps))
    return out


def runtime_of(index, dev, depth=0):
    if dev not in index:
        return None
    source, deps = index[dev]
    stem = dev.removesuffix("-dev")
    libs = [
        d for d in deps
        if index.get(d, ("",))[0] == source and not d.endswith(SKIP_SUFFIXES + SKIP_SUFFIXES_BINDINGS) and not any(x in d for x in SKIP_PARTS)
        and (d.startswith("lib") or d == stem or d.startswith(stem))
    ]
    if depth < 2:
        # A -dev package that stands for others of its source (libncursesw5-dev for libncurses-dev,
        # libmariadb-dev-compat, libkrb5-dev through krb5-multidev), or only for others
        # (default-libmysqlclient-dev): their libraries too.
        for d in deps:
            same = index.get(d, ("",))[0] == source
            if ("-dev" in d or d.endswith("-multidev")) and (same or not libs):
                libs += runtime_of(index, d, depth + 1) or []
    return sorted(set(libs), key=libs.index)


def devs_to_map(data):
    names = []
    for e in data["packages"]:
        if (
            e["manager"] == "apt"
            and e["name"].endswith(("-dev", "-dev-compat"))
            and e["role"] == "build"
            and not e.get("header_only")
            and "toolchain" not in e
            and e["name"] not in NOT_LIBRARIES
        ):
            names.append(e["name"])
    names += [n for n, _ in NEW if n not in names]
    return names


def answers(names):
    indices = {rel: read_index(rel) for rel in RELEASES}
    return {n: {rel: runtime_of(idx, n) for rel, idx in indices.items()} for n in names}


def source_of(name, by_rel):
    urls = []
    for rel, libs in by_rel.items():
        if libs:
            urls.append(f"{rel}: {', '.join(libs)}")
    return (
        f"https://packages.debian.org/bookworm/{name} and https://packages.ubuntu.com/noble/{name} "
        f"(headers; the shared library is the same source's package, per release: {'; '.join(urls)}; "
        "derived by scripts/dev-runtime-packages.py)"
    )


def updated(data):
    names = devs_to_map(data)
    found = answers(names)
    entries = {e["name"]: e for e in data["packages"] if e["manager"] == "apt"}
    for name in names:
        by_rel = found[name]
        default = by_rel.get(DEFAULT)
        if not default:
            # Not in bookworm: keep what the file says; the releases that have it still count.
            default = entries[name]["runtime"] if name in entries else []
        # Names that differ between releases (libicu72, libgdal32) are written for every release read, bookworm's
        # too: the engine trusts such a mapping only on the releases it names, not on one this script does not
        # read (buster, bionic), where bookworm's name would not install.
        varies = any(libs and libs != default for libs in by_rel.values())
        overrides = {rel: libs for rel, libs in by_rel.items() if libs and (varies or (rel != DEFAULT and (libs != default or rel in T64)))}
        if name in entries:
            e = entries[name]
            if not by_rel.get(DEFAULT) and not overrides:
                continue
            # Releases this script does not read (buster) keep what the file says.
            kept = {rel: libs for rel, libs in e.get("runtime_by_release", {}).items() if rel not in RELEASES}
            e["runtime"] = default
            e["runtime_by_release"] = {**overrides, **kept}
            e["source"] = source_of(name, by_rel)
        elif default or overrides:
            entry = {"manager": "apt", "name": name, "role": "build", "runtime": default, "source": source_of(name, by_rel), "runtime_by_release": overrides}
            data["packages"].append(entry)
    return data


def render(data):
    lines = ["{"]
    keys = list(data.keys())
    for k in keys:
        v = data[k]
        comma = "," if k != keys[-1] else ""
        if isinstance(v, list):
            lines.append(f"  {json.dumps(k)}: [")
            for i, item in enumerate(v):
                end = "," if i + 1 < len(v) else ""
                lines.append(f"    {json.dumps(item, ensure_ascii=False)}{end}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    if args[0] == "update":
        apt_update()
        return 0
    data = json.loads(DATA.read_text())
    if args[0] == "show":
        names = args[1:] or devs_to_map(data)
        for n, by_rel in answers(names).items():
            print(n, json.dumps(by_rel))
        return 0
    if args[0] == "write":
        DATA.write_text(render(updated(data)))
        print(f"wrote {DATA}")
        return 0
    if args[0] == "--check":
        if render(updated(json.loads(DATA.read_text()))) != DATA.read_text():
            print(f"{DATA} differs from what the package indices give: run scripts/dev-runtime-packages.py write", file=sys.stderr)
            return 1
        print("packages.json's -dev mappings are up to date")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
