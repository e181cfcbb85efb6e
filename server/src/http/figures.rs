//! `GET /equipe/supervision/chiffres.csv?du=&au=`: the dashboard's figures
//! as CSV, one line per day and the period's total (supervisors and
//! admins, with their staff session). Counts only, no personal data.

use super::lang::request_lang;
use super::state::AppState;
use app::desk::auth::{staff_cookie_name, staff_member_of};
use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use relais::figures::{csv, parse_period, Summary};
use relais::roles::StaffRole;
use relais::Lang;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    /// A région (`r32`) or a département (`80`); empty for the whole scope.
    #[serde(default)]
    zone: String,
}

fn unavailable(lang: Lang) -> Response {
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        match lang.for_staff() {
            Lang::En => "Service unavailable, try again.",
            _ => "Service indisponible, réessayez.",
        },
    )
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

pub async fn figures_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PeriodQuery>,
) -> Response {
    // The staff console's languages.
    let lang = request_lang(&headers).for_staff();
    let say = |fr: &'static str, en: &'static str| match lang {
        Lang::En => en,
        _ => fr,
    };
    let cookie = staff_cookie_name(state.config.is_https());
    let Some(secret) = app::citizen::session::cookie_in(&headers, cookie) else {
        return plain(
            StatusCode::UNAUTHORIZED,
            say("Connectez-vous d'abord.", "Sign in first."),
        );
    };
    let member = match staff_member_of(&state.db, &secret, StaffRole::Supervisor).await {
        Ok(member) => member,
        Err(AppError::SignedOut) => {
            return plain(
                StatusCode::UNAUTHORIZED,
                say("Connectez-vous d'abord.", "Sign in first."),
            )
        }
        Err(AppError::Forbidden) => {
            return plain(
                StatusCode::FORBIDDEN,
                say("Réservé aux superviseurs.", "For supervisors only."),
            )
        }
        // Logged where the store failed.
        Err(_) => return unavailable(lang),
    };
    if state.config.second_factor_required && !member.second_factor {
        return plain(
            StatusCode::FORBIDDEN,
            say(
                "Activez d'abord le second facteur de votre compte (page Sécurité).",
                "Turn on your account's second factor first (Security page).",
            ),
        );
    }
    let Ok(zone) = relais::territory::Zone::parse(&query.zone) else {
        return plain(
            StatusCode::BAD_REQUEST,
            say(
                "Zone invalide : une région (r32) ou un département (80).",
                "Invalid zone: a region (r32) or a département (80).",
            ),
        );
    };
    let scope = member.scope().narrowed(zone);
    let today = state.db.today_paris();
    let Ok(period) = parse_period(&query.du, &query.au, today) else {
        return plain(
            StatusCode::BAD_REQUEST,
            say(
                "Période invalide : des dates comme 01/12/2026, la fin après le début, 366 jours au plus.",
                "Invalid period: dates like 01/12/2026, the end after the start, 366 days at most.",
            ),
        );
    };
    let days = match relais_store::figures::of_period(&state.db, scope, period).await {
        Ok((days, _)) => days,
        Err(e) => {
            tracing::error!(error = %e, "figures CSV: store failed");
            return unavailable(lang);
        }
    };
    let summary = Summary::of(period.from, period.to, &days);
    let filename = format!(
        "attachment; filename=\"relais-chiffres-{}-{}.csv\"",
        period.from, period.to
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, filename),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv(&days, &summary),
    )
        .into_response()
}
