#!/usr/bin/env python3
"""The packaging's facts agree with one another (seconds, no build): `python3 scripts/check-packaging.py`.

The workspace's Cargo.toml names the version, the repository and the homepage once; every other file that
names them (the crates, the wheel, the pre-commit hook's package, the npm package, the image, the site's
snippets and the workflows) must say the same. Prints one line a check and `N passed, N failed`.
"""
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok or not detail else f": {detail}"))


def toml(path):
    return tomllib.loads((ROOT / path).read_text())


def tracked():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file() and not (ROOT / p).is_symlink()]


ws = toml("Cargo.toml")["workspace"]
pkg = ws["package"]
version, repo, home = pkg["version"], pkg["repository"], pkg["homepage"]
owner_name = re.fullmatch(r"https://github\.com/([^/]+/[^/]+)", repo)
check("the repository is a GitHub URL", owner_name is not None, repo)
image = f"ghcr.io/{owner_name.group(1)}" if owner_name else None
check("the homepage is the repository's GitHub Pages site",
      owner_name is not None and home == "https://{}.github.io/{}/".format(*owner_name.group(1).split("/")), home)

# crates.io: `cargo install slimfile-cli` needs the engine published at the same version.
core_dep = ws["dependencies"]["slimfile-core"]
check("slimfile-core's workspace dependency pins the workspace version", core_dep.get("version") == f"={version}",
      str(core_dep))
KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,19}")
for crate in ["slimfile-core", "slimfile-cli"]:
    p = toml(f"crates/{crate}/Cargo.toml")["package"]
    for field in ["version", "license", "repository", "homepage", "authors", "edition", "rust-version"]:
        check(f"{crate}: {field} comes from the workspace", p.get(field) == {"workspace": True}, str(p.get(field)))
    check(f"{crate}: has a description", bool(p.get("description")))
    check(f"{crate}: its readme exists", (ROOT / "crates" / crate / p.get("readme", "-")).is_file(), p.get("readme"))
    kw = p.get("keywords", [])
    check(f"{crate}: 1 to 5 keywords crates.io accepts", 0 < len(kw) <= 5 and all(KEYWORD.fullmatch(k) for k in kw),
          str(kw))
    check(f"{crate}: has categories", 0 < len(p.get("categories", [])) <= 5)
    for lic in ["LICENSE-MIT", "LICENSE-APACHE"]:
        f = ROOT / "crates" / crate / lic
        check(f"{crate}: {lic} is the root's", f.is_symlink() and f.resolve() == (ROOT / lic).resolve())
check("the license is MIT OR Apache-2.0, with both texts at the root", pkg["license"] == "MIT OR Apache-2.0"
      and "the slimfile developers" in (ROOT / "LICENSE-MIT").read_text()
      and "Apache License" in (ROOT / "LICENSE-APACHE").read_text())

# PyPI: the wheel is `slimfile`, maturin's bin bindings; the pre-commit hook installs the root package,
# which depends on exactly this version of it.
wheel = toml("crates/slimfile-cli/pyproject.toml")
check("the wheel is `slimfile`, the CLI as maturin bin bindings, its version from Cargo.toml",
      wheel["project"]["name"] == "slimfile" and wheel["tool"]["maturin"].get("bindings") == "bin"
      and "version" in wheel["project"].get("dynamic", []))
shim = toml("pyproject.toml")["project"]
check("the hook package has the workspace's version", shim["version"] == version, shim["version"])
check("the hook package depends on exactly this version of the wheel", shim["dependencies"] == [f"slimfile=={version}"],
      str(shim["dependencies"]))
hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
check("the pre-commit hook is language: python and runs slimfile check",
      re.search(r"^  language: python$", hooks, re.M) is not None
      and re.search(r"^  entry: slimfile check$", hooks, re.M) is not None)

# The image: its builder's Rust is the toolchain rust-toolchain.toml pins (.dockerignore keeps that file
# out of the build, so the image's own toolchain builds).
channel = toml("rust-toolchain.toml")["toolchain"]["channel"]
builder = re.search(r"^FROM rust:(\d+\.\d+)\S* AS build$", (ROOT / "Dockerfile").read_text(), re.M)
check("the image's builder is the pinned Rust", builder is not None and channel.startswith(builder.group(1) + "."),
      f"{builder and builder.group(0)} vs {channel}")

# The same home everywhere: no placeholder left, and every URL of the project is the workspace's.
files = tracked()
texts = {}
for f in files:
    try:
        texts[f] = (ROOT / f).read_text()
    except UnicodeDecodeError:
        pass
PLACEHOLDER = "SLIMFILE" + "-HOST"  # spelt so that this file does not hold it
placeholder = [f for f, t in texts.items() if PLACEHOLDER in t and f != "README.md"]
check(f"no {PLACEHOLDER} placeholder outside README.md", not placeholder, ", ".join(placeholder))
site_host = re.match(r"https://[^/]+/", home).group(0)
wrong = []
for f, t in texts.items():
    t = re.sub(r"[.,;:]+(\s|$)", r"\1", t)  # a sentence's full stop after a URL
    for url in re.findall(re.escape(site_host) + r"[^\s\"'<>)`]*", t):
        if not url.startswith(home):
            wrong.append(f"{f}: {url}")
    for url in re.findall(r"https://github\.com/slimfile/[^\s\"'<>)`]*", t):
        if not (url == repo or url.startswith(repo + "/") or url.startswith(repo + ".git")):
            wrong.append(f"{f}: {url}")
    for ref in re.findall(r"ghcr\.io/slimfile/[A-Za-z0-9._/-]*", t):
        if ref != image:
            wrong.append(f"{f}: {ref}")
check("every site, repository and image reference is the workspace's", not wrong, "; ".join(wrong))

sys.exit(print(f"{sum(results)} passed, {len(results) - sum(results)} failed") or (0 if all(results) else 1))
