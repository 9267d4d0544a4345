# rust:RELEASE stand-in: rustup's RUST_VERSION toolchain (profile minimal: rustc, cargo, rust-std), installed
# from static.rust-lang.org as the official image installs it, with its layout: RUSTUP_HOME=/usr/local/rustup,
# CARGO_HOME=/usr/local/cargo on PATH; gcc and libc6-dev for linking (what rust:slim adds; the full image is
# buildpack-deps with more -dev packages).
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ARG RUST_VERSION=1.95.0
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev git ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
# The machine's extra CA certificates (see python.Dockerfile), before anything is fetched over TLS.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN curl -fsSL -o /tmp/rustup-init https://static.rust-lang.org/rustup/dist/x86_64-unknown-linux-gnu/rustup-init \
 && chmod +x /tmp/rustup-init \
 && /tmp/rustup-init -y -q --no-modify-path --profile minimal --default-toolchain "$RUST_VERSION" \
 && rm /tmp/rustup-init \
 && chmod -R a+w "$RUSTUP_HOME" "$CARGO_HOME" \
 && rustc --version && cargo --version
