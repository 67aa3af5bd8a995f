//! Reading the audit log: who did what, when. Every write appends to it in its
//! own transaction; reading it is for hiring managers.

use crate::actor::Account;
use crate::error::AppResult;
use crate::{App, require_admin};
use multiplier_store::{AuditEntry, AuditFilter, HiringStore};

impl App {
    /// The audit entries matching `filter` (hiring managers).
    pub async fn audit_log(
        &self,
        account: &Account,
        filter: &AuditFilter,
    ) -> AppResult<Vec<AuditEntry>> {
        require_admin(account, "read the audit log")?;
        Ok(self.store.audit(filter).await?)
    }
}
