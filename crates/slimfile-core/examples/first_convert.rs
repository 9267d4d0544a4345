//! How long the first `convert` of a fresh process takes (it touches every knowledge table), against
//! the next ones: `cargo run --release -p slimfile-core --example first_convert [-- FILE]`.
//! Run it a few times: each run is one fresh process.
use std::time::Instant;

const DOCKERFILE: &str = "FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y libpq-dev build-essential curl
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /app .
EXPOSE 8080
ENTRYPOINT [\"/app\"]
";

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path).expect("readable"),
        None => DOCKERFILE.to_owned(),
    };
    let options = slimfile_core::Options::default();
    let t = Instant::now();
    let first = slimfile_core::convert(&text, &options);
    let first_time = t.elapsed();
    let mut next = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        std::hint::black_box(slimfile_core::convert(&text, &options));
        next.push(t.elapsed());
    }
    next.sort();
    println!(
        "status {:?}: first convert {:.2} ms, next ones median {:.2} ms",
        first.status,
        first_time.as_secs_f64() * 1e3,
        next[next.len() / 2].as_secs_f64() * 1e3
    );
}
