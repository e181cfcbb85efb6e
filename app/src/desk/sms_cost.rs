//! What a case's texts cost: for each language and alphabet, the texts
//! sent and still to send, and their parts (the unit an operator pays).
//! A text in GSM-7 costs a part per 160 characters (153 when
//! concatenated), one in UCS-2 (Arabic, Chinese, a Turkish "ı"…) a part per
//! 70 (67): the tracer sees what a contact's language costs.

use crate::tr;
use leptos::prelude::*;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// One language and alphabet of a case's texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsCostRow {
    /// The language, named in itself.
    pub lang: String,
    /// "GSM-7" or "UCS-2".
    pub alphabet: String,
    pub sent: u32,
    pub sent_parts: u32,
    pub planned: u32,
    pub planned_parts: u32,
}

/// The cost of the texts of `case` and its contacts, as they are (or will
/// be) sent: each text written from the catalogue in its language, with a
/// link of the service's length.
#[cfg(feature = "ssr")]
pub async fn sms_cost_of(
    db: &relais_store::Db,
    case: relais_store::scope::ScopedCase,
    public_url: &str,
) -> Result<Vec<SmsCostRow>, relais_store::StoreError> {
    use relais::sms::encoding::{cost, Encoding};
    let texts = relais_store::outbox::texts_of_case(db, case).await?;
    // A link as the SMS worker writes it: the address, then a token.
    let link = format!(
        "{public_url}/c/{}",
        "x".repeat(relais::link_check::TOKEN_LEN)
    );
    let mut rows: Vec<(Lang, Encoding, SmsCostRow)> = Vec::new();
    for text in texts {
        let (encoding, parts) = cost(&crate::messages::sms_text(text.kind, text.lang, &link));
        let at = match rows
            .iter()
            .position(|(l, e, _)| *l == text.lang && *e == encoding)
        {
            Some(at) => at,
            None => {
                rows.push((
                    text.lang,
                    encoding,
                    SmsCostRow {
                        lang: text.lang.native_name().to_owned(),
                        alphabet: match encoding {
                            Encoding::Gsm7 => "GSM-7",
                            Encoding::Ucs2 => "UCS-2",
                        }
                        .to_owned(),
                        sent: 0,
                        sent_parts: 0,
                        planned: 0,
                        planned_parts: 0,
                    },
                ));
                rows.len() - 1
            }
        };
        let row = &mut rows[at].2;
        let parts = u32::try_from(parts).unwrap_or(u32::MAX);
        if text.sent {
            row.sent += 1;
            row.sent_parts = row.sent_parts.saturating_add(parts);
        } else {
            row.planned += 1;
            row.planned_parts = row.planned_parts.saturating_add(parts);
        }
    }
    Ok(rows.into_iter().map(|(_, _, row)| row).collect())
}

/// The table of a case's texts and parts; a sentence when there is none.
#[component]
pub fn SmsCost(lang: Lang, rows: Vec<SmsCostRow>) -> impl IntoView {
    let total = |f: fn(&SmsCostRow) -> u32| rows.iter().map(f).sum::<u32>();
    let (sent_parts, planned_parts) = (total(|r| r.sent_parts), total(|r| r.planned_parts));
    view! {
        <section aria-labelledby="sms-cost" class="panel">
            <h2 id="sms-cost">{tr!(lang, desk.sms_cost_title)}</h2>
            {if rows.is_empty() {
                view! { <p>{tr!(lang, desk.sms_cost_none)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="sms-cost-table">
                        <thead>
                            <tr>
                                <th scope="col">{tr!(lang, desk.sms_cost_lang)}</th>
                                <th scope="col">{tr!(lang, desk.sms_cost_alphabet)}</th>
                                <th scope="col">{tr!(lang, desk.sms_cost_sent)}</th>
                                <th scope="col">{tr!(lang, desk.sms_cost_sent_parts)}</th>
                                <th scope="col">{tr!(lang, desk.sms_cost_planned)}</th>
                                <th scope="col">{tr!(lang, desk.sms_cost_planned_parts)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .iter()
                                .map(|r| view! {
                                    <tr>
                                        <td>{r.lang.clone()}</td>
                                        <td>{r.alphabet.clone()}</td>
                                        <td>{r.sent}</td>
                                        <td>{r.sent_parts}</td>
                                        <td>{r.planned}</td>
                                        <td>{r.planned_parts}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p id="sms-cost-total">
                        {crate::i18n::fill(
                            tr!(lang, desk.sms_cost_total),
                            &[sent_parts.to_string(), planned_parts.to_string()],
                        )}
                    </p>
                }
                    .into_any()
            }}
        </section>
    }
}
