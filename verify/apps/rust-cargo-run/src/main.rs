//! tally-server: answers `GET /sum?n=N` with the sum and the sum of squares of 1..=N as JSON, and
//! `GET /healthz` with `ok` (std only: no crate to fetch).
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

fn answer(path: &str) -> (u16, String) {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    match route {
        "/healthz" => (200, "ok\n".to_owned()),
        "/sum" => {
            let n: u64 = query.split('&').find_map(|kv| kv.strip_prefix("n=")).and_then(|v| v.parse().ok()).unwrap_or(10);
            let sum: u64 = (1..=n).sum();
            let squares: u64 = (1..=n).map(|k| k * k).sum();
            (200, format!("{{\"n\":{n},\"sum\":{sum},\"squares\":{squares}}}\n"))
        }
        _ => (404, "not found\n".to_owned()),
    }
}

fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let listener = TcpListener::bind(format!("0.0.0.0:{port}")).expect("bind");
    eprintln!("tally-server listening on {port}");
    for stream in listener.incoming().flatten() {
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            continue;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let (status, body) = answer(&path);
        let reason = if status == 200 { "OK" } else { "Not Found" };
        let mut out = &stream;
        let _ = write!(out, "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    }
}
