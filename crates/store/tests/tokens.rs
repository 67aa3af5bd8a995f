//! API tokens' persistence: found by their hash only while live, revoked once,
//! each write through one audited; on SQLite and, when
//! `MULTIPLIER_TEST_POSTGRES_URL` is set, on PostgreSQL.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::{SignedDuration, Timestamp};
use multiplier_store::{
    AccountRole, AccountStore, AuditFilter, HiringStore, NewToken, StoreError, TokenHash,
    TokenScope, TokenStore,
};

fn new_token(account: &str, token: &str) -> NewToken {
    NewToken {
        account: account.into(),
        label: "ci".into(),
        token_hash: TokenHash::of(token),
        scope: TokenScope::ReadOnly,
        expires_at: Timestamp::now() + SignedDuration::from_hours(24),
    }
}

multiplier_store::each_backend! {
    async fn a_token_is_found_while_live_and_revoked_once(db) {
        let store = db.open().await;
        store
            .add_user("op", "ana", AccountRole::Interviewer, "hash")
            .await
            .unwrap();
        let missing = store
            .create_token("hm", &new_token("nobody", "x"))
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");

        let token = store.create_token("hm", &new_token("ana", "tok")).await.unwrap();
        assert_eq!((token.account.as_str(), token.role), ("ana", AccountRole::Interviewer));
        assert_eq!(token.created_by, "hm");
        assert_eq!(store.tokens(Some("ana")).await.unwrap(), std::slice::from_ref(&token));
        assert_eq!(store.tokens(None).await.unwrap().len(), 1);
        assert!(store.tokens(Some("bo")).await.unwrap().is_empty());
        let now = Timestamp::now();
        let found = store.live_token(&TokenHash::of("tok"), now).await.unwrap();
        assert_eq!(found.map(|t| t.id), Some(token.id));
        assert!(store.live_token(&TokenHash::of("other"), now).await.unwrap().is_none());
        let later = token.expires_at + SignedDuration::from_secs(1);
        assert!(store.live_token(&TokenHash::of("tok"), later).await.unwrap().is_none());

        // A read notes the time; a write is audited in the account's name.
        store.token_used(token.id, now, None).await.unwrap();
        store.token_used(token.id, now, Some("POST /api/x")).await.unwrap();
        let missing = store.token_used(999, now, Some("POST /api/x")).await.unwrap_err();
        assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");

        let revoked = store.revoke_token("hm", token.id).await.unwrap();
        assert!(revoked.revoked_at.is_some());
        assert_eq!(revoked.last_used_at, Some(now));
        let again = store.revoke_token("hm", token.id).await.unwrap_err();
        assert!(matches!(again, StoreError::Refused(_)), "{again}");
        let missing = store.revoke_token("hm", 999).await.unwrap_err();
        assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");
        assert!(store.live_token(&TokenHash::of("tok"), now).await.unwrap().is_none());

        let trail: Vec<(String, String)> = store
            .audit(&AuditFilter::default())
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action.starts_with("token."))
            .map(|e| (e.actor, e.action))
            .collect();
        assert_eq!(
            trail,
            [
                ("hm".to_string(), "token.create".to_string()),
                ("ana".to_string(), "token.use".to_string()),
                ("hm".to_string(), "token.revoke".to_string()),
            ]
        );
        // Never the token nor its hash.
        for e in store.audit(&AuditFilter::default()).await.unwrap() {
            assert!(!e.detail.contains(TokenHash::of("tok").as_str()), "{}", e.detail);
        }
    }
}
