# rust:bookworm stand-in: Debian 12's rustc and cargo (1.63; the official image has rustup's newest) with
# the official image's layout: CARGO_HOME=/usr/local/cargo on PATH, gcc and libc6-dev for linking.
FROM localhost/debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends rustc cargo gcc libc6-dev git ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/cargo/bin && chmod -R a+w /usr/local/cargo
