//! Column types decoded the same way on both engines, once.
//!
//! Booleans: sqlx's `Any` driver refuses a column SQLite declares
//! `BOOLEAN` outright ("Any driver does not support the SQLite type Bool"),
//! before any decoder runs, while PostgreSQL hands `BOOLEAN` over as `Bool`,
//! which `bool`'s decoder alone accepts. So a boolean column is always
//! selected through [`flag!`] (`CASE WHEN x THEN 1 ELSE 0 END AS x`: an
//! integer on both engines) and decoded as a [`Flag`], which accepts an
//! integer or a boolean (an expression such as `1 = 1` is `Bool` on
//! PostgreSQL). Dates are stored as ISO text (`YYYY-MM-DD`) on both
//! engines; [`IsoDate`] reads them as dates, so that no page re-parses a
//! string. Row structs use them with `#[sqlx(try_from = "Flag")]` /
//! `#[sqlx(try_from = "IsoDate")]`.

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};
use time::Date;

/// Selects the boolean column `$column` (SQL text, usable in `concat!`) as
/// an integer named after it: `flag!("household")`, or
/// `flag!("c.household", "household")` to name it. `flag!(nullable …)`
/// keeps NULL (`flag!(nullable "c.x", "x")` to name it). A named column may
/// itself be a `concat!` (`flag!(nullable concat!($table, "x"), "x")`).
#[macro_export]
macro_rules! flag {
    (nullable $column:expr, $name:literal) => {
        concat!(
            "CASE WHEN ",
            $column,
            " IS NULL THEN NULL WHEN ",
            $column,
            " THEN 1 ELSE 0 END AS ",
            $name
        )
    };
    (nullable $column:literal) => {
        concat!(
            "CASE WHEN ",
            $column,
            " IS NULL THEN NULL WHEN ",
            $column,
            " THEN 1 ELSE 0 END AS ",
            $column
        )
    };
    ($column:expr, $name:literal) => {
        concat!("CASE WHEN ", $column, " THEN 1 ELSE 0 END AS ", $name)
    };
    ($column:literal) => {
        $crate::flag!($column, $column)
    };
}

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
pub struct IsoDate(pub Date);

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
        relais::dates::parse_iso(text.trim())
            .map(IsoDate)
            .ok_or_else(|| format!("not an ISO date: {text:?}").into())
    }
}

impl From<IsoDate> for Date {
    fn from(date: IsoDate) -> Date {
        date.0
    }
}

/// A nullable id column: an `Option<CaseId>` (any typed id) field reads
/// it with `#[sqlx(try_from = "OptionalId")]`; a non-null id is read with
/// `#[sqlx(try_from = "i64")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalId(pub Option<i64>);

impl Type<Any> for OptionalId {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for OptionalId {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        <Option<i64> as Decode<Any>>::decode(value).map(OptionalId)
    }
}

impl<T: From<i64>> From<OptionalId> for Option<T> {
    fn from(id: OptionalId) -> Option<T> {
        id.0.map(T::from)
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
        // A real BOOLEAN column, as the schema declares them.
        let mut conn = db.pool().acquire().await.expect("a connection");
        sqlx::query("CREATE TEMPORARY TABLE flags (id INTEGER, b BOOLEAN, n BOOLEAN)")
            .execute(&mut *conn)
            .await
            .expect("create");
        sqlx::query("INSERT INTO flags VALUES (1, TRUE, NULL), (2, FALSE, TRUE)")
            .execute(&mut *conn)
            .await
            .expect("insert");
        let rows: Vec<(Flag, Option<Flag>)> = sqlx::query_as(concat!(
            "SELECT ",
            flag!("b"),
            ", ",
            flag!(nullable "n"),
            " FROM flags ORDER BY id"
        ))
        .fetch_all(&mut *conn)
        .await
        .expect("a BOOLEAN column selected through flag! reads on both engines");
        assert_eq!(
            rows,
            vec![(Flag(true), None), (Flag(false), Some(Flag(true)))]
        );
        drop(conn);
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
        assert_eq!(Date::from(row.4), relais::dates::ymd(2022, 1, 3).unwrap());
        assert_eq!(row.5, None);
        let bad: Result<(IsoDate,), _> = sqlx::query_as("SELECT '2022-02-30'")
            .fetch_one(db.pool())
            .await;
        assert!(bad.is_err(), "a stored text that is not a date is an error");
    }

    #[tokio::test]
    async fn flags_and_dates_decode_alike_on_sqlite() {
        let (_dir, db) = crate::db::temporary_sqlite().await;
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
