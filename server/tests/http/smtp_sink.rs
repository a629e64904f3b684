//! A real SMTP server over TCP, small enough to read: it accepts every message and keeps it.
//! Speaks what a client needs (220, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One received message: the envelope recipients and the raw data (headers and body).
#[derive(Clone, Debug)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .split("\r\n")
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }

    /// The body, with quoted-printable soft line breaks and `=3D` undone.
    pub fn body(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        body.replace("=\r\n", "").replace("=3D", "=")
    }
}

pub struct Sink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Sink {
    /// Listens on `port` (0: any free port).
    pub async fn start(port: u16) -> Self {
        let received = Arc::<Mutex<Vec<Received>>>::default();
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let store = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone()));
            }
        });
        Self {
            port,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// Dropping the sink stops it: the port refuses connections until a sink starts on it again.
impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A free port nobody listens on (for a server that is down).
pub async fn free_port() -> u16 {
    let l = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    l.local_addr().unwrap().port()
}

async fn reply(w: &mut tokio::net::tcp::OwnedWriteHalf, text: &str) -> bool {
    w.write_all(format!("{text}\r\n").as_bytes()).await.is_ok()
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if !reply(&mut write, "220 sink ESMTP").await {
        return;
    }
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let answer = if command.starts_with("EHLO") || command.starts_with("HELO") {
            "250 sink"
        } else if command.starts_with("MAIL FROM") {
            rcpt.clear();
            "250 OK"
        } else if command.starts_with("RCPT TO") {
            rcpt.push(line.trim_end()[8..].trim().to_owned());
            "250 OK"
        } else if command == "DATA" {
            if !reply(&mut write, "354 end with <CRLF>.<CRLF>").await {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                // Dot-stuffing: a leading dot was doubled by the client.
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            store.lock().unwrap().push(Received {
                rcpt: std::mem::take(&mut rcpt),
                data,
            });
            "250 queued"
        } else if command == "QUIT" {
            let _ = reply(&mut write, "221 bye").await;
            return;
        } else if command == "RSET" || command == "NOOP" {
            "250 OK"
        } else {
            "502 not implemented"
        };
        if !reply(&mut write, answer).await {
            return;
        }
    }
}
