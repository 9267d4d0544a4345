# node:bookworm stand-in: Debian 12's nodejs (18) and npm, node also at /usr/local/bin as in the official image.
FROM localhost/debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm ca-certificates git \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/node /usr/local/bin/node
CMD ["node"]
# The machine's own extra CA certificates (build.sh copies /usr/local/share/ca-certificates/*.crt here), for
# registries reached through a TLS-intercepting proxy; empty elsewhere. Last, so the layers above stay cached.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
