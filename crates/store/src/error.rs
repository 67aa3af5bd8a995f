use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the database at {location}")]
    Open {
        location: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot bring the database at {location} up to date")]
    Migrate {
        location: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error("database error while trying to {action}")]
    Query {
        action: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("the database holds a value this version cannot read ({what}: {detail})")]
    Corrupt { what: &'static str, detail: String },
    #[error("cannot serialise {what}: {detail}")]
    Encode { what: &'static str, detail: String },
    #[error("there is no {what} {id}")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Refused(String),
    #[error(
        "`{location}` uses the scheme `{scheme}`, which multiplier does not support; give a file path, a sqlite: URL or a postgres:// URL"
    )]
    Unsupported { location: String, scheme: String },
    /// Rows of one table could not be written by `multiplier migrate`.
    #[error("cannot copy the rows of the table {table} into the target")]
    Copy {
        table: String,
        #[source]
        source: sqlx::Error,
    },
}

impl StoreError {
    pub(crate) fn query(action: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Query { action, source }
    }
}

/// A row that does not read as `what` (a column missing or of another type).
pub(crate) fn corrupt(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

/// A failed insert: a foreign key that points nowhere means the parent record
/// (`what`, `id`) does not exist; anything else is the query failing to `action`.
pub(crate) fn missing_or(
    what: &'static str,
    id: impl std::fmt::Display,
    action: &'static str,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound {
            what,
            id: id.to_string(),
        },
        _ => StoreError::Query { action, source: e },
    }
}

/// A value as the JSON text a column keeps.
pub(crate) fn encode<T: serde::Serialize>(
    what: &'static str,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Encode {
        what,
        detail: e.to_string(),
    })
}

/// A column's JSON text read back as `T`.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    what: &'static str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}
