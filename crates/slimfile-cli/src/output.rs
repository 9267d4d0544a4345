//! What every command shares: printing to standard output, and working on many files on every core.

use std::io::Write;

pub fn print(s: &str) -> Result<(), String> {
    print_bytes(s.as_bytes())
}

pub fn print_bytes(b: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(b).and_then(|_| out.flush()).map_err(|e| format!("cannot write: {e}"))
}

/// `f` over every item, on as many threads as there are cores (at most 16); results in input order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len()).min(16);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            mine.push((i, f(item)));
        }
        mine
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        // The main thread works too: one thread fewer to start.
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        all
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
