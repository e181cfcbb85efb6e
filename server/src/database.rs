//! Opens the database a configuration names and applies its pending
//! migrations: the first step of `relais serve` and of every command that
//! reads or writes the database.

use crate::config::{redact_url, Config};
use relais_store::Db;

/// Connects to the database of `config` and applies pending migrations.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect_with(&config.database_url, config.db_connections)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot open the database {} (RELAIS_DATABASE_URL): {e}",
                redact_url(&config.database_url)
            )
        })?;
    db.migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    Ok(db)
}
