#!/usr/bin/env python3
"""The runtime package of each `-dev` package, per Debian release, from Debian's own package index.

slimfile's package data (crates/slimfile-core/data/packages.json) names, for each header package a
Dockerfile installs to build (`libxml2-dev`), the library package the app needs at run time
(`libxml2`). The names are bookworm's (`runtime`); releases where some were renamed (the 64-bit time_t
transition: `libssl3` became `libssl3t64` in trixie) need their own (`runtime_by_release`), or the
engine treats the mapping as unknown there. This script derives them from the release's index:

    scripts/runtime-packages.py                    # trixie: read the index, write runtime_by_release.trixie
    scripts/runtime-packages.py --release trixie --check   # write nothing; exit 1 when the file would change
    scripts/runtime-packages.py --validate bookworm        # derive bookworm's and compare with `runtime`

The index (main, amd64) is fetched with apt under a temporary configuration (nothing of the machine's own
apt state is used or changed) and verified with Debian's archive keyring
(/usr/share/keyrings/debian-archive-keyring.gpg); `--packages FILE` reads a Packages file instead.

Method: the libraries a -dev package D brings are the packages D depends on (Depends and Pre-Depends,
every alternative) that are built from D's own source package and are not -dev, -doc, -common, -bin,
-tools or -data packages; -dev packages D depends on (`libjpeg-dev` -> `libjpeg62-turbo-dev`,
`default-libmysqlclient-dev` -> `libmariadb-dev`) are followed the same way. Each of the entry's
bookworm runtime names (`runtime`) is then mapped to the one library D brings in the release with the
same name, else its `t64` rename, else the same library at another soname (`libicu72` -> `libicu76`);
when one has no such single match, the entry keeps no value for the release (unknown there, and the
engine refuses rather than guess). `--validate bookworm` runs the same mapping on bookworm's index,
where every name must map to itself.
Python 3 standard library, apt-get.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "crates/slimfile-core/data/packages.json"


def fetch_index(release):
    """The text of `release`'s main/binary-amd64 Packages, through apt (signature checked)."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "sources.list"), "w") as f:
            f.write(f"deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] https://deb.debian.org/debian {release} main\n")
        for d in ("lists/partial", "cache/archives/partial"):
            os.makedirs(os.path.join(tmp, d))
        opts = ["-o", f"Dir::Etc::SourceList={tmp}/sources.list", "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", f"Dir::State::Lists={tmp}/lists", "-o", f"Dir::Cache={tmp}/cache", "-o", "Dir::State::Status=/dev/null",
                "-o", "APT::Architectures=amd64", "-o", "Acquire::GzipIndexes=false", "-o", "Acquire::Languages=none",
                "-o", "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false",
                "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"]
        r = subprocess.run(["apt-get", *opts, "update"], capture_output=True, text=True)
        lists = [p for p in Path(tmp, "lists").iterdir() if p.name.endswith(f"_dists_{release}_main_binary-amd64_Packages")]
        if r.returncode != 0 or not lists:
            sys.exit(f"apt-get update for {release} failed:\n{r.stdout}{r.stderr}")
        return lists[0].read_text(encoding="utf-8", errors="replace")


def parse_index(text):
    """{package: (source, [dependency names])} (the highest version's, when several)."""
    out = {}
    for stanza in text.split("\n\n"):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith((" ", "\t")) and key:
                fields[key] += " " + line.strip()
                continue
            if ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        name = fields.get("Package")
        if not name:
            continue
        source = re.sub(r"\s*\(.*\)$", "", fields.get("Source", name))
        deps = []
        for field in ("Pre-Depends", "Depends"):
            for alt in fields.get(field, "").split(","):
                for option in alt.split("|"):
                    m = re.match(r"\s*([a-z0-9][a-z0-9+.-]*)", option)
                    if m:
                        deps.append(m.group(1))
        out[name] = (source, deps)
    return out


def libraries_of(dev, index):
    """The library packages `dev` brings: what it and the -dev packages it depends on (followed
    recursively) depend on from their own source package, other than -dev, -doc, -common, -bin, -tools
    and -data packages."""
    if dev not in index:
        return []
    found, seen, todo = [], {dev}, [dev]
    while todo:
        pkg = todo.pop(0)
        source, deps = index[pkg]
        for d in deps:
            if d in seen or d not in index:
                continue
            if d.endswith("-dev"):
                seen.add(d)
                todo.append(d)
            elif index[d][0] == source and not re.search(r"-(doc|common|bin|tools|data)$", d):
                seen.add(d)
                found.append(d)
    return found


def stem(name):
    """A library package's name without its version numbers and `t64` (`libicu72` -> `libicu`)."""
    return re.sub(r"t64$", "", re.sub(r"[0-9.]+", "", name)).rstrip("-")


def runtime_of(entry, index):
    """The release's names of the entry's (bookworm) runtime packages: each the same name, its `t64`
    rename or the same library at another soname version, and always one the release's -dev package
    brings (`libraries_of`). [] when one of them has no such name."""
    brought = libraries_of(entry["name"], index)
    out = []
    for r in entry["runtime"]:
        same = [b for b in brought if b == r] or [b for b in brought if b == r + "t64"] or [b for b in brought if stem(b) == stem(r)]
        if len(same) != 1:
            return []
        out.append(same[0])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--release", default="trixie")
    ap.add_argument("--packages", help="a Packages file to read instead of fetching the index")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file would change")
    ap.add_argument("--validate", metavar="RELEASE", help="derive RELEASE's names and compare them with `runtime` (bookworm's)")
    args = ap.parse_args()
    release = args.validate or args.release
    index = parse_index(Path(args.packages).read_text() if args.packages else fetch_index(release))
    doc = json.loads(DATA.read_text())
    entries = [e for e in doc["packages"] if e["manager"] == "apt" and e.get("runtime")]
    if args.validate:
        same = 0
        for e in entries:
            derived = runtime_of(e, index)
            if sorted(derived) == sorted(e["runtime"]):
                same += 1
            else:
                print(f"{e['name']}: data {e['runtime']}, derived {derived}")
        print(f"{same} of {len(entries)} agree")
        return
    text = DATA.read_text()
    changed = 0
    for e in entries:
        derived = runtime_of(e, index)
        old = e.get("runtime_by_release", {}).get(release)
        if not derived or derived == old:
            continue
        # Edit the entry's own line, so that the file keeps its one-entry-a-line layout.
        line = next(l for l in text.splitlines() if f'"name": {json.dumps(e["name"])}' in l and '"manager": "apt"' in l)
        entry = json.loads(line.strip().rstrip(","))
        entry.setdefault("runtime_by_release", {})[release] = derived
        note = f" {release}: https://packages.debian.org/{release}/{e['name']} (derived by scripts/runtime-packages.py)"
        if note not in entry["source"]:
            entry["source"] += note
        new = line[: len(line) - len(line.lstrip())] + json.dumps(entry, ensure_ascii=False) + ("," if line.rstrip().endswith(",") else "")
        text = text.replace(line, new)
        changed += 1
        print(f"{e['name']}: {release} {derived}" + (f" (was {old})" if old else ""))
    print(f"{changed} entries change")
    if args.check:
        sys.exit(1 if changed else 0)
    json.loads(text)
    DATA.write_text(text)


if __name__ == "__main__":
    main()
