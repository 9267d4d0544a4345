# golang:bookworm stand-in: Debian 12's Go (1.19) with what the official image adds (gcc, libc6-dev, git,
# make, pkg-config: buildpack-deps:bookworm-scm plus the C toolchain for cgo), GOPATH=/go.
FROM localhost/debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends golang-go gcc libc6-dev git make pkg-config \
        ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go
WORKDIR /go
