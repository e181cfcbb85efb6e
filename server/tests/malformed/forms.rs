//! The page side: every public form (the citizen's server functions, the
//! staff sign-in, the link checker) posted with each field malformed in
//! turn, and the whole form missing, duplicated, padded to its body limit
//! and beyond, in another encoding, from another origin.
//!
//! Every answer must be below 500. A field the form needs, sent empty,
//! missing, too long or with letters for digits, must be answered with the
//! problem named: a 400 page (the field named when its bytes are not
//! UTF-8), a 413 page, a redirect carrying `erreur=`, or a redirect to the
//! form whose page shows its error summary (the draft kept on the server).

use super::server::{Answer, Probe};
use reqwest::{Method, StatusCode};

/// What a field holds, for what its refusal must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number the form needs (a day, a month, a year, a phone number).
    Digits,
    /// A text the form needs (a name, a password).
    Text,
    /// One of a few values the form needs (a radio button).
    Choice,
    /// Anything else: hidden fields, optional ones, ticked boxes. Only
    /// "no server error" (and the not-UTF-8 and size refusals) is asserted.
    Free,
}

pub struct Field {
    pub name: &'static str,
    /// A value the form takes, urlencoded.
    pub value: String,
    pub kind: Kind,
}

pub fn field(name: &'static str, value: impl Into<String>, kind: Kind) -> Field {
    Field {
        name,
        value: value.into(),
        kind,
    }
}

/// One form route and the session it is posted with.
pub struct Form {
    pub path: &'static str,
    pub session: Option<String>,
    pub fields: Vec<Field>,
    /// The largest body the route reads.
    pub limit: usize,
    /// Whether the fields as given must be taken (checked once first, so
    /// that the refusals below are refusals of the malformed field).
    pub baseline_taken: bool,
}

/// The malformed values each field is sent with (urlencoded), and the
/// kinds of field for which each must be refused.
fn values() -> Vec<(&'static str, String, &'static [Kind])> {
    use Kind::*;
    const NEEDED: &[Kind] = &[Digits, Text, Choice];
    const NUMBERS: &[Kind] = &[Digits, Choice];
    vec![
        ("empty", String::new(), NEEDED),
        ("10k chars", "a".repeat(10_000), NEEDED),
        (
            "300k chars",
            "a".repeat(300_000),
            &[Digits, Text, Choice, Free],
        ),
        ("NUL", "1%00".into(), &[]),
        ("ESC", "%1B%5B31m1".into(), &[]),
        ("CR LF", "1%0D%0A2".into(), &[]),
        ("RTL override", "%E2%80%AEabc".into(), &[]),
        ("not UTF-8", "%FF%FE".into(), &[Digits, Text, Choice, Free]),
        ("letters", "abc".into(), NUMBERS),
        ("huge number", "99999999999999999999999".into(), NUMBERS),
        ("negative", "-1".into(), &[Digits]),
        ("exponent", "1e3".into(), NUMBERS),
        ("spaces", "+++".into(), NEEDED),
    ]
}

impl Form {
    fn body(&self, replaced: Option<(&str, &str)>, skipped: Option<&str>) -> String {
        self.fields
            .iter()
            .filter(|f| Some(f.name) != skipped)
            .map(|f| match replaced {
                Some((name, value)) if name == f.name => format!("{}={value}", f.name),
                _ => format!("{}={}", f.name, f.value),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    fn needs_fields(&self) -> bool {
        self.fields.iter().any(|f| f.kind != Kind::Free)
    }

    async fn post(&self, probe: &Probe, what: &str, body: String) -> Option<Answer> {
        let oversized = body.len() > self.limit;
        let request = probe
            .form_post(self.path, self.session.as_deref())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        probe
            .send(&format!("POST {} ({what})", self.path), request, oversized)
            .await
    }

    /// Whether `answer` names a problem: 400 or 413 page, `erreur=` in the
    /// redirect, or the page it redirects to shows an error summary.
    async fn names_a_problem(&self, probe: &Probe, answer: &Answer) -> bool {
        match answer.status {
            StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => !answer.body.is_empty(),
            s if s.is_redirection() => {
                if answer.location.contains("erreur=") {
                    return true;
                }
                let path = answer.location.split('#').next().unwrap_or_default();
                let mut request = probe.request(Method::GET, path);
                if let Some(secret) = &self.session {
                    request = request.header("cookie", format!("relais_session={secret}"));
                }
                // The form again with its error summary, or an error page
                // (an unknown link's, for a form without its token).
                let page = probe.send(&format!("GET {path}"), request, false).await;
                page.is_some_and(|p| p.body.contains("error-summary") || p.status.is_client_error())
            }
            _ => false,
        }
    }

    async fn expect_refusal(&self, probe: &Probe, what: &str, answer: &Answer) {
        if !self.names_a_problem(probe, answer).await {
            probe.problem(format!(
                "POST {} ({what}): refused without naming the problem: {}",
                self.path,
                answer.excerpt()
            ));
        }
    }

    /// Every malformed request of this form.
    pub async fn probe(&self, probe: &Probe) {
        if self.baseline_taken {
            if let Some(answer) = self
                .post(probe, "as a browser sends it", self.body(None, None))
                .await
            {
                if self.names_a_problem(probe, &answer).await {
                    probe.problem(format!(
                        "POST {}: the well-formed form was refused: {}",
                        self.path,
                        answer.excerpt()
                    ));
                }
            }
        }
        for field in &self.fields {
            for (label, value, refused) in values() {
                let what = format!("{} {label}", field.name);
                let body = self.body(Some((field.name, &value)), None);
                let Some(answer) = self.post(probe, &what, body).await else {
                    continue;
                };
                if label == "not UTF-8" {
                    let named = format!("« {} »", field.name);
                    if answer.status != StatusCode::BAD_REQUEST || !answer.body.contains(&named) {
                        probe.problem(format!(
                            "POST {} ({what}): not a 400 naming {named}: {}",
                            self.path,
                            answer.excerpt()
                        ));
                    }
                } else if label == "300k chars" {
                    if answer.status != StatusCode::PAYLOAD_TOO_LARGE {
                        probe.problem(format!(
                            "POST {} ({what}): not a 413: {}",
                            self.path,
                            answer.excerpt()
                        ));
                    }
                } else if refused.contains(&field.kind) {
                    self.expect_refusal(probe, &what, &answer).await;
                }
            }
            // Missing, twice, as an array or a map (forms no browser sends).
            let what = format!("{} missing", field.name);
            if let Some(answer) = self
                .post(probe, &what, self.body(None, Some(field.name)))
                .await
            {
                if field.kind != Kind::Free {
                    self.expect_refusal(probe, &what, &answer).await;
                }
            }
            let base = self.body(None, None);
            for (label, extra) in [
                ("twice", format!("{}=2", field.name)),
                ("as an array", format!("{}[]=1", field.name)),
                ("as a map", format!("{}[a]=1", field.name)),
            ] {
                let what = format!("{} {label}", field.name);
                self.post(probe, &what, format!("{base}&{extra}")).await;
            }
        }
        self.probe_whole(probe).await;
    }

    /// The whole form: unknown fields, an empty body, the body limit, other
    /// encodings, other origins.
    async fn probe_whole(&self, probe: &Probe) {
        let base = self.body(None, None);
        let joined = |extra: &str| {
            if base.is_empty() {
                extra.to_owned()
            } else {
                format!("{base}&{extra}")
            }
        };
        self.post(probe, "an unknown field", joined("zz_unknown=1&%00=%1B"))
            .await;
        self.post(probe, "no name", joined("=1&&=")).await;
        if let Some(answer) = self.post(probe, "empty body", String::new()).await {
            if self.needs_fields() {
                self.expect_refusal(probe, "empty body", &answer).await;
            }
        }
        // Padded by an unknown field to the limit exactly, then one byte over.
        let prefix = joined("zz_pad=");
        let at_limit = format!("{prefix}{}", "a".repeat(self.limit - prefix.len()));
        if let Some(answer) = self
            .post(probe, "body at the limit", at_limit.clone())
            .await
        {
            if answer.status == StatusCode::PAYLOAD_TOO_LARGE {
                probe.problem(format!(
                    "POST {}: a body of {} bytes (the limit) refused as too large",
                    self.path,
                    at_limit.len()
                ));
            }
        }
        let over = format!("{at_limit}a");
        if let Some(answer) = self.post(probe, "body over the limit", over).await {
            if answer.status != StatusCode::PAYLOAD_TOO_LARGE {
                probe.problem(format!(
                    "POST {}: a body one byte over the limit: {}",
                    self.path,
                    answer.excerpt()
                ));
            }
        }
        for (content_type, body) in [
            (
                "application/json",
                "{\"day\": [1], \"zz\": null}".to_owned(),
            ),
            ("text/plain", base.clone()),
            ("multipart/form-data; boundary=x", "--x--".to_owned()),
            (
                "application/x-www-form-urlencoded; charset=latin1",
                base.clone(),
            ),
        ] {
            let request = probe
                .form_post(self.path, self.session.as_deref())
                .header("content-type", content_type)
                .body(body);
            probe
                .send(
                    &format!("POST {} as {content_type}", self.path),
                    request,
                    false,
                )
                .await;
        }
        // From another site, or without saying where from: refused (403).
        for origin in [Some("https://evil.example"), Some("null"), None] {
            let mut request = probe
                .request(Method::POST, self.path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(base.clone());
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let what = format!("POST {} from origin {origin:?}", self.path);
            if let Some(answer) = probe.send(&what, request, false).await {
                if answer.status != StatusCode::FORBIDDEN {
                    probe.problem(format!("{what}: not a 403: {}", answer.excerpt()));
                }
            }
        }
    }
}
