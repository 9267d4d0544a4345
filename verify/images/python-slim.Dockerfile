# python:X.Y-slim stand-in: the release's python3 and pip without recommends, without a compiler, the same
# site-packages layout as the python stand-in (python.Dockerfile).
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && v=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') \
 && mkdir -p /usr/local/lib/python$v/site-packages \
 && rm -rf /usr/local/lib/python$v/dist-packages \
 && ln -s site-packages /usr/local/lib/python$v/dist-packages \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/python3 /usr/local/bin/python3 \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip \
 && rm -f /usr/lib/python$v/EXTERNALLY-MANAGED
CMD ["python3"]
# The machine's extra CA certificates, as in python.Dockerfile.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
