//! `/contact`: the answer first ("You are an at-risk contact. Stay at home
//! until …"), then the day-by-day plan with today marked, what to do if
//! symptoms appear, the contact's rights with how to use them, and what the
//! contact can report. A negligible-risk contact gets the general advice and
//! is told so.

use super::file::{load_contact_file, ContactFile, PlannedTestText};
use crate::i18n::fill;
use crate::patient::dossier::{citizen_page, RightsSection};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::contact_guidance::{Guidance, TestResult, TimelineDay};
use relais::dates::long_date;
use relais::Lang;
use time::Date;

/// A contact page: the contact's file, or the contact's session-expired page.
pub fn contact_page<V: IntoView + 'static>(render: fn(Lang, ContactFile) -> V) -> impl IntoView {
    citizen_page(
        (),
        |_| load_contact_file(),
        render,
        |lang| view! { <ContactSessionExpired lang /> }.into_any(),
    )
}

/// The page for a request without a live contact session.
#[component]
pub(crate) fn ContactSessionExpired(lang: Lang) -> impl IntoView {
    view! {
        <Title text=tr!(lang, dossier.expired_title) />
        <h1>{tr!(lang, dossier.expired_title)}</h1>
        <p>{tr!(lang, contact.expired_body)}</p>
    }
}

#[component]
pub fn ContactPage() -> impl IntoView {
    contact_page(|lang, file| view! { <ContactFileView lang file /> })
}

/// The answer in one panel: what applies today, in plain words.
fn answer(lang: Lang, file: &ContactFile) -> (String, Vec<String>) {
    let d = move |date: Date| long_date(date, lang);
    match &file.guidance {
        Guidance::Quarantine {
            last_day,
            next_test,
            next_test_overdue,
            awaiting_test,
            ..
        } => {
            let mut lines = Vec::new();
            match last_day {
                Some(day) if !awaiting_test => {
                    lines.push(fill(tr!(lang, contact.stay_home_until), &[d(*day)]))
                }
                Some(_) => lines.push(tr!(lang, contact.awaiting_test).to_owned()),
                None => lines.push(tr!(lang, contact.no_quarantine_tests_only).to_owned()),
            }
            match (next_test, next_test_overdue) {
                (Some(_), true) => lines.push(tr!(lang, contact.test_now).to_owned()),
                (Some(day), false) => lines.push(fill(tr!(lang, contact.test_on), &[d(*day)])),
                (None, _) => {}
            }
            (tr!(lang, contact.at_risk_title).to_owned(), lines)
        }
        Guidance::Symptomatic { since, .. } => (
            tr!(lang, contact.symptomatic_title).to_owned(),
            vec![
                fill(tr!(lang, contact.symptomatic_since), &[d(*since)]),
                file.if_symptoms.clone(),
            ],
        ),
        Guidance::TestedPositive { sampled_on, .. } => (
            tr!(lang, contact.positive_title).to_owned(),
            vec![
                fill(tr!(lang, contact.positive_body), &[d(*sampled_on)]),
                tr!(lang, contact.positive_next).to_owned(),
            ],
        ),
        Guidance::QuarantineOver { ended_on, .. } => (
            tr!(lang, contact.over_title).to_owned(),
            vec![fill(tr!(lang, contact.over_body), &[d(*ended_on)])],
        ),
        Guidance::GeneralAdvice { .. } => (
            tr!(lang, contact.negligible_title).to_owned(),
            vec![
                tr!(lang, contact.negligible_body).to_owned(),
                tr!(lang, contact.general_advice).to_owned(),
            ],
        ),
    }
}

#[component]
fn ContactFileView(lang: Lang, file: ContactFile) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    let (title, lines) = answer(lang, &file);
    let at_risk = !matches!(file.guidance, Guidance::GeneralAdvice { .. });
    let in_quarantine = matches!(
        file.guidance,
        Guidance::Quarantine {
            last_day: Some(_),
            ..
        }
    );
    // At risk, but the rules spare them the quarantine: tests only.
    let spared_quarantine = matches!(file.guidance, Guidance::Quarantine { last_day: None, .. });
    let panel_class = if at_risk {
        "panel panel-alert"
    } else {
        "panel panel-ok"
    };
    let symptoms_known = file.symptoms_since.is_some();
    let positive = matches!(file.guidance, Guidance::TestedPositive { .. });
    let notice = vaccination_notice(lang);
    view! {
        <Title text=title.clone() />
        {notice.map(|text| view! { <p class="panel panel-ok" role="status">{text}</p> })}
        {file.minor.then(|| view! {
            <p class="panel">{fill(tr!(lang, contact.minor_note), std::slice::from_ref(&file.first_name))}</p>
        })}
        <h1>{title}</h1>
        <section class=panel_class aria-label=tr!(lang, contact.answer_label)>
            {lines.into_iter().map(|l| view! { <p class="lead">{l}</p> }).collect_view()}
        </section>
        <p>{fill(tr!(lang, contact.last_contact), &[d(file.last_contact)])}" "{tr!(lang, contact.never_who)}</p>
        {file.household_counts_from.map(|day| view! {
            <p>{fill(tr!(lang, contact.household_note), &[d(day)])}</p>
        })}
        {(!file.planned_tests.is_empty() && !positive).then(|| view! {
            <section aria-labelledby="tests-asked">
                <h2 id="tests-asked">{tr!(lang, contact.tests_asked_title)}</h2>
                {planned_tests_list(lang, &file.planned_tests)}
            </section>
        })}
        {(!file.advice.is_empty() && !positive).then(|| view! {
            <ul class="advice">
                {file.advice.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}
            </ul>
        })}
        {(!file.timeline.is_empty()).then(|| view! { <Timeline lang days=file.timeline.clone() /> })}
        {(file.sworn_statement && !positive).then(|| sworn_statement(lang, &file))}
        {(at_risk && !positive && !symptoms_known).then(|| view! {
            <section aria-labelledby="if-symptoms">
                <h2 id="if-symptoms">{tr!(lang, contact.if_symptoms_title)}</h2>
                <p>{file.if_symptoms.clone()}</p>
            </section>
        })}
        <section aria-labelledby="why">
            <h2 id="why">{tr!(lang, contact.why_title)}</h2>
            <ul class="reasons">
                {file.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
            </ul>
        </section>
        <RightsSection lang rights=file.rights.clone() />
        {at_risk.then(|| view! { <p><a href="/contact/aide">{tr!(lang, support.link_contact)}</a></p> })}
        <h2>{tr!(lang, contact.report_title)}</h2>
        <ul class="task-list">
            {(!symptoms_known && !positive).then(|| view! {
                <li><a href="/contact/symptomes">{tr!(lang, contact.report_symptoms)}</a></li>
            })}
            {(!positive).then(|| view! { <li><a href="/contact/test">{tr!(lang, contact.report_test)}</a></li> })}
            {(file.asks_vaccination && !positive).then(|| view! {
                <li><a href="/contact/vaccination">{tr!(lang, contact.vaccination_link)}</a></li>
            })}
            {in_quarantine.then(|| view! { <li><a href="/contact/attestation">{tr!(lang, contact.attestation_link)}</a></li> })}
            {spared_quarantine.then(|| view! {
                <li><a href="/contact/attestation">{fill(tr!(lang, contact.attestation_link_not_needed), &[d(file.rules_since)])}</a></li>
            })}
            <li><a href="/contact/coordonnees">{tr!(lang, contact.details_link)}</a></li>
        </ul>
        {(!file.tests.is_empty()).then(|| view! {
            <h2>{tr!(lang, contact.tests_title)}</h2>
            <ul>
                {file.tests.iter().map(|t| view! {
                    <li>{d(t.sampled_on)}" : "{test_result_text(lang, t.result)}</li>
                }).collect_view()}
            </ul>
        })}
        <p class="hint">
            {fill(tr!(lang, contact.rules_since), &[d(file.rules_since)])}" "
            {file.newer_rules_since.map(|since| fill(tr!(lang, contact.newer_rules), &[d(since)]) + " ")}
            {tr!(lang, dossier.rule_set)}" "{file.rule_set_title.clone()}
        </p>
    }
}

/// What the contact's vaccination statement did, after its redirect
/// (`?vaccination=`, see `reports::state_vaccination`).
fn vaccination_notice(lang: Lang) -> Option<&'static str> {
    use super::file::{
        VACCINATION_CHANGED, VACCINATION_NO_QUARANTINE, VACCINATION_QUARANTINE,
        VACCINATION_UNCHANGED,
    };
    let value = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("vaccination")?;
    match value.as_str() {
        v if v == VACCINATION_NO_QUARANTINE => Some(tr!(lang, contact.notice_no_quarantine)),
        v if v == VACCINATION_QUARANTINE => Some(tr!(lang, contact.notice_quarantine)),
        v if v == VACCINATION_CHANGED => Some(tr!(lang, contact.notice_changed)),
        v if v == VACCINATION_UNCHANGED => Some(tr!(lang, contact.notice_unchanged)),
        _ => None,
    }
}

/// The sworn statement a child's parents sign that the self-tests were
/// done (rules of January 2022), printable, with the dates filled in.
fn sworn_statement(lang: Lang, file: &ContactFile) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    let self_tests: Vec<String> = file
        .planned_tests
        .iter()
        .filter(|t| t.self_test)
        .map(|t| {
            t.date
                .map_or_else(|| tr!(lang, contact.test_on_day_told).to_owned(), d)
        })
        .collect();
    let child = format!("{} {}", file.first_name, file.last_name);
    view! {
        <section class="panel sworn-statement" aria-labelledby="sworn">
            <h2 id="sworn">{tr!(lang, contact.sworn_title)}</h2>
            <p class="hint no-print">{tr!(lang, contact.sworn_hint)}</p>
            <p>{fill(tr!(lang, contact.sworn_body), &[child])}</p>
            <ul>
                {self_tests.into_iter().map(|day| view! {
                    <li>{fill(tr!(lang, contact.sworn_line), &[day])}</li>
                }).collect_view()}
            </ul>
            <p>{tr!(lang, contact.sworn_signature)}</p>
        </section>
    }
}

/// The tests the rules ask, each with its day (or "on the day you are
/// told") and its kind.
pub(crate) fn planned_tests_list(lang: Lang, tests: &[PlannedTestText]) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    view! {
        <ul class="tests-asked">
            {tests.iter().map(|t| {
                let when = t.date.map_or_else(|| tr!(lang, contact.test_on_day_told).to_owned(), d);
                view! { <li><strong>{when}</strong>" — "{t.kind.clone()}</li> }
            }).collect_view()}
        </ul>
    }
}

/// A test result in words.
pub fn test_result_text(lang: Lang, result: TestResult) -> &'static str {
    match result {
        TestResult::Negative => tr!(lang, contact.result_negative),
        TestResult::Positive => tr!(lang, contact.result_positive),
        TestResult::Pending => tr!(lang, contact.result_pending),
    }
}

/// The plan, day by day; today is marked for assistive technologies too.
#[component]
fn Timeline(lang: Lang, days: Vec<TimelineDay>) -> impl IntoView {
    view! {
        <section aria-labelledby="plan">
            <h2 id="plan">{tr!(lang, contact.plan_title)}</h2>
            <ol class="timeline">
                {days
                    .into_iter()
                    .map(|day| {
                        let mut notes: Vec<&'static str> = Vec::new();
                        if day.is_today {
                            notes.push(tr!(lang, contact.day_today));
                        }
                        if day.in_quarantine {
                            notes.push(tr!(lang, contact.day_home));
                        }
                        if day.test_day {
                            notes.push(if day.test_done {
                                tr!(lang, contact.day_test_done)
                            } else if day.overdue {
                                tr!(lang, contact.day_test_overdue)
                            } else {
                                tr!(lang, contact.day_test)
                            });
                        }
                        if day.last_day {
                            notes.push(tr!(lang, contact.day_last));
                        }
                        if day.symptoms_began {
                            notes.push(tr!(lang, contact.day_symptoms));
                        }
                        let class = match (day.is_today, day.test_day, day.in_quarantine) {
                            (true, _, _) => "day day-today",
                            (false, true, _) => "day day-test",
                            (false, false, true) => "day day-home",
                            _ => "day",
                        };
                        let current = day.is_today.then_some("date");
                        view! {
                            <li class=class aria-current=current>
                                <span class="day-date">{long_date(day.date, lang)}</span>
                                <span class="day-notes">{notes.join(" · ")}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
