# slimfile's own image, ghcr.io/slimfile/slimfile: the command line as one static binary (musl) on an
# empty image. `slimfile check` passes this file with no finding (scripts/test-image.sh).
#   docker build -t slimfile .
#   docker run --rm -i slimfile check - < Dockerfile
# The build context is the repository; .dockerignore lets only the workspace's manifests and sources in.
FROM rust:1.95-trixie AS build
WORKDIR /src
COPY . .
RUN rustup target add "$(uname -m)-unknown-linux-musl" \
 && cargo build --locked --profile cli -p slimfile-cli --target "$(uname -m)-unknown-linux-musl" \
 && cp "target/$(uname -m)-unknown-linux-musl/cli/slimfile" /usr/local/bin/slimfile

FROM scratch
COPY --from=build /usr/local/bin/slimfile /slimfile
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/slimfile"]
CMD ["--help"]
