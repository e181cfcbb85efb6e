//! `/dossier/contacts`: the people the case met while contagious. Each one
//! is classified by the rules engine as soon as it is saved (at risk or not,
//! and why); a person met outside the contagious window is kept and
//! explained; the same phone twice is flagged.
//!
//! The form (`/dossier/contacts/nouveau`, `/dossier/contacts/<id>`) is a
//! plain form post; its view, shared with the tracer's desk, is in
//! [`super::contact_form_view`]. What could not be saved is kept on the
//! server as the case's draft and shown again with its errors, so nothing
//! typed is lost.

#[cfg(feature = "ssr")]
use super::common::CaseContext;
#[cfg(feature = "ssr")]
use super::contact_form_view::{fields_of, preview_data, CaseButtons, FormTarget};
use super::contact_form_view::{relationship_text, ContactForm, ContactFormView, PostedContact};
use super::dossier::case_page;
use crate::error::AppError;
use crate::i18n::fill;
use crate::islands::risk_preview::classification_tag;
use crate::rules_text::classification_text;
use crate::tr;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use relais::contact_form::{ContactFields, Relationship};
use relais::dates::long_date;
use relais::{Classification, Lang};
use serde::{Deserialize, Serialize};
use time::Date;

/// One contact in the case's list, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSummary {
    pub id: relais::ids::ContactId,
    pub name: String,
    pub phone: String,
    pub can_receive_sms: bool,
    pub relationship: Relationship,
    pub last_contact: Date,
    pub classification: Classification,
    /// Why, in the page's language.
    pub reasons: Vec<String>,
    /// What the contact will be told to do (at risk only).
    pub measures: Option<String>,
    pub duplicate_phone: bool,
    pub minor: bool,
    pub changed_after_submit: bool,
    /// Checked by a tracer: the case can no longer change it.
    pub validated: bool,
}

/// The case's list of contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactList {
    pub contacts: Vec<ContactSummary>,
    pub window_start: Date,
    pub window_end: Date,
    pub submitted: bool,
    pub full: bool,
}

/// What the contact form keeps as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDraft {
    pub contact_id: Option<relais::ids::ContactId>,
    pub fields: ContactFields,
}

/// The contacts of the session's case, classified.
#[server(endpoint = "case/contacts")]
pub async fn load_contacts() -> Result<Option<ContactList>, AppError> {
    match CaseContext::load().await? {
        Some(ctx) => Ok(Some(contact_list(&ctx).await?)),
        None => Ok(None),
    }
}

/// The list of the case in `ctx`.
#[cfg(feature = "ssr")]
pub(crate) async fn contact_list(ctx: &CaseContext) -> Result<ContactList, AppError> {
    use relais_store::contacts;
    let stored = contacts::list_contacts(&ctx.db, ctx.case_id).await?;
    let submitted = ctx.submitted_at.is_some();
    let assessment = ctx.assessment();
    let duplicates =
        relais::contact_form::duplicate_phones(stored.iter().map(|c| c.input.phone.e164.as_str()));
    let full = stored.len() as i64 >= relais_store::declaration::MAX_CONTACTS;
    let contacts = stored
        .into_iter()
        .map(|c| {
            let result = assessment.assess_contact(&c.input.exposure);
            ContactSummary {
                id: c.id,
                name: format!("{} {}", c.input.first_name, c.input.last_name),
                duplicate_phone: duplicates.contains(&c.input.phone.e164),
                phone: relais::phone::display_phone(&c.input.phone.e164),
                can_receive_sms: c.input.phone.can_receive_sms,
                relationship: c.input.relationship,
                last_contact: c.input.exposure.last_contact,
                classification: result.classification,
                reasons: result
                    .reasons
                    .iter()
                    .filter(|r| !matches!(r, relais::Reason::RuleSet { .. }))
                    .map(|r| crate::rules_text::reason_text(ctx.lang, r, &ctx.rule_sets))
                    .collect(),
                measures: result
                    .quarantine
                    .as_ref()
                    .map(|q| crate::rules_text::measures_summary(ctx.lang, q)),
                minor: c.input.exposure.minor,
                changed_after_submit: c.changed_after_submit,
                validated: c.validated,
            }
        })
        .collect();
    Ok(ContactList {
        contacts,
        window_start: assessment.window.start,
        window_end: assessment.window.end,
        submitted,
        full,
    })
}

/// The form for a new contact (`contact` = `nouveau`) or one of the case's.
#[server(endpoint = "case/contact-form")]
pub async fn load_contact_form(contact: String) -> Result<Option<ContactForm>, AppError> {
    use relais_store::declaration::{load_draft, Item};
    let Some(ctx) = CaseContext::load().await? else {
        return Ok(None);
    };
    let contact_id = contact.parse::<relais::ids::ContactId>().ok();
    let window = ctx.assessment().window;
    let draft = load_draft(&ctx.db, ctx.case_id, Item::Contact)
        .await?
        .and_then(|json| serde_json::from_str::<ContactDraft>(&json).ok())
        .filter(|d| d.contact_id == contact_id);
    let (fields, errors) = match draft {
        Some(draft) => {
            let today = ctx.db.today_paris();
            let errors =
                match relais::contact_form::parse_contact(&draft.fields, ctx.first_year(), today) {
                    Ok(_) => Vec::new(),
                    Err(errors) => errors
                        .into_iter()
                        .map(|e| (e.field.to_owned(), e.code.to_owned()))
                        .collect(),
                };
            (draft.fields, errors)
        }
        None => match contact_id {
            Some(id) => {
                match relais_store::contacts::find_contact(&ctx.db, ctx.case_id, id).await? {
                    Some(stored) => (fields_of(&stored.input), Vec::new()),
                    None => return Ok(None),
                }
            }
            None => (ContactFields::default(), Vec::new()),
        },
    };
    let preview = preview_data(&ctx, &fields);
    Ok(Some(ContactForm {
        contact_id,
        fields,
        errors,
        window_start: window.start,
        window_end: window.end,
        preview,
        target: case_target(contact_id),
        asks: crate::patient::contact_form_view::AskedFacts::of(ctx.assessment().rule_set()),
    }))
}

/// The case's own form: posts to [`save_contact`], back to the list, with
/// the cancel and remove buttons.
#[cfg(feature = "ssr")]
fn case_target(contact_id: Option<relais::ids::ContactId>) -> FormTarget {
    FormTarget {
        action: <SaveContact as ServerFn>::PATH.to_owned(),
        back: "/dossier/contacts".to_owned(),
        hidden: hidden_of_new(
            contact_id,
            vec![(
                "contact".to_owned(),
                contact_id.map_or("nouveau".to_owned(), |id| id.to_string()),
            )],
        ),
        case_buttons: Some(CaseButtons {
            cancel: <CancelContact as ServerFn>::PATH.to_owned(),
            remove: <RemoveContact as ServerFn>::PATH.to_owned(),
        }),
        notice: None,
    }
}

/// The hidden fields of a contact form; a new contact's form also carries a
/// fresh key, so that the form posted twice (a double tap on a bad network)
/// adds the contact once.
#[cfg(feature = "ssr")]
pub(crate) fn hidden_of_new(
    contact_id: Option<relais::ids::ContactId>,
    mut hidden: Vec<(String, String)>,
) -> Vec<(String, String)> {
    if contact_id.is_none() {
        hidden.push((
            "form_key".to_owned(),
            relais_store::declaration::new_form_key(),
        ));
    }
    hidden
}

/// Saves a contact, then back to the list; or keeps what was typed as the
/// draft and back to the form, which shows what to fix.
#[server(endpoint = "case/contact")]
pub async fn save_contact(
    #[server(default)] contact: String,
    #[server(default)] form_key: String,
    #[server(flatten)] posted: PostedContact,
) -> Result<(), AppError> {
    use super::common::answer_save;
    use relais_store::contacts::save_contact;
    use relais_store::declaration::Item;
    let Some(ctx) = CaseContext::load().await? else {
        leptos_axum::redirect("/dossier");
        return Ok(());
    };
    let fields = posted.fields();
    let contact_id = contact.parse::<relais::ids::ContactId>().ok();
    let form_url = format!(
        "/dossier/contacts/{}",
        contact_id.map_or("nouveau".to_owned(), |id| id.to_string())
    );
    let draft = serde_json::to_string(&ContactDraft {
        contact_id,
        fields: fields.clone(),
    })
    .unwrap_or_default();
    let today = ctx.db.today_paris();
    let outcome = match relais::contact_form::parse_contact(&fields, ctx.first_year(), today) {
        Err(_) => None,
        Ok(input) => {
            let classification = ctx
                .assessment()
                .assess_contact(&input.exposure)
                .classification;
            Some(
                save_contact(
                    &ctx.db,
                    ctx.case_id,
                    contact_id,
                    &form_key,
                    &input,
                    classification,
                    relais_store::declaration::Editor::Case,
                )
                .await,
            )
        }
    };
    answer_save(
        &ctx,
        Item::Contact,
        "/dossier/contacts",
        &form_url,
        &draft,
        outcome,
    )
    .await;
    Ok(())
}

/// Removes one of the case's contacts.
#[server(endpoint = "case/contact/remove")]
pub async fn remove_contact(#[server(default)] contact: String) -> Result<(), AppError> {
    use relais_store::declaration::Item;
    super::common::answer_remove(Item::Contact, &contact, "/dossier/contacts").await
}

/// Leaves the form without saving: forgets its draft.
#[server(endpoint = "case/contact/cancel")]
pub async fn cancel_contact() -> Result<(), AppError> {
    use relais_store::declaration::Item;
    super::common::answer_cancel(Item::Contact, "/dossier/contacts").await
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    case_page(
        (),
        |_| load_contacts(),
        |lang, list| view! { <ContactListView lang list /> },
    )
}

/// Why the case's last change was refused (`?erreur=` of the list): the
/// file is closed, or a tracer checked the contact.
fn refused_change(lang: Lang) -> Option<&'static str> {
    let query = leptos_router::hooks::use_query_map().get_untracked();
    match query.get("erreur").as_deref() {
        Some("frozen") => Some(tr!(lang, contacts.err_frozen)),
        Some("closed") => Some(tr!(lang, form.err_closed)),
        _ => None,
    }
}

#[component]
fn ContactListView(lang: Lang, list: ContactList) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    let count = list.contacts.len();
    view! {
        <Title text=tr!(lang, contacts.title) />
        <p><a href="/dossier">{tr!(lang, contacts.back)}</a></p>
        <h1>{tr!(lang, contacts.title)}</h1>
        <p>{fill(tr!(lang, contacts.intro), &[d(list.window_start), d(list.window_end)])}</p>
        {list.submitted.then(|| view! { <p class="panel">{tr!(lang, contacts.after_submit)}</p> })}
        {refused_change(lang).map(|text| view! { <p class="warning" role="alert">{text}</p> })}
        {(count == 0).then(|| view! { <p>{tr!(lang, contacts.none_yet)}</p> })}
        <ul class="card-list">
            {list
                .contacts
                .into_iter()
                .map(|c| {
                    let anchor = format!("item-{}", c.id);
                    let href = format!("/dossier/contacts/{}", c.id);
                    view! {
                        <li class="card" id=anchor>
                            <h2 class="card-title">{c.name.clone()}</h2>
                            <p><span class=classification_tag(Some(c.classification))>{classification_text(lang, c.classification)}</span></p>
                            <ul class="reasons">
                                {c.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                            </ul>
                            {c.measures.map(|m| view! { <p class="measures">{m}</p> })}
                            <dl class="summary-list">
                                <div><dt>{tr!(lang, contacts.phone)}</dt><dd>{c.phone}</dd></div>
                                <div><dt>{tr!(lang, contacts.relationship)}</dt><dd>{relationship_text(lang, c.relationship)}</dd></div>
                                <div><dt>{tr!(lang, contacts.last_day)}</dt><dd>{d(c.last_contact)}</dd></div>
                            </dl>
                            {(!c.can_receive_sms).then(|| view! { <p class="warning">{tr!(lang, contacts.no_sms)}</p> })}
                            {c.duplicate_phone.then(|| view! { <p class="warning">{tr!(lang, contacts.duplicate_phone)}</p> })}
                            {c.minor.then(|| view! { <p class="hint">{tr!(lang, contacts.minor_note)}</p> })}
                            {(list.submitted && c.changed_after_submit).then(|| view! { <p class="hint">{tr!(lang, contacts.changed_note)}</p> })}
                            {if c.validated {
                                view! { <p class="hint">{tr!(lang, contacts.validated_note)}</p> }.into_any()
                            } else {
                                view! { <p><a href=href>{tr!(lang, contacts.change)}<span class="visually-hidden">" "{c.name}</span></a></p> }.into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {if list.full {
            view! { <p class="warning">{tr!(lang, contacts.full)}</p> }.into_any()
        } else {
            view! { <p><a class="button" href="/dossier/contacts/nouveau">{tr!(lang, contacts.add)}</a></p> }.into_any()
        }}
        <p><a href="/dossier/lieux">{tr!(lang, contacts.next_places)}</a></p>
    }
}

#[component]
pub fn ContactFormPage() -> impl IntoView {
    let contact = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    case_page(
        contact,
        load_contact_form,
        |lang, form| view! { <ContactFormView lang form /> },
    )
}
