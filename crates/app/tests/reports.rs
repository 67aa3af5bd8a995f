//! Reports as use cases (issue 19): who may run them, small cells that never
//! show their counts, self-identification that reaches the reports but never
//! a candidate view, the portal, or the audit log.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{
    Account, Actor, App, AppError, ApplicationInput, Applied, CandidateInput, StatusInput,
};
use multiplier_core::Framework;
use multiplier_core::Role;
use multiplier_store::{AccountRole, AuditFilter, CandidateId, OpeningId};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

fn hm() -> Account {
    Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    }
}

fn acct(name: &str) -> Account {
    Account {
        name: name.into(),
        role: AccountRole::Interviewer,
    }
}

struct World {
    app: App,
    /// Managed by `hm`.
    main: OpeningId,
    /// Managed by the interviewer `mo`.
    side: OpeningId,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = multiplier_store::open(dir.path().join("a.db").to_str().unwrap())
        .await
        .unwrap();
    let app = App::new(store, Arc::new(Framework::default_framework().unwrap()));
    for (name, role) in [
        ("hm", AccountRole::Admin),
        ("ivy", AccountRole::Interviewer),
        ("mo", AccountRole::Interviewer),
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
    let main = app.open_role(&hm(), &role, None).await.unwrap().1;
    let side = app.open_role(&hm(), &role, Some("mo")).await.unwrap().1;
    World {
        app,
        main,
        side,
        _dir: dir,
    }
}

fn application(n: usize, sex: &str, race: &str) -> ApplicationInput {
    ApplicationInput {
        name: format!("Applicant {n}"),
        email: format!("a{n}@example.com"),
        consent: true,
        sex: sex.into(),
        race: race.into(),
        ..ApplicationInput::default()
    }
}

async fn apply(w: &World, n: usize, sex: &str, race: &str) -> CandidateId {
    match w
        .app
        .apply(w.main, &application(n, sex, race), &format!("client-{n}"))
        .await
        .unwrap()
    {
        Applied::Created(id) => id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn admins_run_every_report_a_managing_interviewer_only_their_openings_funnel() {
    let w = world().await;
    assert!(w.app.funnel_report(&hm(), None).await.is_ok());
    assert!(w.app.adverse_impact_report(&hm(), None, None).await.is_ok());
    let mo = acct("mo");
    let theirs = w.app.funnel_report(&mo, Some(w.side)).await.unwrap();
    assert_eq!(theirs.openings.len(), 1);
    for refused in [
        w.app.funnel_report(&mo, Some(w.main)).await.err(),
        w.app.funnel_report(&mo, None).await.err(),
        w.app.funnel_report(&acct("ivy"), Some(w.side)).await.err(),
    ] {
        assert!(
            matches!(refused, Some(AppError::Forbidden(_))),
            "{refused:?}"
        );
    }
    let impact = w.app.adverse_impact_report(&mo, Some(w.side), None).await;
    assert!(matches!(impact, Err(AppError::Forbidden(_))), "{impact:?}");
    let missing = w.app.funnel_report(&hm(), Some(OpeningId(999))).await;
    assert!(matches!(missing, Err(AppError::NotFound(_))));
    let bad_stage = w
        .app
        .adverse_impact_report(&hm(), None, Some("lunch"))
        .await;
    assert!(
        matches!(&bad_stage, Err(AppError::Invalid { problems, .. }) if problems[0].field == "stage"),
        "{bad_stage:?}"
    );
}

#[tokio::test]
async fn small_categories_show_no_counts_and_large_ones_are_judged() {
    let w = world().await;
    let mut n = 0;
    // 6 women (3 go on to technical depth), 2 men (both go on).
    for (sex, race, go_on) in [
        ("female", "white", true),
        ("female", "white", true),
        ("female", "white", true),
        ("female", "white", false),
        ("female", "white", false),
        ("female", "white", false),
        ("male", "white", true),
        ("male", "asian", true),
    ] {
        n += 1;
        let id = apply(&w, n, sex, race).await;
        if go_on {
            w.app
                .move_candidate(&hm(), id, "async-assessment")
                .await
                .unwrap();
        }
    }
    let r = w
        .app
        .adverse_impact_report(&hm(), Some(w.main), Some("screen"))
        .await
        .unwrap();
    assert_eq!(r.steps.len(), 1);
    let sex = &r.steps[0].by_sex;
    let female = sex.rows.iter().find(|x| x.category == "female").unwrap();
    let male = sex.rows.iter().find(|x| x.category == "male").unwrap();
    assert_eq!((female.applicants, female.selected), (Some(6), Some(3)));
    assert!(male.suppressed && male.applicants.is_none() && male.rate.is_none());
    assert_eq!(sex.reference.as_deref(), Some("female"));
    let csv = r.csv().unwrap();
    assert!(
        csv.contains("selection,screen,async-assessment,sex,male,Male,<5,<5,"),
        "{csv}"
    );
    assert!(
        csv.contains("selection,screen,async-assessment,sex,female,Female,6,3,0.5000,1.0000"),
        "{csv}"
    );
    assert!(r.warnings.iter().any(|x| x.contains("too few to judge")));
    // The funnel of the same candidates.
    let f = w.app.funnel_report(&hm(), Some(w.main)).await.unwrap();
    assert_eq!(f.overall.candidates, 8);
    assert_eq!(f.overall.steps[0].reached, 8);
    assert_eq!(f.overall.steps[1].reached, 5);
    assert!(
        f.csv()
            .unwrap()
            .starts_with("opening,title,section,item,label,count,")
    );
}

#[tokio::test]
async fn self_identification_never_reaches_a_candidate_view_or_the_log() {
    let w = world().await;
    let id = apply(&w, 1, "female", "native-hawaiian-or-pacific-islander").await;
    let view = w.app.candidate(&hm(), id).await.unwrap();
    let text = format!("{view:?}");
    for word in [
        "female",
        "native-hawaiian",
        "Native Hawaiian",
        "self_id",
        "Female",
    ] {
        assert!(!text.contains(word), "{word} in the candidate view");
    }
    let log = w
        .app
        .audit_log(&hm(), &AuditFilter::default())
        .await
        .unwrap();
    for e in &log {
        assert!(
            !e.detail.contains("female") && !e.detail.contains("hawaiian"),
            "{}",
            e.detail
        );
    }
    let bad = w
        .app
        .apply(w.main, &application(2, "martian", "white"), "client-x")
        .await;
    assert!(
        matches!(&bad, Err(AppError::Invalid { problems, .. }) if problems.iter().any(|p| p.field == "sex")),
        "{bad:?}"
    );
}

#[tokio::test]
async fn the_portal_records_a_self_identification_and_says_only_that_it_was_given() {
    let w = world().await;
    let id = w
        .app
        .add_candidate(
            &hm(),
            w.main,
            &CandidateInput {
                name: "Dana".into(),
                email: Some("dana@example.com".into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    let link = w
        .app
        .create_link(&hm(), id, "orders-n-plus-one", 14)
        .await
        .unwrap();
    let visit = w.app.visit(&link.token).await.unwrap();
    assert_eq!(w.app.self_id_given(&visit).await.unwrap(), None);
    w.app.save_self_id(&visit, "male", "asian").await.unwrap();
    assert!(w.app.self_id_given(&visit).await.unwrap().is_some());
    let bad = w.app.save_self_id(&visit, "male", "nope").await;
    assert!(matches!(bad, Err(AppError::Invalid { .. })));
    // Erasure takes it away.
    w.app
        .set_status(
            &hm(),
            id,
            &StatusInput {
                status: "withdrawn".into(),
                reason: None,
            },
        )
        .await
        .unwrap();
    let r = w
        .app
        .adverse_impact_report(&hm(), Some(w.main), Some("overall"))
        .await
        .unwrap();
    let male = r.steps[0]
        .by_sex
        .rows
        .iter()
        .find(|x| x.category == "male")
        .unwrap();
    assert!(male.suppressed, "one man: counted but hidden");
    w.app
        .erase_candidate(
            &hm(),
            id,
            true,
            Some(multiplier_app::ErasureReason::CandidateRequest),
        )
        .await
        .unwrap();
    let r = w
        .app
        .adverse_impact_report(&hm(), Some(w.main), Some("overall"))
        .await
        .unwrap();
    let male = r.steps[0]
        .by_sex
        .rows
        .iter()
        .find(|x| x.category == "male")
        .unwrap();
    assert_eq!(
        male.applicants,
        Some(0),
        "erased: no longer counted as male"
    );
}
