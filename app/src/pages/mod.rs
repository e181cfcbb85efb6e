//! One module a page.
pub mod home;
pub mod link_check;
pub mod not_found;
pub mod unavailable;
