//! The case page's "SMS replies": free-text SMS the case or its contacts
//! sent (see [`relais_store::replies`]), unread ones only, each with a
//! button that marks it read (written in the audit trail).

use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// An unread reply as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyView {
    pub id: relais::ids::ReplyId,
    /// The contact's name, or `None` for the case.
    pub who: Option<String>,
    pub phone: String,
    pub at: String,
    pub text: String,
}

/// The case's unread replies, ready to show.
#[cfg(feature = "ssr")]
pub async fn replies_of(
    db: &relais_store::Db,
    case: relais_store::scope::ScopedCase,
    lang: Lang,
) -> Result<Vec<ReplyView>, relais_store::StoreError> {
    Ok(relais_store::replies::unread_for_case(db, case)
        .await?
        .into_iter()
        .map(|r| ReplyView {
            id: r.id,
            who: r.contact_name,
            phone: relais::phone::display_phone(&r.from_phone),
            at: relais_store::paris::instant_text(r.received_at, lang),
            text: r.body,
        })
        .collect())
}

/// Marks one of the case's replies as read.
#[server(endpoint = "staff/reply-read")]
pub async fn mark_reply_read(
    #[server(default)] case_id: String,
    #[server(default)] reply_id: String,
) -> Result<(), AppError> {
    use super::actions::{case_url, CaseAction};
    let Some(a) = CaseAction::open(&case_id, None).await? else {
        return Ok(());
    };
    let Ok(reply_id) = reply_id.parse::<i64>().map(relais::ids::ReplyId) else {
        a.reply.redirect(&case_url(a.case_id, "erreur=closed"));
        return Ok(());
    };
    let done =
        relais_store::replies::mark_read(&a.ctx.db, a.ctx.member.id, a.case, reply_id).await?;
    a.reply.redirect(&case_url(
        a.case_id,
        if done {
            "ok=reply_read#replies"
        } else {
            "erreur=closed"
        },
    ));
    Ok(())
}

#[component]
pub fn RepliesSection(
    lang: Lang,
    case_id: relais::ids::CaseId,
    replies: Vec<ReplyView>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="replies" class="panel">
            <h2 id="replies">{tr!(lang, desk.replies_title)}</h2>
            {replies.is_empty().then(|| view! { <p>{tr!(lang, desk.replies_none)}</p> })}
            <ul class="card-list">
                {replies.into_iter().map(|r| {
                    let who = r.who.unwrap_or_else(|| tr!(lang, desk.reply_of_case).to_owned());
                    view! {
                        <li class="card sms-reply">
                            <p class="hint">{fill(tr!(lang, desk.reply_from), &[who, r.phone, r.at])}</p>
                            <blockquote>{r.text}</blockquote>
                            <form method="post" action=MarkReplyRead::PATH class="inline-form">
                                <input type="hidden" name="case_id" value=case_id.to_string() />
                                <input type="hidden" name="reply_id" value=r.id.to_string() />
                                <button type="submit" class="button button-secondary">{tr!(lang, desk.reply_mark_read)}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
