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


def remove_images(name, before):
    """The entry's two images, and the intermediate images its builds made: every untagged image made
    during the entry's run, the builder stages' included (each is a whole copy of its builder on vfs, over a
    GB for the full images). Where several builds share the store, each case runs under one lock (`flock`
    around run.sh or real.sh), so no other build made them or is using them. Never `rmi --prune`: a prune
    also removes the intermediate images of another build under way."""
    tags = [f"localhost/slimfile-verify/{name}:{side}" for side in ("original", "rewritten")]
    for tag in tags:
        subprocess.run([*B, "rmi", "-f", tag], capture_output=True)
    made = [i for i, named in image_ids().items() if i not in before and not named]
    # an image another is built on does not go before that one: retry while each round removes some
    for _ in range(3):
        left = [i for i in made if subprocess.run([*B, "rmi", i], capture_output=True).returncode != 0]
        if not left or len(left) == len(made):
            break
        made = left


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
