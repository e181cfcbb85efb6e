//! The messages of the declaration forms, one per error code of the core's
//! form parsers (`relais::contact_form`, `relais::place_form`,
//! `relais::contact_guidance`) and of the
//! store's outcomes.

use crate::citizen::error_summary::FieldError;
use crate::tr;
use leptos::prelude::*;
use relais::Lang;

/// The problems of a form to show: the parser's (field id, code) pairs and,
/// first, the code in the page's `?erreur=` (a store outcome), tied to
/// `first_field`.
pub fn form_errors(lang: Lang, errors: &[(String, String)], first_field: &str) -> Vec<FieldError> {
    let from_query = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("erreur")
        .map(|code| (first_field.to_owned(), code));
    from_query
        .iter()
        .chain(errors)
        .map(|(field, code)| FieldError {
            field: field.clone(),
            message: form_error_text(lang, code).to_owned(),
        })
        .collect()
}

/// The message for the first problem about one of `ids`.
pub fn error_for(errors: &[FieldError], ids: &[&str]) -> Option<String> {
    errors
        .iter()
        .find(|e| ids.contains(&e.field.as_str()))
        .map(|e| e.message.clone())
}

/// The message for an error code; a generic one for a code this version
/// does not know.
pub fn form_error_text(lang: Lang, code: &str) -> &'static str {
    match code {
        "first_name_missing" => tr!(lang, form.err_first_name_missing),
        "last_name_missing" => tr!(lang, form.err_last_name_missing),
        "name_too_long" | "text_too_long" => tr!(lang, form.err_text_too_long),
        "phone_missing" => tr!(lang, form.err_phone_missing),
        "phone_not_a_number" => tr!(lang, form.err_phone_not_a_number),
        "phone_invalid" => tr!(lang, form.err_phone_invalid),
        "email_invalid" => tr!(lang, form.err_email_invalid),
        "relationship_missing" | "relationship_unknown" => tr!(lang, form.err_relationship),
        "date_missing" => tr!(lang, form.err_date_missing),
        "date_day" => tr!(lang, arrival.err_day),
        "date_month" => tr!(lang, arrival.err_month),
        "date_year" | "date_year_range" => tr!(lang, form.err_date_year),
        "date_not_a_date" => tr!(lang, arrival.err_not_a_date),
        "date_future" => tr!(lang, situation.err_future),
        "date_outside_period" => tr!(lang, form.err_date_outside_period),
        "exposure_unknown" | "protection_unknown" | "lang_unknown" => {
            tr!(lang, form.err_unknown_choice)
        }
        "minor_missing" => tr!(lang, form.err_minor_missing),
        "under_12_not_minor" => tr!(lang, form.err_under_12_not_minor),
        "guardian_phone_missing" => tr!(lang, form.err_guardian_phone_missing),
        "guardian_phone_invalid" => tr!(lang, form.err_guardian_phone_invalid),
        "place_kind_missing" | "place_kind_unknown" => tr!(lang, form.err_place_kind),
        "place_name_missing" => tr!(lang, form.err_place_name_missing),
        "place_town_missing" => tr!(lang, form.err_place_town_missing),
        "attendance_invalid" => tr!(lang, form.err_attendance_invalid),
        "setting_missing" => tr!(lang, form.err_setting_missing),
        "masks_missing" => tr!(lang, form.err_masks_missing),
        "too_many" => tr!(lang, form.err_too_many),
        "closed" => tr!(lang, form.err_closed),
        "symptoms_too_early" => tr!(lang, form.err_symptoms_too_early),
        "test_too_early" => tr!(lang, form.err_test_too_early),
        "test_result_missing" | "test_result_unknown" => tr!(lang, form.err_test_result),
        "vaccination_missing" | "vaccination_unknown" => tr!(lang, form.err_vaccination),
        "dose_too_early" => tr!(lang, form.err_dose_too_early),
        _ => tr!(lang, arrival.err_service),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_message_in_both_languages() {
        let codes = [
            "first_name_missing",
            "last_name_missing",
            "name_too_long",
            "phone_missing",
            "phone_not_a_number",
            "phone_invalid",
            "email_invalid",
            "relationship_missing",
            "date_missing",
            "date_day",
            "date_month",
            "date_year",
            "date_not_a_date",
            "date_future",
            "date_outside_period",
            "exposure_unknown",
            "lang_unknown",
            "minor_missing",
            "under_12_not_minor",
            "vaccination_unknown",
            "guardian_phone_missing",
            "guardian_phone_invalid",
            "place_kind_missing",
            "place_name_missing",
            "place_town_missing",
            "attendance_invalid",
            "setting_missing",
            "masks_missing",
            "too_many",
            "closed",
            "symptoms_too_early",
            "test_too_early",
            "test_result_missing",
            "vaccination_missing",
            "dose_too_early",
        ];
        for lang in Lang::ALL {
            let generic = form_error_text(lang, "no such code");
            for code in codes {
                let text = form_error_text(lang, code);
                assert!(!text.is_empty());
                assert_ne!(text, generic, "{code} has no message of its own");
            }
        }
        assert_ne!(
            form_error_text(Lang::Fr, "phone_invalid"),
            form_error_text(Lang::En, "phone_invalid")
        );
    }
}
