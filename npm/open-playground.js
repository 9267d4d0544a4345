// The widget's "Open in playground" opens index.html next to embed.html. This package carries the widget
// but not the playground: this page goes on to the playground on the site, with the same Dockerfile and
// options (the fragment).
location.replace(new URL(location.hash, '@HOMEPAGE@').href);
