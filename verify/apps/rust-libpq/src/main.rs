// A Rust program that links libpq (pq-sys, diesel's `postgres` backend): the version it runs with.
fn main() {
    let version = unsafe { pq_sys::PQlibVersion() };
    println!("libpq {}", version / 10000);
}
