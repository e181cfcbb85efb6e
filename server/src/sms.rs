//! Sending the SMS outbox. A worker in the server process claims due
//! messages (a lease per batch, so a node that dies loses nothing), writes
//! each text with a fresh link from `RELAIS_PUBLIC_URL` (links are never
//! stored, only their hashes), hands it to the configured provider, and
//! records the outcome: sent; or tried again later with exponential backoff
//! and jitter; or, after `RELAIS_SMS_MAX_ATTEMPTS`, failed — which the
//! tracers see on the case page.
//!
//! Before sending, a claimed message is checked: a number that answered
//! STOP gets nothing (`opted_out`), and a scheduled reminder or follow-up
//! question that became pointless (the contact recorded a result, answered,
//! or was removed) is `cancelled`.

pub mod inbound;
pub mod provider;

use app::messages::sms_text;
use provider::Provider;
use relais::outbox::MessageKind;
use relais_store::outbox::{self, Claimed};
use relais_store::Db;
use std::time::Duration;

/// How many messages a worker claims at once.
const BATCH: i64 = 50;
/// How long a claim holds before another worker may take it (seconds), unless
/// configured otherwise.
const LEASE_SECONDS: i64 = 120;

/// A sender of the outbox.
pub struct SmsWorker {
    db: Db,
    provider: Provider,
    public_url: String,
    max_attempts: i64,
    /// How long a claim on a batch holds (seconds).
    lease_seconds: i64,
    /// This worker's name in `claimed_by` (host, process, random).
    name: String,
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    /// Not sent for good: cancelled or opted out.
    pub skipped: u32,
}

impl SmsWorker {
    pub fn new(db: Db, provider: Provider, public_url: &str, max_attempts: u32) -> SmsWorker {
        let name = format!(
            "{}-{}",
            std::process::id(),
            relais_store::security::token::new_token()
                .hash
                .get(..12)
                .unwrap_or("worker")
        );
        SmsWorker {
            db,
            provider,
            public_url: public_url.trim_end_matches('/').to_owned(),
            max_attempts: i64::from(max_attempts.max(1)),
            lease_seconds: LEASE_SECONDS,
            name,
        }
    }

    /// The same worker with claims that hold `seconds` (at least one).
    pub fn with_lease(mut self, seconds: u32) -> SmsWorker {
        self.lease_seconds = i64::from(seconds.max(1));
        self
    }

    /// Claims what is due and sends it; returns what happened.
    pub async fn pass(&self) -> Result<Pass, relais_store::StoreError> {
        let mut pass = Pass::default();
        for message in outbox::claim_due(&self.db, &self.name, BATCH, self.lease_seconds).await? {
            if let Some(skipped) = outbox::skip_reason(&self.db, &message).await? {
                outbox::mark_skipped(&self.db, message.id, &self.name, skipped).await?;
                tracing::info!(message_id = message.id.get(), kind = %message.kind, status = skipped.status(), "sms not sent");
                pass.skipped += 1;
                continue;
            }
            let mut cost = None;
            let outcome = match self.text_of(&message).await? {
                Some((to, text)) => {
                    cost = Some(relais::sms::encoding::cost(&text));
                    self.provider
                        .send(message.id.get(), &to, &text, self.db.now())
                        .await
                }
                None => Err("no phone number or unknown message".to_owned()),
            };
            match outcome {
                Ok(()) => {
                    outbox::mark_sent(&self.db, message.id, &self.name).await?;
                    tracing::info!(message_id = message.id.get(), kind = %message.kind, "sms sent");
                    pass.sent += 1;
                    if let Some((encoding, parts)) = cost {
                        // What the operator pays for, by language.
                        let lang: relais::Lang = message.lang.parse().unwrap_or_default();
                        metrics::counter!("relais_sms_segments_sent_total",
                            "lang" => lang.code(), "encoding" => encoding.as_str())
                        .increment(u64::try_from(parts).unwrap_or(u64::MAX));
                    }
                }
                Err(error) => {
                    let give_up = message.attempts >= self.max_attempts;
                    let next = (!give_up).then(|| {
                        self.db.now()
                            + relais::outbox::retry_delay_seconds(
                                u32::try_from(message.attempts).unwrap_or(u32::MAX),
                                rand::random::<f64>(),
                            )
                    });
                    outbox::mark_attempt_failed(&self.db, message.id, &self.name, &error, next)
                        .await?;
                    if give_up {
                        tracing::warn!(message_id = message.id.get(), attempts = message.attempts, %error, "sms failed: given up");
                        pass.failed += 1;
                    } else {
                        tracing::info!(message_id = message.id.get(), attempts = message.attempts, %error, "sms attempt failed: will retry");
                        pass.retried += 1;
                    }
                }
            }
        }
        Ok(pass)
    }

    /// The number and text of a claimed message, with a fresh link; `None`
    /// when it cannot be written (no number, unknown kind, record gone).
    async fn text_of(
        &self,
        message: &Claimed,
    ) -> Result<Option<(String, String)>, relais_store::StoreError> {
        let (Some(kind), Some(to)) = (
            MessageKind::parse(&message.kind),
            message.to_phone.clone().filter(|p| !p.is_empty()),
        ) else {
            return Ok(None);
        };
        let lang = message.lang.parse().unwrap_or_default();
        let link = match (kind, message.case_id, message.contact_id) {
            (kind, _, _) if !kind.has_link() => String::new(),
            (
                MessageKind::ContactNotification | MessageKind::ContactTestReminder,
                _,
                Some(contact),
            ) => format!(
                "{}/c/{}",
                self.public_url,
                relais_store::follow_up::issue_contact_link(&self.db, contact)
                    .await?
                    .token
            ),
            (MessageKind::CaseInvitation, Some(case), _) => format!(
                "{}/d/{}",
                self.public_url,
                relais_store::cases::issue_case_link(&self.db, case)
                    .await?
                    .token
            ),
            _ => return Ok(None),
        };
        Ok(Some((to, sms_text(kind, lang, &link))))
    }

    /// Runs passes until the process stops: at once while there is work,
    /// otherwise every second.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let idle = match self.pass().await {
                    Ok(pass) => pass == Pass::default(),
                    Err(e) => {
                        tracing::error!(error = %e, "sms worker: store failed");
                        true
                    }
                };
                if idle {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        })
    }
}
