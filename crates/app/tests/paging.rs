//! Paged lists, search and the summaries behind them, at the use-case layer:
//! walking the pages visits every row exactly once, each filter narrows in SQL,
//! matches come back highlighted and HTML-escaped, the blind rule holds in
//! search (no finding a candidate by a colleague's words while you owe your
//! card), the numbers match the debrief's, and an erased candidate is gone
//! from search.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{
    Account, Actor, App, AppError, BoardRequest, CandidateInput, DebriefRow, DecisionInput,
    ErasureReason, PageRequest, ScorecardDraft, SearchInput, SearchRow,
};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{DebriefLine, Outcome, RaisedFlag, Recommendation, SearchFilter};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId, OpeningId};
use std::collections::BTreeSet;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";
const FLAG: &str = "dismisses-dissent";

fn account(name: &str, role: AccountRole) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn priya() -> Account {
    account("priya", AccountRole::Admin)
}

fn ana() -> Account {
    account("ana", AccountRole::Interviewer)
}

fn bo() -> Account {
    account("bo", AccountRole::Interviewer)
}

fn draft(stage: &str, score: i64, note: &str, flag: bool) -> ScorecardDraft {
    let signals = [Signal::TechnicalDepth, Signal::TeamMultiplier];
    ScorecardDraft {
        stage: stage.into(),
        scores: signals
            .iter()
            .map(|s| (*s, Score::new(score).unwrap()))
            .collect(),
        notes: signals.iter().map(|s| (*s, note.to_string())).collect(),
        red_flags: if flag {
            vec![RaisedFlag {
                id: FLAG.into(),
                note: "talked over the PM".into(),
            }]
        } else {
            Vec::new()
        },
        recommendation: Recommendation::Yes,
    }
}

struct World {
    app: App,
    opening: OpeningId,
    /// Seven candidates, oldest first.
    all: Vec<CandidateId>,
}

async fn world(db: &TestDb) -> World {
    let store = db.open().await;
    let fw = Arc::new(Framework::default_framework().unwrap());
    let app = App::new(store, Arc::clone(&fw));
    for (name, role) in [
        ("priya", AccountRole::Admin),
        ("ana", AccountRole::Interviewer),
        ("bo", AccountRole::Interviewer),
        ("eve", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(&fw, "payments", &text).unwrap();
    let (_, opening) = app.open_role(&priya(), &role, None).await.unwrap();
    let mut all = Vec::new();
    for name in [
        "Avery Stone",
        "Blake Rivers",
        "Casey Moreau",
        "Devon Patel",
        "Emery Lund",
        "Finley Okafor",
        "Gray Ionescu",
    ] {
        all.push(
            app.add_candidate(
                &priya(),
                opening,
                &CandidateInput {
                    name: name.into(),
                    ..CandidateInput::default()
                },
            )
            .await
            .unwrap(),
        );
    }
    World { app, opening, all }
}

fn ids(rows: &[SearchRow]) -> Vec<CandidateId> {
    rows.iter().map(|r| r.candidate.id).collect()
}

/// Every page of a search, in order.
async fn walk(app: &App, who: &Account, mut input: SearchInput) -> Vec<Vec<CandidateId>> {
    let mut pages = Vec::new();
    loop {
        let page = app.search(who, &input).await.unwrap();
        pages.push(ids(&page.rows));
        match page.next {
            Some(next) => input.page.cursor = Some(next),
            None => return pages,
        }
    }
}

fn text(words: &str) -> SearchInput {
    SearchInput {
        filter: SearchFilter {
            text: Some(words.into()),
            ..SearchFilter::default()
        },
        ..SearchInput::default()
    }
}

multiplier_store::each_backend! {
    async fn walking_the_pages_visits_every_candidate_exactly_once(db) {
        let w = world(&db).await;
        let input = SearchInput {
            page: PageRequest::first(3),
            ..SearchInput::default()
        };
        let pages = walk(&w.app, &priya(), input).await;
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
        assert_eq!(pages.concat(), w.all, "each once, oldest first");

        // An exact multiple ends on a full page with no next.
        let pages = walk(
            &w.app,
            &priya(),
            SearchInput {
                page: PageRequest::first(7),
                ..SearchInput::default()
            },
        )
        .await;
        assert_eq!(pages, std::slice::from_ref(&w.all));

        // An interviewer walks only their own candidates.
        for c in [w.all[1], w.all[4], w.all[6]] {
            w.app
                .assign(&priya(), c, "code-review", "ana")
                .await
                .unwrap();
        }
        let pages = walk(
            &w.app,
            &ana(),
            SearchInput {
                page: PageRequest::first(2),
                ..SearchInput::default()
            },
        )
        .await;
        assert_eq!(pages, [vec![w.all[1], w.all[4]], vec![w.all[6]]]);

        // The board: each stage's count, and its column paged on its own.
        let board = w
            .app
            .board_page(
                &priya(),
                w.opening,
                &BoardRequest {
                    shown: multiplier_app::Shown::Current,
                    stage: None,
                    page: PageRequest::first(3),
                },
            )
            .await
            .unwrap();
        let screen = &board.columns[0];
        assert_eq!((screen.stage.as_str(), screen.count), ("screen", 7));
        assert_eq!(screen.items.len(), 3);
        let mut seen: Vec<CandidateId> = screen.items.iter().map(|c| c.candidate.id).collect();
        let mut next = screen.next.clone();
        while let Some(cursor) = next {
            let b = w
                .app
                .board_page(
                    &priya(),
                    w.opening,
                    &BoardRequest {
                        shown: multiplier_app::Shown::Current,
                        stage: Some("screen".into()),
                        page: PageRequest {
                            limit: Some(3),
                            cursor: Some(cursor),
                        },
                    },
                )
                .await
                .unwrap();
            seen.extend(b.columns[0].items.iter().map(|c| c.candidate.id));
            next = b.columns[0].next.clone();
        }
        assert_eq!(seen, w.all);
        assert!(
            board.columns[1..]
                .iter()
                .all(|c| c.count == 0 && c.items.is_empty())
        );
        let ana_board = w.app.board(&ana(), w.opening).await.unwrap();
        assert_eq!(ana_board.columns[0].count, 3);

        // Openings, two to a page.
        for title in ["Second", "Third"] {
            let (role, _) = w.app.opening_role(&priya(), w.opening).await.unwrap();
            let mut role = role.clone();
            role.title = title.into();
            w.app.open_role(&priya(), &role, None).await.unwrap();
        }
        let first = w
            .app
            .openings_page(&priya(), &PageRequest::first(2), false)
            .await
            .unwrap();
        assert_eq!(first.rows.len(), 2);
        assert_eq!(first.rows[0].candidates, 7);
        let second = w
            .app
            .openings_page(
                &priya(),
                &PageRequest {
                    limit: Some(2),
                    cursor: first.next.clone(),
                },
                false,
            )
            .await
            .unwrap();
        assert_eq!(second.rows.len(), 1);
        assert!(second.next.is_none());
        assert_eq!(w.app.openings(&ana()).await.unwrap()[0].candidates, 3);

        // The openings to pick from: the same list for every account, without
        // the archived ones.
        let listed: Vec<_> = w.app.openings(&priya()).await.unwrap().into_iter().map(|s| s.opening.id).collect();
        assert_eq!(listed.len(), 3);
        for account in [priya(), ana()] {
            let choices: Vec<_> = w.app.opening_choices(&account).await.unwrap().into_iter().map(|o| o.id).collect();
            assert_eq!(choices, listed);
        }
        w.app.archive_opening(&priya(), listed[1]).await.unwrap();
        let choices: Vec<_> = w.app.opening_choices(&ana()).await.unwrap().into_iter().map(|o| o.id).collect();
        assert_eq!(choices, [listed[0], listed[2]]);
    }
}

multiplier_store::each_backend! {
    async fn a_bad_page_request_is_refused_by_field(db) {
        let w = world(&db).await;
        for (page, field) in [
            (PageRequest::first(0), "limit"),
            (PageRequest::first(201), "limit"),
            (
                PageRequest {
                    limit: None,
                    cursor: Some("not a cursor".into()),
                },
                "cursor",
            ),
        ] {
            let input = SearchInput {
                page: page.clone(),
                ..SearchInput::default()
            };
            match w.app.search(&priya(), &input).await {
                Err(e @ AppError::Invalid { .. }) => {
                    assert_eq!(e.problems()[0].field, field, "{e:?}")
                }
                other => panic!("{other:?}"),
            }
        }
        // A cursor of another list is not this list's.
        let openings = w
            .app
            .openings_page(&priya(), &PageRequest::first(1), false)
            .await
            .unwrap();
        let board_cursor = w
            .app
            .board_page(
                &priya(),
                w.opening,
                &BoardRequest {
                    shown: multiplier_app::Shown::Current,
                    stage: None,
                    page: PageRequest::first(1),
                },
            )
            .await
            .unwrap()
            .columns[0]
            .next
            .clone();
        let input = SearchInput {
            page: PageRequest {
                limit: None,
                cursor: board_cursor,
            },
            ..SearchInput::default()
        };
        assert!(matches!(
            w.app.search(&priya(), &input).await,
            Err(AppError::Invalid { .. })
        ));
        assert!(openings.next.is_none());
        assert!(
            w.app.search(&priya(), &text("!!!")).await.is_err(),
            "no word"
        );
    }
}

multiplier_store::each_backend! {
    async fn filters_narrow_in_sql_and_agree_with_the_debrief(db) {
        let w = world(&db).await;
        let [a, b, c, d, ..] = w.all[..] else {
            panic!()
        };
        for id in [a, b, c, d] {
            w.app
                .assign(&priya(), id, "code-review", "ana")
                .await
                .unwrap();
            w.app.assign(&priya(), id, "screen", "bo").await.unwrap();
        }
        // a: strong on both from two raters; b: strong, with a red flag left
        // open; c: weak; d: nothing in.
        for (id, score, flag) in [(a, 3, false), (b, 4, true), (c, 2, false)] {
            w.app
                .submit_scorecard(
                    &ana(),
                    id,
                    &draft("code-review", score, "reviewed the diff", flag),
                    None,
                )
                .await
                .unwrap();
            w.app
                .submit_scorecard(
                    &bo(),
                    id,
                    &draft("screen", score, "walked the design", false),
                    None,
                )
                .await
                .unwrap();
        }
        w.app
            .attach_evidence(
                &priya(),
                a,
                "code-review-grade",
                "grade.json",
                &serde_json::json!({"score": 3}),
            )
            .await
            .unwrap();
        let found = |input: SearchInput| {
            let app = w.app.clone();
            async move { ids(&app.search(&priya(), &input).await.unwrap().rows) }
        };
        let both = SearchInput {
            filter: SearchFilter {
                min_technical_depth: Some(3.0),
                min_team_multiplier: Some(3.0),
                ..SearchFilter::default()
            },
            ..SearchInput::default()
        };
        assert_eq!(found(both.clone()).await, [a, b]);
        assert_eq!(
            found(SearchInput {
                unresolved_flags: Some(false),
                ..both.clone()
            })
            .await,
            [a]
        );
        assert_eq!(
            found(SearchInput {
                unresolved_flags: Some(true),
                ..SearchInput::default()
            })
            .await,
            [b]
        );
        assert_eq!(
            found(SearchInput {
                code_review: true,
                months: Some(12),
                ..both.clone()
            })
            .await,
            [a],
            "technical depth ≥ 3, team multiplier ≥ 3, code-review evidence, last 12 months"
        );
        assert_eq!(
            found(SearchInput {
                filter: SearchFilter {
                    flag: Some(FLAG.into()),
                    ..SearchFilter::default()
                },
                ..SearchInput::default()
            })
            .await,
            [b]
        );
        // Resolving the flag is a write like any other: the summary follows.
        w.app
            .resolve_flag(&priya(), b, FLAG, "two reports say otherwise")
            .await
            .unwrap();
        assert_eq!(
            found(SearchInput {
                unresolved_flags: Some(false),
                ..both.clone()
            })
            .await,
            [a, b]
        );
        // The stage filter, and the numbers are the debrief's own.
        w.app.move_candidate(&priya(), a, "debrief").await.unwrap();
        let rows = w
            .app
            .search(
                &priya(),
                &SearchInput {
                    filter: SearchFilter {
                        stage: Some("debrief".into()),
                        ..SearchFilter::default()
                    },
                    ..SearchInput::default()
                },
            )
            .await
            .unwrap()
            .rows;
        assert_eq!(ids(&rows), [a]);
        let everyone = w
            .app
            .search(&priya(), &SearchInput::default())
            .await
            .unwrap()
            .rows;
        for row in &everyone {
            let hit = row.hit.as_ref().unwrap();
            let view = w.app.debrief(&priya(), row.candidate.id).await.unwrap();
            let median = |s: Signal| {
                view.debrief
                    .signals
                    .iter()
                    .find(|v| v.signal == s)
                    .and_then(|v| v.median)
            };
            assert_eq!(hit.technical_depth, median(Signal::TechnicalDepth));
            assert_eq!(hit.team_multiplier, median(Signal::TeamMultiplier));
            assert_eq!(
                hit.meets_bar, view.debrief.meets_bar,
                "{}",
                row.candidate.name
            );
        }
        // The opening's debrief lists who has cards in or reached the debrief,
        // with the very debrief of each candidate, a page at a time.
        let first = w
            .app
            .opening_debrief(&priya(), w.opening, &PageRequest::first(2))
            .await
            .unwrap();
        let second = w
            .app
            .opening_debrief(
                &priya(),
                w.opening,
                &PageRequest {
                    limit: Some(2),
                    cursor: first.next.clone(),
                },
            )
            .await
            .unwrap();
        assert!(second.next.is_none());
        let mut listed = Vec::new();
        for row in first.rows.iter().chain(&second.rows) {
            let DebriefRow::Open {
                candidate, debrief, ..
            } = row
            else {
                panic!("priya sees every debrief")
            };
            let one = w.app.debrief(&priya(), candidate.id).await.unwrap();
            assert_eq!(**debrief, one.debrief);
            listed.push(candidate.id);
        }
        assert_eq!(
            listed,
            [a, b, c],
            "d has nothing in and is not at the debrief"
        );
        // The debriefs above were read from beside the summaries; d has none
        // kept (its summary never needed computing), so at the debrief its
        // debrief is computed from its (empty) records instead. Each row's
        // decision is the latest recorded.
        let d = w.all[3];
        w.app.move_candidate(&priya(), d, "debrief").await.unwrap();
        for (outcome, rationale) in [(Outcome::Hold, "wait for the references"), (Outcome::NoHire, "below both bars")] {
            let input = DecisionInput {
                outcome,
                rationale: rationale.into(),
                against_policy: false,
            };
            w.app.decide(&priya(), c, &input).await.unwrap();
        }
        let all = w
            .app
            .opening_debrief(&priya(), w.opening, &PageRequest::first(10))
            .await
            .unwrap();
        let mut listed = Vec::new();
        for row in &all.rows {
            let DebriefRow::Open {
                candidate,
                debrief,
                decision,
            } = row
            else {
                panic!("priya sees every debrief")
            };
            let one = w.app.debrief(&priya(), candidate.id).await.unwrap();
            assert_eq!(**debrief, one.debrief);
            assert_eq!(decision.as_ref(), one.decisions.last(), "{}", candidate.name);
            listed.push(candidate.id);
        }
        assert_eq!(listed, [a, b, c, d]);
        let DebriefRow::Open { decision, .. } = &all.rows[2] else {
            panic!("c is open")
        };
        assert_eq!(decision.as_ref().map(|x| x.outcome), Some(Outcome::NoHire));
        // The page's table reads lines: the same rows and decisions, each
        // line what the whole debrief says (kept for a, b, c; computed for d).
        let lines = w
            .app
            .opening_debrief_lines(&priya(), w.opening, &PageRequest::first(10))
            .await
            .unwrap();
        assert_eq!(lines.rows.len(), all.rows.len());
        for (line, full) in lines.rows.iter().zip(&all.rows) {
            let (
                DebriefRow::Open { candidate, debrief: line, decision },
                DebriefRow::Open { candidate: c2, debrief: full, decision: d2 },
            ) = (line, full)
            else {
                panic!("priya sees every debrief")
            };
            assert_eq!((candidate, decision), (c2, d2));
            assert_eq!(**line, DebriefLine::from((**full).clone()), "{}", candidate.name);
        }
    }
}

multiplier_store::each_backend! {
    async fn matches_are_highlighted_after_escaping(db) {
        let w = world(&db).await;
        let a = w.all[0];
        w.app
            .assign(&priya(), a, "code-review", "ana")
            .await
            .unwrap();
        w.app
            .submit_scorecard(
                &ana(),
                a,
                &draft(
                    "code-review",
                    3,
                    "<b>rollback</b> & \"plan\" <script>x</script>",
                    false,
                ),
                None,
            )
            .await
            .unwrap();
        let rows = w
            .app
            .search(&priya(), &text("rollback"))
            .await
            .unwrap()
            .rows;
        assert_eq!(ids(&rows), [a]);
        let m = rows[0].matched.as_ref().unwrap();
        assert_eq!(m.source, "scorecard");
        assert!(
            m.html
                .contains("&lt;b&gt;<mark>rollback</mark>&lt;/b&gt; &amp; &quot;plan&quot;"),
            "{}",
            m.html
        );
        assert!(
            !m.html.contains("<script>") && !m.html.contains("<b>"),
            "{}",
            m.html
        );
        assert!(m.text_marked("[", "]").contains("[rollback]"));
        // Words are matched as words or their beginnings, whatever their case.
        assert_eq!(
            ids(&w.app.search(&priya(), &text("ROLL")).await.unwrap().rows),
            [a]
        );
        assert_eq!(
            ids(&w
                .app
                .search(&priya(), &text("avery ston"))
                .await
                .unwrap()
                .rows),
            [a]
        );
        assert!(
            w.app
                .search(&priya(), &text("ollback"))
                .await
                .unwrap()
                .rows
                .is_empty()
        );
    }
}

multiplier_store::each_backend! {
    async fn search_keeps_the_blind_rule_and_forgets_the_erased(db) {
        let w = world(&db).await;
        let a = w.all[0];
        w.app
            .assign(&priya(), a, "code-review", "ana")
            .await
            .unwrap();
        w.app.assign(&priya(), a, "screen", "bo").await.unwrap();
        w.app
            .submit_scorecard(
                &bo(),
                a,
                &draft("screen", 3, "zanzibar migration story", false),
                None,
            )
            .await
            .unwrap();
        // Ana owes her card: bo's words do not find the candidate for her, her
        // name does, without scores.
        assert!(
            w.app
                .search(&ana(), &text("zanzibar"))
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        let by_name = w.app.search(&ana(), &text("avery")).await.unwrap().rows;
        assert_eq!(ids(&by_name), [a]);
        assert!(by_name[0].hit.is_none() && by_name[0].blind.is_some());
        assert_eq!(by_name[0].matched.as_ref().unwrap().source, "name");
        // Eve is on nobody's loop: nothing, not even by name.
        let eve = account("eve", AccountRole::Interviewer);
        assert!(
            w.app
                .search(&eve, &text("avery"))
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        // Her own words find the candidate for her at once.
        w.app
            .submit_scorecard(
                &ana(),
                a,
                &draft("code-review", 3, "quasar review habits", false),
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            ids(&w.app.search(&ana(), &text("quasar")).await.unwrap().rows),
            [a]
        );
        // And with her card in, everyone's words.
        assert_eq!(
            ids(&w.app.search(&ana(), &text("zanzibar")).await.unwrap().rows),
            [a]
        );
        assert_eq!(
            ids(&w
                .app
                .search(&priya(), &text("zanzibar"))
                .await
                .unwrap()
                .rows),
            [a]
        );

        w.app
            .erase_candidate(&priya(), a, true, Some(ErasureReason::CandidateRequest))
            .await
            .unwrap();
        for words in ["zanzibar", "quasar", "avery"] {
            assert!(
                w.app
                    .search(&priya(), &text(words))
                    .await
                    .unwrap()
                    .rows
                    .is_empty(),
                "{words}"
            );
        }
        let left: BTreeSet<CandidateId> = ids(&w
            .app
            .search(&priya(), &SearchInput::default())
            .await
            .unwrap()
            .rows)
        .into_iter()
        .collect();
        assert!(left.contains(&a), "the record stays, its words are gone");
    }

    /// While a viewer owes a card on a candidate, the passage a search shows
    /// comes from what they may read, even when a colleague's shorter words
    /// match too; once they may read everything, the shortest match is shown.
    async fn a_blind_viewers_passage_comes_from_what_they_may_read(db) {
        let w = world(&db).await;
        let a = w.all[0];
        for (stage, who) in [("code-review", "ana"), ("leadership", "ana"), ("screen", "bo")] {
            w.app.assign(&priya(), a, stage, who).await.unwrap();
        }
        w.app
            .submit_scorecard(&bo(), a, &draft("screen", 3, "kestrel", false), None)
            .await
            .unwrap();
        let hers = "kestrel habits, seen across a long review of the service boundaries";
        w.app
            .submit_scorecard(&ana(), a, &draft("code-review", 3, hers, false), None)
            .await
            .unwrap();
        let rows = w.app.search(&ana(), &text("kestrel")).await.unwrap().rows;
        assert_eq!(ids(&rows), [a]);
        assert!(rows[0].blind.is_some(), "ana still owes her leadership card");
        let shown = &rows[0].matched.as_ref().unwrap().text;
        assert!(shown.contains("habits"), "{shown}");
        let rows = w.app.search(&priya(), &text("kestrel")).await.unwrap().rows;
        let shown = &rows[0].matched.as_ref().unwrap().text;
        assert!(!shown.contains("habits"), "{shown}");
    }
}

multiplier_store::each_backend! {
    /// Summaries follow the framework: a server started with a framework
    /// other than the one they were computed with (a bar or policy edited
    /// between two starts) computes every summary again at its first list
    /// read; one started with the same framework computes none.
    async fn summaries_are_computed_again_when_the_framework_changes(db) {
        let w = world(&db).await;
        w.app.refresh_summaries().await.unwrap();
        assert_eq!(w.app.refresh_summaries().await.unwrap(), 0);
        let same = Arc::new(Framework::default_framework().unwrap());
        let restarted = App::new(w.app.store().clone(), same);
        assert_eq!(restarted.refresh_summaries().await.unwrap(), 0);
        let mut edited = Framework::default_framework().unwrap();
        edited.retention.months += 1;
        let edited = Arc::new(edited);
        let restarted = App::new(w.app.store().clone(), Arc::clone(&edited));
        assert_eq!(restarted.refresh_summaries().await.unwrap(), w.all.len());
        assert_eq!(restarted.refresh_summaries().await.unwrap(), 0);
        let again = App::new(w.app.store().clone(), edited);
        assert_eq!(again.refresh_summaries().await.unwrap(), 0);
    }
}
