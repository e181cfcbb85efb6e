//! The case page's view: the file on the left of a desk, the actions as
//! plain forms (keyboard and tablet friendly, no JavaScript needed).

use super::actions::{
    CloseCase, ReclassifyContact, RecordCall, RemoveContact, ResendLink, UnlockLink, ValidateList,
};
use super::case_model::{flash, CaseView, DeskContactView, Novelty};
use super::queue::status_text;
use crate::i18n::fill;
use crate::islands::risk_preview::classification_tag;
use crate::rules_text::classification_text;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use relais::status::SmsStatus;
use relais::{Classification, Lang};

#[component]
pub fn CaseFileView(lang: Lang, case: CaseView) -> impl IntoView {
    let title = fill(
        tr!(lang, desk.case_title),
        std::slice::from_ref(&case.reference),
    );
    let flash = flash(lang);
    let id = case.id.to_string();
    let version = case.version.to_string();
    let at_risk = case
        .contacts
        .iter()
        .filter(|c| !c.removed && c.classification == Classification::AtRisk)
        .count();
    let changes = case.contacts.iter().filter(|c| c.novelty.is_some()).count();
    view! {
        <Title text=title.clone() />
        <p><a href="/equipe">{tr!(lang, desk.back_to_queue)}</a></p>
        <h1>{title}</h1>
        {flash.map(|(ok, text)| {
            let class = if ok { "panel panel-ok" } else { "panel panel-warning" };
            let role = if ok { "status" } else { "alert" };
            view! { <p class=class role=role id="flash" tabindex="-1">{text}</p> }
        })}
        {(changes > 0).then(|| view! {
            <p class="panel panel-warning" role="status">{fill(tr!(lang, desk.changes_since), &[changes.to_string()])}</p>
        })}
        <div class="desk-grid">
            <section aria-labelledby="identity" class="panel">
                <h2 id="identity">{tr!(lang, desk.identity)}</h2>
                <dl class="summary-list">
                    <div><dt>{tr!(lang, desk.name)}</dt><dd>{case.name.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.birth_date)}</dt><dd>{case.birth_date.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.phone)}</dt><dd>{case.phone.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.email)}</dt><dd>{case.email.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.language)}</dt><dd>{case.lang.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.departement)}</dt><dd>{case.departement.clone().unwrap_or_else(|| tr!(lang, desk.departement_none).to_owned())}</dd></div>
                    <div><dt>{tr!(lang, desk.col_status)}</dt><dd>{status_text(lang, case.status)}</dd></div>
                </dl>
                {case.locked.then(|| view! { <p class="warning">{tr!(lang, desk.link_locked_long)}</p> })}
                {case.onset_changed.clone().map(|at| view! { <p class="warning" id="onset-changed">{fill(tr!(lang, desk.onset_changed), &[at])}</p> })}
                {case.feels_worse.clone().map(|at| view! { <super::case_support::FeelsWorse lang case_id=case.id at /> })}
            </section>
            <section aria-labelledby="situation" class="panel">
                <h2 id="situation">{tr!(lang, desk.situation)}</h2>
                <dl class="summary-list">
                    <div><dt>{tr!(lang, desk.col_sample)}</dt><dd>{case.sample_date.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.onset)}</dt><dd>{case.onset.clone().unwrap_or_else(|| tr!(lang, dossier.no_symptoms).to_owned())}</dd></div>
                    <div><dt>{tr!(lang, desk.window)}</dt><dd>{case.window.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.isolation)}</dt><dd>{case.isolation.clone()}</dd></div>
                    <div><dt>{tr!(lang, desk.list_sent)}</dt><dd>{case.list_submitted.clone().unwrap_or_else(|| tr!(lang, desk.list_not_ready).to_owned())}</dd></div>
                    <div><dt>{tr!(lang, desk.validated_at)}</dt><dd>{case.validated.clone().unwrap_or_else(|| tr!(lang, desk.not_yet).to_owned())}</dd></div>
                </dl>
            </section>
        </div>

        <section aria-labelledby="contacts">
            <h2 id="contacts">{fill(tr!(lang, desk.contacts_title), &[case.contacts.iter().filter(|c| !c.removed).count().to_string(), at_risk.to_string()])}</h2>
            {case.contacts.is_empty().then(|| view! { <p>{tr!(lang, desk.no_contacts)}</p> })}
            <ul class="card-list">
                {case.contacts.iter().cloned().map(|c| view! { <ContactCard lang c case_id=case.id version=case.version closed=case.closed /> }).collect_view()}
            </ul>
            {(!case.closed).then(|| view! {
                <p><a class="button button-secondary" href=format!("/equipe/dossiers/{}/contacts/nouveau", case.id)>{tr!(lang, desk.add_contact)}</a></p>
            })}
        </section>

        {(!case.closed).then(|| view! {
            <section aria-labelledby="validate" class="panel">
                <h2 id="validate">{tr!(lang, desk.validate_title)}</h2>
                <p>{fill(tr!(lang, desk.validate_hint), &[at_risk.to_string()])}</p>
                <form method="post" action=ValidateList::PATH>
                    <input type="hidden" name="case_id" value=id.clone() />
                    <input type="hidden" name="version" value=version.clone() />
                    <button type="submit" class="button">{tr!(lang, desk.validate)}</button>
                </form>
            </section>
        })}

        <super::replies::RepliesSection lang case_id=case.id replies=case.replies.clone() />

        <super::case_support::SupportSection lang case_id=case.id closed=case.closed requests=case.support.clone() />
        <super::sms_cost::SmsCost lang rows=case.sms_cost.clone() />

        <section aria-labelledby="places">
            <h2 id="places">{tr!(lang, desk.places_title)}</h2>
            {case.places.is_empty().then(|| view! { <p>{tr!(lang, desk.no_places)}</p> })}
            <ul class="card-list">
                {case.places.iter().cloned().map(|p| view! {
                    <li class="card" class:card-changed=p.changed>
                        <h3 class="card-title">{p.kind}" — "{p.name}</h3>
                        <p>{p.date}</p>
                        <p class="hint">{p.details}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>

        <section aria-labelledby="calls" class="panel">
            <h2 id="calls">{tr!(lang, desk.calls_title)}</h2>
            {case.call_back.clone().map(|t| view! { <p>{fill(tr!(lang, desk.call_back_planned), &[t])}</p> })}
            {(!case.closed).then(|| view! {
                <form method="post" action=RecordCall::PATH class="form">
                    <input type="hidden" name="case_id" value=id.clone() />
                    <div class="form-group">
                        <label class="label" for="outcome">{tr!(lang, desk.outcome_label)}</label>
                        <select class="select" id="outcome" name="outcome">
                            {["reached", "no_answer", "wrong_number", "refused", "call_back"].into_iter().map(|o| view! {
                                <option value=o>{super::case_model::outcome_text(lang, o)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="form-group">
                        <label class="label" for="call-back">{tr!(lang, desk.call_back_label)}</label>
                        <p class="hint" id="call-back-hint">{tr!(lang, desk.call_back_hint)}</p>
                        <input class="input" id="call-back" name="call_back" type="datetime-local" aria-describedby="call-back-hint" />
                    </div>
                    <button type="submit" class="button">{tr!(lang, desk.record_call)}</button>
                </form>
            })}
            {(!case.calls.is_empty()).then(|| view! {
                <table class="table">
                    <caption>{tr!(lang, desk.calls_history)}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(lang, desk.col_when)}</th>
                        <th scope="col">{tr!(lang, desk.outcome_label)}</th>
                        <th scope="col">{tr!(lang, desk.col_by)}</th>
                    </tr></thead>
                    <tbody>
                        {case.calls.iter().cloned().map(|call| view! {
                            <tr>
                                <td>{call.at}</td>
                                <td>{call.outcome}{call.call_back.map(|t| format!(" → {t}"))}</td>
                                <td>{call.by}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>

        <section aria-labelledby="case-actions">
            <h2 id="case-actions">{tr!(lang, desk.case_actions)}</h2>
            <div class="button-row">
                {case.locked.then(|| view! {
                    <form method="post" action=UnlockLink::PATH class="inline-form">
                        <input type="hidden" name="case_id" value=id.clone() />
                        <button type="submit" class="button button-secondary">{tr!(lang, desk.unlock_link)}</button>
                    </form>
                })}
                {(!case.closed).then(|| view! {
                    <form method="post" action=ResendLink::PATH class="inline-form">
                        <input type="hidden" name="case_id" value=id.clone() />
                        <button type="submit" class="button button-secondary">{tr!(lang, desk.resend_link)}</button>
                    </form>
                    <form method="post" action=CloseCase::PATH class="inline-form">
                        <input type="hidden" name="case_id" value=id.clone() />
                        <input type="hidden" name="version" value=version.clone() />
                        <button type="submit" class="button button-warning">{tr!(lang, desk.close_case)}</button>
                    </form>
                })}
            </div>
            {case.admin.then(|| view! {
                <p><a href=format!("/equipe/admin/journal?dossier={}", case.reference)>{tr!(lang, desk.audit_of_case)}</a></p>
            })}
        </section>
    }
}

#[component]
fn ContactCard(
    lang: Lang,
    c: DeskContactView,
    case_id: relais::ids::CaseId,
    version: i64,
    closed: bool,
) -> impl IntoView {
    let novelty = c.novelty.map(|n| match n {
        Novelty::Added => tr!(lang, desk.novelty_added),
        Novelty::Changed => tr!(lang, desk.novelty_changed),
        Novelty::Removed => tr!(lang, desk.novelty_removed),
    });
    let sms = c.sms_status.map(|s| match s {
        SmsStatus::Sent => tr!(lang, desk.sms_sent),
        SmsStatus::Failed => tr!(lang, desk.sms_failed),
        SmsStatus::OptedOut => tr!(lang, desk.sms_opted_out),
        SmsStatus::Cancelled => tr!(lang, desk.sms_cancelled),
        SmsStatus::Pending | SmsStatus::Sending => tr!(lang, desk.sms_queued),
    });
    let anchor = format!("contact-{}", c.id);
    let reclass_id = format!("reclass-{}", c.id);
    let reason_id = format!("reason-{}", c.id);
    let overridden = c.overridden;
    let editable = !closed && !c.removed;
    view! {
        <li class="card" class:card-changed=c.novelty.is_some() class:card-removed=c.removed id=anchor>
            <h3 class="card-title">{c.name.clone()}</h3>
            {novelty.map(|n| view! { <p><span class="tag tag-new">{n}</span></p> })}
            <p>
                <span class=classification_tag(Some(c.classification))>{classification_text(lang, c.classification)}</span>
            </p>
            {c.tracer_reason.clone().map(|r| view! { <p class="hint">{tr!(lang, desk.reason)}" : "{r}</p> })}
            <ul class="reasons">{c.reasons.iter().cloned().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            {c.measures.clone().map(|m| view! { <p class="measures">{m}</p> })}
            <dl class="summary-list">
                <div><dt>{tr!(lang, desk.phone)}</dt><dd>{c.phone.clone()}</dd></div>
                <div><dt>{tr!(lang, contacts.relationship)}</dt><dd>{c.relationship.clone()}</dd></div>
                <div><dt>{tr!(lang, contacts.last_day)}</dt><dd>{c.last_contact.clone()}</dd></div>
                {c.vaccination.clone().map(|v| view! {
                    <div><dt>{tr!(lang, desk.vaccination)}</dt><dd class="vaccination">{v}</dd></div>
                })}
                <div><dt>{tr!(lang, desk.contact_lang)}</dt><dd class="contact-lang">{c.reads.clone()}</dd></div>
            </dl>
            {(!c.can_sms).then(|| view! { <p class="warning">{tr!(lang, contacts.no_sms)}</p> })}
            {c.minor.then(|| view! { <p class="hint">{tr!(lang, contacts.minor_note)}</p> })}
            {c.added_by_tracer.then(|| view! { <p class="hint">{tr!(lang, desk.added_by_tracer)}</p> })}
            {c.follow_up.then(|| view! { <p class="warning">{tr!(lang, desk.follow_up)}</p> })}
            {c.shared_with.iter().cloned().map(|(other, reference)| view! {
                <p class="warning">{tr!(lang, desk.shared_contact)}" "<a href=format!("/equipe/dossiers/{other}")>{reference}</a></p>
            }).collect_view()}
            {c.validated.then(|| view! { <p><span class="tag tag-ok">{tr!(lang, desk.validated)}</span>{sms.map(|s| view! { " "<span class="tag sms-status">{s}</span> })}</p> })}
            {editable.then(|| view! {
                <p><a href=format!("/equipe/dossiers/{case_id}/contacts/{}", c.id)>{tr!(lang, desk.edit_contact)}<span class="visually-hidden">" "{c.name.clone()}</span></a></p>
                <details>
                    <summary>{tr!(lang, desk.reclassify)}<span class="visually-hidden">" "{c.name.clone()}</span></summary>
                    <form method="post" action=ReclassifyContact::PATH class="form">
                        <input type="hidden" name="case_id" value=case_id.to_string() />
                        <input type="hidden" name="version" value=version.to_string() />
                        <input type="hidden" name="contact_id" value=c.id.to_string() />
                        <div class="form-group">
                            <label class="label" for=reclass_id.clone()>{tr!(lang, desk.classification)}</label>
                            <select class="select" id=reclass_id name="classification">
                                <option value="rules">{tr!(lang, desk.by_rules)}</option>
                                {Classification::ALL.iter().map(|k| view! {
                                    <option value=k.as_str() selected=overridden && *k == c.classification>{classification_text(lang, *k)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-group">
                            <label class="label" for=reason_id.clone()>{tr!(lang, desk.reason)}</label>
                            <input class="input" id=reason_id name="reason" type="text" maxlength="200" value=c.tracer_reason.clone().unwrap_or_default() />
                        </div>
                        <button type="submit" class="button button-secondary">{tr!(lang, desk.save_classification)}</button>
                    </form>
                </details>
                <form method="post" action=RemoveContact::PATH class="inline-form">
                    <input type="hidden" name="case_id" value=case_id.to_string() />
                    <input type="hidden" name="version" value=version.to_string() />
                    <input type="hidden" name="contact_id" value=c.id.to_string() />
                    <button type="submit" class="button button-warning">{tr!(lang, desk.remove_contact)}<span class="visually-hidden">" "{c.name.clone()}</span></button>
                </form>
            })}
        </li>
    }
}
