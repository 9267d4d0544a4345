# rust:1.95 stand-in with rustup, the way the official image installs Rust: rustup-init from
# static.rust-lang.org, the minimal profile of the pinned toolchain, RUSTUP_HOME=/usr/local/rustup,
# CARGO_HOME=/usr/local/cargo on PATH, gcc and libc6-dev for linking. Its rustup can add targets
# (`rustup target add x86_64-unknown-linux-musl`), which Debian's rustc in rust.Dockerfile cannot.
FROM localhost/debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
# The machine's own extra CA certificates (build.sh copies them to host-ca/; see python.Dockerfile), so
# rustup reaches static.rust-lang.org through a TLS-intercepting proxy too.
COPY host-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || true
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION=1.95.0 \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN curl --proto '=https' --tlsv1.2 -sSf -o /tmp/rustup-init \
        "https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init" \
 && chmod +x /tmp/rustup-init \
 && /tmp/rustup-init -y -q --no-modify-path --profile minimal --default-toolchain "$RUST_VERSION" \
 && rm /tmp/rustup-init \
 && chmod -R a+w "$RUSTUP_HOME" "$CARGO_HOME" \
 && rustc --version
