#!/usr/bin/env bash
# The whole static site in one folder, OUT (default dist/): serve it as it is, from any path of any host.
#   index.html + its hashed wasm/js/css   the playground (trunk build --release)
#   embed.html, embed-widget.js, embed.css, theme.css   the widget (README, "The widget")
#   embed.js                              the loader docs pages include
#   js/                                   the JavaScript API (crates/slimfile-js), which the widget uses too
#   demo.html, demo.css, demo.js          a docs page with three widgets
# trunk builds one HTML entry per run and empties its dist folder: its post_build hook
# (scripts/trunk-post-build.sh, Trunk.toml) adds the rest, so `trunk serve` has the whole site too.
# Prints the size of what each part's visitor downloads, raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"

bash scripts/install-web-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

trunk --skip-version-check build --release --dist "$out"

size() { # raw and gzip -9 bytes of the files given, summed
    local raw=0 gz=0 f
    for f in "$@"; do
        raw=$((raw + $(stat -c %s "$f")))
        gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
    done
    printf '%-58s %10d %10d\n' "$label" "$raw" "$gz"
}
echo
printf '%-58s %10s %10s\n' "what (in $out/)" raw gzip-9
label="playground: wasm + js (bindings, snippets)"; size "$out"/slimfile-web-*.wasm "$out"/slimfile-web-*.js "$out"/snippets/*/www/*.js
label="playground: html + css + boot.js";       size "$out"/index.html "$out"/theme-*.css "$out"/style-*.css "$out"/boot.js
label="widget: wasm + js (js/slimfile_js*)";    size "$out"/js/slimfile_js_bg.wasm "$out"/js/slimfile_js.js
label="widget: embed.html + embed-widget.js + share.js + css"; size "$out"/embed.html "$out"/embed-widget.js "$out"/share.js "$out"/embed.css "$out"/theme.css
label="loader on the docs page: embed.js";      size "$out"/embed.js
