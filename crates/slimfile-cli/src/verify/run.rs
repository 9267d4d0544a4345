//! Running an image: to the end (exit code and output), or as a server (started, asked once over HTTP,
//! stopped), each in its own process group so that a stop reaches the engine's children.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `--http`: where to ask a server, and how long to wait for its first answer.
#[derive(Clone, Copy, Debug)]
pub struct Http<'a> {
    pub port: u16,
    pub path: &'a str,
    pub timeout: u64,
}

/// What a run did: exit code and output, or a server's first answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Behaviour {
    pub exit: Option<i32>,
    pub output: String,
    /// Set for `--http`: the status line's code.
    pub http_status: Option<u16>,
    /// Set for `--http`: the port that answered (not compared: `--http /PATH` lets each image use its own).
    pub port: Option<u16>,
}

/// Why an image did not run.
#[derive(Debug)]
pub struct RunFailure {
    pub message: String,
    /// The server exited before it answered: worth one more start, since what makes a server exit at
    /// once can be the machine's (a port another program took a moment ago), not the image's.
    pub exited_early: bool,
}

impl From<String> for RunFailure {
    fn from(message: String) -> Self {
        RunFailure { message, exited_early: false }
    }
}

pub fn run_to_end(mut c: Command, timeout: u64) -> Result<Behaviour, String> {
    let shown = format!("{c:?}");
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("{shown}: {e}"))?;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(s);
        }
        if Instant::now() > deadline {
            stop_group(child.id());
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = t_out.join().unwrap_or_default();
    let stderr = t_err.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(format!("{shown} did not end within {timeout} s; output:\n{}", tail(&stdout, 10)));
    };
    let mut output = stdout;
    if !stderr.trim().is_empty() {
        output.push_str("[stderr]\n");
        output.push_str(&stderr);
    }
    Ok(Behaviour { exit: status.code(), output, http_status: None, port: None })
}

pub fn stop_group(pid: u32) {
    // The group may be gone already (the server exited): kill's complaint about that is noise.
    let _ = Command::new("kill").args(["-TERM", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
}

/// Whether something listens on `port`, on any address: binding it on every IPv4 and every IPv6
/// address is refused then. (Connecting to 127.0.0.1 misses a server bound to another address, whose
/// port a server started on `:PORT` still cannot take.)
fn port_in_use(port: u16) -> bool {
    let taken = |addr: &str| matches!(std::net::TcpListener::bind((addr, port)), Err(e) if e.kind() == std::io::ErrorKind::AddrInUse);
    taken("0.0.0.0") || taken("::")
}

/// Waits up to `seconds` for `port` to be free; whether it is.
fn wait_port_free(port: u16, seconds: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while port_in_use(port) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    true
}

/// Starts the server `c`, waits up to `timeout` seconds for its answer to `GET path` on `port`, calls
/// `while_up` while it still runs, then stops it (its process group) and waits until the port is free.
/// What the server prints goes to `log`, so that a server that fails says why.
pub fn serve_and_get(mut c: Command, http: Http<'_>, log: &Path, while_up: &mut dyn FnMut()) -> Result<Behaviour, RunFailure> {
    let Http { port, path, timeout } = http;
    // A server stopped a moment ago (the other image's) may still hold the port.
    if !wait_port_free(port, 20) {
        return Err(format!("port {port} is already in use before the container starts").into());
    }
    let shown = format!("{c:?}");
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let file2 = file.try_clone().map_err(|e| format!("{}: {e}", log.display()))?;
    c.stdin(Stdio::null()).stdout(file).stderr(file2).process_group(0);
    let spawned = c.spawn();
    let printed = || {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.trim().is_empty() { String::new() } else { format!("; it printed:\n{}", tail(&text, 15)) }
    };
    let mut child = spawned.map_err(|e| format!("{shown}: {e}{}", printed()))?;
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let answer = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break Err((format!("the server exited ({s}) before answering on port {port}"), true));
        }
        if Instant::now() > deadline {
            break Err((format!("no answer on port {port} within {timeout} s"), false));
        }
        if let Ok(a) = http_get(port, path) {
            break Ok(a);
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    if answer.is_ok() {
        while_up();
    }
    stop_group(child.id());
    let stop_deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < stop_deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    if child.try_wait().ok().flatten().is_none() {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(Stdio::null()).status();
        let _ = child.wait();
    }
    // The server may outlive its parent for a moment: wait until the port is free again.
    wait_port_free(port, 20);
    let printed = printed();
    let (status, body) =
        answer.map_err(|(e, exited_early)| RunFailure { message: format!("{e}{printed}"), exited_early })?;
    Ok(Behaviour { exit: None, output: body, http_status: Some(status), port: None })
}

/// A plain HTTP/1.0 GET: the status code and the body.
fn http_get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = vec![];
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or("no HTTP status")?;
    Ok((status, body.to_owned()))
}

pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}


#[cfg(test)]
mod tests {
    use super::*;

    /// A server log in a folder removed when the test ends.
    fn log() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("server.log");
        (dir, log)
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
    }

    #[test]
    fn a_port_is_in_use_whatever_address_holds_it() {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = l.local_addr().unwrap().port();
        assert!(port_in_use(port));
        drop(l);
        assert!(!port_in_use(port));
        // Held on an IPv6 address only, which connecting to 127.0.0.1 does not see.
        if let Ok(l) = std::net::TcpListener::bind(("::1", 0)) {
            let port = l.local_addr().unwrap().port();
            assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
            assert!(port_in_use(port));
        }
    }

    #[test]
    fn a_server_that_exits_at_once_says_why() {
        let port = free_port();
        let mut c = Command::new("sh");
        c.args(["-c", &format!("echo starting; echo \"listen tcp :{port}: bind: address already in use\" >&2; exit 1")]);
        let f = serve_and_get(c, Http { port, path: "/", timeout: 10 }, &log().1, &mut || {}).unwrap_err();
        assert!(f.exited_early, "{f:?}");
        assert!(f.message.starts_with(&format!("the server exited (exit status: 1) before answering on port {port}")), "{f:?}");
        assert!(f.message.ends_with("it printed:\nstarting\nlisten tcp :{port}: bind: address already in use".replace("{port}", &port.to_string()).as_str()), "{f:?}");
    }

    #[test]
    fn a_server_is_asked_then_stopped() {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("www");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("health"), "ok\n").unwrap();
        let port = free_port();
        let mut c = Command::new("python3");
        c.args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"]).arg(&dir);
        let mut asked = 0;
        let b = serve_and_get(c, Http { port, path: "/health", timeout: 30 }, &log().1, &mut || {
            asked += 1;
            assert_eq!(http_get(port, "/health").unwrap(), (200, "ok\n".to_owned()), "the server runs while asked");
        })
        .unwrap();
        assert_eq!(asked, 1);
        assert_eq!((b.http_status, b.output.as_str()), (Some(200), "ok\n"));
        assert!(!port_in_use(port), "the server is stopped and its port free");
        let mut c = Command::new("sh");
        c.args(["-c", "sleep 30"]);
        let f = serve_and_get(c, Http { port, path: "/", timeout: 1 }, &log().1, &mut || panic!("no answer")).unwrap_err();
        assert!(!f.exited_early);
        assert_eq!(f.message, format!("no answer on port {port} within 1 s"));
    }
}
