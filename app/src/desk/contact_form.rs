//! `/equipe/dossiers/<id>/contacts/<contact|nouveau>`: the tracer corrects
//! or adds a contact with the case on the phone — the case's own form, the
//! same validation and instant classification, saved against the version
//! of the case the tracer opened. What cannot be saved (a mistake, or the
//! case changed the list meanwhile) is kept as the tracer's draft and shown
//! again, with the fresh values beside it on a conflict.
use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::patient::contact_form_view::{ContactForm, ContactFormView};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// What the tracer's draft holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracerDraft {
    pub contact_id: Option<relais::ids::ContactId>,
    pub fields: relais::ContactFields,
}

/// The tracer's contact form for one case: (case id, contact id or
/// `nouveau`).
#[server(endpoint = "staff/contact-form")]
pub async fn load_tracer_contact_form(
    case: String,
    contact: String,
) -> Result<Desk<ContactForm>, AppError> {
    use super::auth::StaffContext;
    use crate::patient::contact_form_view::{fields_of, preview_data, FormTarget};
    use relais_store::desk::case_file::load_staff_draft;
    let ctx = StaffContext::require(relais::roles::StaffRole::Tracer).await?;
    let lang = ctx.lang;
    let Ok(case_id) = case.parse::<relais::ids::CaseId>() else {
        return Err(AppError::NotFound.answer());
    };
    let scoped = ctx.case(case_id).await?;
    let Some((case, case_ctx)) = super::case_context::case_context(&ctx, scoped).await? else {
        return Err(AppError::NotFound.answer());
    };
    let contact_id = contact.parse::<relais::ids::ContactId>().ok();
    let stored = match contact_id {
        Some(id) => match relais_store::contacts::find_contact(&ctx.db, case_id, id).await? {
            Some(stored) => Some(stored),
            None => return Err(AppError::NotFound.answer()),
        },
        None => None,
    };
    {
        use relais_store::audit::{record, AuditAction, AuditEntry};
        let mut entry = AuditEntry::new(ctx.member.id, AuditAction::ViewContactForm).case(case_id);
        if let Some(id) = contact_id {
            entry = entry.contact(id);
        }
        record(&ctx.db, &entry).await?;
    }
    let draft = load_staff_draft(&ctx.db, ctx.member.id, scoped)
        .await?
        .and_then(|d| {
            serde_json::from_str::<TracerDraft>(&d.fields)
                .ok()
                .map(|t| (t, d.conflict))
        })
        .filter(|(t, _)| t.contact_id == contact_id);
    let today = ctx.db.today_paris();
    let (fields, errors, notice) = match draft {
        Some((draft, conflict)) => {
            let errors = match relais::contact_form::parse_contact(
                &draft.fields,
                case_ctx.first_year(),
                today,
            ) {
                Ok(_) => Vec::new(),
                Err(errors) => errors
                    .into_iter()
                    .map(|e| (e.field.to_owned(), e.code.to_owned()))
                    .collect(),
            };
            let notice = conflict.then(|| conflict_notice(lang, stored.as_ref()));
            (draft.fields, errors, notice)
        }
        None => (
            stored
                .as_ref()
                .map(|s| fields_of(&s.input))
                .unwrap_or_default(),
            Vec::new(),
            None,
        ),
    };
    let mut fields = fields;
    if fields.lang.is_empty() {
        // Not said: the contact's texts follow the case's language.
        fields.lang = case.lang.code().to_owned();
    }
    let window = case_ctx.assessment().window;
    let preview = preview_data(&case_ctx, &fields);
    Ok(Desk {
        me: ctx.me(),
        data: ContactForm {
            contact_id,
            fields,
            errors,
            window_start: window.start,
            window_end: window.end,
            preview,
            asks: crate::patient::contact_form_view::AskedFacts::of(
                case_ctx.assessment().rule_set(),
            ),
            target: FormTarget {
                action: <SaveTracerContact as leptos::server_fn::ServerFn>::PATH.to_owned(),
                back: format!("/equipe/dossiers/{case_id}"),
                hidden: crate::patient::contacts::hidden_of_new(
                    contact_id,
                    vec![
                        ("case_id".to_owned(), case_id.to_string()),
                        // The version of the case this form was opened on; a
                        // conflict shows the fresh one, so saving again applies.
                        ("version".to_owned(), case.version.to_string()),
                        (
                            "contact".to_owned(),
                            contact_id.map_or("nouveau".to_owned(), |id| id.to_string()),
                        ),
                    ],
                ),
                case_buttons: None,
                notice,
            },
        },
    })
}

/// The conflict's message, with the values the case saved meanwhile.
#[cfg(feature = "ssr")]
fn conflict_notice(
    lang: relais::Lang,
    fresh: Option<&relais_store::contacts::StoredContact>,
) -> String {
    use crate::tr;
    match fresh {
        Some(c) => crate::i18n::fill(
            tr!(lang, desk.conflict_contact),
            &[
                format!("{} {}", c.input.first_name, c.input.last_name),
                relais::phone::display_phone(&c.input.phone.e164),
                relais::dates::long_date(c.input.exposure.last_contact, lang),
            ],
        ),
        None => tr!(lang, desk.conflict_list).to_owned(),
    }
}

/// Saves the tracer's contact; on a mistake or a conflict, keeps the draft
/// and goes back to the form.
#[server(endpoint = "staff/contact")]
pub async fn save_tracer_contact(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
    #[server(default)] contact: String,
    #[server(default)] form_key: String,
    #[server(flatten)] posted: crate::patient::contact_form_view::PostedContact,
) -> Result<(), AppError> {
    use super::actions::{case_url, CaseAction};
    use relais_store::declaration::{Editor, SaveOutcome};
    use relais_store::desk::case_file::save_staff_draft;
    let Some(action) = CaseAction::open(&case_id, Some(&version)).await? else {
        return Ok(());
    };
    let CaseAction {
        reply,
        ctx,
        case_id,
        case,
        version,
    } = action;
    let fields = posted.fields();
    let contact_id = contact.parse::<relais::ids::ContactId>().ok();
    let form_url = format!(
        "/equipe/dossiers/{case_id}/contacts/{}",
        contact_id.map_or("nouveau".to_owned(), |id| id.to_string())
    );
    let Some((_, case_ctx)) = super::case_context::case_context(&ctx, case).await? else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let draft = serde_json::to_string(&TracerDraft {
        contact_id,
        fields: fields.clone(),
    })
    .unwrap_or_default();
    let today = ctx.db.today_paris();
    let outcome = match relais::contact_form::parse_contact(&fields, case_ctx.first_year(), today) {
        Err(_) => None,
        Ok(input) => {
            let classification = case_ctx
                .assessment()
                .assess_contact(&input.exposure)
                .classification;
            Some(
                relais_store::contacts::save_contact(
                    &ctx.db,
                    case_id,
                    contact_id,
                    &form_key,
                    &input,
                    classification,
                    Editor::Staff {
                        staff_user_id: ctx.member.id,
                        version,
                    },
                )
                .await?,
            )
        }
    };
    match outcome {
        Some(SaveOutcome::Saved(id)) => {
            tracing::info!(case_id = %case_id, contact_id = id.get(), "tracer saved a contact");
            reply.redirect(&case_url(case_id, &format!("ok=saved#contact-{id}")));
        }
        Some(
            SaveOutcome::Closed
            | SaveOutcome::NotFound
            | SaveOutcome::TooMany
            | SaveOutcome::Frozen,
        ) => {
            reply.redirect(&case_url(case_id, "erreur=closed"));
        }
        None | Some(SaveOutcome::Conflict) => {
            let conflict = outcome == Some(SaveOutcome::Conflict);
            save_staff_draft(&ctx.db, ctx.member.id, case, &draft, conflict).await?;
            reply.redirect(&form_url);
        }
    }
    Ok(())
}

#[component]
pub fn TracerContactPage() -> impl IntoView {
    let params = use_params_map().get_untracked();
    let key = (
        params.get("id").unwrap_or_default(),
        params.get("contact").unwrap_or_default(),
    );
    desk_page(
        key,
        |(case, contact)| load_tracer_contact_form(case, contact),
        |lang, _me, form| view! { <ContactFormView lang form /> },
    )
}
