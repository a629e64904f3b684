//! The audit log file: every chained event as one line, in sequence order, written from the
//! database. A small position file beside the log (`<log>.position`: the last written sequence
//! number and the log's length after it) makes the projection exact across crashes: lines are
//! appended and synced first, the position is replaced (write + rename) after, and a start
//! truncates the log back to the recorded length — so a line written before a crash but not yet
//! counted is written again once, never twice, and none is lost.

use super::line;
use crate::error::{Error, Result};
use crate::Engine;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// How far the file has caught up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Position {
    seq: i64,
    bytes: u64,
}

fn position_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".position");
    PathBuf::from(name)
}

fn io(context: &str, e: std::io::Error) -> Error {
    Error::Internal(format!("audit log file: {context}: {e}"))
}

fn read_position(log: &Path) -> Result<Position> {
    let mut text = String::new();
    match File::open(position_path(log)) {
        Ok(mut f) => {
            f.read_to_string(&mut text)
                .map_err(|e| io("reading the position", e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Position::default()),
        Err(e) => return Err(io("opening the position", e)),
    }
    let mut parts = text.split_whitespace().map(str::parse::<i64>);
    match (parts.next(), parts.next()) {
        (Some(Ok(seq)), Some(Ok(bytes))) if seq >= 0 && bytes >= 0 => Ok(Position {
            seq,
            bytes: bytes as u64,
        }),
        _ => Err(Error::Internal(
            "audit log file: the position file is damaged; move the log and its position file aside to rewrite it".into(),
        )),
    }
}

fn write_position(log: &Path, position: Position) -> Result<()> {
    let path = position_path(log);
    let mut temporary = path.clone().into_os_string();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut f = File::create(&temporary).map_err(|e| io("writing the position", e))?;
    f.write_all(format!("{} {}\n", position.seq, position.bytes).as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| io("writing the position", e))?;
    std::fs::rename(&temporary, &path).map_err(|e| io("replacing the position", e))
}

/// Opens the log for appending at the recorded length: anything after it (written before a
/// crash, never counted) is cut off to be written again.
fn open_at(log: &Path, position: Position) -> Result<(File, Position)> {
    if let Some(parent) = log.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io("creating its folder", e))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| io("opening", e))?;
    let length = file
        .metadata()
        .map_err(|e| io("reading its length", e))?
        .len();
    if length > position.bytes {
        file.set_len(position.bytes)
            .map_err(|e| io("cutting an uncounted tail", e))?;
        Ok((file, position))
    } else {
        // Shorter than recorded: rotated or truncated by someone else. Go on from where the
        // trail stands; the earlier lines live in the rotated file.
        Ok((
            file,
            Position {
                seq: position.seq,
                bytes: length,
            },
        ))
    }
}

/// Appends `lines` (the events up to `last_seq`) and records the new position.
fn append(log: &Path, position: Position, lines: &str, last_seq: i64) -> Result<Position> {
    let (mut file, position) = open_at(log, position)?;
    file.write_all(lines.as_bytes())
        .and_then(|_| file.sync_data())
        .map_err(|e| io("appending", e))?;
    let next = Position {
        seq: last_seq,
        bytes: position.bytes + lines.len() as u64,
    };
    write_position(log, next)?;
    Ok(next)
}

const BATCH: i64 = 500;

impl Engine {
    /// Brings the audit log file at `log` up to date with the trail; returns how many lines it
    /// wrote. One writer per file: each node projects into a file of its own.
    pub async fn project_audit_log(&self, log: &Path) -> Result<u64> {
        let log = log.to_path_buf();
        let mut position = {
            let log = log.clone();
            blocking(move || read_position(&log)).await?
        };
        let mut written = 0_u64;
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT {BATCH}",
                super::chain::CONTENT_COLUMNS
            )))
            .bind(position.seq)
            .fetch_all(self.db.pool())
            .await?;
            let Some(last) = rows.last() else {
                return Ok(written);
            };
            let last_seq: i64 = sqlx::Row::try_get(last, "seq")?;
            let mut lines = String::new();
            for row in &rows {
                lines.push_str(&line::format(&super::chain::content_of_row(row)?));
                lines.push('\n');
            }
            let log = log.clone();
            position = blocking(move || append(&log, position, &lines, last_seq)).await?;
            written += rows.len() as u64;
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("audit log file: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncounted_tail_is_cut_and_written_again_once() {
        let dir = std::env::temp_dir().join(format!("guise-audit-{}", uuid::Uuid::new_v4()));
        let log = dir.join("audit.log");
        let first = append(&log, Position::default(), "one\n", 1).unwrap();
        assert_eq!(read_position(&log).unwrap(), first);
        // A crash after the append, before the position: the line is on disk, not counted.
        let (mut file, _) = open_at(&log, first).unwrap();
        file.write_all(b"two\n").unwrap();
        drop(file);
        let second = append(&log, read_position(&log).unwrap(), "two\n", 2).unwrap();
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "one\ntwo\n");
        assert_eq!(second, Position { seq: 2, bytes: 8 });
        std::fs::remove_dir_all(dir).unwrap();
    }
}
