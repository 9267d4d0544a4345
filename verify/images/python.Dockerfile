# python:3.11 stand-in: Debian 12's python3 (3.11) and pip, with the official image's layout: pip installs
# into /usr/local/lib/python3.11/site-packages (Debian calls it dist-packages: a symlink joins the two),
# console scripts into /usr/local/bin, `python` and `pip` commands, no PEP 668 lock.
FROM localhost/debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv python3-dev \
        gcc libc6-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/lib/python3.11/site-packages \
 && rm -rf /usr/local/lib/python3.11/dist-packages \
 && ln -s site-packages /usr/local/lib/python3.11/dist-packages \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/pip3 /usr/local/bin/pip \
 && rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED
CMD ["python3"]
# The machine's own extra CA certificates (build.sh copies /usr/local/share/ca-certificates/*.crt here), for
# registries reached through a TLS-intercepting proxy; empty elsewhere. Last, so the layers above stay cached.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
