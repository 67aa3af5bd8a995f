//! The written-assessment analyzer: every flag it can raise, each with the sentence
//! it rests on, and a good answer to each question that raises none.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::answers::{Answers, FLAGS, Flag, analyze, analyze_one};
use multiplier_core::framework::Framework;
use multiplier_core::review::ReviewSignals;

fn signals() -> ReviewSignals {
    ReviewSignals::default_signals().expect("default signals load")
}

fn flags(question: &str, text: &str) -> Vec<Flag> {
    analyze_one(question, text, &signals())
}

fn flag<'a>(all: &'a [Flag], id: &str) -> &'a Flag {
    all.iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no `{id}` in {all:#?}"))
}

fn ids(all: &[Flag]) -> Vec<&'static str> {
    all.iter().map(|f| f.id).collect()
}

#[test]
fn context_free_absolute_rests_on_the_absolute_sentence() {
    let all = flags(
        "incident-guidance",
        "I stay calm and ask questions.\nMicroservices are simply better than a monolith. The team agreed.",
    );
    let f = flag(&all, "context-free-absolute");
    assert_eq!(
        f.evidence,
        "Microservices are simply better than a monolith."
    );
    assert_eq!(f.line, 2);
    assert_eq!(f.red_flag, "context-free-absolutes");
    assert_eq!(all.len(), 1);
}

#[test]
fn an_absolute_with_its_condition_or_about_no_architecture_is_not_flagged() {
    for text in [
        "We always start with a monolith when the team is under ten engineers.",
        "I would never use an ORM for reporting queries. At our data volume the generated SQL cost us minutes per report.",
        "I always read the last three postmortems before a planning meeting.",
    ] {
        let all = flags("sprint-risk", text);
        assert!(all.is_empty(), "{text}: {all:#?}");
    }
}

#[test]
fn an_architecture_decision_without_alternatives_outcome_or_hindsight_is_flagged_on_the_decision() {
    let text = "The payments team was blocked on our release train. We decided to split payments into its own service.";
    let all = flags("architecture-decision", text);
    assert_eq!(
        ids(&all),
        vec!["no-alternatives", "no-outcome", "no-hindsight"]
    );
    for f in &all {
        assert_eq!(
            f.evidence, "We decided to split payments into its own service.",
            "{}",
            f.id
        );
        assert!(!f.reason.is_empty());
    }
}

#[test]
fn each_missing_part_of_a_decision_is_flagged_alone() {
    let alternatives = "We compared a read replica with a cache and rejected the cache.";
    let outcome = "Three months later p95 latency had dropped from 900 to 120 milliseconds.";
    let hindsight = "In hindsight I would have measured the replica lag first.";
    let decision = "We decided on a read replica for the reports.";
    for (missing, text) in [
        (
            "no-alternatives",
            format!("{decision} {outcome} {hindsight}"),
        ),
        (
            "no-outcome",
            format!("{decision} {alternatives} {hindsight}"),
        ),
        (
            "no-hindsight",
            format!("{decision} {alternatives} {outcome}"),
        ),
    ] {
        let all = flags("architecture-decision", &text);
        assert_eq!(ids(&all), vec![missing], "{text}");
        assert_eq!(all[0].evidence, decision);
    }
    let all = flags(
        "architecture-decision",
        &format!("{decision} {alternatives} {outcome} {hindsight}"),
    );
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn a_disagreement_settled_by_verdict_is_a_decision_without_process() {
    let all = flags(
        "technical-disagreement",
        "Both have a point. I would pick the queue, it is simply the better design, and that settles it.",
    );
    let f = flag(&all, "decision-without-process");
    assert!(
        f.evidence.starts_with("I would pick the queue"),
        "{}",
        f.evidence
    );
    assert!(f.reason.contains("how it was reached"), "{}", f.reason);
    assert!(f.reason.contains("written down"), "{}", f.reason);
    assert_eq!(f.red_flag, "decision-without-process");
}

#[test]
fn a_disagreement_with_its_process_is_not_flagged() {
    let all = flags(
        "technical-disagreement",
        "I'd meet each of them one-on-one to hear the argument, then ask both for a one-page proposal \
         against criteria we agree on. I'd explain the decision to both in person, credit the option we \
         did not take, and record it in an ADR.",
    );
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn a_review_comment_that_corrects_is_not_a_lesson_and_one_that_teaches_is() {
    let all = flags(
        "teaching-review",
        "I'd be brief:\n\n> This is an N+1. Use select_related.\n\nThen approve.",
    );
    let f = flag(&all, "correction-not-lesson");
    assert_eq!(f.evidence, "> This is an N+1.");
    assert_eq!(f.red_flag, "corrects-without-teaching");
    assert!(f.reason.contains("reads as a correction"), "{}", f.reason);
    assert!(f.reason.contains("against a threshold of"), "{}", f.reason);

    let all = flags(
        "teaching-review",
        "My comment:\n\n> Each order in this loop loads its lines with a separate query, because \
         relations load lazily. At 10x traffic that saturates the database. The general pattern is \
         eager loading; the ORM docs explain it: https://docs.djangoproject.com/en/5.0/ref/models/querysets/",
    );
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn every_flag_id_is_raised_by_some_answer_in_one_file() {
    let fw = Framework::default_framework().expect("framework");
    let text = serde_json::json!({"answers": [
        {"question": "architecture-decision", "text": "We decided to use Kafka. Kafka is always the answer for events."},
        {"question": "technical-disagreement", "text": "I'd go with option B and tell them."},
        {"question": "teaching-review", "text": "> Wrong, use a join here please."},
        {"question": "sprint-risk", "text": "We list unknowns per ticket before planning, when the work is new to us."},
        {"question": "incident-guidance", "text": "I know the system, so I'd take the keyboard and fix it."}
    ]})
    .to_string();
    let answers = Answers::parse("answers.json", &text, &fw).expect("valid");
    let report = analyze(&answers, &signals());
    assert_eq!(report.answers.len(), 5);
    assert_eq!(report.answers[0].question, "architecture-decision");
    let raised: std::collections::BTreeSet<&str> = report
        .answers
        .iter()
        .flat_map(|a| a.flags.iter().map(|f| f.id))
        .collect();
    for id in FLAGS {
        assert!(raised.contains(id), "{id} was not raised: {raised:?}");
    }
    assert!(
        report.answers[3].flags.is_empty(),
        "{:#?}",
        report.answers[3]
    );
    let v = serde_json::to_value(&report).expect("json");
    let f = &v["answers"][0]["flags"][0];
    assert!(f["id"].is_string() && f["evidence"].is_string(), "{v}");
}

#[test]
fn taking_over_and_its_kin_are_flagged_on_the_sentence_with_the_words_it_rests_on() {
    let all = flags(
        "incident-guidance",
        "I'd join the call first.\nI know the system, so I'd take the keyboard and fix it because every minute costs money.",
    );
    let f = flag(&all, "takes-over");
    assert_eq!(f.line, 2);
    assert!(
        f.evidence.starts_with("I know the system"),
        "{}",
        f.evidence
    );
    assert!(f.reason.contains("\"take the keyboard\""), "{}", f.reason);
    assert_eq!(f.red_flag, "takes-over-incidents");
    for (question, text) in [
        (
            "incident-guidance",
            "I'd jump in and fix it, then explain the fix afterwards.",
        ),
        (
            "incident-guidance",
            "First I'd SSH into the box and read the logs myself.",
        ),
        (
            "sprint-risk",
            "I'd take that ticket myself, since nobody else knows the code.",
        ),
        (
            "teaching-review",
            "I'd fix it myself and push a commit to their branch.",
        ),
    ] {
        let all = flags(question, text);
        let f = flag(&all, "takes-over");
        if question != "incident-guidance" {
            assert_eq!(f.red_flag, "hoards-context", "{text}");
        }
    }
}

#[test]
fn declining_to_take_over_a_last_resort_and_the_leads_own_roles_are_not_flagged() {
    for text in [
        "I would resist the urge to take the keyboard.",
        "Instead of fixing it myself, I'd ask them to share their screen.",
        "I do not take the keyboard; I ask questions.",
        "Only if customers were still harmed after the rollback would I take over, and I'd say so in the channel.",
        "I'd take the communication role myself so they can focus.",
        "I'd take over status updates to support.",
        "I'd make the call myself at the end of the week.",
    ] {
        let all = flags("incident-guidance", text);
        assert!(
            !all.iter().any(|f| f.id == "takes-over"),
            "{text}: {all:#?}"
        );
    }
}

#[test]
fn empty_and_odd_answers_do_not_panic() {
    for question in [
        "architecture-decision",
        "technical-disagreement",
        "teaching-review",
        "sprint-risk",
    ] {
        for text in [
            "",
            "   ",
            ">",
            "> \n>",
            "...",
            "\u{feff}always microservices",
            "1. 2. 3.",
        ] {
            let _ = flags(question, text);
        }
    }
    assert!(flags("architecture-decision", "").is_empty());
}
