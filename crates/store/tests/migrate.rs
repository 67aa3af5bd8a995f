//! `multiplier migrate` at the store: every table of the SQLite schema is
//! either copied or skipped with a reason, parents before children; a SQLite
//! database with rows in every table copies into PostgreSQL with equal row
//! counts, the same ids, booleans and bytes, a rebuilt search index and an
//! audit chain that verifies and ends where the source's did; a second copy
//! into the same target is refused, and so are sources that are not SQLite and
//! targets that are not PostgreSQL. The copy itself runs when
//! MULTIPLIER_TEST_POSTGRES_URL is set (it says it is skipped otherwise).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::fairness::{Race, SelfId, Sex};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{
    FlagResolution, Outcome, Recommendation, Reference, ReferenceKind, Scorecard,
};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{
    AccountRole, AccountStore, Added, AtsStore, AttemptOutcome, COPIED_TABLES, CandidateId,
    HiringStore, MailStore, MaintenanceStore, MetricsStore, NewCandidate, NewFile, NewInterview,
    NewLink, NewMessage, NewSlot, NewToken, Origin, PortalStore, RoleStore, SKIPPED_TABLES,
    SignInLimits, SignInOutcome, Store, StoreError, SubmittedEvidence, Task, TokenHash, TokenScope,
    TokenStore, copy_sqlite_to_postgres,
};
use multiplier_store::{DeployRule, ListStore, NewReminder, OutcomeStore, RateStore, RepoSetting};
use serde_json::json;
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet};

const CV: &[u8] = b"%PDF-1.4 \x00\x01\xff a CV with bytes that are not text";

async fn sqlite_tables(db: &TestDb) -> Vec<String> {
    let store = db.open().await;
    store.close().await.unwrap();
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.location()))
        .await
        .unwrap();
    sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("name"))
        .collect()
}

#[tokio::test]
async fn every_sqlite_table_is_copied_or_skipped_with_a_reason() {
    let db = TestDb::sqlite();
    let present: BTreeSet<String> = sqlite_tables(&db).await.into_iter().collect();
    let copied: BTreeSet<String> = COPIED_TABLES.iter().map(|t| t.to_string()).collect();
    let skipped: BTreeSet<String> = SKIPPED_TABLES.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(copied.len(), COPIED_TABLES.len(), "a table listed twice");
    assert_eq!(skipped.len(), SKIPPED_TABLES.len(), "a table skipped twice");
    assert!(copied.is_disjoint(&skipped), "copied and skipped at once");
    let listed: BTreeSet<String> = copied.union(&skipped).cloned().collect();
    assert_eq!(
        present.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "tables of the SQLite schema that migrate does not know: add them to COPIED_TABLES (in foreign-key order) or SKIPPED_TABLES in crates/store/src/copy.rs"
    );
    // `_sqlx_migrations` and the FTS5 tables always exist; a listed table that
    // no migration makes is a stale entry.
    assert_eq!(
        listed.difference(&present).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "listed tables that the SQLite schema does not have"
    );
    assert!(SKIPPED_TABLES.iter().all(|(_, why)| !why.is_empty()));
}

#[tokio::test]
async fn the_copied_tables_come_after_the_tables_they_point_to() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    store.close().await.unwrap();
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.location()))
        .await
        .unwrap();
    for (i, table) in COPIED_TABLES.iter().enumerate() {
        let parents: Vec<String> = sqlx::query("SELECT \"table\" FROM pragma_foreign_key_list(?)")
            .bind(table)
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        for parent in parents {
            let at = COPIED_TABLES
                .iter()
                .position(|t| *t == parent)
                .unwrap_or_else(|| panic!("{table} points to {parent}, which is not copied"));
            assert!(
                at < i,
                "{table} is copied before {parent}, which it points to"
            );
        }
    }
}

#[tokio::test]
async fn sources_that_are_not_sqlite_and_targets_that_are_not_postgres_are_refused() {
    let db = TestDb::sqlite();
    db.open().await.close().await.unwrap();
    let nothing = |_: &multiplier_store::TableCopied| {};
    let from_pg = copy_sqlite_to_postgres(
        "postgres://x@localhost/a",
        "postgres://x@localhost/b",
        nothing,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&from_pg, StoreError::Refused(m) if m.contains("--from") && m.contains("SQLite")),
        "{from_pg}"
    );
    let to_sqlite = copy_sqlite_to_postgres(db.location(), "sqlite:other.db", nothing)
        .await
        .unwrap_err();
    assert!(
        matches!(&to_sqlite, StoreError::Refused(m) if m.contains("--to") && m.contains("PostgreSQL")),
        "{to_sqlite}"
    );
    let to_path = copy_sqlite_to_postgres(db.location(), "other.db", nothing)
        .await
        .unwrap_err();
    assert!(matches!(&to_path, StoreError::Refused(_)), "{to_path}");
    // A source that does not exist is not created empty and copied.
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db").display().to_string();
    let err = copy_sqlite_to_postgres(
        &format!("sqlite:{missing}"),
        "postgres://x@localhost/b",
        nothing,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(!dir.path().join("missing.db").exists());
}

fn role() -> Role {
    let fw = Framework::default_framework().expect("fw");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .expect("example");
    Role::parse(&fw, "x", &text).expect("role")
}

fn message(candidate: Option<CandidateId>, key: &str) -> NewMessage {
    NewMessage {
        kind: "reminder".into(),
        candidate,
        recipient: "ana@example.test".into(),
        recipient_name: "Ana".into(),
        subject: format!("About {key}"),
        body: "A body.".into(),
        calendar: None,
        dedupe_key: Some(key.into()),
    }
}

/// Rows in every copied table of `store` (a SQLite database).
async fn fill(store: &Store) -> CandidateId {
    let (_, opening) = store.open_role("hm", &role(), "hm").await.unwrap();
    let Added::Created(id) = store
        .add_candidate_from(
            "hm",
            &NewCandidate {
                opening,
                name: "Quillon Marbleyard".into(),
                email: Some("qm@example.test".into()),
                internal: true,
                wants_leadership: Some("the roadmap".into()),
                gives_up: Some("on-call".into()),
                stage: "screen".into(),
            },
            &Origin {
                source: "applied".into(),
                links: Some("https://example.test/qm".into()),
                cv: Some(NewFile {
                    file_name: "cv.pdf".into(),
                    content_type: "application/pdf".into(),
                    bytes: CV.to_vec(),
                }),
                unique_email: true,
                self_id: Some(SelfId {
                    sex: Sex::Female,
                    race: Race::Asian,
                }),
            },
        )
        .await
        .unwrap()
    else {
        panic!("a new candidate");
    };
    store.add_note("hm", id, "a staff note").await.unwrap();
    let link = store
        .create_link(
            "hm",
            &NewLink {
                candidate: id,
                token_hash: TokenHash::of("tok-migrate"),
                exercise: "orders-n-plus-one".into(),
                expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48),
            },
        )
        .await
        .unwrap();
    store
        .save_work(link.id, Task::Assessment, &json!({"answers": ["a draft"]}))
        .await
        .unwrap();
    store
        .submit_work(
            link.id,
            Task::Review,
            &json!({"summary": "reviewed"}),
            &SubmittedEvidence {
                kind: "code-review".into(),
                source: "candidate portal".into(),
                body: json!({"review": "a comment on the loop"}),
            },
        )
        .await
        .unwrap();
    store.request_erasure(link.id).await.unwrap();
    store.assign("hm", id, "leadership", "ana").await.unwrap();
    let card = Scorecard {
        stage: "leadership".into(),
        interviewer: "ana".into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(3).unwrap())]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, "grew two seniors".to_string())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
        version: 1,
        amendment_reason: None,
    };
    store
        .submit_scorecard("ana", id, &card, multiplier_store::Submission::First)
        .await
        .unwrap();
    store
        .add_reference(
            "hm",
            id,
            &Reference {
                kind: ReferenceKind::Engineer,
                name: "A former report".into(),
                relationship: "two years".into(),
                answer: "yes".into(),
                example: "the retry budget".into(),
                scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(4).unwrap())]),
            },
        )
        .await
        .unwrap();
    store
        .resolve_flag(
            "hm",
            id,
            &FlagResolution {
                flag: "hero-culture".into(),
                by: "hm".into(),
                note: "settled by the reference".into(),
            },
        )
        .await
        .unwrap();
    store
        .record_decision("hm", id, Outcome::Hire, "both signals clear", true)
        .await
        .unwrap();
    store
        .record_offer("hm", id, &json!({"note": "band 3"}))
        .await
        .unwrap();
    store
        .accept_offer("hm", id, jiff::civil::date(2027, 1, 4))
        .await
        .unwrap();
    store
        .mark_step_done("hm", id, "access", "done")
        .await
        .unwrap();
    store
        .save_snapshot("hm", opening, "baseline", "git", &json!({"deploys": 3}))
        .await
        .unwrap();
    store
        .add_user(
            "operator",
            "ana",
            AccountRole::Interviewer,
            "$argon2id$fake",
        )
        .await
        .unwrap();
    store
        .create_token(
            "operator",
            &NewToken {
                account: "ana".into(),
                label: "script".into(),
                token_hash: TokenHash::of("api-token"),
                scope: TokenScope::ReadOnly,
                expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24),
            },
        )
        .await
        .unwrap();
    store
        .create_session("session-1", Some("ana"), &[0, 159, 146, 150], 4_000_000_000)
        .await
        .unwrap();
    let now = jiff::Timestamp::now().as_second();
    let attempt = store
        .begin_sign_in(
            "ana",
            "127.0.0.1",
            now,
            SignInLimits {
                since: now - 900,
                per_name: 5,
                per_client: 20,
            },
        )
        .await
        .unwrap()
        .expect("under the limits");
    store
        .end_sign_in(attempt, "ana", SignInOutcome::Rejected { user: None })
        .await
        .unwrap();
    store
        .enqueue("hm", "", "", &[message(Some(id), "one")])
        .await
        .unwrap();
    let now = jiff::Timestamp::now();
    let claimed = store
        .claim_due(now, now + jiff::SignedDuration::from_mins(5))
        .await
        .unwrap()
        .expect("a due message");
    store
        .finish_attempt(
            claimed.id,
            claimed.attempts,
            now,
            &AttemptOutcome::Sent {
                detail: "250 ok".into(),
            },
        )
        .await
        .unwrap();
    let start = now + jiff::SignedDuration::from_hours(24);
    store
        .schedule_interview(
            "hm",
            &NewInterview {
                candidate: id,
                stage: "leadership".into(),
                starts_at: start,
                ends_at: start + jiff::SignedDuration::from_hours(1),
                place: "Room 2".into(),
                video_link: String::new(),
                interviewers: vec!["ana".into()],
                uid: "interview-1@multiplier".into(),
            },
            &[],
        )
        .await
        .unwrap();
    store
        .offer_slots(
            "hm",
            &[NewSlot {
                candidate: id,
                stage: "leadership".into(),
                starts_at: start + jiff::SignedDuration::from_hours(24),
                ends_at: start + jiff::SignedDuration::from_hours(25),
                place: String::new(),
                video_link: "https://meet.example.test/x".into(),
                interviewers: vec!["ana".into()],
            }],
            &[],
        )
        .await
        .unwrap();
    // The outcome of a hire, the shared rate limits (migrations 0016 and 0018).
    store
        .set_repository(
            "hm",
            opening,
            Some(&RepoSetting {
                path: "/srv/git/team.git".into(),
                deploy: DeployRule::Tags("v*".into()),
            }),
        )
        .await
        .unwrap();
    assert!(
        store
            .queue_outcome_reminder(
                "hm",
                &NewReminder {
                    candidate: id,
                    opening,
                    months: vec![6],
                    mail: Vec::new(),
                },
            )
            .await
            .unwrap()
    );
    assert!(store.hit("apply:127.0.0.1", 100, 0, 5).await.unwrap());
    // What the summaries follow (migration 0023).
    assert!(
        store
            .summaries_follow("the default framework")
            .await
            .unwrap()
    );
    id
}

/// The copy proper: SQLite in, the PostgreSQL test database out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_with_rows_everywhere_copies_whole_into_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let source = TestDb::sqlite();
    let store = source.open().await;
    let id = fill(&store).await;
    let source_check = store.verify_audit().await.unwrap();
    assert!(source_check.broken.is_none());
    let roles = store.roles().await.unwrap();
    store.close().await.unwrap();

    // Every copied table holds rows in the source, else this proves little.
    let mut src = sqlx::SqliteConnection::connect(&format!("sqlite:{}", source.location()))
        .await
        .unwrap();
    let mut counts = BTreeMap::new();
    for table in COPIED_TABLES {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut src)
            .await
            .unwrap()
            .get(0);
        assert!(
            n > 0,
            "the source's {table} is empty: fill() must put a row in it"
        );
        counts.insert(table.to_string(), n);
    }
    src.close().await.unwrap();

    let mut heard = Vec::new();
    let report = copy_sqlite_to_postgres(
        &format!("sqlite:{}", source.location()),
        db.location(),
        |t| heard.push(t.table.clone()),
    )
    .await
    .unwrap();
    assert_eq!(
        heard,
        COPIED_TABLES
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
    );
    assert!(report.verified(), "{report:?}");
    assert_eq!(report.audit.entries, source_check.entries);
    assert_eq!(report.audit.head, source_check.head);
    assert!(report.skipped.iter().any(|s| s.table == "search_text"));

    // Counted again on the target, independently of the copy.
    let mut pg = sqlx::PgConnection::connect(db.location()).await.unwrap();
    for (table, n) in &counts {
        let m: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut pg)
            .await
            .unwrap()
            .get(0);
        assert_eq!(m, *n, "rows of {table}");
        let reported = report.tables.iter().find(|t| &t.table == table).unwrap();
        assert_eq!(reported.rows, u64::try_from(*n).unwrap());
    }
    // Ids, booleans and bytes as they were.
    let row = sqlx::query("SELECT internal FROM candidates WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut pg)
        .await
        .unwrap();
    assert!(row.get::<bool, _>("internal"));
    let bytes: Vec<u8> = sqlx::query("SELECT bytes FROM candidate_files WHERE candidate_id = $1")
        .bind(id.0)
        .fetch_one(&mut pg)
        .await
        .unwrap()
        .get(0);
    assert_eq!(bytes, CV);
    let meets: bool = sqlx::query("SELECT meets_bar FROM decisions WHERE candidate_id = $1")
        .bind(id.0)
        .fetch_one(&mut pg)
        .await
        .unwrap()
        .get(0);
    assert!(meets);
    // The search index was rebuilt by the target's triggers.
    let found: i64 = sqlx::query(
        "SELECT COUNT(*) FROM search_docs WHERE candidate_id = $1 AND words @@ to_tsquery('simple', 'marbleyard')",
    )
    .bind(id.0)
    .fetch_one(&mut pg)
    .await
    .unwrap()
    .get(0);
    assert_eq!(found, 1);
    let notes: i64 = sqlx::query(
        "SELECT COUNT(*) FROM search_docs WHERE source = 'scorecard' AND words @@ to_tsquery('simple', 'seniors')",
    )
    .fetch_one(&mut pg)
    .await
    .unwrap()
    .get(0);
    assert_eq!(notes, 1);
    pg.close().await.unwrap();

    // The target works as a store: same roles, new ids past the copied
    // ones, new audit entries chained onto the copied log.
    let target = db.open().await;
    assert_eq!(target.roles().await.unwrap(), roles);
    let next = target.add_role("hm", &role()).await.unwrap();
    assert_eq!(next.0, roles.iter().map(|r| r.id.0).max().unwrap() + 1);
    let check = target.verify_audit().await.unwrap();
    assert!(check.broken.is_none(), "{check:?}");
    assert_eq!(check.entries, source_check.entries + 1);

    // A second copy into the same target is refused, and writes nothing.
    let again = copy_sqlite_to_postgres(source.location(), db.location(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&again, StoreError::Refused(m) if m.contains("not empty") && m.contains("candidates")),
        "{again}"
    );
    assert_eq!(target.roles().await.unwrap().len(), roles.len() + 1);
    assert_eq!(target.verify_audit().await.unwrap(), check);
}

/// A fresh target with nothing but its own bookkeeping is empty enough;
/// one with a single role is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_holding_any_row_is_refused() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let source = TestDb::sqlite();
    source.open().await.close().await.unwrap();
    let target = db.open().await;
    target.add_role("hm", &role()).await.unwrap();
    let err = copy_sqlite_to_postgres(source.location(), db.location(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(m) if m.contains("audit") && m.contains("roles")),
        "{err}"
    );
}

/// An empty SQLite database copies into an empty PostgreSQL one: nothing to
/// copy is not an error, and the sequences start at 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_copies_to_an_empty_one() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let source = TestDb::sqlite();
    source.open().await.close().await.unwrap();
    let report = copy_sqlite_to_postgres(source.location(), db.location(), |_| {})
        .await
        .unwrap();
    assert_eq!(report.rows(), 0);
    assert!(report.verified());
    let target = db.open().await;
    assert_eq!(target.add_role("hm", &role()).await.unwrap().0, 1);
}
