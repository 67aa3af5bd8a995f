//! AccountStore on PostgreSQL: users, sessions and the sign-in limiter, all in
//! the shared database, so every server sees every session and every attempt.

use super::{PgStore, R, audit, commit, get, now, timestamp};
use crate::StoreError;
use crate::accounts::{AccountRole, AccountStore, SignInLimits, SignInOutcome, UserRecord};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Transaction};

fn user(row: &PgRow) -> R<UserRecord> {
    const W: &str = "user row";
    let role: String = get(row, "role", W)?;
    Ok(UserRecord {
        id: get(row, "id", W)?,
        name: get(row, "name", W)?,
        role: role.parse().map_err(|detail| StoreError::Corrupt {
            what: "user role",
            detail,
        })?,
        password_hash: get(row, "password_hash", W)?,
        display_name: get(row, "display_name", W)?,
        created_at: timestamp(&get::<String>(row, "created_at", W)?)?,
        email: get(row, "email", W)?,
        deactivated_at: get::<Option<String>>(row, "deactivated_at", W)?
            .as_deref()
            .map(timestamp)
            .transpose()?,
    })
}

macro_rules! select_users {
    () => {
        "SELECT id, name, display_name, password_hash, role, created_at, deactivated_at, email FROM users"
    };
}

/// End every session of the account called `name`, inside `tx`.
async fn end_sessions(tx: &mut Transaction<'_, Postgres>, name: &str) -> R<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE account = $1")
        .bind(name)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::query("end an account's sessions"))?
        .rows_affected())
}

impl PgStore {
    /// Set one column of the account called `name` with `sql` (which binds the
    /// value as `$1`, the name as `$2`, and returns the id), end the account's
    /// sessions and audit it, in one transaction.
    async fn update_user(
        &self,
        actor: &str,
        name: &str,
        sql: &'static str,
        value: Option<&str>,
        (action, detail): (&str, String),
    ) -> R<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(sql)
            .bind(value)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("change an account"))?
            .ok_or_else(|| StoreError::NotFound {
                what: "user",
                id: name.to_string(),
            })?;
        let id: i64 = get(&row, "id", "user id")?;
        let ended = end_sessions(&mut tx, name).await?;
        let detail = match (detail.is_empty(), ended) {
            (_, 0) => detail,
            (true, n) => format!("{n} session(s) ended"),
            (false, n) => format!("{detail}; {n} session(s) ended"),
        };
        audit(&mut tx, actor, action, format!("user:{id}"), detail).await?;
        commit(tx).await
    }
}

impl AccountStore for PgStore {
    async fn add_user(
        &self,
        actor: &str,
        name: &str,
        role: AccountRole,
        password_hash: &str,
    ) -> R<i64> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO users (name, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(password_hash)
        .bind(role.id())
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Refused(format!("there is already a user called {name}"))
            }
            _ => StoreError::Query {
                action: "add a user",
                source: e,
            },
        })?;
        let id: i64 = get(&row, "id", "user id")?;
        audit(
            &mut tx,
            actor,
            "user.add",
            format!("user:{id}"),
            format!("role {role}"),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn set_password(&self, actor: &str, name: &str, password_hash: &str) -> R<()> {
        self.update_user(
            actor,
            name,
            "UPDATE users SET password_hash = $1 WHERE name = $2 RETURNING id",
            Some(password_hash),
            ("user.password", String::new()),
        )
        .await
    }

    async fn set_display_name(&self, actor: &str, name: &str, display: Option<&str>) -> R<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("UPDATE users SET display_name = $1 WHERE name = $2 RETURNING id")
            .bind(display)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("rename an account"))?
            .ok_or_else(|| StoreError::NotFound {
                what: "user",
                id: name.to_string(),
            })?;
        let id: i64 = get(&row, "id", "user id")?;
        // Never the name itself in the log: it is personal data.
        audit(
            &mut tx,
            actor,
            "user.rename",
            format!("user:{id}"),
            if display.is_some() {
                "display name set".to_string()
            } else {
                "display name cleared".to_string()
            },
        )
        .await?;
        commit(tx).await
    }

    async fn set_role(&self, actor: &str, name: &str, role: AccountRole) -> R<()> {
        self.update_user(
            actor,
            name,
            "UPDATE users SET role = $1 WHERE name = $2 RETURNING id",
            Some(role.id()),
            ("user.role", format!("role {role}")),
        )
        .await
    }

    async fn set_active(&self, actor: &str, name: &str, active: bool) -> R<()> {
        if active {
            self.update_user(
                actor,
                name,
                "UPDATE users SET deactivated_at = $1 WHERE name = $2 RETURNING id",
                None,
                ("user.activate", String::new()),
            )
            .await
        } else {
            self.update_user(
                actor,
                name,
                "UPDATE users SET deactivated_at = COALESCE(deactivated_at, $1) WHERE name = $2 RETURNING id",
                Some(&now()),
                ("user.deactivate", String::new()),
            )
            .await
        }
    }

    async fn user(&self, name: &str) -> R<Option<UserRecord>> {
        sqlx::query(concat!(select_users!(), " WHERE name = $1"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a user"))?
            .as_ref()
            .map(user)
            .transpose()
    }

    async fn users(&self) -> R<Vec<UserRecord>> {
        // Byte order, as SQLite's BINARY collation sorts names.
        sqlx::query(concat!(select_users!(), " ORDER BY name COLLATE \"C\""))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list users"))?
            .iter()
            .map(user)
            .collect()
    }

    async fn save_session(
        &self,
        id: &str,
        account: Option<&str>,
        data: &[u8],
        expires_at: i64,
    ) -> R<()> {
        sqlx::query("UPDATE sessions SET data = $1, expires_at = $2, account = $3 WHERE id = $4")
            .bind(data)
            .bind(expires_at)
            .bind(account)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("save a session"))?;
        Ok(())
    }

    async fn create_session(
        &self,
        id: &str,
        account: Option<&str>,
        data: &[u8],
        expires_at: i64,
    ) -> R<bool> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expires_at, account) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .bind(account)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("create a session"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn load_session(&self, id: &str, now: i64) -> R<Option<Vec<u8>>> {
        sqlx::query("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("load a session"))?
            .map(|row| get(&row, "data", "session"))
            .transpose()
    }

    async fn delete_session(&self, id: &str) -> R<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("delete a session"))?;
        Ok(())
    }

    async fn purge_sessions(&self, now: i64) -> R<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("remove expired sessions"))?;
        Ok(done.rows_affected())
    }

    async fn begin_sign_in(
        &self,
        name: &str,
        client: &str,
        now: i64,
        limits: SignInLimits,
    ) -> R<Option<i64>> {
        // The write lock makes count-then-insert one step across every server:
        // parallel guesses on several servers never pass the limits.
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM login_failures WHERE name = $1 AND at >= $2) AS by_name, \
               (SELECT COUNT(*) FROM login_failures WHERE client = $3 AND at >= $2) AS by_client",
        )
        .bind(name)
        .bind(limits.since)
        .bind(client)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("count failed sign-ins"))?;
        let count = |col: &str| -> R<u32> {
            let n: i64 = get(&row, col, "failed sign-ins")?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        };
        if count("by_name")? >= limits.per_name || count("by_client")? >= limits.per_client {
            return Ok(None);
        }
        let row = sqlx::query(
            "INSERT INTO login_failures (name, client, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(client)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("record a sign-in attempt"))?;
        let attempt: i64 = get(&row, "id", "sign-in attempt")?;
        commit(tx).await?;
        Ok(Some(attempt))
    }

    async fn end_sign_in(&self, attempt: i64, name: &str, outcome: SignInOutcome) -> R<()> {
        let mut tx = self.begin().await?;
        match outcome {
            SignInOutcome::Accepted { user } => {
                sqlx::query("DELETE FROM login_failures WHERE name = $1 OR id = $2")
                    .bind(name)
                    .bind(attempt)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query("clear failed sign-ins"))?;
                audit(
                    &mut tx,
                    name,
                    "user.sign-in",
                    format!("user:{user}"),
                    String::new(),
                )
                .await?;
            }
            SignInOutcome::Rejected { user } => {
                // The typed name is not recorded: it may be a mistyped password or
                // someone's e-mail address.
                let subject =
                    user.map_or_else(|| "user:unknown".to_string(), |u| format!("user:{u}"));
                audit(
                    &mut tx,
                    "anonymous",
                    "user.sign-in.failed",
                    subject,
                    String::new(),
                )
                .await?;
            }
        }
        commit(tx).await
    }

    async fn purge_login_failures(&self, before: i64) -> R<u64> {
        let done = sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("forget old failed sign-ins"))?;
        Ok(done.rows_affected())
    }
}
