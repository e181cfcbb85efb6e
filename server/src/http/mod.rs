//! The HTTP side: the axum router, its layers and the few routes that are
//! not Leptos pages.

pub mod compress;
pub mod errors;
pub mod figures;
pub mod health;
pub mod lang;
pub mod metrics;
pub mod page_cache;
pub mod page_scripts;
pub mod posted;
pub mod route;
pub mod router;
pub mod scripts;
pub mod security;
pub mod state;

pub use router::build_router;
pub use state::AppState;
