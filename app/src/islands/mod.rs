//! The islands: the only parts of a page that run in the browser. Each one
//! works as plain HTML first and adds comfort when JavaScript is there.
pub mod link_checker;
pub mod risk_preview;
