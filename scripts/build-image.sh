#!/usr/bin/env bash
# Builds slimfile's own image from the Dockerfile at the root (the CLI as a static musl binary on scratch)
# and tags it ghcr.io/slimfile/slimfile:VERSION (the workspace's repository and version, Cargo.toml).
#   bash scripts/build-image.sh [--stand-ins] [TAG]
# Engine: docker (buildx) when a daemon answers, else buildah (Debian's, installed when missing; vfs
# storage and chroot isolation, as verify/ uses it). --stand-ins builds with buildah from the local
# stand-in of the rust image (verify/images/rustup.Dockerfile: rustup and the musl target from
# static.rust-lang.org), for machines that reach no container registry: FROM lines are replaced on a
# temporary copy by the exact entries of verify/map.txt, as `slimfile verify --map` does.
# 5 to 8 minutes on 2 cores (the build with LTO, buildah's vfs storage), plus 4 for the stand-in the first time.
# Prints the tag, the engine and the image's size in bytes, unpacked and compressed as a registry stores
# its layers (docker: unpacked only, '?' for the other).
set -euo pipefail
cd "$(dirname "$0")/.."
standins=""
[ "${1:-}" = --stand-ins ] && { standins=1; shift; }
read -r version image < <(python3 -c '
import re, tomllib
p = tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]
print(p["version"], "ghcr.io/" + re.sub(r"^https://github\.com/", "", p["repository"]))')
tag=${1:-$image:$version}

if [ -z "$standins" ] && docker info >/dev/null 2>&1; then
    docker build -t "$tag" . >&2
    echo "$tag docker $(docker image inspect --format '{{.Size}}' "$tag") ?"
    exit 0
fi
if ! command -v buildah >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah >/dev/null
fi
B=(buildah --storage-driver vfs)
dockerfile=Dockerfile
if [ -n "$standins" ]; then
    bash verify/images/build.sh rustup >&2
    dockerfile=$(mktemp /tmp/slimfile-image.XXXXXX)
    trap 'rm -f "$dockerfile"' EXIT
    python3 - Dockerfile verify/map.txt > "$dockerfile" <<'PY'
import re, sys
text, mapping = open(sys.argv[1]).read(), {}
for line in open(sys.argv[2]):
    words = line.split("#")[0].split()
    if len(words) == 2 and not words[0].endswith(":*"):
        mapping[words[0]] = words[1]
def stand_in(m):
    return m.group(1) + mapping.get(m.group(2), m.group(2))
sys.stdout.write(re.sub(r"(?im)^(FROM\s+(?:--\S+\s+)*)(\S+)", stand_in, text))
PY
fi
"${B[@]}" bud --isolation chroot --layers ${standins:+--pull-never} -f "$dockerfile" -t "$tag" . >&2
# The size: the layers as a registry stores them (gzip) and unpacked, from an OCI layout of the image.
layout=$(mktemp -d /tmp/slimfile-image-oci.XXXXXX)
"${B[@]}" push -q "$tag" "oci:$layout" >/dev/null
sizes=$(python3 - "$layout" <<'PY'
import gzip, json, sys
d = sys.argv[1]
def blob(digest):
    return f"{d}/blobs/{digest.replace(':', '/')}"
manifest = json.load(open(blob(json.load(open(f"{d}/index.json"))["manifests"][0]["digest"])))
layers = [blob(l["digest"]) for l in manifest["layers"]]
print(sum(len(gzip.open(f).read()) for f in layers), sum(l["size"] for l in manifest["layers"]))
PY
)
rm -rf "$layout"
echo "$tag buildah $sizes"
