//! Roles and openings: storing a role defined through intake, opening it for
//! hiring, the list of openings and an opening's pipeline board.

use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::lists::{MAX_LIMIT, Page, PageRequest, limit_of, row_sight, split_page, viewer};
use crate::{App, Sight, require_admin};
use multiplier_core::Role;
use multiplier_core::delivery::Baseline;
use multiplier_store::{
    CandidateQuery, CandidateRecord, HiringStore, ListStore, OpeningId, OpeningRecord, RoleId,
    RoleRecord, RoleStore,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// An opening with the number of its candidates the viewer may see.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningSummary {
    pub opening: OpeningRecord,
    pub candidates: usize,
}

/// Who a card is about: what a board shows of a candidate (no contact
/// details; the candidate's page has the rest, for whoever may see it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardCandidate {
    pub id: multiplier_store::CandidateId,
    pub name: String,
    pub internal: bool,
    /// The stage id (the column's).
    pub stage: String,
}

/// One candidate on the board, as the viewer may see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardCard {
    pub candidate: BoardCandidate,
    /// Scorecards in: one per interviewer and stage, whatever the versions.
    pub scorecards: usize,
    /// Red flags raised, by id; `None` while the blind rule hides them.
    pub red_flags: Option<BTreeSet<String>>,
    /// The same flags with title, severity and state; `None` while hidden.
    pub flags: Option<Vec<multiplier_core::pipeline::FlagBadge>>,
    /// Why the viewer may not read others' judgements on this candidate yet.
    pub blind: Option<String>,
}

/// One stage of the board: how many candidates the viewer may see there, and
/// one page of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardColumn {
    /// The stage id.
    pub stage: String,
    /// The stage's name (the id again for a stage the framework no longer has).
    pub name: String,
    /// Every candidate at this stage the viewer may see.
    pub count: u64,
    /// One page of them, oldest first.
    pub items: Vec<BoardCard>,
    /// The cursor of this column's next page (`None` on its last).
    pub next: Option<String>,
}

/// Which page of which column of the board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardRequest {
    /// The stage whose column `page.cursor` moves on; the other columns show
    /// their first page.
    pub stage: Option<String>,
    pub page: PageRequest,
    /// By status: the current candidates unless asked otherwise.
    pub shown: crate::Shown,
}

/// An opening's candidates grouped by stage, in the framework's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardView {
    pub opening: OpeningRecord,
    pub columns: Vec<BoardColumn>,
    /// Cards per column on this board (the page size asked for).
    pub limit: u32,
}

/// The candidate with what this viewer may not see of them removed.
pub(crate) fn shaped(mut c: CandidateRecord, sight: &Sight) -> CandidateRecord {
    if !sight.sees_email() {
        c.email = None;
    }
    if !sight.sees_files() {
        c.links = None;
    }
    if !sight.sees_status_reason() {
        c.status_reason = None;
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

    /// Every opening but the archived ones, with the number of candidates the
    /// viewer may see in it (for choosers; the list itself is
    /// [`App::openings_page`]).
    pub async fn openings(&self, account: &Account) -> AppResult<Vec<OpeningSummary>> {
        self.openings_listed(account, false).await
    }

    /// Every opening that is not archived, oldest first, without counting its
    /// candidates: what a list to pick an opening from needs (the search, the
    /// reports, the job description and the audit log pages). Every account
    /// may pick any opening, as [`App::openings`] lists them all.
    pub async fn opening_choices(&self, _account: &Account) -> AppResult<Vec<OpeningRecord>> {
        let mut out: Vec<OpeningRecord> = Vec::new();
        loop {
            let after = out.last().map(|o| o.id);
            let found = self.store.opening_page(after, MAX_LIMIT + 1, false).await?;
            let (found, next) = split_page("openings", found, MAX_LIMIT, |o| o.id.0);
            out.extend(found);
            if next.is_none() {
                return Ok(out);
            }
        }
    }

    /// Every opening (archived ones too when `archived`), with the number of
    /// candidates the viewer may see in it.
    pub async fn openings_listed(
        &self,
        account: &Account,
        archived: bool,
    ) -> AppResult<Vec<OpeningSummary>> {
        let mut out = Vec::new();
        let mut page = PageRequest::first(MAX_LIMIT);
        loop {
            let p = self.openings_page(account, &page, archived).await?;
            out.extend(p.rows);
            match p.next {
                Some(next) => page.cursor = Some(next),
                None => return Ok(out),
            }
        }
    }

    /// One page of openings, oldest first, each with the number of candidates
    /// the viewer may see in it (counted in SQL).
    pub async fn openings_page(
        &self,
        account: &Account,
        page: &PageRequest,
        archived: bool,
    ) -> AppResult<Page<OpeningSummary>> {
        let mut problems = Vec::new();
        let limit = limit_of(page, &mut problems);
        let after = crate::lists::after("openings", page, &mut problems);
        AppError::check("the list of openings", problems)?;
        let found = self
            .store
            .opening_page(after.map(OpeningId), limit + 1, archived)
            .await?;
        let (found, next) = split_page("openings", found, limit, |o| o.id.0);
        let ids: Vec<OpeningId> = found.iter().map(|o| o.id).collect();
        let counts = self.store.opening_counts(&viewer(account), &ids).await?;
        let rows = found
            .into_iter()
            .map(|opening| OpeningSummary {
                candidates: counts
                    .get(&opening.id)
                    .map_or(0, |n| usize::try_from(*n).unwrap_or(usize::MAX)),
                opening,
            })
            .collect();
        Ok(Page { rows, next })
    }

    /// The opening's board: each stage's count of the candidates the viewer
    /// may see and the first page of them, with how many scorecards are in and,
    /// when the viewer may read them, the red flags raised.
    pub async fn board(&self, account: &Account, id: OpeningId) -> AppResult<BoardView> {
        self.board_page(account, id, &BoardRequest::default()).await
    }

    /// The board with the candidates `shown` picks by status (the ended ones
    /// — rejected, withdrawn, hired — leave the default board), first pages.
    pub async fn board_showing(
        &self,
        account: &Account,
        id: OpeningId,
        shown: crate::Shown,
    ) -> AppResult<BoardView> {
        let request = BoardRequest {
            shown,
            ..BoardRequest::default()
        };
        self.board_page(account, id, &request).await
    }

    /// The board with one stage's column moved on to the page `request` names.
    pub async fn board_page(
        &self,
        account: &Account,
        id: OpeningId,
        request: &BoardRequest,
    ) -> AppResult<BoardView> {
        let mut problems = Vec::new();
        let limit = limit_of(&request.page, &mut problems);
        let after = crate::lists::after("board", &request.page, &mut problems);
        AppError::check("the board", problems)?;
        let opening = self.opening(account, id).await?;
        self.refresh_summaries().await?;
        let mut query = CandidateQuery::new(viewer(account), limit + 1);
        query.opening = Some(id);
        query.ended = request.shown.ended();
        let counts = self.store.stage_counts(&query).await?;
        let mut stages: Vec<(String, String)> = self
            .framework
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        // A stage the framework no longer has keeps a column, so nobody
        // disappears from the board.
        for stage in counts.keys() {
            if !stages.iter().any(|(id, _)| id == stage) {
                stages.push((stage.clone(), stage.clone()));
            }
        }
        // Every non-empty column's page in one go (each from its own keyset),
        // then the red flags of every card on the board in one go.
        let wanted: Vec<(String, Option<multiplier_store::CandidateId>)> = stages
            .iter()
            .filter(|(stage, _)| counts.get(stage).is_some_and(|n| *n > 0))
            .map(|(stage, _)| {
                let from = after
                    .filter(|_| request.stage.as_deref() == Some(stage.as_str()))
                    .map(multiplier_store::CandidateId);
                (stage.clone(), from)
            })
            .collect();
        let mut found_pages = self.store.stage_pages(&query, &wanted).await?.into_iter();
        let mut pages = Vec::with_capacity(stages.len());
        for (stage, name) in stages {
            let count = counts.get(&stage).copied().unwrap_or(0);
            let mut found = Vec::new();
            let mut next = None;
            if count > 0 {
                let rows = found_pages.next().unwrap_or_default();
                (found, next) = split_page("board", rows, limit, |r| r.id.0);
            }
            pages.push((stage, name, count, found, next));
        }
        let badges = self
            .flag_badges(account, pages.iter().flat_map(|(_, _, _, found, _)| found))
            .await?;
        let mut columns = Vec::with_capacity(pages.len());
        for (stage, name, count, found, next) in pages {
            let mut items = Vec::new();
            for row in found {
                let sight = row_sight(account, &row);
                if !sight.sees_candidate() {
                    continue;
                }
                let red_flags = sight
                    .sees_others_scorecards()
                    .then(|| row.raised_flags.into_iter().collect());
                let flags = red_flags
                    .is_some()
                    .then(|| badges.get(&row.id).cloned().unwrap_or_default());
                items.push(BoardCard {
                    scorecards: row.scorecards as usize,
                    red_flags,
                    flags,
                    blind: sight.blind,
                    candidate: BoardCandidate {
                        id: row.id,
                        name: row.name,
                        internal: row.internal,
                        stage: row.stage,
                    },
                });
            }
            columns.push(BoardColumn {
                stage,
                name,
                count,
                items,
                next,
            });
        }
        Ok(BoardView {
            opening,
            columns,
            limit,
        })
    }
}
