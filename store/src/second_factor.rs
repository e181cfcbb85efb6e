//! The staff's second factor (issue 21): a TOTP (RFC 6238: SHA-1, six
//! digits, 30-second steps, one step of drift either way) enrolled with a QR
//! code drawn as SVG on the server, and ten recovery codes, each usable once
//! and stored as hashes only.
//!
//! Enrolment is two steps: [`enrolment`] keeps a new secret as pending and
//! shows it; [`confirm_enrolment`] enables it once a code made from it is
//! typed, and returns the recovery codes — the only time they exist in
//! clear. A code is checked against the database's clock and never
//! accepted twice (the last step used is kept), so a code seen over a
//! shoulder is spent.

use super::{Db, StoreError};
use crate::security::token::hash_token;
use relais::ids::StaffId;
use totp_rs::{Algorithm, Secret, TOTP};

/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;

/// The issuer shown in authenticator apps.
const ISSUER: &str = "Relais";

/// A secret being enrolled, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// Base32, for typing by hand.
    pub secret: String,
    /// The QR code of its `otpauth://` URL, an SVG document.
    pub qr_svg: String,
}

/// The TOTP of `secret` (base32) for `account`.
fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .ok()
}

/// The code of `secret` (base32) at the Unix time `at` (what the member's
/// app shows; the tests type it).
pub fn code_at(secret: &str, at: i64) -> Option<String> {
    Some(totp(secret, "x")?.generate(u64::try_from(at).ok()?))
}

/// Draws `text` as a QR code in SVG.
fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

/// The secret being enrolled for the member (`username` names it in the
/// app): the pending one, or a new one kept as pending. `None` when the
/// member is enrolled already (or gone).
pub async fn enrolment(
    db: &Db,
    staff_user_id: StaffId,
    username: &str,
) -> Result<Option<Enrolment>, StoreError> {
    let row: Option<(Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT totp_secret, totp_enabled_at FROM staff_users WHERE id = $1")
            .bind(staff_user_id.get())
            .fetch_optional(db.pool())
            .await?;
    let secret = match row {
        None | Some((_, Some(_))) => return Ok(None),
        Some((Some(secret), None)) => secret,
        Some((None, None)) => {
            let secret = Secret::generate_secret().to_encoded().to_string();
            sqlx::query(
                "UPDATE staff_users SET totp_secret = $2 \
                 WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret IS NULL",
            )
            .bind(staff_user_id.get())
            .bind(&secret)
            .execute(&mut *db.write().await?)
            .await?;
            // Another node may have written its own first: read it back.
            match sqlx::query_scalar::<_, Option<String>>(
                "SELECT totp_secret FROM staff_users WHERE id = $1",
            )
            .bind(staff_user_id.get())
            .fetch_one(db.pool())
            .await?
            {
                Some(secret) => secret,
                None => return Ok(None),
            }
        }
    };
    let Some(totp) = totp(&secret, username) else {
        return Err(StoreError::Corrupt("staff_users.totp_secret"));
    };
    Ok(Some(Enrolment {
        qr_svg: qr_svg(&totp.get_url()),
        secret,
    }))
}

/// A code as typed: digits only (spaces dropped).
fn digits_of(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The time step `code` belongs to for `secret` around `at` (one step of
/// drift either way), if any.
fn matching_step(secret: &str, code: &str, at: i64) -> Option<i64> {
    let totp = totp(secret, "x")?;
    let code = digits_of(code);
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = at.div_euclid(30);
    (step - 1..=step + 1).find(|s| {
        u64::try_from(s * 30).is_ok_and(|t| {
            subtle::ConstantTimeEq::ct_eq(totp.generate(t).as_bytes(), code.as_bytes()).into()
        })
    })
}

/// Enables the pending secret when `code` is one of its codes; returns the
/// recovery codes (in clear, this once), or `None` for a wrong code or no
/// pending secret.
pub async fn confirm_enrolment(
    db: &Db,
    staff_user_id: StaffId,
    code: &str,
) -> Result<Option<Vec<String>>, StoreError> {
    let at = db.now();
    let secret: Option<Option<String>> = sqlx::query_scalar(
        "SELECT totp_secret FROM staff_users WHERE id = $1 AND totp_enabled_at IS NULL",
    )
    .bind(staff_user_id.get())
    .fetch_optional(db.pool())
    .await?;
    let Some(Some(secret)) = secret else {
        return Ok(None);
    };
    let Some(step) = matching_step(&secret, code, at) else {
        return Ok(None);
    };
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE staff_users SET totp_enabled_at = $2, totp_last_step = $3 \
         WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret = $4",
    )
    .bind(staff_user_id.get())
    .bind(at)
    .bind(step)
    .bind(&secret)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_user_id = $1")
        .bind(staff_user_id.get())
        .execute(&mut *tx)
        .await?;
    for code in &codes {
        sqlx::query("INSERT INTO staff_recovery_codes (staff_user_id, code_hash) VALUES ($1, $2)")
            .bind(staff_user_id.get())
            .bind(hash_token(&normalised_recovery_code(code)))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Some(codes))
}

/// A new recovery code: ten characters of an alphabet without look-alikes,
/// shown as two groups of five.
fn new_recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let chars: String = (0..10)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A recovery code as stored (hashed): upper case, letters and digits only.
fn normalised_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// How a second factor was proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A code of the authenticator app.
    Code,
    /// A recovery code, now spent; `left` remain.
    RecoveryCode { left: i64 },
}

/// Checks `code` — a code of the member's app (never one of a step already
/// used) or one of their unused recovery codes (spent by this check).
pub async fn verify(
    db: &Db,
    staff_user_id: StaffId,
    code: &str,
) -> Result<Option<Proof>, StoreError> {
    let at = db.now();
    let secret: Option<Option<String>> = sqlx::query_scalar(
        "SELECT totp_secret FROM staff_users WHERE id = $1 AND totp_enabled_at IS NOT NULL",
    )
    .bind(staff_user_id.get())
    .fetch_optional(db.pool())
    .await?;
    let Some(Some(secret)) = secret else {
        return Ok(None);
    };
    if let Some(step) = matching_step(&secret, code, at) {
        // Claimed in one statement: two posts of one code, on any nodes,
        // succeed once.
        let done = sqlx::query(
            "UPDATE staff_users SET totp_last_step = $2 \
             WHERE id = $1 AND COALESCE(totp_last_step, -1) < $2",
        )
        .bind(staff_user_id.get())
        .bind(step)
        .execute(&mut *db.write().await?)
        .await?;
        return Ok((done.rows_affected() == 1).then_some(Proof::Code));
    }
    let normalised = normalised_recovery_code(code);
    if normalised.len() != 10 {
        return Ok(None);
    }
    let spent = sqlx::query(
        "UPDATE staff_recovery_codes SET used_at = $3 \
         WHERE staff_user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(staff_user_id.get())
    .bind(hash_token(&normalised))
    .bind(at)
    .execute(&mut *db.write().await?)
    .await?;
    if spent.rows_affected() == 0 {
        return Ok(None);
    }
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_recovery_codes WHERE staff_user_id = $1 AND used_at IS NULL",
    )
    .bind(staff_user_id.get())
    .fetch_one(db.pool())
    .await?;
    Ok(Some(Proof::RecoveryCode { left }))
}

/// Removes the member's second factor and recovery codes and ends their
/// sessions (an admin's reset: the member enrols again). `false` when there
/// is no such account among those an admin of `viewer` manages.
pub async fn reset(
    db: &Db,
    viewer: relais::organisation::Membership,
    staff_user_id: StaffId,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE staff_users SET totp_secret = NULL, totp_enabled_at = NULL, \
         totp_last_step = NULL WHERE id = $1 AND ($2 OR organisation_id = $3)",
    )
    .bind(staff_user_id.get())
    .bind(viewer.kind.is_national())
    .bind(viewer.organisation.get())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_user_id = $1")
        .bind(staff_user_id.get())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE staff_user_id = $1")
        .bind(staff_user_id.get())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_only() {
        let secret = Secret::generate_secret().to_encoded().to_string();
        let at = 1_700_000_000;
        let code = code_at(&secret, at).unwrap();
        assert_eq!(matching_step(&secret, &code, at), Some(at / 30));
        assert_eq!(matching_step(&secret, &code, at + 30), Some(at / 30));
        assert_eq!(
            matching_step(&secret, &format!(" {} {} ", &code[..3], &code[3..]), at),
            Some(at / 30)
        );
        assert_eq!(matching_step(&secret, &code, at + 90), None);
        assert_eq!(matching_step(&secret, "12345", at), None);
        assert_eq!(matching_step(&secret, "abcdef", at), None);
    }

    #[test]
    fn recovery_codes_are_two_groups_of_five_and_read_loosely() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert_eq!(
            normalised_recovery_code(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
        assert_ne!(new_recovery_code(), new_recovery_code());
    }

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let svg = qr_svg("otpauth://totp/Relais:anna?secret=ABC&issuer=Relais");
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
