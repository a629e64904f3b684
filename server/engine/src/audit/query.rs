//! The Console's **Logs**: the trail filtered by time range, action, initiator, target and
//! "impersonated only", newest first, paged by sequence number (keyset paging: a page deep in
//! millions of events costs what the first one does), and the same filter exported oldest first.

use super::chain::{content_of_row, Content, CONTENT_COLUMNS};
use super::line;
use super::names::{names_of, Named};
use crate::access::ConsoleAdmin;
use crate::error::{Error, FieldError, Result};
use crate::permissions::Permission;
use crate::Engine;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// What the Logs page filters by. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// From this time (milliseconds since the epoch, inclusive).
    pub from_ms: Option<i64>,
    /// Up to this time (milliseconds, exclusive).
    pub until_ms: Option<i64>,
    pub action: Option<String>,
    pub initiator: Option<String>,
    pub target: Option<String>,
    /// Only events of impersonations: changes made in someone's name, and the sessions' own events.
    pub impersonated_only: bool,
}

/// One event as the Logs page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEvent {
    pub seq: i64,
    pub content: Content,
    /// The event as its audit log line.
    pub line: String,
}

/// One page, newest first, and where the next (older) page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogPage {
    pub events: Vec<LogEvent>,
    /// What the page's initiators, targets and impersonators name, by id.
    pub names: BTreeMap<String, Named>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub next_before: Option<i64>,
}

pub const LOG_PAGE_MAX: i64 = 200;
const TEXT_FILTER_MAX: usize = 256;

/// Which way a page runs from its cursor.
#[derive(Clone, Copy, Debug)]
enum Direction {
    /// Newest first, events before `seq`.
    Before(Option<i64>),
    /// Oldest first, events after `seq` (export).
    After(i64),
}

impl LogFilter {
    fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("action", &self.action),
            ("initiator", &self.initiator),
            ("target", &self.target),
        ] {
            if value.as_deref().is_some_and(|v| v.len() > TEXT_FILTER_MAX) {
                errors.push(FieldError::new(field, "At most 256 characters."));
            }
        }
        if let (Some(from), Some(until)) = (self.from_ms, self.until_ms) {
            if from >= until {
                errors.push(FieldError::new(
                    "until",
                    "Must be after the start of the range.",
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// The WHERE clause (placeholders numbered from 1) and its text and number parameters, in order.
    fn clause(&self, direction: Direction) -> (String, Vec<Param>) {
        let mut conditions = vec!["seq IS NOT NULL".to_owned()];
        let mut params = Vec::new();
        let mut push = |condition: &str, param: Param| {
            params.push(param);
            conditions.push(condition.replace('?', &format!("${}", params.len())));
        };
        if let Some(action) = non_empty(&self.action) {
            push("action = ?", Param::Text(action));
        }
        if let Some(from) = self.from_ms {
            push("occurred_ms >= ?", Param::Number(from));
        }
        if let Some(until) = self.until_ms {
            push("occurred_ms < ?", Param::Number(until));
        }
        match direction {
            Direction::Before(Some(seq)) => push("seq < ?", Param::Number(seq)),
            Direction::Before(None) => {}
            Direction::After(seq) => push("seq > ?", Param::Number(seq)),
        }
        // An initiator or a target is named by its id or by a user's username.
        for (column, value) in [("initiator", &self.initiator), ("target", &self.target)] {
            if let Some(named) = non_empty(value) {
                let key = crate::validation::username_key(&named);
                params.push(Param::Text(named));
                let by_id = params.len();
                params.push(Param::Text(key));
                let by_username = params.len();
                conditions.push(format!(
                    "({column} = ${by_id} OR {column} IN (SELECT id FROM users WHERE username_key = ${by_username}))"
                ));
            }
        }
        if self.impersonated_only {
            // Changes made in someone's name, and the impersonations' own events (started,
            // stopped, expired, ended), which name the impersonation they belong to.
            conditions
                .push("(impersonator IS NOT NULL OR impersonation_id IS NOT NULL)".to_owned());
        }
        (conditions.join(" AND "), params)
    }
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

enum Param {
    Text(String),
    Number(i64),
}

impl Engine {
    async fn audit_events(
        &self,
        admin: &ConsoleAdmin,
        filter: &LogFilter,
        direction: Direction,
        limit: i64,
    ) -> Result<Vec<LogEvent>> {
        filter.validate()?;
        let (mut condition, mut params) = filter.clause(direction);
        // Each organization's Logs: its own events and those of the organizations below it. The
        // root's administrators see the whole tree (and the events from before events named an
        // organization), so their query stays as it was.
        let mut conn = self.db.pool().acquire().await?;
        if !crate::organizations::tree::is_root(&mut conn, admin.org()).await? {
            params.push(Param::Text(admin.org().as_str().to_owned()));
            condition.push_str(&format!(
                " AND org_id IN (WITH RECURSIVE down(id) AS ( \
                   SELECT id FROM organizations WHERE id = ${} \
                   UNION ALL SELECT o.id FROM organizations o JOIN down ON o.parent_id = down.id \
                 ) SELECT id FROM down)",
                params.len()
            ));
        }
        drop(conn);
        let order = match direction {
            Direction::Before(_) => "DESC",
            Direction::After(_) => "ASC",
        };
        let sql = format!(
            "SELECT {CONTENT_COLUMNS} FROM audit_events WHERE {condition} ORDER BY seq {order} LIMIT {limit}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for param in params {
            query = match param {
                Param::Text(t) => query.bind(t),
                Param::Number(n) => query.bind(n),
            };
        }
        let rows = query.fetch_all(self.db.pool()).await?;
        rows.iter()
            .map(|row| {
                let content = content_of_row(row)?;
                Ok(LogEvent {
                    seq: row.try_get("seq")?,
                    line: line::format(&content),
                    content,
                })
            })
            .collect()
    }

    /// One page of **Logs**, newest first, from just before `before` (the first page: `None`).
    /// Needs `internal_audit_log_view`.
    pub async fn audit_log_page(
        &self,
        admin: &ConsoleAdmin,
        filter: &LogFilter,
        before: Option<i64>,
        page_size: i64,
    ) -> Result<LogPage> {
        admin.require(Permission::AuditLogView)?;
        let size = page_size.clamp(1, LOG_PAGE_MAX);
        let mut events = self
            .audit_events(admin, filter, Direction::Before(before), size + 1)
            .await?;
        let next_before = if events.len() as i64 > size {
            events.truncate(size as usize);
            events.last().map(|e| e.seq)
        } else {
            None
        };
        let ids: BTreeSet<&str> = events
            .iter()
            .flat_map(|e| {
                let c = &e.content;
                [Some(&c.initiator), Some(&c.target), c.impersonator.as_ref()]
            })
            .flatten()
            .map(String::as_str)
            .collect();
        let names = names_of(self.db.pool(), &ids).await?;
        Ok(LogPage {
            events,
            next_before,
            names,
        })
    }

    /// The export of the filtered view, oldest first, a batch at a time: events after `after`
    /// (start with 0); an empty batch ends it. Needs `internal_audit_log_view`.
    pub async fn audit_log_export_batch(
        &self,
        admin: &ConsoleAdmin,
        filter: &LogFilter,
        after: i64,
    ) -> Result<Vec<LogEvent>> {
        admin.require(Permission::AuditLogView)?;
        self.audit_events(admin, filter, Direction::After(after), 1000)
            .await
    }
}

/// One exported event as a JSON line (without the newline).
pub fn export_line(event: &LogEvent) -> String {
    let c = &event.content;
    serde_json::json!({
        "seq": event.seq,
        "time": line::timestamp(c.occurred_ms),
        "occurredMs": c.occurred_ms,
        "correlationId": c.correlation_id,
        "initiator": c.initiator,
        "impersonator": c.impersonator,
        "impersonationId": c.impersonation_id,
        "action": c.action,
        "target": c.target,
        "data": serde_json::from_str::<serde_json::Value>(&c.data)
            .unwrap_or_else(|_| serde_json::Value::from(c.data.as_str())),
        "outcome": c.outcome,
        "line": event.line,
    })
    .to_string()
}

/// The Logs page's filter as the browser sends it: times as `YYYY-MM-DD HH:MM` (or with a `T`, as
/// a `datetime-local` value and the export link carry it), read as UTC; the rest as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct LogFilterForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub initiator: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub impersonated: bool,
}

impl LogFilterForm {
    /// The filter, or the fields whose time cannot be read.
    pub fn parse(&self) -> Result<LogFilter> {
        let mut errors = Vec::new();
        let mut time = |field: &'static str, text: &str| match parse_utc_minute(text) {
            Ok(ms) => ms,
            Err(()) => {
                errors.push(FieldError::new(
                    field,
                    "A date and time, as YYYY-MM-DD HH:MM (UTC).",
                ));
                None
            }
        };
        let from_ms = time("from", &self.from);
        let until_ms = time("until", &self.until);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let filter = LogFilter {
            from_ms,
            until_ms,
            action: text(&self.action),
            initiator: text(&self.initiator),
            target: text(&self.target),
            impersonated_only: self.impersonated,
        };
        filter.validate()?;
        Ok(filter)
    }
}

/// `2026-12-01T17:05` (seconds allowed) as milliseconds since the epoch, UTC; empty is `None`.
fn parse_utc_minute(text: &str) -> std::result::Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (date, clock) = text.split_once(['T', ' ']).ok_or(())?;
    let mut d = date.split('-').map(str::parse::<i32>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day)), None) =
        (d.next(), d.next(), d.next(), d.next())
    else {
        return Err(());
    };
    let mut c = clock.split(':').map(str::parse::<u8>);
    let (Some(Ok(hour)), Some(Ok(minute))) = (c.next(), c.next()) else {
        return Err(());
    };
    let second = match c.next() {
        None => 0,
        Some(Ok(s)) => s,
        Some(Err(_)) => return Err(()),
    };
    let month = time::Month::try_from(u8::try_from(month).map_err(|_| ())?).map_err(|_| ())?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day).map_err(|_| ())?)
        .map_err(|_| ())?;
    let clock = time::Time::from_hms(hour, minute, second).map_err(|_| ())?;
    let at = time::PrimitiveDateTime::new(date, clock).assume_utc();
    Ok(Some(at.unix_timestamp() * 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_times_are_read_as_utc() {
        assert_eq!(parse_utc_minute("1970-01-01T00:01"), Ok(Some(60_000)));
        assert_eq!(
            parse_utc_minute("2024-06-03T14:50:42"),
            Ok(Some(1_717_426_242_000))
        );
        assert_eq!(parse_utc_minute(""), Ok(None));
        assert_eq!(parse_utc_minute("2024-13-03T14:50"), Err(()));
        assert_eq!(parse_utc_minute("yesterday"), Err(()));
    }

    #[test]
    fn a_bad_time_is_a_field_error() {
        let form = LogFilterForm {
            from: "soon".into(),
            ..LogFilterForm::default()
        };
        assert!(matches!(form.parse(), Err(Error::Invalid(f)) if f[0].field == "from"));
    }
}
