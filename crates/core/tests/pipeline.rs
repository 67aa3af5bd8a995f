//! The hiring loop's rules: scorecards, the blind rule's inputs, the two-signal
//! debrief, the offer, the dated onboarding plan and the interview kit.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::civil::date;
use multiplier_core::framework::{Framework, Signal};
use multiplier_core::pipeline::{
    DebriefLine, FlagResolution, OfferRequest, Pending, RaisedFlag, Recommendation, Reference,
    ReferenceKind, Scorecard, Verdict, debrief, flag_badges, kit, offer, plan, score_text,
};
use multiplier_core::score::{Percent, Score};
use std::collections::BTreeMap;

const TD: Signal = Signal::TechnicalDepth;
const TM: Signal = Signal::TeamMultiplier;

fn fw() -> Framework {
    Framework::default_framework().expect("framework")
}

fn s(n: i64) -> Score {
    Score::new(n).expect("score")
}

/// A valid scorecard for `stage` with the given scores (notes filled in).
fn card(stage: &str, who: &str, scores: &[(Signal, i64)]) -> Scorecard {
    Scorecard {
        stage: stage.into(),
        interviewer: who.into(),
        scores: scores.iter().map(|(sig, n)| (*sig, s(*n))).collect(),
        notes: scores
            .iter()
            .map(|(sig, _)| (*sig, "what they said and did".to_string()))
            .collect(),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
        version: 1,
        amendment_reason: None,
    }
}

fn fields(c: &Scorecard) -> Vec<String> {
    c.problems(&fw()).into_iter().map(|p| p.field).collect()
}

#[test]
fn a_complete_scorecard_has_no_problems() {
    assert!(fields(&card("code-review", "ana", &[(TD, 3), (TM, 4)])).is_empty());
}

#[test]
fn a_scorecard_must_score_exactly_the_signals_its_stage_feeds() {
    assert_eq!(
        fields(&card("code-review", "ana", &[(TD, 3)])),
        ["scores.team-multiplier"]
    );
    assert_eq!(
        fields(&card("leadership", "ana", &[(TM, 3), (TD, 3)])),
        ["scores.technical-depth"]
    );
    assert_eq!(fields(&card("debrief", "ana", &[])), ["stage"]);
    assert_eq!(fields(&card("no-such-stage", "ana", &[])), ["stage"]);
}

#[test]
fn a_one_or_a_four_needs_its_evidence() {
    let mut c = card("technical-depth", "ana", &[(TD, 4)]);
    c.notes.clear();
    assert_eq!(fields(&c), ["notes.technical-depth"]);
    c.scores.insert(TD, s(3));
    assert!(fields(&c).is_empty(), "a 3 needs no note");
    c.scores.insert(TD, s(1));
    assert_eq!(fields(&c), ["notes.technical-depth"]);
}

#[test]
fn raised_red_flags_must_exist_and_say_what_was_seen() {
    let mut c = card("leadership", "ana", &[(TM, 3)]);
    c.red_flags = vec![
        RaisedFlag {
            id: "made-up".into(),
            note: "x".into(),
        },
        RaisedFlag {
            id: "blames-the-team".into(),
            note: " ".into(),
        },
    ];
    assert_eq!(
        fields(&c),
        ["red_flags.made-up", "red_flags.blames-the-team"]
    );
}

#[test]
fn an_amendment_is_a_new_version_with_a_reason() {
    let first = card("leadership", "ana", &[(TM, 2)]);
    let second = first.amend(
        card("ignored", "ignored", &[(TM, 3)]),
        "re-read my notes: the dissent story was strong",
    );
    assert_eq!(
        (
            second.version,
            second.stage.as_str(),
            second.interviewer.as_str()
        ),
        (2, "leadership", "ana")
    );
    assert!(fields(&second).is_empty());
    let mut unexplained = second.clone();
    unexplained.amendment_reason = None;
    assert_eq!(fields(&unexplained), ["amendment_reason"]);
}

/// Scorecards from four interviewers; `td` and `tm` are each rater's scores.
fn loop_cards(td: [i64; 2], tm: [i64; 2]) -> Vec<Scorecard> {
    vec![
        card("technical-depth", "ana", &[(TD, td[0])]),
        card("code-review", "ben", &[(TD, td[1]), (TM, tm[0])]),
        card("leadership", "cy", &[(TM, tm[1])]),
    ]
}

#[test]
fn strong_depth_with_weak_multiplier_never_meets_the_bar() {
    let fw = fw();
    for td in [[3, 3], [3, 4], [4, 4]] {
        for tm in [[1, 1], [1, 2], [2, 2], [2, 3], [1, 4]] {
            let d = debrief(&fw, &loop_cards(td, tm), &[], &[]);
            let view = |sig| d.signals.iter().find(|s| s.signal == sig).expect("signal");
            assert!(view(TD).clears, "td {td:?}");
            assert!(!view(TM).clears, "tm {tm:?}");
            assert!(!d.meets_bar, "td {td:?} tm {tm:?} must not meet the bar");
        }
    }
}

#[test]
fn both_signals_clearing_with_enough_raters_meets_the_bar() {
    let d = debrief(&fw(), &loop_cards([3, 4], [3, 4]), &[], &[]);
    assert!(d.meets_bar, "{:?}", d.reasons);
    assert_eq!(d.signals.len(), 2);
    assert_eq!(d.signals[0].signal, TD);
    assert_eq!(d.signals[0].median, Some(3.5));
    assert_eq!(d.signals[0].raters, 2);
    assert!(
        d.reasons
            .iter()
            .any(|r| r.contains("decision is still yours"))
    );
}

#[test]
fn too_few_independent_raters_do_not_clear_a_signal() {
    // One interviewer scoring team multiplier twice is still one rater.
    let cards = vec![
        card("technical-depth", "ana", &[(TD, 4)]),
        card("code-review", "ben", &[(TD, 4), (TM, 4)]),
        card("leadership", "ben", &[(TM, 4)]),
    ];
    let d = debrief(&fw(), &cards, &[], &[]);
    let tm = &d.signals[1];
    assert_eq!(tm.raters, 1);
    assert!(!tm.clears);
    assert!(
        tm.reasons
            .iter()
            .any(|r| r.contains("1 independent rater(s), 2 needed"))
    );
}

#[test]
fn disagreement_is_shown_as_spread() {
    let d = debrief(&fw(), &loop_cards([4, 4], [1, 4]), &[], &[]);
    assert_eq!(d.signals[1].spread, Some(3.0));
    assert!(
        d.signals[1]
            .reasons
            .iter()
            .any(|r| r.contains("disagree by 3"))
    );
}

#[test]
fn only_the_latest_version_of_a_scorecard_counts() {
    let mut cards = loop_cards([3, 3], [2, 3]);
    let amended = cards[2].amend(
        card("leadership", "cy", &[(TM, 4)]),
        "missed the incident story",
    );
    cards.push(amended);
    let d = debrief(&fw(), &cards, &[], &[]);
    assert_eq!(d.signals[1].ratings.len(), 2);
    assert_eq!(d.signals[1].median, Some(3.0));
}

#[test]
fn an_unresolved_critical_red_flag_blocks_until_resolved() {
    let mut cards = loop_cards([4, 4], [4, 4]);
    cards[2].red_flags = vec![RaisedFlag {
        id: "dismisses-dissent".into(),
        note: "called the objecting engineer 'noise'".into(),
    }];
    let d = debrief(&fw(), &cards, &[], &[]);
    assert!(!d.meets_bar);
    assert!(d.red_flags[0].blocks);
    assert!(
        d.reasons
            .iter()
            .any(|r| r.contains("Dismisses or punishes disagreement"))
    );
    let resolved = [FlagResolution {
        flag: "dismisses-dissent".into(),
        by: "cto".into(),
        note: "two references contradict it".into(),
    }];
    let d = debrief(&fw(), &cards, &[], &resolved);
    assert!(d.meets_bar, "{:?}", d.reasons);
    assert!(!d.red_flags[0].blocks);
}

#[test]
fn badges_from_flag_ids_match_the_debriefs_own() {
    // Lists draw badges from the flag ids kept in a candidate's summary; they
    // must say what the debrief says: title, severity, resolved, and order.
    let mut cards = loop_cards([3, 3], [3, 3]);
    let raise = |id: &str| RaisedFlag {
        id: id.into(),
        note: "seen in the session".into(),
    };
    cards[0].red_flags = vec![raise("nitpicks-over-substance"), raise("dismisses-dissent")];
    cards[2].red_flags = vec![raise("blames-the-team"), raise("not-in-the-framework")];
    cards[1].red_flags = vec![raise("dismisses-dissent")];
    let resolved = [FlagResolution {
        flag: "blames-the-team".into(),
        by: "cto".into(),
        note: "the references tell another story".into(),
    }];
    let d = debrief(&fw(), &cards, &[], &resolved);
    let from_debrief: Vec<_> = d.red_flags.iter().map(|f| f.badge()).collect();
    let ids: Vec<String> = d.red_flags.iter().rev().map(|f| f.id.clone()).collect();
    let from_ids = flag_badges(&fw(), &ids, &resolved);
    assert_eq!(from_ids, from_debrief);
    assert_eq!(from_ids.len(), 4);
    assert_eq!(from_ids[0].id, "dismisses-dissent", "critical first");
    assert!(
        from_ids
            .iter()
            .any(|b| b.id == "blames-the-team" && b.resolved)
    );
    let unknown = from_ids.iter().find(|b| b.id == "not-in-the-framework");
    assert_eq!(
        unknown.map(|b| b.title.as_str()),
        Some("not-in-the-framework")
    );
}

#[test]
fn a_debriefs_line_read_from_its_json_is_the_line_taken_from_it() {
    // An opening's debrief page reads each kept debrief's JSON as a line,
    // skipping ratings and notes: the line must hold what the debrief says,
    // signal by signal, flag by flag, verdict included.
    let mut cards = loop_cards([4, 3], [2, 4]);
    cards[2].red_flags = vec![RaisedFlag {
        id: "dismisses-dissent".into(),
        note: "talked over the engineer who objected".into(),
    }];
    let waiting = vec![Pending {
        stage: "leadership".into(),
        interviewer: "dee".into(),
    }];
    for d in [
        debrief(&fw(), &cards, &[], &[]),
        debrief(&fw(), &cards, &[], &[]).awaiting(waiting.clone()),
        debrief(&fw(), &loop_cards([3, 4], [3, 4]), &[], &[]),
    ] {
        let text = serde_json::to_string(&d).unwrap();
        let read: DebriefLine = serde_json::from_str(&text).unwrap();
        let taken = DebriefLine::from(d.clone());
        assert_eq!(read, taken);
        assert_eq!(read.verdict(), d.verdict());
        assert_eq!(
            read.blocking_flags(),
            d.red_flags.iter().filter(|f| f.blocks).count()
        );
        for signal in [TD, TM] {
            let full = d.signals.iter().find(|s| s.signal == signal).unwrap();
            let line = read.signal(signal).unwrap();
            assert_eq!(
                (line.median, line.spread, line.raters, line.clears, line.bar),
                (full.median, full.spread, full.raters, full.clears, full.bar)
            );
        }
    }
    let blocked: DebriefLine = debrief(&fw(), &cards, &[], &[]).into();
    assert_eq!(blocked.blocking_flags(), 1);
    assert!(!blocked.meets_bar);
}

#[test]
fn score_text_writes_what_the_float_formatting_wrote() {
    // score_text writes hundredths as whole numbers; it must read exactly as
    // rounding to two decimals and formatting the float did.
    fn by_float(v: f64) -> String {
        let r = (v * 100.0).round() / 100.0;
        if r.fract() == 0.0 {
            format!("{r:.1}")
        } else {
            format!("{r}")
        }
    }
    let mut values: Vec<f64> = (-20_000..=20_000).map(|t| f64::from(t) / 1000.0).collect();
    values.extend((0..=4000).map(|t| f64::from(t) / 1000.0 + 0.004_999));
    values.extend([
        10.0 / 3.0,
        2.0 / 3.0,
        1.0 + f64::EPSILON,
        3.125,
        2.675,
        -0.0,
        0.0,
    ]);
    values.extend([1e13, 123_456_789.987, 4.0e16, f64::NAN, f64::INFINITY]);
    for v in values {
        assert_eq!(score_text(v), by_float(v), "{v}");
    }
    assert_eq!(score_text(3.0), "3.0");
    assert_eq!(score_text(2.5), "2.5");
    assert_eq!(score_text(10.0 / 3.0), "3.33");
}

#[test]
fn changing_the_bars_changes_the_outcome() {
    let cards = loop_cards([3, 3], [3, 3]);
    assert!(debrief(&fw(), &cards, &[], &[]).meets_bar);
    let stricter = multiplier_core::framework::DEFAULT_TOML.replacen("bar = 3.0", "bar = 3.5", 1);
    let fw2 = Framework::parse("stricter", &stricter).expect("valid");
    assert!(!debrief(&fw2, &cards, &[], &[]).meets_bar);
}

fn reference(kind: ReferenceKind, tm: i64) -> Reference {
    Reference {
        kind,
        name: format!("{kind:?}"),
        relationship: "worked together".into(),
        answer: "yes".into(),
        example: "an example".into(),
        scores: BTreeMap::from([(TM, s(tm))]),
    }
}

#[test]
fn reference_weights_change_the_outcome() {
    // Interviewers split 2 and 3 on team multiplier; the pooled reference score decides the median.
    let cards = loop_cards([3, 3], [2, 3]);
    let refs = [
        reference(ReferenceKind::Engineer, 2),
        reference(ReferenceKind::Manager, 4),
    ];
    let d = debrief(&fw(), &cards, &refs, &[]);
    let pooled = d.signals[1]
        .ratings
        .iter()
        .find(|r| r.rater == "references")
        .expect("pooled")
        .score;
    assert!(
        (pooled - 8.0 / 3.0).abs() < 1e-9,
        "engineer weighs 2, manager 1: {pooled}"
    );
    assert!(!d.meets_bar);
    let flipped = multiplier_core::framework::DEFAULT_TOML
        .replacen("engineer = 2.0", "engineer = 1.0", 1)
        .replacen("manager = 1.0", "manager = 2.0", 1);
    let fw2 = Framework::parse("flipped", &flipped).expect("valid");
    assert!(debrief(&fw2, &cards, &refs, &[]).meets_bar);
}

#[test]
fn one_phone_call_counts_once_for_the_references_stage() {
    // One onsite rater on team multiplier, plus the reference-taker's scorecard
    // and the pooled reference from the same call: before, that was three
    // ratings from "two independent raters".
    let cards = vec![
        card("technical-depth", "ana", &[(TD, 3)]),
        card("code-review", "ben", &[(TD, 3), (TM, 3)]),
        card("references", "hm", &[(TM, 4)]),
    ];
    let refs = [reference(ReferenceKind::Engineer, 4)];
    let d = debrief(&fw(), &cards, &refs, &[]);
    let tm = &d.signals[1];
    assert_eq!(
        tm.raters, 1,
        "the references stage is not an independent rater"
    );
    assert_eq!(tm.ratings.len(), 2, "{:?}", tm.ratings);
    assert_eq!(
        tm.ratings
            .iter()
            .filter(|r| r.stage == "references")
            .count(),
        1
    );
    assert_eq!(tm.set_aside.len(), 1);
    assert_eq!(tm.set_aside[0].rater, "hm");
    assert!(tm.set_aside[0].note.starts_with("not counted"));
    assert!(!tm.clears, "two raters are needed and only ben is one");
    assert!(!d.meets_bar);

    // Without a structured reference the reference-taker's card speaks for the
    // stage, once, still not as an interviewer.
    let d = debrief(&fw(), &cards, &[], &[]);
    let tm = &d.signals[1];
    assert_eq!(tm.raters, 1);
    assert_eq!(tm.ratings.len(), 2);
    assert!(tm.set_aside.is_empty());
}

#[test]
fn no_verdict_while_an_assigned_scorecard_is_missing() {
    let d = debrief(&fw(), &loop_cards([3, 4], [3, 4]), &[], &[]);
    assert!(d.meets_bar);
    assert_eq!(d.verdict(), Verdict::MeetsBar);
    let pending = vec![
        Pending {
            stage: "leadership".into(),
            interviewer: "dee".into(),
        },
        Pending {
            stage: "code-review".into(),
            interviewer: "eli".into(),
        },
    ];
    let d = d.awaiting(pending);
    assert!(!d.meets_bar, "an incomplete loop does not support a hire");
    assert_eq!(
        d.verdict().text(),
        "incomplete — waiting for: code-review by eli, leadership by dee"
    );
    assert!(d.reasons.last().unwrap().starts_with("incomplete"));
    let done = debrief(&fw(), &loop_cards([3, 4], [3, 4]), &[], &[]).awaiting(Vec::new());
    assert_eq!(done.verdict(), Verdict::MeetsBar);
}

fn request(level: &str, region: &str, coding: i64, stage: Option<&str>) -> OfferRequest {
    OfferRequest {
        level: level.into(),
        region: region.into(),
        coding: Percent::new(coding).expect("percent"),
        stage: stage.map(str::to_string),
    }
}

#[test]
fn a_coding_heavy_split_sits_low_in_the_band_and_points_at_the_senior_band() {
    let o = offer(&fw(), &request("tech-lead", "us", 70, Some("series-a"))).expect("offer");
    assert_eq!(
        (o.band_min, o.band_max, o.currency.as_str()),
        (185_000, 260_000, "USD")
    );
    assert!(o.suggested_min >= o.band_min && o.suggested_max <= o.band_max);
    assert!(
        o.suggested_max < (o.band_min + o.band_max) / 2 + 20_000,
        "{o:?}"
    );
    assert!(
        o.explanation
            .iter()
            .any(|e| e.contains("senior band (140000–190000 USD)"))
    );
    assert_eq!(
        (o.equity_min_percent, o.equity_max_percent),
        (Some(0.05), Some(0.2))
    );
    let leading = offer(&fw(), &request("tech-lead", "us", 30, None)).expect("offer");
    assert!(
        leading.suggested_min > o.suggested_max,
        "more leading sits higher"
    );
    assert!(leading.explanation.iter().any(|e| e.contains("staff band")));
}

#[test]
fn unknown_offer_ids_list_the_known_ones() {
    let err = offer(&fw(), &request("cto", "us", 50, None)).expect_err("unknown level");
    assert!(
        err.to_string()
            .contains("senior-lead, tech-lead, staff-lead")
    );
    let err = offer(&fw(), &request("tech-lead", "mars", 50, None)).expect_err("unknown region");
    assert!(err.to_string().contains("western-europe"));
    assert!(offer(&fw(), &request("tech-lead", "us", 50, Some("seed"))).is_err());
}

#[test]
fn the_onboarding_plan_is_dated_from_the_start() {
    let steps = plan(&fw(), date(2027, 1, 11));
    assert_eq!(steps[0].id, "access");
    assert_eq!(steps[0].starts, date(2026, 12, 28));
    assert_eq!(steps[0].due, date(2027, 1, 10));
    let last = steps.last().expect("steps");
    assert_eq!(last.id, "first-incident");
    assert_eq!(last.due, date(2027, 4, 10));
}

#[test]
fn a_kit_gathers_the_stage_its_flags_and_its_rubric() {
    let k = kit(&fw(), "code-review").expect("kit");
    assert_eq!(k.position, 4);
    assert_eq!(k.rubric.len(), 4);
    assert!(
        k.red_flags
            .iter()
            .any(|f| f.id == "corrects-without-teaching" && !f.title.is_empty())
    );
    let known = kit(&fw(), "whiteboard").expect_err("unknown");
    assert!(known.contains(&"leadership".to_string()));
}
