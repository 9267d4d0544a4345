// The share format, the one implementation of it: what a playground link's fragment and a widget's iframe
// carry, and what the playground keeps in localStorage before compression.
//
//   code    = "v1." + base64url(raw deflate(payload)), base64url without padding (RFC 4648 §5)
//   payload = one line of options, "target=auto&non_root=1&keep_comments=1&cache_mounts=0", a newline,
//             then the Dockerfile as typed. With project files the options line ends "&files=1" and the
//             second line is their JSON, {"files": {path: text}, "paths": [...], "complete": bool} (the
//             engine's BuildContext: JSON strings hold no newline); links without it open as before.
//
// The browser's own deflate (CompressionStream) does the work, so the playground's wasm carries no
// compressor: src/share.rs imports codeToPayload and payloadToCode from here (a wasm-bindgen snippet), and
// the widget (embed-widget.js) imports all of it. The loader (embed.js, a classic script for docs pages)
// repeats only payloadToCode's ten lines; tests/widget.rs checks that its links open.
//
// Decoding is lenient about the options (an unknown key or target is ignored) and strict about size:
// nothing larger than the engine reads is ever inflated, so a small link cannot expand into a huge text.

// The engine reads at most 1 MiB (MAX_INPUT_BYTES in crates/slimfile-core/src/syntax.rs); the options line
// and the project files a link carries (at most 64 KiB of files and a 16 KiB listing, src/share.rs) get
// room on top.
export const MAX_PAYLOAD = (1 << 20) + (128 << 10);
const PREFIX = 'v1.';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64urlEncode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(3, bytes.length - i) + 1;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

// Also reads standard base64 ('+', '/', '=' padding), in case a link went through a tool that rewrote it.
// null when a character is foreign or a single character is left over (no encoder makes that).
function base64urlDecode(text) {
  text = text.replace(/=+$/, '');
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0, acc = 0, n = 0;
  for (const ch of text) {
    const v = ch === '+' ? 62 : ch === '/' ? 63 : ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
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

/// The code (`v1.…`, with or without a leading `#`) for a payload.
export async function payloadToCode(payload) {
  const stream = new Blob([new TextEncoder().encode(payload)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return PREFIX + base64urlEncode(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/// The payload a code holds, or null when the text is not one of ours, is damaged, is not UTF-8 or would
/// inflate past MAX_PAYLOAD.
export async function codeToPayload(code) {
  code = code.replace(/^#/, '');
  if (!code.startsWith(PREFIX)) return null;
  const bytes = base64urlDecode(code.slice(PREFIX.length));
  if (!bytes) return null;
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const inflated = await readAll(stream, MAX_PAYLOAD);
    return inflated && new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return null;
  }
}

/// The payload for a text, options ({target: 'auto' or a family, non_root, keep_comments, cache_mounts,
/// carry_files}) and, optionally, project files (a BuildContext object).
export function makePayload(text, options, files) {
  const flag = (b) => (b ? '1' : '0');
  return `target=${options.target ?? 'auto'}&non_root=${flag(options.non_root)}` +
    `&keep_comments=${flag(options.keep_comments)}&cache_mounts=${flag(options.cache_mounts)}` +
    `&carry_files=${flag(options.carry_files ?? true)}` +
    (files ? `&files=1\n${JSON.stringify(files)}` : '') + `\n${text}`;
}

/// {text, options, files} from a payload (files null when it has none), or null when it has no options
/// line or its files line is not JSON. Options it does not name keep the engine's defaults.
export function parsePayload(payload) {
  const nl = payload.indexOf('\n');
  if (nl < 0) return null;
  const options = { target: 'auto', non_root: true, keep_comments: true, cache_mounts: false, carry_files: true };
  let seen = false;
  let withFiles = false;
  for (const pair of payload.slice(0, nl).split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    seen = true;
    const [k, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
    if (k === 'target') options.target = v;
    else if (k === 'non_root' || k === 'keep_comments' || k === 'cache_mounts' || k === 'carry_files') options[k] = v === '1';
    else if (k === 'files') withFiles = v === '1';
  }
  if (!seen) return null;
  let rest = payload.slice(nl + 1);
  let files = null;
  if (withFiles) {
    const end = rest.indexOf('\n');
    try {
      files = JSON.parse(end < 0 ? rest : rest.slice(0, end));
    } catch {
      return null;
    }
    rest = end < 0 ? '' : rest.slice(end + 1);
  }
  return { text: rest, options, files };
}
