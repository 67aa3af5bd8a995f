//! The hiring loop's persistence: append-only scorecards, an audit entry for every
//! change, and refusals that say why. Every scenario runs on SQLite and (when
//! `MULTIPLIER_TEST_POSTGRES_URL` is set) on PostgreSQL; so do the ATS records,
//! metric snapshots and bulk seeding, which share these tables.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::civil::date;
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{
    FlagResolution, Outcome, Recommendation, Reference, ReferenceKind, Scorecard,
};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::{Backend, TestDb};
use multiplier_store::{
    Added, AtsStore, AuditFilter, CandidateDetails, CandidateId, HiringStore, MetricsStore,
    NewCandidate, NewFile, OpeningId, Origin, RoleId, RoleStore, SeedCandidate, SeedDecision,
    SeedOffer, SeedStore, Store, StoreError, Submission,
};
use std::collections::BTreeMap;

async fn store_with_candidate(db: &TestDb) -> (Store, CandidateId) {
    let store = db.open().await;
    let fw = Framework::default_framework().expect("fw");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .expect("example");
    let role = store
        .add_role("hm", &Role::parse(&fw, "x", &text).expect("role"))
        .await
        .expect("role stored");
    let opening = store
        .add_opening("hm", role, "Tech Lead, Payments", "hm")
        .await
        .expect("opening");
    let candidate = NewCandidate {
        opening,
        name: "Dana".into(),
        email: None,
        internal: false,
        wants_leadership: None,
        gives_up: None,
        stage: "screen".into(),
    };
    let id = store
        .add_candidate("hm", &candidate)
        .await
        .expect("candidate");
    (store, id)
}

fn card(version: u32, score: i64) -> Scorecard {
    Scorecard {
        stage: "leadership".into(),
        interviewer: "ana".into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(score).expect("score"))]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, "evidence".to_string())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
        version,
        amendment_reason: (version > 1).then(|| "reason".to_string()),
    }
}

multiplier_store::each_backend! {
    async fn a_submitted_scorecard_cannot_be_replaced_only_amended(db) {
        let (store, id) = store_with_candidate(&db).await;
        let early = store
            .submit_scorecard("ana", id, &card(2, 2), Submission::Amendment { at_most: 5 })
            .await
            .expect_err("nothing to amend yet");
        assert!(
            matches!(early, StoreError::Refused(ref m) if m.contains("no submitted scorecard")),
            "{early}"
        );
        let first = store
            .submit_scorecard("ana", id, &card(7, 2), Submission::First)
            .await
            .expect("first");
        assert_eq!(
            first.card.version, 1,
            "the store numbers versions, not the caller"
        );
        let again = store
            .submit_scorecard("ana", id, &card(1, 4), Submission::First)
            .await
            .expect_err("resubmitting version 1");
        assert!(
            matches!(again, StoreError::Refused(ref m) if m.contains("amend it with a reason")),
            "{again}"
        );
        let amended = store
            .submit_scorecard("ana", id, &card(2, 3), Submission::Amendment { at_most: 5 })
            .await
            .expect("amendment");
        assert_eq!(amended.card.version, 2);
        let cards = store.scorecards(id).await.expect("list");
        assert_eq!(
            cards
                .iter()
                .map(|c| (c.card.version, c.card.scores[&Signal::TeamMultiplier].get()))
                .collect::<Vec<_>>(),
            [(1, 2), (2, 3)]
        );
    }

    async fn every_change_is_audited_with_actor_and_subject(db) {
        let (store, id) = store_with_candidate(&db).await;
        store
            .assign("hm", id, "leadership", "ana")
            .await
            .expect("assign");
        store
            .submit_scorecard("ana", id, &card(1, 3), Submission::First)
            .await
            .expect("submit");
        store
            .resolve_flag(
                "hm",
                id,
                &FlagResolution {
                    flag: "x".into(),
                    by: "hm".into(),
                    note: "checked".into(),
                },
            )
            .await
            .expect("resolve");
        store
            .record_decision("hm", id, Outcome::Hire, "both signals clear", true)
            .await
            .expect("decide");
        let all = store.audit(&AuditFilter::default()).await.expect("audit");
        let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "role.create",
                "opening.create",
                "candidate.add",
                "interviewer.assign",
                "scorecard.submit",
                "flag.resolve",
                "decision.record"
            ]
        );
        let by_ana = store
            .audit(&AuditFilter {
                actor: Some("ana".into()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(by_ana.len(), 1);
        assert_eq!(by_ana[0].subject, format!("candidate:{id}"));
        assert!(
            !by_ana[0].detail.contains("Dana"),
            "no personal data in the log"
        );
        let scorecards = store
            .audit(&AuditFilter {
                action: Some("scorecard".into()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(scorecards.len(), 1);
    }

    async fn refusals_and_missing_records_say_why(db) {
        let (store, id) = store_with_candidate(&db).await;
        let err = store
            .accept_offer("hm", id, date(2027, 1, 4))
            .await
            .expect_err("no offer yet");
        assert!(err.to_string().contains("no open offer"));
        store
            .record_offer("hm", id, &serde_json::json!({"band_min": 1}))
            .await
            .expect("offer");
        store
            .accept_offer("hm", id, date(2027, 1, 4))
            .await
            .expect("accept");
        assert_eq!(
            store.offers(id).await.expect("offers")[0].start_date,
            Some(date(2027, 1, 4))
        );
        store
            .mark_step_done("hm", id, "access", "")
            .await
            .expect("done");
        assert!(
            store.mark_step_done("hm", id, "access", "").await.is_err(),
            "done once"
        );
        let missing = store
            .assign("hm", CandidateId(999), "screen", "ana")
            .await
            .expect_err("no candidate");
        assert!(matches!(
            missing,
            StoreError::NotFound {
                what: "candidate",
                ..
            }
        ));
        let no_role = store
            .add_opening("hm", RoleId(999), "x", "hm")
            .await
            .expect_err("no role");
        assert!(
            matches!(no_role, StoreError::NotFound { what: "role", .. }),
            "{no_role}"
        );
        let no_opening = NewCandidate {
            opening: OpeningId(999),
            name: "x".into(),
            email: None,
            internal: false,
            wants_leadership: None,
            gives_up: None,
            stage: "screen".into(),
        };
        assert!(matches!(
            store.add_candidate("hm", &no_opening).await,
            Err(StoreError::NotFound {
                what: "opening",
                ..
            })
        ));
    }

    async fn the_audit_log_pages_back_from_the_newest_and_filters_by_several_subjects(db) {
        let (store, id) = store_with_candidate(&db).await;
        for stage in ["async-assessment", "technical-depth", "code-review"] {
            store.move_candidate("hm", id, stage).await.expect("move");
        }
        let all = store.audit(&AuditFilter::default()).await.expect("audit");
        assert_eq!(all.len(), 6, "role, opening, candidate and three moves");
        let first_page = store
            .audit(&AuditFilter {
                newest_first: true,
                limit: Some(2),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        let ids: Vec<i64> = first_page.iter().map(|e| e.id).collect();
        assert_eq!(ids, [all[5].id, all[4].id], "newest first, limited");
        let next_page = store
            .audit(&AuditFilter {
                newest_first: true,
                limit: Some(2),
                before: Some(all[4].id),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        let ids: Vec<i64> = next_page.iter().map(|e| e.id).collect();
        assert_eq!(ids, [all[3].id, all[2].id], "the page before the cursor");
        let about = store
            .audit(&AuditFilter {
                subjects: vec!["opening:1".into(), format!("candidate:{id}")],
                action: Some("candidate".into()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(about.len(), 4, "candidate.add and the moves: {about:?}");
        let none = store
            .audit(&AuditFilter {
                subjects: vec!["candidate:999".into()],
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert!(none.is_empty());
    }
}

fn new_candidate(opening: OpeningId, name: &str, email: Option<&str>) -> NewCandidate {
    NewCandidate {
        opening,
        name: name.into(),
        email: email.map(str::to_string),
        internal: false,
        wants_leadership: None,
        gives_up: None,
        stage: "screen".into(),
    }
}

fn reference(answer: &str) -> Reference {
    Reference {
        kind: ReferenceKind::Manager,
        name: "Robin".into(),
        relationship: "their manager".into(),
        answer: answer.into(),
        example: "ran the migration".into(),
        scores: BTreeMap::new(),
    }
}

/// A connection of our own to the test database, for what the store API does
/// not show (the summary rows the triggers keep, the audit chain's links).
enum Raw {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Raw {
    async fn connect(db: &TestDb) -> Raw {
        use sqlx::Connection;
        match db.backend() {
            Backend::Sqlite => Raw::Sqlite(
                sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.location()))
                    .await
                    .expect("connect to SQLite"),
            ),
            Backend::Postgres => Raw::Postgres(
                sqlx::PgConnection::connect(db.location())
                    .await
                    .expect("connect to PostgreSQL"),
            ),
        }
    }

    /// The candidate's summary row: (stale, generation).
    async fn summary(&mut self, id: CandidateId) -> (bool, i64) {
        use sqlx::Row;
        match self {
            Raw::Sqlite(c) => {
                let row = sqlx::query(
                    "SELECT stale, generation FROM candidate_summary WHERE candidate_id = ?",
                )
                .bind(id.0)
                .fetch_one(&mut *c)
                .await
                .expect("summary row");
                (row.get::<bool, _>("stale"), row.get::<i64, _>("generation"))
            }
            Raw::Postgres(c) => {
                let row = sqlx::query(
                    "SELECT stale, generation FROM candidate_summary WHERE candidate_id = $1",
                )
                .bind(id.0)
                .fetch_one(&mut *c)
                .await
                .expect("summary row");
                (row.get::<bool, _>("stale"), row.get::<i64, _>("generation"))
            }
        }
    }

    /// Mark the summary fresh, as the refresh after a recomputation does.
    async fn mark_fresh(&mut self, id: CandidateId) {
        match self {
            Raw::Sqlite(c) => {
                sqlx::query("UPDATE candidate_summary SET stale = 0 WHERE candidate_id = ?")
                    .bind(id.0)
                    .execute(&mut *c)
                    .await
                    .expect("mark fresh");
            }
            Raw::Postgres(c) => {
                sqlx::query("UPDATE candidate_summary SET stale = FALSE WHERE candidate_id = $1")
                    .bind(id.0)
                    .execute(&mut *c)
                    .await
                    .expect("mark fresh");
            }
        }
    }

    /// Every audit entry's (id, prev_hash, hash), oldest first.
    async fn chain(&mut self) -> Vec<(i64, String, String)> {
        use sqlx::Row;
        let sql = "SELECT id, prev_hash, hash FROM audit ORDER BY id";
        match self {
            Raw::Sqlite(c) => sqlx::query(sql)
                .fetch_all(&mut *c)
                .await
                .expect("audit")
                .iter()
                .map(|r| (r.get("id"), r.get("prev_hash"), r.get("hash")))
                .collect(),
            Raw::Postgres(c) => sqlx::query(sql)
                .fetch_all(&mut *c)
                .await
                .expect("audit")
                .iter()
                .map(|r| (r.get("id"), r.get("prev_hash"), r.get("hash")))
                .collect(),
        }
    }
}

multiplier_store::each_backend! {
    async fn each_judgement_write_marks_the_candidate_summary_stale(db) {
        let (store, id) = store_with_candidate(&db).await;
        let mut raw = Raw::connect(&db).await;
        assert_eq!(raw.summary(id).await, (false, 0), "a new candidate has nothing to summarise");

        let mut generation = 0;
        let mut expect_stale = async |raw: &mut Raw, what: &str| {
            generation += 1;
            assert_eq!(raw.summary(id).await, (true, generation), "after {what}");
            raw.mark_fresh(id).await;
        };
        store.submit_scorecard("ana", id, &card(1, 3), Submission::First).await.expect("submit");
        expect_stale(&mut raw, "a scorecard").await;
        store.submit_scorecard("ana", id, &card(2, 2), Submission::Amendment { at_most: 5 }).await.expect("amend");
        expect_stale(&mut raw, "an amendment").await;
        store.add_reference("hm", id, &reference("yes")).await.expect("reference");
        expect_stale(&mut raw, "a reference").await;
        store.assign("hm", id, "leadership", "ana").await.expect("assign");
        expect_stale(&mut raw, "an assignment").await;
        store.unassign("hm", id, "leadership", "ana").await.expect("unassign");
        expect_stale(&mut raw, "an unassignment").await;
        let resolution = FlagResolution { flag: "x".into(), by: "hm".into(), note: "checked".into() };
        store.resolve_flag("hm", id, &resolution).await.expect("resolve");
        expect_stale(&mut raw, "a flag resolution").await;

        // Writes that change no judgement leave the summary as it is.
        store.add_evidence("hm", id, "answers", "portal", &serde_json::json!({"a": 1})).await.expect("evidence");
        store.record_decision("hm", id, Outcome::Hire, "clear", true).await.expect("decide");
        store.move_candidate("hm", id, "debrief").await.expect("move");
        assert_eq!(raw.summary(id).await, (false, 6), "untouched by evidence, decisions, moves");

        // Assigning a stage already assigned inserts nothing, so nothing is stale.
        store.assign("hm", id, "debrief", "ana").await.expect("assign");
        raw.mark_fresh(id).await;
        store.assign("hm", id, "debrief", "ana").await.expect("assign again");
        assert_eq!(raw.summary(id).await, (false, 7), "an assignment that was already there");
    }

    async fn every_write_about_a_missing_candidate_is_not_found_and_leaves_no_trace(db) {
        let (store, _) = store_with_candidate(&db).await;
        let before = store.audit(&AuditFilter::default()).await.expect("audit").len();
        let gone = CandidateId(999);
        let resolution = FlagResolution { flag: "x".into(), by: "hm".into(), note: "n".into() };
        let details = CandidateDetails {
            name: "x".into(), email: None, internal: false, wants_leadership: None, gives_up: None,
        };
        let results: Vec<(&str, Result<(), StoreError>)> = vec![
            ("edit", store.edit_candidate("hm", gone, &details).await),
            ("move", store.move_candidate("hm", gone, "debrief").await),
            ("assign", store.assign("hm", gone, "screen", "ana").await),
            ("assign stages", store.assign_stages("hm", gone, &["screen".into(), "debrief".into()], "ana").await),
            ("unassign", store.unassign("hm", gone, "screen", "ana").await),
            ("scorecard", store.submit_scorecard("ana", gone, &card(1, 3), Submission::First).await.map(drop)),
            ("evidence", store.add_evidence("hm", gone, "answers", "portal", &serde_json::json!({})).await.map(drop)),
            ("reference", store.add_reference("hm", gone, &reference("yes")).await.map(drop)),
            ("resolve", store.resolve_flag("hm", gone, &resolution).await),
            ("decision", store.record_decision("hm", gone, Outcome::Hire, "r", true).await.map(drop)),
            ("offer", store.record_offer("hm", gone, &serde_json::json!({})).await.map(drop)),
            ("onboarding", store.mark_step_done("hm", gone, "access", "").await),
            ("note", store.add_note("hm", gone, "hello").await.map(drop)),
        ];
        for (what, result) in results {
            assert!(
                matches!(result, Err(StoreError::NotFound { what: "candidate", ref id }) if id == "999"),
                "{what}: {result:?}"
            );
        }
        // These refuse as the app expects: nothing to act on.
        assert!(matches!(store.accept_offer("hm", gone, date(2027, 1, 4)).await, Err(StoreError::Refused(_))));
        assert!(matches!(store.set_candidate_status("hm", gone, "active", "on-hold", None).await, Err(StoreError::Refused(_))));
        assert!(store.candidate(gone).await.expect("read").is_none());
        assert!(store.scorecards(gone).await.expect("read").is_empty());
        assert_eq!(
            store.audit(&AuditFilter::default()).await.expect("audit").len(),
            before,
            "a refused write appends nothing to the log"
        );
    }

    async fn scorecards_submitted_at_the_same_moment_are_all_kept(db) {
        let (store, id) = store_with_candidate(&db).await;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..8 {
            let store = store.clone();
            tasks.spawn(async move {
                let mut c = card(1, 3);
                c.interviewer = format!("interviewer-{n}");
                store.submit_scorecard(&c.interviewer.clone(), id, &c, Submission::First).await
            });
        }
        // Two first submissions by one interviewer for one stage: one of them wins.
        for _ in 0..2 {
            let store = store.clone();
            tasks.spawn(async move {
                store.submit_scorecard("ana", id, &card(1, 2), Submission::First).await
            });
        }
        let mut stored = 0;
        let mut refused = 0;
        while let Some(done) = tasks.join_next().await {
            match done.expect("task") {
                Ok(record) => {
                    assert_eq!(record.card.version, 1);
                    stored += 1;
                }
                Err(StoreError::Refused(m)) => {
                    assert!(m.contains("ana"), "{m}");
                    refused += 1;
                }
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
        assert_eq!((stored, refused), (9, 1));
        let cards = store.scorecards(id).await.expect("list");
        assert_eq!(cards.len(), 9, "nothing lost");
        let mut ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 9);
        let submits = store
            .audit(&AuditFilter { action: Some("scorecard.submit".into()), ..AuditFilter::default() })
            .await
            .expect("audit");
        assert_eq!(submits.len(), 9, "one entry per stored scorecard");
        // The writers queued on the write lock: each entry links to the one before.
        let chain = Raw::connect(&db).await.chain().await;
        for pair in chain.windows(2) {
            assert_eq!(pair[1].1, pair[0].2, "entry {} links to entry {}", pair[1].0, pair[0].0);
            assert!(!pair[1].2.is_empty(), "entry {} is sealed", pair[1].0);
        }
    }

    async fn a_seed_batch_of_500_candidates_lands_in_one_transaction(db) {
        let store = db.open().await;
        assert!(store.is_empty().await.expect("empty"), "a new database is empty");
        let (_, opening) = store_with_candidate(&db).await;
        let opening = store.candidate(opening).await.expect("read").expect("there").opening;
        assert!(!store.is_empty().await.expect("empty"));
        let at = jiff::Timestamp::from_second(1_780_000_000).expect("time");
        let batch: Vec<SeedCandidate> = (0..500)
            .map(|n| {
                let mut scorecard = card(1, 1 + n % 4);
                scorecard.interviewer = format!("iv{}", n % 7);
                SeedCandidate {
                    candidate: NewCandidate {
                        internal: n % 3 == 0,
                        ..new_candidate(opening, &format!("Person {n}"), Some(&format!("p{n}@example.org")))
                    },
                    created_at: at,
                    assignments: [
                        ("leadership".into(), scorecard.interviewer.clone()),
                        ("technical-depth".into(), "bo".into()),
                    ]
                    .into_iter()
                    // the first candidate names one assignment twice: kept once
                    .chain((n == 0).then(|| ("technical-depth".into(), "bo".into())))
                    .collect(),
                    scorecards: vec![(scorecard, at)],
                    references: vec![(reference(&format!("steady {n}")), format!("hm{}", n % 3))],
                    evidence: vec![("answers".into(), "portal".into(), serde_json::json!({"answers": {"q": format!("text {n}")}}))],
                    decision: (n % 5 == 0).then(|| SeedDecision {
                        by: "hm".into(),
                        outcome: Outcome::Hire,
                        rationale: "both signals".into(),
                        meets_bar: n % 10 == 0,
                    }),
                    offer: (n % 10 == 0).then(|| SeedOffer {
                        body: serde_json::json!({"band_min": 1}),
                        status: "accepted".into(),
                        start: Some(date(2027, 1, 4)),
                    }),
                }
            })
            .collect();
        let started = std::time::Instant::now();
        let (ids, counts) = store.seed_batch("seed", opening, &batch).await.expect("seed");
        println!(
            "seed_batch of 500 candidates on {:?}: {:.0} ms",
            db.backend(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        assert_eq!(ids.len(), 500);
        assert!(ids.windows(2).all(|w| w[0].0 < w[1].0), "ids in batch order");
        assert_eq!(
            (counts.candidates, counts.assignments, counts.scorecards, counts.references, counts.evidence, counts.decisions, counts.offers),
            (500, 1001, 500, 500, 500, 100, 50)
        );
        assert_eq!(store.candidates(Some(opening)).await.expect("list").len(), 501);
        assert_eq!(store.assignments(ids[0]).await.expect("assignments").len(), 2);
        let after = store
            .add_candidate("hm", &new_candidate(opening, "After", None))
            .await
            .expect("a candidate added after the seed");
        assert!(after.0 > ids[499].0, "new ids follow the seeded ones");
        let third = store.candidate(ids[3]).await.expect("read").expect("there");
        assert_eq!((third.name.as_str(), third.internal), ("Person 3", true));
        assert_eq!(store.scorecards(ids[3]).await.expect("cards")[0].card.interviewer, "iv3");
        // Each row under the candidate it was written for, whatever table.
        for (i, id) in [(3, ids[3]), (499, ids[499])] {
            let cards = store.scorecards(id).await.expect("cards");
            assert_eq!(cards.len(), 1, "candidate {i}");
            assert_eq!(cards[0].card, batch[i].scorecards[0].0, "candidate {i}'s scorecard");
            let refs = store.references(id).await.expect("references");
            assert_eq!(
                (refs.len(), refs[0].reference.answer.as_str(), refs[0].recorded_by.as_str()),
                (1, format!("steady {i}").as_str(), format!("hm{}", i % 3).as_str())
            );
            let evidence = store.evidence(id).await.expect("evidence");
            assert_eq!(evidence.len(), 1, "candidate {i}");
            assert_eq!(evidence[0].body, batch[i].evidence[0].2, "candidate {i}'s evidence");
            assert_eq!(store.assignments(id).await.expect("assignments").len(), 2, "candidate {i}");
        }
        assert!(store.decisions(ids[3]).await.expect("decisions").is_empty());
        assert!(store.offers(ids[490]).await.expect("offers")[0].status == "accepted");
        assert!(store.offers(ids[491]).await.expect("offers").is_empty());
        let tenth = store.decisions(ids[10]).await.expect("decisions");
        assert!(tenth[0].meets_bar);
        assert!(!store.decisions(ids[5]).await.expect("decisions")[0].meets_bar);
        assert_eq!(store.offers(ids[10]).await.expect("offers")[0].start_date, Some(date(2027, 1, 4)));
        let seeded = store
            .audit(&AuditFilter { action: Some("demo.seed".into()), ..AuditFilter::default() })
            .await
            .expect("audit");
        assert_eq!(seeded.len(), 1, "one entry per batch");
        assert!(seeded[0].detail.starts_with("500 candidates, 1001 assignments"), "{}", seeded[0].detail);
        assert!(matches!(
            store.seed_batch("seed", OpeningId(999), &batch[..1]).await,
            Err(StoreError::NotFound { what: "opening", .. })
        ));
    }

    async fn candidates_read_back_as_written(db) {
        let (store, id) = store_with_candidate(&db).await;
        let opening = store.candidate(id).await.expect("read").expect("there").opening;
        let details = CandidateDetails {
            name: "Dana Q.".into(),
            email: Some("dana@example.org".into()),
            internal: true,
            wants_leadership: Some("yes".into()),
            gives_up: Some("some coding".into()),
        };
        store.edit_candidate("hm", id, &details).await.expect("edit");
        store.edit_candidate("hm", id, &details).await.expect("the same again");
        let edits = store
            .audit(&AuditFilter { action: Some("candidate.edit".into()), ..AuditFilter::default() })
            .await
            .expect("audit");
        assert_eq!(edits.len(), 1, "an edit that changes nothing is not logged");
        assert_eq!(edits[0].detail, "changed name, email, internal, promotion-trap answers");
        let c = store.candidate(id).await.expect("read").expect("there");
        assert_eq!(
            (c.name.as_str(), c.email.as_deref(), c.internal, c.gives_up.as_deref(), c.status.as_str()),
            ("Dana Q.", Some("dana@example.org"), true, Some("some coding"), "active")
        );
        let other = store.add_candidate("hm", &new_candidate(opening, "Eli", None)).await.expect("add");
        assert!(!store.candidate(other).await.expect("read").expect("there").internal);
        assert_eq!(store.candidates(None).await.expect("all").iter().map(|c| c.id).collect::<Vec<_>>(), [id, other]);
        assert_eq!(store.openings().await.expect("openings")[0].status, "open");

        store.assign_stages("hm", id, &["leadership".into(), "code-review".into()], "ana").await.expect("assign");
        store.assign("hm", other, "leadership", "ana").await.expect("assign");
        let stages: Vec<String> = store.assignments(id).await.expect("list").into_iter().map(|a| a.stage).collect();
        assert_eq!(stages.len(), 2);
        assert_eq!(store.assignments_of("ana").await.expect("of").len(), 3);
        assert!(matches!(
            store.unassign("hm", id, "screen", "ana").await,
            Err(StoreError::NotFound { what: "assignment", .. })
        ));

        let evidence = serde_json::json!({"answers": {"q1": "ünïcode ✓"}, "n": 3});
        store.add_evidence("hm", id, "answers", "portal", &evidence).await.expect("evidence");
        assert_eq!(store.evidence(id).await.expect("evidence")[0].body, evidence);
        store.add_reference("hm", id, &reference("would hire again")).await.expect("reference");
        let refs = store.references(id).await.expect("references");
        assert_eq!((refs[0].reference.answer.as_str(), refs[0].recorded_by.as_str()), ("would hire again", "hm"));
        store.record_decision("hm", id, Outcome::NoHire, "not yet", false).await.expect("decide");
        assert!(!store.decisions(id).await.expect("decisions")[0].meets_bar);
        let resolution = FlagResolution { flag: "x".into(), by: "hm".into(), note: "checked".into() };
        store.resolve_flag("hm", id, &resolution).await.expect("resolve");
        assert!(matches!(store.resolve_flag("hm", id, &resolution).await, Err(StoreError::Refused(_))));
        assert_eq!(store.resolutions(id).await.expect("resolutions"), [resolution]);
        store.mark_step_done("hm", id, "access", "keys given").await.expect("done");
        assert_eq!(store.steps_done(id).await.expect("steps")[0].note, "keys given");

        let since = store.audit(&AuditFilter::default()).await.expect("audit")[2].at;
        let later = store
            .audit(&AuditFilter { since: Some(since), action: Some("CANDIDATE".into()), ..AuditFilter::default() })
            .await
            .expect("audit");
        assert!(
            later.iter().all(|e| e.at >= since && e.action.starts_with("candidate.")),
            "{later:?}"
        );
        assert_eq!(later.len(), 3, "the add, the edit and Eli's add: {later:?}");
    }

    async fn ats_records_keep_files_notes_and_statuses(db) {
        let (store, first) = store_with_candidate(&db).await;
        let opening = store.candidate(first).await.expect("read").expect("there").opening;
        let cv = NewFile {
            file_name: "cv.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: vec![0x25, 0x50, 0x00, 0xff, 0x9f, 0x0a],
        };
        let origin = Origin {
            source: "applied".into(),
            links: Some("https://example.org/dana".into()),
            cv: Some(cv.clone()),
            unique_email: true,
            self_id: None,
        };
        let Added::Created(id) = store
            .add_candidate_from("portal", &new_candidate(opening, "Fay", Some("Fay@Example.org")), &origin)
            .await
            .expect("apply")
        else {
            panic!("a new applicant is created");
        };
        let again = store
            .add_candidate_from("portal", &new_candidate(opening, "Fay", Some("fay@example.ORG")), &origin)
            .await
            .expect("apply again");
        assert_eq!(again, Added::Duplicate(id), "the same e-mail, in another case");
        let record = store.candidate(id).await.expect("read").expect("there");
        assert_eq!((record.source.as_str(), record.links.as_deref()), ("applied", Some("https://example.org/dana")));
        let files = store.files(id).await.expect("files");
        assert_eq!(files.len(), 1);
        assert_eq!((files[0].kind.as_str(), files[0].file_name.as_str(), files[0].size), ("cv", "cv.pdf", 6));
        let file = store.file(id, files[0].id).await.expect("file").expect("there");
        assert_eq!(file.bytes, cv.bytes, "bytes come back as they went in");
        assert!(store.file(first, files[0].id).await.expect("file").is_none(), "another candidate's file");
        let applied = store
            .audit(&AuditFilter { action: Some("candidate.apply".into()), ..AuditFilter::default() })
            .await
            .expect("audit");
        assert_eq!(applied.len(), 1);
        assert!(applied[0].detail.ends_with("source applied, with a CV"), "{}", applied[0].detail);

        store.set_candidate_status("hm", id, "active", "rejected", Some("not-a-fit")).await.expect("reject");
        assert!(matches!(
            store.set_candidate_status("hm", id, "active", "on-hold", None).await,
            Err(StoreError::Refused(ref m)) if m.contains("no longer active")
        ));
        let record = store.candidate(id).await.expect("read").expect("there");
        assert_eq!((record.status.as_str(), record.status_reason.as_deref()), ("rejected", Some("not-a-fit")));

        let note = store.add_note("hm", id, "called back").await.expect("note");
        let notes = store.notes(id).await.expect("notes");
        assert_eq!((notes[0].id, notes[0].author.as_str(), notes[0].body.as_str()), (note, "hm", "called back"));

        store.set_opening_status("hm", opening, "open", "closed").await.expect("close");
        assert!(matches!(
            store.add_candidate_from("portal", &new_candidate(opening, "Gus", None), &Origin::default()).await,
            Err(StoreError::Refused(ref m)) if m.contains("closed")
        ));
        assert!(matches!(
            store.set_opening_status("hm", opening, "open", "archived").await,
            Err(StoreError::Refused(_))
        ));
        store.set_opening_status("hm", opening, "closed", "open").await.expect("reopen");
        assert!(matches!(
            store.add_candidate_from("portal", &new_candidate(OpeningId(999), "Gus", None), &Origin::default()).await,
            Err(StoreError::NotFound { what: "opening", .. })
        ));
        let actions: Vec<String> = store
            .audit(&AuditFilter { subject: Some(format!("opening:{opening}")), ..AuditFilter::default() })
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["opening.create", "opening.close", "opening.reopen"]);
    }

    async fn metric_snapshots_read_back_per_opening(db) {
        let (store, id) = store_with_candidate(&db).await;
        let opening = store.candidate(id).await.expect("read").expect("there").opening;
        let body = serde_json::json!({"deploys_per_week": 4.5, "window": {"days": 28}});
        let snap = store.save_snapshot("hm", opening, "git", "repo", &body).await.expect("save");
        let list = store.snapshots(opening).await.expect("list");
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].id, list[0].kind.as_str(), list[0].source.as_str()), (snap, "git", "repo"));
        assert_eq!(list[0].body, body);
        assert!(store.snapshots(OpeningId(999)).await.expect("list").is_empty());
        assert!(matches!(
            store.save_snapshot("hm", OpeningId(999), "git", "repo", &body).await,
            Err(StoreError::NotFound { what: "opening", .. })
        ));
        let saved = store
            .audit(&AuditFilter { action: Some("metrics.save".into()), ..AuditFilter::default() })
            .await
            .expect("audit");
        assert_eq!(saved[0].detail, format!("git snapshot {snap}"));
    }
}
