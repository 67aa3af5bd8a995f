//! Migrations 0020 to 0022 and 0027 on SQLite, applied to data written before
//! them: search documents written under the old numbering (one sequence for
//! every document) are renumbered by candidate, the index keeps their words, and
//! documents written afterwards follow the new rule; each opening's count of
//! candidates, its count by stage and status, and each search document's length
//! start from what is stored and follow every write.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{Recommendation, Scorecard};
use multiplier_core::score::Score;
use multiplier_store::testing::TestDb;
use multiplier_store::{
    CandidateId, CandidateQuery, HiringStore, ListStore, ListViewer, OpeningId, SqliteStore,
    Submission,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The schema as it was before migration 0020, with two candidates whose
/// documents interleave: Ada's name, Bo's name, then Ada's scorecard.
async fn before_0020(location: &str) {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(location)
                .create_if_missing(true),
        )
        .await
        .unwrap();
    let mut migrator = sqlx::migrate::Migrator::new(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/sqlite"
    )))
    .await
    .unwrap();
    let older: Vec<_> = migrator
        .migrations
        .iter()
        .filter(|m| m.version < 20)
        .cloned()
        .collect();
    assert_eq!(
        older.iter().map(|m| m.version).max(),
        Some(19),
        "the migrations before 0020"
    );
    migrator.migrations = Cow::Owned(older);
    migrator.run(&pool).await.unwrap();
    for sql in [
        "INSERT INTO roles (id, title, role_toml, created_at) VALUES (1, 'TL', '', '2026-01-01T00:00:00Z')",
        "INSERT INTO openings (id, role_id, title, manager, created_at) VALUES (1, 1, 'Payments', 'hm', '2026-01-01T00:00:00Z')",
        "INSERT INTO candidates (id, opening_id, name, stage, created_at) VALUES (1, 1, 'Ada Quill', 'leadership', '2026-01-01T00:00:00Z')",
        "INSERT INTO candidates (id, opening_id, name, stage, created_at) VALUES (2, 1, 'Bo Quill', 'leadership', '2026-01-01T00:00:00Z')",
        r#"INSERT INTO scorecards (candidate_id, stage, interviewer, version, body, submitted_at)
           VALUES (1, 'leadership', 'ana', 1,
                   '{"stage":"leadership","interviewer":"ana","scores":{"team-multiplier":3},"notes":{"team-multiplier":"walked the zanzibar rollback"},"red_flags":[],"recommendation":"yes","version":1,"amendment_reason":null}',
                   '2026-01-02T00:00:00Z')"#,
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let old: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, candidate_id FROM search_docs ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(old, [(1, 1), (2, 2), (3, 1)], "the old numbering");
    pool.close().await;
}

fn find(text: &str) -> CandidateQuery {
    let mut q = CandidateQuery::new(
        ListViewer {
            name: "hm".into(),
            admin: true,
        },
        10,
    );
    q.text = Some(format!("\"{text}\"*"));
    q
}

async fn found(store: &SqliteStore, text: &str) -> Vec<(CandidateId, Option<String>)> {
    store
        .candidate_page(&find(text))
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.candidate.id, r.snippet.map(|s| s.text)))
        .collect()
}

async fn raw(location: &str) -> sqlx::SqlitePool {
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{location}"))
        .await
        .unwrap()
}

async fn doc_ids(location: &str) -> Vec<(i64, i64, String)> {
    let pool = raw(location).await;
    let rows = sqlx::query_as("SELECT id, candidate_id, source FROM search_docs ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn documents_are_renumbered_by_candidate_and_stay_searchable() {
    let db = TestDb::sqlite();
    before_0020(db.location()).await;
    let store = SqliteStore::open(db.location()).await.unwrap();

    let shift = |c: i64, n: i64| (c << 32) + n;
    assert_eq!(
        doc_ids(db.location()).await,
        [
            (shift(1, 1), 1, "name".to_string()),
            (shift(1, 2), 1, "scorecard".to_string()),
            (shift(2, 1), 2, "name".to_string()),
        ]
    );
    let (ada, bo) = (CandidateId(1), CandidateId(2));
    assert_eq!(
        found(&store, "zanzibar").await,
        [(
            ada,
            Some("walked the \u{1}zanzibar\u{2} rollback".to_string())
        )]
    );
    assert_eq!(
        found(&store, "quill")
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>(),
        [ada, bo]
    );

    // Written after the migration: the next number in the candidate's range.
    store.assign("hm", bo, "leadership", "ana").await.unwrap();
    store
        .submit_scorecard(
            "ana",
            bo,
            &Scorecard {
                stage: "leadership".into(),
                interviewer: "ana".into(),
                scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(3).unwrap())]),
                notes: BTreeMap::from([(
                    Signal::TeamMultiplier,
                    "paired on the kestrel outage".to_string(),
                )]),
                red_flags: Vec::new(),
                recommendation: Recommendation::Yes,
                version: 1,
                amendment_reason: None,
            },
            Submission::First,
        )
        .await
        .unwrap();
    assert!(
        doc_ids(db.location())
            .await
            .contains(&(shift(2, 2), 2, "scorecard".to_string()))
    );
    assert_eq!(
        found(&store, "kestrel")
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>(),
        [bo]
    );
}

/// A database made at migration 0019 with [`before_0020`]'s data, opened (so
/// every later migration runs), and an admin to list as.
async fn opened_after_0019() -> (TestDb, SqliteStore, ListViewer) {
    let db = TestDb::sqlite();
    before_0020(db.location()).await;
    let store = SqliteStore::open(db.location()).await.unwrap();
    let admin = ListViewer {
        name: "hm".into(),
        admin: true,
    };
    (db, store, admin)
}

#[tokio::test]
async fn opening_counts_start_from_what_is_stored_and_follow_every_write() {
    let (db, store, admin) = opened_after_0019().await;
    let (one, two) = (OpeningId(1), OpeningId(2));
    let counts = || async { store.opening_counts(&admin, &[one, two]).await.unwrap() };
    assert_eq!(counts().await, BTreeMap::from([(one, 2)]));

    let pool = raw(db.location()).await;
    for sql in [
        "INSERT INTO openings (id, role_id, title, manager, created_at) VALUES (2, 1, 'Platform', 'hm', '2026-01-01T00:00:00Z')",
        "INSERT INTO candidates (id, opening_id, name, stage, created_at) VALUES (3, 2, 'Cy Quill', 'screen', '2026-01-01T00:00:00Z')",
        "UPDATE candidates SET opening_id = 2 WHERE id = 2",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    assert_eq!(counts().await, BTreeMap::from([(one, 1), (two, 2)]));
    sqlx::query("DELETE FROM candidates WHERE id = 3")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(counts().await, BTreeMap::from([(one, 1), (two, 1)]));
    // Every count is the candidates' own count.
    let truth: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT o.id, (SELECT COUNT(*) FROM candidates c WHERE c.opening_id = o.id) FROM openings o ORDER BY o.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(truth, [(1, 1), (2, 1)]);
}

#[tokio::test]
async fn stage_counts_start_from_what_is_stored_and_follow_every_write() {
    let (db, store, admin) = opened_after_0019().await;
    // An admin's counts by stage, filtered by opening and status, are the kept
    // ones; with a time filter they are counted from the candidates. Both
    // answer the same for every opening and status filter.
    let both = || async {
        let mut out = Vec::new();
        for opening in [Some(OpeningId(1)), Some(OpeningId(2)), None] {
            for ended in [None, Some(false), Some(true)] {
                let mut kept = CandidateQuery::new(admin.clone(), 10);
                kept.opening = opening;
                kept.ended = ended;
                assert!(kept.counts_are_kept());
                let mut counted = kept.clone();
                counted.since = Some(jiff::Timestamp::UNIX_EPOCH);
                assert!(!counted.counts_are_kept());
                let k = store.stage_counts(&kept).await.unwrap();
                assert_eq!(
                    k,
                    store.stage_counts(&counted).await.unwrap(),
                    "{opening:?} {ended:?}"
                );
                out.push(k);
            }
        }
        out
    };
    let once = both().await;
    assert_eq!(once[0], BTreeMap::from([("leadership".to_string(), 2)]));

    let pool = raw(db.location()).await;
    for sql in [
        "INSERT INTO openings (id, role_id, title, manager, created_at) VALUES (2, 1, 'Platform', 'hm', '2026-01-01T00:00:00Z')",
        "INSERT INTO candidates (id, opening_id, name, stage, created_at) VALUES (3, 2, 'Cy Quill', 'screen', '2026-01-01T00:00:00Z')",
        "INSERT INTO candidates (id, opening_id, name, stage, created_at) VALUES (4, 2, 'Di Quill', 'screen', '2026-01-01T00:00:00Z')",
        "UPDATE candidates SET stage = 'debrief' WHERE id = 1",
        "UPDATE candidates SET status = 'rejected' WHERE id = 2",
        "UPDATE candidates SET opening_id = 2, stage = 'offer' WHERE id = 3",
        "UPDATE candidates SET name = 'Di Q.' WHERE id = 4",
        "DELETE FROM candidates WHERE id = 4",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
        both().await;
    }
    let now = both().await;
    // Opening 1, every status: Ada at the debrief, Bo rejected at leadership;
    // opening 2: Cy at the offer (Di deleted).
    assert_eq!(
        now[0],
        BTreeMap::from([("debrief".to_string(), 1), ("leadership".to_string(), 1)])
    );
    assert_eq!(now[1], BTreeMap::from([("debrief".to_string(), 1)]));
    assert_eq!(now[2], BTreeMap::from([("leadership".to_string(), 1)]));
    assert_eq!(now[3], BTreeMap::from([("offer".to_string(), 1)]));
}

/// Each search document's kept length (`search_docs.size`, migration 0027)
/// against its text's, for every document: the ones that differ.
async fn wrong_sizes(pool: &sqlx::SqlitePool) -> Vec<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT d.id, d.size, length(t.body) FROM search_docs d
         JOIN search_text t ON t.rowid = d.id WHERE d.size IS NOT length(t.body)",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn document_sizes_start_from_what_is_stored_and_follow_every_write() {
    let (db, store, _) = opened_after_0019().await;
    let pool = raw(db.location()).await;
    let docs = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_docs WHERE size > 0")
            .fetch_one(&pool)
            .await
            .unwrap();
        n
    };
    // Written before the migration: two names and a scorecard's notes.
    assert_eq!(wrong_sizes(&pool).await, []);
    assert_eq!(docs().await, 3);
    let ada: i64 =
        sqlx::query_scalar("SELECT size FROM search_docs WHERE source = 'name' AND source_id = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(ada, "Ada Quill".chars().count() as i64);

    for (sql, more) in [
        (
            "INSERT INTO candidates (id, opening_id, name, stage, created_at) VALUES (3, 1, 'Zoë Quill', 'screen', '2026-01-01T00:00:00Z')",
            1,
        ),
        (
            "UPDATE candidates SET name = 'Zoë Quillfeather-Smith' WHERE id = 3",
            0,
        ),
        (
            r#"INSERT INTO candidate_references (candidate_id, body, created_at, recorded_by)
            VALUES (3, '{"answer":"she unblocked the whole team","example":"the kestrel outage"}', '2026-01-03T00:00:00Z', 'hm')"#,
            1,
        ),
        (
            r#"INSERT INTO evidence (candidate_id, kind, source, body, created_at)
            VALUES (3, 'assessment', 'written', '{"answers":["split the queue by tenant"],"summary":"careful"}', '2026-01-04T00:00:00Z')"#,
            2,
        ),
        (
            r#"INSERT INTO scorecards (candidate_id, stage, interviewer, version, body, submitted_at)
           VALUES (3, 'screen', 'ana', 1,
                   '{"stage":"screen","interviewer":"ana","scores":{"team-multiplier":3},"notes":{"team-multiplier":"kestrel drills"},"red_flags":[],"recommendation":"yes","version":1,"amendment_reason":null}',
                   '2026-01-05T00:00:00Z')"#,
            1,
        ),
    ] {
        let before = docs().await;
        sqlx::query(sql).execute(&pool).await.unwrap();
        assert_eq!(wrong_sizes(&pool).await, [], "after {sql}");
        assert_eq!(docs().await, before + more, "after {sql}");
    }
    let renamed: i64 =
        sqlx::query_scalar("SELECT size FROM search_docs WHERE source = 'name' AND source_id = 3")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(renamed, "Zoë Quillfeather-Smith".chars().count() as i64);
    // The passage is the shortest match by its kept size: the newer notes,
    // not the older, longer reference.
    assert_eq!(
        found(&store, "kestrel").await,
        [(CandidateId(3), Some("\u{1}kestrel\u{2} drills".to_string()))]
    );
    pool.close().await;
}
