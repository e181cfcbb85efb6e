//! The declarative field constraints (lengths, email syntax, ranges), read
//! back from `validator`: each form or API input declares them with
//! `#[derive(Validate)]` on a small struct of its cleaned values, and its
//! module maps the failures to its own error type. Only the codes the
//! declarations name (`code = "…"`) come back: a failure never carries the
//! value itself out of here (it may be personal data).

use std::borrow::Cow;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

/// The first failure of `field` (a field of the validated struct).
pub(crate) fn failure<'e>(
    errors: &'e ValidationErrors,
    field: &str,
) -> Option<&'e ValidationError> {
    match errors.errors().get(field) {
        Some(ValidationErrorsKind::Field(failures)) => failures.first(),
        _ => None,
    }
}

/// The code of a failure, as declared (`code = "…"`).
pub(crate) fn code(failure: &ValidationError) -> &'static str {
    match failure.code {
        Cow::Borrowed(code) => code,
        // The derive always borrows the declared literal.
        Cow::Owned(_) => "invalid",
    }
}

/// The code of the first failure of `field`, as declared.
pub(crate) fn failed(errors: &ValidationErrors, field: &str) -> Option<&'static str> {
    failure(errors, field).map(code)
}

/// The `max` the failed constraint declared (a length or range bound).
#[cfg(feature = "phone")]
pub(crate) fn max_of(error: &ValidationError) -> Option<u64> {
    error.params.get("max").and_then(serde_json::Value::as_u64)
}
