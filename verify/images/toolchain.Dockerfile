# A C/C++ builder stand-in: the release's compilers (PACKAGES), for gcc:N (Debian's gcc; the official gcc image
# builds its own into /usr/local) and for a project's own Ubuntu builder image (build-essential on noble).
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ARG PACKAGES="gcc g++ libc6-dev make"
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends $PACKAGES ca-certificates \
 && rm -rf /var/lib/apt/lists/*
