//! Prints each corpus file's status and first reason: `cargo run --example reasons -- FILE...`.
fn main() {
    for path in std::env::args().skip(1) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string();
        let r = slimfile_core::convert(&text, &slimfile_core::Options::default());
        println!("{:?}\t{}\t{}\t{}", r.status, r.ecosystem.as_deref().unwrap_or("-"), path, r.reasons.first().map(String::as_str).unwrap_or(""));
    }
}
