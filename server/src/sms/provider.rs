//! Where the outbox's messages go (`RELAIS_SMS_PROVIDER`):
//! - `log` (the default): each message, link included, is written to the
//!   log and appended to `RELAIS_SMS_LOG_FILE` (`data/sms.log`), so that the
//!   demo shows the links a person would receive. Behind an https public URL
//!   (a real deployment) it writes them masked — no live link, no full
//!   number — unless `RELAIS_DEMO=1` (issue 21);
//! - `http`: `POST RELAIS_SMS_GATEWAY_URL` with a JSON body
//!   `{"id": "<message id>", "to": "+33…", "text": "…", "encoding":
//!   "gsm7"|"ucs2", "parts": n}` (the alphabet the text needs and the parts
//!   it costs, as [`relais::sms::encoding::cost`] counts them) and
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
        /// Links and numbers masked (see the module's documentation).
        redact: bool,
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
            crate::config::SmsProviderConfig::Log { file, redact } => Provider::Log {
                file: file.clone(),
                redact: *redact,
            },
            crate::config::SmsProviderConfig::Http { url, secret } => {
                Provider::http(url, secret.clone())
            }
        }
    }

    /// The `log` provider writing texts as they are (the demo's).
    pub fn log(file: PathBuf) -> Provider {
        Provider::Log {
            file,
            redact: false,
        }
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
            Provider::Log { file, redact } => {
                // The demo's channel: the text, link included, by design;
                // masked behind https unless RELAIS_DEMO=1.
                let (to, text) = match redact {
                    true => (masked_phone(to), masked_links(text)),
                    false => (to.to_owned(), text.to_owned()),
                };
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
                    .json(&{
                        let (encoding, parts) = relais::sms::encoding::cost(text);
                        serde_json::json!({
                            "id": id.to_string(),
                            "to": to,
                            "text": text,
                            "encoding": encoding.as_str(),
                            "parts": parts,
                        })
                    })
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

/// A phone number with all but its last two digits masked.
fn masked_phone(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen + 2 > digits {
                c
            } else {
                '•'
            }
        })
        .collect()
}

/// The text with the token of every link (`…/d/<token>`, `…/c/<token>`)
/// masked: the file then opens no one's file.
fn masked_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["/d/", "/c/"].iter().filter_map(|m| rest.find(m)).min() {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let token = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        if token > 0 {
            out.push_str("[masqué]");
        }
        rest = &rest[token..];
    }
    out.push_str(rest);
    out
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
    fn masked_texts_keep_no_token_and_no_full_number() {
        assert_eq!(masked_phone("+33639980110"), "+•••••••••10");
        assert_eq!(masked_phone("1"), "1");
        let text =
            "Relais : ouvrez https://relais.example.fr/d/AbC_d-12345678901234567\nou /c/XyZ. Fin";
        let masked = masked_links(text);
        assert_eq!(
            masked,
            "Relais : ouvrez https://relais.example.fr/d/[masqué]\nou /c/[masqué]. Fin"
        );
        assert_eq!(masked_links("sans lien"), "sans lien");
        assert_eq!(masked_links("fin /d/"), "fin /d/");
    }

    #[tokio::test]
    async fn behind_https_the_log_file_holds_no_live_link_unless_demo() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sms.log");
        let text = "Relais : https://relais.example.fr/d/AbCdEfGhIjKlMnOpQrStUv";
        for (vars, live) in [
            (
                vec![("RELAIS_PUBLIC_URL", "https://relais.example.fr")],
                false,
            ),
            (
                vec![
                    ("RELAIS_PUBLIC_URL", "https://relais.example.fr"),
                    ("RELAIS_DEMO", "1"),
                ],
                true,
            ),
            (vec![("RELAIS_PUBLIC_URL", "http://127.0.0.1:3000")], true),
        ] {
            let _ = std::fs::remove_file(&file);
            let mut vars: Vec<(&str, String)> =
                vars.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
            vars.push(("RELAIS_SMS_LOG_FILE", file.display().to_string()));
            let config = crate::config::Config::from_lookup(|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
            })
            .unwrap();
            let provider = Provider::from_config(&config.sms.provider);
            provider.send(7, "+33639980110", text, 0).await.unwrap();
            let written = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                written.contains("AbCdEfGhIjKlMnOpQrStUv"),
                live,
                "{written}"
            );
            assert_eq!(written.contains("+33639980110"), live, "{written}");
            assert!(written.contains("#7 to "), "{written}");
        }
    }

    #[test]
    fn debug_never_shows_the_gateway_secret() {
        let provider = Provider::http("https://gateway.example/sms", "gateway-secret-0123456789");
        let debug = format!("{provider:?}");
        assert!(!debug.contains("gateway-secret-0123456789"), "{debug}");
        assert!(debug.contains("https://gateway.example/sms"), "{debug}");
    }
}
