// slimfile's embeddable widget (embed.html): a Dockerfile and its slim version as a compact diff, a savings
// badge, the reasons for the changes and an "open in playground" link carrying the same state.
//
// A thin shell over the JavaScript API (js/slimfile_js.js, crates/slimfile-js): the engine's Report is
// rendered as it is, the widget holds no conversion logic. Nothing from the fragment or the host page is
// ever inserted as HTML: every element is made with createElement, every text set with textContent.
//
// The fragment: `#v1.<code>[&editable][&theme=light|dark|auto][&id=<name>]`, where `v1.<code>` is the
// playground's share format (src/share.rs): base64url of the raw-deflated payload, whose first line holds
// the options (`target=auto&non_root=1&keep_comments=1&cache_mounts=0`) and the rest is the Dockerfile.
//
// Messages: to the parent, `{type: "slimfile:height", id, height}` whenever the content's height changes
// (www/embed.js resizes the iframe); from the parent, `{type: "slimfile:theme", theme}`.

import init, { convert, version } from './js/slimfile_js.js';

// The engine reads at most this much (MAX_INPUT_BYTES in crates/slimfile-core/src/syntax.rs); the options
// line gets some room on top. Nothing larger is ever inflated.
const MAX_PAYLOAD = (1 << 20) + 256;
// Unchanged lines kept around a change; longer unchanged runs fold into a button.
const CONTEXT = 2;
const THEMES = ['light', 'dark', 'auto'];

const root = document.documentElement;
document.addEventListener('securitypolicyviolation', () => {
  root.dataset.cspViolations = String(Number(root.dataset.cspViolations || 0) + 1);
});

// ---------------------------------------------------------------------------------------------------------
// The state: the fragment, the share codec (the same format as src/share.rs, with the browser's own
// raw-deflate streams).

function parseFragment(hash) {
  const [code, ...rest] = hash.replace(/^#/, '').split('&');
  const flags = { editable: false, theme: 'auto', id: '' };
  for (const part of rest) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (key === 'editable') flags.editable = value !== '0';
    else if (key === 'theme' && THEMES.includes(value)) flags.theme = value;
    else if (key === 'id' && /^[A-Za-z0-9_-]{1,64}$/.test(value)) flags.id = value;
  }
  return { code, flags };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64urlDecode(text) {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0, acc = 0, n = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

function base64urlEncode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(3, bytes.length - i) + 1;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

async function readAll(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

/// The text and options a `v1.` code holds, or null when it is not one or is damaged.
async function decodeState(code) {
  if (!code.startsWith('v1.')) return null;
  const bytes = base64urlDecode(code.slice(3));
  if (!bytes) return null;
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const inflated = await readAll(stream, MAX_PAYLOAD);
    if (!inflated) return null;
    return parsePayload(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    return null;
  }
}

function parsePayload(payload) {
  const nl = payload.indexOf('\n');
  if (nl < 0) return null;
  const options = { target: 'auto', non_root: true, keep_comments: true, cache_mounts: false };
  let seen = false;
  for (const pair of payload.slice(0, nl).split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    seen = true;
    const [k, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
    if (k === 'target') options.target = v;
    else if (k === 'non_root' || k === 'keep_comments' || k === 'cache_mounts') options[k] = v === '1';
  }
  return seen ? { text: payload.slice(nl + 1), options } : null;
}

async function encodeState(text, options) {
  const flag = (b) => (b ? '1' : '0');
  const payload = `target=${options.target ?? 'auto'}&non_root=${flag(options.non_root)}` +
    `&keep_comments=${flag(options.keep_comments)}&cache_mounts=${flag(options.cache_mounts)}\n${text}`;
  const stream = new Blob([new TextEncoder().encode(payload)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return 'v1.' + base64urlEncode(new Uint8Array(await new Response(stream).arrayBuffer()));
}

// ---------------------------------------------------------------------------------------------------------
// Rendering: elements and text only.

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role') node.setAttribute(k, String(v));
    else node[k] = v;
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/// Text with `code` spans (the engine's reasons quote names and paths in backticks).
function rich(text) {
  return text.split('`').map((piece, i) => (i % 2 ? el('code', { text: piece }) : document.createTextNode(piece)));
}

/// Decimal units with three significant digits, as `docker images` shows them (as the playground does).
function human(bytes) {
  const units = [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [scale, unit] of units) {
    if (bytes >= scale) {
      const v = bytes / scale;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return `${bytes} B`;
}

function badge(report) {
  const est = report.estimate;
  if (report.status === 'converted' && est?.savings && est.rewritten) {
    const s = est.savings;
    return el('span', {
      class: 'badge saving',
      'data-saving-percent': s.percent.toFixed(1),
      title: `Estimated before building: ${human(s.bytes.low)}–${human(s.bytes.high)} smaller ` +
        `(${s.percent_low.toFixed(0)}–${s.percent_high.toFixed(0)}%), ${human(s.compressed.typical)} less to pull. ` +
        'The playground shows every layer and assumption.',
    },
    el('strong', { text: `−${s.percent.toFixed(0)}%` }),
    ` ${human(est.original.total.typical)} → ${human(est.rewritten.total.typical)}`);
  }
  if (report.status === 'converted') return el('span', { class: 'badge converted', text: 'rewritten' });
  if (report.status === 'unchanged') return el('span', { class: 'badge unchanged', text: 'already slim' });
  return el('span', { class: 'badge refused', text: 'not converted' });
}

function lineText(side) {
  return side.segments.map((s) => (s.emphasized ? el('mark', { text: s.text }) : document.createTextNode(s.text)));
}

function diffLine(kind, side, oldNo, newNo) {
  const sign = kind === 'delete' ? '−' : kind === 'insert' ? '+' : ' ';
  return el('div', { class: `line ${kind}`, role: 'row' },
    el('span', { class: 'no', role: 'cell', 'aria-hidden': 'true', text: oldNo ?? '' }),
    el('span', { class: 'no', role: 'cell', 'aria-hidden': 'true', text: newNo ?? '' }),
    el('span', { class: 'sign', role: 'cell', 'aria-label': kind === 'equal' ? 'unchanged' : kind === 'delete' ? 'removed' : 'added', text: sign }),
    el('span', { class: 'code', role: 'cell' }, lineText(side)));
}

/// The rows of the Report's diff as a unified diff: a run of changed rows shows its removed lines, then its
/// added lines; unchanged runs longer than the context fold into a button.
function diffView(rows) {
  const table = el('div', { class: 'diff', role: 'table', 'aria-label': 'Original and rewritten Dockerfile, as a diff' });
  let i = 0;
  while (i < rows.length) {
    if (rows[i].tag === 'equal') {
      let j = i;
      while (j < rows.length && rows[j].tag === 'equal') j++;
      const run = rows.slice(i, j).map((r) => diffLine('equal', r.right, r.left.line, r.right.line));
      const head = i === 0 ? 0 : CONTEXT;
      const tail = j === rows.length ? 0 : CONTEXT;
      if (run.length > head + tail + 1) {
        const hidden = run.slice(head, run.length - tail);
        const fold = el('button', {
          type: 'button',
          class: 'fold',
          text: `⋯ ${hidden.length} unchanged line${hidden.length === 1 ? '' : 's'}`,
        });
        fold.addEventListener('click', () => fold.replaceWith(...hidden));
        table.append(...run.slice(0, head), fold, ...run.slice(run.length - tail));
      } else {
        table.append(...run);
      }
      i = j;
    } else {
      let j = i;
      while (j < rows.length && rows[j].tag !== 'equal') j++;
      const run = rows.slice(i, j);
      for (const r of run) if (r.left) table.append(diffLine('delete', r.left, r.left.line, null));
      for (const r of run) if (r.right) table.append(diffLine('insert', r.right, null, r.right.line));
      i = j;
    }
  }
  return table;
}

function reasonsView(report) {
  if (report.status === 'refused') {
    return el('div', { class: 'reasons refused' },
      el('p', { text: 'slimfile will not rewrite this Dockerfile:' }),
      el('ul', {}, report.reasons.map((r) => el('li', {}, rich(r)))));
  }
  if (report.status === 'unchanged') {
    return el('p', { class: 'reasons unchanged' },
      report.reasons.length ? rich(report.reasons.join(' ')) : 'This Dockerfile is already a slim multi-stage build.');
  }
  const changes = report.changes;
  return el('details', { class: 'changes' },
    el('summary', { text: `Why: ${changes.length} change${changes.length === 1 ? '' : 's'}` }),
    el('ul', {}, changes.map((c) => el('li', { 'data-kind': c.kind }, rich(c.why)))));
}

// ---------------------------------------------------------------------------------------------------------
// The widget.

const widget = document.getElementById('widget');
let flags = { editable: false, theme: 'auto', id: '' };
let state = null; // { text, options, code }
let lastHeight = -1;

function applyTheme(theme) {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}

function postHeight() {
  if (window.parent === window) return;
  const height = Math.ceil(widget.getBoundingClientRect().height);
  if (height === lastHeight) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'slimfile:height', id: flags.id, height }, '*');
}

function playgroundHref(code) {
  return new URL(`index.html#${code}`, location.href).href;
}

function showError(message) {
  widget.replaceChildren(el('p', { class: 'error', role: 'alert', text: message }));
  root.dataset.state = 'error';
}

function runConvert(text, options) {
  try {
    return convert(text, options);
  } catch {
    // An unknown target from an older or newer link: let slimfile choose, as the playground does.
    return convert(text, { ...options, target: 'auto' });
  }
}

// The widget's three parts: the bar (badge, runtime, link), the editor (with `editable` only) and the body
// (diff and reasons). A re-render replaces the bar's and the body's children, never the editor, which
// keeps its focus and caret.
const bar = el('header', { class: 'bar' });
const body = el('div', { class: 'body' });

function render() {
  const report = runConvert(state.text, state.options);
  const link = el('a', {
    class: 'open',
    href: playgroundHref(state.code),
    target: '_blank',
    rel: 'noopener noreferrer',
    text: 'Open in playground ↗',
  });
  const runtime = report.runtime_image
    ? el('span', { class: 'runtime', title: 'The final image of the rewritten Dockerfile' }, el('code', { text: report.runtime_image }))
    : null;
  bar.replaceChildren(el('span', { class: 'brand', text: 'slimfile' }), badge(report), runtime ?? '', el('span', { class: 'grow' }), link);
  body.replaceChildren(report.status === 'refused' ? '' : diffView(report.diff.rows), reasonsView(report));
  widget.dataset.status = report.status;
  root.dataset.state = 'ready';
  root.dataset.seq = String(Number(root.dataset.seq || 0) + 1);
  postHeight();
}

function editor() {
  const area = el('textarea', {
    class: 'input',
    spellcheck: false,
    value: state.text,
    'aria-label': 'Dockerfile (editable)',
  });
  area.rows = Math.min(24, Math.max(4, state.text.split('\n').length));
  let timer = 0;
  area.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = area.value;
      const code = await encodeState(text, state.options);
      state = { ...state, text, code };
      render();
    }, 120);
  });
  return area;
}

async function start() {
  const parsed = parseFragment(location.hash);
  flags = parsed.flags;
  applyTheme(flags.theme);
  new ResizeObserver(postHeight).observe(widget);
  window.addEventListener('message', (e) => {
    if (e.source !== window.parent || typeof e.data !== 'object' || e.data === null) return;
    if (e.data.type === 'slimfile:theme' && THEMES.includes(e.data.theme)) applyTheme(e.data.theme);
  });
  const decoded = await decodeState(parsed.code);
  if (!decoded) {
    showError('This widget has no Dockerfile: its link should end in #v1.… as the playground\'s share links do.');
    postHeight();
    return;
  }
  try {
    await init();
  } catch (e) {
    showError(`slimfile could not start its WebAssembly engine: ${e}`);
    postHeight();
    return;
  }
  root.dataset.version = version();
  state = { ...decoded, code: parsed.code };
  widget.replaceChildren(bar, flags.editable ? editor() : '', body);
  render();
  // Navigation start to the first widget drawn (the browser test reports it).
  root.dataset.readyMs = performance.now().toFixed(0);
}

start();
