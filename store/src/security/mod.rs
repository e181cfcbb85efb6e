//! Secrets: link tokens and session ids (random, stored hashed) and staff
//! passwords (argon2id). Server only.
pub mod password;
pub mod token;
