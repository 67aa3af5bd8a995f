//! The ATS around the loop (issue 17): the candidate lifecycle, openings that
//! close and archive, staff notes under the blind rule, applications from the
//! careers page, and CSV imports.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{
    Account, Actor, App, AppError, ApplicationInput, Applied, CandidateInput, DecisionInput,
    MAX_APPLICATIONS_PER_CLIENT, RowOutcome, SearchInput, Shown, StatusInput, Upload,
};
use multiplier_core::pipeline::{OfferRequest, Outcome};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, AuditFilter, CandidateId, OpeningId};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

struct World {
    app: App,
    opening: OpeningId,
    dana: CandidateId,
}

fn hm() -> Account {
    Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    }
}

fn ivy() -> Account {
    Account {
        name: "ivy".into(),
        role: AccountRole::Interviewer,
    }
}

async fn world(db: &TestDb) -> World {
    let store = db.open().await;
    let app = App::new(store, Arc::new(Framework::default_framework().unwrap()));
    for (name, role) in [
        ("hm", AccountRole::Admin),
        ("ivy", AccountRole::Interviewer),
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
    let role = Role::parse(app.framework(), "payments", &text).unwrap();
    let opening = app.open_role(&hm(), &role, None).await.unwrap().1;
    let dana = app
        .add_candidate(
            &hm(),
            opening,
            &CandidateInput {
                name: "Dana".into(),
                email: Some("dana@example.com".into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    World { app, opening, dana }
}

fn status(s: &str, reason: Option<&str>) -> StatusInput {
    StatusInput {
        status: s.into(),
        reason: reason.map(str::to_string),
    }
}

async fn actions(app: &App, subject: &str) -> Vec<String> {
    app.audit_log(
        &hm(),
        &AuditFilter {
            subject: Some(subject.into()),
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|e| format!("{} {}", e.action, e.detail))
    .collect()
}

multiplier_store::each_backend! {
    async fn a_rejection_needs_a_reason_from_the_framework_and_leaves_the_board(db) {
        let w = world(&db).await;
        let (app, hm) = (&w.app, hm());
        let none = app.set_status(&hm, w.dana, &status("rejected", None)).await;
        assert!(
            matches!(&none, Err(AppError::Invalid { problems, .. }) if problems[0].field == "reason"),
            "{none:?}"
        );
        let made_up = app
            .set_status(&hm, w.dana, &status("rejected", Some("vibes")))
            .await;
        assert!(matches!(made_up, Err(AppError::Invalid { .. })));
        let c = app
            .set_status(&hm, w.dana, &status("rejected", Some("not-enough-depth")))
            .await
            .unwrap();
        assert_eq!(c.status, "rejected");
        assert_eq!(c.status_reason.as_deref(), Some("not-enough-depth"));
        assert!(
            actions(app, &format!("candidate:{}", w.dana))
                .await
                .iter()
                .any(|a| a == "candidate.status from active to rejected, reason not-enough-depth")
        );
        let board = app.board(&hm, w.opening).await.unwrap();
        assert!(
            board.columns.iter().all(|c| c.items.is_empty()),
            "off the board"
        );
        let ended = app
            .board_showing(&hm, w.opening, Shown::Ended)
            .await
            .unwrap();
        assert_eq!(
            ended.columns.iter().map(|c| c.items.len()).sum::<usize>(),
            1
        );
        let search = |shown| SearchInput {
            shown,
            ..SearchInput::default()
        };
        assert!(
            app.search(&hm, &search(Shown::Current))
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        assert_eq!(
            app.search(&hm, &search(Shown::All))
                .await
                .unwrap()
                .rows
                .len(),
            1
        );
        // Active again, then on hold; an interviewer may not change it.
        app.set_status(&hm, w.dana, &status("active", None))
            .await
            .unwrap();
        let held = app
            .set_status(&hm, w.dana, &status("on hold", None))
            .await
            .unwrap();
        assert_eq!(
            (held.status.as_str(), held.status_reason),
            ("on-hold", None)
        );
        app.assign(&hm, w.dana, "code-review", "ivy").await.unwrap();
        assert!(matches!(
            app.set_status(&ivy(), w.dana, &status("withdrawn", None))
                .await,
            Err(AppError::Forbidden(_))
        ));
    }
}

multiplier_store::each_backend! {
    async fn hired_needs_a_hire_decision_and_an_accepted_offer(db) {
        let w = world(&db).await;
        let (app, hm) = (&w.app, hm());
        let early = app.set_status(&hm, w.dana, &status("hired", None)).await;
        assert!(matches!(early, Err(AppError::Conflict(m)) if m.contains("hire decision")));
        app.decide(
            &hm,
            w.dana,
            &DecisionInput {
                outcome: Outcome::Hire,
                rationale: "clear on both signals".into(),
                against_policy: true,
            },
        )
        .await
        .unwrap();
        let no_offer = app.set_status(&hm, w.dana, &status("hired", None)).await;
        assert!(matches!(no_offer, Err(AppError::Conflict(m)) if m.contains("offer")));
        let request = OfferRequest {
            level: "tech-lead".into(),
            region: "us".into(),
            coding: multiplier_core::role::parse_split("60").unwrap(),
            stage: None,
        };
        app.record_offer(&hm, w.dana, &request).await.unwrap();
        app.accept_offer(&hm, w.dana, jiff::civil::date(2027, 1, 11))
            .await
            .unwrap();
        let c = app
            .set_status(&hm, w.dana, &status("hired", None))
            .await
            .unwrap();
        assert_eq!(c.status, "hired");
        let again = app.set_status(&hm, w.dana, &status("active", None)).await;
        assert!(
            matches!(again, Err(AppError::Conflict(_))),
            "hired is final"
        );
    }
}

multiplier_store::each_backend! {
    async fn a_closed_opening_takes_nobody_and_an_archived_one_leaves_the_list(db) {
        let w = world(&db).await;
        let (app, hm) = (&w.app, hm());
        assert!(matches!(
            app.close_opening(&ivy(), w.opening).await,
            Err(AppError::Forbidden(_))
        ));
        let closed = app.close_opening(&hm, w.opening).await.unwrap();
        assert_eq!(closed.status, "closed");
        let add = app
            .add_candidate(
                &hm,
                w.opening,
                &CandidateInput {
                    name: "Late".into(),
                    ..CandidateInput::default()
                },
            )
            .await;
        assert!(matches!(add, Err(AppError::Conflict(m)) if m.contains("reopen")));
        assert!(
            app.jobs().await.unwrap().is_empty(),
            "not on the careers page"
        );
        assert!(matches!(
            app.apply(w.opening, &application("x@example.com"), "c")
                .await,
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            app.close_opening(&hm, w.opening).await,
            Err(AppError::Conflict(_))
        ));
        app.archive_opening(&hm, w.opening).await.unwrap();
        assert!(app.openings(&hm).await.unwrap().is_empty());
        assert_eq!(app.openings_listed(&hm, true).await.unwrap().len(), 1);
        app.reopen_opening(&hm, w.opening).await.unwrap();
        assert_eq!(app.openings(&hm).await.unwrap().len(), 1);
        let log = actions(app, &format!("opening:{}", w.opening)).await;
        for a in ["opening.close", "opening.archive", "opening.reopen"] {
            assert!(log.iter().any(|l| l.starts_with(a)), "{a} in {log:?}");
        }
    }
}

multiplier_store::each_backend! {
    async fn notes_follow_the_blind_rule_and_are_audited_without_their_text(db) {
        let w = world(&db).await;
        let (app, hm) = (&w.app, hm());
        app.assign(&hm, w.dana, "code-review", "ivy").await.unwrap();
        app.add_note(&hm, w.dana, "sounded keen on the payments work")
            .await
            .unwrap();
        let mine = app
            .add_note(&ivy(), w.dana, "asked about on-call")
            .await
            .unwrap();
        assert_eq!(mine.author, "ivy");
        let (seen, hidden) = app.notes(&ivy(), w.dana).await.unwrap();
        assert_eq!((seen.len(), hidden), (1, 1), "ivy owes a scorecard");
        assert_eq!(seen[0].body, "asked about on-call");
        let view = app.candidate(&hm, w.dana).await.unwrap();
        assert_eq!(view.notes.len(), 2);
        let log = actions(app, &format!("candidate:{}", w.dana)).await;
        assert!(log.iter().any(|l| l.starts_with("note.add")));
        assert!(
            !log.iter().any(|l| l.contains("keen")),
            "no note text in the log"
        );
        assert!(matches!(
            app.add_note(&hm, w.dana, "  ").await,
            Err(AppError::Invalid { .. })
        ));
    }
}

fn application(email: &str) -> ApplicationInput {
    ApplicationInput {
        name: "Robin Applicant".into(),
        email: email.into(),
        links: "https://github.com/robin".into(),
        cv: Some(Upload {
            file_name: "robin.pdf".into(),
            bytes: b"%PDF-1.7\n% a tiny CV\n".to_vec(),
        }),
        consent: true,
        honeypot: String::new(),
        ..ApplicationInput::default()
    }
}

multiplier_store::each_backend! {
    async fn an_application_lands_in_screen_with_its_cv_once_per_address(db) {
        let w = world(&db).await;
        let app = &w.app;
        assert_eq!(app.jobs().await.unwrap().len(), 1);
        let Applied::Created(id) = app
            .apply(w.opening, &application("robin@example.com"), "10.0.0.1")
            .await
            .unwrap()
        else {
            panic!("created");
        };
        let view = app.candidate(&hm(), id).await.unwrap();
        assert_eq!(view.candidate.stage, "screen");
        assert_eq!(view.candidate.source, "applied");
        assert_eq!(view.files.len(), 1);
        let file = app
            .candidate_file(&hm(), id, view.files[0].id)
            .await
            .unwrap();
        assert_eq!(file.meta.content_type, "application/pdf");
        assert!(file.bytes.starts_with(b"%PDF-"));
        assert!(
            actions(app, &format!("candidate:{id}"))
                .await
                .iter()
                .any(|a| a.starts_with("candidate.apply") && a.contains("with a CV"))
        );
        let again = app
            .apply(w.opening, &application("ROBIN@example.com"), "10.0.0.2")
            .await
            .unwrap();
        assert_eq!(again, Applied::Duplicate);
        // Not a PDF or DOCX, whatever its name; no consent.
        let mut exe = application("exe@example.com");
        exe.cv = Some(Upload {
            file_name: "cv.pdf".into(),
            bytes: b"MZ\x90\x00".to_vec(),
        });
        exe.consent = false;
        let refused = app.apply(w.opening, &exe, "10.0.0.3").await;
        let Err(AppError::Invalid { problems, .. }) = refused else {
            panic!("refused: {refused:?}");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["cv", "consent"]);
        // The honeypot: answered, nothing kept.
        let mut bot = application("bot@example.com");
        bot.honeypot = "http://spam.example".into();
        assert_eq!(
            app.apply(w.opening, &bot, "10.0.0.4").await.unwrap(),
            Applied::Ignored
        );
        let all = app
            .search(
                &hm(),
                &SearchInput {
                    shown: Shown::All,
                    ..SearchInput::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(all.rows.len(), 2, "Dana and Robin only");
        // Interviewers never get the CV.
        app.assign(&hm(), id, "code-review", "ivy").await.unwrap();
        assert!(app.candidate(&ivy(), id).await.unwrap().files.is_empty());
        assert!(matches!(
            app.candidate_file(&ivy(), id, view.files[0].id).await,
            Err(AppError::Forbidden(_))
        ));
    }
}

multiplier_store::each_backend! {
    async fn one_client_may_not_flood_the_careers_page(db) {
        let w = world(&db).await;
        for i in 0..MAX_APPLICATIONS_PER_CLIENT {
            let r = w
                .app
                .apply(
                    w.opening,
                    &application(&format!("a{i}@example.com")),
                    "9.9.9.9",
                )
                .await
                .unwrap();
            assert!(matches!(r, Applied::Created(_)));
        }
        let over = w
            .app
            .apply(w.opening, &application("late@example.com"), "9.9.9.9")
            .await
            .unwrap();
        assert_eq!(over, Applied::TooMany);
    }
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

multiplier_store::each_backend! {
    async fn an_import_reports_each_row_and_a_second_run_creates_nothing(db) {
        let w = world(&db).await;
        let (app, hm) = (&w.app, hm());
        let dry = app
            .import_candidates(&hm, w.opening, &data("import-ours.csv"), true)
            .await
            .unwrap();
        assert_eq!((dry.created, dry.duplicates, dry.invalid), (2, 1, 2));
        assert_eq!(
            app.search(&hm, &SearchInput::default())
                .await
                .unwrap()
                .rows
                .len(),
            1,
            "a dry run writes nothing"
        );
        let first = app
            .import_candidates(&hm, w.opening, &data("import-ours.csv"), false)
            .await
            .unwrap();
        assert_eq!((first.created, first.duplicates, first.invalid), (2, 1, 2));
        let reasons: Vec<String> = first
            .rows
            .iter()
            .filter_map(|r| match &r.outcome {
                RowOutcome::Invalid { reason } => Some(format!("{}: {reason}", r.line)),
                _ => None,
            })
            .collect();
        assert_eq!(reasons[0], "4: no e-mail address");
        assert!(reasons[1].starts_with("6: an e-mail address looks like"));
        let second = app
            .import_candidates(&hm, w.opening, &data("import-ours.csv"), false)
            .await
            .unwrap();
        assert_eq!(second.created, 0);
        assert_eq!(second.duplicates, 3);
        let gh = app
            .import_candidates(&hm, w.opening, &data("import-greenhouse.csv"), false)
            .await
            .unwrap();
        assert_eq!((gh.created, gh.invalid), (2, 1), "{gh:?}");
        assert_eq!(gh.rows[0].name, "Katherine Johnson");
        let lever = app
            .import_candidates(&hm, w.opening, &data("import-lever.csv"), false)
            .await
            .unwrap();
        assert_eq!((lever.created, lever.duplicates), (2, 1), "{lever:?}");
        assert_eq!(lever.rows[0].email, "mh@example.net");
        let all = app.search(&hm, &SearchInput::default()).await.unwrap();
        assert_eq!(all.rows.len(), 1 + 2 + 2 + 2);
        let imported = all
            .rows
            .iter()
            .find(|r| r.candidate.name == "Margaret Hamilton")
            .unwrap();
        assert_eq!(imported.candidate.source, "imported");
        assert!(matches!(
            app.import_candidates(&ivy(), w.opening, &data("import-ours.csv"), true)
                .await,
            Err(AppError::Forbidden(_))
        ));
        let headless = app
            .import_candidates(&hm, w.opening, b"phone,company\n1,2\n", true)
            .await;
        assert!(matches!(headless, Err(AppError::Invalid { .. })));
    }
}

multiplier_store::each_backend! {
    async fn erasure_takes_the_notes_the_cv_and_the_links(db) {
        let w = world(&db).await;
        let (app, hm) = (&w.app, hm());
        let Applied::Created(id) = app
            .apply(w.opening, &application("robin@example.com"), "c")
            .await
            .unwrap()
        else {
            panic!("created");
        };
        app.add_note(&hm, id, "a private remark").await.unwrap();
        app.erase_candidate(
            &hm,
            id,
            true,
            Some(multiplier_app::ErasureReason::CandidateRequest),
        )
        .await
        .unwrap();
        let view = app.candidate(&hm, id).await.unwrap();
        assert!(view.notes.is_empty() && view.files.is_empty());
        assert_eq!(view.candidate.links, None);
    }
}
