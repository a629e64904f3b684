//! A minimal HTTP/1.1 client: one request per TCP connection, plain HTTP only.
//!
//! The sample talks to a Guise on the same machine or network; a real application uses a full
//! HTTP client with TLS. (Written out here rather than taken from hyper: turning on hyper's
//! client features for the examples would make the workspace compile its web stack twice, once
//! for the server and once for its tests and examples.)

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_RESPONSE: usize = 1 << 20;

pub struct Request<'a> {
    pub method: &'static str,
    pub url: &'a str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl<'a> Request<'a> {
    pub fn get(url: &'a str) -> Self {
        Self {
            method: "GET",
            url,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A request with a body (`POST`, `PATCH`).
    pub fn with_body(
        method: &'static str,
        url: &'a str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body,
        }
        .header("Content-Type", content_type)
    }
}

pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body)
            .map_err(|_| format!("the answer (status {}) is not JSON", self.status))
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends `request` and reads the whole answer (within 10 seconds, at most 1 MiB).
pub async fn send(request: Request<'_>) -> Result<Response, String> {
    let what = format!("{} {}", request.method, request.url);
    match tokio::time::timeout(TIMEOUT, exchange(request)).await {
        Ok(result) => result.map_err(|e| format!("{what}: {e}")),
        Err(_) => Err(format!(
            "{what}: no answer within {} seconds",
            TIMEOUT.as_secs()
        )),
    }
}

async fn exchange(request: Request<'_>) -> Result<Response, String> {
    let url = url::Url::parse(request.url).map_err(|e| e.to_string())?;
    if url.scheme() != "http" {
        return Err("only http:// URLs are supported by this sample".into());
    }
    let host = url.host_str().ok_or("the URL has no host")?;
    let port = url.port_or_known_default().unwrap_or(80);
    let authority = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let mut head = format!(
        "{} {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        request.method,
        request.body.len()
    );
    for (name, value) in &request.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");

    let mut stream = TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    let io = |e: std::io::Error| e.to_string();
    stream.write_all(head.as_bytes()).await.map_err(io)?;
    stream.write_all(&request.body).await.map_err(io)?;
    let mut raw = Vec::new();
    (&mut stream)
        .take(MAX_RESPONSE as u64 + 1)
        .read_to_end(&mut raw)
        .await
        .map_err(io)?;
    if raw.len() > MAX_RESPONSE {
        return Err("the answer is larger than 1 MiB".into());
    }
    parse(&raw)
}

fn parse(raw: &[u8]) -> Result<Response, String> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(raw) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the answer ended in its headers".into()),
        Err(e) => return Err(format!("a malformed answer: {e}")),
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let rest = raw.get(head_len..).unwrap_or_default();
    let body = if header("transfer-encoding").is_some_and(|te| te.contains("chunked")) {
        dechunk(rest)?
    } else if let Some(length) = header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        rest.get(..length)
            .ok_or("the answer ended before its body did")?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status: response.code.unwrap_or(0),
        body,
    })
}

/// Decodes a `Transfer-Encoding: chunked` body (RFC 9112 §7.1); trailers are ignored.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let malformed = || "a malformed chunked body".to_owned();
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(malformed)?;
        let line = std::str::from_utf8(rest.get(..line_end).ok_or_else(malformed)?)
            .map_err(|_| malformed())?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| malformed())?;
        rest = rest.get(line_end + 2..).ok_or_else(malformed)?;
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(rest.get(..size).ok_or_else(malformed)?);
        rest = rest.get(size + 2..).ok_or_else(malformed)?;
    }
}
