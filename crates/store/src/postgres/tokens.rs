//! API tokens on PostgreSQL (the SQLite module's queries with `$n` binds).

use super::{PgStore, R, audit, commit, get, timestamp};
use crate::StoreError;
use crate::TokenHash;
use crate::tokens::{NewToken, TokenRecord, TokenScope, TokenStore};
use jiff::Timestamp;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Transaction};

macro_rules! select_tokens {
    () => {
        "SELECT t.id, u.name AS account, u.role, t.label, t.scope, t.created_by, \
         t.created_at, t.expires_at, t.revoked_at, t.last_used_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id"
    };
}

fn optional_ts(row: &PgRow, col: &str) -> R<Option<Timestamp>> {
    get::<Option<String>>(row, col, "api token")?
        .as_deref()
        .map(timestamp)
        .transpose()
}

fn token(row: &PgRow) -> R<TokenRecord> {
    let what = "api token";
    let role: String = get(row, "role", what)?;
    let scope: String = get(row, "scope", what)?;
    Ok(TokenRecord {
        id: get(row, "id", what)?,
        account: get(row, "account", what)?,
        role: role.parse().map_err(|detail| StoreError::Corrupt {
            what: "user role",
            detail,
        })?,
        label: get(row, "label", what)?,
        scope: scope
            .parse::<TokenScope>()
            .map_err(|detail| StoreError::Corrupt {
                what: "token scope",
                detail,
            })?,
        created_by: get(row, "created_by", what)?,
        created_at: timestamp(&get::<String>(row, "created_at", what)?)?,
        expires_at: timestamp(&get::<String>(row, "expires_at", what)?)?,
        revoked_at: optional_ts(row, "revoked_at")?,
        last_used_at: optional_ts(row, "last_used_at")?,
    })
}

async fn token_by_id(tx: &mut Transaction<'_, Postgres>, id: i64) -> R<TokenRecord> {
    sqlx::query(concat!(select_tokens!(), " WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("read an api token"))?
        .as_ref()
        .map(token)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound {
            what: "api token",
            id: id.to_string(),
        })
}

impl TokenStore for PgStore {
    async fn create_token(&self, actor: &str, new: &NewToken) -> R<TokenRecord> {
        let mut tx = self.begin().await?;
        let user: i64 = sqlx::query("SELECT id FROM users WHERE name = $1")
            .bind(&new.account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("find an account"))?
            .map(|r| get::<i64>(&r, "id", "account"))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound {
                what: "account",
                id: new.account.clone(),
            })?;
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, label, token_hash, scope, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(user)
        .bind(&new.label)
        .bind(new.token_hash.as_str())
        .bind(new.scope.id())
        .bind(actor)
        .bind(Timestamp::now().to_string())
        .bind(new.expires_at.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("store an api token"))
        .and_then(|row| get(&row, "id", "api token id"))?;
        audit(
            &mut tx,
            actor,
            "token.create",
            format!("user:{user}"),
            format!(
                "token {id} \"{}\" for {}, {}, expires {}",
                new.label, new.account, new.scope, new.expires_at
            ),
        )
        .await?;
        let record = token_by_id(&mut tx, id).await?;
        commit(tx).await?;
        Ok(record)
    }

    async fn tokens(&self, account: Option<&str>) -> R<Vec<TokenRecord>> {
        let rows = match account {
            Some(name) => {
                sqlx::query(concat!(
                    select_tokens!(),
                    " WHERE u.name = $1 ORDER BY t.id DESC"
                ))
                .bind(name)
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query(concat!(select_tokens!(), " ORDER BY t.id DESC"))
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(StoreError::query("list api tokens"))?;
        rows.iter().map(token).collect()
    }

    async fn revoke_token(&self, actor: &str, id: i64) -> R<TokenRecord> {
        let mut tx = self.begin().await?;
        let found = token_by_id(&mut tx, id).await?;
        if found.revoked_at.is_some() {
            return Err(StoreError::Refused(format!(
                "api token {id} is already revoked"
            )));
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(Timestamp::now().to_string())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("revoke an api token"))?;
        audit(
            &mut tx,
            actor,
            "token.revoke",
            format!("token:{id}"),
            format!("token {id} \"{}\" of {}", found.label, found.account),
        )
        .await?;
        let record = token_by_id(&mut tx, id).await?;
        commit(tx).await?;
        Ok(record)
    }

    async fn live_token(&self, hash: &TokenHash, now: Timestamp) -> R<Option<TokenRecord>> {
        let found = sqlx::query(concat!(select_tokens!(), " WHERE t.token_hash = $1"))
            .bind(hash.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("find an api token"))?
            .as_ref()
            .map(token)
            .transpose()?;
        Ok(found.filter(|t| t.is_live(now)))
    }

    async fn token_used(&self, id: i64, at: Timestamp, write: Option<&str>) -> R<()> {
        let Some(what) = write else {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(at.to_string())
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(StoreError::query("note an api token's use"))?;
            return Ok(());
        };
        let mut tx = self.begin().await?;
        let account: String = sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 \
             RETURNING (SELECT name FROM users WHERE users.id = api_tokens.user_id) AS account",
        )
        .bind(at.to_string())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("note an api token's use"))?
        .ok_or_else(|| StoreError::NotFound {
            what: "api token",
            id: id.to_string(),
        })
        .and_then(|row| get(&row, "account", "api token's account"))?;
        audit(
            &mut tx,
            &account,
            "token.use",
            format!("token:{id}"),
            format!("token {id}: {what}"),
        )
        .await?;
        commit(tx).await
    }
}
