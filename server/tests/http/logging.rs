//! JSON log lines (`GUISE_LOG_FORMAT=json`) name the request they were written for: the correlation
//! id its response carries in `X-Correlation-ID`, and the engine call (its span) inside it. Proven on the server binary itself, in a process
//! of its own, as an operator runs it (a log subscriber is process-wide).

use super::unavailable::{exchange, header};
use std::io::BufRead;
use std::process::Stdio;
use std::time::Duration;

/// Kills the server when the test ends, passed or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The next JSON line whose message is `message`, within 10 s.
fn logged(lines: &std::sync::mpsc::Receiver<String>, message: &str) -> serde_json::Value {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no line \"{message}\" within 10 s"));
        let json: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON line: {line}"));
        if json["message"] == message {
            return json;
        }
    }
}

#[tokio::test]
async fn a_json_log_line_names_the_request_it_was_written_for() {
    let dir = std::env::temp_dir().join(format!("guise-logging-{}", super::uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "guise")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/guise.db?mode=rwc", dir.display()),
        )
        .env("GUISE_ADMIN_PASSWORD", "logging-admin-1")
        .env("GUISE_AUDIT_LOG", "off")
        .env("GUISE_LOG_FORMAT", "json")
        // The engine's own lines too (`sign-in refused` is one of its debug lines).
        .env("RUST_LOG", "warn,engine=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    // Its output, line by line, read on a thread of its own.
    let stdout = server.stdout.take().unwrap();
    let server = Killed(server);
    let (line_tx, line_rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line_tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut up = false;
    for _ in 0..300 {
        let live = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok();
        if live {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server did not listen within 30 s");

    // A write from another site is refused, and the refusal logged (a warning).
    let (status, headers, _) = exchange(
        &base,
        format!(
            "POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nSec-Fetch-Site: cross-site\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\
             Connection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(
        (status, header(&headers, "location")),
        (303, Some("/login?error=forbidden_origin"))
    );
    let id = header(&headers, "x-correlation-id").unwrap().to_owned();

    let line = logged(&line_rx, "refused a cross-site write");
    assert_eq!(line["level"], "WARN", "{line}");
    assert_eq!(line["path"], "/auth/login", "{line}");
    assert_eq!(line["span"]["name"], "request", "{line}");
    assert_eq!(line["span"]["correlation_id"], id.as_str(), "{line}");
    assert_eq!(line["span"]["method"], "POST", "{line}");

    // A wrong password: the engine's line sits in its `sign_in` span, inside the request's.
    let body = "username=admin&password=not-the-password";
    let (status, headers, _) = exchange(
        &base,
        format!(
            "POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nSec-Fetch-Site: same-origin\r\n\
             Origin: {base}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert_eq!(status, 303);
    let id = header(&headers, "x-correlation-id").unwrap().to_owned();
    let line = logged(&line_rx, "sign-in refused");
    assert_eq!(line["span"]["name"], "sign_in", "{line}");
    assert_eq!(line["spans"][0]["name"], "request", "{line}");
    assert_eq!(line["spans"][0]["correlation_id"], id.as_str(), "{line}");
    assert!(!line.to_string().contains("not-the-password"), "{line}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
