//! The building blocks of the citizen forms, in the GOV.UK pattern: a label
//! or legend, a hint, the error message above the field, the field keeping
//! what was typed. Plain HTML: they work without JavaScript.

use leptos::prelude::*;

pub(crate) fn group_class(error: &Option<String>) -> &'static str {
    if error.is_some() {
        "form-group form-group-error"
    } else {
        "form-group"
    }
}

/// A one-line text input.
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: String,
    value: String,
    error: Option<String>,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(default = 100)] maxlength: u32,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    let input_class = error.as_ref().map(|_| "input-error");
    let class = group_class(&error);
    view! {
        <div class=class>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="error-message">{e}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                class=input_class
                aria-describedby=described
                spellcheck="false"
            />
        </div>
    }
}

/// A date in three fields (day, month, year) named `day`, `month`, `year`
/// (or `{name_prefix}_day`... for a second date in the same form), with the
/// ids `{prefix}-day`, `{prefix}-month`, `{prefix}-year`. The legend is a
/// large one, the question of the page, unless `plain_legend` (a date among
/// other questions of a form in a section).
#[component]
pub fn DateFields(
    prefix: &'static str,
    #[prop(optional)] name_prefix: Option<&'static str>,
    legend: String,
    #[prop(optional)] plain_legend: bool,
    hint: String,
    day: String,
    month: String,
    year: String,
    error: Option<String>,
    day_label: &'static str,
    month_label: &'static str,
    year_label: &'static str,
) -> impl IntoView {
    let hint_id = format!("{prefix}-hint");
    let described = hint_id.clone();
    let ids = [
        format!("{prefix}-day"),
        format!("{prefix}-month"),
        format!("{prefix}-year"),
    ];
    let class = group_class(&error);
    // No `class` at all on a plain legend (`class=None` would write an
    // empty one).
    let legend = if plain_legend {
        view! { <legend>{legend}</legend> }.into_any()
    } else {
        view! { <legend class="legend-large">{legend}</legend> }.into_any()
    };
    let names = match name_prefix {
        Some(p) => [
            format!("{p}_day"),
            format!("{p}_month"),
            format!("{p}_year"),
        ],
        None => ["day".to_owned(), "month".to_owned(), "year".to_owned()],
    };
    view! {
        <div class=class>
            <fieldset class="fieldset" role="group" aria-describedby=described>
                {legend}
                <p class="hint" id=hint_id>{hint}</p>
                {error.map(|e| view! { <p class="error-message">{e}</p> })}
                <div class="date-input">
                    <div class="date-item">
                        <label for=ids[0].clone()>{day_label}</label>
                        <input id=ids[0].clone() name=names[0].clone() type="text" inputmode="numeric" size="2" maxlength="2" value=day />
                    </div>
                    <div class="date-item">
                        <label for=ids[1].clone()>{month_label}</label>
                        <input id=ids[1].clone() name=names[1].clone() type="text" inputmode="numeric" size="2" maxlength="2" value=month />
                    </div>
                    <div class="date-item date-item-year">
                        <label for=ids[2].clone()>{year_label}</label>
                        <input id=ids[2].clone() name=names[2].clone() type="text" inputmode="numeric" size="4" maxlength="4" value=year />
                    </div>
                </div>
            </fieldset>
        </div>
    }
}

/// One radio button or checkbox.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub name: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Radio choices named `name`, the first with the id `first_id` (the target
/// of the error summary's link).
pub fn radios(name: &str, first_id: &str, options: &[(&str, &str)], current: &str) -> Vec<Choice> {
    options
        .iter()
        .enumerate()
        .map(|(i, (value, label))| Choice {
            id: if i == 0 {
                first_id.to_owned()
            } else {
                format!("{name}-{value}")
            },
            name: name.to_owned(),
            value: (*value).to_owned(),
            label: (*label).to_owned(),
            checked: current == *value,
        })
        .collect()
}

/// A group of radio buttons (`multiple` false) or checkboxes.
#[component]
pub fn Choices(
    legend: String,
    #[prop(optional)] hint: Option<String>,
    choices: Vec<Choice>,
    error: Option<String>,
    #[prop(default = false)] multiple: bool,
) -> impl IntoView {
    let kind = if multiple { "checkbox" } else { "radio" };
    let hint_id = choices.first().map(|c| format!("{}-hint", c.id));
    let described = hint.as_ref().and(hint_id.clone());
    let class = group_class(&error);
    view! {
        <div class=class>
            <fieldset class="fieldset" aria-describedby=described>
                <legend class="legend-large">{legend}</legend>
                {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                {error.map(|e| view! { <p class="error-message">{e}</p> })}
                <div class="radios">
                    {choices
                        .into_iter()
                        .map(|c| {
                            view! {
                                <div class="radio">
                                    <input id=c.id.clone() type=kind name=c.name value=c.value checked=c.checked />
                                    <label for=c.id>{c.label}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}
