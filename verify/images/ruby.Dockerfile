# ruby:X.Y-slim stand-in: the release's Ruby (trixie 3.3, bookworm 3.1) and bundler, with the official image's
# gem layout: GEM_HOME and BUNDLE_APP_CONFIG /usr/local/bundle, its bin on PATH, bundler's root warning off.
ARG BASE=localhost/debian:trixie
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends ruby ruby-bundler ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle \
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
# The machine's extra CA certificates (see python.Dockerfile), for rubygems.org through a TLS-intercepting proxy.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
