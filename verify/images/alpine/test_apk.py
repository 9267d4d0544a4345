#!/usr/bin/env python3
"""Checks apk.py's packages the way apk-tools 2 reads them (scripts/test.sh runs it; no network, no Alpine).

A package is packed as repository.sh packs one (a file, an executable, a symbolic link, a dependency and a
provided soname), then read back: three gzip streams; the first a signature of the second that openssl
verifies with the public key; the second `.PKGINFO`, whose datahash is the third stream's SHA-256; the third the
files, each with its `APK-TOOLS.checksum.SHA1`; the three decompressed together one tar stream that lists the
signature, the control file and the files in that order. The same inputs give the same bytes.

    python3 verify/images/alpine/test_apk.py
"""
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def gzip_streams(data):
    streams, rest = [], data
    while rest:
        d = zlib.decompressobj(wbits=31)
        out = d.decompress(rest) + d.flush()
        consumed = len(rest) - len(d.unused_data)
        streams.append((rest[:consumed], out))
        rest = d.unused_data
    return streams


def pack(tmp, key, out):
    os.makedirs(out, exist_ok=True)
    cmd = [sys.executable, os.path.join(HERE, "apk.py"), "--root", os.path.join(tmp, "root"), "--name", "libdemo",
           "--version", "1.2.3-r0", "--description", "a demo library", "--key", key, "--out", out,
           "--depend", "so:libc.musl-x86_64.so.1", "--provide", "so:libdemo.so.1=1.2.3",
           "usr/lib/libdemo.so.1", "usr/lib/libdemo.so.1.2.3", "usr/share/demo/README"]
    path = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
    with open(path, "rb") as f:
        return path, f.read()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(root, "usr/lib"))
        os.makedirs(os.path.join(root, "usr/share/demo"))
        lib = b"\x7fELF not really a library\n"
        with open(os.path.join(root, "usr/lib/libdemo.so.1.2.3"), "wb") as f:
            f.write(lib)
        os.chmod(os.path.join(root, "usr/lib/libdemo.so.1.2.3"), 0o755)
        os.symlink("libdemo.so.1.2.3", os.path.join(root, "usr/lib/libdemo.so.1"))
        with open(os.path.join(root, "usr/share/demo/README"), "w") as f:
            f.write("demo\n")
        key = os.path.join(tmp, "test-key.rsa")
        subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True, capture_output=True)
        subprocess.run(["openssl", "rsa", "-in", key, "-pubout", "-out", key + ".pub"], check=True, capture_output=True)

        path, data = pack(tmp, key, os.path.join(tmp, "out1"))
        assert os.path.basename(path) == "libdemo-1.2.3-r0.apk", path
        streams = gzip_streams(data)
        assert len(streams) == 3, f"{len(streams)} gzip streams"
        (sig_gz, sig_tar), (control_gz, control_tar), (data_gz, data_tar) = streams

        # 1. The signature: one member, no end of archive, an RSA SHA-1 signature of the control stream.
        sig = tarfile.open(fileobj=io.BytesIO(sig_tar + b"\0" * 1024))
        members = sig.getmembers()
        assert [m.name for m in members] == [".SIGN.RSA.test-key.rsa.pub"], [m.name for m in members]
        assert len(sig_tar) == 512 + ((members[0].size + 511) // 512) * 512, "the signature stream ends the archive"
        signature = os.path.join(tmp, "sig")
        with open(signature, "wb") as f:
            f.write(sig.extractfile(members[0]).read())
        control = os.path.join(tmp, "control.tar.gz")
        with open(control, "wb") as f:
            f.write(control_gz)
        v = subprocess.run(["openssl", "dgst", "-sha1", "-verify", key + ".pub", "-signature", signature, control],
                           capture_output=True, text=True)
        assert v.returncode == 0 and "Verified OK" in v.stdout, v.stdout + v.stderr

        # 2. The control file: no end of archive; the fields apk index reads; datahash of the data stream.
        assert len(control_tar) % 512 == 0 and control_tar[-1024:] != b"\0" * 1024, "the control stream ends the archive"
        pkginfo = tarfile.open(fileobj=io.BytesIO(control_tar + b"\0" * 1024)).extractfile(".PKGINFO").read().decode()
        fields = [tuple(line.split(" = ", 1)) for line in pkginfo.splitlines() if " = " in line]
        for want in [("pkgname", "libdemo"), ("pkgver", "1.2.3-r0"), ("arch", "x86_64"),
                     ("depend", "so:libc.musl-x86_64.so.1"), ("provides", "so:libdemo.so.1=1.2.3"),
                     ("size", str(len(lib) + len("demo\n"))), ("datahash", hashlib.sha256(data_gz).hexdigest())]:
            assert want in fields, f"{want} not in {fields}"
        assert fields[-1][0] == "datahash", "datahash comes last, as abuild writes it"

        # 3. The files: each parent folder, owner root, modes kept, SHA-1 of the content or of a link's target.
        assert data_tar.endswith(b"\0" * 1024), "the data stream ends the archive"
        files = tarfile.open(fileobj=io.BytesIO(data_tar))
        by_name = {m.name: m for m in files.getmembers()}
        assert sorted(by_name) == ["usr", "usr/lib", "usr/lib/libdemo.so.1", "usr/lib/libdemo.so.1.2.3", "usr/share",
                                   "usr/share/demo", "usr/share/demo/README"], sorted(by_name)
        so = by_name["usr/lib/libdemo.so.1.2.3"]
        assert so.mode == 0o755 and so.uid == 0 and so.uname == "root", (oct(so.mode), so.uid, so.uname)
        assert so.pax_headers["APK-TOOLS.checksum.SHA1"] == hashlib.sha1(lib).hexdigest()
        link = by_name["usr/lib/libdemo.so.1"]
        assert link.issym() and link.linkname == "libdemo.so.1.2.3"
        assert link.pax_headers["APK-TOOLS.checksum.SHA1"] == hashlib.sha1(b"libdemo.so.1.2.3").hexdigest()

        # The three streams as apk-tools reads them: one tar stream, signature first.
        whole = tarfile.open(fileobj=io.BytesIO(sig_tar + control_tar + data_tar))
        names = [m.name for m in whole.getmembers()]
        assert names[:2] == [".SIGN.RSA.test-key.rsa.pub", ".PKGINFO"] and names[-1] == "usr/share/demo/README", names

        # The same inputs, the same bytes (RSA PKCS#1 v1.5 signatures are deterministic).
        _, again = pack(tmp, key, os.path.join(tmp, "out2"))
        assert again == data, "packing twice gave different bytes"
    print("apk.py: a package apk-tools 2 reads (3 streams, signature verified, datahash, checksums, reproducible)")


if __name__ == "__main__":
    main()
