//! What survives on disk and what does not: an erasure leaves no byte of the
//! candidate's personal data in the database file or its write-ahead log (read
//! here as raw bytes), a backup after an erasure holds none of it, a backup
//! restores to the same records, the audit log's hash chain catches an edited,
//! removed or inserted entry, and closing the store empties the log.
//!
//! What bytes remain in the database file and its write-ahead log, backups as
//! files, restoring one and closing the log are SQLite's own (a PostgreSQL
//! server keeps its files to itself and is backed up with pg_dump): those
//! tests run on SQLite only. The audit chain, what an erasure leaves in the
//! records and the answers of backup and checkpoint run on both backends
//! (`each_backend!`).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{DebriefLine, Outcome, Recommendation, Scorecard};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::{Backend, TestDb};
use multiplier_store::{
    Added, AtsStore, AuditFilter, CandidateId, HiringStore, ListStore, MaintenanceStore,
    NewCandidate, NewFile, NewLink, Origin, PortalStore, RoleStore, Store, StoreError,
    SubmittedEvidence, Task, TokenHash, open, restore,
};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One unique string per place personal data lives.
const MARKERS: [&str; 14] = [
    "Zebulon-Quartzfield",          // name
    "zq-mailbox@example.test",      // e-mail
    "WANTS-LEAD-7f3a",              // internal candidate: wants the leadership work
    "GIVES-UP-91cc",                // internal candidate: gives up
    "DRAFT-ANSWER-5e2d",            // a portal draft
    "SUBMITTED-REVIEW-COMMENT-0b7", // submitted work and its evidence
    "SCORECARD-NOTE-c41e",          // an interviewer's note
    "DECISION-RATIONALE-8d0f",      // the decision
    "OFFER-NOTE-2a6b",              // the offer
    "ONBOARDING-NOTE-e93d",         // an onboarding note
    "APPLICANT-LINK-3f8e",          // the links an applicant gave
    "CV-TEXT-77ad",                 // the CV kept in the database
    "STAFF-NOTE-b512",              // a staff note
    "WITHDRAWAL-NOTE-6c09",         // the note with a status change
];

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("r.db")
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// Which markers occur in the raw bytes of `paths`.
fn found_in(paths: &[PathBuf]) -> Vec<&'static str> {
    let bytes: Vec<u8> = paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flatten()
        .collect();
    MARKERS
        .iter()
        .copied()
        .filter(|m| bytes.windows(m.len()).any(|w| w == m.as_bytes()))
        .collect()
}

fn example_role() -> Role {
    let fw = Framework::default_framework().expect("fw");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .expect("example");
    Role::parse(&fw, "x", &text).expect("role")
}

async fn opening(store: &Store) -> multiplier_store::OpeningId {
    let role = store
        .add_role("hm", &example_role())
        .await
        .expect("role stored");
    store
        .add_opening("hm", role, "Tech Lead, Payments", "hm")
        .await
        .expect("opening")
}

/// A candidate with personal data in every table that can hold it.
async fn candidate_everywhere(store: &Store, opening: multiplier_store::OpeningId) -> CandidateId {
    let origin = Origin {
        source: "applied".into(),
        links: Some(MARKERS[10].into()),
        cv: Some(NewFile {
            file_name: "cv.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: format!("%PDF-1.4 {}", MARKERS[11]).into_bytes(),
        }),
        unique_email: true,
        self_id: None,
    };
    let Added::Created(id) = store
        .add_candidate_from(
            "hm",
            &NewCandidate {
                opening,
                name: MARKERS[0].into(),
                email: Some(MARKERS[1].into()),
                internal: true,
                wants_leadership: Some(MARKERS[2].into()),
                gives_up: Some(MARKERS[3].into()),
                stage: "screen".into(),
            },
            &origin,
        )
        .await
        .unwrap()
    else {
        panic!("a new candidate");
    };
    store.add_note("hm", id, MARKERS[12]).await.unwrap();
    store
        .set_candidate_status("hm", id, "active", "withdrawn", Some(MARKERS[13]))
        .await
        .unwrap();
    let link = store
        .create_link(
            "hm",
            &NewLink {
                candidate: id,
                token_hash: TokenHash::of("tok-erase"),
                exercise: "orders-n-plus-one".into(),
                expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48),
            },
        )
        .await
        .unwrap();
    store
        .save_work(link.id, Task::Assessment, &json!({"answers": [MARKERS[4]]}))
        .await
        .unwrap();
    store
        .submit_work(
            link.id,
            Task::Review,
            &json!({"summary": MARKERS[5]}),
            &SubmittedEvidence {
                kind: "code-review".into(),
                source: "candidate portal".into(),
                body: json!({"review": MARKERS[5]}),
            },
        )
        .await
        .unwrap();
    store.assign("hm", id, "leadership", "ana").await.unwrap();
    let card = Scorecard {
        stage: "leadership".into(),
        interviewer: "ana".into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(3).unwrap())]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, MARKERS[6].to_string())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
        version: 1,
        amendment_reason: None,
    };
    store
        .submit_scorecard("ana", id, &card, multiplier_store::Submission::First)
        .await
        .unwrap();
    // Its summary, with the debrief kept beside it: that quotes the note.
    let fw = Framework::default_framework().expect("fw");
    let kept = multiplier_core::pipeline::debrief(&fw, std::slice::from_ref(&card), &[], &[]);
    assert!(format!("{kept:?}").contains(MARKERS[6]));
    let stale = store.stale_summaries(10).await.unwrap();
    let summaries: Vec<_> = stale
        .iter()
        .map(|(c, generation)| {
            let summary = multiplier_store::Summary {
                debrief: Some(Box::new(kept.clone())),
                ..multiplier_store::Summary::default()
            };
            (*c, *generation, summary)
        })
        .collect();
    assert_eq!(store.save_summaries(&summaries).await.unwrap(), 1);
    assert_eq!(store.kept_debriefs(&[id]).await.unwrap().len(), 1);
    store
        .record_decision("hm", id, Outcome::Hire, MARKERS[7], true)
        .await
        .unwrap();
    store
        .record_offer("hm", id, &json!({"note": MARKERS[8]}))
        .await
        .unwrap();
    store
        .accept_offer("hm", id, jiff::civil::date(2027, 1, 4))
        .await
        .unwrap();
    store
        .mark_step_done("hm", id, "access", MARKERS[9])
        .await
        .unwrap();
    id
}

// SQLite only: reads the database file's bytes or writes SQLite files.
#[tokio::test]
async fn an_erasure_leaves_no_byte_of_personal_data_in_the_file_or_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let store = open(&path.display().to_string()).await.unwrap();
    let o = opening(&store).await;
    let id = candidate_everywhere(&store, o).await;
    // A neighbour whose data must survive.
    let keep = store
        .add_candidate(
            "hm",
            &NewCandidate {
                opening: o,
                name: "Kept Neighbour".into(),
                email: None,
                internal: false,
                wants_leadership: None,
                gives_up: None,
                stage: "screen".into(),
            },
        )
        .await
        .unwrap();
    // Edit the name once, so an older copy of the row exists too.
    let files = [path.clone(), side(&path, "-wal"), side(&path, "-shm")];
    assert_eq!(
        found_in(&files).len(),
        MARKERS.len(),
        "every marker is on disk before the erasure (else this test proves nothing)"
    );

    let erased = store
        .erase_candidate("hm", id, "candidate-request")
        .await
        .unwrap();
    assert!(erased.flushed, "the log was emptied");
    assert!(erased.records_deleted >= 5, "{erased:?}");

    assert_eq!(found_in(&files), Vec::<&str>::new(), "nothing left on disk");
    // While the store is still open, and after it is closed and reopened.
    let Store::Sqlite(s) = &store else {
        unreachable!("a file path opens SQLite")
    };
    s.close().await.unwrap();
    assert_eq!(found_in(&files), Vec::<&str>::new());
    let store = open(&path.display().to_string()).await.unwrap();
    let c = store.candidate(id).await.unwrap().unwrap();
    assert_eq!(c.name, multiplier_store::erased_name(id));
    assert!(store.scorecards(id).await.unwrap().is_empty());
    assert!(store.decisions(id).await.unwrap().is_empty());
    assert!(store.offers(id).await.unwrap().is_empty());
    assert!(store.notes(id).await.unwrap().is_empty());
    assert!(store.files(id).await.unwrap().is_empty());
    assert_eq!(c.links, None);
    assert_eq!(c.status_reason, None, "a free note with a status is erased");
    assert_eq!(
        store.candidate(keep).await.unwrap().unwrap().name,
        "Kept Neighbour"
    );
    // The audit keeps the erasure and its reason, and none of the data.
    let log = store.audit(&AuditFilter::default()).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "candidate.erase")
        .expect("the erasure is audited");
    assert!(
        entry.detail.contains("reason: candidate-request"),
        "{entry:?}"
    );
    let text = format!("{log:?}");
    assert!(MARKERS.iter().all(|m| !text.contains(m)));
}

// SQLite only: reads the database file's bytes or writes SQLite files.
#[tokio::test]
async fn a_backup_taken_after_an_erasure_holds_none_of_the_erased_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let store = open(&path.display().to_string()).await.unwrap();
    let o = opening(&store).await;
    let id = candidate_everywhere(&store, o).await;
    let before = dir.path().join("before.db");
    store.backup(&before).await.unwrap();
    assert_eq!(found_in(std::slice::from_ref(&before)).len(), MARKERS.len());
    store.erase_candidate("hm", id, "withdrawn").await.unwrap();
    let after = dir.path().join("after.db");
    store.backup(&after).await.unwrap();
    assert_eq!(found_in(std::slice::from_ref(&after)), Vec::<&str>::new());
    // A backup never overwrites a file.
    assert!(store.backup(&after).await.is_err());
}

// SQLite only: reads the database file's bytes or writes SQLite files.
#[tokio::test]
async fn a_backup_restores_to_the_same_records_and_an_intact_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let store = open(&path.display().to_string()).await.unwrap();
    let o = opening(&store).await;
    let id = candidate_everywhere(&store, o).await;
    let copy = dir.path().join("copy.db");
    store.backup(&copy).await.unwrap();

    let target = dir.path().join("restored.db");
    let location = restore(&copy, &target.display().to_string(), false)
        .await
        .unwrap();
    let restored = open(&location).await.unwrap();
    assert_eq!(
        restored.candidate(id).await.unwrap(),
        store.candidate(id).await.unwrap()
    );
    assert_eq!(
        restored.audit(&AuditFilter::default()).await.unwrap(),
        store.audit(&AuditFilter::default()).await.unwrap()
    );
    assert!(restored.verify_audit().await.unwrap().broken.is_none());
    // An existing database is replaced only when asked.
    assert!(
        restore(&copy, &target.display().to_string(), false)
            .await
            .is_err()
    );
    // Not a backup at all: refused before anything is written.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(
        restore(&junk, &dir.path().join("x.db").display().to_string(), false)
            .await
            .is_err()
    );
    assert!(!dir.path().join("x.db").exists());
}

/// Edit the database behind the store's back, as someone with the file (or a
/// database login) would.
async fn tamper(db: &TestDb, sql: &'static str) {
    use sqlx::Connection;
    match db.backend() {
        Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.location()))
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        }
        Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(db.location()).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        }
    }
}

/// Ten audit entries, through the part of the store every backend has.
async fn ten_entries(store: &Store) {
    let role = example_role();
    for _ in 0..10 {
        store.add_role("hm", &role).await.unwrap();
    }
}

multiplier_store::each_backend! {
    async fn the_audit_chain_names_the_first_edited_removed_or_inserted_entry(db) {
        let store = db.open().await;
        let empty = store.verify_audit().await.unwrap();
        assert_eq!((empty.entries, empty.head.as_str(), empty.broken), (0, "", None));
        ten_entries(&store).await;
        let check = store.verify_audit().await.unwrap();
        assert!(check.broken.is_none(), "{check:?}");
        assert_eq!(check.entries, 10);
        assert_eq!(check.head.len(), 64);

        tamper(&db, "UPDATE audit SET detail = 'nothing happened' WHERE id = 4").await;
        let check = store.verify_audit().await.unwrap();
        let broken = check.broken.expect("an edit is caught");
        assert_eq!(broken.id, 4);
        assert!(broken.reason.contains("edited"), "{broken:?}");
        assert_eq!(check.entries, 4);

        // Reopening does not "repair" it.
        store.close().await.unwrap();
        let store = db.open().await;
        assert_eq!(
            store.verify_audit().await.unwrap().broken.map(|b| b.id),
            Some(4)
        );
        store.close().await.unwrap();
    }

    async fn a_removed_or_inserted_audit_entry_breaks_the_chain(db) {
        let store = db.open().await;
        ten_entries(&store).await;
        // A removed entry breaks the link of the one after it.
        tamper(&db, "DELETE FROM audit WHERE id = 5").await;
        let broken = store.verify_audit().await.unwrap().broken.expect("caught");
        assert_eq!(broken.id, 6);
        assert!(broken.reason.contains("does not link"), "{broken:?}");

        // An entry inserted with a made-up hash does not link either.
        tamper(&db, "DELETE FROM audit WHERE id > 4").await;
        assert!(store.verify_audit().await.unwrap().broken.is_none());
        tamper(
            &db,
            "INSERT INTO audit (at, actor, action, subject, detail, prev_hash, hash) VALUES ('2026-01-01T00:00:00Z', 'x', 'y', 'z', '', 'abc', 'def')",
        )
        .await;
        let broken = store.verify_audit().await.unwrap().broken.expect("caught");
        assert!(broken.id > 4, "{broken:?}");
        assert!(broken.reason.contains("does not link"), "{broken:?}");
    }

    /// A decision whose outcome this version cannot read is an error naming
    /// that decision and the text found, not a panic or a silent default.
    async fn an_unreadable_decision_outcome_names_its_decision(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate_everywhere(&store, o).await;
        let decision = store.decisions(id).await.unwrap()[0].id;
        tamper(&db, "UPDATE decisions SET outcome = 'perhaps-later'").await;
        let err = store.decisions(id).await.unwrap_err();
        match &err {
            StoreError::Corrupt { what, detail } => {
                assert_eq!(*what, "decision outcome");
                assert!(detail.contains(&format!("decision {decision}")), "{err}");
                assert!(detail.contains("perhaps-later"), "{err}");
            }
            other => panic!("expected a corrupt-value error, got {other}"),
        }
    }

    /// An opening's debrief page reads each kept debrief's line from its own
    /// column (migration 0026); a summary saved before lines were kept gives
    /// its line out of the whole debrief.
    async fn a_kept_debriefs_line_comes_from_its_column_or_else_from_the_debrief(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate_everywhere(&store, o).await;
        let whole = store.kept_debriefs(&[id]).await.unwrap().remove(&id).unwrap();
        let line = DebriefLine::from(&whole);
        assert!(!line.signals.is_empty());
        assert_eq!(store.kept_debrief_lines(&[id]).await.unwrap()[&id], line);
        tamper(&db, "UPDATE candidate_summary SET debrief_line = NULL").await;
        assert_eq!(store.kept_debrief_lines(&[id]).await.unwrap()[&id], line);
        // The line column is what is read when it is there: the debrief
        // itself no longer reads, the line still does.
        tamper(&db, "UPDATE candidate_summary SET debrief_line = debrief, debrief = '{}'").await;
        assert!(store.kept_debriefs(&[id]).await.is_err());
        assert_eq!(store.kept_debrief_lines(&[id]).await.unwrap()[&id], line);
    }

    /// SQLite writes a backup file; PostgreSQL refuses and names pg_dump,
    /// writing nothing. A checkpoint succeeds on both (nothing to do on
    /// PostgreSQL).
    async fn a_backup_is_a_file_on_sqlite_and_pg_dump_on_postgres(db) {
        let store = db.open().await;
        ten_entries(&store).await;
        store.checkpoint().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("backup.db");
        match db.backend() {
            Backend::Sqlite => {
                store.backup(&out).await.unwrap();
                assert!(out.is_file());
            }
            Backend::Postgres => {
                let err = store.backup(&out).await.unwrap_err();
                assert!(
                    matches!(&err, StoreError::Refused(m) if m.contains("pg_dump") && m.contains("docs/operations.md")),
                    "{err}"
                );
                assert!(!out.exists());
            }
        }
        store.close().await.unwrap();
    }

    /// What an erasure leaves in the records, on every backend (what it
    /// leaves on disk is SQLite's own test above).
    async fn an_erasure_leaves_none_of_the_candidates_data_in_the_records(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate_everywhere(&store, o).await;
        let keep = store
            .add_candidate("hm", &NewCandidate {
                opening: o,
                name: "Kept Neighbour".into(),
                email: None,
                internal: false,
                wants_leadership: None,
                gives_up: None,
                stage: "screen".into(),
            })
            .await
            .unwrap();
        let erased = store.erase_candidate("hm", id, "candidate-request").await.unwrap();
        assert!(erased.records_deleted >= 5, "{erased:?}");
        let c = store.candidate(id).await.unwrap().unwrap();
        assert_eq!(c.name, multiplier_store::erased_name(id));
        assert_eq!(c.email, None);
        assert_eq!(c.links, None);
        assert_eq!(c.status_reason, None, "a free note with a status is erased");
        assert!(store.scorecards(id).await.unwrap().is_empty());
        assert!(store.decisions(id).await.unwrap().is_empty());
        assert!(store.offers(id).await.unwrap().is_empty());
        assert!(store.notes(id).await.unwrap().is_empty());
        assert!(store.files(id).await.unwrap().is_empty());
        assert!(store.evidence(id).await.unwrap().is_empty());
        assert_eq!(store.candidate(keep).await.unwrap().unwrap().name, "Kept Neighbour");
        let log = store.audit(&AuditFilter::default()).await.unwrap();
        let entry = log
            .iter()
            .find(|e| e.action == "candidate.erase")
            .expect("the erasure is audited");
        assert!(entry.detail.contains("reason: candidate-request"), "{entry:?}");
        let text = format!("{log:?}");
        assert!(MARKERS.iter().all(|m| !text.contains(m)));
        assert!(store.verify_audit().await.unwrap().broken.is_none());
    }
}

#[tokio::test]
async fn a_restore_into_postgres_is_refused_naming_pg_restore() {
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("b.db");
    std::fs::write(&backup, b"whatever").unwrap();
    let err = restore(
        &backup,
        "postgres://me:secret@db.internal/multiplier",
        false,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(m) if m.contains("pg_restore") && m.contains("multiplier migrate")),
        "{err}"
    );
    assert!(!err.to_string().contains("secret"));
}

// SQLite only: reads the database file's bytes or writes SQLite files.
#[tokio::test]
async fn closing_the_store_empties_the_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let store = open(&path.display().to_string()).await.unwrap();
    let o = opening(&store).await;
    candidate_everywhere(&store, o).await;
    let wal = side(&path, "-wal");
    assert!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0);
    let Store::Sqlite(s) = &store else {
        unreachable!("a file path opens SQLite")
    };
    s.close().await.unwrap();
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
}
