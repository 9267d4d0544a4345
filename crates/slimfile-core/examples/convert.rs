//! `cargo run -p slimfile-core --example convert -- FILE` prints the rewritten file or the reasons.
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let text = std::fs::read_to_string(path).expect("readable");
    let r = slimfile_core::convert(&text, &slimfile_core::Options::default());
    println!("status: {:?} runtime: {:?} strategy: {:?}", r.status, r.runtime, r.strategy);
    for x in &r.reasons { println!("reason: {x}"); }
    if let Some(o) = &r.output { println!("-----\n{o}-----"); }
    for c in &r.changes { println!("change {}: {}", c.kind, c.why); }
    for f in &r.findings { println!("finding {}: {}", f.rule, f.message); }
    for d in &r.diagnostics { println!("diagnostic: {} {:?}", d.message, d.span.as_ref().map(|s| (s.line, s.column))); }
}
