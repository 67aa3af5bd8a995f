//! Accounts, sessions, the sign-in limiter, rate hits, scan leases, the outbox
//! and interviews: one scenario per behaviour, on SQLite and (when
//! `MULTIPLIER_TEST_POSTGRES_URL` is set) on PostgreSQL.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::{SignedDuration, Timestamp};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::{Backend, TestDb};
use multiplier_store::{
    AccountRole, AccountStore, AttemptOutcome, CandidateId, InterviewChange, MailStore,
    MessageState, NewInterview, NewMessage, NewSlot, RateStore, RoleStore, Scan, ScanStore,
    SignInLimits, SignInOutcome, Store, StoreError,
};
use std::collections::BTreeSet;

/// One number from `sql`, read straight from the database (what the store's
/// API does not show: audit rows, raw counts).
async fn scalar(db: &TestDb, sql: &str) -> i64 {
    use sqlx::Connection;
    match db.backend() {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(db.location())
                .await
                .unwrap();
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(&mut c)
                .await
                .unwrap();
            n
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(db.location()).await.unwrap();
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(&mut c)
                .await
                .unwrap();
            n
        }
    }
}

/// A candidate to hang interviews and messages on. The opening comes through
/// the store (`open_role`); the candidate row is written directly, so these
/// scenarios do not wait for the hiring module on either backend.
async fn candidate(db: &TestDb, store: &Store) -> CandidateId {
    use sqlx::Connection;
    let fw = Framework::default_framework().unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(&fw, "x", &text).unwrap();
    let (_, opening) = store.open_role("hm", &role, "hm").await.unwrap();
    let sql = "INSERT INTO candidates (opening_id, name, stage, created_at) \
               VALUES ($1, 'Dana', 'screen', '2026-01-01T00:00:00Z') RETURNING id";
    let id: i64 = match db.backend() {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(db.location())
                .await
                .unwrap();
            sqlx::query_scalar(sql)
                .bind(opening.0)
                .fetch_one(&mut c)
                .await
                .unwrap()
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(db.location()).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(opening.0)
                .fetch_one(&mut c)
                .await
                .unwrap()
        }
    };
    CandidateId(id)
}

fn mail(n: usize, key: Option<&str>) -> NewMessage {
    NewMessage {
        kind: "assigned".into(),
        candidate: None,
        recipient: format!("p{n}@example.com"),
        recipient_name: format!("Person {n}"),
        subject: format!("Message {n}"),
        body: "Hello".into(),
        calendar: None,
        dedupe_key: key.map(str::to_string),
    }
}

fn limits(now: i64) -> SignInLimits {
    SignInLimits {
        since: now - 900,
        per_name: 3,
        per_client: 5,
    }
}

multiplier_store::each_backend! {
    async fn accounts_are_added_changed_and_refused_twice(db) {
        let store = db.open().await;
        let id = store.add_user("op", "sam", AccountRole::Interviewer, "h1").await.unwrap();
        store.add_user("op", "ana", AccountRole::Admin, "h0").await.unwrap();
        assert!(matches!(
            store.add_user("op", "sam", AccountRole::Admin, "h2").await,
            Err(StoreError::Refused(_))
        ));
        store.set_password("op", "sam", "h3").await.unwrap();
        store.set_role("op", "sam", AccountRole::Admin).await.unwrap();
        store.set_display_name("op", "sam", Some("Sam R.")).await.unwrap();
        store.set_active("op", "sam", false).await.unwrap();
        let sam = store.user("sam").await.unwrap().unwrap();
        assert_eq!(sam.id, id);
        assert_eq!(sam.password_hash, "h3");
        assert_eq!(sam.role, AccountRole::Admin);
        assert_eq!(sam.display_name.as_deref(), Some("Sam R."));
        assert!(sam.deactivated_at.is_some());
        store.set_active("op", "sam", true).await.unwrap();
        assert!(store.user("sam").await.unwrap().unwrap().deactivated_at.is_none());
        store.set_email("op", "sam", Some("sam@example.com")).await.unwrap();
        assert_eq!(
            store.user("sam").await.unwrap().unwrap().email.as_deref(),
            Some("sam@example.com")
        );
        let names: Vec<String> = store.users().await.unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["ana", "sam"]);
        assert!(store.user("nobody").await.unwrap().is_none());
        assert!(matches!(
            store.set_password("op", "nobody", "x").await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.set_email("op", "nobody", None).await,
            Err(StoreError::NotFound { .. })
        ));
        // Every change is audited, in one chain.
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM audit WHERE subject = 'user:1' OR subject = 'user:sam'").await, 7);
    }

    async fn a_session_reads_back_until_it_expires_and_changing_an_account_ends_it(db) {
        let store = db.open().await;
        store.add_user("op", "sam", AccountRole::Interviewer, "h").await.unwrap();
        assert!(store.create_session("s1", Some("sam"), b"one", 100).await.unwrap());
        assert!(!store.create_session("s1", None, b"other", 100).await.unwrap(), "ids are unique");
        assert!(store.create_session("s2", None, b"two", 50).await.unwrap());
        assert_eq!(store.load_session("s1", 10).await.unwrap().as_deref(), Some(&b"one"[..]));
        store.save_session("s1", Some("sam"), b"changed", 200).await.unwrap();
        assert_eq!(store.load_session("s1", 150).await.unwrap().as_deref(), Some(&b"changed"[..]));
        assert_eq!(store.load_session("s2", 50).await.unwrap(), None, "expired");
        assert_eq!(store.purge_sessions(60).await.unwrap(), 1);
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM sessions").await, 1);
        // A new password signs the account out everywhere.
        store.set_password("op", "sam", "h2").await.unwrap();
        assert_eq!(store.load_session("s1", 150).await.unwrap(), None);
        assert!(store.create_session("s3", None, b"x", 100).await.unwrap());
        store.delete_session("s3").await.unwrap();
        assert_eq!(store.load_session("s3", 10).await.unwrap(), None);
    }

    async fn the_sign_in_limiter_counts_failures_per_name_and_forgets_them_on_success(db) {
        let store = db.open().await;
        let now = 10_000;
        for client in ["a", "b", "c"] {
            let attempt = store.begin_sign_in("sam", client, now, limits(now)).await.unwrap();
            let attempt = attempt.expect("under the limit");
            store.end_sign_in(attempt, "sam", SignInOutcome::Rejected { user: None }).await.unwrap();
        }
        assert_eq!(store.begin_sign_in("sam", "d", now, limits(now)).await.unwrap(), None, "per name");
        // Outside the window the old failures no longer count.
        let later = now + 1000;
        let attempt = store.begin_sign_in("sam", "d", later, limits(later)).await.unwrap().unwrap();
        store.end_sign_in(attempt, "sam", SignInOutcome::Accepted { user: 1 }).await.unwrap();
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM login_failures WHERE name = 'sam'").await, 0);
        // Per client, across names.
        for name in ["a", "b", "c", "d", "e"] {
            assert!(store.begin_sign_in(name, "bot", now, limits(now)).await.unwrap().is_some());
        }
        assert_eq!(store.begin_sign_in("f", "bot", now, limits(now)).await.unwrap(), None, "per client");
        assert_eq!(store.purge_login_failures(now + 1).await.unwrap(), 5);
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM audit WHERE action = 'user.sign-in.failed'").await, 3);
    }

    async fn parallel_guesses_never_pass_the_limit(db) {
        let store = db.open().await;
        let now = 10_000;
        let mut tasks = Vec::new();
        for i in 0..12 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store.begin_sign_in("sam", &format!("c{i}"), now, limits(now)).await.unwrap()
            }));
        }
        let mut admitted = 0;
        for t in tasks {
            admitted += usize::from(t.await.unwrap().is_some());
        }
        assert_eq!(admitted, 3);
    }

    async fn rate_hits_are_admitted_up_to_the_limit_in_the_window(db) {
        let store = db.open().await;
        for _ in 0..3 {
            assert!(store.hit("apply:1.2.3.4", 1000, 1000 - 60, 3).await.unwrap());
        }
        assert!(!store.hit("apply:1.2.3.4", 1000, 1000 - 60, 3).await.unwrap());
        assert!(store.hit("apply:5.6.7.8", 1000, 1000 - 60, 3).await.unwrap(), "another bucket");
        // A refused hit is not recorded; the window moves on.
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM rate_hits").await, 4);
        assert!(store.hit("apply:1.2.3.4", 1060, 1000, 3).await.unwrap());
        assert_eq!(store.purge_rate_hits(1001).await.unwrap(), 4);
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM rate_hits").await, 1);
    }

    async fn rate_hits_from_two_stores_at_once_share_one_limit(db) {
        let a = db.open().await;
        let b = db.open().await;
        let mut tasks = Vec::new();
        for i in 0..10 {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                store.hit("apply:9.9.9.9", 5000, 4000, 4).await.unwrap()
            }));
        }
        let mut admitted = 0;
        for t in tasks {
            admitted += usize::from(t.await.unwrap());
        }
        assert_eq!(admitted, 4);
    }

    async fn one_server_at_a_time_holds_a_scan(db) {
        let a = db.open().await;
        let b = db.open().await;
        let lease = a.try_scan(Scan::Housekeeping).await.unwrap().expect("free");
        assert_eq!(lease.scan(), Scan::Housekeeping);
        let other = b.try_scan(Scan::Housekeeping).await.unwrap();
        let reminders = b.try_scan(Scan::Reminders).await.unwrap();
        assert!(reminders.is_some(), "another scan is not held up");
        match db.backend() {
            // One file is one machine: nothing to share.
            Backend::Sqlite => assert!(other.is_some()),
            Backend::Postgres => assert!(other.is_none(), "held by the first server"),
        }
        drop(other);
        drop(reminders);
        lease.release().await.unwrap();
        let held_by_b = b.try_scan(Scan::Housekeeping).await.unwrap();
        assert!(held_by_b.is_some(), "free once released");
        if db.backend() == Backend::Postgres {
            assert!(a.try_scan(Scan::Housekeeping).await.unwrap().is_none());
        }
        // A server that stops in the middle of a scan (its lease dropped, its
        // connections closed) leaves the scan free for the others.
        drop(held_by_b);
        b.close().await.unwrap();
        let after = a.try_scan(Scan::Housekeeping).await.unwrap();
        assert!(after.is_some(), "freed when its server went away");
    }

    async fn a_message_is_claimed_sent_and_not_retried_once_sent(db) {
        let store = db.open().await;
        let ids = store
            .enqueue("hm", "mail.test", "test", &[mail(1, Some("k1")), mail(2, None)])
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        let again = store.enqueue("hm", "mail.test", "test", &[mail(1, Some("k1"))]).await.unwrap();
        assert!(again.is_empty(), "the dedupe key holds");
        let now = Timestamp::now() + SignedDuration::from_secs(1);
        let lease = now + SignedDuration::from_secs(300);
        let first = store.claim_due(now, lease).await.unwrap().unwrap();
        assert_eq!((first.id, first.state, first.attempts), (ids[0], MessageState::Sending, 1));
        store
            .finish_attempt(first.id, 1, now, &AttemptOutcome::Sent { detail: "250 ok".into() })
            .await
            .unwrap();
        assert!(matches!(
            store.finish_attempt(first.id, 1, now, &AttemptOutcome::Sent { detail: "x".into() }).await,
            Err(StoreError::Refused(_))
        ));
        assert!(matches!(store.retry_message("hm", first.id).await, Err(StoreError::Refused(_))));
        let (record, attempts) = store.message(first.id).await.unwrap().unwrap();
        assert_eq!(record.state, MessageState::Sent);
        assert!(record.sent_at.is_some());
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].outcome, "sent");
        // The second fails for good, then is retried by hand.
        let second = store.claim_due(now, lease).await.unwrap().unwrap();
        assert_eq!(second.id, ids[1]);
        assert!(store.claim_due(now, lease).await.unwrap().is_none(), "nothing else due");
        assert!(matches!(store.retry_message("hm", second.id).await, Err(StoreError::Refused(_))), "being sent");
        store
            .finish_attempt(second.id, 1, now, &AttemptOutcome::Failed { detail: "550 no".into(), retry_at: None })
            .await
            .unwrap();
        assert_eq!(store.messages(Some(MessageState::Failed), 10).await.unwrap().len(), 1);
        store.retry_message("hm", second.id).await.unwrap();
        let retried = store.claim_due(Timestamp::now() + SignedDuration::from_secs(1), lease).await.unwrap().unwrap();
        assert_eq!((retried.id, retried.attempts), (second.id, 2));
        assert_eq!(retried.last_error.as_deref(), Some("550 no"));
        // A lapsed claim is due again, and the old claimant may not acknowledge.
        let after_lease = lease + SignedDuration::from_secs(1);
        let taken_over = store.claim_due(after_lease, after_lease + SignedDuration::from_secs(300)).await.unwrap().unwrap();
        assert_eq!((taken_over.id, taken_over.attempts), (second.id, 3));
        assert!(store
            .finish_attempt(second.id, 2, after_lease, &AttemptOutcome::Sent { detail: "late".into() })
            .await
            .is_err());
        assert_eq!(store.messages(None, 10).await.unwrap().len(), 2);
        assert!(matches!(store.retry_message("hm", 999).await, Err(StoreError::NotFound { .. })));
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM audit WHERE action = 'mail.test'").await, 1);
    }

    async fn two_workers_claiming_at_once_never_claim_the_same_message(db) {
        let a = db.open().await;
        let b = db.open().await;
        const N: usize = 40;
        let batch: Vec<NewMessage> = (0..N).map(|i| mail(i, None)).collect();
        let ids: BTreeSet<i64> = a.enqueue("hm", "", "", &batch).await.unwrap().into_iter().collect();
        assert_eq!(ids.len(), N);
        let now = Timestamp::now() + SignedDuration::from_secs(1);
        let lease = now + SignedDuration::from_secs(300);
        let mut workers = Vec::new();
        for store in [a.clone(), a.clone(), b.clone(), b.clone()] {
            workers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(m) = store.claim_due(now, lease).await.unwrap() {
                    mine.push(m.id);
                }
                mine
            }));
        }
        let mut claimed = Vec::new();
        for w in workers {
            claimed.extend(w.await.unwrap());
        }
        let unique: BTreeSet<i64> = claimed.iter().copied().collect();
        assert_eq!(claimed.len(), N, "each message claimed exactly once: {claimed:?}");
        assert_eq!(unique, ids);
    }

    async fn interviews_book_move_cancel_and_slots_are_taken_once(db) {
        let store = db.open().await;
        let c = candidate(&db, &store).await;
        let t = |h: i64| Timestamp::from_second(1_900_000_000 + h * 3600).unwrap();
        let new = NewInterview {
            candidate: c,
            stage: "leadership".into(),
            starts_at: t(0),
            ends_at: t(1),
            place: "Room 1".into(),
            video_link: String::new(),
            interviewers: vec!["ivy".into(), "ian".into()],
            uid: "uid-1".into(),
        };
        let booked = store.schedule_interview("hm", &new, &[mail(1, None)]).await.unwrap();
        assert_eq!(booked.interviewers, ["ian", "ivy"]);
        assert_eq!(booked.sequence, 0);
        let clash = NewInterview { uid: "uid-2".into(), interviewers: vec!["ivy".into()], ..new.clone() };
        assert!(matches!(store.schedule_interview("hm", &clash, &[]).await, Err(StoreError::Refused(_))));
        let moved = store
            .change_interview("hm", booked.id, 0, &InterviewChange::Move { starts_at: t(2), ends_at: t(3) }, &[])
            .await
            .unwrap();
        assert_eq!((moved.starts_at, moved.sequence), (t(2), 1));
        assert!(matches!(
            store.change_interview("hm", booked.id, 0, &InterviewChange::Cancel, &[]).await,
            Err(StoreError::Refused(_))
        ), "a stale sequence");
        assert_eq!(store.ended_interviews(t(4)).await.unwrap().len(), 1);
        store.change_interview("hm", booked.id, 1, &InterviewChange::Cancel, &[]).await.unwrap();
        assert!(store.interview(booked.id).await.unwrap().unwrap().cancelled_at.is_some());
        assert!(store.ended_interviews(t(4)).await.unwrap().is_empty());
        // Slots: the first pick books, the second is refused.
        let slot = |h| NewSlot {
            candidate: c,
            stage: "system-design".into(),
            starts_at: t(h),
            ends_at: t(h + 1),
            place: String::new(),
            video_link: "https://meet.example/x".into(),
            interviewers: vec!["ian".into()],
        };
        let ids = store.offer_slots("hm", &[slot(10), slot(12)], &[mail(2, None)]).await.unwrap();
        assert_eq!(store.slots(c).await.unwrap().len(), 2);
        let picked = store.take_slot("portal", ids[1], "uid-3", &[]).await.unwrap();
        assert_eq!((picked.starts_at, picked.stage.as_str()), (t(12), "system-design"));
        assert!(matches!(store.take_slot("portal", ids[0], "uid-4", &[]).await, Err(StoreError::Refused(_))));
        assert!(matches!(store.take_slot("portal", 999, "uid-5", &[]).await, Err(StoreError::NotFound { .. })));
        assert_eq!(store.slots(c).await.unwrap()[1].taken_by, Some(picked.id));
        assert_eq!(store.interviews(c).await.unwrap().len(), 2);
        assert_eq!(store.messages(None, 10).await.unwrap().len(), 2);
        assert!(matches!(
            store.schedule_interview("hm", &NewInterview { candidate: CandidateId(999), uid: "u9".into(), ..new }, &[]).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}
