//! The parameters of a statement with many values (a batch insert, a
//! lookup of many keys).
//!
//! SQLite finds a numbered parameter's name (`$n`) by walking the
//! statement's list of names (`sqlite3_bind_parameter_name` is linear), and
//! sqlx asks it for the name of each parameter it binds: binding n numbered
//! parameters walks that list n times. 28,000 of them took seconds a
//! statement (the intake); the 1,700 of one insert of the figures' shares
//! made most of the instructions of a refresh (callgrind). Anonymous
//! parameters (`?`) have no name to look up and are bound in order.

use crate::Backend;

/// The engine of `conn`, for [`placeholders`] on a connection.
pub(crate) fn backend_of(conn: &sqlx::AnyConnection) -> Backend {
    if conn.backend_name() == "SQLite" {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// `count` parameters from number `from`: `$from, $from+1, …` on
/// PostgreSQL, `?, ?, …` on SQLite (bound in the same order).
pub(crate) fn placeholders(backend: Backend, from: usize, count: usize) -> String {
    let mut out = String::with_capacity(count * 7);
    for n in from..from + count {
        if n > from {
            out.push_str(", ");
        }
        match backend {
            Backend::Sqlite => out.push('?'),
            Backend::Postgres => {
                out.push('$');
                out.push_str(&n.to_string());
            }
        }
    }
    out
}

/// `($1, …, $k), ($k+1, …)`: `rows` tuples of `columns` parameters.
pub(crate) fn row_placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(backend, 1 + r * columns, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_from_where_they_start() {
        assert_eq!(placeholders(Backend::Postgres, 3, 2), "$3, $4");
        assert_eq!(
            row_placeholders(Backend::Postgres, 2, 2),
            "($1, $2), ($3, $4)"
        );
        assert_eq!(row_placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(row_placeholders(Backend::Sqlite, 0, 4), "");
        let one = row_placeholders(Backend::Postgres, 1, 17);
        assert!(one.starts_with("($1, ") && one.ends_with(", $17)"), "{one}");
    }
}
