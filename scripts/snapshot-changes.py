#!/usr/bin/env python3
"""Group the changes of the conversion snapshots by kind, for review.

    scripts/snapshot-changes.py [REV]           # working tree against REV (default: HEAD)
    scripts/snapshot-changes.py REV --show KIND # also print every change of that kind, with its file

Reads every `crates/slimfile-core/tests/snapshots/*.snap` at REV (git show) and in the working tree,
diffs them line by line and sorts each changed line into a kind: a replaced line is named by the
first rewrite below that turns the old line into the new one (`-debian12` became `-debian13`, a
builder pin dropped, ...); an added or removed line by what it is (a change note's kind, a finding's
rule, a status). Prints, per kind, how many lines and how many files; lines that fit no kind are
listed in full, so that nothing changed goes unread. Python 3 standard library and git only.
"""

import difflib
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPS = "crates/slimfile-core/tests/snapshots"

# (kind, rewrite of the old line): the first whose rewrite makes the old line equal the new one.
REPLACED = [
    ("distroless -debian12 became -debian13", lambda s: s.replace("-debian12", "-debian13")),
    ("builder pin dropped (the tag cannot move)", lambda s: re.sub(r"^(FROM \S+?)-bookworm( AS \S+)$", r"\1\2", s)),
    ("bookworm became trixie (the release the tag resolves to)", lambda s: s.replace("bookworm", "trixie")),
    ("nginx 1.27 became the maintained stable line 1.30", lambda s: s.replace("1.27-alpine", "1.30-alpine")),
    ("ldd check lists debian13's libz and libzstd", lambda s: s.replace("-debian12", "-debian13").replace("libcrypto.so.3)", "libcrypto.so.3|libz.so.1|libzstd.so.1)").replace("libcrypto.so.3|libgcc_s", "libcrypto.so.3|libz.so.1|libzstd.so.1|libgcc_s")),
]


def kind_of_line(line):
    """What an added or removed line is."""
    for prefix, name in [("change ", "change"), ("finding ", "finding"), ("reason: ", "reason"), ("status: ", "status"), ("runtime: ", "runtime family"), ("runtime_image: ", "runtime image"), ("diagnostic", "diagnostic")]:
        if line.startswith(prefix):
            if name in ("change", "finding"):
                return name + " " + line.split()[1].rstrip(":")
            return name
    if line.startswith("FROM "):
        return "FROM line"
    return "output line"


def classify(old_line, new_line):
    for name, rewrite in REPLACED:
        if rewrite(old_line) == new_line:
            return name
    a, b = kind_of_line(old_line), kind_of_line(new_line)
    if a == b:
        return f"{a} reworded"
    return None


def snapshot_texts(rev):
    names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{rev}:{SNAPS}"], capture_output=True, text=True, check=True).stdout.split()
    old = {}
    for n in names:
        if n.endswith(".snap"):
            old[n] = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{SNAPS}/{n}"], capture_output=True, text=True, check=True).stdout
    new = {p.name: p.read_text() for p in (ROOT / SNAPS).glob("*.snap")}
    return old, new


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rev = args[0] if args else "HEAD"
    show = sys.argv[sys.argv.index("--show") + 1] if "--show" in sys.argv else None
    old, new = snapshot_texts(rev)
    lines = defaultdict(list)  # kind -> [(file, old, new)]
    for name in sorted(set(old) | set(new)):
        a = old.get(name, "").splitlines()
        b = new.get(name, "").splitlines()
        if a == b:
            continue
        if not a or not b:
            lines["snapshot added" if b else "snapshot removed"].append((name, "", ""))
            continue
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            olds, news = a[i1:i2], b[j1:j2]
            # Pair replaced lines one to one where the counts agree; the rest are added or removed.
            if tag == "replace" and len(olds) == len(news):
                for o, n in zip(olds, news):
                    k = classify(o, n)
                    lines[k or "other: replaced"].append((name, o, n))
                continue
            for o in olds:
                lines["removed " + kind_of_line(o)].append((name, o, ""))
            for n in news:
                lines["added " + kind_of_line(n)].append((name, "", n))
    width = max((len(k) for k in lines), default=0)
    for k in sorted(lines, key=lambda k: (-len(lines[k]), k)):
        files = {f for f, _, _ in lines[k]}
        print(f"{k:<{width}}  {len(lines[k]):5} lines  {len(files):4} files")
    for k in sorted(lines):
        if k.startswith("other") or k == show:
            print(f"\n== {k}")
            for f, o, n in lines[k]:
                print(f"{f}\n  - {o}\n  + {n}")


if __name__ == "__main__":
    main()
