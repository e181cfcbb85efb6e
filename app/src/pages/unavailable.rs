//! The page shown when the service could not load what was asked (the
//! database did not answer): the same for citizens and staff.

use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::Lang;

/// The page when the service could not load what the person asked for.
#[component]
pub fn ServiceUnavailable(lang: Lang) -> impl IntoView {
    view! {
        <Title text=tr!(lang, error.title) />
        <h1>{tr!(lang, error.title)}</h1>
        <p>{tr!(lang, error.body)}</p>
    }
}
