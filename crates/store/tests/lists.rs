//! Paged lists at scale: every hot list query uses an index (asserted on
//! each backend's own query plan), the full-text index follows every write, and
//! an erasure leaves nothing of the candidate in it. Each scenario runs on
//! SQLite and, when `MULTIPLIER_TEST_POSTGRES_URL` is set, on PostgreSQL.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{DebriefLine, Outcome, Recommendation, Scorecard};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::{Backend, TestDb};
use multiplier_store::{
    CandidateId, CandidateQuery, CardRow, HiringStore, ListStore, ListViewer, NewCandidate,
    OpeningId, PortalStore, RoleId, RoleStore, Store,
};
use std::collections::BTreeMap;

/// Tables that grow with the candidates: reading one of them whole is the
/// slowness this guards against.
const BIG: [&str; 10] = [
    "candidates",
    "scorecards",
    "evidence",
    "candidate_references",
    "decisions",
    "offers",
    "assignments",
    "audit",
    "search_docs",
    "candidate_summary",
];

/// The plan steps that read a big table whole, without an index: SQLite's
/// `SCAN table` (not `… USING INDEX`), PostgreSQL's `Seq Scan on table`.
fn full_scans(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|step| {
            if let Some(rest) = step.strip_prefix("SCAN ") {
                let table = rest.split_whitespace().next().unwrap_or_default();
                return BIG.contains(&table) && !rest.contains("USING");
            }
            if let Some(rest) = step.strip_prefix("Seq Scan on ") {
                let table = rest.split_whitespace().next().unwrap_or_default();
                return BIG.contains(&table);
            }
            false
        })
        .cloned()
        .collect()
}

/// A query's plan on whichever backend `store` is.
async fn plan_of(store: &Store, q: &CandidateQuery) -> Vec<String> {
    match store {
        Store::Sqlite(s) => s.explain_candidate_page(q).await.unwrap(),
        Store::Postgres(p) => p.explain_candidate_page(q).await.unwrap(),
    }
}

async fn other_plans(store: &Store, viewer: &ListViewer) -> Vec<String> {
    match store {
        Store::Sqlite(s) => s.explain_other_lists(viewer).await.unwrap(),
        Store::Postgres(p) => p.explain_other_lists(viewer).await.unwrap(),
    }
}

/// The audit trail of one subject is read through its index.
fn reads_audit_by_subject(plan: &[String]) -> bool {
    plan.iter().any(|p| {
        p.starts_with("SEARCH audit USING INDEX audit_by_subject")
            || p.ends_with(" using audit_by_subject")
    })
}

/// How many plan steps read the audit log through its primary key from a
/// cursor: SQLite's `SEARCH audit USING INTEGER PRIMARY KEY (rowid…)`,
/// PostgreSQL's (bitmap) index scan on `audit_pkey`.
fn audit_pages_by_key(plan: &[String]) -> usize {
    plan.iter()
        .filter(|p| {
            p.starts_with("SEARCH audit USING INTEGER PRIMARY KEY (rowid")
                || (p.contains("Index Scan") && p.ends_with(" using audit_pkey"))
        })
        .count()
}

/// A connection of its own to the PostgreSQL test database (its URL names the
/// test's schema), for looking at the index straight.
async fn raw_postgres(db: &TestDb) -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(db.location())
        .await
        .unwrap()
}

async fn opening(store: &Store) -> OpeningId {
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
    store
        .add_opening("hm", role, "Tech Lead, Payments", "hm")
        .await
        .expect("opening")
}

async fn candidate(store: &Store, opening: OpeningId, name: &str) -> CandidateId {
    store
        .add_candidate(
            "hm",
            &NewCandidate {
                opening,
                name: name.into(),
                email: None,
                internal: false,
                wants_leadership: None,
                gives_up: None,
                stage: "screen".into(),
            },
        )
        .await
        .unwrap()
}

fn card(interviewer: &str, note: &str) -> Scorecard {
    Scorecard {
        stage: "leadership".into(),
        interviewer: interviewer.into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(3).unwrap())]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, note.to_string())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
        version: 1,
        amendment_reason: None,
    }
}

fn admin() -> ListViewer {
    ListViewer {
        name: "hm".into(),
        admin: true,
    }
}

fn interviewer() -> ListViewer {
    ListViewer {
        name: "ana".into(),
        admin: false,
    }
}

multiplier_store::each_backend! {
    /// On SQLite, its own EXPLAIN QUERY PLAN; on PostgreSQL, EXPLAIN (FORMAT JSON)
    /// with sequential scans priced out, so a scan left in a plan is one no index
    /// could replace (on tables this small the planner would otherwise scan).
    async fn every_hot_list_query_reads_through_an_index(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        // Some rows, so the planner sees real tables (and ANALYZE-free defaults).
        for i in 0..20 {
            let id = candidate(&store, o, &format!("Person {i}")).await;
            store.assign("hm", id, "leadership", "ana").await.unwrap();
        }
        let mut queries = Vec::new();
        for viewer in [admin(), interviewer()] {
            let base = CandidateQuery::new(viewer.clone(), 51);
            queries.push(("everyone", base.clone()));
            let mut q = base.clone();
            q.after = Some(CandidateId(10));
            queries.push(("a later page", q));
            let mut q = base.clone();
            q.opening = Some(o);
            q.stage = Some("screen".into());
            queries.push(("a board column", q));
            let mut q = base.clone();
            q.opening = Some(o);
            q.carded_or_at = Some(vec!["debrief".into(), "offer".into()]);
            queries.push(("an opening's debrief", q));
            let mut q = base.clone();
            q.text = Some("\"rollback\"*".into());
            q.min_technical_depth = Some(3.0);
            q.min_team_multiplier = Some(3.0);
            q.code_review = true;
            q.unresolved_flags = Some(false);
            q.since = Some(jiff::Timestamp::UNIX_EPOCH);
            queries.push(("the assessed-leads search", q));
            let mut q = base;
            q.flag = Some("dismisses-dissent".into());
            q.stage = Some("debrief".into());
            queries.push(("a stage and a red flag", q));
        }
        for (what, q) in &queries {
            let plan = plan_of(&store, q).await;
            assert!(!plan.is_empty());
            if std::env::var_os("SHOW_PLANS").is_some() {
                eprintln!("{what} as {}: {plan:#?}", q.viewer.name);
            }
            assert_eq!(
                full_scans(&plan),
                Vec::<String>::new(),
                "{what} as {}: {plan:#?}",
                q.viewer.name
            );
        }
        for viewer in [admin(), interviewer()] {
            let plan = other_plans(&store, &viewer).await;
            if std::env::var_os("SHOW_PLANS").is_some() {
                eprintln!("other lists as {}: {plan:#?}", viewer.name);
            }
            assert_eq!(full_scans(&plan), Vec::<String>::new(), "{plan:#?}");
            assert!(reads_audit_by_subject(&plan), "{plan:#?}");
            // The out-of-date summaries, read before every list, come from
            // their partial index (migration 0019), not a walk of every summary.
            assert!(
                plan.iter().any(|p| p.contains("candidate_summary_stale")),
                "{plan:#?}"
            );
            // The hires (the outcome reminders' pass, at start and hourly)
            // come from their partial indexes (migration 0028), not a walk
            // of every candidate and their offers.
            for index in ["candidates_hired", "offers_with_start"] {
                assert!(plan.iter().any(|p| p.contains(index)), "{index}: {plan:#?}");
            }
            // On SQLite, the viewer's own assignments and scorecards on a
            // page, read in one statement, each through its index by
            // interviewer.
            if matches!(store, Store::Sqlite(_)) {
                for index in ["assignments_by_interviewer", "scorecards_by_interviewer"] {
                    assert!(plan.iter().any(|p| p.contains(index)), "{index}: {plan:#?}");
                }
            }
            // Every page of the audit log (each order, with and without the
            // API's filters) walks the primary key from its cursor.
            assert_eq!(
                audit_pages_by_key(&plan),
                multiplier_store::audit_pages().len(),
                "{plan:#?}"
            );
        }
        // The check itself catches a table read whole.
        assert_eq!(
            full_scans(&["SCAN scorecards".to_string()]),
            ["SCAN scorecards"]
        );
        assert_eq!(
            full_scans(&["Seq Scan on search_docs".to_string(), "Seq Scan on openings".to_string()]),
            ["Seq Scan on search_docs"]
        );
    }
}

multiplier_store::each_backend! {
    async fn the_search_index_follows_writes_and_an_erasure_empties_it(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate(&store, o, "Quintessa Marlowe").await;
        let other = candidate(&store, o, "Bram Marlowe").await;
        store.assign("hm", id, "leadership", "ana").await.unwrap();
        store
            .submit_scorecard(
                "ana",
                id,
                &card("ana", "walked the zanzibar rollback"),
                multiplier_store::Submission::First,
            )
            .await
            .unwrap();
        let names = |rows: Vec<multiplier_store::CandidateRow>| -> Vec<CandidateId> {
            rows.into_iter().map(|r| r.candidate.id).collect()
        };
        assert_eq!(
            names(store.candidate_page(&find("zanzibar")).await.unwrap()),
            [id]
        );
        assert_eq!(
            names(store.candidate_page(&find("marlowe")).await.unwrap()),
            [id, other]
        );
        let hit = store.candidate_page(&find("zanz")).await.unwrap();
        assert_eq!(
            hit[0].snippet.as_ref().map(|s| s.text.as_str()),
            Some("walked the \u{1}zanzibar\u{2} rollback")
        );

        store
            .erase_candidate("hm", id, "candidate-request")
            .await
            .unwrap();
        assert!(
            store
                .candidate_page(&find("zanzibar"))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .candidate_page(&find("quintessa"))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            names(store.candidate_page(&find("marlowe")).await.unwrap()),
            [other]
        );

        // Straight from the index: no document, no word of the candidate is left,
        // and the index is consistent.
        match db.backend() {
            Backend::Sqlite => sqlite_index_forgot(&db, id).await,
            Backend::Postgres => postgres_index_forgot(&db, id).await,
        }
    }
}

async fn sqlite_index_forgot(db: &TestDb, id: CandidateId) {
    // One connection: the vocabulary table below is a temporary one.
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", db.location()))
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(id.0)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM search_docs WHERE candidate_id = ? AND source <> 'name'").await,
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) + 0 * ? FROM search_text WHERE search_text MATCH 'zanzibar OR quintessa'").await,
        0
    );
    sqlx::query("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, search_text, row)")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        count("SELECT COUNT(*) + 0 * ? FROM temp.words WHERE term IN ('zanzibar', 'quintessa')")
            .await,
        0
    );
    assert!(
        count("SELECT COUNT(*) + 0 * ? FROM temp.words WHERE term = 'marlowe'").await == 1,
        "the other candidate's words stay"
    );
    sqlx::query("INSERT INTO search_text (search_text) VALUES ('integrity-check')")
        .execute(&pool)
        .await
        .unwrap();
}

async fn postgres_index_forgot(db: &TestDb, id: CandidateId) {
    let pool = raw_postgres(db).await;
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(id.0)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM search_docs WHERE candidate_id = $1 AND source <> 'name'")
            .await,
        0
    );
    // The name's document holds the placeholder, nothing else.
    assert_eq!(
        sqlx::query_scalar::<_, String>(
            "SELECT body FROM search_docs WHERE candidate_id = $1 AND source = 'name'"
        )
        .bind(id.0)
        .fetch_one(&pool)
        .await
        .unwrap(),
        multiplier_store::erased_name(id)
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) + 0 * $1 FROM search_docs
             WHERE words @@ to_tsquery('simple', 'zanzibar | quintessa')"
        )
        .await,
        0
    );
    // The vocabulary of every stored document (what FTS5's fts5vocab shows).
    assert_eq!(
        count(
            "SELECT COUNT(*) + 0 * $1 FROM ts_stat('SELECT words FROM search_docs')
             WHERE word IN ('zanzibar', 'quintessa', 'walked')"
        )
        .await,
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) + 0 * $1 FROM ts_stat('SELECT words FROM search_docs') WHERE word = 'marlowe'")
            .await,
        1,
        "the other candidate's words stay"
    );
    // Every document's words are those of its body (the generated column).
    assert_eq!(
        count(
            "SELECT COUNT(*) + 0 * $1 FROM search_docs WHERE words <> to_tsvector('simple', body)"
        )
        .await,
        0
    );
}

fn find(text: &str) -> CandidateQuery {
    let mut q = CandidateQuery::new(admin(), 10);
    q.text = Some(format!("\"{text}\"*"));
    q
}

multiplier_store::each_backend! {
    /// A passage comes back as the candidate's words, exactly: markup-looking text
    /// is not dropped or rewritten (the application escapes it), and only the
    /// match is marked.
    async fn highlights_keep_the_text_as_written_for_the_application_to_escape(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate(&store, o, "Ines Varga").await;
        store.assign("hm", id, "leadership", "ana").await.unwrap();
        let note = "(returns Vec<String> & <b>bold</b> claims; zanzibar <i>x</i>).";
        store
            .submit_scorecard(
                "ana",
                id,
                &card("ana", note),
                multiplier_store::Submission::First,
            )
            .await
            .unwrap();
        let hit = store.candidate_page(&find("zanzibar")).await.unwrap();
        let snippet = hit[0].snippet.as_ref().expect("a passage");
        assert_eq!(snippet.source, "scorecard");
        assert_eq!(
            snippet.text,
            "(returns Vec<String> & <b>bold</b> claims; \u{1}zanzibar\u{2} <i>x</i>)."
        );

        // A long text is cut around the match, the cuts marked.
        let long: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        let mut words = long.clone();
        words.insert(20, "quokka".into());
        let other = candidate(&store, o, "Pia Long").await;
        store.assign("hm", other, "leadership", "ana").await.unwrap();
        store
            .submit_scorecard(
                "ana",
                other,
                &card("ana", &words.join(" ")),
                multiplier_store::Submission::First,
            )
            .await
            .unwrap();
        let hit = store.candidate_page(&find("quokka")).await.unwrap();
        let text = &hit[0].snippet.as_ref().expect("a passage").text;
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert!(text.contains("\u{1}quokka\u{2}"), "{text}");
        assert!(text.split_whitespace().count() <= 16, "{text}");
    }
}

multiplier_store::each_backend! {
    /// Of a candidate's documents holding the words, the passage shown is the
    /// shortest, however often a longer one repeats them, and the older of two
    /// as short.
    async fn the_passage_shown_is_the_shortest_document_holding_the_words(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate(&store, o, "Ines Varga").await;
        let filler: Vec<String> = (0..10).map(|i| format!("filler{i}")).collect();
        let repeated = format!("{} {}", ["zanzibar"; 10].join(" "), filler.join(" "));
        let short = format!("zanzibar early {}", filler[..8].join(" "));
        let same = format!("zanzibar later {}", filler[..8].join(" "));
        assert_eq!(short.len(), same.len());
        for (who, note) in [("ana", &repeated), ("bo", &short), ("cy", &same)] {
            store.assign("hm", id, "leadership", who).await.unwrap();
            store
                .submit_scorecard(
                    who,
                    id,
                    &card(who, note),
                    multiplier_store::Submission::First,
                )
                .await
                .unwrap();
        }
        let hit = store.candidate_page(&find("zanzibar")).await.unwrap();
        let text = &hit[0].snippet.as_ref().expect("a passage").text;
        assert!(text.contains("\u{1}zanzibar\u{2} early"), "{text}");
    }
}

multiplier_store::each_backend! {
    /// What a person types never reaches the search engine as syntax: the
    /// application quotes each word for FTS5, and PostgreSQL's backend reads only
    /// the words out of that (tsquery's `& | ! : * '` and parentheses separate them).
    async fn search_words_that_look_like_query_syntax_do_not_fail(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate(&store, o, "Olu O'Brien").await;
        let mut texts = vec![
            "\"o\"* \"brien\"*".to_string(),
            "\"O\"* \"Brien\"*".to_string(),
        ];
        if db.backend() == Backend::Postgres {
            // Raw syntax (not what the application sends): still no error.
            texts.extend(
                ["a & b | !c:*", "'", "o'brien", "(brien", "\\ : * !", "brien:* & !o"]
                    .map(String::from),
            );
        }
        for text in texts {
            let mut q = CandidateQuery::new(admin(), 10);
            q.text = Some(text.clone());
            let rows = store.candidate_page(&q).await;
            assert!(rows.is_ok(), "{text}: {rows:?}");
            store.stage_counts(&q).await.unwrap();
            if text.contains("brien") {
                let rows = rows.unwrap();
                assert_eq!(rows.len(), 1, "{text}");
                assert_eq!(rows[0].candidate.id, id);
            }
        }
    }
}

multiplier_store::each_backend! {
    async fn a_summary_computed_before_a_write_is_not_kept(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let id = candidate(&store, o, "Ines Varga").await;
        assert!(
            store.stale_summaries(10).await.unwrap().is_empty(),
            "a new candidate's empty summary is already right"
        );
        store.assign("hm", id, "leadership", "ana").await.unwrap();
        store
            .submit_scorecard(
                "ana",
                id,
                &card("ana", "first"),
                multiplier_store::Submission::First,
            )
            .await
            .unwrap();
        let stale = store.stale_summaries(10).await.unwrap();
        assert_eq!(stale.len(), 1);
        let (_, read_at) = stale[0];
        // Another card lands between reading and saving: the save is dropped.
        store.assign("hm", id, "leadership", "bo").await.unwrap();
        store
            .submit_scorecard(
                "bo",
                id,
                &card("bo", "second"),
                multiplier_store::Submission::First,
            )
            .await
            .unwrap();
        let summary = multiplier_store::Summary {
            scorecards: 1,
            ..multiplier_store::Summary::default()
        };
        assert_eq!(
            store
                .save_summaries(&[(id, read_at, summary.clone())])
                .await
                .unwrap(),
            0
        );
        let (_, now) = store.stale_summaries(10).await.unwrap()[0];
        assert!(now > read_at);
        assert_eq!(
            store.save_summaries(&[(id, now, summary)]).await.unwrap(),
            1
        );
        assert!(store.stale_summaries(10).await.unwrap().is_empty());
        let row = &store
            .candidate_page(&CandidateQuery::new(admin(), 10))
            .await
            .unwrap()[0];
        assert_eq!(row.summary.scorecards, 1);
    }
}

multiplier_store::each_backend! {
    /// After `demo seed`'s bulk load PostgreSQL plans for the real sizes at
    /// once (its ANALYZE); on SQLite the call is a no-op that must still work.
    async fn a_bulk_load_ends_with_fresh_planner_statistics(db) {
        use multiplier_store::SeedStore;
        let store = db.open().await;
        let o = opening(&store).await;
        candidate(&store, o, "Person").await;
        store.after_bulk_load().await.unwrap();
        if db.backend() == multiplier_store::testing::Backend::Postgres {
            let pool = raw_postgres(&db).await;
            let analyzed: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_user_tables
                 WHERE schemaname = current_schema() AND relname IN ('candidates', 'candidate_summary')
                   AND last_analyze IS NOT NULL",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(analyzed, 2);
        }
    }
}

multiplier_store::each_backend! {
    /// A board's columns read in one go are exactly the pages read one stage at
    /// a time: the same rows in the same order, each from its own keyset, with
    /// the viewer's own assignments and scorecards.
    async fn several_stages_pages_at_once_equal_one_stage_at_a_time(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let mut ids = Vec::new();
        for (i, stage) in ["screen", "leadership", "offer", "screen", "leadership", "screen", "offer"]
            .into_iter()
            .enumerate()
        {
            let id = store
                .add_candidate(
                    "hm",
                    &NewCandidate {
                        opening: o,
                        name: format!("Candidate {i}"),
                        email: None,
                        internal: false,
                        wants_leadership: None,
                        gives_up: None,
                        stage: stage.into(),
                    },
                )
                .await
                .unwrap();
            store.assign("hm", id, stage, "ana").await.unwrap();
            ids.push(id);
        }
        // Two assignments of Ana's on one card, which it lists oldest first.
        store.assign("hm", ids[0], "leadership", "ana").await.unwrap();
        // Ana's card on the first candidate at leadership: a stage of hers there.
        store
            .submit_scorecard(
                "ana",
                ids[1],
                &card("ana", "kept the team's rollback drill"),
                multiplier_store::Submission::First,
            )
            .await
            .unwrap();
        for viewer in [admin(), interviewer()] {
            let mut q = CandidateQuery::new(viewer, 2);
            q.opening = Some(o);
            let stages = vec![
                ("screen".to_string(), None),
                ("leadership".to_string(), None),
                ("offer".to_string(), Some(ids[2])),
                ("debrief".to_string(), None),
            ];
            let together = store.stage_pages(&q, &stages).await.unwrap();
            assert_eq!(together.len(), stages.len());
            for ((stage, after), got) in stages.iter().zip(&together) {
                let mut one = q.clone();
                one.stage = Some(stage.clone());
                one.after = *after;
                let alone: Vec<CardRow> = store
                    .candidate_page(&one)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(CardRow::from)
                    .collect();
                assert_eq!(got, &alone, "{stage} after {after:?}");
            }
            let shown: Vec<Vec<CandidateId>> = together
                .iter()
                .map(|p| p.iter().map(|r| r.id).collect())
                .collect();
            assert_eq!(
                shown,
                [vec![ids[0], ids[3]], vec![ids[1], ids[4]], vec![ids[6]], vec![]]
            );
            assert!(together[0][0].assignments.iter().any(|a| a.interviewer == "ana") == (q.viewer.name == "ana"));
            let ana = q.viewer.name == "ana";
            let mine: Vec<Vec<String>> = together[1].iter().map(|r| r.own_stages.clone()).collect();
            let expected: Vec<Vec<String>> = if ana {
                vec![vec!["leadership".into()], vec![]]
            } else {
                vec![vec![], vec![]]
            };
            assert_eq!(mine, expected, "the viewer's own stages, as {}", q.viewer.name);
        }
        assert!(store.stage_pages(&CandidateQuery::new(admin(), 2), &[]).await.unwrap().is_empty());
        // The opening's count, kept by triggers for admins (migration 0021) and
        // counted from the assignments for an interviewer.
        let other = store.add_opening("hm", RoleId(1), "Second", "hm").await.unwrap();
        for viewer in [admin(), interviewer()] {
            assert_eq!(
                store.opening_counts(&viewer, &[o, other]).await.unwrap().get(&o),
                Some(&7)
            );
        }
        assert_eq!(
            store.opening_counts(&admin(), &[other]).await.unwrap().get(&other).copied().unwrap_or(0),
            0
        );
    }
}

multiplier_store::each_backend! {
    /// An admin's counts by stage are kept by triggers (migration 0022); they
    /// stay equal to the counts read from the candidates through additions,
    /// moves, status changes and an erasure, per opening and status filter.
    async fn kept_stage_counts_follow_every_write_of_a_candidate(db) {
        use multiplier_store::AtsStore;
        let store = db.open().await;
        let o = opening(&store).await;
        let other = store.add_opening("hm", RoleId(1), "Second", "hm").await.unwrap();
        let check = || async {
            let mut all = Vec::new();
            for opening in [Some(o), Some(other), None] {
                for ended in [None, Some(false), Some(true)] {
                    let mut kept = CandidateQuery::new(admin(), 10);
                    kept.opening = opening;
                    kept.ended = ended;
                    let mut counted = kept.clone();
                    counted.since = Some(jiff::Timestamp::UNIX_EPOCH);
                    assert!(kept.counts_are_kept() && !counted.counts_are_kept());
                    let k = store.stage_counts(&kept).await.unwrap();
                    assert_eq!(k, store.stage_counts(&counted).await.unwrap(), "{opening:?} {ended:?}");
                    all.push(k);
                }
            }
            all
        };
        let a = candidate(&store, o, "Ada").await;
        let b = candidate(&store, o, "Bo").await;
        let c = candidate(&store, other, "Cy").await;
        check().await;
        store.move_candidate("hm", a, "leadership").await.unwrap();
        check().await;
        store.set_candidate_status("hm", b, "active", "rejected", Some("no")).await.unwrap();
        check().await;
        store.erase_candidate("hm", c, "asked").await.unwrap();
        let now = check().await;
        let counts = |pairs: &[(&str, u64)]| {
            pairs.iter().map(|(s, n)| (s.to_string(), *n)).collect::<BTreeMap<_, _>>()
        };
        assert_eq!(now[0], counts(&[("leadership", 1), ("screen", 1)]));
        assert_eq!(now[1], counts(&[("leadership", 1)]));
        assert_eq!(now[2], counts(&[("screen", 1)]));
    }
}

multiplier_store::each_backend! {
    /// A page's rows and a debrief's inputs come packed in one row of JSON on
    /// SQLite: every column arrives as written (quotes, backslashes, line
    /// breaks, non-ASCII, empty and absent values), in the order the
    /// one-at-a-time reads give.
    async fn packed_reads_give_back_every_column_as_written(db) {
        use multiplier_core::pipeline::{Reference, ReferenceKind};
        let store = db.open().await;
        let o = opening(&store).await;
        let awkward = "Zoë \"Z\" O'Neil \\ 田中\nline two\t\u{7f}";
        let mut ids = Vec::new();
        for (i, (email, wants, gives)) in [
            (Some("zoe@example.com"), Some(awkward), Some("")),
            (None, None, None),
        ]
        .into_iter()
        .enumerate()
        {
            let id = store
                .add_candidate(
                    "hm",
                    &NewCandidate {
                        opening: o,
                        name: format!("{awkward} {i}"),
                        email: email.map(str::to_string),
                        internal: i == 0,
                        wants_leadership: wants.map(str::to_string),
                        gives_up: gives.map(str::to_string),
                        stage: "leadership".into(),
                    },
                )
                .await
                .unwrap();
            ids.push(id);
        }
        // Cards and references interleaved across the two candidates, so each
        // one's records are not contiguous in the tables.
        for (n, interviewer) in ["ana", "bo", "cy"].into_iter().enumerate() {
            for &id in &ids {
                store.assign("hm", id, "leadership", interviewer).await.unwrap();
                store
                    .submit_scorecard(
                        interviewer,
                        id,
                        &card(interviewer, &format!("{awkward} card {n}")),
                        multiplier_store::Submission::First,
                    )
                    .await
                    .unwrap();
                store
                    .add_reference(
                        "hm",
                        id,
                        &Reference {
                            kind: ReferenceKind::Manager,
                            name: format!("Robin {n}"),
                            relationship: awkward.into(),
                            answer: format!("answer {n}"),
                            example: awkward.into(),
                            scores: BTreeMap::new(),
                        },
                    )
                    .await
                    .unwrap();
            }
        }
        // Medians no short decimal writes exactly: SQLite packs them as whole
        // numbers, which must give back every bit.
        let summary = multiplier_store::Summary {
            scorecards: 3,
            technical_depth: Some(10.0 / 3.0),
            team_multiplier: Some(1.0 + f64::EPSILON),
            meets_bar: true,
            raised_flags: vec!["blames-team".into(), "no-delegation".into()],
            debrief_flags: vec!["no-delegation".into()],
            unresolved_flags: 1,
            debrief: None,
        };
        // The debrief kept beside it: the cards' awkward text, and numbers no
        // short decimal writes exactly.
        let fw = Framework::default_framework().expect("fw");
        let cards: Vec<Scorecard> = store
            .scorecards(ids[0])
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.card)
            .collect();
        let mut kept = multiplier_core::pipeline::debrief(&fw, &cards, &[], &[]);
        kept.signals[0].median = Some(10.0 / 3.0);
        kept.signals[0].spread = Some(1.0 + f64::EPSILON);
        assert!(
            kept.signals
                .iter()
                .flat_map(|s| &s.ratings)
                .any(|r| r.note.contains(awkward))
        );
        let summary = multiplier_store::Summary {
            debrief: Some(Box::new(kept.clone())),
            ..summary
        };
        let stale = store.stale_summaries(10).await.unwrap();
        let saved: Vec<_> = stale
            .iter()
            .filter(|(id, _)| *id == ids[0])
            .map(|(id, generation)| (*id, *generation, summary.clone()))
            .collect();
        assert_eq!(store.save_summaries(&saved).await.unwrap(), 1);

        let mut q = CandidateQuery::new(admin(), 10);
        q.opening = Some(o);
        let page = store.candidate_page(&q).await.unwrap();
        assert_eq!(
            page.iter().map(|r| r.candidate.id).collect::<Vec<_>>(),
            ids,
            "by id, oldest first"
        );
        for row in &page {
            let stored = store.candidate(row.candidate.id).await.unwrap().unwrap();
            assert_eq!(row.candidate, stored);
            assert_eq!(row.opening_title, "Tech Lead, Payments");
        }
        // Lists never read the kept debrief back.
        assert_eq!(
            page[0].summary,
            multiplier_store::Summary {
                debrief: None,
                ..summary.clone()
            }
        );
        let debriefs = store.kept_debriefs(&ids).await.unwrap();
        assert_eq!(debriefs.keys().copied().collect::<Vec<_>>(), vec![ids[0]]);
        assert_eq!(debriefs[&ids[0]], kept, "every field and every bit");
        let lines = store.kept_debrief_lines(&ids).await.unwrap();
        assert_eq!(lines.keys().copied().collect::<Vec<_>>(), vec![ids[0]]);
        assert_eq!(lines[&ids[0]], DebriefLine::from(kept.clone()));
        assert!(page[0].candidate.internal && !page[1].candidate.internal);
        let stages = [("leadership".to_string(), None)];
        let on_board: Vec<CardRow> = page.iter().cloned().map(CardRow::from).collect();
        assert_eq!(store.stage_pages(&q, &stages).await.unwrap(), vec![on_board.clone()]);
        assert_eq!(
            (on_board[0].scorecards, &on_board[0].raised_flags, &on_board[0].debrief_flags),
            (summary.scorecards, &summary.raised_flags, &summary.debrief_flags)
        );

        let inputs = store.debrief_inputs(&ids).await.unwrap();
        for &id in &ids {
            let got = &inputs[&id];
            assert_eq!(got.scorecards, store.scorecards(id).await.unwrap());
            assert_eq!(got.references, store.references(id).await.unwrap());
            assert_eq!(got.assignments, store.assignments(id).await.unwrap());
            assert_eq!(got.scorecards.len(), 3);
            assert!(got.scorecards.windows(2).all(|w| w[0].id < w[1].id));
        }

        // Decisions, oldest first, for the candidates asked about only.
        for (outcome, rationale) in [
            (Outcome::Hold, format!("{awkward} hold")),
            (Outcome::Hire, format!("{awkward} hire")),
        ] {
            store
                .record_decision("hm", ids[1], outcome, &rationale, false)
                .await
                .unwrap();
        }
        let decisions = store.decisions_of(&ids).await.unwrap();
        assert_eq!(decisions.keys().copied().collect::<Vec<_>>(), vec![ids[1]]);
        assert_eq!(decisions[&ids[1]], store.decisions(ids[1]).await.unwrap());
        assert_eq!(decisions[&ids[1]].len(), 2);
        assert!(store.decisions_of(&ids[..1]).await.unwrap().is_empty());

        // A write about the candidate makes the kept debrief out of date: it
        // is no longer given, until the summary is computed again.
        store.assign("hm", ids[0], "leadership", "dee").await.unwrap();
        assert!(store.kept_debriefs(&ids).await.unwrap().is_empty());
        assert!(store.kept_debrief_lines(&ids).await.unwrap().is_empty());
    }
}

multiplier_store::each_backend! {
    /// On SQLite a search's page first considers only the first matching
    /// documents from the page's start (40 per row asked for); a page that
    /// window cannot fill is read again over every match. Either way the page
    /// is the first matching candidates by id, as on PostgreSQL.
    async fn a_search_page_is_the_same_whether_its_first_documents_fill_it_or_not(db) {
        let store = db.open().await;
        let early = opening(&store).await;
        let late = store.add_opening("hm", RoleId(1), "Second", "hm").await.unwrap();
        let mut firsts = Vec::new();
        for i in 0..45 {
            firsts.push(candidate(&store, early, &format!("Queue Early {i}")).await);
        }
        let mut lasts = Vec::new();
        for i in 0..3 {
            lasts.push(candidate(&store, late, &format!("Queue Late {i}")).await);
        }
        let page = |opening: Option<OpeningId>, limit: u32, after: Option<CandidateId>| {
            let mut q = find("queue");
            q.opening = opening;
            q.limit = limit;
            q.after = after;
            q
        };
        let ids = |rows: Vec<multiplier_store::CandidateRow>| {
            rows.into_iter().map(|r| r.candidate.id).collect::<Vec<_>>()
        };
        // One row asked for: the first 40 documents are all the early
        // opening's, so the window finds nothing and the whole index is read.
        assert_eq!(
            ids(store.candidate_page(&page(Some(late), 1, None)).await.unwrap()),
            lasts[..1]
        );
        // Two rows: 80 documents reach the late opening.
        assert_eq!(
            ids(store.candidate_page(&page(Some(late), 2, None)).await.unwrap()),
            lasts[..2]
        );
        // After a cursor the window starts at the cursor's next candidate.
        assert_eq!(
            ids(store.candidate_page(&page(Some(late), 1, Some(lasts[0]))).await.unwrap()),
            lasts[1..2]
        );
        assert_eq!(
            ids(store.candidate_page(&page(None, 3, Some(firsts[43]))).await.unwrap()),
            [firsts[44], lasts[0], lasts[1]]
        );
        assert_eq!(
            ids(store.candidate_page(&page(None, 3, None)).await.unwrap()),
            firsts[..3]
        );
        assert!(
            store.candidate_page(&page(Some(late), 5, Some(lasts[2]))).await.unwrap().is_empty()
        );
    }
}

multiplier_store::each_backend! {
    /// The store records what the summaries follow; a different basis (or
    /// none recorded yet) marks every summary stale in the same call.
    async fn a_new_basis_marks_every_summary_stale(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        let a = candidate(&store, o, "Ada").await;
        let b = candidate(&store, o, "Bo").await;
        let fresh = |store: &Store| {
            let store = store.clone();
            async move {
                let stale = store.stale_summaries(10).await.unwrap();
                let kept: Vec<_> = stale
                    .iter()
                    .map(|(id, g)| (*id, *g, multiplier_store::Summary::default()))
                    .collect();
                store.save_summaries(&kept).await.unwrap();
                assert!(store.stale_summaries(10).await.unwrap().is_empty());
            }
        };
        assert!(store.summaries_follow("framework one").await.unwrap(), "none recorded yet");
        fresh(&store).await;
        assert!(!store.summaries_follow("framework one").await.unwrap());
        assert!(store.stale_summaries(10).await.unwrap().is_empty());
        assert!(store.summaries_follow("framework two").await.unwrap());
        let stale: Vec<CandidateId> =
            store.stale_summaries(10).await.unwrap().into_iter().map(|(id, _)| id).collect();
        assert_eq!(stale, [a, b]);
        fresh(&store).await;
        assert!(!store.summaries_follow("framework two").await.unwrap());
    }
}

multiplier_store::each_backend! {
    /// A word asked for as a prefix finds every word that starts with it,
    /// whatever its case, however many words start with it, and nothing when
    /// none does. (SQLite turns a prefix into the index's words once the index
    /// holds 1,000 candidates: the checks run on a small index, then again on
    /// one past that.)
    async fn a_prefix_finds_every_word_that_starts_with_it(db) {
        let store = db.open().await;
        let o = opening(&store).await;
        for name in ["Ada Queue", "Bo Queued", "Cy QUEUES", "Di Quest", "José Müller"] {
            candidate(&store, o, name).await;
        }
        // Twenty words that start with "zeta": more than one search expands.
        for i in 0..20 {
            candidate(&store, o, &format!("Zeta{i} Person")).await;
        }
        prefixes_find_their_words(&store, db.backend()).await;
        if db.backend() == multiplier_store::testing::Backend::Sqlite {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect(&format!("sqlite:{}", db.location()))
                .await
                .unwrap();
            sqlx::query("UPDATE sqlite_sequence SET seq = 5000 WHERE name = 'candidates'")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let big = candidate(&store, o, "Eve Later").await;
            assert!(big.0 > 5000, "{big:?}");
            prefixes_find_their_words(&store, db.backend()).await;
        }
    }
}

async fn prefixes_find_their_words(store: &Store, backend: multiplier_store::testing::Backend) {
    let names = |found: Vec<multiplier_store::CandidateRow>| {
        let mut n: Vec<String> = found.into_iter().map(|r| r.candidate.name).collect();
        n.sort();
        n
    };
    let find_all = |text: &str| {
        let mut q = find(text);
        q.limit = 50;
        q
    };
    let page = |q| async move { names(store.candidate_page(&q).await.unwrap()) };
    assert_eq!(
        page(find_all("queu")).await,
        ["Ada Queue", "Bo Queued", "Cy QUEUES"]
    );
    assert_eq!(
        page(find_all("QUEUE")).await,
        ["Ada Queue", "Bo Queued", "Cy QUEUES"]
    );
    assert_eq!(page(find_all("que")).await.len(), 4);
    assert_eq!(page(find_all("zeta")).await.len(), 20);
    // Each row's passage marks the word, whichever way the prefix was read
    // (twenty words stay a prefix, eleven become words).
    for text in ["zeta", "zeta1"] {
        for row in store.candidate_page(&find_all(text)).await.unwrap() {
            let passage = row.snippet.expect("a passage").text;
            assert!(passage.starts_with("\u{1}Zeta"), "{text}: {passage}");
        }
    }
    // zeta1 and zeta10 to zeta19.
    assert_eq!(page(find_all("zeta1")).await.len(), 11);
    assert_eq!(page(find_all("zeta19")).await, ["Zeta19 Person"]);
    for accented in ["José", "MÜLL", "müll"] {
        assert_eq!(
            page(find_all(accented)).await,
            ["José Müller"],
            "{accented}"
        );
    }
    // SQLite's index also folds the accents away (PostgreSQL's `simple`
    // configuration keeps them).
    if backend == multiplier_store::testing::Backend::Sqlite {
        for plain in ["jose", "MULL"] {
            assert_eq!(page(find_all(plain)).await, ["José Müller"], "{plain}");
        }
    }
    assert!(page(find_all("queux")).await.is_empty());
    // Every word must match: one that starts no word leaves nothing.
    let mut both = find_all("queue");
    both.text = Some("\"queue\"* \"nowhere\"*".into());
    assert!(page(both.clone()).await.is_empty());
    both.text = Some("\"queue\"* \"ada\"*".into());
    assert_eq!(page(both).await, ["Ada Queue"]);
    // The counts and the board's pages search the same way.
    let counted: u64 = store
        .stage_counts(&find_all("queu"))
        .await
        .unwrap()
        .values()
        .sum();
    assert_eq!(counted, 3);
}

/// The bundled SQLite is compiled with `.cargo/config.toml`'s flags: without
/// them, every pooled connection waits on the same two process-wide locks (one
/// shared page cache, the memory statistics) and the pages under load lose up
/// to a third of their requests a second (docs/performance.md).
#[tokio::test]
async fn sqlite_is_built_without_its_global_memory_locks() {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .unwrap();
    let options: Vec<String> =
        sqlx::query_scalar("SELECT compile_options FROM pragma_compile_options")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "SQLite shares one page cache between connections: {options:?}"
    );
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "SQLite counts its memory behind a global lock: {options:?}"
    );
    // The features the store relies on are still there.
    for wanted in ["ENABLE_FTS5", "THREADSAFE=1"] {
        assert!(
            options.iter().any(|o| o == wanted),
            "{wanted} missing: {options:?}"
        );
    }
}

/// How many pieces (FTS5 segments) the SQLite full-text index is made of.
async fn search_segments(sqlite: &sqlx::SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT count(DISTINCT segid) FROM search_text_idx")
        .fetch_one(sqlite)
        .await
        .unwrap()
}

multiplier_store::each_backend! {
    /// Housekeeping puts a SQLite full-text index of many pieces back into one
    /// and leaves one that is whole enough alone; the search finds the same
    /// candidates before and after. PostgreSQL has nothing to do.
    async fn a_fragmented_search_index_is_merged_into_one_piece(db) {
        use multiplier_store::MaintenanceStore;
        let store = db.open().await;
        let o = opening(&store).await;
        let raw = (db.backend() == multiplier_store::testing::Backend::Sqlite).then(|| {
            sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_lazy(db.location())
        });
        if let Some(raw) = &raw {
            // SQLite merges pieces as it writes; stopped, every write that
            // indexes a name leaves a piece of its own.
            sqlx::query("INSERT INTO search_text(search_text, rank) VALUES ('automerge', 0)")
                .execute(raw.as_ref().unwrap())
                .await
                .unwrap();
        }
        let added = multiplier_store::SEARCH_SEGMENTS_MAX as usize + 4;
        for i in 0..added {
            candidate(&store, o, &format!("Quillfeather {i}")).await;
        }
        let mut query = find("quillfeather");
        query.limit = 100;
        let before = store.candidate_page(&query).await.unwrap();
        assert_eq!(before.len(), added);
        let steps = store.compact_search_index().await.unwrap();
        match &raw {
            Some(raw) => {
                let raw = raw.as_ref().unwrap();
                assert!(steps > 0);
                assert_eq!(search_segments(raw).await, 1);
                assert_eq!(store.compact_search_index().await.unwrap(), 0, "whole already");
                // A few more writes leave it whole enough.
                candidate(&store, o, "Quillfeather late").await;
                assert_eq!(search_segments(raw).await, 2);
                assert_eq!(store.compact_search_index().await.unwrap(), 0);
            }
            None => assert_eq!(steps, 0),
        }
        let after = store.candidate_page(&query).await.unwrap();
        let ids = |rows: &[multiplier_store::CandidateRow]| {
            rows.iter().map(|r| r.candidate.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(&after)[..added], ids(&before)[..]);
        assert_eq!(after.len(), added + usize::from(raw.is_some()));
    }
}

multiplier_store::each_backend! {
    /// The hires are the candidates marked hired and those whose offer names a
    /// start date (the latest such offer's), in id order, of every opening or
    /// of one; the rest of the candidates are not among them.
    async fn the_hires_are_the_hired_and_those_given_a_start_date(db) {
        use multiplier_store::{AtsStore, OutcomeStore};
        let store = db.open().await;
        let first = opening(&store).await;
        let second = opening(&store).await;
        let date = |m, d| jiff::civil::date(2026, m, d);
        let hired = candidate(&store, first, "Marked Hired").await;
        store
            .set_candidate_status("hm", hired, "active", "hired", None)
            .await
            .unwrap();
        let starting = candidate(&store, second, "Offer Accepted").await;
        store
            .record_offer("hm", starting, &serde_json::json!({"salary": 1}))
            .await
            .unwrap();
        store.accept_offer("hm", starting, date(3, 1)).await.unwrap();
        store
            .record_offer("hm", starting, &serde_json::json!({"salary": 2}))
            .await
            .unwrap();
        store.accept_offer("hm", starting, date(4, 1)).await.unwrap();
        let offered = candidate(&store, first, "Offer Open").await;
        store
            .record_offer("hm", offered, &serde_json::json!({"salary": 3}))
            .await
            .unwrap();
        candidate(&store, first, "Still Interviewing").await;

        let every = store.hires(None).await.unwrap();
        let seen: Vec<_> = every
            .iter()
            .map(|h| (h.candidate, h.opening, h.start_date))
            .collect();
        assert_eq!(
            seen,
            [(hired, first, None), (starting, second, Some(date(4, 1)))]
        );
        let of_second: Vec<_> = store
            .hires(Some(second))
            .await
            .unwrap()
            .iter()
            .map(|h| h.candidate)
            .collect();
        assert_eq!(of_second, [starting]);
    }
}
