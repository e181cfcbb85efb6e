//! `/dossier/lieux`: places and gatherings of the days before J0 (backward
//! tracing: where the case may have caught the virus). The same pattern as
//! the contacts: a list, a form kept as a draft until it validates.
// A form post is one argument per field (the browser's form encoding).
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::common::CaseContext;
use super::dossier::case_page;
use crate::citizen::error_summary::ErrorSummary;
use crate::citizen::fields::{radios, Choices, DateFields, TextField};
use crate::error::AppError;
use crate::i18n::fill;
use crate::patient::form_text::{error_for, form_errors};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use relais::dates::long_date;
use relais::place_form::{PlaceFields, PlaceInput, PlaceKind, PlacePeriod};
use relais::Lang;
use serde::{Deserialize, Serialize};
use time::Date;

/// The case's places, and the days asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceList {
    /// (id, place, changed after sending)
    pub places: Vec<(relais::ids::PlaceId, PlaceInput, bool)>,
    pub period: PlacePeriod,
    pub submitted: bool,
    pub full: bool,
}

/// The place form: what to show, the problems to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceForm {
    pub place_id: Option<relais::ids::PlaceId>,
    pub fields: PlaceFields,
    /// (field id, error code)
    pub errors: Vec<(String, String)>,
    pub period: PlacePeriod,
    /// A new place's form key (see `relais_store::declaration::Adding`).
    pub form_key: Option<String>,
}

/// What the place form keeps as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceDraft {
    pub place_id: Option<relais::ids::PlaceId>,
    pub fields: PlaceFields,
}

#[cfg(feature = "ssr")]
fn period_of(ctx: &CaseContext) -> PlacePeriod {
    let assessment = ctx.assessment();
    PlacePeriod::before(
        assessment.j0,
        assessment.rule_set().window.places_days_before_j0,
    )
}

/// The places of the session's case.
#[server(endpoint = "case/places")]
pub async fn load_places() -> Result<Option<PlaceList>, AppError> {
    match CaseContext::load().await? {
        Some(ctx) => Ok(Some(place_list(&ctx).await?)),
        None => Ok(None),
    }
}

/// The list of the case in `ctx`.
#[cfg(feature = "ssr")]
pub(crate) async fn place_list(ctx: &CaseContext) -> Result<PlaceList, AppError> {
    use relais_store::places;
    let stored = places::list_places(&ctx.db, ctx.case_id).await?;
    let submitted = ctx.submitted_at.is_some();
    Ok(PlaceList {
        full: stored.len() as i64 >= relais_store::declaration::MAX_PLACES,
        places: stored
            .into_iter()
            .map(|p| (p.id, p.input, p.changed_after_submit))
            .collect(),
        period: period_of(ctx),
        submitted,
    })
}

/// The form for a new place (`place` = `nouveau`) or one of the case's.
#[server(endpoint = "case/place-form")]
pub async fn load_place_form(place: String) -> Result<Option<PlaceForm>, AppError> {
    use relais_store::declaration::{load_draft, Item};
    let Some(ctx) = CaseContext::load().await? else {
        return Ok(None);
    };
    let place_id = place.parse::<relais::ids::PlaceId>().ok();
    let period = period_of(&ctx);
    let draft = load_draft(&ctx.db, ctx.case_id, Item::Place)
        .await?
        .and_then(|json| serde_json::from_str::<PlaceDraft>(&json).ok())
        .filter(|d| d.place_id == place_id);
    let (fields, errors) = match draft {
        Some(draft) => {
            let today = ctx.db.today_paris();
            let errors = match relais::place_form::parse_place(&draft.fields, period, today) {
                Ok(_) => Vec::new(),
                Err(errors) => errors
                    .into_iter()
                    .map(|e| (e.field.to_owned(), e.code.to_owned()))
                    .collect(),
            };
            (draft.fields, errors)
        }
        None => match place_id {
            Some(id) => match relais_store::places::find_place(&ctx.db, ctx.case_id, id).await? {
                Some(stored) => (fields_of(&stored.input), Vec::new()),
                None => return Ok(None),
            },
            None => (PlaceFields::default(), Vec::new()),
        },
    };
    Ok(Some(PlaceForm {
        place_id,
        fields,
        errors,
        period,
        form_key: place_id
            .is_none()
            .then(relais_store::declaration::new_form_key),
    }))
}

#[cfg(feature = "ssr")]
fn fields_of(p: &PlaceInput) -> PlaceFields {
    PlaceFields {
        kind: p.kind.as_str().to_owned(),
        name: p.name.clone(),
        town: p.town.clone(),
        day: p.visited_on.day().to_string(),
        month: relais::dates::month_number(p.visited_on).to_string(),
        year: p.visited_on.year().to_string(),
        attendance: p.attendance.map(|n| n.to_string()).unwrap_or_default(),
        setting: if p.indoors { "indoors" } else { "outdoors" }.to_owned(),
        masks: match p.masks {
            Some(true) => "oui",
            Some(false) => "non",
            None => "ne_sait_pas",
        }
        .to_owned(),
    }
}

/// Saves a place, or keeps it as the draft and goes back to the form.
#[server(endpoint = "case/place")]
pub async fn save_place(
    #[server(default)] place: String,
    #[server(default)] form_key: String,
    #[server(default)] kind: String,
    #[server(default)] name: String,
    #[server(default)] town: String,
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
    #[server(default)] attendance: String,
    #[server(default)] setting: String,
    #[server(default)] masks: String,
) -> Result<(), AppError> {
    use super::common::answer_save;
    use relais_store::declaration::Item;
    let Some(ctx) = CaseContext::load().await? else {
        leptos_axum::redirect("/dossier");
        return Ok(());
    };
    let fields = PlaceFields {
        kind,
        name,
        town,
        day,
        month,
        year,
        attendance,
        setting,
        masks,
    };
    let place_id = place.parse::<relais::ids::PlaceId>().ok();
    let form_url = format!(
        "/dossier/lieux/{}",
        place_id.map_or("nouveau".to_owned(), |id| id.to_string())
    );
    let draft = serde_json::to_string(&PlaceDraft {
        place_id,
        fields: fields.clone(),
    })
    .unwrap_or_default();
    let today = ctx.db.today_paris();
    let outcome = match relais::place_form::parse_place(&fields, period_of(&ctx), today) {
        Err(_) => None,
        Ok(input) => Some(
            relais_store::places::save_place(&ctx.db, ctx.case_id, place_id, &form_key, &input)
                .await,
        ),
    };
    answer_save(
        &ctx,
        Item::Place,
        "/dossier/lieux",
        &form_url,
        &draft,
        outcome,
    )
    .await;
    Ok(())
}

/// Removes one of the case's places.
#[server(endpoint = "case/place/remove")]
pub async fn remove_place(#[server(default)] place: String) -> Result<(), AppError> {
    use relais_store::declaration::Item;
    super::common::answer_remove(Item::Place, &place, "/dossier/lieux").await
}

/// Leaves the form without saving: forgets its draft.
#[server(endpoint = "case/place/cancel")]
pub async fn cancel_place() -> Result<(), AppError> {
    use relais_store::declaration::Item;
    super::common::answer_cancel(Item::Place, "/dossier/lieux").await
}

/// The text of a kind of place.
pub fn place_kind_text(lang: Lang, kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::PrivateGathering => tr!(lang, places.kind_private_gathering),
        PlaceKind::Restaurant => tr!(lang, places.kind_restaurant),
        PlaceKind::Workplace => tr!(lang, places.kind_workplace),
        PlaceKind::School => tr!(lang, places.kind_school),
        PlaceKind::Sport => tr!(lang, places.kind_sport),
        PlaceKind::Worship => tr!(lang, places.kind_worship),
        PlaceKind::Shop => tr!(lang, places.kind_shop),
        PlaceKind::Transport => tr!(lang, places.kind_transport),
        PlaceKind::Health => tr!(lang, places.kind_health),
        PlaceKind::Event => tr!(lang, places.kind_event),
        PlaceKind::Other => tr!(lang, places.kind_other),
    }
}

/// "Indoors, about 30 people, no masks" in the page's language.
pub fn place_details(lang: Lang, p: &PlaceInput) -> String {
    let mut parts = vec![if p.indoors {
        tr!(lang, places.indoors)
    } else {
        tr!(lang, places.outdoors)
    }
    .to_owned()];
    if let Some(n) = p.attendance {
        parts.push(fill(tr!(lang, places.about_people), &[n.to_string()]));
    }
    parts.push(
        match p.masks {
            Some(true) => tr!(lang, places.masks_yes),
            Some(false) => tr!(lang, places.masks_no),
            None => tr!(lang, places.masks_unknown),
        }
        .to_owned(),
    );
    parts.join(" · ")
}

#[component]
pub fn PlacesPage() -> impl IntoView {
    case_page(
        (),
        |_| load_places(),
        |lang, list| view! { <PlaceListView lang list /> },
    )
}

#[component]
fn PlaceListView(lang: Lang, list: PlaceList) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    let none = list.places.is_empty();
    view! {
        <Title text=tr!(lang, places.title) />
        <p><a href="/dossier">{tr!(lang, contacts.back)}</a></p>
        <h1>{tr!(lang, places.title)}</h1>
        <p>{fill(tr!(lang, places.intro), &[d(list.period.first), d(list.period.last)])}</p>
        {list.submitted.then(|| view! { <p class="panel">{tr!(lang, contacts.after_submit)}</p> })}
        {none.then(|| view! { <p>{tr!(lang, places.none_yet)}</p> })}
        <ul class="card-list">
            {list
                .places
                .into_iter()
                .map(|(id, p, changed)| {
                    let href = format!("/dossier/lieux/{id}");
                    view! {
                        <li class="card" id=format!("item-{id}")>
                            <h2 class="card-title">{p.name.clone()}</h2>
                            <p>{place_kind_text(lang, p.kind)}" — "{p.town.clone()}" — "{d(p.visited_on)}</p>
                            <p class="hint">{place_details(lang, &p)}</p>
                            {(list.submitted && changed).then(|| view! { <p class="hint">{tr!(lang, contacts.changed_note)}</p> })}
                            <p><a href=href>{tr!(lang, contacts.change)}<span class="visually-hidden">" "{p.name}</span></a></p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {if list.full {
            view! { <p class="warning">{tr!(lang, places.full)}</p> }.into_any()
        } else {
            view! { <p><a class="button" href="/dossier/lieux/nouveau">{tr!(lang, places.add)}</a></p> }.into_any()
        }}
        <p><a href="/dossier/envoi">{tr!(lang, places.next_check)}</a></p>
    }
}

#[component]
pub fn PlaceFormPage() -> impl IntoView {
    let place = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    case_page(
        place,
        load_place_form,
        |lang, form| view! { <PlaceFormView lang form /> },
    )
}

#[component]
fn PlaceFormView(lang: Lang, form: PlaceForm) -> impl IntoView {
    let errors = form_errors(lang, &form.errors, "place-kind");
    let error_for = |ids: &[&str]| error_for(&errors, ids);
    let f = form.fields;
    let title = if form.place_id.is_some() {
        tr!(lang, places.change_title)
    } else {
        tr!(lang, places.add_title)
    };
    let d = move |date: Date| long_date(date, lang);
    let kinds: Vec<(&str, &str)> = PlaceKind::ALL
        .iter()
        .map(|k| (k.as_str(), place_kind_text(lang, *k)))
        .collect();
    let kinds = radios("kind", "place-kind", &kinds, &f.kind);
    let settings = radios(
        "setting",
        "setting-indoors",
        &[
            ("indoors", tr!(lang, places.indoors)),
            ("outdoors", tr!(lang, places.outdoors)),
        ],
        &f.setting,
    );
    let masks = radios(
        "masks",
        "masks-yes",
        &[
            ("oui", tr!(lang, places.masks_yes)),
            ("non", tr!(lang, places.masks_no)),
            ("ne_sait_pas", tr!(lang, places.masks_unknown)),
        ],
        &f.masks,
    );
    let place_value = form
        .place_id
        .map_or("nouveau".to_owned(), |id| id.to_string());
    view! {
        <Title text=title />
        <p><a href="/dossier/lieux">{tr!(lang, places.back_to_list)}</a></p>
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=errors.clone() />
        <h1>{title}</h1>
        <form method="post" action={<SavePlace as ServerFn>::PATH} class="form" novalidate>
            <input type="hidden" name="place" value=place_value.clone() />
            {form.form_key.map(|key| view! { <input type="hidden" name="form_key" value=key /> })}
            <Choices legend=tr!(lang, places.kind_legend).into() choices=kinds error=error_for(&["place-kind"]) />
            <TextField id="place-name" name="name" label=tr!(lang, places.name).into() hint=tr!(lang, places.name_hint).into() value=f.name error=error_for(&["place-name"]) />
            <TextField id="place-town" name="town" label=tr!(lang, places.town).into() value=f.town error=error_for(&["place-town"]) autocomplete="address-level2" />
            <DateFields
                prefix="visit"
                legend=tr!(lang, places.date_legend).into()
                hint=fill(tr!(lang, places.date_hint), &[d(form.period.first), d(form.period.last)])
                day=f.day
                month=f.month
                year=f.year
                error=error_for(&["visit-day", "visit-month", "visit-year"])
                day_label=tr!(lang, arrival.day)
                month_label=tr!(lang, arrival.month)
                year_label=tr!(lang, arrival.year)
            />
            <TextField id="attendance" name="attendance" label=tr!(lang, places.attendance).into() hint=tr!(lang, places.attendance_hint).into() value=f.attendance error=error_for(&["attendance"]) inputmode="numeric" maxlength=6 />
            <Choices legend=tr!(lang, places.setting_legend).into() choices=settings error=error_for(&["setting-indoors"]) />
            <Choices legend=tr!(lang, places.masks_legend).into() choices=masks error=error_for(&["masks-yes"]) />
            <button type="submit" class="button">{tr!(lang, places.save)}</button>
        </form>
        <form method="post" action={<CancelPlace as ServerFn>::PATH} class="inline-form">
            <button type="submit" class="button-secondary">{tr!(lang, contacts.cancel)}</button>
        </form>
        {form.place_id.map(|_| view! {
            <form method="post" action={<RemovePlace as ServerFn>::PATH} class="inline-form">
                <input type="hidden" name="place" value=place_value />
                <button type="submit" class="button-warning">{tr!(lang, places.remove)}</button>
            </form>
        })}
    }
}
