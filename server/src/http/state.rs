//! What every request handler can reach.

use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use relais_store::Db;
use std::sync::Arc;

/// Shared by every request: a clone is one counter's increment. Axum and
/// Leptos clone the state many times per request (each layer, route and
/// extractor): a clone of every field took about 100 atomic increments
/// and decrements a request (callgrind).
#[derive(Clone)]
pub struct AppState(Arc<State>);

/// The state's fields, reached through [`AppState`] (`state.db`).
pub struct State {
    pub db: Db,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub rule_sets: Arc<relais::RuleSets>,
    /// The départements and regions the intake checks against: the
    /// shipped lists until `relais serve` reads the database's
    /// ([`crate::territories::TerritoryCache::refresh`]).
    pub territories: crate::territories::TerritoryCache,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl std::ops::Deref for AppState {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0
    }
}

impl AppState {
    /// Leptos options built from our configuration (not from Cargo.toml, so
    /// that the binary runs anywhere).
    pub fn new(db: Db, config: Config, rule_sets: relais::RuleSets) -> AppState {
        let hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
            .is_some_and(|path| path.is_file());
        let leptos_options = LeptosOptions::builder()
            .output_name("relais")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.addr)
            .hash_files(hash_files)
            .build();
        let rule_sets = Arc::new(rule_sets.with_on_newer(config.rules_on_change));
        AppState(Arc::new(State {
            db,
            config: Arc::new(config),
            leptos_options,
            rule_sets,
            territories: crate::territories::TerritoryCache::default(),
        }))
    }
}
