# python:X.Y stand-in: the release's python3 and pip (BASE localhost/debian:bullseye 3.9, bookworm 3.11,
# trixie 3.13; localhost/ubuntu:noble 3.12), with the official image's layout: pip installs into
# /usr/local/lib/pythonX.Y/site-packages (Debian calls it dist-packages: a symlink joins the two),
# console scripts into /usr/local/bin, `python`, `python3` and `pip` in /usr/local/bin, no PEP 668 lock.
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv python3-dev \
        gcc libc6-dev ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && v=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') \
 && mkdir -p /usr/local/lib/python$v/site-packages \
 && rm -rf /usr/local/lib/python$v/dist-packages \
 && ln -s site-packages /usr/local/lib/python$v/dist-packages \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/python3 /usr/local/bin/python3 \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip \
 && rm -f /usr/lib/python$v/EXTERNALLY-MANAGED
CMD ["python3"]
# The machine's own extra CA certificates (build.sh copies /usr/local/share/ca-certificates/*.crt here), for
# registries reached through a TLS-intercepting proxy; empty elsewhere. Last, so the layers above stay cached.
# PIP_CERT: a pip newer than the release's (one a Dockerfile upgrades to) reads its own CA list, not the system's.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
