//! Reading the audit log: who did what, when. Every write appends to it in its
//! own transaction; reading it is for hiring managers.

use crate::actor::Account;
use crate::error::{AppError, AppResult};
use crate::lists::{Page, PageRequest, after, limit_of, split_page};
use crate::{App, require_admin};
use multiplier_store::{AuditEntry, AuditFilter, HiringStore};

/// The cursor kind of audit pages read oldest first…
const OLDEST_FIRST: &str = "audit";
/// …and of those read newest first: a cursor of one order is refused by the
/// other, as it would skip or repeat entries there.
const NEWEST_FIRST: &str = "audit-newest";

impl App {
    /// The audit entries matching `filter` (hiring managers), all of them.
    pub async fn audit_log(
        &self,
        account: &Account,
        filter: &AuditFilter,
    ) -> AppResult<Vec<AuditEntry>> {
        require_admin(account, "read the audit log")?;
        Ok(self.store.audit(filter).await?)
    }

    /// One page of the audit entries matching `filter` (hiring managers), in
    /// the order `filter.newest_first` asks, keyset-paged on the entry id in
    /// SQL. `filter`'s own `limit`, `after` and `before` are ignored: the page
    /// request sets them. A page size outside 1–200 is a problem on `limit`; a
    /// cursor that is not one of this order's is a problem on `cursor`.
    pub async fn audit_page(
        &self,
        account: &Account,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> AppResult<Page<AuditEntry>> {
        require_admin(account, "read the audit log")?;
        let kind = if filter.newest_first {
            NEWEST_FIRST
        } else {
            OLDEST_FIRST
        };
        let mut problems = Vec::new();
        let limit = limit_of(page, &mut problems);
        let from = after(kind, page, &mut problems);
        AppError::check("the audit log page", problems)?;
        let mut f = filter.clone();
        f.limit = Some(limit + 1);
        // Always bounded on the id, so the first page walks the primary key
        // from its end like every other page.
        if filter.newest_first {
            f.before = Some(from.unwrap_or(i64::MAX));
            f.after = None;
        } else {
            f.after = Some(from.unwrap_or(0));
            f.before = None;
        }
        let entries = self.store.audit(&f).await?;
        let (rows, next) = split_page(kind, entries, limit, |e| e.id);
        Ok(Page { rows, next })
    }
}
