//! The contact form that both the case (`/dossier/contacts/…`) and the
//! tracer (`/equipe/dossiers/<id>/contacts/…`) fill in: what it shows
//! ([`ContactForm`], with the page's [`FormTarget`]), its view, the instant
//! classification's data, and a posted form read back into fields. Each
//! page loads and saves it through its own server functions.

#[cfg(feature = "ssr")]
use super::common::CaseContext;
use crate::citizen::error_summary::ErrorSummary;
use crate::citizen::fields::{radios, Choice, Choices, DateFields, TextField};
use crate::i18n::fill;
use crate::islands::risk_preview::{
    exposure_input, protection_input, RiskPreview, RiskPreviewData,
};
use crate::patient::form_text::{error_for, form_errors};
#[cfg(feature = "ssr")]
use crate::rules_text::classification_text;
use crate::rules_text::{exposure_text, protection_text};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::contact_form::{ContactFields, Relationship};
use relais::dates::long_date;
#[cfg(feature = "ssr")]
use relais::Classification;
use relais::{ExposureKind, Lang, Protection};
use serde::{Deserialize, Serialize};
use time::Date;

/// The contact form: what to show in it, and the problems to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    /// The contact being changed; `None` for a new one.
    pub contact_id: Option<relais::ids::ContactId>,
    pub fields: ContactFields,
    /// (field id, error code)
    pub errors: Vec<(String, String)>,
    pub window_start: Date,
    pub window_end: Date,
    /// The instant classification's rules and texts.
    pub preview: RiskPreviewData,
    /// Where the form posts and leads back to: the case's own list, or the
    /// tracer's case page.
    pub target: FormTarget,
    /// The facts the rules in force use, so asked (the age band's "under
    /// 12", the contact's vaccination); nothing else is asked.
    #[serde(default)]
    pub asks: AskedFacts,
}

/// Which optional facts a contact form asks, from the rule set in force.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedFacts {
    pub age_band: bool,
    pub vaccination: bool,
}

impl AskedFacts {
    /// What `rule_set` uses.
    pub fn of(rule_set: &relais::RuleSet) -> AskedFacts {
        use relais::doctrine::Fact;
        AskedFacts {
            age_band: rule_set.uses(Fact::ContactAgeBand),
            vaccination: rule_set.uses(Fact::ContactVaccination),
        }
    }
}

/// Where a contact form posts, what it carries besides the fields, and
/// where "back" leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormTarget {
    pub action: String,
    pub back: String,
    pub hidden: Vec<(String, String)>,
    /// The case's own form has a cancel and a remove button; the tracer's
    /// removes from the case page (`None`).
    pub case_buttons: Option<CaseButtons>,
    /// Shown above the form (the tracer's conflict with the fresh values).
    pub notice: Option<String>,
}

/// Where the case's cancel and remove buttons post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseButtons {
    pub cancel: String,
    pub remove: String,
}

/// The island's rules (the case's rule set without its rights), the case's
/// window and every text it may show, translated here.
#[cfg(feature = "ssr")]
pub(crate) fn preview_data(ctx: &CaseContext, fields: &ContactFields) -> RiskPreviewData {
    use crate::islands::risk_preview::{day_number, reason_key};
    use crate::rules_text::reason_text;
    use relais::Reason;
    let assessment = ctx.assessment();
    let rules = &assessment.rule_set().contact;
    let window = assessment.window;
    let mut reasons = vec![
        Reason::Household,
        Reason::ProtectionIgnoredAtHome,
        Reason::NoAtRiskExposure,
        Reason::OutsideWindow { window },
    ];
    for &kind in ExposureKind::ALL {
        reasons.push(Reason::Exposure { kind });
        for &protection in Protection::ALL {
            reasons.push(Reason::NeutralisedBy { kind, protection });
        }
    }
    let today = ctx.db.today_paris();
    let (flat_window, window_bases) = RiskPreviewData::flat_window(&window);
    let mut data = RiskPreviewData {
        at_risk_exposures: rules
            .at_risk_exposures
            .iter()
            .map(|k| k.to_string())
            .collect(),
        neutralising_protections: rules
            .neutralising_protections
            .iter()
            .map(|p| p.to_string())
            .collect(),
        window: flat_window,
        window_bases,
        today: day_number(today),
        first_year: ctx.first_year(),
        title: tr!(ctx.lang, contacts.preview_title).to_owned(),
        classes: Classification::ALL
            .iter()
            .map(|c| (c.to_string(), classification_text(ctx.lang, *c).to_owned()))
            .collect(),
        reasons: reasons
            .into_iter()
            .map(|r| {
                let text = reason_text(ctx.lang, &r, &ctx.rule_sets);
                (reason_key(&r), text)
            })
            .collect(),
        initial: None,
    };
    data.initial = relais::contact_form::exposure_from_fields(fields, ctx.first_year(), today)
        .ok()
        .and_then(|contact| data.classify(&contact));
    data
}

/// A stored contact back into the form's fields.
#[cfg(feature = "ssr")]
pub(crate) fn fields_of(input: &relais::contact_form::ContactInput) -> ContactFields {
    let e = &input.exposure;
    ContactFields {
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        phone: relais::phone::display_phone(&input.phone.e164),
        email: input.email.clone().unwrap_or_default(),
        relationship: input.relationship.as_str().to_owned(),
        day: e.last_contact.day().to_string(),
        month: relais::dates::month_number(e.last_contact).to_string(),
        year: e.last_contact.year().to_string(),
        exposures: e.exposures.iter().map(|k| k.as_str().to_owned()).collect(),
        protection: e.protection.iter().map(|p| p.as_str().to_owned()).collect(),
        minor: if e.minor { "oui" } else { "non" }.to_owned(),
        guardian_phone: input
            .guardian_phone
            .as_ref()
            .map(|p| relais::phone::display_phone(&p.e164))
            .unwrap_or_default(),
        under_12: if e.age_band == relais::AgeBand::Under12 {
            "oui".to_owned()
        } else {
            String::new()
        },
        vaccination: match e.vaccination {
            relais::VaccinationStatus::Unknown => String::new(),
            other => other.as_str().to_owned(),
        },
        dose_day: e.last_dose.map(|d| d.day().to_string()).unwrap_or_default(),
        dose_month: e
            .last_dose
            .map(|d| relais::dates::month_number(d).to_string())
            .unwrap_or_default(),
        dose_year: e
            .last_dose
            .map(|d| d.year().to_string())
            .unwrap_or_default(),
        lang: input.lang.map(|l| l.code().to_owned()).unwrap_or_default(),
    }
}

/// A contact form as the browser posts it (the case's and the tracer's
/// post the same names); a box not ticked is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostedContact {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub relationship: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub exposure_face_to_face: Option<String>,
    pub exposure_care_or_hygiene: Option<String>,
    pub exposure_closed_space_15min: Option<String>,
    pub exposure_cough_sneeze: Option<String>,
    pub protection_case_mask: Option<String>,
    pub protection_contact_mask: Option<String>,
    pub protection_physical_screen: Option<String>,
    pub minor: String,
    pub guardian_phone: String,
    pub under_12: Option<String>,
    pub vaccination: String,
    pub dose_day: String,
    pub dose_month: String,
    pub dose_year: String,
    /// The language the contact reads (`contact-lang`).
    pub contact_lang: String,
}

impl PostedContact {
    /// The fields to validate, each ticked box by its machine name.
    pub fn fields(self) -> ContactFields {
        let ticked = |boxes: &[(&Option<String>, &str)]| {
            boxes
                .iter()
                .filter(|(v, _)| v.is_some())
                .map(|(_, name)| (*name).to_owned())
                .collect::<Vec<_>>()
        };
        ContactFields {
            exposures: ticked(&[
                (&self.exposure_face_to_face, "face_to_face"),
                (&self.exposure_care_or_hygiene, "care_or_hygiene"),
                (&self.exposure_closed_space_15min, "closed_space_15min"),
                (&self.exposure_cough_sneeze, "cough_sneeze"),
            ]),
            protection: ticked(&[
                (&self.protection_case_mask, "case_mask"),
                (&self.protection_contact_mask, "contact_mask"),
                (&self.protection_physical_screen, "physical_screen"),
            ]),
            first_name: self.first_name,
            last_name: self.last_name,
            phone: self.phone,
            email: self.email,
            relationship: self.relationship,
            day: self.day,
            month: self.month,
            year: self.year,
            minor: self.minor,
            guardian_phone: self.guardian_phone,
            under_12: self.under_12.unwrap_or_default(),
            vaccination: self.vaccination,
            dose_day: self.dose_day,
            dose_month: self.dose_month,
            dose_year: self.dose_year,
            lang: self.contact_lang,
        }
    }
}

/// The text of a relationship.
pub fn relationship_text(lang: Lang, r: Relationship) -> &'static str {
    match r {
        Relationship::Household => tr!(lang, contacts.rel_household),
        Relationship::Family => tr!(lang, contacts.rel_family),
        Relationship::Work => tr!(lang, contacts.rel_work),
        Relationship::School => tr!(lang, contacts.rel_school),
        Relationship::Leisure => tr!(lang, contacts.rel_leisure),
        Relationship::Care => tr!(lang, contacts.rel_care),
        Relationship::Other => tr!(lang, contacts.rel_other),
    }
}

/// The contact form, for the case or for a tracer (see [`FormTarget`]).
#[component]
pub fn ContactFormView(lang: Lang, form: ContactForm) -> impl IntoView {
    let errors = form_errors(lang, &form.errors, "first-name");
    // Each field's message, computed here: the island's children must own
    // what they show.
    let e = |ids: &[&str]| error_for(&errors, ids);
    let (e_first, e_last, e_phone, e_email) = (
        e(&["first-name"]),
        e(&["last-name"]),
        e(&["phone"]),
        e(&["email"]),
    );
    let (e_relationship, e_date, e_exposures, e_protection) = (
        e(&["relationship"]),
        e(&["last-day", "last-month", "last-year"]),
        e(&["exposures"]),
        e(&["protection"]),
    );
    let (e_minor, e_guardian) = (e(&["minor"]), e(&["guardian-phone"]));
    // The last dose is not asked here: the case rarely knows it, and the
    // contact states it on their own page (a form post may still give it).
    let (e_under_12, e_vaccination) = (
        e(&["under-12"]),
        e(&["vaccination", "dose-day", "dose-month", "dose-year"]),
    );
    let asks = form.asks;
    let f = form.fields;
    let title = if form.contact_id.is_some() {
        tr!(lang, contacts.change_title)
    } else {
        tr!(lang, contacts.add_title)
    };
    let d = move |date: Date| long_date(date, lang);
    let relationships: Vec<(&str, &str)> = Relationship::ALL
        .iter()
        .map(|r| (r.as_str(), relationship_text(lang, *r)))
        .collect();
    let relationships = radios(
        "relationship",
        "relationship",
        &relationships,
        &f.relationship,
    );
    let exposures = ExposureKind::ALL
        .iter()
        .map(|k| Choice {
            id: exposure_input(*k),
            name: format!("exposure_{}", k.as_str()),
            value: "on".into(),
            label: exposure_text(lang, *k).into(),
            checked: f.exposures.iter().any(|e| e == k.as_str()),
        })
        .collect::<Vec<_>>();
    let protections = Protection::ALL
        .iter()
        .map(|p| Choice {
            id: protection_input(*p),
            name: format!("protection_{}", p.as_str()),
            value: "on".into(),
            label: protection_text(lang, *p).into(),
            checked: f.protection.iter().any(|e| e == p.as_str()),
        })
        .collect::<Vec<_>>();
    let minor = radios(
        "minor",
        "minor",
        &[
            ("oui", tr!(lang, situation.yes)),
            ("non", tr!(lang, situation.no)),
        ],
        &f.minor,
    );
    let under_12 = vec![Choice {
        id: "under-12".into(),
        name: "under_12".into(),
        value: "oui".into(),
        label: tr!(lang, contacts.under_12).into(),
        checked: f.under_12 == "oui",
    }];
    let vaccination = radios(
        "vaccination",
        "vaccination",
        &[
            ("", tr!(lang, contacts.vaccination_unknown)),
            ("not_vaccinated", tr!(lang, contacts.vaccination_no)),
            ("fully_vaccinated", tr!(lang, contacts.vaccination_full)),
        ],
        &f.vaccination,
    );
    // Not said yet: the language of the page, most often the case's own.
    let reader = match f.lang.as_str() {
        "" => lang.code().to_owned(),
        said => said.to_owned(),
    };
    let e_lang = e(&[relais::contact_form::field::LANG]);
    let contact_value = form
        .contact_id
        .map_or("nouveau".to_owned(), |id| id.to_string());
    let target = form.target;
    let (cancel_action, remove_action) = match target.case_buttons {
        Some(buttons) => (
            Some(buttons.cancel),
            form.contact_id.map(|_| buttons.remove),
        ),
        None => (None, None),
    };
    view! {
        <Title text=title />
        <p><a href=target.back>{tr!(lang, contacts.back_to_list)}</a></p>
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=errors.clone() />
        <h1>{title}</h1>
        {target.notice.map(|notice| view! { <div class="panel panel-warning" role="alert">{notice}</div> })}
        <form method="post" action=target.action class="form" novalidate>
            {target.hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <TextField id="first-name" name="first_name" label=tr!(lang, contacts.first_name).into() value=f.first_name error=e_first />
            <TextField id="last-name" name="last_name" label=tr!(lang, contacts.last_name).into() value=f.last_name error=e_last />
            <TextField id="phone" name="phone" kind="tel" label=tr!(lang, contacts.phone).into() hint=tr!(lang, contacts.phone_hint).into() value=f.phone error=e_phone maxlength=30 />
            <TextField id="email" name="email" kind="email" label=tr!(lang, contacts.email).into() value=f.email error=e_email maxlength=254 />
            <LanguageSelect lang selected=reader error=e_lang />
            <RiskPreview data=form.preview>
            <Choices legend=tr!(lang, contacts.relationship_legend).into() choices=relationships error=e_relationship />
            <DateFields
                prefix="last"
                legend=tr!(lang, contacts.last_day_legend).into()
                hint=fill(tr!(lang, contacts.last_day_hint), &[d(form.window_start), d(form.window_end)])
                day=f.day
                month=f.month
                year=f.year
                error=e_date
                day_label=tr!(lang, arrival.day)
                month_label=tr!(lang, arrival.month)
                year_label=tr!(lang, arrival.year)
            />
            <Choices multiple=true legend=tr!(lang, contacts.exposures_legend).into() hint=tr!(lang, contacts.exposures_hint).into() choices=exposures error=e_exposures />
            <Choices multiple=true legend=tr!(lang, contacts.protection_legend).into() hint=tr!(lang, contacts.protection_hint).into() choices=protections error=e_protection />
            </RiskPreview>
            <Choices legend=tr!(lang, contacts.minor_legend).into() choices=minor error=e_minor />
            {asks.age_band.then(|| view! {
                <Choices multiple=true legend=tr!(lang, contacts.under_12_legend).into() choices=under_12 error=e_under_12 />
            })}
            <TextField id="guardian-phone" name="guardian_phone" kind="tel" label=tr!(lang, contacts.guardian_phone).into() hint=tr!(lang, contacts.guardian_phone_hint).into() value=f.guardian_phone error=e_guardian maxlength=30 />
            {asks.vaccination.then(|| view! {
                <Choices legend=tr!(lang, contacts.vaccination_legend).into() hint=tr!(lang, contacts.vaccination_hint).into() choices=vaccination error=e_vaccination />

            })}
            <button type="submit" class="button">{tr!(lang, contacts.save)}</button>
        </form>
        {cancel_action.map(|action| view! {
            <form method="post" action=action class="inline-form">
                <button type="submit" class="button-secondary">{tr!(lang, contacts.cancel)}</button>
            </form>
        })}
        {remove_action.map(|action| view! {
            <form method="post" action=action class="inline-form">
                <input type="hidden" name="contact" value=contact_value />
                <button type="submit" class="button-warning">{tr!(lang, contacts.remove)}</button>
            </form>
        })}
    }
}

/// The language the contact reads: each named in itself, the texts and
/// the page they get go in it.
#[component]
fn LanguageSelect(lang: Lang, selected: String, error: Option<String>) -> impl IntoView {
    let id = relais::contact_form::field::LANG;
    let class = crate::citizen::fields::group_class(&error);
    view! {
        <div class=class>
            <label for=id>{tr!(lang, contacts.lang_label)}</label>
            <p class="hint" id="contact-lang-hint">{tr!(lang, contacts.lang_hint)}</p>
            {error.map(|e| view! { <p class="error-message">{e}</p> })}
            <select id=id name="contact_lang" aria-describedby="contact-lang-hint">
                {Lang::ALL
                    .into_iter()
                    .map(|option| {
                        let code = option.code();
                        view! {
                            <option value=code selected=selected == code lang=option.html_code()>
                                {option.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
