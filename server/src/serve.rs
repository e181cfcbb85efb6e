//! `relais serve`: migrate, then serve HTTP until SIGTERM or Ctrl-C, letting
//! requests in flight finish (within a grace period).

use crate::config::Config;
use crate::database::open_database;
use crate::http::{build_router, AppState};
use tokio::net::TcpListener;

pub async fn serve(config: Config) -> anyhow::Result<()> {
    // A rule-set file with a mistake stops the start, before anything else.
    let rule_sets = crate::doctrine::load_rule_sets(config.doctrine_dir.as_deref())?;
    let db = open_database(&config).await?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {} (RELAIS_ADDR): {e}", config.addr))?;
    let public_url = config.public_url.clone();
    if let crate::config::SmsProviderConfig::Log { redact: true, .. } = config.sms.provider {
        tracing::warn!(
            "RELAIS_SMS_PROVIDER=log behind an https public URL: no text is delivered, and the \
             log file holds them masked; set RELAIS_SMS_PROVIDER=http (or RELAIS_DEMO=1 for a demo)"
        );
    }
    let sms_worker = crate::sms::SmsWorker::new(
        db.clone(),
        crate::sms::provider::Provider::from_config(&config.sms.provider),
        &config.public_url,
        config.sms.max_attempts,
    )
    .with_lease(config.sms.lease_seconds)
    .spawn();
    let limits = crate::listener::Limits::from_config(&config);
    let state = AppState::new(db.clone(), config, rule_sets);
    state
        .territories
        .refresh(&db)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the territories: {e}"))?;
    let jobs = crate::jobs::spawn(
        db.clone(),
        state.rule_sets.clone(),
        state.territories.clone(),
        state.config.retention_days,
        std::time::Duration::from_secs(state.config.figures_refresh_seconds),
    );
    let backend = db.backend().name();
    let app = build_router(state);
    tracing::info!(addr = %listener.local_addr()?, %public_url, backend, "Relais is listening");
    crate::listener::serve(listener, app, limits, shutdown_signal()).await?;
    sms_worker.abort();
    jobs.abort();
    tracing::info!("shutting down: requests finished, closing the database");
    db.close().await;
    Ok(())
}

/// Resolves on SIGTERM (the orchestrator) or Ctrl-C (a person).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
