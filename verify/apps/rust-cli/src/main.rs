//! myapp: prints the first rows of Pascal's triangle and a FNV-1a hash of them, threads included
//! (std only: the Rust toolchain here cannot reach a crates index older than the sparse protocol).
use std::env;
use std::sync::mpsc;
use std::thread;

fn row(n: u64) -> Vec<u64> {
    let mut r = vec![1u64];
    for k in 0..n {
        let next = r[k as usize] * (n - k) / (k + 1);
        r.push(next);
    }
    r
}

fn fnv1a(data: &str) -> u64 {
    data.bytes().fold(0xcbf29ce484222325, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let lines = args.iter().position(|a| a == "--lines").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(5u64);
    let (tx, rx) = mpsc::channel();
    for n in 0..lines {
        let tx = tx.clone();
        thread::spawn(move || tx.send((n, row(n))).unwrap());
    }
    drop(tx);
    let mut rows: Vec<(u64, Vec<u64>)> = rx.iter().collect();
    rows.sort();
    let text: Vec<String> = rows.iter().map(|(_, r)| r.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")).collect();
    for t in &text {
        println!("{t}");
    }
    println!("fnv1a {:016x}", fnv1a(&text.join("\n")));
}
