#!/usr/bin/env bash
# trunk's post_build hook (Trunk.toml): trunk builds one HTML entry (the playground) and empties its dist
# folder on every run, so this adds the rest of the site to what trunk is about to publish: the widget
# (embed.html, embed-widget.js, share.js, embed.css, theme.css), the loader (embed.js), the demo docs page and the
# JavaScript API in js/, built with trunk's profile. `trunk serve` and `trunk build` both get the whole site.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml [[hooks]])}"
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
    bash scripts/build-js.sh "$TRUNK_STAGING_DIR/js" > /dev/null
else
    bash scripts/build-js.sh "$TRUNK_STAGING_DIR/js" --debug > /dev/null
fi
cp www/embed.html www/embed-widget.js www/share.js www/embed.css www/theme.css www/embed.js \
   www/demo.html www/demo.css www/demo.js "$TRUNK_STAGING_DIR/"
