//! The dashboard's "Support during isolation": the requests for help of
//! the period by need and by state, the median time from a request to its
//! being taken by the support cell, and the share of cases answering the
//! "How are you?" texts.

use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use relais::figures::{hours_text, percent_text};
use relais::support::{SupportNeed, SupportState};
use relais::Lang;
use serde::{Deserialize, Serialize};

/// The support figures as the dashboard shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportFiguresView {
    pub requests: u64,
    pub by_need: Vec<(SupportNeed, u64)>,
    pub by_state: Vec<(SupportState, u64)>,
    /// Whole hours, rounded up (a request taken within the hour shows 1 h).
    pub median_to_taken_hours: Option<u32>,
    pub cases_asked: u64,
    pub cases_answering: u64,
}

impl SupportFiguresView {
    #[cfg(feature = "ssr")]
    pub fn of(f: relais_store::support::SupportFigures) -> SupportFiguresView {
        SupportFiguresView {
            requests: f.requests,
            by_need: f.by_need,
            by_state: f.by_state,
            median_to_taken_hours: f
                .median_to_taken
                .map(|s| u32::try_from((s.max(0) + 3599) / 3600).unwrap_or(u32::MAX)),
            cases_asked: f.cases_asked,
            cases_answering: f.cases_answering,
        }
    }

    /// The share of the cases asked "How are you?" who answered.
    pub fn share_answering(&self) -> Option<f64> {
        (self.cases_asked > 0).then(|| self.cases_answering as f64 / self.cases_asked as f64)
    }
}

#[component]
pub fn SupportFiguresTable(lang: Lang, figures: SupportFiguresView) -> impl IntoView {
    let mut rows: Vec<(String, String)> = vec![(
        tr!(lang, desk.fig_support_requests).to_owned(),
        figures.requests.to_string(),
    )];
    rows.extend(figures.by_need.iter().map(|(need, n)| {
        (
            fill(
                tr!(lang, desk.fig_support_need),
                &[super::support::need_text(lang, *need).to_owned()],
            ),
            n.to_string(),
        )
    }));
    rows.extend(figures.by_state.iter().map(|(state, n)| {
        (
            fill(
                tr!(lang, desk.fig_support_state),
                &[super::support::state_text(lang, *state).to_owned()],
            ),
            n.to_string(),
        )
    }));
    rows.push((
        tr!(lang, desk.fig_support_to_taken).to_owned(),
        hours_text(figures.median_to_taken_hours, lang),
    ));
    rows.push((
        tr!(lang, desk.fig_support_answering).to_owned(),
        format!(
            "{} ({} / {})",
            percent_text(figures.share_answering(), lang),
            figures.cases_answering,
            figures.cases_asked
        ),
    ));
    view! {
        <table class="table figures-summary" id="support-figures">
            <caption>{tr!(lang, desk.fig_support_title)}</caption>
            <tbody>
                {rows.into_iter().map(|(label, value)| view! {
                    <tr><th scope="row">{label}</th><td>{value}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_answering_has_no_value_without_a_case_asked() {
        let mut f = SupportFiguresView {
            requests: 0,
            by_need: Vec::new(),
            by_state: Vec::new(),
            median_to_taken_hours: None,
            cases_asked: 0,
            cases_answering: 0,
        };
        assert_eq!(f.share_answering(), None);
        f.cases_asked = 4;
        f.cases_answering = 1;
        assert_eq!(f.share_answering(), Some(0.25));
    }
}
