//! Role intake: answers parsed against the framework, and every guidance rule
//! checked both ways (it fires when it should and stays quiet when it should not).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::Framework;
use multiplier_core::role::{Archetype, FindingKind, RULES, Role};
use toml::{Table, Value};

const BASE: &str = r#"
title = "Tech Lead, Payments"
[context]
stack = "Django, PostgreSQL"
[answers]
coding-share = 50
team = { senior = 2, mid = 3 }
performance-reviews = false
architecture = "monolith"
mandate = "legacy-modernisation"
main-challenge = "delivery-speed"
rituals = ["sprint-planning", "architecture-review"]
reports-to = "cto"
"#;

fn fw() -> Framework {
    Framework::default_framework().expect("default framework loads")
}

/// The base role with some answers replaced.
fn role_with(changes: &[(&str, Value)]) -> Role {
    let mut t: Table = toml::from_str(BASE).expect("base parses");
    let answers = t
        .get_mut("answers")
        .and_then(Value::as_table_mut)
        .expect("answers");
    for (k, v) in changes {
        answers.insert((*k).to_string(), v.clone());
    }
    let text = toml::to_string(&t).expect("serialises");
    Role::parse(&fw(), "test", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn team(pairs: &[(&str, i64)]) -> Value {
    Value::Table(
        pairs
            .iter()
            .map(|(k, n)| ((*k).to_string(), Value::Integer(*n)))
            .collect(),
    )
}

fn rituals(list: &[&str]) -> Value {
    Value::Array(
        list.iter()
            .map(|s| Value::String((*s).to_string()))
            .collect(),
    )
}

fn fired(role: &Role) -> Vec<&'static str> {
    role.guidance(&fw())
        .findings
        .iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn the_base_role_triggers_no_rule() {
    assert_eq!(fired(&role_with(&[])), Vec::<&str>::new());
}

#[test]
fn every_rule_is_listed_once() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
}

#[test]
fn no_team_fires_for_zero_engineers_only() {
    assert!(fired(&role_with(&[("team", team(&[("mid", 0)]))])).contains(&"no-team"));
    assert!(!fired(&role_with(&[("team", team(&[("mid", 1)]))])).contains(&"no-team"));
}

#[test]
fn performance_reviews_make_it_an_engineering_manager_role() {
    let role = role_with(&[("performance-reviews", Value::Boolean(true))]);
    let g = role.guidance(&fw());
    let f = g
        .findings
        .iter()
        .find(|f| f.rule == "performance-reviews-make-it-em")
        .expect("fires");
    assert_eq!(f.kind, FindingKind::Contradiction);
    assert!(f.message.contains("engineering-manager role"));
    assert_eq!(f.evidence[0].question, "performance-reviews");
    assert_eq!(f.evidence[0].answer, "yes");
    assert!(g.has_contradictions());
    assert!(!fired(&role_with(&[])).contains(&"performance-reviews-make-it-em"));
}

#[test]
fn reviews_beside_an_engineering_manager_fire_only_with_both_answers() {
    let both = role_with(&[
        ("performance-reviews", Value::Boolean(true)),
        ("reports-to", Value::String("engineering-manager".into())),
    ]);
    assert!(fired(&both).contains(&"reviews-duplicate-the-em"));
    let reviews_only = role_with(&[("performance-reviews", Value::Boolean(true))]);
    assert!(!fired(&reviews_only).contains(&"reviews-duplicate-the-em"));
    let em_only = role_with(&[("reports-to", Value::String("engineering-manager".into()))]);
    assert!(!fired(&em_only).contains(&"reviews-duplicate-the-em"));
}

#[test]
fn coding_heavy_with_a_large_team_is_a_contradiction_at_the_thresholds() {
    let fw = fw();
    let (pc, large) = (
        i64::from(fw.intake.rules.player_coach_min_coding),
        i64::from(fw.intake.rules.large_team_min),
    );
    let at = role_with(&[
        ("coding-share", Value::Integer(pc)),
        ("team", team(&[("mid", large)])),
    ]);
    assert!(fired(&at).contains(&"coding-heavy-large-team"));
    let smaller = role_with(&[
        ("coding-share", Value::Integer(pc)),
        ("team", team(&[("mid", large - 1)])),
    ]);
    assert!(!fired(&smaller).contains(&"coding-heavy-large-team"));
    let less_coding = role_with(&[
        ("coding-share", Value::Integer(pc - 1)),
        ("team", team(&[("mid", large)])),
    ]);
    assert!(!fired(&less_coding).contains(&"coding-heavy-large-team"));
}

#[test]
fn a_leader_coder_must_run_architecture_review() {
    let without = role_with(&[("rituals", rituals(&["sprint-planning"]))]);
    assert!(fired(&without).contains(&"leader-coder-without-architecture-review"));
    let player_coach = role_with(&[
        ("rituals", rituals(&["sprint-planning"])),
        ("coding-share", Value::Integer(70)),
    ]);
    assert!(!fired(&player_coach).contains(&"leader-coder-without-architecture-review"));
}

#[test]
fn a_leader_coder_with_a_small_team_is_warned() {
    let small = role_with(&[("team", team(&[("senior", 1), ("mid", 2)]))]);
    let g = small.guidance(&fw());
    let f = g
        .findings
        .iter()
        .find(|f| f.rule == "leader-coder-small-team")
        .expect("fires");
    assert_eq!(f.kind, FindingKind::Warning);
    assert!(!g.has_contradictions());
    let player_coach = role_with(&[
        ("team", team(&[("mid", 3)])),
        ("coding-share", Value::Integer(60)),
    ]);
    assert!(!fired(&player_coach).contains(&"leader-coder-small-team"));
    assert!(!fired(&role_with(&[])).contains(&"leader-coder-small-team"));
}

#[test]
fn a_coding_share_below_the_minimum_is_warned() {
    let min = i64::from(fw().intake.rules.min_coding);
    assert!(
        fired(&role_with(&[("coding-share", Value::Integer(min - 1))]))
            .contains(&"coding-share-below-minimum")
    );
    assert!(
        !fired(&role_with(&[("coding-share", Value::Integer(min))]))
            .contains(&"coding-share-below-minimum")
    );
}

#[test]
fn a_team_without_seniors_is_noted_beyond_small_size() {
    assert!(
        fired(&role_with(&[("team", team(&[("mid", 3), ("junior", 2)]))]))
            .contains(&"no-senior-engineers")
    );
    assert!(
        !fired(&role_with(&[("team", team(&[("mid", 2), ("junior", 1)]))]))
            .contains(&"no-senior-engineers")
    );
    assert!(
        !fired(&role_with(&[("team", team(&[("staff", 1), ("mid", 4)]))]))
            .contains(&"no-senior-engineers")
    );
}

#[test]
fn not_running_sprint_planning_is_noted() {
    let role = role_with(&[("rituals", rituals(&["architecture-review"]))]);
    let g = role.guidance(&fw());
    let f = g
        .findings
        .iter()
        .find(|f| f.rule == "no-sprint-planning")
        .expect("fires");
    assert_eq!(f.kind, FindingKind::Note);
    assert!(!fired(&role_with(&[])).contains(&"no-sprint-planning"));
}

#[test]
fn findings_list_contradictions_before_warnings_and_notes() {
    let role = role_with(&[
        ("rituals", Value::Array(vec![])),
        ("team", team(&[("mid", 2)])),
        ("performance-reviews", Value::Boolean(true)),
    ]);
    let kinds: Vec<FindingKind> = role
        .guidance(&fw())
        .findings
        .iter()
        .map(|f| f.kind)
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    assert_eq!(kinds.first(), Some(&FindingKind::Contradiction));
    assert_eq!(kinds.last(), Some(&FindingKind::Note));
}

#[test]
fn archetype_follows_the_player_coach_line() {
    let line = i64::from(fw().intake.rules.player_coach_min_coding);
    let at = role_with(&[("coding-share", Value::Integer(line))]).guidance(&fw());
    assert_eq!(at.archetype, Archetype::PlayerCoach);
    assert!(at.archetype_reason.contains(&format!("{line}%")));
    let below = role_with(&[("coding-share", Value::Integer(line - 1))]).guidance(&fw());
    assert_eq!(below.archetype, Archetype::LeaderCoder);
}

#[test]
fn the_suggested_level_follows_archetype_and_team_size() {
    let level =
        |changes: &[(&str, Value)]| role_with(changes).guidance(&fw()).suggested_level.level;
    assert_eq!(
        level(&[
            ("coding-share", Value::Integer(70)),
            ("team", team(&[("mid", 3)]))
        ]),
        "senior-lead"
    );
    assert_eq!(
        level(&[
            ("coding-share", Value::Integer(30)),
            ("team", team(&[("senior", 3), ("mid", 5)]))
        ]),
        "staff-lead"
    );
    assert_eq!(level(&[]), "tech-lead");
}

#[test]
fn chosen_answers_bring_their_guidance_from_the_framework() {
    let g = role_with(&[]).guidance(&fw());
    let fw = fw();
    let challenge = fw
        .question("main-challenge")
        .and_then(|q| q.choice("delivery-speed"))
        .expect("choice");
    if let Some(expected) = &challenge.guidance {
        assert!(g.focus.iter().any(|f| &f.guidance == expected));
    }
    let other = fw
        .question("main-challenge")
        .and_then(|q| q.choice("scaling"))
        .and_then(|c| c.guidance.clone());
    if let Some(other) = other {
        assert!(
            !g.focus.iter().any(|f| f.guidance == other),
            "unchosen answers bring no guidance"
        );
    }
}

#[test]
fn splits_are_read_in_the_ways_people_write_them() {
    for (written, expected) in [("70/30", 70), ("40%", 40), ("55", 55)] {
        let role = role_with(&[("coding-share", Value::String(written.into()))]);
        assert_eq!(role.facts.coding_share.get(), expected, "{written}");
    }
}

#[test]
fn bad_answers_are_reported_with_line_and_allowed_values() {
    let text = BASE
        .replace(
            "architecture = \"monolith\"",
            "architecture = \"mainframe\"",
        )
        .replace("coding-share = 50", "coding-share = 150")
        .replace(
            "reports-to = \"cto\"",
            "reports-to = \"cto\"\nfavourite-colour = \"blue\"",
        );
    let err = Role::parse(&fw(), "role.toml", &text).expect_err("invalid");
    let p = &err.0.problems;
    let arch = p
        .iter()
        .find(|p| p.field == "answers.architecture")
        .expect("architecture problem");
    assert!(
        arch.message.contains("`monolith`"),
        "lists the allowed values: {}",
        arch.message
    );
    let line = text
        .lines()
        .position(|l| l.contains("mainframe"))
        .map(|i| i + 1);
    assert_eq!(arch.line, line);
    assert!(p.iter().any(|p| p.field == "answers.coding-share"));
    assert!(p.iter().any(|p| p.field == "answers.favourite-colour"));
}

#[test]
fn a_missing_answer_is_named() {
    let text = BASE.replace("main-challenge = \"delivery-speed\"\n", "");
    let err = Role::parse(&fw(), "role.toml", &text).expect_err("invalid");
    assert!(
        err.0
            .problems
            .iter()
            .any(|p| p.field == "answers.main-challenge" && p.message.contains("missing"))
    );
}

#[test]
fn a_role_survives_a_round_trip_through_its_toml() {
    let role = role_with(&[("coding-share", Value::String("70/30".into()))]);
    let text = role.to_toml().expect("serialises");
    let again = Role::parse(&fw(), "again", &text).expect("parses back");
    assert_eq!(again, role);
}

#[test]
fn the_bundled_examples_parse_without_contradictions() {
    for path in ["payments-player-coach.toml", "platform-leader-coder.toml"] {
        let full = format!("{}/../../examples/roles/{path}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&full).expect("example exists");
        let role = Role::parse(&fw(), path, &text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!role.guidance(&fw()).has_contradictions(), "{path}");
    }
}
