//! API tokens on SQLite.

use super::SqliteStore;
use super::hiring::{audit, commit, get, opt_ts, ts};
use crate::StoreError;
use crate::TokenHash;
use crate::tokens::{NewToken, TokenRecord, TokenScope, TokenStore};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

type R<T> = Result<T, StoreError>;

macro_rules! select_tokens {
    () => {
        "SELECT t.id, u.name AS account, u.role, t.label, t.scope, t.created_by, \
         t.created_at, t.expires_at, t.revoked_at, t.last_used_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id"
    };
}

fn token(row: &SqliteRow) -> R<TokenRecord> {
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
        created_at: ts(row, "created_at", what)?,
        expires_at: ts(row, "expires_at", what)?,
        revoked_at: opt_ts(row, "revoked_at", what)?,
        last_used_at: opt_ts(row, "last_used_at", what)?,
    })
}

impl SqliteStore {
    async fn token_by_id(
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        id: i64,
    ) -> R<Option<TokenRecord>> {
        sqlx::query(concat!(select_tokens!(), " WHERE t.id = ?"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(StoreError::query("read an api token"))?
            .as_ref()
            .map(token)
            .transpose()
    }
}

impl TokenStore for SqliteStore {
    async fn create_token(&self, actor: &str, new: &NewToken) -> R<TokenRecord> {
        let mut tx = self.begin().await?;
        let user: Option<i64> = sqlx::query("SELECT id FROM users WHERE name = ?")
            .bind(&new.account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("find an account"))?
            .map(|r| r.try_get("id"))
            .transpose()
            .map_err(StoreError::query("read an account's id"))?;
        let user = user.ok_or_else(|| StoreError::NotFound {
            what: "account",
            id: new.account.clone(),
        })?;
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, label, token_hash, scope, created_by, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
        .map_err(StoreError::query("store an api token"))?
        .try_get("id")
        .map_err(StoreError::query("read a new api token's id"))?;
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
        let record = Self::token_by_id(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "api token",
                id: id.to_string(),
            })?;
        commit(tx).await?;
        Ok(record)
    }

    async fn tokens(&self, account: Option<&str>) -> R<Vec<TokenRecord>> {
        let rows = match account {
            Some(name) => {
                sqlx::query(concat!(
                    select_tokens!(),
                    " WHERE u.name = ? ORDER BY t.id DESC"
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
        let found = Self::token_by_id(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "api token",
                id: id.to_string(),
            })?;
        if found.revoked_at.is_some() {
            return Err(StoreError::Refused(format!(
                "api token {id} is already revoked"
            )));
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")
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
        let record = Self::token_by_id(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "api token",
                id: id.to_string(),
            })?;
        commit(tx).await?;
        Ok(record)
    }

    async fn live_token(&self, hash: &TokenHash, now: Timestamp) -> R<Option<TokenRecord>> {
        let found = sqlx::query(concat!(select_tokens!(), " WHERE t.token_hash = ?"))
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
            sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                .bind(at.to_string())
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(StoreError::query("note an api token's use"))?;
            return Ok(());
        };
        let mut tx = self.begin().await?;
        let account: String = sqlx::query(
            "UPDATE api_tokens SET last_used_at = ? WHERE id = ? \
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
        })?
        .try_get("account")
        .map_err(StoreError::query("read an api token's account"))?;
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
