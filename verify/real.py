#!/usr/bin/env python3
"""The real-project suite's driver (run it through verify/real.sh, which installs what it needs).

  real.py fetch NAME...      fetch the entries' sources into the cache; print each entry's folder
  real.py run SLIMFILE NAME...   fetch, build the stand-ins, run `slimfile verify`, write the results
  real.py table              print the table of verify/results/real/*.json
  real.py names              print every entry's name

The sources go to $SLIMFILE_REAL_CACHE (default ~/.cache/slimfile/real-apps), one folder per repository and
commit. They come from `git clone` of https://github.com/OWNER/NAME, or, when $SLIMFILE_MIRRORS names a folder
of mirrors (OWNER+NAME/repo, a git directory each), from those mirrors. Nothing of theirs enters this repository.
"""
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from store import B, image_ids, remove_images

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "verify" / "real-apps.toml"
RESULTS = Path(os.environ.get("VERIFY_RESULTS", ROOT / "verify" / "results" / "real")).resolve()
DEFAULT_MAP = "verify/real/map.txt"
CACHE = Path(os.environ.get("SLIMFILE_REAL_CACHE", Path.home() / ".cache" / "slimfile" / "real-apps"))


def log(msg):
    print(f"== {msg}", file=sys.stderr, flush=True)


def entries():
    apps = tomllib.loads(MANIFEST.read_text())["app"]
    names = [a["name"] for a in apps]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"{MANIFEST}: names used twice: {', '.join(sorted(dup))}")
    return {a["name"]: a for a in apps}


def git(*args, **kw):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True, **kw).stdout


def git_dir(repo, commit):
    """A git directory that holds `commit` of `repo` (owner/name)."""
    mirrors = os.environ.get("SLIMFILE_MIRRORS")
    if mirrors:
        d = Path(mirrors) / repo.replace("/", "+") / "repo"
        if not d.is_dir():
            raise SystemExit(f"no mirror of {repo} in {mirrors} (expected {d})")
        return d
    d = CACHE / "git" / (repo.replace("/", "+") + ".git")
    if not d.is_dir():
        log(f"cloning https://github.com/{repo}")
        subprocess.run(["git", "clone", "--bare", "--filter=blob:none", f"https://github.com/{repo}", str(d)], check=True)
    try:
        git("--git-dir", str(d), "cat-file", "-e", f"{commit}^{{commit}}")
    except subprocess.CalledProcessError:
        subprocess.run(["git", "--git-dir", str(d), "fetch", "origin", commit], check=True)
    return d


def extract(repo, commit, dest, submodules, paths=()):
    """`repo` at `commit` into `dest`: the whole tree, or only `paths` (the build context and the
    Dockerfile's folder), and its submodules at the commits it records, when asked."""
    d = git_dir(repo, commit)
    tmp = dest.with_name(dest.name + ".part")
    subprocess.run(["rm", "-rf", str(tmp)], check=True)
    tmp.mkdir(parents=True)
    paths = sorted({p for p in paths if p not in ("", ".")})
    if submodules and paths:
        paths.append(".gitmodules")
    archive = subprocess.Popen(["git", "--git-dir", str(d), "archive", commit, *(["--", *paths] if paths else [])],
                               stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(tmp)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"git archive {repo} {commit} failed")
    if submodules:
        urls = {}
        if (tmp / ".gitmodules").exists():
            cfg = git("config", "-f", str(tmp / ".gitmodules"), "--get-regexp", r"^submodule\..*\.(path|url)$")
            pairs = [l.split(" ", 1) for l in cfg.splitlines()]
            paths = {k.rsplit(".", 1)[0]: v for k, v in pairs if k.endswith(".path")}
            urls = {paths[k.rsplit(".", 1)[0]]: v for k, v in pairs if k.endswith(".url")}
        for line in git("--git-dir", str(d), "ls-tree", "-r", commit, *(["--", *paths] if paths else [])).splitlines():
            meta, path = line.split("\t", 1)
            mode, kind, sub = meta.split()
            if kind != "commit":
                continue
            m = re.search(r"github\.com[:/]([^/]+/[^/]+?)(\.git)?/?$", urls.get(path, ""))
            if not m:
                raise SystemExit(f"{repo}: submodule {path} has no GitHub URL in .gitmodules")
            extract(m.group(1), sub, tmp / path, False)
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    tmp.rename(dest)


def source(app):
    """The entry's sources in the cache (fetched when missing)."""
    dest = CACHE / f"{app['name']}@{app['commit'][:12]}"
    if not (dest / ".slimfile-complete").exists():
        log(f"{app['name']}: fetching {app['repo']} at {app['commit'][:12]}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Only what the build reads: the context and the Dockerfile (a whole repository can be large).
        context = app.get("context", ".")
        paths = [] if context in ("", ".") else [context, str(Path(app["dockerfile"]).parent)]
        extract(app["repo"], app["commit"], dest, app.get("submodules", False), paths)
        (dest / ".slimfile-complete").write_text(f"{app['repo']} {app['commit']}\n")
    return dest


def normalize(ref):
    """`node:20` → `docker.io/library/node:20` (as slimfile verify's map does)."""
    name, suffix = (ref.split("@", 1)[0], "@" + ref.split("@", 1)[1]) if "@" in ref else (ref, "")
    if not suffix:
        last = name.rsplit("/", 1)[-1]
        if ":" in last:
            name, suffix = name[: len(name) - len(last)] + last.split(":")[0], ":" + last.split(":", 1)[1]
        else:
            suffix = ":latest"
    first = name.split("/")[0]
    if "/" in name and ("." in first or ":" in first or first == "localhost"):
        full = name
    else:
        full = f"docker.io/{name}" if "/" in name else f"docker.io/library/{name}"
    return full + suffix


def read_map(path):
    exact, any_tag = {}, {}
    for line in Path(path).read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) != 2:
            continue
        if words[0].endswith(":*"):
            any_tag[normalize(words[0][:-2]).removesuffix(":latest")] = words[1]
        else:
            exact[normalize(words[0])] = words[1]
    return exact, any_tag


def images_of(text):
    """The images a Dockerfile's FROM lines and COPY --from= name (not its stages, not ARG-built names)."""
    stages, images = set(), []
    for line in text.splitlines():
        words = [w for w in line.split() if not w.startswith("--platform")]
        if len(words) >= 2 and words[0].upper() == "FROM":
            if words[1].lower() not in stages and "$" not in words[1] and words[1].lower() != "scratch":
                images.append(words[1])
            if len(words) >= 4 and words[2].upper() == "AS":
                stages.add(words[3].lower())
        elif words and words[0].upper() in ("COPY", "ADD"):
            images += [w.split("=", 1)[1] for w in words if w.startswith("--from=") and ("/" in w or ":" in w)]
    return images


def standin_names(texts, map_path):
    """The build.sh names of the stand-ins the Dockerfiles need, through the map."""
    exact, any_tag = read_map(map_path)
    names = []
    for image in (i for t in texts for i in images_of(t)):
        n = normalize(image)
        to = exact.get(n) or any_tag.get(n.rsplit("@", 1)[0] if "@" in n else n.rsplit(":", 1)[0])
        if not to or not to.startswith("localhost/"):
            continue
        repo, tag = to.removeprefix("localhost/").split(":", 1)
        if repo.startswith("distroless-"):
            tag = tag.removesuffix("nonroot").removesuffix("-")
            tag = "bookworm" if tag in ("", "latest") else tag
        name = f"{repo}:{tag}"
        if name not in names:
            names.append(name)
    return names


def wait_for_port(port, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)


def verify_flags(slimfile):
    """What this slimfile's verify accepts among the flags added after the suite was written."""
    text = subprocess.run([slimfile, "verify", "--help"], capture_output=True, text=True).stdout
    return {f for f in ("--mask", "--health-cmd") if f in text}


def run(slimfile, app):
    name = app["name"]
    src = source(app)
    start = time.time()
    standins = app.get("standins", [])
    # A Dockerfile the engine leaves alone (or refuses) is not built: no stand-in is needed.
    dockerfile = src / app["dockerfile"]
    conv = subprocess.run([slimfile, "convert", "--no-config", "--format", "json", str(dockerfile)],
                          capture_output=True, text=True)
    try:
        report = json.loads(conv.stdout)
    except json.JSONDecodeError:
        report = {}
    map_path = ROOT / app.get("map", DEFAULT_MAP)
    if report.get("status") == "converted":
        # What the original and the rewrite name, through the map, and what the entry adds.
        texts = [dockerfile.read_text(), report.get("output") or ""]
        standins = standin_names(texts, map_path) + [s for s in standins if s not in standin_names(texts, map_path)]
    else:
        standins = []  # a Dockerfile the engine leaves alone (or refuses) is not built
    if standins:
        log(f"{name}: stand-ins ({' '.join(standins)})")
        subprocess.run(["bash", str(ROOT / "verify" / "images" / "build.sh"), *standins], check=True)
    flags = verify_flags(slimfile)
    cmd = [slimfile, "verify", str(src / app["dockerfile"]), "--context", str(src / app.get("context", ".")),
           "--engine", "buildah", "--map", str(map_path), "--name", name, "--format", "json"]
    if "http" in app:
        cmd += ["--http", app["http"]]
    if "timeout" in app:
        cmd += ["--timeout", str(app["timeout"])]
    if "--mask" in flags:
        for m in app.get("mask", []):
            cmd += ["--mask", m]
    if "--health-cmd" in flags and app.get("health"):
        cmd += ["--health-cmd", app["health"]]
    if "args" in app and app["args"]:
        cmd += ["--", *app["args"]]
    log(f"{name}: {' '.join(shlex.quote(c) for c in cmd)}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    images_before = image_ids()
    server = None
    if app.get("serve") and report.get("status") == "converted":
        # A stand-in's package repository (verify/images/NAME/repository.sh), served while both images build.
        server = subprocess.Popen(["bash", str(ROOT / "verify" / "images" / app["serve"] / "repository.sh"), "serve"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(8377)
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # its progress goes to stderr as it comes
    finally:
        if server:
            server.terminate()
            server.wait()
    try:
        r = json.loads(out.stdout)
    except json.JSONDecodeError:
        r = {"name": name, "verdict": "failed", "error": f"slimfile verify printed no result (exit {out.returncode})", "estimate": {}}
    r["file"] = f"{app['repo']}@{app['commit'][:12]}:{app['dockerfile']}"
    r["app"] = {k: app[k] for k in ("repo", "commit", "context", "dockerfile", "language", "shape", "service") if k in app}
    r["expect"] = app.get("expect", "same")
    r["note"] = app.get("note", "")
    r["seconds"] = round(time.time() - start)
    r["flags_used"] = sorted(flags)
    r["command"] = " ".join(shlex.quote(c) for c in cmd).replace(str(CACHE), "$SLIMFILE_REAL_CACHE").replace(str(ROOT) + "/", "")
    if app.get("mask") and "--mask" not in flags:
        apply_mask(app["mask"], r)
    r["check"] = check(app, r)
    if app.get("health") and "--health-cmd" not in flags:
        r["health_tool"] = health_tool(app["health"], name, r)
    # The sources' own folder is the cache's: say where, without this machine's home.
    (RESULTS / f"{name}.json").write_text(json.dumps(r, indent=2) + "\n")
    log(f"{name}: {r['verdict']} ({r['check']})")
    if os.environ.get("KEEP_IMAGES") != "1":
        remove_images(name, images_before)
    return r


def apply_mask(masks, r):
    """Before `slimfile verify --mask` exists: a `different` whose outputs are equal once every match of the
    entry's masks is blanked (what differs between two runs of the same image: a container's hostname, a
    time) is `same`; the result keeps slimfile's own verdict beside it."""
    if r.get("verdict") != "different":
        return
    o, w = r["images"]["original"], r["images"]["rewritten"]
    blank = lambda text: re.sub("|".join(f"(?:{m})" for m in masks), "<masked>", text or "")
    if (o.get("exit"), o.get("http_status"), blank(o.get("output"))) == (w.get("exit"), w.get("http_status"), blank(w.get("output"))):
        r["verdict_unmasked"] = r["verdict"]
        r["verdict"] = "same"
        r["masked"] = masks


def health_tool(command, name, r):
    """Before `slimfile verify --health-cmd` exists: whether each built image still has the program the
    healthcheck runs (a rewrite that drops it breaks the deployment even when the page loads). The path
    where it was found, or None."""
    program = command.split()[0]
    found = {}
    for side in ("original", "rewritten"):
        if "size" not in r.get("images", {}).get(side, {}):
            continue
        tag = f"localhost/slimfile-verify/{name}:{side}"
        ctr = subprocess.run([*B, "from", "--pull-never", tag], capture_output=True, text=True).stdout.strip()
        if not ctr:
            continue
        try:
            root = subprocess.run([*B, "mount", ctr], capture_output=True, text=True, check=True).stdout.strip()
            dirs = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
            paths = [program] if program.startswith("/") else [f"{d}/{program}" for d in dirs]
            found[side] = next((p for p in paths if os.path.lexists(root + p)), None)
        finally:
            subprocess.run([*B, "rm", ctr], capture_output=True)
    return {"command": command, "program": program, "found": found}


def check(app, r):
    """Whether the original did what the manifest says it does (the check the verdict compares against)."""
    o = r.get("images", {}).get("original", {})
    if r.get("verdict") in ("refused", "unchanged"):
        return "not built: nothing to compare"
    if "http" in app:
        want = app.get("status", 200)
        got = o.get("http_status")
        return "no answer from the original" if got is None else (
            f"original answered {got} as expected" if got == want else f"original answered {got}, expected {want}")
    if "output" in app:
        got = o.get("output")
        if got is None:
            return "the original did not run"
        # `output` is what the original prints on standard output; what it writes to standard error (a
        # library's deprecation warning) is compared between the two images, not against the manifest.
        got = got.split("\n[stderr]\n")[0] if "[stderr]" not in app["output"] else got
        got = got if got.endswith("\n") or not app["output"].endswith("\n") else got + "\n"
        return "original printed the expected output" if got == app["output"] else f"original printed {got[:80]!r}, expected {app['output'][:80]!r}"
    return "exit status and output compared"


def main(argv):
    apps = entries()
    if not argv or argv[0] not in ("fetch", "run", "table", "names"):
        sys.exit(__doc__)
    verb, rest = argv[0], argv[1:]
    if verb == "names":
        print("\n".join(apps))
        return
    if verb == "table":
        # The manifest says what each entry expects and why: its words win over those a result was run with.
        for path in RESULTS.glob("*.json"):
            r = json.loads(path.read_text())
            if r.get("name") in apps:
                app = apps[r["name"]]
                r["expect"], r["note"] = app.get("expect", "same"), app.get("note", "")
                r["check"] = check(app, r)
                path.write_text(json.dumps(r, indent=2) + "\n")
        table = subprocess.run([sys.executable, str(ROOT / "verify" / "table.py"), "--real",
                                *sorted(str(p) for p in RESULTS.glob("*.json"))], check=True,
                               capture_output=True, text=True).stdout
        print(table, end="")
        # verify/real-apps.md shows the same table, between its two markers
        doc = ROOT / "verify" / "real-apps.md"
        start, end = "written here by verify/real.sh -->\n", "<!-- end of the table -->"
        text = doc.read_text()
        if RESULTS == ROOT / "verify" / "results" / "real" and start in text and end in text:
            head, rest = text.split(start, 1)
            doc.write_text(head + start + table + rest[rest.index(end):])
        return
    slimfile = None
    if verb == "run":
        slimfile, rest = rest[0], rest[1:]
    unknown = [n for n in rest if n not in apps]
    if unknown:
        sys.exit(f"no such entry: {', '.join(unknown)} (entries: {', '.join(apps)})")
    names = rest or list(apps)
    status = 0
    for n in names:
        if verb == "fetch":
            print(source(apps[n]))
            continue
        r = run(slimfile, apps[n])
        if r["verdict"] != r["expect"]:
            status = 1
    sys.exit(status)


main(sys.argv[1:])
