//! Delivering the outbox over SMTP: the engine's [`MailTransport`] implemented with lettre, and the
//! background worker that drains the outbox. The engine decides what is due and keeps the leases;
//! this file only speaks SMTP and keeps the worker running.

use engine::notifications::{Deliverer, MailTransport, OutgoingMail, SendFailure};
use engine::{Clock, Engine};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// How often an idle worker looks for due messages.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Well below the engine's lease, so a send never outlives its claim.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// An SMTP server, as `GUISE_SMTP_URL` names it.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    /// `smtp://host:port` (plain, for a local relay or a test server), `smtps://host` (TLS),
    /// `smtp://host?tls=required` (STARTTLS); user and password in the URL when the server wants
    /// them. TLS is rustls with the web PKI roots: no system OpenSSL.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("GUISE_SMTP_URL is not a usable SMTP URL: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self { transport })
    }
}

/// Checks `GUISE_SMTP_FROM` once at start, so a typo is a start-up error, not a failure per email.
pub fn check_sender(from: &str) -> Result<(), String> {
    from.parse::<Mailbox>()
        .map(|_| ())
        .map_err(|e| format!("GUISE_SMTP_FROM is not a mail address ({from}): {e}"))
}

fn message(mail: &OutgoingMail) -> Result<Message, SendFailure> {
    let from: Mailbox = mail.from.parse().map_err(|_| SendFailure::InvalidMessage)?;
    let to: Mailbox = mail.to.parse().map_err(|_| SendFailure::InvalidMessage)?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.as_str())
        .message_id(Some(mail.message_id.clone()))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|_| SendFailure::InvalidMessage)
}

/// The server's reply in our own terms; its text is logged here, never stored or shown.
fn classify(e: &SmtpError) -> SendFailure {
    if e.is_permanent() {
        SendFailure::Rejected
    } else if e.is_transient() {
        SendFailure::TemporarilyRejected
    } else {
        SendFailure::Unreachable
    }
}

impl MailTransport for Smtp {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendFailure> {
        let message = message(mail)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            let failure = classify(&e);
            tracing::warn!(message_id = %mail.message_id, reason = failure.as_str(), "sending an email failed: {e}");
            failure
        })
    }
}

/// Sends every message due now; returns how many attempts were made. Stops at the first storage
/// failure (the next pass tries again).
pub async fn deliver_due<T: MailTransport>(
    engine: &Engine,
    deliverer: &Deliverer,
    transport: &T,
    clock: &dyn Clock,
) -> usize {
    deliver_due_while(engine, deliverer, transport, clock, || true).await
}

/// [`deliver_due`], asking `keep_going` before each message: a message once begun is sent and
/// recorded before the answer counts.
async fn deliver_due_while<T: MailTransport>(
    engine: &Engine,
    deliverer: &Deliverer,
    transport: &T,
    clock: &dyn Clock,
    keep_going: impl Fn() -> bool,
) -> usize {
    let mut attempts = 0;
    while keep_going() {
        match engine.deliver_next(deliverer, transport, clock.now()).await {
            Ok(Some(_)) => attempts += 1,
            Ok(None) => return attempts,
            Err(e) => {
                tracing::warn!("delivering the outbox: {e}");
                return attempts;
            }
        }
    }
    attempts
}

/// The background worker of one node.
pub struct DeliveryWorker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl DeliveryWorker {
    /// Stops at once, wherever it is (a message it had claimed waits for its lease to run out).
    pub fn abort(&self) {
        self.task.abort();
    }

    /// On shutdown: lets the message being delivered finish, sent and recorded, and takes no other.
    /// A node stopped this way leaves no claim behind for another node to wait out. Returns false
    /// when the worker was not done within `within` (then it is stopped anyway).
    pub async fn finish(self, within: Duration) -> bool {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        match tokio::time::timeout(within, self.task).await {
            Ok(_) => true,
            Err(_) => {
                abort.abort();
                false
            }
        }
    }
}

/// The background worker: drains the outbox, then waits [`POLL_INTERVAL`], for as long as the
/// server runs. Several nodes may each run one; the engine's leases keep them apart.
pub fn spawn_delivery<T: MailTransport + 'static>(
    engine: Engine,
    transport: T,
    from: String,
    clock: Arc<dyn Clock>,
) -> DeliveryWorker {
    let deliverer = Deliverer {
        node: format!("node-{}", uuid::Uuid::new_v4().simple()),
        from,
    };
    let (stop, mut stopping) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        loop {
            let stopped = stopping.clone();
            deliver_due_while(&engine, &deliverer, &transport, clock.as_ref(), || {
                !*stopped.borrow()
            })
            .await;
            tokio::select! {
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = stopping.changed() => {}
            }
            if *stopping.borrow() {
                return;
            }
        }
    });
    DeliveryWorker { stop, task }
}
