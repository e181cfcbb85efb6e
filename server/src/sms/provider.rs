//! Where the outbox's messages go (`RELAIS_SMS_PROVIDER`):
//! - `log` (the default): each message, link included, is written to the
//!   log and appended to `RELAIS_SMS_LOG_FILE` (`data/sms.log`), so that the
//!   demo shows the links a person would receive;
//! - `http`: `POST RELAIS_SMS_GATEWAY_URL` with a JSON body
//!   `{"id": "<message id>", "to": "+33…", "text": "…"}` and
//!   `Authorization: Bearer RELAIS_SMS_GATEWAY_SECRET`; any 2xx means
//!   accepted. The id lets the gateway recognise a message sent again after
//!   a lost answer (it must deliver each id once).

use secrecy::{ExposeSecret, SecretString};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// A configured provider. Its `Debug` shows the gateway's secret as
/// `[REDACTED]`.
#[derive(Debug, Clone)]
pub enum Provider {
    Log {
        file: PathBuf,
    },
    Http {
        url: String,
        secret: SecretString,
        client: reqwest::Client,
    },
}

impl Provider {
    /// The provider the configuration names.
    pub fn from_config(config: &crate::config::SmsProviderConfig) -> Provider {
        match config {
            crate::config::SmsProviderConfig::Log { file } => Provider::log(file.clone()),
            crate::config::SmsProviderConfig::Http { url, secret } => {
                Provider::http(url, secret.clone())
            }
        }
    }

    pub fn log(file: PathBuf) -> Provider {
        Provider::Log { file }
    }

    /// The `http` provider: `secret` is the gateway's bearer (a
    /// [`SecretString`], or a `&str` in tests).
    pub fn http(url: &str, secret: impl Into<SecretString>) -> Provider {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Provider::Http {
            url: url.to_owned(),
            secret: secret.into(),
            client,
        }
    }

    /// Hands one message over; the error says why it was not accepted.
    pub async fn send(&self, id: i64, to: &str, text: &str, now: i64) -> Result<(), String> {
        match self {
            Provider::Log { file } => {
                // The demo's channel: the text, link included, by design.
                tracing::info!(message_id = id, "sms (log provider): {text}");
                let line = format!(
                    "{} #{id} to {to}: {}\n",
                    relais::dates::utc_text(now).unwrap_or_default(),
                    text.replace('\n', " ")
                );
                let file = file.clone();
                tokio::task::spawn_blocking(move || {
                    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                        std::fs::create_dir_all(dir)?;
                    }
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&file)?
                        .write_all(line.as_bytes())
                })
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("sms log file: {e}"))
            }
            Provider::Http {
                url,
                secret,
                client,
            } => {
                let response = client
                    .post(url)
                    .bearer_auth(secret.expose_secret())
                    .json(&serde_json::json!({ "id": id.to_string(), "to": to, "text": text }))
                    .send()
                    .await
                    .map_err(|e| format!("gateway unreachable: {}", without_url(&e)))?;
                if response.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("gateway answered {}", response.status().as_u16()))
                }
            }
        }
    }
}

/// A transport error without its URL (which may carry credentials).
fn without_url(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".to_owned()
    } else if e.is_connect() {
        "connection refused or failed".to_owned()
    } else {
        "transport error".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_gateway_secret() {
        let provider = Provider::http("https://gateway.example/sms", "gateway-secret-0123456789");
        let debug = format!("{provider:?}");
        assert!(!debug.contains("gateway-secret-0123456789"), "{debug}");
        assert!(debug.contains("https://gateway.example/sms"), "{debug}");
    }
}
