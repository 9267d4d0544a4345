#!/usr/bin/env python3
"""What slimfile knows about current images, derived from upstream data.

Reads the upstream repositories (local git mirrors, no work tree needed) and the Debian archive's
distro-info-data package, and writes four data files under crates/slimfile-core/data/:

    official-images.json   every tag each official image has published (docker-library/official-images,
                           the whole history of library/<name>), the release each tag resolves to, and
                           since when
    distroless.json        the distroless images per Debian release, their language versions, when the
                           README listed them, and their support window (GoogleContainerTools/distroless)
    dotnet-images.json     the tags of Microsoft's .NET images, per registry and repository
                           (dotnet/dotnet-docker manifest.json history)
    support.json           support windows per family and version (Debian, Ubuntu, Alpine, Node.js,
                           Python, Go, Ruby, Java (Temurin), .NET, nginx), each with its source

Python 3.11+ standard library only (tomllib); `git`, and `apt-get` + `dpkg-deb` for distro-info-data.

Usage
-----
    scripts/image-knowledge.py                 # read the mirrors, write the four files, print a summary
    scripts/image-knowledge.py --check         # write nothing; exit 1 when a file would change
    scripts/image-knowledge.py --mirror-dir D  # mirrors under D/<owner>+<name>/repo

Each mirror is a git directory (bare or not). Its path comes from the environment variable named in
MIRRORS below, else from --mirror-dir (default /work/.mirror). distro-info-data comes from
DISTRO_INFO_DEB (a .deb file) or else `apt-get download distro-info-data` into a temporary folder.

The output is deterministic: the same mirrors give byte-identical files (sorted keys, sorted lists,
no timestamps but the upstream commit dates). docs/knowledge.md describes every field.
"""

import argparse
import collections
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "slimfile-core", "data")

# env var -> GitHub repository
MIRRORS = {
    "OFFICIAL_IMAGES_GIT": "docker-library/official-images",
    "DISTROLESS_GIT": "GoogleContainerTools/distroless",
    "DOTNET_DOCKER_GIT": "dotnet/dotnet-docker",
    "DOTNET_CORE_GIT": "dotnet/core",
    "NODEJS_RELEASE_GIT": "nodejs/Release",
    "PYTHON_PEPS_GIT": "python/peps",
    "RUBY_WEBSITE_GIT": "ruby/www.ruby-lang.org",
    "ADOPTIUM_WEBSITE_GIT": "adoptium/adoptium.net",
    "NGINX_GIT": "nginx/nginx",
    "ENDOFLIFE_GIT": "endoflife-date/endoflife.date",
}

# The official images slimfile reads or writes: images-roles.json and toolchain-images.json name them.
OFFICIAL = """
alpine amazoncorretto buildpack-deps busybox centos debian eclipse-temurin fedora gcc golang gradle httpd
maven nginx node openjdk php python ruby rust ubuntu
""".split()

# The repositories whose exact tag table the engine embeds: the ones whose tags slimfile writes (a
# builder it pins to a release, a runtime it emits). The other repositories' tags are in the file (for
# tests and review) and their resolution is embedded, but not their tag list.
TAG_TABLE = "alpine buildpack-deps debian eclipse-temurin gcc golang node python ruby rust ubuntu nginx".split()

# The images whose version (the first word of the tag) is a version of a support family.
FAMILY_IMAGES = {
    "alpine": ["alpine"], "debian": ["debian"], "ubuntu": ["ubuntu"], "go": ["golang"], "node": ["node"],
    "python": ["python"], "ruby": ["ruby"], "java": ["eclipse-temurin"], "nginx": ["nginx"],
    "dotnet": ["microsoft/dotnet"] + ["mcr.microsoft.com/dotnet/" + r for r in
               ("aspnet", "runtime", "runtime-deps", "sdk", "core/aspnet", "core/runtime", "core/runtime-deps", "core/sdk")],
}

# The engine's tables keep the versions an image still had on or after this day; a version all of whose
# tags were gone before it is answered "unknown" there (the data files keep every version).
TABLE_SINCE = "2021-01-01"

# The images whose tags slimfile writes with a major version only (`eclipse-temurin:17-jre`): the
# engine's table keeps their major versions (the data file keeps every version).
MAJORS_ONLY = ["eclipse-temurin"]

# Microsoft's .NET repositories read (the images a .NET build or run stage uses, under every name they
# have had), and those whose tag list the engine embeds (the runtimes it writes).
DOTNET_REPOS = """
docker.io/microsoft/dotnet mcr.microsoft.com/dotnet/aspnet mcr.microsoft.com/dotnet/core/aspnet
mcr.microsoft.com/dotnet/core/runtime mcr.microsoft.com/dotnet/core/runtime-deps mcr.microsoft.com/dotnet/core/sdk
mcr.microsoft.com/dotnet/runtime mcr.microsoft.com/dotnet/runtime-deps mcr.microsoft.com/dotnet/sdk
""".split()
DOTNET_TAG_TABLE = ["mcr.microsoft.com/dotnet/" + r for r in ("aspnet", "runtime", "runtime-deps")]


class Git:
    def __init__(self, path):
        self.path = path

    def run(self, *args, inp=None):
        r = subprocess.run(["git", "--git-dir", self.path, *args], input=inp, capture_output=True)
        if r.returncode != 0:
            raise SystemExit(f"git {' '.join(args)} in {self.path}: {r.stderr.decode().strip()}")
        return r.stdout

    def text(self, *args):
        return self.run(*args).decode("utf-8", "replace")

    def head(self):
        """(commit, date) of HEAD."""
        h, d = self.text("log", "-1", "--format=%H %cI", "HEAD").split()
        return h, d[:10]

    def show(self, rev, path):
        return self.text("show", f"{rev}:{path}")

    def exists(self, rev, path):
        r = subprocess.run(["git", "--git-dir", self.path, "cat-file", "-e", f"{rev}:{path}"], capture_output=True)
        return r.returncode == 0

    def history(self, *paths):
        """Every version of `paths` on the first-parent history, oldest first:
        [(commit, date, {path: blob or None})]."""
        out = self.text("log", "--first-parent", "--format=C %H %cI", "--raw", "--no-abbrev", "HEAD", "--", *paths)
        res = []
        for line in out.splitlines():
            if line.startswith("C "):
                _, h, d = line.split()
                res.append((h, d[:10], {}))
            elif line.startswith(":"):
                meta, path = line.split("\t", 1)
                blob = meta.split()[3]
                res[-1][2][path] = None if set(blob) == {"0"} else blob
        res.reverse()
        return res

    def blobs(self, shas):
        """{sha: text} for blob ids, read in one `cat-file --batch`."""
        shas = sorted(set(shas))
        out = self.run("cat-file", "--batch", inp="".join(s + "\n" for s in shas).encode())
        res, i = {}, 0
        for s in shas:
            nl = out.index(b"\n", i)
            size = int(out[i:nl].split()[2])
            res[s] = out[nl + 1 : nl + 1 + size].decode("utf-8", "replace")
            i = nl + 1 + size + 1
        return res

    def file_versions(self, *paths):
        """[(commit, date, {path: text or None})], oldest first, each path's text carried forward."""
        hist = self.history(*paths)
        texts = self.blobs([b for _, _, m in hist for b in m.values() if b])
        cur, res = {}, []
        for h, d, m in hist:
            for p, b in m.items():
                cur[p] = texts[b] if b else None
            res.append((h, d, dict(cur)))
        return res


def mirror(args, env):
    path = os.environ.get(env)
    if not path:
        path = os.path.join(args.mirror_dir, MIRRORS[env].replace("/", "+"), "repo")
    if os.path.isdir(os.path.join(path, ".git")):
        path = os.path.join(path, ".git")
    if not os.path.exists(path):
        raise SystemExit(f"{MIRRORS[env]}: no mirror at {path} (set {env} or --mirror-dir)")
    return Git(path)


def source_entry(repo, git):
    commit, date = git.head()
    return {"repository": f"https://github.com/{repo}", "commit": commit, "date": date}


# ---------------------------------------------------------------------------------------------------
# Natural version order: numbers compare as numbers, words after numbers.

def nat_key(v):
    parts = re.findall(r"\d+|[A-Za-z]+", v)
    return (not v[:1].isdigit(), [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts], v)


def month_end(year, month):
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).isoformat()


MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}


def month_date(text):
    """'Sept 2026' / 'Jan 2026' / 'April 2026' -> ('2026-09', 'month')."""
    m = re.match(r"^\s*([A-Za-z]+)\.?\s+(\d{4})\s*$", text)
    if not m or m.group(1)[:3].lower() not in MONTHS:
        return None
    return f"{m.group(2)}-{MONTHS[m.group(1)[:3].lower()]:02d}"


# ---------------------------------------------------------------------------------------------------
# distro-info-data: Debian and Ubuntu releases.

def distro_info():
    deb = os.environ.get("DISTRO_INFO_DEB")
    with tempfile.TemporaryDirectory() as tmp:
        if not deb:
            r = subprocess.run(["apt-get", "download", "distro-info-data"], cwd=tmp, capture_output=True)
            debs = [f for f in os.listdir(tmp) if f.endswith(".deb")]
            if not debs:
                raise SystemExit("apt-get download distro-info-data failed (set DISTRO_INFO_DEB): " + r.stderr.decode())
            deb = os.path.join(tmp, debs[0])
        version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, check=True).stdout.decode().strip()
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
        base = os.path.join(tmp, "x", "usr", "share", "distro-info")
        tables = {}
        import gzip
        with gzip.open(os.path.join(tmp, "x", "usr", "share", "doc", "distro-info-data", "changelog.gz"), "rt") as f:
            trailer = next(l for l in f if l.startswith(" -- "))
        tables["date"] = dt.datetime.strptime(trailer.split(">", 1)[1].strip()[:16], "%a, %d %b %Y").date().isoformat()
        for name in ("debian", "ubuntu"):
            with open(os.path.join(base, name + ".csv")) as f:
                lines = [l.rstrip("\n").split(",") for l in f if l.strip()]
            head = lines[0]
            tables[name] = [dict(zip(head, row)) for row in lines[1:]]
    return version, tables


# ---------------------------------------------------------------------------------------------------
# docker-library/official-images

SNAPSHOT = re.compile(r"^\d{8}(\.\d+)?$")
PRERELEASE_WORD = re.compile(r"^(rc|ea|alpha|beta|preview|dev)[\d.]*$")
PRERELEASE_VERSION = re.compile(r"^\d[\w.]*?(a|b|rc|alpha|beta|preview|ea)\d*$")
WINDOWS = re.compile(r"^(windowsservercore|nanoserver|ltsc\d+|\d{4}|1809|1903|1909|2004|20H2|sac\d+)$", re.I)


def excluded_class(tag):
    toks = tag.split("-")
    if any(t.startswith(("windowsservercore", "nanoserver")) or t == "windows" for t in toks):
        return "windows"
    if any(SNAPSHOT.match(t) for t in toks):
        return "snapshot"
    if any(PRERELEASE_WORD.match(t) for t in toks) or PRERELEASE_VERSION.match(toks[0]):
        return "prerelease"
    if re.match(r"^\d[\d.]*-p\d+$", tag) or any(re.match(r"^p\d+$", t) for t in toks[1:]):
        return "prerelease"  # ruby's 2.1.2-p95 style patch-level tags of 2014
    return None


def parse_library(text):
    """Blocks of a library/<name> file: [{tags, shared, directory, architectures, fetch}]."""
    if re.search(r"^(Maintainers|GitRepo|Tags|SharedTags):", text, re.M):
        paras, cur = [], {}
        for line in text.splitlines() + [""]:
            s = line.strip()
            if not s:
                if cur:
                    paras.append(cur)
                cur = {}
                continue
            if s.startswith("#"):
                continue
            m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
            if m:
                cur[m.group(1)] = m.group(2).strip()
                last = m.group(1)
            elif line[:1].isspace() and cur:
                cur[last] = cur[last] + " " + s
        header = paras[0] if paras and "Tags" not in paras[0] and "SharedTags" not in paras[0] else {}
        out = []
        for p in paras:
            if "Tags" not in p and "SharedTags" not in p:
                continue
            f = dict(header)
            f.update(p)
            split = lambda k: [t.strip() for t in f.get(k, "").split(",") if t.strip()]
            out.append({
                "tags": split("Tags"),
                "shared": split("SharedTags"),
                "directory": f.get("Directory", ""),
                "architectures": split("Architectures"),
                "fetch": f.get("GitFetch", ""),
            })
        return out
    # One line per tag: `tag: git://repo@commit dir`, and before it `tag  git://repo  B:branch|C:commit`.
    blocks = collections.OrderedDict()
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.match(r"^([^:\s]+)\s*:\s*(\S+?)@(\S+)(?:\s+(\S+))?\s*$", s) or re.match(
            r"^(\S+)\s+(git://\S+|https://\S+)(?:\s+[BC]:(\S+))?()\s*$", s)
        if not m:
            continue
        tag, repo, ref, d = m.groups()
        blocks.setdefault((repo, ref or "", d or ""), []).append(tag)
    return [{"tags": t, "shared": [], "directory": k[2], "architectures": [], "fetch": ""} for k, t in blocks.items()]


class Releases:
    """Release words in tags and directories: Debian and Ubuntu codenames (distro-info-data), alpine3.N,
    Amazon Linux (al2, al2023), Oracle Linux, UBI."""

    def __init__(self, info):
        self.words = {}
        for row in info["debian"]:
            if row["series"] in ("sid", "experimental"):
                continue
            self.words[row["series"]] = ("debian", row["version"])
        for row in info["ubuntu"]:
            self.words[row["series"]] = ("ubuntu", row["version"].replace(" LTS", ""))

    def in_text(self, text):
        """Release words named in a tag or directory (a set of words like 'trixie', 'alpine3.24')."""
        found = set()
        low = text.lower()
        for m in re.finditer(r"alpine[-/]?(\d+\.\d+)", low):
            found.add("alpine" + m.group(1))
        for tok in re.split(r"[-/_.]", low):
            if tok in self.words:
                found.add(tok)
        for m in re.finditer(r"(?:^|[-/])(al2023|al2|amazonlinux2023|amazonlinux2)(?=$|[-/])", low):
            found.add({"amazonlinux2023": "al2023", "amazonlinux2": "al2"}.get(m.group(1), m.group(1)))
        for m in re.finditer(r"(?:^|[-/])oraclelinux(\d+)(?=$|[-/])", low):
            found.add("oraclelinux" + m.group(1))
        for m in re.finditer(r"(?:^|[-/])ubi(\d+)(?=$|[-/])", low):
            found.add("ubi" + m.group(1))
        return found

    def describe(self, word):
        if word in self.words:
            distro, version = self.words[word]
            return {"distro": distro, "version": version}
        for pattern, distro in (("alpine", "alpine"), ("al", "amazonlinux"), ("oraclelinux", "oraclelinux"), ("ubi", "ubi")):
            m = re.match(rf"^{pattern}(\d+(?:\.\d+)?)$", word)
            if m:
                return {"distro": distro, "version": m.group(1)}
        raise ValueError(word)


def block_release(rel, name, blk, date, debian_rows):
    """The release a block's image is built on, or None when neither its tags nor its directory say."""
    tags = blk["tags"] + blk["shared"]
    found = set()
    for t in tags:
        found |= rel.in_text(t)
    in_dir = rel.in_text(blk["directory"])
    if name == "alpine":
        for t in tags:
            m = re.match(r"^(\d+\.\d+)(\.\d+)?$", t)
            if m:
                return "alpine" + m.group(1)
        return None
    if name == "debian" and not found:
        # stable, oldstable, testing: the suite names a release by date (distro-info-data).
        suite = blk["directory"].split("/")[0]
        released = sorted((r for r in debian_rows if r.get("release") and r["release"] <= date and r["version"]),
                          key=lambda r: r["release"])
        ladder = {"stable": -1, "oldstable": -2, "oldoldstable": -3}
        if suite in ladder and len(released) >= -ladder[suite]:
            return released[ladder[suite]]["series"]
        if suite == "testing":
            upcoming = [r for r in debian_rows if r["version"] and (not r.get("release") or r["release"] > date)]
            upcoming.sort(key=lambda r: float(r["version"]))
            return upcoming[0]["series"] if upcoming else None
        return None
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1 and len(in_dir) == 1:
        return next(iter(in_dir))
    if not found and len(in_dir) == 1:
        return next(iter(in_dir))
    return None


def scan_repository(git, rel, info, name):
    """Every version of library/<name>: per tag its first and last presence and its release over time."""
    path = f"library/{name}"
    versions = git.file_versions(path)
    present = {}  # tag -> [first seen, removed or None]
    release_hist = collections.defaultdict(list)  # tag -> [(date, release)] at each change
    alias_candidates = set()
    prev, last_blocks, first_seen = set(), [], None
    for _, date, files in versions:
        text = files.get(path)
        blocks = parse_library(text) if text else []
        now = {}  # tag -> release in this version of the file
        for blk in blocks:
            tags = blk["tags"] + blk["shared"]
            windows = any(excluded_class(t) == "windows" for t in blk["tags"])
            r = None if windows else block_release(rel, name, blk, date, info["debian"])
            if any(t[:1].isdigit() and "-" not in t for t in tags):
                alias_candidates.update(t for t in tags if not t[:1].isdigit() and "-" not in t)
            for t in tags:
                # A shared tag is in one block per OS: the Linux block's release wins.
                if now.get(t) is None:
                    now[t] = r
        for t, r in now.items():
            hist = release_hist[t]
            if not hist or hist[-1][1] != r:
                hist.append((date, r))
        for t in now.keys() - prev:
            present[t] = [present.get(t, [date])[0], None]
        for t in prev - now.keys():
            present[t][1] = date
        prev = set(now)
        if blocks and first_seen is None:
            first_seen = date
        last_blocks = blocks
    # Alias words (latest, lts, jod, mainline, stable, a Debian codename in the debian image): a word
    # that is a tag of its own in a block with a bare version tag, and never follows another word.
    later = set()
    for t in present:
        toks = t.split("-")
        if toks[0] not in alias_candidates:
            later.update(toks[1:])
    aliases = sorted(w for w in alias_candidates if w not in later and excluded_class(w) is None)
    return {
        "present": present, "release_hist": release_hist, "aliases": aliases, "last_blocks": last_blocks,
        "first_seen": first_seen, "last_date": versions[-1][1] if versions else None,
    }


def split_tag(tag, aliases):
    """(version, variant): the first word of a tag is its version when it starts with a digit or is an
    alias (with Java 8's build word: `8u302-b08`); the rest is the variant. A tag without a version is all
    variant (`bookworm`, `slim`)."""
    toks = tag.split("-")
    if re.match(r"^\d+u\d+$", toks[0]) and len(toks) > 1 and re.match(r"^b\d+(\.\d+)?$", toks[1]):
        return toks[0] + "-" + toks[1], "-".join(toks[2:])  # Java 8's `8u302-b08`: the build is the version's
    if toks[0][:1].isdigit() or toks[0] in aliases:
        return toks[0], "-".join(toks[1:])
    return "", tag


def engine_release(r):
    """The release the engine's tables carry: Alpine minor releases fold into `alpine` (musl's ABI does
    not change between them; `current` and `history` keep the minor)."""
    return "alpine" if r and r.startswith("alpine") else r


def tag_tables(listed, present, release_hist, aliases, names_release):
    """The tables of one repository's tags (see docs/knowledge.md):
    versions  [[version, first seen, last seen or None]] in natural order (any variant);
    tags      [{variants, runs: [[lo, hi, current]]}]: a tag `version-variant` was published when its
              version is in a run of its variant (runs cover consecutive published versions, all in the
              newest file or all not);
    resolves  [{variants, runs: [[lo, hi, release, since]]}]: for tags that name no release, the
              release each had when last seen, as runs over the variant's own versions, with the first
              date a tag of the run had that release."""
    split = lambda t: split_tag(t, aliases)
    version_order = sorted({split(t)[0] for t in listed}, key=nat_key)
    vindex = {v: i for i, v in enumerate(version_order)}

    def runs_of(items, value, across_gaps=False):
        out = []
        for i, val in sorted((vindex[v], value(v)) for v in items):
            if out and out[-1][2] == val and (across_gaps or out[-1][1] == i - 1):
                out[-1][1] = i
            else:
                out.append([i, i, val])
        return [[version_order[lo], version_order[hi], val] for lo, hi, val in out]

    def grouped(by_variant):
        groups = collections.defaultdict(list)
        for var, runs in by_variant.items():
            if runs:
                groups[json.dumps(runs)].append(var)
        return sorted(({"variants": sorted(vs), "runs": json.loads(k)} for k, vs in groups.items()),
                      key=lambda e: e["variants"])

    by_variant = collections.defaultdict(dict)
    spans_of = collections.defaultdict(list)
    for t in listed:
        v, var = split(t)
        by_variant[var][v] = t
        spans_of[v].append(present[t])
    versions = []
    for v in version_order:
        spans = spans_of[v]
        versions.append([v, min(a for a, _ in spans), None if any(r is None for _, r in spans) else max(r for _, r in spans)])
    tags = grouped({var: [[lo, hi, cur] for lo, hi, cur in runs_of(vs, lambda v: present[vs[v]][1] is None)]
                    for var, vs in by_variant.items()})
    resolves = {}
    for var, vs in by_variant.items():
        items = {v: t for v, t in vs.items() if not names_release(t) and release_hist.get(t)}
        last = {v: engine_release(release_hist[t][-1][1]) for v, t in items.items()}
        since = {v: next(d for d, r in release_hist[t] if engine_release(r) == last[v]) for v, t in items.items()}
        runs = []
        for lo, hi, r in runs_of(items, lambda v: last[v], across_gaps=True):
            if r is not None:
                members = [v for v in version_order[vindex[lo]:vindex[hi] + 1] if v in items]
                runs.append([lo, hi, r, min(since[m] for m in members)])
        resolves[var] = runs
    return versions, tags, grouped(resolves)


def official_images(git, rel, info):
    commit, as_of = git.head()
    doc = {
        "about": "The tags each official Docker image has published and the Linux release each resolves to, "
                 "from docker-library/official-images (every version of library/<name> on the first-parent "
                 "history of its default branch). Fields are described in docs/knowledge.md.",
        "source": f"https://github.com/docker-library/official-images/tree/{commit}/library",
        "commit": commit,
        "as_of": as_of,
        "tag_table": sorted(TAG_TABLE),
        "table_since": TABLE_SINCE,
        "table_majors_only": MAJORS_ONLY,
        "releases": {},
        "repositories": {},
    }
    used = set()
    summary = []
    for name in sorted(OFFICIAL):
        sc = scan_repository(git, rel, info, name)
        present, release_hist, aliases = sc["present"], sc["release_hist"], sc["aliases"]
        excluded = collections.Counter()
        listed = []
        for t in sorted(present):
            c = excluded_class(t)
            if c:
                excluded[c] += 1
            else:
                listed.append(t)
        version_rows, tags, resolves = tag_tables(listed, present, release_hist, aliases, rel.in_text)
        used.update(r for e in resolves for run in e["runs"] for r in run[2:3])

        # The newest file: each Linux block's tags and release; the release history of its tags that
        # name none.
        current, groups = [], collections.defaultdict(list)
        for blk in sc["last_blocks"]:
            if any(excluded_class(t) == "windows" for t in blk["tags"]):
                continue
            tags_now = [t for t in blk["tags"] + blk["shared"] if excluded_class(t) != "windows"]
            r = block_release(rel, name, blk, as_of, info["debian"])
            current.append({"tags": tags_now, "directory": blk["directory"], "release": r})
            used.add(r)
            for t in tags_now:
                if not rel.in_text(t) and excluded_class(t) is None:
                    groups[tuple(tuple(x) for x in release_hist[t])].append(t)
        history = [{"tags": sorted(set(ts), key=nat_key), "history": [list(x) for x in h]} for h, ts in groups.items()]
        history.sort(key=lambda e: nat_key(e["tags"][0]))
        used.update(r for e in history for _, r in e["history"])

        # What each alias stands for today: the shortest and the longest version tag of its block.
        alias_now = {}
        for blk in sc["last_blocks"]:
            ts = blk["tags"] + blk["shared"]
            nums = sorted((t for t in ts if re.match(r"^\d[\w.]*$", t) and excluded_class(t) is None),
                          key=lambda t: (len(t.split(".")), nat_key(t)))
            for t in ts:
                if t in aliases and nums and t not in alias_now:
                    alias_now[t] = [nums[0], nums[-1]]

        doc["repositories"][name] = {
            "source": f"https://github.com/docker-library/official-images/blob/{commit}/library/{name}",
            "first_seen": sc["first_seen"],
            "last_seen": None if sc["last_blocks"] else sc["last_date"],
            "aliases": {a: alias_now.get(a) for a in aliases},
            "excluded": dict(sorted(excluded.items())),
            "versions": version_rows,
            "tags": tags,
            "resolves": resolves,
            "current": current,
            "history": history,
        }
        summary.append(f"  {name}: {len(listed)} tags listed ({sum(excluded.values())} not listed), "
                       f"{len(version_rows)} versions, {len(current)} current blocks")
    for r in sorted(x for x in used if x):
        doc["releases"][r] = {"distro": "alpine", "version": None} if r == "alpine" else rel.describe(r)
    return doc, summary


def tag_report(git, rel, info, ref):
    """--tag name:tag: the exact first and last seen dates and the release history of one tag."""
    name, tag = ref.split(":", 1)
    sc = scan_repository(git, rel, info, name)
    if tag not in sc["present"]:
        return f"{name}:{tag} was never in library/{name}"
    first, removed = sc["present"][tag]
    lines = [f"{name}:{tag}: first seen {first}, " + (f"removed {removed}" if removed else "current")]
    lines += [f"  {d}: {r or 'release not named'}" for d, r in sc["release_hist"][tag]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# GoogleContainerTools/distroless

DISTROLESS_FAMILIES = {
    # SUPPORT_POLICY.md row -> the families it covers (names as in runtimes.json)
    "static": ["distroless/static"],
    "base": ["distroless/base"],
    "base-nossl": ["distroless/base-nossl"],
    "cc": ["distroless/cc"],
    "java*": ["distroless/java", "distroless/java-base"],
    "node*": ["distroless/nodejs"],
    "python*": ["distroless/python3"],
}


def distroless_image(name):
    """'java17-debian12' -> ('distroless/java', '17', 'debian12'); 'python3-debian12' ->
    ('distroless/python3', None, 'debian12') (its Python version is not in the name);
    'java/jetty-debian10' -> ('distroless/java/jetty', None, 'debian10')."""
    m = re.match(r"^(.*?)(?:-(debian\d+))?$", name)
    base, release = m.groups()
    if base.startswith("python3") or base == "python2.7":
        return ("distroless/" + base, "2.7" if base == "python2.7" else None, release)
    m = re.match(r"^([a-z][a-z/-]*?)(\d+)?$", base)
    return ("distroless/" + m.group(1), m.group(2), release)


def distroless(git, rel):
    commit, as_of = git.head()
    url = f"https://github.com/GoogleContainerTools/distroless/blob/{commit}"
    # README: the images it lists as published, over time.
    listed = {}
    versions = git.file_versions("README.md")
    prev = set()
    for h, date, files in versions:
        text = files.get("README.md") or ""
        now = set(re.findall(r"^\|\s*gcr\.io/distroless/([a-z0-9.-]+)\s*\|", text, re.M))
        now |= set(re.findall(r"^\s*\*\s*\[gcr\.io/distroless/([a-z0-9./-]+)\]", text, re.M))
        for n in now - prev:
            listed[n] = [listed.get(n, [date])[0], None]
        for n in prev - now:
            listed[n][1] = date
        prev = now
    # Python's version per release: the test each release's image had to pass (python3 --version).
    python = {}
    for folder in ("experimental/python3/testdata", "python3/testdata"):
        for path in git.text("log", "--all", "--format=", "--name-only", "--", folder).split():
            m = re.search(r"/(debian\d+)\.yaml$", path)
            if not m:
                continue
            hist = git.file_versions(path)
            texts = [f[path] for _, _, f in hist if f.get(path)]
            if texts:
                v = re.search(r"Python (3\.\d+)", texts[-1])
                if v:
                    python[m.group(1)] = {"version": v.group(1), "source": f"https://github.com/GoogleContainerTools/distroless/blob/{commit}/{path} (python3 --version, last version of the file)"}
    # glibc of each release the build still locks packages for.
    releases = {}
    for line in git.show("HEAD", "distro.bzl").splitlines():
        m = re.match(r'\s*\("(debian\d+)", "([a-z]+)", "(\d+)"\)', line)
        if m:
            dl, codename, number = m.groups()
            lock = f"private/repos/deb/{codename}.lock.json"
            glibc = None
            if git.exists("HEAD", lock):
                pk = json.loads(git.show("HEAD", lock))["packages"]
                v = next((p["version"] for p in pk if p["name"] == "libc6"), None)
                glibc = re.match(r"^(\d+\.\d+)", v).group(1) if v else None
            releases[dl] = {"codename": codename, "debian": number, "glibc": glibc,
                            "source": f"{url}/distro.bzl and {url}/{lock} (libc6)"}
    # README: the release a name without one (gcr.io/distroless/static) selects today.
    readme = git.show("HEAD", "README.md")
    m = re.search(r"Specifying an image without the distribution will currently select `-(debian\d+)` images", readme)
    unsuffixed = {"release": m.group(1), "source": f"{url}/README.md (\"{m.group(0)}\")"}
    # SUPPORT_POLICY.md: end of life per image family and release.
    policy = git.show("HEAD", "SUPPORT_POLICY.md")
    policy_date = git.text("log", "-1", "--format=%cI", "HEAD", "--", "SUPPORT_POLICY.md")[:10]
    rows = [l for l in policy.splitlines() if l.startswith("|")]
    head = [c.strip() for c in rows[0].strip("|").split("|")]
    support = []
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for col, cell in zip(head[1:], cells[1:]):
            m = re.match(r"Debian (\d+) EOL", col)
            if not m:
                continue
            month = month_date(cell)
            for fam in DISTROLESS_FAMILIES[cells[0]]:
                support.append({"family": fam, "release": "debian" + m.group(1), "eol": month, "policy": cell,
                                "source": f"{url}/SUPPORT_POLICY.md (table row {cells[0]}, as of {policy_date})"})
    support.sort(key=lambda e: (e["family"], e["release"]))
    images = []
    for n, (first, last) in sorted(listed.items()):
        family, version, release = distroless_image(n)
        if family == "distroless/python3" and release in python:
            version = python[release]["version"]
        images.append({"image": "gcr.io/distroless/" + n, "family": family, "version": version, "release": release,
                       "listed": [first, last],
                       "source": f"{url}/README.md (listed from {first}" + (f" to {last})" if last else ", listed today)")})
    doc = {
        "about": "Distroless images, from GoogleContainerTools/distroless: the images its README lists as "
                 "published (`listed`: first and last date the README listed each; null: listed today), the "
                 "language version each ships, the glibc of each Debian release, and SUPPORT_POLICY.md's end of "
                 "life per family and release (`eol` a month; null where the policy gives a rule instead of a "
                 "date). Fields are described in docs/knowledge.md.",
        "source": f"https://github.com/GoogleContainerTools/distroless/tree/{commit}",
        "commit": commit,
        "as_of": as_of,
        "releases": releases,
        "unsuffixed": unsuffixed,
        "python": python,
        "support": support,
        "images": images,
    }
    current = [i["image"] for i in images if i["listed"][1] is None]
    return doc, [f"  {len(images)} images ever listed, {len(current)} listed today"]


# ---------------------------------------------------------------------------------------------------
# dotnet/dotnet-docker: Microsoft's .NET images

ARCH_SUFFIX = {"amd64", "arm32v7", "arm64v8", "arm64", "arm", "x64", "arm32"}


def manifest_vars(m, versions_text):
    out = {}
    out.update(m.get("tagVariables") or {})
    if isinstance(m.get("variables"), dict):
        out.update(m["variables"])
    if versions_text and "manifest.versions.json" in (m.get("includes") or []):
        out.update(json.loads(versions_text).get("variables") or {})
    return out


def substitute(text, variables, depth=0):
    def rep(mt):
        k = mt.group(1)
        return substitute(variables[k], variables, depth + 1) if k in variables and depth < 16 else mt.group(0)
    return re.sub(r"\$\(([^)]+)\)", rep, text)


def manifest_tags(m, variables, rel):
    """{(registry/repository, tag): release or None} of one manifest.json (every layout it has had);
    Windows and architecture-specific tags left out."""
    registry = m.get("registry", "docker.io")
    repos = m.get("repos") or [{"name": m["DockerRepo"], "images": m["Images"]}]
    items = lambda t: [(x, {}) for x in t] if isinstance(t, list) else list((t or {}).items())
    out = {}
    for r in repos:
        for im in r.get("images", []):
            plats = im.get("platforms", [])
            if isinstance(plats, dict):
                plats = [dict(v, os=k) for k, v in plats.items()]
            linux = [p for p in plats if p.get("os", "linux") == "linux"]
            def release_of(p, tag):
                found = rel.in_text(tag) | rel.in_text(p.get("osVersion", "")) | rel.in_text(p.get("dockerfile", ""))
                return next(iter(found)) if len(found) == 1 else None
            groups = [(items(im.get("sharedTags")), linux[0] if linux else None)]
            groups += [(items(p.get("tags")), p) for p in linux]
            for tags, plat in groups:
                if plat is None:
                    continue
                for t, meta in tags:
                    tag = substitute(t, variables)
                    if "$(" in tag:
                        continue
                    toks = tag.split("-")
                    if toks[-1] in ARCH_SUFFIX or any(x.startswith(("nanoserver", "windowsservercore", "ltsc")) for x in toks):
                        continue
                    targets = [(r["name"], tag)]
                    syn = (meta or {}).get("syndication")
                    if syn:
                        targets += [(substitute(syn["repo"], variables), substitute(d, variables))
                                    for d in (syn.get("destinationTags") or [tag])]
                    for repo, t2 in targets:
                        key = (f"{registry}/{repo}", t2)
                        r2 = release_of(plat, t2)
                        if out.get(key) is None:
                            out[key] = r2
    return out


def dotnet_images(git, rel):
    commit, as_of = git.head()
    present = collections.defaultdict(dict)  # repo -> tag -> [first, removed]
    hist = collections.defaultdict(lambda: collections.defaultdict(list))  # repo -> tag -> [(date, release)]
    prev = {}
    skipped = []
    for h, date, files in git.file_versions("manifest.json", "manifest.versions.json"):
        if not files.get("manifest.json"):
            continue
        try:
            m = json.loads(files["manifest.json"])
            now = manifest_tags(m, manifest_vars(m, files.get("manifest.versions.json")), rel)
        except (ValueError, KeyError) as e:
            skipped.append(h)  # a version of the file that does not parse: the one before stands
            continue
        for (repo, tag), r in now.items():
            if tag not in present[repo] or present[repo][tag][1] is not None:
                present[repo][tag] = [present[repo].get(tag, [date])[0], None]
            hh = hist[repo][tag]
            if not hh or hh[-1][1] != r:
                hh.append((date, r))
        for key in prev.keys() - now.keys():
            present[key[0]][key[1]][1] = date
        prev = now
    repos, used = {}, set()
    for repo in sorted(r for r in present if r in DOTNET_REPOS):
        tags = present[repo]
        # `latest` is a version of its own (the manifests name no other alias).
        aliases = {"latest": None} if "latest" in tags else {}
        listed = sorted(t for t in tags if excluded_class(t) is None)
        versions, groups, resolves = tag_tables(listed, tags, hist[repo], aliases, rel.in_text)
        used.update(run[2] for e in resolves for run in e["runs"])
        repos[repo] = {
            "source": f"https://github.com/dotnet/dotnet-docker/blob/{commit}/manifest.json (and its history)",
            "first_seen": min(a for a, _ in tags.values()),
            "last_seen": None if any(r is None for _, r in tags.values()) else max(r for _, r in tags.values()),
            "aliases": aliases,
            "versions": versions,
            "tags": groups,
            "resolves": resolves,
        }
    doc = {
        "about": "Tags of Microsoft's .NET images, from dotnet/dotnet-docker's manifest.json (every version on "
                 "the first-parent history since the file was added, variables substituted, syndicated copies "
                 "included; Windows, architecture-specific and pre-release tags left out), per registry and repository, "
                 "with the Linux release each tag that names none resolves to. Before the manifest (.NET Core "
                 "1.x previews, 2015-2017) the repository kept no tag list. Fields are described in "
                 "docs/knowledge.md.",
        "source": f"https://github.com/dotnet/dotnet-docker/tree/{commit}",
        "commit": commit,
        "as_of": as_of,
        "skipped_versions": skipped,
        "tag_table": DOTNET_TAG_TABLE,
        "table_since": TABLE_SINCE,
        "table_majors_only": [],
        "releases": {r: ({"distro": "alpine", "version": None} if r == "alpine" else rel.describe(r)) for r in sorted(used)},
        "repositories": repos,
    }
    return doc, [f"  {repo}: {len(present[repo])} tags" for repo in sorted(repos)]


# ---------------------------------------------------------------------------------------------------
# Support windows

def yaml_list(text, first_key):
    """The items of a flat YAML list of mappings (`- key: value` / `  key: value` lines), enough for
    ruby's _data/branches.yml and endoflife.date's `releases:` front matter."""
    items = []
    for line in text.splitlines():
        m = re.match(r"^(\s*)(- )?([A-Za-z_]+):\s*(.*?)\s*(#.*)?$", line)
        if not m:
            continue
        if m.group(2) and m.group(3) == first_key:
            items.append({})
        if not items or (not m.group(2) and not m.group(1)):
            continue
        v = m.group(4).strip().strip('"').strip("'")
        items[-1][m.group(3)] = None if v in ("", "~", "null") else v
    return items


def glibc_versions(debian, ubuntu):
    """{codename: glibc version} from the libc6 package of each release's main archive, read with apt
    (a temporary configuration; nothing of the machine's own apt state is used or changed). Debian's
    indexes are verified with Debian's archive keyring; Ubuntu's signing key is not packaged in Debian
    12, so Ubuntu's come over HTTPS without a signature check."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = [f"deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] https://deb.debian.org/debian {c} main"
                 for c in sorted(debian)]
        lines += [f"deb [arch=amd64 trusted=yes] https://archive.ubuntu.com/ubuntu {c} main" for c in sorted(ubuntu)]
        with open(os.path.join(tmp, "sources.list"), "w") as f:
            f.write("\n".join(lines) + "\n")
        for d in ("lists/partial", "cache/archives/partial"):
            os.makedirs(os.path.join(tmp, d))
        opts = ["-o", f"Dir::Etc::SourceList={tmp}/sources.list", "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", f"Dir::State::Lists={tmp}/lists", "-o", f"Dir::Cache={tmp}/cache", "-o", "Dir::State::Status=/dev/null",
                "-o", "APT::Architectures=amd64", "-o", "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false",
                "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false", "-o", "Acquire::Languages=none"]
        subprocess.run(["apt-get", *opts, "update"], capture_output=True)
        policy = subprocess.run(["apt-cache", *opts, "policy", "libc6"], capture_output=True, text=True).stdout
    out, version = {}, None
    for line in policy.splitlines():
        m = re.match(r"^ {5}(?:\*\*\* )?(\S+) \d+$", line) or re.match(r"^ \*\*\* (\S+) \d+$", line)
        if m:
            version = m.group(1)
            continue
        m = re.match(r"^\s+\d+ https://\S+ ([a-z]+)/main ", line)
        if m and version:
            up = re.match(r"^(?:\d+:)?(\d+\.\d+)", version)
            out.setdefault(m.group(1), up.group(1))
    return out


def python_eol(meta):
    """As peps' release_management/serialize.py publishes it: a planned end of life is a month."""
    if "end-of-life" not in meta:
        return None
    eol = str(meta["end-of-life"])
    return eol if meta.get("status") == "end-of-life" else eol.removesuffix("-01")


def support(args, info, di_version, oi_doc, distroless_releases):
    fams, sources = {}, []

    def src(env):
        git = mirror(args, env)
        commit, date = git.head()
        sources.append({"repository": f"https://github.com/{MIRRORS[env]}", "commit": commit, "date": date})
        return git, commit

    # Debian, Ubuntu: distro-info-data.
    di = f"https://packages.debian.org/bookworm/distro-info-data (version {di_version}, /usr/share/distro-info/%s.csv)"
    sources.append({"package": f"distro-info-data {di_version}", "date": info["date"]})
    fams["debian"] = {
        "source": di % "debian",
        "rule": "eol: end of regular security support; eol_lts and eol_elts: Debian LTS and Freexian ELTS.",
        "versions": [{"version": r["version"], "codename": r["series"], "released": r.get("release") or None,
                      "eol": r.get("eol") or None, "eol_lts": r.get("eol-lts") or None,
                      "eol_elts": r.get("eol-elts") or None}
                     for r in info["debian"] if r["version"] and r["version"][0].isdigit() and float(r["version"]) >= 7],
    }
    fams["ubuntu"] = {
        "source": di % "ubuntu",
        "rule": "eol: end of standard support (eol_server for LTS server images when given); eol_esm: Ubuntu Pro.",
        "versions": [{"version": r["version"].replace(" LTS", ""), "codename": r["series"],
                      "released": r.get("release") or None, "lts": r["version"].endswith("LTS"),
                      "eol": r.get("eol-server") or r.get("eol") or None, "eol_esm": r.get("eol-esm") or None}
                     for r in info["ubuntu"] if float(r["version"].split()[0]) >= 14.04],
    }
    # glibc of the Debian and Ubuntu releases current images resolve to (a program built on one runs on
    # a release whose glibc is at least as new).
    wanted = {r for repo in oi_doc["repositories"].values() for b in repo["current"] for r in [b["release"]] if r}
    wanted |= {r["codename"] for r in distroless_releases.values()}
    deb = {v["codename"] for v in fams["debian"]["versions"] if v["codename"] in wanted}
    ubu = {v["codename"] for v in fams["ubuntu"]["versions"] if v["codename"] in wanted}
    glibc = glibc_versions(deb, ubu)
    for fam, archive in (("debian", "https://deb.debian.org/debian"), ("ubuntu", "https://archive.ubuntu.com/ubuntu")):
        for v in fams[fam]["versions"]:
            if v["codename"] in glibc:
                v["glibc"] = glibc[v["codename"]]
        fams[fam]["glibc_source"] = (f"{archive} <codename>/main, package libc6 (read with apt); given for the releases "
                                     "current official images and distroless images are built on")
    # Alpine: endoflife.date (alpinelinux.org/releases has no repository).
    git, commit = src("ENDOFLIFE_GIT")
    rows = yaml_list(git.show("HEAD", "products/alpine-linux.md").split("releases:", 1)[1], "releaseCycle")
    fams["alpine"] = {
        "source": f"https://github.com/endoflife-date/endoflife.date/blob/{commit}/products/alpine-linux.md "
                  "(from https://alpinelinux.org/releases/, which has no repository of its own)",
        "rule": "eol: end of support of the release's main repository.",
        "versions": sorted(({"version": r["releaseCycle"], "released": r.get("releaseDate"), "eol": r.get("eol")}
                            for r in rows), key=lambda e: nat_key(e["version"])),
    }
    # Node.js
    git, commit = src("NODEJS_RELEASE_GIT")
    sched = json.loads(git.show("HEAD", "schedule.json"))
    fams["node"] = {
        "source": f"https://github.com/nodejs/Release/blob/{commit}/schedule.json",
        "rule": "eol: `end`; lts: the line has an LTS phase (even majors).",
        "versions": [{"version": k.lstrip("v"), "released": v.get("start"), "lts": "lts" in v,
                      "eol": v.get("end"), "codename": (v.get("codename") or "").lower() or None}
                     for k, v in sorted(sched.items(), key=lambda kv: nat_key(kv[0].lstrip("v")))],
    }
    # Python
    git, commit = src("PYTHON_PEPS_GIT")
    meta = tomllib.loads(git.show("HEAD", "release_management/python-releases.toml"))["metadata"]
    fams["python"] = {
        "source": f"https://github.com/python/peps/blob/{commit}/release_management/python-releases.toml "
                  "(the data of https://peps.python.org/api/release-cycle.json)",
        "rule": "eol: `end-of-life` (a month where the PEP gives one).",
        "versions": [{"version": k, "released": str(v["first-release"]) if "first-release" in v else None,
                      "eol": python_eol(v), "status": v.get("status")}
                     for k, v in sorted(meta.items(), key=lambda kv: nat_key(kv[0])) if nat_key(k) >= nat_key("2.7")],
    }
    # Go: supported until two newer majors exist (https://go.dev/doc/devel/release#policy); a line's
    # release is the day docker-library first published its `golang:1.N` tag.
    golang = oi_doc["repositories"]["golang"]
    first = {v: a for v, a, _ in golang["versions"] if re.match(r"^1\.\d+$", v)}
    go_rows = []
    for v, a in sorted(first.items(), key=lambda kv: nat_key(kv[0])):
        n = int(v.split(".")[1])
        go_rows.append({"version": v, "released": a, "eol": first.get(f"1.{n + 2}")})
    fams["go"] = {
        "source": "https://go.dev/doc/devel/release#policy (each major release is supported until there are two "
                  f"newer major releases); dates: {golang['source']} (the day golang:1.N was first published)",
        "rule": "eol(1.N) = released(1.N+2); lines published before library/golang existed (2014-08) carry its first date.",
        "versions": go_rows,
    }
    # Ruby
    git, commit = src("RUBY_WEBSITE_GIT")
    rows = yaml_list(git.show("HEAD", "_data/branches.yml"), "name")
    fams["ruby"] = {
        "source": f"https://github.com/ruby/www.ruby-lang.org/blob/{commit}/_data/branches.yml",
        "rule": "eol: eol_date, else expected_eol_date; security: the start of security maintenance.",
        "versions": sorted(({"version": r["name"], "released": r.get("date"), "eol": r.get("eol_date") or r.get("expected_eol_date"),
                             "security": r.get("security_maintenance_date"), "status": r.get("status")} for r in rows),
                           key=lambda e: nat_key(e["version"])),
    }
    # Java (Eclipse Temurin): Adoptium's support table.
    git, commit = src("ADOPTIUM_WEBSITE_GIT")
    table = git.show("HEAD", "content/asciidoc-pages/support/_partials/support-table.adoc")
    cells = [c.strip() for c in re.split(r"^\|\s*", table.split("|===", 1)[1], flags=re.M) if c.strip()]
    java_rows = []
    month = lambda c: (lambda m: f"{m.group(2)}-{MONTHS[m.group(1)]:02d}" if m else None)(re.search(r"\{month-([a-z]{3})\}\s+(\d{4})", c))
    i = 0
    while i < len(cells):
        m = re.match(r"^Java (\d+)( \(LTS\))?$", cells[i])
        if m:
            java_rows.append({"version": m.group(1), "lts": bool(m.group(2)), "released": month(cells[i + 1]),
                              "eol": month(cells[i + 4]), "at_least": "{at-least}" in cells[i + 4]})
            i += 5
        else:
            i += 1
    fams["java"] = {
        "source": f"https://github.com/adoptium/adoptium.net/blob/{commit}/content/asciidoc-pages/support/_partials/support-table.adoc "
                  "(https://adoptium.net/support/: Eclipse Temurin's end of availability)",
        "rule": "eol: end of availability, a month (at_least: Adoptium may extend it).",
        "versions": sorted(java_rows, key=lambda e: nat_key(e["version"])),
    }
    # .NET
    git, commit = src("DOTNET_CORE_GIT")
    idx = json.loads(git.show("HEAD", "release-notes/releases-index.json"))["releases-index"]

    def first_release(channel):
        """The date of the channel's first release that is not a preview or release candidate."""
        path = f"release-notes/{channel}/releases.json"
        if not git.exists("HEAD", path):
            return None
        rs = json.loads(git.show("HEAD", path))["releases"]
        ga = [r["release-date"] for r in rs if not re.search(r"-(preview|rc)", r["release-version"])]
        return min(ga) if ga else None

    fams["dotnet"] = {
        "source": f"https://github.com/dotnet/core/blob/{commit}/release-notes/releases-index.json "
                  "(released: the first release that is not a preview, from release-notes/<channel>/releases.json)",
        "rule": "eol: eol-date; lts: release-type lts; phase: support-phase.",
        "versions": sorted(({"version": r["channel-version"], "released": first_release(r["channel-version"]),
                             "lts": r.get("release-type") == "lts", "eol": r.get("eol-date") or None,
                             "phase": r.get("support-phase")} for r in idx),
                           key=lambda e: nat_key(e["version"])),
    }
    # nginx: only the newest stable (even) and mainline (odd) branches are supported.
    git, commit = src("NGINX_GIT")
    refs = git.text("for-each-ref", "--format=%(refname:short) %(creatordate:short)", "refs/tags")
    rel0 = {}
    for line in refs.splitlines():
        m = re.match(r"^release-1\.(\d+)\.0 (\S+)$", line)
        if m:
            rel0[int(m.group(1))] = m.group(2)
    fams["nginx"] = {
        "source": f"https://github.com/nginx/nginx (tags release-1.N.0, at {commit}); policy: "
                  "https://nginx.org/en/download.html (the mainline and the stable branch are the maintained ones)",
        "rule": "eol(1.N) = released(1.N+2): a stable branch (even N, `lts`) ends with the next stable, a mainline branch (odd N) with the next mainline.",
        "versions": [{"version": f"1.{n}", "released": d, "eol": rel0.get(n + 2), "lts": n % 2 == 0}
                     for n, d in sorted(rel0.items()) if n >= 10],
    }
    for fam, images in FAMILY_IMAGES.items():
        fams[fam]["images"] = images
    for f in fams.values():
        for v in f["versions"]:
            for k in list(v):
                if v[k] is None and k not in ("eol", "released"):
                    del v[k]
    as_of = max(s["date"] for s in sources)
    doc = {
        "about": "Support windows per image family and version, each family from its upstream data (`source`). "
                 "Dates are days (YYYY-MM-DD) or, where upstream gives only a month, months (YYYY-MM: the "
                 "window ends with that month). eol null: no end date published yet. Fields are described in "
                 "docs/knowledge.md.",
        "as_of": as_of,
        "sources": sorted(sources, key=lambda s: s.get("repository") or s.get("package")),
        "families": dict(sorted(fams.items())),
    }
    return doc, [f"  {k}: {len(v['versions'])} versions" for k, v in sorted(fams.items())]


# ---------------------------------------------------------------------------------------------------
# Output

def dumps(obj, expand=4, depth=0):
    """JSON with objects (and lists of containers) expanded down to `expand` levels, one line below it:
    stable, reviewable diffs."""
    compact = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))
    pad = "  " * (depth + 1)
    if depth < expand and isinstance(obj, dict) and obj:
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {dumps(v, expand, depth + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if depth < expand and isinstance(obj, list) and obj and all(isinstance(x, (dict, list)) for x in obj):
        items = [pad + dumps(x, expand, depth + 1) for x in obj]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return compact(obj)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror-dir", default="/work/.mirror", help="folder of <owner>+<name>/repo mirrors")
    ap.add_argument("--out", default=DATA, help="where the data files go (default: the crate's data/)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file would change")
    ap.add_argument("--tag", metavar="NAME:TAG", help="print one official tag's dates and release history, and exit")
    args = ap.parse_args()

    di_version, info = distro_info()
    rel = Releases(info)
    if args.tag:
        print(tag_report(mirror(args, "OFFICIAL_IMAGES_GIT"), rel, info, args.tag))
        return 0
    files, summary = {}, []
    oi_git = mirror(args, "OFFICIAL_IMAGES_GIT")
    doc, s = official_images(oi_git, rel, info)
    files["official-images.json"] = (doc, 4)
    summary += ["official-images.json (" + doc["commit"][:12] + ", " + doc["as_of"] + ")"] + s
    doc, s = dotnet_images(mirror(args, "DOTNET_DOCKER_GIT"), rel)
    files["dotnet-images.json"] = (doc, 4)
    summary += ["dotnet-images.json (" + doc["commit"][:12] + ", " + doc["as_of"] + ")"] + s
    doc, s = distroless(mirror(args, "DISTROLESS_GIT"), rel)
    files["distroless.json"] = (doc, 2)
    summary += ["distroless.json (" + doc["commit"][:12] + ", " + doc["as_of"] + ")"] + s
    doc, s = support(args, info, di_version, files["official-images.json"][0], doc["releases"])
    files["support.json"] = (doc, 3)
    summary += ["support.json (" + doc["as_of"] + ")"] + s

    changed = []
    for fname, (doc, expand) in sorted(files.items()):
        text = dumps(doc, expand) + "\n"
        path = os.path.join(args.out, fname)
        old = open(path).read() if os.path.exists(path) else None
        if old != text:
            changed.append(fname)
            if not args.check:
                with open(path, "w") as f:
                    f.write(text)
        summary.append(f"{fname}: {len(text.encode())} bytes{' (changed)' if old != text else ''}")
    print("\n".join(summary))
    if args.check and changed:
        print("out of date: " + ", ".join(changed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
