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
