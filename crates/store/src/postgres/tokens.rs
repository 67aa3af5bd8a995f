//! TokenStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl TokenStore for PgStore {
    async fn create_token(
        &self,
        _actor: &str,
        _token: &NewToken,
    ) -> Result<TokenRecord, StoreError> {
        Err(super::unported("create_token"))
    }
    async fn tokens(&self, _account: Option<&str>) -> Result<Vec<TokenRecord>, StoreError> {
        Err(super::unported("tokens"))
    }
    async fn revoke_token(&self, _actor: &str, _id: i64) -> Result<TokenRecord, StoreError> {
        Err(super::unported("revoke_token"))
    }
    async fn live_token(
        &self,
        _hash: &TokenHash,
        _now: Timestamp,
    ) -> Result<Option<TokenRecord>, StoreError> {
        Err(super::unported("live_token"))
    }
    async fn token_used(
        &self,
        _id: i64,
        _at: Timestamp,
        _write: Option<&str>,
    ) -> Result<(), StoreError> {
        Err(super::unported("token_used"))
    }
}
