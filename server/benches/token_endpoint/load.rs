//! The load driver: keep-alive HTTP/1.1 connections sending requests as fast as answers come, with
//! each request's latency recorded.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One request to send: the path, extra header lines, the form body, and whether its latency
/// counts (a request that only sets up the next one does not).
pub struct Call {
    pub path: String,
    pub headers: String,
    pub body: String,
    pub measured: bool,
}

impl Call {
    /// A token request with client authentication.
    pub fn token(body: String, auth: &str) -> Self {
        Self {
            path: "/oauth2/token".into(),
            headers: format!("Authorization: {auth}\r\n"),
            body,
            measured: true,
        }
    }
}

pub struct Outcome {
    requests: u64,
    errors: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

/// Runs `connections` keep-alive connections for `duration`; `make(i)` builds connection i's
/// request maker, which gets the previous response's refresh token (if any), and returns `None`
/// when it has nothing more to send.
pub async fn load<F, M>(
    addr: std::net::SocketAddr,
    connections: usize,
    duration: Duration,
    make: F,
) -> Outcome
where
    F: Fn(usize) -> M,
    M: FnMut(Option<String>) -> Option<Call> + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let mut next = make(i);
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut previous = None;
                let mut buf = Vec::with_capacity(8192);
                while !stop.load(Ordering::Relaxed) {
                    let Some(call) = next(previous.take()) else {
                        break;
                    };
                    let request = format!(
                        "POST {} HTTP/1.1\r\nHost: {addr}\r\n{}\
                         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{}",
                        call.path,
                        call.headers,
                        call.body.len(),
                        call.body
                    );
                    let t = Instant::now();
                    stream.write_all(request.as_bytes()).await.unwrap();
                    let (status, response) = read_response(&mut stream, &mut buf).await;
                    if call.measured {
                        latencies.push(t.elapsed());
                    }
                    // A redirect is a success for the form targets.
                    if status == 200 || status == 303 {
                        previous = refresh_token_of(&response);
                    } else {
                        if errors == 0 && std::env::var_os("BENCH_SHOW_ERRORS").is_some() {
                            eprintln!("{} → {status}: {response}", call.path);
                        }
                        errors += 1;
                    }
                }
                // When this connection stopped: with nothing more to send, that is before the end.
                (latencies, errors, start.elapsed())
            })
        })
        .collect();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut outcome = Outcome {
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for t in tasks {
        let (latencies, errors, stopped) = t.await.unwrap();
        outcome.elapsed = outcome.elapsed.max(stopped);
        outcome.requests += latencies.len() as u64;
        outcome.errors += errors;
        outcome.latencies.extend(latencies);
    }
    outcome
}

/// Reads one HTTP/1.1 response with a `Content-Length` body; returns the status and the body.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, String) {
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return (
                status,
                String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).to_string(),
            );
        }
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn refresh_token_of(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get("refresh_token")?.as_str().map(str::to_owned)
}

pub fn report(name: &str, o: &Outcome, signing: f64) {
    let mut l = o.latencies.clone();
    l.sort();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let rate = o.requests as f64 / o.elapsed.as_secs_f64();
    if signing == 0.0 {
        println!(
            "{name}: {rate:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, errors {}",
            pct(0.50).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0,
            o.errors
        );
        return;
    }
    println!(
        "{name}: {rate:.0} req/s ({:.0}% of raw signing), p50 {:.1} ms, p99 {:.1} ms, errors {}",
        100.0 * rate / signing,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        o.errors
    );
}
