//! AccountStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl AccountStore for PgStore {
    async fn add_user(
        &self,
        _actor: &str,
        _name: &str,
        _role: AccountRole,
        _password_hash: &str,
    ) -> Result<i64, StoreError> {
        Err(super::unported("add_user"))
    }
    async fn set_password(
        &self,
        _actor: &str,
        _name: &str,
        _password_hash: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("set_password"))
    }
    async fn set_display_name(
        &self,
        _actor: &str,
        _name: &str,
        _display: Option<&str>,
    ) -> Result<(), StoreError> {
        Err(super::unported("set_display_name"))
    }
    async fn set_role(
        &self,
        _actor: &str,
        _name: &str,
        _role: AccountRole,
    ) -> Result<(), StoreError> {
        Err(super::unported("set_role"))
    }
    async fn set_active(&self, _actor: &str, _name: &str, _active: bool) -> Result<(), StoreError> {
        Err(super::unported("set_active"))
    }
    async fn user(&self, _name: &str) -> Result<Option<UserRecord>, StoreError> {
        Err(super::unported("user"))
    }
    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        Err(super::unported("users"))
    }
    async fn save_session(
        &self,
        _id: &str,
        _account: Option<&str>,
        _data: &[u8],
        _expires_at: i64,
    ) -> Result<(), StoreError> {
        Err(super::unported("save_session"))
    }
    async fn create_session(
        &self,
        _id: &str,
        _account: Option<&str>,
        _data: &[u8],
        _expires_at: i64,
    ) -> Result<bool, StoreError> {
        Err(super::unported("create_session"))
    }
    async fn load_session(&self, _id: &str, _now: i64) -> Result<Option<Vec<u8>>, StoreError> {
        Err(super::unported("load_session"))
    }
    async fn delete_session(&self, _id: &str) -> Result<(), StoreError> {
        Err(super::unported("delete_session"))
    }
    async fn purge_sessions(&self, _now: i64) -> Result<u64, StoreError> {
        Err(super::unported("purge_sessions"))
    }
    async fn begin_sign_in(
        &self,
        _name: &str,
        _client: &str,
        _now: i64,
        _limits: SignInLimits,
    ) -> Result<Option<i64>, StoreError> {
        Err(super::unported("begin_sign_in"))
    }
    async fn end_sign_in(
        &self,
        _attempt: i64,
        _name: &str,
        _outcome: SignInOutcome,
    ) -> Result<(), StoreError> {
        Err(super::unported("end_sign_in"))
    }
    async fn purge_login_failures(&self, _before: i64) -> Result<u64, StoreError> {
        Err(super::unported("purge_login_failures"))
    }
}
