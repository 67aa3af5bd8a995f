//! MaintenanceStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl MaintenanceStore for PgStore {
    async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        Err(super::unported("verify_audit"))
    }
    async fn backup(&self, _out: &std::path::Path) -> Result<(), StoreError> {
        Err(super::unported("backup"))
    }
    async fn checkpoint(&self) -> Result<(), StoreError> {
        Err(super::unported("checkpoint"))
    }
}
