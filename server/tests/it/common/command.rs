//! The `relais` command on a test server's database, as an operator runs
//! it.

use std::process::{Command, Output};

/// Runs `relais <args>` on the database at `database_url`.
pub fn relais(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(args)
        .env("RELAIS_DATABASE_URL", database_url)
        .env("RELAIS_LOG", "warn")
        .output()
        .expect("relais runs")
}

/// A command's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
