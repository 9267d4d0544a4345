#!/usr/bin/env python3
"""The standalone binaries of a release, taken from its wheels: each wheel's `slimfile` program is the
CLI built for that platform, so the release workflow builds it once (maturin) and packs it twice.

    python3 scripts/release-binaries.py WHEELS OUT

Writes OUT/slimfile-VERSION-TARGET.tar.gz (a .zip for Windows) holding slimfile-VERSION-TARGET/ with the
program, README.md and the two license texts, and OUT/SHA256SUMS. Prints what it wrote.
"""
import hashlib
import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A wheel's platform tag -> the Rust target the program was built for.
TARGETS = [
    (r"musllinux_\d+_\d+_x86_64", "x86_64-unknown-linux-musl"),
    (r"musllinux_\d+_\d+_aarch64", "aarch64-unknown-linux-musl"),
    (r"manylinux_\d+_\d+_x86_64", "x86_64-unknown-linux-gnu"),
    (r"manylinux_\d+_\d+_aarch64", "aarch64-unknown-linux-gnu"),
    (r"macosx_\d+_\d+_x86_64", "x86_64-apple-darwin"),
    (r"macosx_\d+_\d+_arm64", "aarch64-apple-darwin"),
    (r"win_amd64", "x86_64-pc-windows-msvc"),
    (r"win_arm64", "aarch64-pc-windows-msvc"),
]


def target_of(platform_tag):
    # A tag may hold several platforms (manylinux2014_x86_64.manylinux_2_17_x86_64): the first that maps.
    for tag in platform_tag.split("."):
        for pattern, target in TARGETS:
            if re.fullmatch(pattern, tag):
                return target
    return None


def main(wheels, out):
    out.mkdir(parents=True, exist_ok=True)
    extras = {name: (ROOT / src).read_bytes() for name, src in
              [("README.md", "crates/slimfile-cli/README.md"), ("LICENSE-MIT", "LICENSE-MIT"),
               ("LICENSE-APACHE", "LICENSE-APACHE")]}
    written = []
    for wheel in sorted(wheels.glob("slimfile-*.whl")):
        _, version, _python, _abi, platform = wheel.stem.split("-")
        target = target_of(platform)
        if target is None:
            sys.exit(f"release-binaries: no target for the wheel {wheel.name}")
        with zipfile.ZipFile(wheel) as z:
            program = next(n for n in z.namelist() if re.fullmatch(r"[^/]+\.data/scripts/slimfile(\.exe)?", n))
            data = z.read(program)
        folder = f"slimfile-{version}-{target}"
        files = {Path(program).name: (data, 0o755), **{k: (v, 0o644) for k, v in extras.items()}}
        if target.endswith("windows-msvc"):
            archive = out / f"{folder}.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
                for name, (content, _mode) in files.items():
                    z.writestr(f"{folder}/{name}", content)
        else:
            archive = out / f"{folder}.tar.gz"
            with tarfile.open(archive, "w:gz") as t:
                for name, (content, mode) in files.items():
                    info = tarfile.TarInfo(f"{folder}/{name}")
                    info.size, info.mode = len(content), mode
                    t.addfile(info, io.BytesIO(content))
        written.append(archive)
    if not written:
        sys.exit(f"release-binaries: no slimfile wheel in {wheels}")
    sums = "".join(f"{hashlib.sha256(a.read_bytes()).hexdigest()}  {a.name}\n" for a in written)
    (out / "SHA256SUMS").write_text(sums)
    for a in written:
        print(f"{a} {a.stat().st_size} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
