//! Staff passwords: argon2id with m = 19 MiB, t = 2, p = 1 (the OWASP
//! minimum), stored as a PHC string; at least 12 characters.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (hashing cost stays bounded).
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password must have at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("the password could not be hashed")]
    Hashing,
}

fn hasher() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: constant, valid parameters.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks the length rules of a new password.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// Hashes a new password after checking its length.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    check_new_password(password)?;
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hashing)
}

/// True when `password` matches the stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The password checks that may run at once on a node: each argon2id check
/// takes 19 MiB and a blocking thread, so hundreds of parallel sign-ins
/// must not all run (issue 21). Beyond, a check is refused at once.
#[derive(Debug, Clone)]
pub struct PasswordChecks(std::sync::Arc<tokio::sync::Semaphore>);

/// All the node's password checks are running: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once")]
pub struct ChecksBusy;

impl PasswordChecks {
    /// At most `slots` checks at once (at least one).
    pub fn new(slots: usize) -> PasswordChecks {
        PasswordChecks(std::sync::Arc::new(tokio::sync::Semaphore::new(
            slots.max(1),
        )))
    }

    /// Twice the cores (at most 256): the default of
    /// `RELAIS_PASSWORD_CHECKS`.
    pub fn default_slots() -> usize {
        (std::thread::available_parallelism().map_or(2, |n| n.get()) * 2).min(256)
    }

    /// [`verify_password`] on a blocking thread, if a slot is free now.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, ChecksBusy> {
        let permit = self.0.clone().try_acquire_owned().map_err(|_| ChecksBusy)?;
        let matches = tokio::task::spawn_blocking(move || {
            let matches = verify_password(&password, &stored);
            drop(permit);
            matches
        })
        .await
        .unwrap_or(false);
        Ok(matches)
    }
}

impl Default for PasswordChecks {
    fn default() -> Self {
        PasswordChecks::new(PasswordChecks::default_slots())
    }
}

/// A hash to verify against when the account does not exist, so that a
/// wrong name costs as much time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password-0000").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_and_the_agreed_cost() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", &hash));
        let checks = PasswordChecks::new(1);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            // One slot: taken, a second check is refused at once; freed, it runs.
            let held = checks.0.clone().try_acquire_owned().unwrap();
            assert_eq!(
                checks
                    .verify("correct horse battery".into(), hash.clone())
                    .await,
                Err(ChecksBusy)
            );
            drop(held);
            assert_eq!(
                checks
                    .verify("correct horse battery".into(), hash.clone())
                    .await,
                Ok(true)
            );
        });
        assert!(!verify_password("correct horse batterx", &hash));
        assert!(!verify_password("correct horse battery", "not a hash"));
    }

    #[test]
    fn enforces_length() {
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("éééééééééééé"), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(257)),
            Err(PasswordError::TooLong)
        );
    }
}
