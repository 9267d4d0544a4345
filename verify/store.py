#!/usr/bin/env python3
"""The shared buildah store (vfs), cleaned after a case without touching anyone else's images.

  store.py ids FILE          write the ids of every image in the store to FILE (before a case's builds)
  store.py remove NAME FILE  remove the case's two images and the intermediate images its builds made

verify/run.sh and verify/real.py (through its functions) use it. Never `rmi --prune`: the store is shared,
and a prune removes the intermediate images of another build under way ("layer not known").
"""
import json
import subprocess
import sys

B = ["buildah", "--storage-driver", "vfs"]


def image_ids():
    """The ids of every image in the store, intermediate ones included."""
    out = subprocess.run([*B, "images", "--all", "--json"], capture_output=True, text=True).stdout
    return {i["id"]: bool(i.get("names")) for i in json.loads(out or "[]")}


def steps(ref):
    """The steps (created_by) of an image's build history."""
    out = subprocess.run([*B, "inspect", "--type", "image", ref], capture_output=True, text=True).stdout
    try:
        return [h.get("created_by", "") for h in json.loads(out)["OCIv1"].get("history") or []]
    except (json.JSONDecodeError, KeyError):
        return []


def remove_images(name, before):
    """The entry's two images, and the intermediate images its builds made: untagged images made during
    the entry's run whose history is the start of one of the entry's images' history (a builder stage the
    final stage does not start from stays). Never `rmi --prune`: the store is shared, and a prune removes
    the intermediate images of another build under way."""
    tags = [f"localhost/slimfile-verify/{name}:{side}" for side in ("original", "rewritten")]
    finals = [h for h in (steps(t) for t in tags) if h]
    made = [i for i, named in image_ids().items() if i not in before and not named]
    for tag in tags:
        subprocess.run([*B, "rmi", "-f", tag], capture_output=True)
    for i in made:
        h = steps(i)
        if h and any(f[:len(h)] == h for f in finals):
            subprocess.run([*B, "rmi", i], capture_output=True)

def main(argv):
    if len(argv) == 2 and argv[0] == "ids":
        with open(argv[1], "w") as f:
            json.dump(sorted(image_ids()), f)
    elif len(argv) == 3 and argv[0] == "remove":
        with open(argv[2]) as f:
            remove_images(argv[1], set(json.load(f)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
