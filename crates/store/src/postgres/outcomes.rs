//! The outcome of a hire on PostgreSQL: the statements of the SQLite module
//! (migration 0016) with `$n` placeholders.

use super::mail::enqueue_in;
use super::{PgStore, audit, commit, get, missing_or, now, ts};
use crate::outcomes::*;
use crate::{CandidateId, OpeningId, StoreError};
use jiff::civil::Date;
use sqlx::postgres::PgRow;

type R<T> = Result<T, StoreError>;

fn date(row: &PgRow, col: &str, what: &'static str) -> R<Option<Date>> {
    get::<Option<String>>(row, col, what)?
        .map(|text| {
            text.parse::<Date>().map_err(|e| StoreError::Corrupt {
                what,
                detail: format!("{text}: {e}"),
            })
        })
        .transpose()
}

/// The hires ([`crate::outcomes::hires_sql`]).
pub(crate) const HIRES_SQL: &str =
    crate::outcomes::hires_sql!("($1::BIGINT IS NULL OR c.opening_id = $1)");

impl OutcomeStore for PgStore {
    async fn set_repository(
        &self,
        actor: &str,
        opening: OpeningId,
        setting: Option<&RepoSetting>,
    ) -> R<()> {
        let mut tx = self.begin().await?;
        let exists = sqlx::query("SELECT id FROM openings WHERE id = $1")
            .bind(opening.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("find the opening"))?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: "opening",
                id: opening.to_string(),
            });
        }
        sqlx::query("DELETE FROM opening_repositories WHERE opening_id = $1")
            .bind(opening.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("clear the opening's repository"))?;
        let detail = match setting {
            None => "cleared".to_string(),
            Some(s) => {
                let (tags, branch) = match &s.deploy {
                    DeployRule::Tags(g) => (Some(g.as_str()), None),
                    DeployRule::Branch(b) => (None, Some(b.as_str())),
                };
                sqlx::query(
                    "INSERT INTO opening_repositories (opening_id, path, deploy_tags, deploy_branch, set_by, set_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(opening.0)
                .bind(&s.path)
                .bind(tags)
                .bind(branch)
                .bind(actor)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(missing_or("opening", opening, "set the opening's repository"))?;
                match &s.deploy {
                    DeployRule::Tags(g) => format!("{} with deployments tagged {g}", s.path),
                    DeployRule::Branch(b) => format!("{} with deployments on branch {b}", s.path),
                }
            }
        };
        audit(
            &mut tx,
            actor,
            "opening.repository",
            format!("opening:{opening}"),
            detail,
        )
        .await?;
        commit(tx).await
    }

    async fn repository(&self, opening: OpeningId) -> R<Option<RepoRecord>> {
        let what = "opening repository";
        let Some(row) = sqlx::query(
            "SELECT path, deploy_tags, deploy_branch, set_by, set_at FROM opening_repositories WHERE opening_id = $1",
        )
        .bind(opening.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read the opening's repository"))?
        else {
            return Ok(None);
        };
        let deploy = match (
            get::<Option<String>>(&row, "deploy_tags", what)?,
            get::<Option<String>>(&row, "deploy_branch", what)?,
        ) {
            (Some(glob), _) => DeployRule::Tags(glob),
            (None, Some(branch)) => DeployRule::Branch(branch),
            (None, None) => {
                return Err(StoreError::Corrupt {
                    what,
                    detail: format!("opening {opening} has neither deploy tags nor a branch"),
                });
            }
        };
        Ok(Some(RepoRecord {
            opening,
            setting: RepoSetting {
                path: get(&row, "path", what)?,
                deploy,
            },
            set_by: get(&row, "set_by", what)?,
            set_at: ts(&row, "set_at", what)?,
        }))
    }

    async fn hires(&self, opening: Option<OpeningId>) -> R<Vec<HireRecord>> {
        let what = "hire";
        let rows = sqlx::query(HIRES_SQL)
            .bind(opening.map(|o| o.0))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list hires"))?;
        rows.iter()
            .map(|row| {
                Ok(HireRecord {
                    candidate: CandidateId(get(row, "id", what)?),
                    opening: OpeningId(get(row, "opening_id", what)?),
                    start_date: date(row, "start_date", what)?,
                    erased: get::<Option<String>>(row, "erased_at", what)?.is_some(),
                })
            })
            .collect()
    }

    async fn outcome_reminders(&self, opening: Option<OpeningId>) -> R<Vec<ReminderRecord>> {
        let what = "outcome reminder";
        let rows = sqlx::query(
            "SELECT candidate_id, opening_id, months, sent_at FROM outcome_reminders
             WHERE ($1::BIGINT IS NULL OR opening_id = $1) ORDER BY sent_at, candidate_id, months",
        )
        .bind(opening.map(|o| o.0))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list outcome reminders"))?;
        rows.iter()
            .map(|row| {
                let months: i64 = get(row, "months", what)?;
                Ok(ReminderRecord {
                    candidate: CandidateId(get(row, "candidate_id", what)?),
                    opening: OpeningId(get(row, "opening_id", what)?),
                    months: u32::try_from(months).map_err(|e| StoreError::Corrupt {
                        what,
                        detail: e.to_string(),
                    })?,
                    sent_at: ts(row, "sent_at", what)?,
                })
            })
            .collect()
    }

    async fn queue_outcome_reminder(&self, actor: &str, reminder: &NewReminder) -> R<bool> {
        let mut tx = self.begin().await?;
        let at = now();
        for months in &reminder.months {
            let inserted = sqlx::query(
                "INSERT INTO outcome_reminders (candidate_id, months, opening_id, sent_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (candidate_id, months) DO NOTHING",
            )
            .bind(reminder.candidate.0)
            .bind(i64::from(*months))
            .bind(reminder.opening.0)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(missing_or(
                "candidate",
                reminder.candidate,
                "record an outcome reminder",
            ))?
            .rows_affected();
            if inserted == 0 {
                // Another server (or an earlier run) got there first.
                tx.rollback()
                    .await
                    .map_err(StoreError::query("roll back"))?;
                return Ok(false);
            }
        }
        let ids = enqueue_in(&mut tx, actor, &reminder.mail).await?;
        let months: Vec<String> = reminder.months.iter().map(u32::to_string).collect();
        audit(
            &mut tx,
            actor,
            "mail.outcome-reminder",
            format!("opening:{}", reminder.opening),
            format!(
                "{} months after the start of candidate {}; {} message(s)",
                months.join(" and "),
                reminder.candidate,
                ids.len()
            ),
        )
        .await?;
        commit(tx).await?;
        Ok(true)
    }
}
