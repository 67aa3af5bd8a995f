//! Roles and openings: storing a role defined through intake, opening it for
//! hiring, the list of openings and an opening's pipeline board.

use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::{App, Sight, require_admin};
use multiplier_core::Role;
use multiplier_core::delivery::Baseline;
use multiplier_core::pipeline::{Column, board};
use multiplier_store::{
    CandidateRecord, HiringStore, OpeningId, OpeningRecord, RoleId, RoleRecord, RoleStore,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// An opening with the number of its candidates the viewer may see.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningSummary {
    pub opening: OpeningRecord,
    pub candidates: usize,
}

/// One candidate on the board, as the viewer may see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardCard {
    /// The e-mail address is left out for viewers who may not see it.
    pub candidate: CandidateRecord,
    /// Scorecards in: one per interviewer and stage, whatever the versions.
    pub scorecards: usize,
    /// Red flags raised, by id; `None` while the blind rule hides them.
    pub red_flags: Option<BTreeSet<String>>,
    /// The same flags with title, severity and state; `None` while hidden.
    pub flags: Option<Vec<multiplier_core::pipeline::FlagBadge>>,
    /// Why the viewer may not read others' judgements on this candidate yet.
    pub blind: Option<String>,
}

/// An opening's candidates grouped by stage, in the framework's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardView {
    pub opening: OpeningRecord,
    pub columns: Vec<Column<BoardCard>>,
}

/// The candidate with what this viewer may not see of them removed.
pub(crate) fn shaped(mut c: CandidateRecord, sight: &Sight) -> CandidateRecord {
    if !sight.sees_email() {
        c.email = None;
    }
    c
}

/// Every text of a role within the limits: its title short, its answers and
/// context as any text field.
fn role_limits(role: &Role) -> AppResult<()> {
    let mut problems = Vec::new();
    crate::limits::walk_value(&mut problems, role, &["title"])?;
    AppError::check("the role", problems)
}

impl App {
    /// Store a role defined through intake (hiring managers).
    pub async fn add_role(&self, account: &Account, role: &Role) -> AppResult<RoleId> {
        require_admin(account, "store roles")?;
        role_limits(role)?;
        Ok(self.store.add_role(&account.name, role).await?)
    }

    /// Store a role and open it for hiring at once (hiring managers). The hiring
    /// manager is the acting account unless another account is named.
    pub async fn open_role(
        &self,
        account: &Account,
        role: &Role,
        manager: Option<&str>,
    ) -> AppResult<(RoleId, OpeningId)> {
        require_admin(account, "open a role for hiring")?;
        role_limits(role)?;
        let manager = self.manager(account, manager).await?;
        Ok(self.store.open_role(&account.name, role, &manager).await?)
    }

    /// Open a stored role for hiring (hiring managers); the title defaults to the
    /// role's.
    pub async fn open_opening(
        &self,
        account: &Account,
        role: RoleId,
        title: Option<&str>,
        manager: Option<&str>,
    ) -> AppResult<OpeningId> {
        require_admin(account, "open a role for hiring")?;
        let record = self
            .store
            .role(role)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("there is no role {role}")))?;
        let manager = self.manager(account, manager).await?;
        let title = crate::filled(title).unwrap_or(record.title);
        AppError::check(
            "the opening",
            crate::limits::longer_than("title", &title, crate::limits::MAX_SHORT_CHARS)
                .into_iter()
                .collect(),
        )?;
        Ok(self
            .store
            .add_opening(&account.name, role, &title, &manager)
            .await?)
    }

    /// The hiring manager named, which must be an account; the actor by default.
    async fn manager(&self, account: &Account, manager: Option<&str>) -> AppResult<String> {
        match crate::filled(manager) {
            None => Ok(account.name.clone()),
            Some(name) => match self.account(&name).await? {
                Some(a) => Ok(a.name),
                None => Err(AppError::Invalid {
                    what: "the opening".into(),
                    problems: vec![FieldProblem::new(
                        "manager",
                        format!("there is no account called `{name}` to own the loop"),
                    )],
                }),
            },
        }
    }

    /// Every stored role (any signed-in account: roles hold no personal data).
    pub async fn roles(&self, _account: &Account) -> AppResult<Vec<RoleRecord>> {
        Ok(self.store.roles().await?)
    }

    pub async fn role(&self, _account: &Account, id: RoleId) -> AppResult<RoleRecord> {
        self.store
            .role(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("there is no role {id}")))
    }

    /// A stored role read against the framework in use (any signed-in
    /// account); a role the framework no longer accepts is a conflict that says so.
    pub async fn stored_role(&self, account: &Account, id: RoleId) -> AppResult<Role> {
        let record = self.role(account, id).await?;
        record.role(&self.framework).map_err(|e| {
            AppError::Conflict(format!(
                "the stored role {} no longer fits the framework in use: {e}",
                record.id
            ))
        })
    }

    /// What the job-description writer needs for an opening: the role it hires
    /// for, read against the framework in use, and the team's baseline (the
    /// first snapshot of each kind, merged; empty when none is saved). Any
    /// signed-in account: roles and team numbers hold no personal data.
    pub async fn opening_role(
        &self,
        account: &Account,
        id: OpeningId,
    ) -> AppResult<(Role, Baseline)> {
        let opening = self.opening(account, id).await?;
        let role = self.stored_role(account, opening.role).await?;
        Ok((role, self.baseline(account, id).await?))
    }

    /// One opening (any signed-in account).
    pub async fn opening(&self, _account: &Account, id: OpeningId) -> AppResult<OpeningRecord> {
        self.store
            .opening(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("there is no opening {id}")))
    }

    /// Every opening with the number of candidates the viewer may see in it.
    pub async fn openings(&self, account: &Account) -> AppResult<Vec<OpeningSummary>> {
        let visible = self.visible_candidates(account, None).await?;
        Ok(self
            .store
            .openings()
            .await?
            .into_iter()
            .map(|opening| OpeningSummary {
                candidates: visible
                    .iter()
                    .filter(|(c, _)| c.opening == opening.id)
                    .count(),
                opening,
            })
            .collect())
    }

    /// The candidates of one opening (or all) that `account` may see, with where
    /// it stands on each.
    pub(crate) async fn visible_candidates(
        &self,
        account: &Account,
        opening: Option<OpeningId>,
    ) -> AppResult<Vec<(CandidateRecord, Sight)>> {
        let mut out = Vec::new();
        for c in self.store.candidates(opening).await? {
            let assignments = self.store.assignments(c.id).await?;
            if !account.is_admin() && !assignments.iter().any(|a| a.interviewer == account.name) {
                continue;
            }
            let cards = self.store.scorecards(c.id).await?;
            let sight = Sight::of(account, &assignments, &cards);
            out.push((c, sight));
        }
        Ok(out)
    }

    /// The opening's board: its visible candidates by stage, with how many
    /// scorecards are in and, when the viewer may read them, the red flags raised.
    pub async fn board(&self, account: &Account, id: OpeningId) -> AppResult<BoardView> {
        let opening = self.opening(account, id).await?;
        let mut cards = Vec::new();
        for (candidate, sight) in self.visible_candidates(account, Some(id)).await? {
            let records = self.store.scorecards(candidate.id).await?;
            let scorecards = records
                .iter()
                .map(|r| (&r.card.stage, &r.card.interviewer))
                .collect::<BTreeSet<_>>()
                .len();
            let red_flags = sight.sees_others_scorecards().then(|| {
                records
                    .iter()
                    .flat_map(|r| r.card.red_flags.iter().map(|f| f.id.clone()))
                    .collect()
            });
            let flags = if sight.sees_others_scorecards() {
                let plain: Vec<_> = records.iter().map(|r| r.card.clone()).collect();
                let resolutions = self.store.resolutions(candidate.id).await?;
                let d =
                    multiplier_core::pipeline::debrief(&self.framework, &plain, &[], &resolutions);
                Some(d.red_flags.iter().map(|f| f.badge()).collect())
            } else {
                None
            };
            cards.push(BoardCard {
                candidate: shaped(candidate, &sight),
                scorecards,
                red_flags,
                flags,
                blind: sight.blind.clone(),
            });
        }
        Ok(BoardView {
            opening,
            columns: board(&self.framework, cards, |c| c.candidate.stage.as_str()),
        })
    }
}
