//! Loading the framework: the shipped default, and each kind of broken file
//! reported with its line and field instead of a panic.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::{
    DEFAULT_TOML, DeliveryMetric, Framework, REQUIRED_STAGES, TierId,
};
use multiplier_core::source::Problem;
use toml::{Table, Value};

fn default_table() -> Table {
    toml::from_str(DEFAULT_TOML).expect("the default parses as TOML")
}

/// Serialise a mutated table and parse it as a framework; return the text too.
fn load(table: &Table) -> (String, Result<Framework, Vec<Problem>>) {
    let text = toml::to_string(table).expect("serialises");
    let result = Framework::parse("test.toml", &text).map_err(|e| e.0.problems);
    (text, result)
}

fn problems(table: &Table) -> (String, Vec<Problem>) {
    let (text, result) = load(table);
    match result {
        Ok(_) => panic!("expected problems, the file loaded"),
        Err(p) => (text, p),
    }
}

/// The 1-based line of the `nth` line containing `needle`.
fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in text"))
}

fn array<'a>(t: &'a mut Table, key: &str) -> &'a mut Vec<Value> {
    t.get_mut(key).and_then(Value::as_array_mut).expect("array")
}

fn table<'a>(t: &'a mut Table, key: &str) -> &'a mut Table {
    t.get_mut(key).and_then(Value::as_table_mut).expect("table")
}

fn find<'a>(items: &'a mut [Value], key: &str, id: &str) -> &'a mut Table {
    items
        .iter_mut()
        .filter_map(Value::as_table_mut)
        .find(|t| t.get(key).and_then(Value::as_str) == Some(id))
        .unwrap_or_else(|| panic!("no entry with {key} = {id}"))
}

#[test]
fn the_default_has_every_part_the_issue_names() {
    let fw = Framework::default_framework().expect("default loads");
    assert_eq!(fw.intake.questions.len(), 8);
    let ids: Vec<&str> = fw.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, REQUIRED_STAGES);
    assert_eq!(fw.assessment.questions.len(), 5);
    assert_eq!(fw.screening.len(), 3);
    assert!(
        fw.red_flags
            .iter()
            .any(|f| f.severity == multiplier_core::framework::Severity::Critical)
    );
    assert_eq!(fw.compensation.bands.len(), 9);
    let band = fw
        .compensation
        .band("tech-lead", "us")
        .expect("us tech-lead band");
    assert_eq!((band.min, band.max), (185_000, 260_000));
    let band = fw
        .compensation
        .band("staff-lead", "western-europe")
        .expect("band");
    assert_eq!((band.min, band.max), (145_000, 200_000));
    assert!(fw.decision.reference_weights.engineer > fw.decision.reference_weights.manager);
    assert!(fw.warnings().is_empty(), "{:?}", fw.warnings());
    let deploy = fw
        .delivery
        .targets
        .for_metric(DeliveryMetric::DeploymentFrequency)
        .expect("target");
    assert_eq!(deploy.range, [2.0, 3.0]);
    // A team deploying twice a day is elite; once a fortnight is low.
    let tier = |v| {
        fw.delivery
            .dora
            .tier(DeliveryMetric::DeploymentFrequency, v)
            .map(|t| t.id)
    };
    assert_eq!(tier(14.0), Some(TierId::Elite));
    assert_eq!(tier(0.5), Some(TierId::Medium));
    assert_eq!(tier(0.1), Some(TierId::Low));
    assert_eq!(
        fw.onboarding.steps.first().map(|s| s.start_day < 0),
        Some(true)
    );
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let text = "[framework]\nname = \"x\"\nversion = \n";
    let err = Framework::parse("bad.toml", text).expect_err("must fail");
    assert_eq!(err.0.source, "bad.toml");
    assert_eq!(err.0.problems[0].line, Some(3));
}

#[test]
fn an_empty_file_is_a_problem_not_a_panic() {
    let err = Framework::parse("empty.toml", "").expect_err("must fail");
    assert!(
        err.0.problems[0].message.contains("missing field"),
        "{:?}",
        err.0.problems
    );
}

#[test]
fn a_misspelt_field_is_reported_with_its_line_and_name() {
    let mut t = default_table();
    let stage = find(array(&mut t, "stage"), "id", "code-review");
    stage.insert("rubrik".into(), Value::String("oops".into()));
    let (text, p) = problems(&t);
    assert!(p[0].message.contains("rubrik"), "{p:?}");
    assert_eq!(p[0].line, Some(line_of(&text, "rubrik", 0)));
}

#[test]
fn a_value_of_the_wrong_type_is_reported_with_its_line() {
    let mut t = default_table();
    let bars = array(table(&mut t, "decision"), "signal");
    bars[0]
        .as_table_mut()
        .expect("table")
        .insert("bar".into(), Value::String("high".into()));
    let (text, p) = problems(&t);
    assert_eq!(p[0].line, Some(line_of(&text, "bar = \"high\"", 0)));
}

#[test]
fn a_bar_off_the_1_to_4_scale_is_rejected() {
    let mut t = default_table();
    let bars = array(table(&mut t, "decision"), "signal");
    bars[0]
        .as_table_mut()
        .expect("table")
        .insert("bar".into(), Value::Float(5.0));
    let (_, p) = problems(&t);
    assert!(p[0].message.contains("1–4"), "{p:?}");
}

#[test]
fn a_missing_rubric_anchor_points_at_its_stage() {
    let mut t = default_table();
    let stage = find(array(&mut t, "stage"), "id", "leadership");
    table(stage, "rubric").remove("3");
    let (text, p) = problems(&t);
    let problem = p
        .iter()
        .find(|p| p.field == "stage[leadership].rubric")
        .expect("rubric problem");
    assert!(problem.message.contains("score 3"));
    // The line is the [[stage]] header of the leadership stage.
    let id_line = line_of(&text, "id = \"leadership\"", 0);
    let header = text
        .lines()
        .take(id_line)
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[stage]]")
        .last()
        .map(|(i, _)| i + 1);
    assert_eq!(problem.line, header);
}

#[test]
fn a_stage_citing_an_unknown_red_flag_is_rejected() {
    let mut t = default_table();
    let stage = find(array(&mut t, "stage"), "id", "screen");
    stage.insert(
        "red_flags".into(),
        Value::Array(vec![Value::String("no-such-flag".into())]),
    );
    let (_, p) = problems(&t);
    assert!(
        p.iter()
            .any(|p| p.field == "stage[screen].red_flags" && p.message.contains("no-such-flag")),
        "{p:?}"
    );
}

#[test]
fn required_stages_out_of_order_or_missing_are_reported() {
    let mut t = default_table();
    let stages = array(&mut t, "stage");
    let i = stages
        .iter()
        .position(|s| s.get("id").and_then(Value::as_str) == Some("debrief"))
        .expect("debrief");
    let debrief = stages.remove(i);
    stages.insert(0, debrief);
    let (_, p) = problems(&t);
    assert!(
        p.iter().any(|p| p.message.contains("must come after")),
        "{p:?}"
    );

    let mut t = default_table();
    array(&mut t, "stage").retain(|s| s.get("id").and_then(Value::as_str) != Some("references"));
    let (_, p) = problems(&t);
    assert!(
        p.iter()
            .any(|p| p.message.contains("`references` is missing")),
        "{p:?}"
    );
}

#[test]
fn a_duplicate_id_is_reported_on_the_second_occurrence() {
    let mut t = default_table();
    let flags = array(&mut t, "red_flag");
    let copy = flags[0].clone();
    flags.push(copy);
    let (_, p) = problems(&t);
    assert!(p.iter().any(|p| p.message.contains("used twice")), "{p:?}");
}

#[test]
fn intake_questions_the_rules_need_are_checked_for_presence_and_kind() {
    let mut t = default_table();
    let questions = array(table(&mut t, "intake"), "question");
    questions.retain(|q| q.get("id").and_then(Value::as_str) != Some("reports-to"));
    find(questions, "id", "performance-reviews")
        .insert("kind".into(), Value::String("text".into()));
    let (_, p) = problems(&t);
    assert!(
        p.iter()
            .any(|p| p.message.contains("`reports-to` is missing")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|p| p.field == "intake.question[performance-reviews].kind"),
        "{p:?}"
    );
}

#[test]
fn every_level_and_region_needs_a_band_with_min_below_max() {
    let mut t = default_table();
    let comp = table(&mut t, "compensation");
    let bands = array(comp, "band");
    bands.retain(|b| {
        !(b.get("level").and_then(Value::as_str) == Some("tech-lead")
            && b.get("region").and_then(Value::as_str) == Some("us"))
    });
    let first = bands[0].as_table_mut().expect("band");
    first.insert("min".into(), Value::Integer(999_999));
    let (_, p) = problems(&t);
    assert!(
        p.iter().any(|p| p
            .message
            .contains("no band for level `tech-lead` in region `us`")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|p| p.field.ends_with(".min") && p.message.contains("below max")),
        "{p:?}"
    );
}

#[test]
fn dora_tiers_must_run_best_first_and_end_open() {
    let mut t = default_table();
    let dora = table(table(&mut t, "delivery"), "dora");
    array(dora, "tier").reverse();
    let (_, p) = problems(&t);
    assert!(p.iter().any(|p| p.field == "delivery.dora.tier"), "{p:?}");
}

#[test]
fn a_missing_signal_is_reported() {
    let mut t = default_table();
    array(&mut t, "signal")
        .retain(|s| s.get("id").and_then(Value::as_str) != Some("team-multiplier"));
    let (_, p) = problems(&t);
    assert!(
        p.iter()
            .any(|p| p.message.contains("`team-multiplier` is missing")),
        "{p:?}"
    );
}

#[test]
fn weights_that_favour_managers_load_but_warn() {
    let mut t = default_table();
    let w = table(table(&mut t, "decision"), "reference_weights");
    w.insert("engineer".into(), Value::Float(1.0));
    w.insert("manager".into(), Value::Float(2.0));
    let (_, fw) = load(&t);
    let fw = fw.expect("still valid");
    assert!(
        fw.warnings()
            .iter()
            .any(|w| w.contains("engineer references"))
    );
}

#[test]
fn the_retention_period_is_read_checked_and_defaults_to_24_months() {
    let fw = Framework::parse("default", DEFAULT_TOML).expect("default loads");
    assert_eq!(fw.retention.months, 24);

    let mut t = default_table();
    table(&mut t, "retention").insert("months".into(), Value::Integer(6));
    let (_, loaded) = load(&t);
    assert_eq!(loaded.expect("loads").retention.months, 6);

    let mut t = default_table();
    table(&mut t, "retention").insert("months".into(), Value::Integer(0));
    let (text, p) = problems(&t);
    assert_eq!(p[0].field, "retention.months");
    assert_eq!(p[0].line, Some(line_of(&text, "[retention]", 0)));

    let mut t = default_table();
    t.remove("retention");
    let (_, loaded) = load(&t);
    assert_eq!(loaded.expect("loads").retention.months, 24);
}
