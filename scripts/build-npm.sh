#!/usr/bin/env bash
# Builds the npm package `slimfile` (npm/: the JavaScript API as an ES module, its wasm and TypeScript
# types, and the widget) into OUT/slimfile-VERSION.tgz (default OUT: target/npm), without npm: the files in
# npm pack's layout (package/…), the package.json from npm/package.json with the version, license, homepage
# and repository of the workspace's Cargo.toml, packed with tar in a fixed order, owner and time.
#   bash scripts/build-npm.sh [OUT]
# The wasm is scripts/build-js.sh's release build (what the site serves as js/). Prints the tarball's size.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/npm}"
stage=$(mktemp -d /tmp/slimfile-npm.XXXXXX)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/package
mkdir -p "$pkg" "$out"

bash scripts/build-js.sh "$pkg/js" >&2
cp npm/index.js npm/node.js npm/index.d.ts npm/README.md npm/index.html npm/open-playground.js LICENSE-MIT LICENSE-APACHE "$pkg/"
cp www/embed.js www/embed.html www/embed-widget.js www/share.js www/embed.css www/theme.css "$pkg/"

version=$(python3 - "$pkg" <<'PY'
import json, sys, tomllib
from pathlib import Path
pkg = Path(sys.argv[1])
ws = tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]
manifest = json.load(open("npm/package.json"))
repo = ws["repository"]
# The workspace's facts, in the order npm writes them, after the name.
filled = {"name": manifest.pop("name"), "version": ws["version"], "description": manifest.pop("description"),
          "license": ws["license"], "author": ws["authors"][0], "homepage": ws["homepage"],
          "repository": {"type": "git", "url": f"git+{repo}.git", "directory": "crates/slimfile-js"},
          "bugs": {"url": f"{repo}/issues"}}
filled.update(manifest)
(pkg / "package.json").write_text(json.dumps(filled, indent=2, ensure_ascii=False) + "\n")
for name in ["index.html", "open-playground.js"]:
    f = pkg / name
    f.write_text(f.read_text().replace("@HOMEPAGE@", ws["homepage"]))
# npm always packs package.json and README.md; every other file must be one that "files" names.
staged = sorted(str(p.relative_to(pkg)) for p in pkg.rglob("*") if p.is_file())
wanted = sorted(filled["files"] + ["package.json", "README.md"])
if staged != wanted:
    sys.exit(f"build-npm: the package's files {staged} are not package.json's 'files' {wanted}")
print(ws["version"])
PY
)
tarball=$out/slimfile-$version.tgz
(cd "$stage" && find package -type f -print0 | LC_ALL=C sort -z \
    | tar --format=ustar --owner=0 --group=0 --numeric-owner --mode='u=rw,go=r' \
        --mtime='1985-10-26 08:15:00Z' --no-recursion --null -T - -cf -) | gzip -9 -n > "$tarball"
printf '%s %d bytes (unpacked %d bytes)\n' "$tarball" "$(stat -c %s "$tarball")" "$(du -sb "$pkg" | cut -f1)"
