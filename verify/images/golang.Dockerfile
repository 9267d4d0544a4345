# golang:RELEASE stand-in: the release's Go (bookworm 1.19, trixie 1.24) with what the official image adds (gcc, libc6-dev, git,
# make, pkg-config: buildpack-deps:bookworm-scm plus the C toolchain for cgo), GOPATH=/go.
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends golang-go gcc libc6-dev git make pkg-config \
        ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go
WORKDIR /go
# The machine's extra CA certificates (see python.Dockerfile), for module downloads through a TLS-intercepting proxy.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
