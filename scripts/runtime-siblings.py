#!/usr/bin/env python3
"""The runtime sibling of each Java development image: the JRE image slimfile swaps a JDK for.

A final image that only runs a jar built outside the Dockerfile does not need the JDK it starts from:
the JRE image of the same vendor, Java version and distribution runs the same jar. This script derives,
from docker-library/official-images' whole history, which JRE tags exist for each JDK tag slimfile can
swap, and writes crates/slimfile-core/data/runtime-siblings.json. The rules (how a JDK tag names its JRE
twin), the Red Hat images, the JDK-only programs and every source are written here, beside the code
that checks them. Python 3 standard library and git only.

Usage
-----
    scripts/runtime-siblings.py [--repo DIR]            # write the JSON
    scripts/runtime-siblings.py [--repo DIR] --check    # compare with the committed JSON, exit 1 on a difference

`--repo` is a clone of https://github.com/docker-library/official-images (default: the mirror at
/work/.mirror/docker-library+official-images/repo). Every version of `library/<name>` on its history is
read; a tag is *published* when any version listed it, *current* when the newest version lists it.

The twin rule (engine: crates/slimfile-core/src/rewrite/sibling.rs, `twin`)
--------------------------------------------------------------------------
A tag is split at `-` into words. After the family's prefix words (`open` for ibm-semeru-runtimes,
`openjdk` optionally for java), the first word starting with a digit is the version; Java 8's build word
(`b08` in `8u302-b08-jdk`) belongs to it. The kind is the word `jdk` or `jre`; the other words are the
variant (`alpine`, `jammy`, `ubuntu-noble`, `alpine3.18`).
  * `jre` present: the tag already is the runtime.
  * `jdk` present: the twin has `jre` in its place.
  * neither (the family's bare tags are its JDK): the twin gets `jre` after the version (`after-version`)
    or at the end (`end`, amazoncorretto's `8-alpine3.18` -> `8-alpine3.18-jre`).
The twin exists when its major-level form (the version replaced by its major: `17.0.9_9-jre-jammy` ->
`17-jre-jammy`) is in `published` and the JDK tag is not in `no_twin` (JDK tags whose twin was never
published, found by applying the rule to every JDK tag of the history).

A deprecated family (`successor` set) maps instead to `<major>-jre<suffix>` of the successor, where the
variant words map to a suffix through `variants` (first word; an unknown variant has no successor), and
the successor's tag must be *current*: the point of leaving a deprecated image is a maintained one.
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/slimfile-core/data/runtime-siblings.json"
DEFAULT_REPO = "/work/.mirror/docker-library+official-images/repo"

HUB = "https://hub.docker.com/_/"
OI = "https://github.com/docker-library/official-images/blob/master/library/"

# Programs of a JDK that its JRE does not have: a RUN, command or HEALTHCHECK that runs one needs the JDK.
# The Debian split is the reference for what is the JDK's (the JRE image has java and keytool; rmiregistry
# too); jfr and jrunscript, which Debian puts in the JDK, are kept here (where a vendor's JRE differs,
# keeping the JDK is the safe side). Java 8's JDK-only tools are added from the JDK 8 tool reference.
JDK_ONLY = {
    "names": sorted(
        "jar jarsigner javac javadoc javap jcmd jdb jdeprscan jdeps jfr jhsdb jimage jinfo jlink jmap jmod jps "
        "jrunscript jshell jstack jstat jstatd serialver jconsole "
        "javah native2ascii rmic schemagen wsgen wsimport xjc idlj extcheck appletviewer "
        "mvn mvnw gradle gradlew ant".split()
    ),
    "source": "https://packages.debian.org/bookworm/amd64/openjdk-17-jdk-headless/filelist against "
    "https://packages.debian.org/bookworm/amd64/openjdk-17-jre-headless/filelist (bin/ of each); Java 8's JDK "
    "tools: https://docs.oracle.com/javase/8/docs/technotes/tools/ (javah, native2ascii, rmic, schemagen, wsgen, "
    "wsimport, xjc, idlj, extcheck, appletviewer); Maven, Gradle and Ant are build tools no JRE image has.",
}

# The hand-written part of each family: how its tags read, where its runtime is, and why.
FAMILIES = [
    {
        "repository": "library/eclipse-temurin",
        "runtime_repository": "library/eclipse-temurin",
        "prefix": [],
        "insert": "after-version",
        "reasoning": "Eclipse Temurin publishes a JRE image beside each JDK image, same version and "
        "distribution (`17-jdk-jammy` and `17-jre-jammy`); the JRE holds the runtime without javac and the "
        "JDK tools. Tags without `jdk` or `jre` are the JDK.",
        "source": HUB + "eclipse-temurin (\"-jre\" tags hold only the runtime) and " + OI + "eclipse-temurin",
    },
    {
        "repository": "library/sapmachine",
        "runtime_repository": "library/sapmachine",
        "prefix": [],
        "insert": "after-version",
        "reasoning": "SapMachine publishes `-jre` and `-jre-headless` images beside each `-jdk` and "
        "`-jdk-headless` image, same version and distribution. Tags without `jdk` or `jre` are the JDK.",
        "source": HUB + "sapmachine and " + OI + "sapmachine",
    },
    {
        "repository": "library/ibm-semeru-runtimes",
        "runtime_repository": "library/ibm-semeru-runtimes",
        "prefix": ["open"],
        "insert": "after-version",
        "reasoning": "IBM Semeru Runtimes publishes `open-<version>-jre` beside each `open-<version>-jdk`, same "
        "distribution.",
        "source": HUB + "ibm-semeru-runtimes and " + OI + "ibm-semeru-runtimes",
    },
    {
        "repository": "library/amazoncorretto",
        "runtime_repository": "library/amazoncorretto",
        "prefix": [],
        "insert": "end",
        "reasoning": "Amazon Corretto publishes JRE images for Java 8 only (`8-jre`, `8-al2023-jre`, "
        "`8-alpine3.20-jre`): `jre` ends the tag. Its other tags (`-headless`, `-headful`, `-full`) are JDKs "
        "with or without GUI libraries, and have no JRE twin.",
        "source": HUB + "amazoncorretto and " + OI + "amazoncorretto",
    },
    {
        "repository": "library/openjdk",
        "runtime_repository": "library/eclipse-temurin",
        "prefix": [],
        "insert": "after-version",
        "successor": True,
        "variants": {
            "": "",
            "alpine": "-alpine",
            "slim": "",
            "buster": "",
            "bullseye": "",
            "bookworm": "",
            "trixie": "",
            "stretch": "",
            "jessie": "",
        },
        "deprecated": {
            "since": "2022-07",
            "notice": "The openjdk image is deprecated: its tags stopped receiving updates in July 2022 (only Early "
            "Access builds are still published), and Docker Hub recommends eclipse-temurin, amazoncorretto, "
            "ibm-semeru-runtimes, ibmjava or sapmachine instead; some of its old tags have since been removed "
            "from Docker Hub.",
            "source": "https://github.com/docker-library/docs/blob/master/openjdk/deprecated.md, "
            "https://github.com/docker-library/openjdk/issues/505 (retiring the OpenJDK project builds), "
            "https://github.com/apache/druid/pull/18712 (openjdk:17-slim-bullseye: not found on Docker Hub)",
        },
        "reasoning": "The openjdk image is deprecated. Eclipse Temurin builds the same OpenJDK sources and is "
        "the official image maintained for every LTS version; a jar runs on its JRE of the same Java major "
        "version. Debian-based openjdk tags map to Temurin's default (Ubuntu), Alpine tags to its Alpine "
        "variant; Oracle Linux and Windows variants have no Temurin counterpart of the same package manager.",
        "source": HUB + "openjdk (deprecation notice) and " + OI + "openjdk, " + OI + "eclipse-temurin",
    },
    {
        "repository": "library/java",
        "runtime_repository": "library/eclipse-temurin",
        "prefix": ["openjdk?"],
        "insert": "after-version",
        "successor": True,
        "variants": {"": "", "alpine": "-alpine"},
        "deprecated": {
            "since": "2016-12-31",
            "notice": "The java image is deprecated: it received no updates after 2016-12-31 and was removed from "
            "the official images in 2017 (it became the openjdk image, itself deprecated since July 2022).",
            "source": "https://github.com/docker-library/docs/blob/master/java/deprecated.md, "
            "https://github.com/docker-library/official-images/commit/14c564393d (library/java removed)",
        },
        "reasoning": "The java image was renamed openjdk, which is deprecated in turn: Eclipse Temurin's JRE of "
        "the same Java major version runs the jar. Its Debian tags map to Temurin's default (Ubuntu), its Alpine "
        "tags to Temurin's Alpine variant.",
        "source": HUB + "java (deprecated) and " + OI + "eclipse-temurin",
    },
]

# Red Hat's OpenJDK images are not official images: each JDK repository has a `-runtime` sibling built from
# the same modules with the JRE only (same uid 185, same /deployments, the same run-java.sh), and both share
# their version numbers (1.20 and 1.20). The JDK image adds Maven and the S2I scripts (its default command
# is /usr/local/s2i/run, which the runtime image lacks).
RH_SOURCE = "https://github.com/rh-openjdk/redhat-openjdk-containers (branches ubi8, ubi9, ubi10: {name}.yaml and {name}-runtime.yaml; modules/jdk, modules/jre, modules/jre/run: run-java.sh; modules/user: uid 185)"
RED_HAT = [
    ("ubi8", "8"),
    ("ubi8", "11"),
    ("ubi8", "17"),
    ("ubi8", "21"),
    ("ubi9", "11"),
    ("ubi9", "17"),
    ("ubi9", "21"),
    ("ubi10", "21"),
]


def history(repo, name):
    """{tag: [first seen, last seen]} over every version of library/<name>, and the newest version's tags."""
    log = subprocess.run(
        ["git", "-C", repo, "log", "-p", "--format=@@C %cs", "--", "library/" + name],
        capture_output=True, text=True, check=True,
    ).stdout
    tags = {}
    date = None
    for line in log.splitlines():
        if line.startswith("@@C "):
            date = line[4:]
            continue
        if not line.startswith("+") or line.startswith("+++"):
            continue
        tags_line = re.match(r"(?:Shared)?Tags:\s*(.*)", line[1:])
        if tags_line:
            names = [t.strip() for t in tags_line.group(1).split(",") if t.strip()]
        else:
            # The format before 2015: `tag: git-url@commit dir`.
            old = re.match(r"([A-Za-z0-9][\w.-]*):\s+\S+@[0-9a-f]+", line[1:])
            names = [old.group(1)] if old else []
        for t in names:
            tags.setdefault(t, date)
    head = subprocess.run(["git", "-C", repo, "show", "HEAD:library/" + name], capture_output=True, text=True)
    current = set()
    for line in head.stdout.splitlines():
        m = re.match(r"(?:Shared)?Tags:\s*(.*)", line)
        if m:
            current.update(t.strip() for t in m.group(1).split(",") if t.strip())
    return tags, current


def windows(tag):
    return "windowsservercore" in tag or "nanoserver" in tag


def split(tag, prefix):
    """(prefix words, version words, kind, variant words) or None when the tag has no version."""
    words = tag.split("-")
    pre = []
    for p in prefix:
        optional = p.endswith("?")
        p = p.rstrip("?")
        if words and words[0] == p:
            pre.append(words.pop(0))
        elif not optional:
            return None
    if not words or not words[0][:1].isdigit():
        return None
    version = [words.pop(0)]
    if words and re.fullmatch(r"b\d+", words[0]) and "u" in version[0]:
        version.append(words.pop(0))
    kind = None
    rest = []
    for w in words:
        if w in ("jdk", "jre") and kind is None:
            kind = w
            rest.append("{kind}")
        else:
            rest.append(w)
    return pre, version, kind, rest


def major(version_words):
    return re.match(r"\d+", version_words[0]).group(0)


def twin(tag, fam, at_major=False):
    """The JRE twin of a JDK tag by the family's rule (None: already a JRE, or no version)."""
    parts = split(tag, fam["prefix"])
    if parts is None:
        return None
    pre, version, kind, rest = parts
    if kind == "jre":
        return None
    if at_major:
        version = [major(version)]
    if kind == "jdk":
        words = pre + version + [w.replace("{kind}", "jre") for w in rest]
    elif fam["insert"] == "end":
        words = pre + version + rest + ["jre"]
    else:
        words = pre + version + ["jre"] + rest
    return "-".join(words)


def successor_tag(tag, fam):
    """A deprecated family's successor tag for a JDK or JRE tag (the JRE one is what SF109 names)."""
    parts = split(tag, fam["prefix"])
    if parts is None:
        return None
    _, version, kind, rest = parts
    variant = [w for w in rest if w != "{kind}"]
    first = variant[0] if variant else ""
    key = "alpine" if first.startswith("alpine") else first
    if key not in fam["variants"] or any(w in ("ea", "rc") or w.startswith("ea") for w in variant[1:]):
        return None
    return f"{major(version)}-jre{fam['variants'][key]}"


def major_level(tag):
    return re.match(r"^(open-)?\d+-", tag) is not None


def derive(repo):
    commit = subprocess.run(["git", "-C", repo, "log", "-1", "--format=%H %cs"], capture_output=True, text=True, check=True).stdout.split()
    cache = {}

    def hist(name):
        if name not in cache:
            cache[name] = history(repo, name.removeprefix("library/"))
        return cache[name]

    families = []
    for spec in FAMILIES:
        fam = dict(spec)
        tags, current = hist(fam["repository"])
        run_tags, run_current = hist(fam["runtime_repository"])
        jre = lambda t: re.search(r"(^|-)jre(-|$)", t) and not windows(t)
        entry = {
            "registry": "docker.io",
            "repository": fam["repository"],
            "runtime_repository": fam["runtime_repository"],
            "prefix": fam["prefix"],
            "insert": fam["insert"],
        }
        if fam.get("successor"):
            entry["variants"] = fam["variants"]
            entry["deprecated"] = fam["deprecated"]
            # What the successor mapping gives for the history's JDK tags, for review.
            mapped = sorted({successor_tag(t, fam) for t in tags if not windows(t)} - {None})
            samples = [t for t in sorted(tags) if not windows(t)]
            step = max(1, len(samples) // 16)
            entry["examples"] = {t: successor_tag(t, fam) for t in samples[::step]}
            entry["successor_tags"] = [t for t in mapped if t in run_current]
            entry["no_successor"] = [t for t in mapped if t not in run_current]
        else:
            entry["published"] = sorted(t for t in run_tags if jre(t) and major_level(t))
            no_twin = []
            for t in sorted(tags):
                if windows(t):
                    continue
                tw = twin(t, fam)
                if tw is None or jre(t):
                    continue
                # Only the tags the rule maps to a published major-level form count: others are refused anyway.
                if twin(t, fam, at_major=True) in entry["published"] and tw not in run_tags:
                    no_twin.append(t)
            entry["no_twin"] = no_twin
            # A sample of the rule's answers, for tests/knowledge_data.rs to check the engine's rule against.
            samples = [t for t in sorted(tags) if not windows(t) and not jre(t) and twin(t, fam) is not None]
            step = max(1, len(samples) // 12)
            entry["examples"] = {t: twin(t, fam) for t in samples[::step]}
        entry["reasoning"] = fam["reasoning"]
        entry["source"] = fam["source"]
        families.append(entry)

    # The current major-level JRE tags of eclipse-temurin: what a successor mapping may emit.
    temurin_tags, temurin_current = hist("library/eclipse-temurin")
    current = sorted(t for t in temurin_current if re.search(r"(^|-)jre(-|$)", t) and not windows(t) and major_level(t))

    red_hat = [
        {
            "registry": "registry.access.redhat.com",
            "repository": f"{ubi}/openjdk-{java}",
            "runtime_repository": f"{ubi}/openjdk-{java}-runtime",
            "java": java,
            "source": RH_SOURCE.format(name=f"{ubi}-openjdk-{java}"),
        }
        for ubi, java in RED_HAT
    ]
    return {
        "about": "The runtime sibling of each Java development image (JDK -> JRE), derived by "
        "scripts/runtime-siblings.py from docker-library/official-images' history; its docstring gives the twin "
        "rule. `published`: the major-level JRE tags a family has ever published; `no_twin`: JDK tags whose "
        "twin was never published; `successor_current`: eclipse-temurin's current major-level JRE tags, which "
        "a deprecated family may move to; `examples`: a sample of JDK tags and what the rule makes of them (null: no twin or successor), which the engine's tests check. Red Hat's images pair each JDK repository with its `-runtime` "
        "repository. `jdk_only`: programs a JRE does not have.",
        "official_images": {"repository": "https://github.com/docker-library/official-images", "commit": commit[0], "date": commit[1]},
        "jdk_only": JDK_ONLY,
        "successor_current": current,
        "families": families,
        "red_hat": red_hat,
    }


def render(data):
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=DEFAULT_REPO)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    text = render(derive(a.repo))
    if a.check:
        if OUT.read_text() != text:
            print(f"{OUT} differs from what {a.repo} gives: run scripts/runtime-siblings.py", file=sys.stderr)
            return 1
        print("runtime-siblings.json is up to date")
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
