//! The outcome of a hire (issue 19, item 1): an opening's delivery snapshots
//! read as a story — the baseline, each later measurement judged against the
//! framework's targets, a trend per metric — and the ways to make snapshots from
//! the browser: uploaded deployment records (with incidents) and pull-request
//! exports, or the opening's own repository read on demand. Six and twelve
//! months after the hire's start date, the hiring manager and the admins are
//! reminded to measure.
//!
//! **The git seam.** This crate does not know gix. An edge that can read
//! repositories hands the app a [`HistoryReader`] ([`App::with_history`]); the
//! command line supplies one built on `multiplier-git`, for its own commands and
//! for `serve`. The reader returns core's delivery events, and the app measures
//! them with core's `report`, exactly as `metrics git` does. Without a reader,
//! "take a snapshot now" is refused with a conflict that says so.
//!
//! **Who sees what.** The numbers are the team's, not a candidate's: anyone
//! signed in may read them, as with [`App::snapshots`]. Making snapshots and
//! setting the repository is for hiring managers (admins), as saving a snapshot
//! is. The hire is candidate data: the name is shown to those who may see the
//! candidate ([`crate::Sight::sees_candidate`]), the start date to those who may
//! read the offers ([`crate::Sight::sees_offers`]); an erased hire shows as
//! erased. The months elapsed are counted from the start date for every viewer,
//! so every viewer sees the same judgement. The repository's path (a place on
//! the server's disk) and the reminders are shown to admins only.

use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::limits::{MAX_SHORT_CHARS, check_input};
use crate::{App, Upload, require_admin};
use jiff::civil::Date;
use jiff::{SignedDuration, Span, Timestamp};
use multiplier_core::delivery::{
    self, Baseline, Change, Comparison, Deployment, Window, compare, input,
};
use multiplier_store::{
    AccountRole, AccountStore, CandidateId, DeployRule, HiringStore, MetricsStore, NewMessage,
    NewReminder, OpeningId, OpeningRecord, OutcomeStore, RepoRecord, RepoSetting, SnapshotRecord,
    baseline, erased_name,
};
use serde::Serialize;
use std::sync::Arc;

/// Months after the start date at which the outcome is measured again.
pub const OUTCOME_MONTHS: [u32; 2] = [6, 12];
/// How far back "take a snapshot now" reads by default: the last 90 days.
pub const SNAPSHOT_DAYS: i64 = 90;
/// The longest repository path accepted (Linux's `PATH_MAX`).
pub const MAX_PATH_CHARS: usize = 4096;

/// A repository's history as core's delivery events.
#[derive(Debug, Clone, PartialEq)]
pub struct RepoHistory {
    /// Every deployment found, in any order.
    pub deployments: Vec<Deployment>,
    /// Commits not shipped by any deployment yet.
    pub undeployed: Vec<Change>,
    /// Commits read in all.
    pub commits: usize,
}

/// Reads a repository's history: supplied by an edge that can (the command
/// line's is built on `multiplier-git`). Slow; the app calls it off the async
/// runtime. The error is one sentence for people.
pub trait HistoryReader: Send + Sync + std::fmt::Debug {
    /// The history of `setting`'s repository; with `since`, only what a window
    /// starting then needs.
    fn read(&self, setting: &RepoSetting, since: Option<Timestamp>) -> Result<RepoHistory, String>;
}

/// One metric the outcome page follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetricInfo {
    /// Stable id: `deployment-frequency`, `lead-time`, `change-failure-rate`,
    /// `time-to-restore`, `first-review`.
    pub id: &'static str,
    pub label: &'static str,
    /// The unit the values are in: `per week`, `h`, `%`.
    pub unit: &'static str,
    /// Whether a higher value is the better one.
    pub higher_is_better: bool,
}

/// The metrics, in the order the page shows them.
pub const METRICS: [MetricInfo; 5] = [
    MetricInfo {
        id: "deployment-frequency",
        label: "Deployments a week",
        unit: "per week",
        higher_is_better: true,
    },
    MetricInfo {
        id: "lead-time",
        label: "Lead time for changes (median)",
        unit: "h",
        higher_is_better: false,
    },
    MetricInfo {
        id: "change-failure-rate",
        label: "Change failure rate",
        unit: "%",
        higher_is_better: false,
    },
    MetricInfo {
        id: "time-to-restore",
        label: "Time to restore (median)",
        unit: "h",
        higher_is_better: false,
    },
    MetricInfo {
        id: "first-review",
        label: "Time to first review (median)",
        unit: "h",
        higher_is_better: false,
    },
];

/// The value of metric `id` in a report, in the unit [`METRICS`] names.
pub fn metric_value(b: &Baseline, id: &str) -> Option<f64> {
    let v = match id {
        "deployment-frequency" => b.deploys_per_week(),
        "lead-time" => b.lead_time_median(),
        "change-failure-rate" => b.failure_rate().map(|r| r * 100.0),
        "time-to-restore" => b.restore_median(),
        "first-review" => b.first_review_median(),
        _ => None,
    };
    v.map(|v| (v * 100.0).round() / 100.0)
}

/// The hire of an opening, as the viewer may see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HireView {
    /// The candidate's id, when the viewer may see the candidate.
    pub candidate: Option<CandidateId>,
    /// The name; for an erased hire the erased name, and for a hire the viewer
    /// may not see, `None`.
    pub name: Option<String>,
    pub erased: bool,
    /// The start date, when the viewer may read the offers.
    pub start_date: Option<Date>,
}

/// One snapshot on the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotView {
    pub id: i64,
    /// `delivery` or `prs`.
    pub kind: String,
    pub source: String,
    pub created_at: Timestamp,
    /// The end of the window the report measured, else when it was saved.
    pub measured_at: Timestamp,
    /// The first snapshot of its kind: part of the baseline.
    pub baseline: bool,
    /// Each metric of [`METRICS`] (by id) and its value in this report.
    pub values: Vec<(&'static str, Option<f64>)>,
    /// Months from the hire's start date to `measured_at` (none without a
    /// start date; then core reads the time between the reports' windows).
    pub months_elapsed: Option<f64>,
    /// A later `delivery` snapshot against the baseline and the framework's
    /// targets (core's `compare`, as `metrics compare` prints it).
    pub comparison: Option<Comparison>,
}

/// One point of a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub snapshot: i64,
    pub at: Timestamp,
    pub value: f64,
}

/// One metric over the snapshots that measured it, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub metric: MetricInfo,
    pub points: Vec<TrendPoint>,
}

/// A reminder due or sent (admins).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReminderView {
    pub months: u32,
    pub due: Date,
    pub sent_at: Option<Timestamp>,
}

/// An opening's delivery outcome, as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomesView {
    pub opening: OpeningRecord,
    pub hires: Vec<HireView>,
    /// The framework's horizon for its targets, in months.
    pub horizon_months: u32,
    /// Whether the months elapsed are counted from a hire's start date.
    pub counted_from_start: bool,
    /// Oldest first.
    pub snapshots: Vec<SnapshotView>,
    /// One per metric of [`METRICS`], in that order (a metric never measured
    /// has no points).
    pub trends: Vec<Trend>,
    /// The repository snapshots are read from (admins only).
    pub repository: Option<RepoRecord>,
    /// The outcome reminders of the hire with a start date (admins only).
    pub reminders: Vec<ReminderView>,
    /// The viewer may upload, set the repository and take snapshots.
    pub may_manage: bool,
    /// This server can read repositories (a [`HistoryReader`] was supplied).
    pub reads_repositories: bool,
}

/// A deployment-records upload, with optional incidents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeploysUpload {
    pub deployments: Upload,
    pub incidents: Option<Upload>,
}

/// Months (of 30.436875 days, as core counts them) from the start of `start`
/// (UTC) to `at`, two decimals, never below zero.
pub fn months_since(start: Date, at: Timestamp) -> f64 {
    let from = start
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(at, |z| z.timestamp());
    let months = at.duration_since(from).as_secs_f64() / (30.436_875 * 86_400.0);
    (months.max(0.0) * 100.0).round() / 100.0
}

/// The day `months` after `start`.
pub fn milestone(start: Date, months: u32) -> Option<Date> {
    start
        .checked_add(Span::new().months(i64::from(months)))
        .ok()
}

fn measured_at(s: &SnapshotRecord, b: &Baseline) -> Timestamp {
    b.window
        .as_ref()
        .and_then(|w| w.until)
        .unwrap_or(s.created_at)
}

/// The text of an uploaded file, within the input cap; problems name `field`.
fn upload_text(field: &str, upload: &Upload) -> AppResult<String> {
    check_input("the upload", field, upload.bytes.len())?;
    if upload.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::field(
            "the upload",
            field,
            "choose a file to upload (the one chosen is empty)",
        ));
    }
    String::from_utf8(upload.bytes.clone()).map_err(|_| {
        AppError::field(
            "the upload",
            field,
            "is not text (UTF-8): upload the JSON or CSV file as exported",
        )
    })
}

/// What a snapshot says it was made from, within the short-text limit.
fn source_of(prefix: &str, name: &str) -> String {
    let name = name.trim();
    let text = if name.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix} {name}")
    };
    text.chars().take(MAX_SHORT_CHARS).collect()
}

fn check_setting(setting: &RepoSetting) -> AppResult<RepoSetting> {
    let mut problems = Vec::new();
    let path = setting.path.trim().to_string();
    if path.is_empty() {
        problems.push(FieldProblem::new(
            "path",
            "name the repository's path on the server",
        ));
    } else if path.chars().count() > MAX_PATH_CHARS || path.chars().any(char::is_control) {
        problems.push(FieldProblem::new(
            "path",
            format!("a path is one line of at most {MAX_PATH_CHARS} characters"),
        ));
    }
    let (field, value) = match &setting.deploy {
        DeployRule::Tags(g) => ("deploy_tags", g.trim().to_string()),
        DeployRule::Branch(b) => ("deploy_branch", b.trim().to_string()),
    };
    if value.is_empty() {
        problems.push(FieldProblem::new(
            field,
            "say how deployments are marked: a tag pattern such as v* or a branch name",
        ));
    } else if value.chars().count() > MAX_SHORT_CHARS || value.chars().any(char::is_control) {
        problems.push(FieldProblem::new(
            field,
            format!("one line of at most {MAX_SHORT_CHARS} characters"),
        ));
    }
    AppError::check("the repository", problems)?;
    Ok(RepoSetting {
        path,
        deploy: match &setting.deploy {
            DeployRule::Tags(_) => DeployRule::Tags(value),
            DeployRule::Branch(_) => DeployRule::Branch(value),
        },
    })
}

impl App {
    /// Let the app read repositories through `reader` (see [`HistoryReader`]).
    pub fn with_history(mut self, reader: Arc<dyn HistoryReader>) -> App {
        self.history = Some(reader);
        self
    }

    /// Whether this app can read repositories.
    pub fn reads_repositories(&self) -> bool {
        self.history.is_some()
    }

    /// An opening's delivery outcome: the baseline, each later snapshot judged
    /// against the targets, a trend per metric (any signed-in account; see the
    /// module's documentation for what each viewer sees).
    pub async fn outcomes(&self, account: &Account, opening: OpeningId) -> AppResult<OutcomesView> {
        let record = self.opening(account, opening).await?;
        let snapshots = self.store.snapshots(opening).await?;
        let base = baseline(&snapshots).map_err(|e| {
            AppError::Conflict(format!("{e}; save it again with `multiplier metrics save`"))
        })?;
        let mut hires = Vec::new();
        let mut start: Option<Date> = None;
        for h in self.store.hires(Some(opening)).await? {
            if let Some(d) = h.start_date {
                start = Some(start.map_or(d, |s: Date| s.min(d)));
            }
            hires.push(self.hire_view(account, &h).await?);
        }
        let targets = &self.framework.delivery.targets;
        let mut seen: Vec<&str> = Vec::new();
        let mut views = Vec::new();
        for s in &snapshots {
            let body: Baseline = serde_json::from_value(s.body.clone()).map_err(|e| {
                AppError::Conflict(format!(
                    "snapshot {} is not a metrics report ({e}); save it again with `multiplier metrics save`",
                    s.id
                ))
            })?;
            let first = !seen.contains(&s.kind.as_str());
            if first {
                seen.push(&s.kind);
            }
            let at = measured_at(s, &body);
            let months_elapsed = start.map(|d| months_since(d, at));
            let comparison = (!first && s.kind == "delivery")
                .then(|| compare(&base, &body, targets, months_elapsed));
            views.push(SnapshotView {
                id: s.id,
                kind: s.kind.clone(),
                source: s.source.clone(),
                created_at: s.created_at,
                measured_at: at,
                baseline: first,
                values: METRICS
                    .iter()
                    .map(|m| (m.id, metric_value(&body, m.id)))
                    .collect(),
                months_elapsed,
                comparison,
            });
        }
        let trends = METRICS
            .iter()
            .map(|m| Trend {
                metric: *m,
                points: views
                    .iter()
                    .filter_map(|v| {
                        let value = v.values.iter().find(|(id, _)| *id == m.id)?.1?;
                        Some(TrendPoint {
                            snapshot: v.id,
                            at: v.measured_at,
                            value,
                        })
                    })
                    .collect(),
            })
            .collect();
        let admin = account.is_admin();
        let (repository, reminders) = if admin {
            let sent = self.store.outcome_reminders(Some(opening)).await?;
            let hire = self
                .store
                .hires(Some(opening))
                .await?
                .into_iter()
                .filter(|h| !h.erased)
                .find_map(|h| h.start_date.map(|d| (h.candidate, d)));
            let reminders = hire
                .map(|(candidate, d)| {
                    OUTCOME_MONTHS
                        .iter()
                        .filter_map(|m| {
                            Some(ReminderView {
                                months: *m,
                                due: milestone(d, *m)?,
                                sent_at: sent
                                    .iter()
                                    .find(|r| r.candidate == candidate && r.months == *m)
                                    .map(|r| r.sent_at),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            (self.store.repository(opening).await?, reminders)
        } else {
            (None, Vec::new())
        };
        Ok(OutcomesView {
            opening: record,
            hires,
            horizon_months: targets.horizon_months,
            counted_from_start: start.is_some(),
            snapshots: views,
            trends,
            repository,
            reminders,
            may_manage: admin,
            reads_repositories: self.reads_repositories(),
        })
    }

    async fn hire_view(
        &self,
        account: &Account,
        h: &multiplier_store::HireRecord,
    ) -> AppResult<HireView> {
        if h.erased {
            return Ok(HireView {
                candidate: None,
                name: Some(erased_name(h.candidate)),
                erased: true,
                start_date: None,
            });
        }
        match self.subject(account, h.candidate).await {
            Ok(s) => Ok(HireView {
                candidate: Some(h.candidate),
                name: Some(s.candidate.name.clone()),
                erased: false,
                start_date: h.start_date.filter(|_| s.sight.sees_offers()),
            }),
            Err(AppError::NotFound(_)) => Ok(HireView {
                candidate: None,
                name: None,
                erased: false,
                start_date: None,
            }),
            Err(e) => Err(e),
        }
    }

    /// Measure uploaded deployment records (and incidents) as `metrics
    /// deploys` does and save the report as a `delivery` snapshot (hiring
    /// managers). A file that cannot be read is a 422 on its field.
    pub async fn upload_deployments(
        &self,
        account: &Account,
        opening: OpeningId,
        upload: DeploysUpload,
    ) -> AppResult<SnapshotRecord> {
        require_admin(account, "save delivery measurements")?;
        self.opening(account, opening).await?;
        let deployments = upload_text("deployments", &upload.deployments)?;
        let incidents = upload
            .incidents
            .as_ref()
            .filter(|u| !u.bytes.is_empty())
            .map(|u| upload_text("incidents", u))
            .transpose()?;
        let dora = self.framework.delivery.dora.clone();
        let names = (
            upload.deployments.file_name.clone(),
            upload
                .incidents
                .as_ref()
                .map(|u| u.file_name.clone())
                .unwrap_or_default(),
        );
        let (d_name, i_name) = names.clone();
        let body = self
            .off_runtime(move || {
                let records = input::deployments(&d_name, &deployments)
                    .map_err(|e| AppError::field("the upload", "deployments", e.to_string()))?;
                let incidents = match incidents {
                    Some(text) => input::incidents(&i_name, &text)
                        .map_err(|e| AppError::field("the upload", "incidents", e.to_string()))?,
                    None => Vec::new(),
                };
                let report = delivery::report(
                    &records.deployments,
                    &[],
                    &incidents,
                    Window::default(),
                    &dora,
                )
                .map_err(|e| AppError::field("the upload", "deployments", e.to_string()))?;
                serde_json::to_value(&report)
                    .map_err(|e| AppError::Internal(format!("cannot encode the report: {e}")))
            })
            .await?;
        let source = if names.1.trim().is_empty() {
            source_of("upload", &names.0)
        } else {
            source_of(
                "upload",
                &format!("{} + {}", names.0.trim(), names.1.trim()),
            )
        };
        self.save_snapshot(account, opening, &source, &body).await
    }

    /// Measure an uploaded pull-request export as `metrics prs` does and save
    /// the report as a `prs` snapshot (hiring managers).
    pub async fn upload_prs(
        &self,
        account: &Account,
        opening: OpeningId,
        upload: Upload,
    ) -> AppResult<SnapshotRecord> {
        require_admin(account, "save delivery measurements")?;
        self.opening(account, opening).await?;
        let text = upload_text("prs", &upload)?;
        let name = upload.file_name.clone();
        let body = self
            .off_runtime(move || {
                let prs = input::pull_requests(&name, &text)
                    .map_err(|e| AppError::field("the upload", "prs", e.to_string()))?;
                if prs.is_empty() {
                    return Err(AppError::field(
                        "the upload",
                        "prs",
                        "holds no pull requests (drafts are left out)",
                    ));
                }
                serde_json::to_value(delivery::pr_report(&prs))
                    .map_err(|e| AppError::Internal(format!("cannot encode the report: {e}")))
            })
            .await?;
        self.save_snapshot(
            account,
            opening,
            &source_of("upload", &upload.file_name),
            &body,
        )
        .await
    }

    /// Set or (with `None`) clear the repository an opening's snapshots are
    /// read from (hiring managers). The path is not opened here: a snapshot
    /// says when it cannot be read.
    pub async fn set_repository(
        &self,
        account: &Account,
        opening: OpeningId,
        setting: Option<&RepoSetting>,
    ) -> AppResult<Option<RepoRecord>> {
        require_admin(account, "set an opening's repository")?;
        self.opening(account, opening).await?;
        let checked = setting.map(check_setting).transpose()?;
        self.store
            .set_repository(&account.name, opening, checked.as_ref())
            .await?;
        Ok(self.store.repository(opening).await?)
    }

    /// The opening's repository (hiring managers).
    pub async fn repository(
        &self,
        account: &Account,
        opening: OpeningId,
    ) -> AppResult<Option<RepoRecord>> {
        require_admin(account, "read an opening's repository")?;
        self.opening(account, opening).await?;
        Ok(self.store.repository(opening).await?)
    }

    /// Read the opening's repository for the window from `since` (default:
    /// [`SNAPSHOT_DAYS`] before `now`) to `now`, measure it as `metrics git`
    /// does and save a `delivery` snapshot (hiring managers). The read runs off
    /// the async runtime.
    pub async fn take_snapshot(
        &self,
        account: &Account,
        opening: OpeningId,
        since: Option<Timestamp>,
        now: Timestamp,
    ) -> AppResult<SnapshotRecord> {
        require_admin(account, "save delivery measurements")?;
        self.opening(account, opening).await?;
        let Some(repo) = self.store.repository(opening).await? else {
            return Err(AppError::Conflict(format!(
                "opening {opening} has no repository; set one first (`multiplier opening set-repo {opening} PATH --deploy-tags GLOB`)"
            )));
        };
        let Some(reader) = self.history.clone() else {
            return Err(AppError::Conflict(
                "this server cannot read git repositories; take the snapshot with `multiplier metrics snapshot`".into(),
            ));
        };
        let since = since.unwrap_or(now - SignedDuration::from_hours(24 * SNAPSHOT_DAYS));
        if since >= now {
            return Err(AppError::field(
                "the snapshot",
                "since",
                "must be before now",
            ));
        }
        let dora = self.framework.delivery.dora.clone();
        let setting = repo.setting.clone();
        let body = self
            .off_runtime(move || {
                let history = reader.read(&setting, Some(since)).map_err(|e| {
                    AppError::Conflict(format!("cannot read {}: {e}", setting.path))
                })?;
                let report = delivery::report(
                    &history.deployments,
                    &history.undeployed,
                    &[],
                    Window {
                        since: Some(since),
                        until: Some(now),
                    },
                    &dora,
                )
                .map_err(|e| AppError::Conflict(format!("{}: {e}", setting.path)))?;
                serde_json::to_value(&report)
                    .map_err(|e| AppError::Internal(format!("cannot encode the report: {e}")))
            })
            .await?;
        self.save_snapshot(
            account,
            opening,
            &source_of("git", &repo.setting.path),
            &body,
        )
        .await
    }

    /// Queue the outcome reminders due at `now`: 6 and 12 months after each
    /// hire's start date, to the opening's hiring manager and every admin with
    /// an address, each milestone once however often this runs or on how many
    /// servers (the milestone is recorded in the transaction that queues the
    /// message). A scan that finds both milestones due sends one message, about
    /// the later. A hire whose people have no address waits for the next scan.
    /// Returns how many hires were reminded.
    pub async fn queue_outcome_reminders(&self, now: Timestamp) -> AppResult<usize> {
        let today = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let sent = self.store.outcome_reminders(None).await?;
        let users = self.store.users().await?;
        let mut reminded = 0;
        for h in self.store.hires(None).await? {
            let Some(start) = h.start_date.filter(|_| !h.erased) else {
                continue;
            };
            let due: Vec<u32> = OUTCOME_MONTHS
                .iter()
                .copied()
                .filter(|m| milestone(start, *m).is_some_and(|d| d <= today))
                .filter(|m| {
                    !sent
                        .iter()
                        .any(|r| r.candidate == h.candidate && r.months == *m)
                })
                .collect();
            let Some(months) = due.iter().max().copied() else {
                continue;
            };
            let Some(opening) = self.store.opening(h.opening).await? else {
                continue;
            };
            let mut to: Vec<(String, String)> = Vec::new();
            for u in &users {
                let wanted = u.name == opening.manager || u.role == AccountRole::Admin;
                if let (true, true, Some(email)) = (wanted, u.is_active(), &u.email)
                    && !to.iter().any(|(_, e)| e == email)
                {
                    to.push((u.name.clone(), email.clone()));
                }
            }
            if to.is_empty() {
                continue;
            }
            let link = self.url(&format!("/openings/{}/outcomes", opening.id));
            let due_day = milestone(start, months)
                .map(|d| d.to_string())
                .unwrap_or_default();
            let mail: Vec<NewMessage> = to
                .iter()
                .map(|(name, email)| {
                    let mut m = self.compose(
                        "outcome-reminder",
                        Some(h.candidate),
                        (name, email),
                        &[
                            ("recipient", name),
                            ("opening", &opening.title),
                            ("manager", &opening.manager),
                            ("months", &months.to_string()),
                            ("start", &start.to_string()),
                            ("due", &due_day),
                            ("link", &link),
                        ],
                    )?;
                    m.dedupe_key = Some(format!("outcome:{}:{months}:{name}", h.candidate));
                    Ok(m)
                })
                .collect::<AppResult<_>>()?;
            let queued = self
                .store
                .queue_outcome_reminder(
                    "mail worker",
                    &NewReminder {
                        candidate: h.candidate,
                        opening: h.opening,
                        months: due,
                        mail,
                    },
                )
                .await?;
            if queued {
                reminded += 1;
            }
        }
        Ok(reminded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_counted_from_the_start_of_the_start_day() {
        let start = jiff::civil::date(2026, 1, 1);
        let t: Timestamp = "2026-07-02T12:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(months_since(start, t), 6.0);
        let before: Timestamp = "2025-12-01T00:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(months_since(start, before), 0.0);
    }

    #[test]
    fn milestones_fall_on_the_same_day_of_a_later_month() {
        let start = jiff::civil::date(2026, 8, 31);
        assert_eq!(milestone(start, 6), Some(jiff::civil::date(2027, 2, 28)));
        assert_eq!(milestone(start, 12), Some(jiff::civil::date(2027, 8, 31)));
    }

    #[test]
    fn metric_values_come_in_the_page_units() {
        let b = Baseline::from_json(
            r#"{"deployments_per_week": 2.345, "change_failure_rate": 0.25, "lead_time_hours": {"median": 10}}"#,
        )
        .unwrap_or_default();
        assert_eq!(metric_value(&b, "deployment-frequency"), Some(2.35));
        assert_eq!(metric_value(&b, "change-failure-rate"), Some(25.0));
        assert_eq!(metric_value(&b, "lead-time"), Some(10.0));
        assert_eq!(metric_value(&b, "time-to-restore"), None);
    }
}
