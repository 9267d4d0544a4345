# syntax=docker/dockerfile:1
FROM rust:1.77-bookworm

WORKDIR /app
COPY . .

RUN <<EOF
set -e
cargo build --release --locked
cp target/release/ledger /usr/local/bin/ledger
EOF

EXPOSE 8080
CMD ["ledger"]
