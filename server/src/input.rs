//! The one error type for a mistake in what a person gave a command
//! (arguments, files, standard input): [`InputError`], which `relais` exits
//! with code 2 on. The commands return it; [`crate::cli::run`] maps it.

/// An error in what the person gave the command (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);
