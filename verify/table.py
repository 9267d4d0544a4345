#!/usr/bin/env python3
"""Summarises `slimfile verify --format json` results.

  table.py --note TEXT --seconds N --expect VERDICT RESULT.json   adds them to one result
  table.py --table RESULT.json...                prints the results table (verify/results/table.md)
  table.py --reestimate SLIMFILE RESULT.json...  refreshes the estimate figures from another slimfile
                                                 binary (the real sizes stay: the estimate needs no build)
  table.py --real RESULT.json...                 prints the table of the real-project suite (verify/real.sh)
"""
import subprocess
import json
import sys


def mb(b):
    return "-" if b is None else f"{b / 1e6:.1f} MB" if b < 100e6 else f"{b / 1e6:.0f} MB"


def pct(p):
    return "-" if p is None else f"{p:+.0f}%"


def est(e):
    if not e:
        return "-"
    return f"{mb(e['typical'])} ({e['low'] / 1e6:.0f}–{e['high'] / 1e6:.0f})"


def added(side):
    if side.get("added_size") is None:
        return "-"
    return f"{mb(side['added_size'])} / {mb(side.get('estimate_added'))}"


def behaviour(side):
    if side.get("http_status") is not None:
        return f"HTTP {side['http_status']}"
    if side.get("exit") is not None:
        return f"exit {side['exit']}"
    return "-"


def masked(r):
    """What `slimfile verify` masked before comparing the outputs, and why."""
    places = r.get("masked") or []
    runs = sum(m["count"] for m in places if m.get("line") is not None or "two runs" in m["reason"])
    out = [f"{runs} place(s) of the output differ between the original's two runs (masked)"] if runs else []
    out += [f"{m['reason']} masked {m['count']} match(es)" for m in places if m["reason"].startswith("--mask ")]
    return out


def health(imgs):
    """Each health check: whether it passes in the original and in the rewrite."""
    o, w = imgs.get("original", {}).get("health") or [], imgs.get("rewritten", {}).get("health") or []
    word = lambda h: "passes" if h.get("exit") == 0 else "fails"
    own = [imgs.get(side, {}).get("healthcheck") for side in ("original", "rewritten")]
    own = [f"HEALTHCHECK `{own[0]['command'] if own[0] else '-'}` / `{own[1]['command'] if own[1] else '-'}`: "
           f"{word(own[0]) if own[0] else 'none'} / {word(own[1]) if own[1] else 'none'}"] if any(own) else []
    return [f"health check `{a['command']}`: {word(a)} / {word(b)}" for a, b in zip(o, w)] + own


def row(r):
    imgs = r.get("images", {})
    o, w = imgs.get("original", {}), imgs.get("rewritten", {})
    verdict = {"same": "same", "different": "**different**", "failed": "**failed**",
               "refused": "refused (as expected)" if r.get("expect") == "refused" else "**refused**",
               "unchanged": "unchanged"}.get(r["verdict"], r["verdict"])
    if r["verdict"] in ("same", "different"):
        verdict += f" ({behaviour(o)} / {behaviour(w)})"
    cells = [
        f"`{r['name']}`",
        f"{r.get('strategy') or '-'} → `{r.get('runtime_image') or '-'}`",
        verdict,
        mb(o.get("size")), est(r["estimate"].get("original")), pct(o.get("estimate_error_percent")),
        added(o),
        mb(w.get("size")), est(r["estimate"].get("rewritten")), pct(w.get("estimate_error_percent")),
        added(w),
        f"{r.get('seconds', '-')} s",
        "; ".join(filter(None, [r.get("note")] + [
            f"the {side} server exited on its first start and answered on the second"
            for side in ("original", "rewritten") if imgs.get(side, {}).get("first_start_error")]
            + masked(r) + health(imgs))).replace("|", "\\|"),
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def first_line(text, limit=160):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def why(r):
    """The reason that goes with a verdict: the refusal's, the failure's first words, or the check's."""
    v = r["verdict"]
    if v in ("refused", "unchanged"):
        return first_line("; ".join(r.get("reasons") or []))
    if v == "failed":
        err = r.get("error", "")
        side = "original" if err.startswith("the original") else "rewritten"
        img = r.get("images", {}).get(side, {})
        detail = img.get("build_error") or img.get("run_error") or err
        # the end of a build log says why; its first line only names the command
        # what the failing step printed first, and the engine's last word
        lines = [l.strip() for l in detail.splitlines()]
        steps = [i for i, l in enumerate(lines) if l.startswith("STEP ") or "] STEP " in l]
        after = [l for l in lines[steps[-1] + 1 if steps else 0:]
                 if l and not l.startswith(("--> ", "COMMIT ", "subprocess exited", "Error: building at"))]
        last = [l for l in lines if l.startswith("Error: building at")][-1:]
        return first_line(f"the {side} image did not {'build' if 'build_error' in img else 'run'}: "
                          + " / ".join(after[:2] + last), 260)
    return r.get("check", "")


def real_row(r):
    imgs = r.get("images", {})
    o, w = imgs.get("original", {}), imgs.get("rewritten", {})
    app = r.get("app", {})
    v = r["verdict"]
    verdict = v if v in ("same", "unchanged") or v == r.get("expect") else f"**{v}**"
    if v in ("same", "different"):
        verdict += f" ({behaviour(o)} / {behaviour(w)})"
    final = next((s["to"] for s in reversed(w.get("stand_ins", [])) if s["from"] == r.get("runtime_image")), None)
    cells = [
        f"`{r['name']}`",
        f"{app.get('repo', '-')}@{app.get('commit', '')[:7]}",
        app.get("language", "-"),
        f"{r.get('strategy') or '-'} → `{r.get('runtime_image') or '-'}`" + (f" (stand-in `{final}`)" if final else ""),
        verdict,
        why(r),
        mb(o.get("size")), mb(w.get("size")),
        f"{est(r['estimate'].get('original'))} / {pct(o.get('estimate_error_percent'))}; above the base {added(o)}",
        f"{est(r['estimate'].get('rewritten'))} / {pct(w.get('estimate_error_percent'))}; above the base {added(w)}",
        f"{r.get('seconds', '-')} s",
        "; ".join(filter(None, [r.get("note"), real_masked(r), health_tool(r)])),
    ]
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def real_masked(r):
    """The manifest's masks, applied by real.sh where slimfile verify has no --mask yet."""
    if not r.get("verdict_unmasked"):
        return ""
    return f"same once `{'`, `'.join(r['masked'])}` is masked (slimfile verify: {r.get('verdict_unmasked')})"


def health_tool(r):
    """What the app's own healthcheck needs, where slimfile verify could not run it yet."""
    h = r.get("health_tool")
    if not h or not h.get("found"):
        return ""
    missing = [side for side, path in h["found"].items() if path is None]
    if not missing:
        return f"healthcheck `{h['command']}`: `{h['program']}` is in both images"
    return f"healthcheck `{h['command']}`: **`{h['program']}` is missing from the {' and '.join(missing)} image**"


def reestimate(binary, path):
    r = json.load(open(path))
    dockerfile = r["file"]
    out = subprocess.run([binary, "convert", "--no-config", "--format", "json", dockerfile],
                         capture_output=True, text=True).stdout
    e = json.loads(out).get("estimate") or {}
    for side in ("original", "rewritten"):
        est = e.get(side)
        r["estimate"][side] = est and est["total"]
        img = r.get("images", {}).get(side)
        if not img or img.get("size") is None or not est:
            continue
        real, t = img["size"], est["total"]
        img["estimate_error_percent"] = round((t["typical"] - real) / real * 1000) / 10
        img["within_range"] = t["low"] <= real <= t["high"]
        first = est["layers"][0] if est["layers"] else None
        if first and first["instruction"].upper().startswith("FROM") and img.get("base_size") is not None:
            img["estimate_base"] = first["size"]["typical"]
            img["estimate_added"] = max(t["typical"] - first["size"]["typical"], 0)
            added = img.get("added_size") or 1
            img["added_error_percent"] = round((img["estimate_added"] - added) / added * 1000) / 10
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    r["estimated_by"] = version
    json.dump(r, open(path, "w"), indent=2)


def main(argv):
    if argv[0] == "--reestimate":
        for f in argv[2:]:
            reestimate(argv[1], f)
        return
    if argv[0] == "--real":
        print("| app | repository | language | strategy → final image | behaviour (original / rewritten) | reason or check | original, real | rewritten, real | original, estimated (range) / error; above the base: real / estimated | rewritten, estimated (range) / error; above the base: real / estimated | wall time | root cause |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for f in argv[1:]:
            print(real_row(json.load(open(f))))
        return
    if argv[0] == "--table":
        print("| case | strategy → final image | behaviour (original / rewritten) | original, real | original, estimated (range) | error | above the base: real / estimated | rewritten, real | rewritten, estimated (range) | error | above the base: real / estimated | wall time | note |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for f in argv[1:]:
            print(row(json.load(open(f))))
        return
    note, seconds, expect, path = argv[1], argv[3], argv[5], argv[6]
    r = json.load(open(path))
    r["note"], r["seconds"], r["expect"] = note, int(seconds), expect
    json.dump(r, open(path, "w"), indent=2)
    print(row(r), file=sys.stderr)


main(sys.argv[1:])
