//! Column types decoded the same way on both engines, once.
//!
//! Through sqlx's `Any` driver, a boolean column decodes as `Bool` on
//! PostgreSQL (`BOOLEAN`) but as an integer on SQLite (which has no boolean
//! type), and `bool`'s decoder accepts only the former; the store used to
//! write `CASE WHEN x THEN 1 ELSE 0 END` in its queries instead. [`Flag`]
//! accepts both. Dates are stored as ISO text (`YYYY-MM-DD`) on both
//! engines; [`IsoDate`] reads them as dates, so that no page re-parses a
//! string. Row structs use them with `#[sqlx(try_from = "Flag")]` /
//! `#[sqlx(try_from = "IsoDate")]`.

use chrono::NaiveDate;
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A boolean column, whichever way the engine hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <bool as Type<Any>>::compatible(ty) || <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <bool as Decode<Any>>::decode(value.clone()) {
            Ok(b) => Ok(Flag(b)),
            Err(_) => <i64 as Decode<Any>>::decode(value).map(|n| Flag(n != 0)),
        }
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

/// A date column (ISO text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate(pub NaiveDate);

impl Type<Any> for IsoDate {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for IsoDate {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        Ok(IsoDate(text.trim().parse::<NaiveDate>()?))
    }
}

impl From<IsoDate> for NaiveDate {
    fn from(date: IsoDate) -> NaiveDate {
        date.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Db;

    /// The same SELECT decodes to the same values on SQLite and, when
    /// `RELAIS_TEST_POSTGRES_URL` is set, on PostgreSQL — the one place the
    /// engines differ is solved here.
    async fn decodes_alike(db: &Db) {
        let row: (Flag, Flag, Flag, Option<Flag>, IsoDate, Option<IsoDate>) = sqlx::query_as(
            "SELECT 1 = 1, 1 = 0, 1, CASE WHEN 1 = 0 THEN TRUE END, '2022-01-03', NULL",
        )
        .fetch_one(db.pool())
        .await
        .expect("the query runs");
        assert_eq!(row.0, Flag(true));
        assert_eq!(row.1, Flag(false));
        assert_eq!(row.2, Flag(true), "an integer 1 is true");
        assert_eq!(row.3, None);
        assert_eq!(
            NaiveDate::from(row.4),
            NaiveDate::from_ymd_opt(2022, 1, 3).unwrap()
        );
        assert_eq!(row.5, None);
        let bad: Result<(IsoDate,), _> = sqlx::query_as("SELECT '2022-02-30'")
            .fetch_one(db.pool())
            .await;
        assert!(bad.is_err(), "a stored text that is not a date is an error");
    }

    #[tokio::test]
    async fn flags_and_dates_decode_alike_on_sqlite() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .expect("SQLite opens");
        decodes_alike(&db).await;
    }

    #[tokio::test]
    async fn flags_and_dates_decode_alike_on_postgres() {
        let Some(url) = std::env::var("RELAIS_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            eprintln!("RELAIS_TEST_POSTGRES_URL is not set: PostgreSQL test skipped");
            return;
        };
        let db = Db::connect(&url).await.expect("PostgreSQL answers");
        decodes_alike(&db).await;
    }
}
