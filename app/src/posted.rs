//! A plain form posted to a page's own address (the link checker, the
//! enrolment of a second factor): the server answers it with the page, the
//! posted fields handed over in the request's extensions ([`PostedForm`]),
//! never in the address.

/// The fields of a form posted to a page's address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostedForm(pub Vec<(String, String)>);

/// The posted field `name` of this request, if the page was posted.
#[cfg(feature = "ssr")]
pub fn posted_field(name: &str) -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<PostedForm>()
            .and_then(|form| form.0.iter().find(|(n, _)| n == name))
            .map(|(_, value)| value.clone())
    })
}
