/* slimfile embed loader: a docs page writes its Dockerfile in a block and gets slimfile's widget in its place.
 *
 *   <script src="https://slimfile.github.io/slimfile/embed.js" defer></script>
 *   <pre class="slimfile">FROM ubuntu
 *   RUN apt-get update && apt-get install -y golang-go …</pre>
 *   <script type="text/dockerfile" data-editable>FROM node:22 …</script>   (no HTML escaping needed inside)
 *
 * Options, as data- attributes of the block: data-target (a runtime family, default auto), data-non-root
 * ("false" keeps root), data-keep-comments ("false"), data-cache-mounts ("true"), data-carry-files ("false":
 * the program only), data-editable, data-theme
 * (light, dark or auto; default: the host page's, else the system's), data-title (the iframe's title).
 *
 * Each block becomes an iframe of embed.html (next to this file, or the script tag's data-embed URL) whose
 * fragment holds the Dockerfile and options in the playground's share format: `v1.` + base64url(raw deflate(
 * options line + "\n" + Dockerfile)) — src/share.rs. The iframe reports its height and this script sizes it.
 * No dependencies, no inline styles or HTML: it works under a strict Content-Security-Policy that allows
 * this script's origin in script-src and frame-src. Browsers without CompressionStream keep the block.
 * `window.slimfileEmbed.scan()` converts blocks added later (by a docs framework's client-side router).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var embedUrl = new URL((script && script.dataset.embed) || 'embed.html', script ? script.src : location.href);
  var origin = embedUrl.origin;
  var frames = []; // { iframe, theme (the block's own, or null to follow the page) }
  var count = 0;
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  // Strips the blank lines around the text and the indentation all its lines share (a block is usually
  // indented like the HTML around it), and ends it with one newline.
  function dedent(text) {
    var lines = text.replace(/\r\n?/g, '\n').split('\n');
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    var indent = null;
    lines.forEach(function (l) {
      if (!l.trim()) return;
      var n = l.match(/^[ \t]*/)[0].length;
      indent = indent === null ? n : Math.min(indent, n);
    });
    return lines.map(function (l) { return l.slice(indent || 0); }).join('\n') + '\n';
  }

  function flag(v) { return v ? '1' : '0'; }

  function payload(text, data) {
    // Only a family name's characters: a newline or `&` in the attribute must not reach the payload's format.
    return 'target=' + ((data.target || 'auto').replace(/[^A-Za-z0-9\/._-]/g, '') || 'auto') +
      '&non_root=' + flag(data.nonRoot !== 'false') +
      '&keep_comments=' + flag(data.keepComments !== 'false') +
      '&cache_mounts=' + flag(data.cacheMounts === 'true' || data.cacheMounts === '') +
      '&carry_files=' + flag(data.carryFiles !== 'false') +
      '\n' + text;
  }

  function base64url(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      var chars = Math.min(3, bytes.length - i) + 1;
      for (var k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
    }
    return out;
  }

  function encode(text) {
    var stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then(function (buf) { return 'v1.' + base64url(new Uint8Array(buf)); });
  }

  function validTheme(t) { return t === 'light' || t === 'dark' || t === 'auto' ? t : null; }

  // The host page's theme: its <html data-theme>, a "dark"/"light" class, or a single color-scheme;
  // otherwise "auto" (the widget follows the system).
  function pageTheme() {
    var html = document.documentElement;
    var t = validTheme(html.dataset.theme) || validTheme(html.dataset.colorScheme);
    if (t) return t;
    if (html.classList.contains('dark')) return 'dark';
    if (html.classList.contains('light')) return 'light';
    var scheme = getComputedStyle(html).colorScheme;
    return scheme === 'dark' || scheme === 'light' ? scheme : 'auto';
  }

  function mount(block) {
    var data = block.dataset;
    var text = dedent(block.textContent || '');
    if (!text.trim()) return;
    var id = 'slimfile-' + ++count;
    block.dataset.slimfile = 'pending';
    encode(payload(text, data)).then(function (code) {
      var own = validTheme(data.theme);
      var iframe = document.createElement('iframe');
      iframe.src = embedUrl.href.replace(/#.*$/, '') + '#' + code + '&id=' + id +
        '&theme=' + (own || pageTheme()) + (data.editable !== undefined && data.editable !== 'false' ? '&editable' : '');
      iframe.title = data.title || 'slimfile: this Dockerfile and its slim multi-stage version';
      iframe.className = 'slimfile-embed';
      iframe.id = id;
      iframe.loading = 'lazy';
      iframe.referrerPolicy = 'no-referrer';
      iframe.height = '180';
      // Styles set through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
      iframe.style.display = 'block';
      iframe.style.width = '100%';
      iframe.style.border = '0';
      frames.push({ iframe: iframe, theme: own, loaded: false, sent: null });
      block.replaceWith(iframe);
    }, function () {
      block.dataset.slimfile = 'failed';
    });
  }

  function scan(root) {
    if (typeof CompressionStream !== 'function') return;
    var blocks = (root || document).querySelectorAll('pre.slimfile:not([data-slimfile]), script[type="text/dockerfile"]:not([data-slimfile])');
    Array.prototype.forEach.call(blocks, mount);
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== origin || !e.data || e.data.type !== 'slimfile:height') return;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i].iframe;
      if (f.contentWindow === e.source) {
        var h = Number(e.data.height);
        if (isFinite(h) && h > 0) f.height = String(Math.min(Math.ceil(h), 20000));
        // A lazy iframe may load after the page changed its theme: its first message gets the current one.
        if (!frames[i].loaded) {
          frames[i].loaded = true;
          if (!frames[i].theme) sendTheme(frames[i], pageTheme());
        }
        return;
      }
    }
  });

  // The page switches its theme (a toggle in the docs): tell the widgets that follow it.
  function sendTheme(f, t) {
    if (!f.loaded || f.sent === t) return;
    f.sent = t;
    f.iframe.contentWindow.postMessage({ type: 'slimfile:theme', theme: t }, origin);
  }
  function themeChanged() {
    var t = pageTheme();
    frames.forEach(function (f) { if (!f.theme) sendTheme(f, t); });
  }
  new MutationObserver(themeChanged).observe(document.documentElement, {
    attributes: true, attributeFilter: ['class', 'data-theme', 'data-color-scheme', 'style'],
  });

  window.slimfileEmbed = { scan: scan };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { scan(); });
  else scan();
})();
