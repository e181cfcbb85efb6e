//! Configuration from environment variables, each with a documented default
//! (README, "Configuration"). A wrong value stops the start with a message
//! naming the variable and what is expected.
//!
//! Secrets (the SMS gateway's bearer, the inbound SMS key) are held as
//! [`SecretString`]: their `Debug` prints `[REDACTED]`, and the code that
//! uses one calls [`secrecy::ExposeSecret::expose_secret`] right there. The
//! database URL stays plain text (the tests and the commands hand it on to a
//! child process), but `Debug` of [`Config`] shows it without its password.

use secrecy::SecretString;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the service reads from its environment.
///
/// `Debug` is written by hand (below) so that the database password never
/// shows; the other secrets redact themselves.
#[derive(Clone)]
pub struct Config {
    /// `RELAIS_DATABASE_URL`: `sqlite://PATH` (created if missing) or `postgres://…`.
    pub database_url: String,
    /// `RELAIS_DB_CONNECTIONS` (16): on PostgreSQL, the connections each of
    /// the node's two pools (statements, writing transactions) opens at
    /// most, so up to twice this many per node: the nodes together must
    /// stay under the server's `max_connections` (100 by default). SQLite
    /// keeps its own sizes.
    pub db_connections: u32,
    /// `RELAIS_ADDR`: where to listen, HOST:PORT.
    pub addr: SocketAddr,
    /// `RELAIS_PUBLIC_URL`: base of every link written into an SMS, without a
    /// trailing slash. Never derived from a request's `Host` header.
    pub public_url: String,
    /// `RELAIS_LOG`: a `tracing` filter such as `info` or `relais=debug`.
    pub log: String,
    /// `RELAIS_SITE_ROOT`: the folder cargo-leptos built (CSS, JS, WASM, assets).
    pub site_root: PathBuf,
    /// `RELAIS_DOCTRINE_DIR`: a folder of rule-set files (`*.toml`) added to
    /// the embedded ones, or replacing one with the same id. None by default.
    pub doctrine_dir: Option<PathBuf>,
    /// `RELAIS_RULES_ON_CHANGE` (`keep`): when a newer rule set comes into
    /// force, follow-ups in progress keep the set of the case's J0 (`keep`,
    /// as the published rules did; the contact's page says what the newer
    /// set would change) or follow the newer set (`apply`: instructions,
    /// dates and reminders).
    pub rules_on_change: relais::doctrine::OnNewerRules,
    /// `RELAIS_SIGN_IN_DELAY_MS`: the base of the increasing delay before
    /// answering a staff member's failed sign-ins (1000 by default; 1 to
    /// 60000). Tests lower it to keep lockout tests fast.
    pub sign_in_delay_ms: u64,
    /// `RELAIS_PASSWORD_CHECKS`: how many staff password checks (argon2id,
    /// 19 MiB each) may run at once on this node (twice the cores by
    /// default; 1 to 256). Beyond, a sign-in is answered 503 with
    /// Retry-After.
    pub password_checks: usize,
    /// `RELAIS_TRUSTED_PROXIES`: the reverse proxies (addresses or CIDR
    /// blocks, separated by commas) whose `X-Forwarded-For` names the client
    /// for the per-address rate limits. None by default: the TCP peer is the
    /// client.
    pub trusted_proxies: relais::client_address::TrustedProxies,
    /// `RELAIS_METRICS_TOKEN` (16+ characters): when set, `/metrics` answers
    /// only `Authorization: Bearer <token>`. Unset, it is public (set it on
    /// any node reachable from outside).
    pub metrics_token: Option<SecretString>,
    /// `RELAIS_SMS_PROVIDER` and its settings: where SMS go.
    pub sms: SmsConfig,
    /// `RELAIS_RETENTION_DAYS` (90): personal data is deleted this many
    /// days after its collection (the daily purge, `relais purge`).
    pub retention_days: u32,
    /// `RELAIS_FIGURES_REFRESH_SECONDS` (300): how often the dashboard's
    /// figures of recent days are recomputed.
    pub figures_refresh_seconds: u64,
    /// `RELAIS_REQUEST_TIMEOUT_SECONDS` (60): a request not answered in this
    /// time, its body included, is answered 408 (1 to 3600).
    pub request_timeout_seconds: u64,
    /// `RELAIS_HEADER_READ_TIMEOUT_SECONDS` (10): a client that has not sent
    /// a request's whole headers in this time is disconnected (1 to 600),
    /// so that a slow client can hold neither a connection nor the shutdown.
    pub header_read_timeout_seconds: u64,
    /// `RELAIS_SECOND_FACTOR`: `required` (the default behind an https
    /// public URL) makes supervisors and admins enrol a second factor
    /// before anything else; `optional` (the default on http: a local demo)
    /// leaves it to each member. Enrolled members are asked for it either way.
    pub second_factor_required: bool,
}

/// Where the outbox's messages go.
#[derive(Debug, Clone)]
pub enum SmsProviderConfig {
    /// `log` (default): the log and `RELAIS_SMS_LOG_FILE` (`data/sms.log`).
    /// `redact` when the public URL is https and `RELAIS_DEMO` is not `1`:
    /// a real deployment's file must not hold live links and numbers, so
    /// they are written masked (the texts are not delivered either way).
    Log { file: PathBuf, redact: bool },
    /// `http`: `RELAIS_SMS_GATEWAY_URL` with `RELAIS_SMS_GATEWAY_SECRET`.
    Http { url: String, secret: SecretString },
}

/// The SMS sender's settings.
#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub provider: SmsProviderConfig,
    /// `RELAIS_SMS_MAX_ATTEMPTS` (8): attempts before a message is failed.
    pub max_attempts: u32,
    /// `RELAIS_SMS_LEASE_SECONDS` (120): how long a node's claim on a batch
    /// holds; past it, another node takes the batch again (its node died).
    pub lease_seconds: u32,
    /// `RELAIS_SMS_INBOUND_SECRET` (none): the HMAC key of the gateway's
    /// inbound SMS (16+ characters); unset, `POST /api/sms/inbound` is 404.
    pub inbound_secret: Option<SecretString>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/relais.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_LOG: &str = "info";
pub const DEFAULT_SITE_ROOT: &str = "target/site";

/// A configuration value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {variable}={value:?} is not valid: expected {expected}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str, default: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };

        // A whole number within `range`, or the error naming the variable.
        let number = |variable: &'static str,
                      default: &str,
                      range: std::ops::RangeInclusive<u64>,
                      expected: &'static str| {
            let value = get(variable, default);
            value
                .parse::<u64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or(ConfigError {
                    variable,
                    value,
                    expected,
                })
        };

        let database_url = get("RELAIS_DATABASE_URL", DEFAULT_DATABASE_URL);
        if relais_store::Backend::from_url(&database_url).is_none() {
            return Err(ConfigError {
                variable: "RELAIS_DATABASE_URL",
                value: redact_url(&database_url),
                expected:
                    "a URL starting with sqlite:// (a file, created if missing) or postgres://",
            });
        }

        let db_connections = number(
            "RELAIS_DB_CONNECTIONS",
            &relais_store::db::DEFAULT_POSTGRES_CONNECTIONS.to_string(),
            1..=500,
            "a number of connections per pool from 1 to 500",
        )? as u32;

        let addr_text = get("RELAIS_ADDR", DEFAULT_ADDR);
        let addr = addr_text.parse::<SocketAddr>().map_err(|_| ConfigError {
            variable: "RELAIS_ADDR",
            value: addr_text.clone(),
            expected: "an IP address and a port, such as 127.0.0.1:3000 or [::]:8080",
        })?;

        let public_default = format!("http://{addr}");
        let public_text = get("RELAIS_PUBLIC_URL", &public_default);
        let public_url = parse_public_url(&public_text).ok_or(ConfigError {
            variable: "RELAIS_PUBLIC_URL",
            value: public_text.clone(),
            expected: "an absolute http:// or https:// URL without query or fragment, such as https://relais.example.fr",
        })?;

        let log = get("RELAIS_LOG", DEFAULT_LOG);
        if tracing_subscriber::EnvFilter::try_new(&log).is_err() {
            return Err(ConfigError {
                variable: "RELAIS_LOG",
                value: log,
                expected: "a log filter such as error, warn, info, debug or relais=debug,info",
            });
        }

        let site_root = PathBuf::from(get("RELAIS_SITE_ROOT", DEFAULT_SITE_ROOT));
        let doctrine_dir = Some(get("RELAIS_DOCTRINE_DIR", ""))
            .filter(|d| !d.is_empty())
            .map(PathBuf::from);
        let rules_on_change_text = get("RELAIS_RULES_ON_CHANGE", "keep");
        let rules_on_change = rules_on_change_text.parse().map_err(|_| ConfigError {
            variable: "RELAIS_RULES_ON_CHANGE",
            value: rules_on_change_text.clone(),
            expected: "keep (follow-ups keep the rules of the case's J0) or apply (they follow a newer set)",
        })?;

        let sign_in_delay_ms = number(
            "RELAIS_SIGN_IN_DELAY_MS",
            "1000",
            1..=60_000,
            "a number of milliseconds from 1 to 60000",
        )?;
        let password_checks = number(
            "RELAIS_PASSWORD_CHECKS",
            &relais_store::security::password::PasswordChecks::default_slots().to_string(),
            1..=256,
            "a number of concurrent password checks from 1 to 256",
        )? as usize;
        let proxies_text = get("RELAIS_TRUSTED_PROXIES", "");
        let trusted_proxies = relais::client_address::TrustedProxies::parse(&proxies_text)
            .map_err(|_| ConfigError {
                variable: "RELAIS_TRUSTED_PROXIES",
                value: proxies_text.clone(),
                expected: "addresses or CIDR blocks separated by commas, such as 10.0.0.0/8, ::1",
            })?;
        let metrics_token = match get("RELAIS_METRICS_TOKEN", "") {
            token if token.is_empty() => None,
            token if token.len() >= 16 => Some(token.into()),
            _ => {
                return Err(ConfigError {
                    variable: "RELAIS_METRICS_TOKEN",
                    value: "(hidden)".to_owned(),
                    expected: "the metrics bearer token, 16 characters or more",
                })
            }
        };
        let retention_days = number(
            "RELAIS_RETENTION_DAYS",
            "90",
            1..=3650,
            "a number of days from 1 to 3650 (three months: 90)",
        )? as u32;
        let figures_refresh_seconds = number(
            "RELAIS_FIGURES_REFRESH_SECONDS",
            "300",
            1..=86_400,
            "a number of seconds from 1 to 86400",
        )?;
        let request_timeout_seconds = number(
            "RELAIS_REQUEST_TIMEOUT_SECONDS",
            "60",
            1..=3600,
            "a number of seconds from 1 to 3600",
        )?;
        let header_read_timeout_seconds = number(
            "RELAIS_HEADER_READ_TIMEOUT_SECONDS",
            "10",
            1..=600,
            "a number of seconds from 1 to 600",
        )?;

        let second_factor_default = match public_url.starts_with("https://") {
            true => "required",
            false => "optional",
        };
        let second_factor_required =
            match get("RELAIS_SECOND_FACTOR", second_factor_default).as_str() {
                "required" => true,
                "optional" => false,
                other => {
                    return Err(ConfigError {
                        variable: "RELAIS_SECOND_FACTOR",
                        value: other.to_owned(),
                        expected: "required or optional",
                    })
                }
            };

        let sms = SmsConfig {
            provider: match get("RELAIS_SMS_PROVIDER", "log").as_str() {
                "log" => SmsProviderConfig::Log {
                    file: PathBuf::from(get("RELAIS_SMS_LOG_FILE", "data/sms.log")),
                    redact: public_url.starts_with("https://") && get("RELAIS_DEMO", "0") != "1",
                },
                "http" => {
                    let url = get("RELAIS_SMS_GATEWAY_URL", "");
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        return Err(ConfigError {
                            variable: "RELAIS_SMS_GATEWAY_URL",
                            value: redact_url(&url),
                            expected:
                                "the gateway's http:// or https:// URL (RELAIS_SMS_PROVIDER=http)",
                        });
                    }
                    let secret = get("RELAIS_SMS_GATEWAY_SECRET", "");
                    if secret.len() < 16 {
                        return Err(ConfigError {
                            variable: "RELAIS_SMS_GATEWAY_SECRET",
                            value: "(hidden)".to_owned(),
                            expected: "the gateway's bearer secret, 16 characters or more",
                        });
                    }
                    SmsProviderConfig::Http {
                        url,
                        secret: secret.into(),
                    }
                }
                other => {
                    return Err(ConfigError {
                        variable: "RELAIS_SMS_PROVIDER",
                        value: other.to_owned(),
                        expected: "log or http",
                    })
                }
            },
            max_attempts: number(
                "RELAIS_SMS_MAX_ATTEMPTS",
                "8",
                1..=50,
                "a number of attempts from 1 to 50",
            )? as u32,
            lease_seconds: number(
                "RELAIS_SMS_LEASE_SECONDS",
                "120",
                1..=3600,
                "a number of seconds from 1 to 3600",
            )? as u32,
            inbound_secret: match get("RELAIS_SMS_INBOUND_SECRET", "") {
                secret if secret.is_empty() => None,
                secret if secret.len() >= 16 => Some(secret.into()),
                _ => {
                    return Err(ConfigError {
                        variable: "RELAIS_SMS_INBOUND_SECRET",
                        value: "(hidden)".to_owned(),
                        expected: "the inbound SMS signing secret, 16 characters or more",
                    })
                }
            },
        };

        Ok(Config {
            sms,
            retention_days,
            figures_refresh_seconds,
            request_timeout_seconds,
            header_read_timeout_seconds,
            second_factor_required,
            sign_in_delay_ms,
            password_checks,
            trusted_proxies,
            metrics_token,
            database_url,
            db_connections,
            addr,
            public_url,
            log,
            site_root,
            doctrine_dir,
            rules_on_change,
        })
    }

    /// True when links are served over HTTPS (then HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The origin (scheme, host, port) of the public URL, as browsers write
    /// it in the `Origin` header.
    pub fn public_origin(&self) -> String {
        url::Url::parse(&self.public_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every field, named: a new one fails to compile until it is shown here.
        let Config {
            database_url,
            db_connections,
            addr,
            public_url,
            log,
            site_root,
            doctrine_dir,
            rules_on_change,
            sign_in_delay_ms,
            password_checks,
            trusted_proxies,
            metrics_token,
            sms,
            retention_days,
            figures_refresh_seconds,
            request_timeout_seconds,
            header_read_timeout_seconds,
            second_factor_required,
        } = self;
        f.debug_struct("Config")
            .field("database_url", &redact_url(database_url))
            .field("db_connections", db_connections)
            .field("addr", addr)
            .field("public_url", public_url)
            .field("log", log)
            .field("site_root", site_root)
            .field("doctrine_dir", doctrine_dir)
            .field("rules_on_change", rules_on_change)
            .field("sign_in_delay_ms", sign_in_delay_ms)
            .field("password_checks", password_checks)
            .field("trusted_proxies", trusted_proxies)
            .field("metrics_token", &metrics_token.as_ref().map(|_| "(hidden)"))
            .field("sms", sms)
            .field("retention_days", retention_days)
            .field("figures_refresh_seconds", figures_refresh_seconds)
            .field("request_timeout_seconds", request_timeout_seconds)
            .field("header_read_timeout_seconds", header_read_timeout_seconds)
            .field("second_factor_required", second_factor_required)
            .finish()
    }
}

fn parse_public_url(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    ok.then(|| text.trim_end_matches('/').to_owned())
}

/// A database URL without its password, for error messages and logs: the
/// one after the user name (`postgres://user:***@host/db`) and the value of a
/// query parameter naming one (`?password=***`, `?sslpassword=***`).
pub fn redact_url(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return text.to_owned();
    };
    let is_password = |key: &str| key.to_ascii_lowercase().contains("password");
    let mut changed = false;
    if url.password().is_some() {
        changed |= url.set_password(Some("***")).is_ok();
    }
    if url.query_pairs().any(|(key, _)| is_password(&key)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(key, value)| {
                let value = if is_password(&key) {
                    "***".to_owned()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        changed = true;
    }
    if changed {
        url.to_string()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/relais.db");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.public_origin(), "http://127.0.0.1:3000");
        assert!(!c.is_https());
        assert_eq!(c.db_connections, 16);
    }

    #[test]
    fn the_database_connections_are_bounded() {
        let c = config(&[("RELAIS_DB_CONNECTIONS", " 8 ")]).unwrap();
        assert_eq!(c.db_connections, 8);
        assert_eq!(
            config(&[("RELAIS_DB_CONNECTIONS", "500")])
                .unwrap()
                .db_connections,
            500
        );
        for wrong in ["0", "501", "-1", "huit"] {
            let err = config(&[("RELAIS_DB_CONNECTIONS", wrong)]).unwrap_err();
            assert_eq!(err.variable, "RELAIS_DB_CONNECTIONS", "{wrong}");
        }
    }

    #[test]
    fn public_url_is_normalised() {
        let c = config(&[("RELAIS_PUBLIC_URL", "https://relais.example.fr/")]).unwrap();
        assert_eq!(c.public_url, "https://relais.example.fr");
        assert_eq!(c.public_origin(), "https://relais.example.fr");
        assert!(c.is_https());
    }

    #[test]
    fn wrong_values_name_the_variable() {
        for (var, value) in [
            ("RELAIS_ADDR", "localhost"),
            ("RELAIS_ADDR", "127.0.0.1:99999"),
            ("RELAIS_PUBLIC_URL", "relais.example.fr"),
            ("RELAIS_PUBLIC_URL", "ftp://relais.example.fr"),
            ("RELAIS_PUBLIC_URL", "https://relais.example.fr/?x=1"),
            ("RELAIS_DATABASE_URL", "mysql://localhost/relais"),
            ("RELAIS_LOG", "info,[[["),
            ("RELAIS_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("RELAIS_TRUSTED_PROXIES", "proxy.example.fr"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var);
            let message = err.to_string();
            assert!(message.contains(var), "{message}");
            assert!(message.contains("expected"), "{message}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        let err = config(&[("RELAIS_DATABASE_URL", "mysql://u:secret@h/db")]).unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn passwords_in_query_parameters_are_redacted() {
        let url =
            "postgres://db.example/relais?user=relais&password=hunter2-secret&sslmode=require";
        let redacted = redact_url(url);
        assert!(!redacted.contains("hunter2"), "{redacted}");
        assert!(redacted.contains("user=relais"), "{redacted}");
        assert!(redacted.contains("sslmode=require"), "{redacted}");
        // Nothing to hide: the text as it was.
        assert_eq!(
            redact_url("sqlite://data/relais.db"),
            "sqlite://data/relais.db"
        );
    }

    #[test]
    fn the_inbound_secret_is_optional_but_long_and_never_shown() {
        assert!(config(&[]).unwrap().sms.inbound_secret.is_none());
        assert_eq!(
            config(&[("RELAIS_SMS_INBOUND_SECRET", "inbound-secret-0123")])
                .unwrap()
                .sms
                .inbound_secret
                .as_ref()
                .map(ExposeSecret::expose_secret),
            Some("inbound-secret-0123")
        );
        let err = config(&[("RELAIS_SMS_INBOUND_SECRET", "short-secret")]).unwrap_err();
        assert_eq!(err.variable, "RELAIS_SMS_INBOUND_SECRET");
        assert!(!err.to_string().contains("short-secret"));
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let c = config(&[
            (
                "RELAIS_DATABASE_URL",
                "postgres://relais:db-password-0123@db.example/relais",
            ),
            ("RELAIS_SMS_PROVIDER", "http"),
            ("RELAIS_SMS_GATEWAY_URL", "https://gateway.example/sms"),
            ("RELAIS_SMS_GATEWAY_SECRET", "gateway-secret-0123456789"),
            ("RELAIS_SMS_INBOUND_SECRET", "inbound-secret-0123456789"),
        ])
        .unwrap();
        let debug = format!("{c:?}");
        let pretty = format!("{c:#?}");
        for text in [&debug, &pretty] {
            assert!(!text.contains("db-password-0123"), "{text}");
            assert!(!text.contains("gateway-secret-0123456789"), "{text}");
            assert!(!text.contains("inbound-secret-0123456789"), "{text}");
            // Still useful: where the data is, where SMS go.
            assert!(text.contains("db.example"), "{text}");
            assert!(text.contains("https://gateway.example/sms"), "{text}");
        }
        // The values themselves are intact where they are used.
        assert!(c.database_url.contains("db-password-0123"));
        match &c.sms.provider {
            SmsProviderConfig::Http { secret, .. } => {
                assert_eq!(secret.expose_secret(), "gateway-secret-0123456789")
            }
            other => panic!("expected the http provider, got {other:?}"),
        }
    }
}
