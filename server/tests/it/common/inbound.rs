//! Text messages received from the SMS gateway (`POST /api/sms/inbound`),
//! signed as the gateway signs them: written here independently of the
//! server's code.

use super::browser::Browser;
use hmac::{Hmac, Mac};
use reqwest::Method;
use sha2::Sha256;

/// Hex HMAC-SHA256 of `timestamp.body` with `secret`.
pub fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Posts `body` through `browser`'s node, signed with `secret`, `offset`
/// seconds away from now.
pub async fn post_signed(
    browser: &Browser,
    secret: &str,
    body: &str,
    offset: i64,
) -> reqwest::Response {
    let timestamp = (time::OffsetDateTime::now_utc().unix_timestamp() + offset).to_string();
    browser
        .request(Method::POST, "/api/sms/inbound")
        .header("content-type", "application/json")
        .header("x-relais-timestamp", &timestamp)
        .header("x-relais-signature", signature(secret, &timestamp, body))
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}
