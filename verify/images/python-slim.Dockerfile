# python:3.11-slim stand-in: Debian 12's python3 (3.11) and pip without recommends, the same site-packages
# layout as the python stand-in.
FROM localhost/debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/lib/python3.11/site-packages \
 && rm -rf /usr/local/lib/python3.11/dist-packages \
 && ln -s site-packages /usr/local/lib/python3.11/dist-packages \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/pip3 /usr/local/bin/pip \
 && rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED
CMD ["python3"]
