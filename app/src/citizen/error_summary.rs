//! The GOV.UK error summary: at the top of a form, a list of what to fix,
//! each a link to its field; it takes the focus when the page opens.

use leptos::prelude::*;

/// One problem: the id of the field and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[component]
pub fn ErrorSummary(title: String, errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
                <h2 id="error-summary-title">{title}</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|e| view! { <li><a href=format!("#{}", e.field)>{e.message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}
