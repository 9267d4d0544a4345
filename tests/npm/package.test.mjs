// The npm package as a user gets it (scripts/test-npm.sh runs this with Node's own test runner):
// SLIMFILE_NPM_TARBALL, the tarball scripts/build-npm.sh packed, is unpacked into a temporary project's
// node_modules/slimfile as npm install would; the project's own modules import "slimfile" by name; its
// conversions must be, byte for byte, what the CLI (SLIMFILE_CLI) prints for `convert --format json`.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tarball = process.env.SLIMFILE_NPM_TARBALL;
const cli = process.env.SLIMFILE_CLI;
assert.ok(tarball && existsSync(tarball), "SLIMFILE_NPM_TARBALL names the packed tarball");
assert.ok(cli && existsSync(cli), "SLIMFILE_CLI names the slimfile program");

const workspace = readFileSync(join(root, "Cargo.toml"), "utf8");
const cargoVersion = workspace.match(/^\[workspace\.package\][^[]*?^version = "([^"]+)"/ms)[1];
const homepage = workspace.match(/^homepage = "([^"]+)"/m)[1];

const project = mkdtempSync(join(tmpdir(), "slimfile-npm-test-"));
after(() => rmSync(project, { recursive: true, force: true }));
const installed = join(project, "node_modules", "slimfile");
mkdirSync(installed, { recursive: true });
execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "a-docs-site", private: true, type: "module" }));
const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));

// Runs a module of the user's project (its own file, so "slimfile" resolves through node_modules).
function runInProject(name, source, input = "") {
  writeFileSync(join(project, name), source);
  const r = spawnSync(process.execPath, [join(project, name)], { cwd: project, input, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${name} failed:\n${r.stderr}`);
  return r.stdout;
}

const fixtures = readdirSync(join(root, "crates/slimfile-core/tests/fixtures/convert"))
  .map((d) => join(root, "crates/slimfile-core/tests/fixtures/convert", d, "Dockerfile"))
  .filter((f) => existsSync(f));

function cliJson(file, flags) {
  const r = spawnSync(cli, ["convert", file, "--format", "json", "--no-config", "--no-context", ...flags], { encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `${file}: the CLI exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

test("the tarball has npm pack's layout and a package.json whose entries exist", () => {
  const entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
  assert.ok(entries.every((e) => e.startsWith("package/")), "every entry is under package/");
  const files = entries.map((e) => e.slice("package/".length)).sort();
  assert.deepEqual(files, [...manifest.files, "package.json", "README.md"].sort(), "the files are package.json's 'files'");
  assert.equal(manifest.name, "slimfile");
  assert.equal(manifest.version, cargoVersion);
  assert.equal(manifest.type, "module");
  assert.equal(manifest.homepage, homepage);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  const targets = [manifest.types];
  for (const value of Object.values(manifest.exports)) {
    targets.push(...(typeof value === "string" ? [value] : Object.values(value)));
  }
  for (const t of targets) assert.ok(existsSync(join(installed, t)), `${t} (package.json) is in the package`);
});

test("import { convertJson } from 'slimfile' in Node gives the CLI's JSON on every conversion fixture", () => {
  const out = runInProject("convert-all.mjs", `
    import { readFileSync } from "node:fs";
    import { convertJson } from "slimfile";
    const jobs = JSON.parse(readFileSync(0, "utf8"));
    process.stdout.write(JSON.stringify(jobs.map(([file, options]) => convertJson(readFileSync(file, "utf8"), options))));
  `, JSON.stringify([
    ...fixtures.map((f) => [f, null]),
    ...fixtures.map((f) => [f, { target: "auto", non_root: false, keep_comments: false, cache_mounts: true }]),
  ]));
  const got = JSON.parse(out);
  assert.equal(got.length, 2 * fixtures.length);
  assert.ok(fixtures.length >= 50, `${fixtures.length} fixtures`);
  fixtures.forEach((f, i) => {
    assert.equal(got[i] + "\n", cliJson(f, []), `${f}, default options`);
    assert.equal(got[fixtures.length + i] + "\n", cliJson(f, ["--root", "--no-comments", "--cache-mounts"]), `${f}, options`);
  });
});

test("convert returns the Report as an object, version() is the package's, an unknown option throws", () => {
  const out = runInProject("report.mjs", `
    import { convert, convertJson, version } from "slimfile";
    const text = "FROM ubuntu\\nRUN apt-get update && apt-get install -y golang-go\\nWORKDIR /src\\nCOPY . .\\nRUN CGO_ENABLED=0 go build -o /app .\\nENTRYPOINT [\\"/app\\"]\\n";
    const report = convert(text, { target: "distroless/static" });
    let error = null;
    try { convert(text, { nonRoot: false }); } catch (e) { error = String(e.message ?? e); }
    console.log(JSON.stringify({
      same: JSON.stringify(report) === JSON.stringify(JSON.parse(convertJson(text, { target: "distroless/static" }))),
      status: report.status, runtime: report.runtime, hasOutput: typeof report.output === "string",
      version: version(), error,
    }));
  `);
  const r = JSON.parse(out);
  assert.deepEqual(r, {
    same: true, status: "converted", runtime: "distroless/static", hasOutput: true, version: cargoVersion,
    error: "unknown option 'nonRoot' (expected target, non_root, keep_comments, cache_mounts, carry_files, date)",
  });
});

test("convert(text, options, files): the project's files, as the CLI reads the same folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "slimfile-npm-context-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = JSON.stringify({ name: "api", scripts: { start: "node server.js" }, dependencies: { express: "^4.19.2" } }, null, 2);
  writeFileSync(join(dir, "package.json"), pkg);
  writeFileSync(join(dir, "server.js"), "require('express')().listen(3000);\n");
  const text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"start\"]\n";
  const out = runInProject("files.mjs", `
    import { convert, convertJson } from "slimfile";
    const text = ${JSON.stringify(text)};
    const pkg = ${JSON.stringify(pkg)};
    const whole = convertJson(text, null, { files: { "package.json": pkg }, paths: ["package.json", "server.js"], complete: true });
    const pasted = convert(text, {}, { "package.json": pkg });
    let error = null;
    try { convert(text, {}, { "package.json": 42 }); } catch (e) { error = String(e.message ?? e); }
    console.log(JSON.stringify({ whole, runtime: pasted.runtime, used: pasted.context.files_used, error }));
  `);
  const r = JSON.parse(out);
  const cliRun = spawnSync(cli, ["convert", "-", "--format", "json", "--no-config", "--context", dir], { input: text, encoding: "utf8" });
  assert.equal(r.whole + "\n", cliRun.stdout, "the same context gives the CLI's JSON");
  assert.equal(r.runtime, "distroless/nodejs");
  assert.deepEqual(r.used, ["package.json"]);
  assert.equal(r.error, "the file 'package.json' is not text");
});

test("slimfile/wasm: the wasm-bindgen module, initialised by hand", () => {
  const out = runInProject("wasm.mjs", `
    import { readFileSync } from "node:fs";
    import { createRequire } from "node:module";
    import { initSync, convert } from "slimfile/wasm";
    const wasm = createRequire(import.meta.url).resolve("slimfile/wasm").replace(/slimfile_js\.js$/, "slimfile_js_bg.wasm");
    initSync({ module: readFileSync(wasm) });
    console.log(convert("FROM scratch\\nCOPY app /app\\nENTRYPOINT [\\"/app\\"]\\n").status);
  `);
  assert.equal(out.trim(), "unchanged");
});

test("the browser entry (index.js) fetches the wasm next to it and resolves once it is ready", () => {
  // What a browser or bundler gets (the "default" condition); Node's fetch cannot read file: URLs, so this
  // page's fetch serves the package's files as a web server would.
  const out = runInProject("browser.mjs", `
    import { readFileSync } from "node:fs";
    const fetched = [];
    globalThis.fetch = async (url) => {
      fetched.push(String(url).replace(/^.*node_modules\\//, ""));
      return new Response(readFileSync(new URL(url)), { headers: { "content-type": "application/wasm" } });
    };
    const { convertJson, version } = await import(new URL("./node_modules/slimfile/index.js", import.meta.url));
    console.log(JSON.stringify({ fetched, version: version(), status: JSON.parse(convertJson("FROM node:22\\nCMD [\\"node\\", \\"x.js\\"]\\n")).status }));
  `);
  const r = JSON.parse(out);
  assert.deepEqual(r.fetched, ["slimfile/js/slimfile_js_bg.wasm"]);
  assert.equal(r.version, cargoVersion);
  assert.match(r.status, /^(converted|unchanged|refused)$/);
});

test("slimfile/embed is the site's widget loader, with the widget's page, scripts and engine beside it", () => {
  const resolved = runInProject("embed.mjs", `
    import { createRequire } from "node:module";
    console.log(createRequire(import.meta.url).resolve("slimfile/embed"));
  `).trim();
  assert.equal(resolved, join(installed, "embed.js"));
  assert.equal(readFileSync(join(installed, "embed.js"), "utf8"), readFileSync(join(root, "www/embed.js"), "utf8"));
  const html = readFileSync(join(installed, "embed.html"), "utf8");
  for (const ref of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
    assert.ok(existsSync(join(installed, ref[1])), `embed.html's ${ref[1]} is in the package`);
  }
  const widget = readFileSync(join(installed, "embed-widget.js"), "utf8");
  for (const ref of widget.matchAll(/^import .* from '([^']+)';$/gm)) {
    assert.ok(existsSync(join(installed, ref[1])), `embed-widget.js's import ${ref[1]} is in the package`);
  }
  // "Open in playground" opens index.html next to embed.html: here it goes on to the site's playground.
  assert.ok(readFileSync(join(installed, "open-playground.js"), "utf8").includes(`'${homepage}'`));
  assert.ok(readFileSync(join(installed, "index.html"), "utf8").includes('src="open-playground.js"'));
});

test("the TypeScript types declare the API and the Report", () => {
  const index = readFileSync(join(installed, manifest.types), "utf8");
  assert.match(index, /export \{ convert, convertJson, version \} from "\.\/js\/slimfile_js\.js";/);
  const dts = readFileSync(join(installed, "js/slimfile_js.d.ts"), "utf8");
  for (const decl of ["export function convert(", "export function convertJson(", "export function version(",
    "export interface Report", "export interface ConvertOptions"]) {
    assert.ok(dts.includes(decl), `js/slimfile_js.d.ts declares ${decl}`);
  }
});
