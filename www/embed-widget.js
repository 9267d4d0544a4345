// slimfile's embeddable widget (embed.html): a Dockerfile and its slim version as a compact diff, a savings
// badge, the reasons for the changes and an "open in playground" link carrying the same state.
//
// A thin shell over the JavaScript API (js/slimfile_js.js, crates/slimfile-js): the engine's Report is
// rendered as it is, the widget holds no conversion logic. Nothing from the fragment or the host page is
// ever inserted as HTML: every element is made with createElement, every text set with textContent.
//
// The fragment: `#v1.<code>[&editable][&theme=light|dark|auto][&id=<name>]`, where `v1.<code>` is the
// playground's share format (share.js): base64url of the raw-deflated payload, whose first line holds
// the options (`target=auto&non_root=1&keep_comments=1&cache_mounts=0&carry_files=1`) and the rest is the
// Dockerfile.
//
// Messages: to the parent, `{type: "slimfile:height", id, height}` whenever the content's height changes
// (www/embed.js resizes the iframe); from the parent, `{type: "slimfile:theme", theme}`.

import init, { convert, version } from './js/slimfile_js.js';
import { codeToPayload, makePayload, parsePayload, payloadToCode } from './share.js';

// Unchanged lines kept around a change; longer unchanged runs fold into a button.
const CONTEXT = 2;
const THEMES = ['light', 'dark', 'auto'];

const root = document.documentElement;
document.addEventListener('securitypolicyviolation', () => {
  root.dataset.cspViolations = String(Number(root.dataset.cspViolations || 0) + 1);
});

// ---------------------------------------------------------------------------------------------------------
// The state: the fragment, read with the share codec (share.js, which the playground uses too).

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

/// The text and options a `v1.` code holds, or null when it is not one or is damaged.
async function decodeState(code) {
  const payload = await codeToPayload(code);
  return payload === null ? null : parsePayload(payload);
}

function encodeState(text, options, files) {
  return payloadToCode(makePayload(text, options, files));
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

// `files`: the project files a playground link carries (null for none), converted with as there.
function runConvert(text, options, files) {
  try {
    return convert(text, options, files ?? undefined);
  } catch {
    // An unknown target from an older or newer link: let slimfile choose, as the playground does.
    return convert(text, { ...options, target: 'auto' }, files ?? undefined);
  }
}

// The widget's three parts: the bar (badge, runtime, link), the editor (with `editable` only) and the body
// (diff and reasons). A re-render replaces the bar's and the body's children, never the editor, which
// keeps its focus and caret.
const bar = el('header', { class: 'bar' });
const body = el('div', { class: 'body' });

function render() {
  const report = runConvert(state.text, state.options, state.files);
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
      const code = await encodeState(text, state.options, state.files);
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
