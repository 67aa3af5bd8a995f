//! The job-description linter and writer. The spec's own example descriptions are
//! read from ../shared/spec at test time (never copied into the repository).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::Framework;
use multiplier_core::jd::{Baseline, LintReport, LintWords, lint, write};
use multiplier_core::role::Role;

const MISSING_FACT_RULES: [&str; 5] = [
    "ic-split-missing",
    "team-shape-missing",
    "baseline-missing",
    "success-criteria-missing",
    "scope-exclusions-missing",
];

fn words() -> LintWords {
    LintWords::default_words().expect("default word lists load")
}

fn report(text: &str) -> LintReport {
    lint(text, &words())
}

fn rules(text: &str) -> Vec<&'static str> {
    report(text).findings.iter().map(|f| f.rule).collect()
}

/// A description stating every required fact, in ordinary wording.
const COMPLETE: &str = "\
# Tech Lead, Search

Our search team is 6 engineers: 2 senior, 3 mid-level and 1 junior. We run a Rust
service over Elasticsearch that answers 1,200 queries per second at peak.
We deploy twice a week and pull requests wait about two days for a first review.

About 60% of your time is hands-on coding; the rest goes to reviews and design.

You will not write performance reviews: they stay with the engineering manager.

Success at six months means deploying daily and first reviews within 24 hours.
";

fn spec_examples() -> Option<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/tech-lead-hiring.txt"
    );
    let Ok(spec) = std::fs::read_to_string(path) else {
        eprintln!("SKIPPED: the spec is not at {path}; the spec-example tests did not run");
        return None;
    };
    let quoted = |marker: &str| {
        let start = spec.find(marker)? + marker.len();
        let end = spec[start..]
            .find("\"\n")
            .or_else(|| spec[start..].find('\n'))?
            + start;
        Some(spec[start..end].to_string())
    };
    Some((quoted("Instead of: \"")?, quoted("Write: \"")?))
}

#[test]
fn the_spec_generic_example_misses_every_fact_and_is_vague() {
    let Some((generic, _)) = spec_examples() else {
        return;
    };
    let r = report(&generic);
    let found: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    for rule in MISSING_FACT_RULES {
        assert!(
            found.contains(&rule),
            "{rule} should fire on the generic example: {found:?}"
        );
    }
    let vague = r
        .findings
        .iter()
        .find(|f| f.rule == "vague-phrase")
        .expect("vague phrase");
    assert_eq!(vague.line, Some(1));
    assert!(vague.text.to_lowercase().contains("scalable systems"));
}

#[test]
fn the_spec_concrete_example_states_every_fact() {
    let Some((_, concrete)) = spec_examples() else {
        return;
    };
    let found = rules(&concrete);
    for rule in MISSING_FACT_RULES {
        assert!(
            !found.contains(&rule),
            "{rule} should not fire on the concrete example: {found:?}"
        );
    }
}

#[test]
fn a_complete_description_has_no_findings() {
    let r = report(COMPLETE);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.summary.findings, 0);
    assert_eq!(r.summary.rules.len(), 7);
}

#[test]
fn every_required_fact_is_recognised_in_unusual_wording() {
    let unusual = "\
Backend guild, Lisbon

A team of seven: three seniors, four at mid level.
Around 14 incidents paged the on-call rotation last quarter, and we ship roughly once a fortnight.
Expect to spend half your week writing code and the other half guiding people.
People management sits with our engineering manager.
By month 6, we expect releases every day and no more than 2 incidents a quarter.
";
    let found = rules(unusual);
    for rule in MISSING_FACT_RULES {
        assert!(
            !found.contains(&rule),
            "{rule} fired on unusual wording: {found:?}"
        );
    }
}

#[test]
fn each_split_form_is_recognised() {
    for sentence in [
        "Expect 40% hands-on work.",
        "The role is 70/30 coding/leadership.",
        "You will spend about half your time writing code.",
        "Plan on two days a week in the code.",
        "This is a 50% IC contribution rate.",
    ] {
        let doc = COMPLETE.replace(
            "About 60% of your time is hands-on coding; the rest goes to reviews and design.",
            sentence,
        );
        assert!(
            !rules(&doc).contains(&"ic-split-missing"),
            "not recognised: {sentence}"
        );
    }
}

#[test]
fn ic_split_missing_fires_when_no_split_is_given() {
    let doc = COMPLETE.replace(
        "About 60% of your time is hands-on coding; the rest goes to reviews and design.",
        "You will write code and help others.",
    );
    assert!(rules(&doc).contains(&"ic-split-missing"));
    // A percentage about something else is not a split.
    let doc = COMPLETE.replace(
        "About 60% of your time is hands-on coding; the rest goes to reviews and design.",
        "Revenue grew 40% last year.",
    );
    assert!(rules(&doc).contains(&"ic-split-missing"));
}

#[test]
fn team_shape_is_satisfied_by_size_or_by_mix() {
    let size_only = COMPLETE.replace(
        "6 engineers: 2 senior, 3 mid-level and 1 junior",
        "6 engineers",
    );
    assert!(!rules(&size_only).contains(&"team-shape-missing"));
    let mix_only = COMPLETE.replace(
        "Our search team is 6 engineers: 2 senior, 3 mid-level and 1 junior.",
        "We are mostly senior, plus two juniors.",
    );
    assert!(
        !rules(&mix_only).contains(&"team-shape-missing"),
        "{:?}",
        rules(&mix_only)
    );
    let neither = COMPLETE.replace(
        "Our search team is 6 engineers: 2 senior, 3 mid-level and 1 junior.",
        "We are a friendly team.",
    );
    let f = report(&neither)
        .findings
        .into_iter()
        .find(|f| f.rule == "team-shape-missing")
        .expect("fires");
    assert!(f.message.contains("neither"));
    // Years of experience are not a team.
    let years = COMPLETE.replace(
        "Our search team is 6 engineers: 2 senior, 3 mid-level and 1 junior.",
        "You have 5 years senior experience.",
    );
    assert!(rules(&years).contains(&"team-shape-missing"));
}

#[test]
fn html_comments_link_targets_and_code_are_not_read_as_the_posting() {
    let doc = format!(
        "<!-- draft: aggressive, dominant, competitive, fearless rockstar; 40 engineers -->\n{COMPLETE}\n\
         Read [our blog](https://blog.example.com/aggressive-dominant-ninja) and run `rockstar-cli`.\n\
         ```\nmode: fast-paced\n```\nMore at https://example.com/fearless-competitive-world-class\n"
    );
    let r = report(&doc);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.summary.masculine, 0);
}

#[test]
fn the_roles_own_words_and_non_agentic_senses_are_not_gendered_wording() {
    let doc = format!(
        "{COMPLETE}\nAs Tech Lead you lead the team and its technical decisions. Our analytics \
         serve 2 million monthly active users; we care about determinism. Individual \
         development plans stay with the engineering manager. We pay a competitive salary.\n"
    );
    let r = report(&doc);
    assert_eq!(r.summary.masculine, 0, "{:#?}", r.findings);
    // The posting's own title words are the role's words too.
    let titled = COMPLETE.replacen(
        "# Tech Lead, Search",
        "# Principal Engineer, Competitive Intelligence",
        1,
    );
    let doc = format!("{titled}\nYou will grow the competitive intelligence platform.\n");
    assert_eq!(
        report(&doc).summary.masculine,
        0,
        "{:#?}",
        report(&doc).findings
    );
}

#[test]
fn a_few_coded_words_do_not_fire_but_dense_agentic_wording_does() {
    let two = format!("{COMPLETE}\nWe value an ambitious plan and confident answers.\n");
    assert!(!rules(&two).contains(&"gendered-wording"));
    let dense =
        format!("{COMPLETE}\nYou are aggressive, dominant, fearless, assertive and competitive.\n");
    let f = report(&dense)
        .findings
        .into_iter()
        .find(|f| f.rule == "gendered-wording")
        .expect("fires");
    assert!(f.message.contains("per 1,000 words"), "{}", f.message);
}

#[test]
fn horizons_in_any_common_phrasing_make_success_criteria() {
    let base = COMPLETE.replace(
        "Success at six months means deploying daily and first reviews within 24 hours.\n",
        "",
    );
    for phrasing in [
        "By month six: deploys every working day and first reviews within 24 hours.",
        "Within the first 6 months, we'd like first reviews within 24 hours.",
        "Six months in, we want to deploy daily.",
        "At the 6-month mark deploys happen daily.",
        "Within a year, first reviews in under 8 hours.",
        "By the end of the first year: 3 deploys a day.",
    ] {
        let doc = format!("{base}\n{phrasing}\n");
        assert!(
            !rules(&doc).contains(&"success-criteria-missing"),
            "not recognised: {phrasing}"
        );
    }
    let list =
        format!("{base}\n## By month six:\n\n- deploy daily\n- no more than 1 rollback in 20\n");
    assert!(!rules(&list).contains(&"success-criteria-missing"));
    // A past horizon is today's number, not a goal.
    let past = format!("{base}\nIn the last 6 months we shipped 40 releases.\n");
    assert!(rules(&past).contains(&"success-criteria-missing"));
}

#[test]
fn exclusions_phrased_as_what_stays_with_someone_else_are_recognised() {
    let base = COMPLETE.replace(
        "You will not write performance reviews: they stay with the engineering manager.\n",
        "",
    );
    for sentence in [
        "The engineering manager is responsible for hiring and performance reviews.",
        "Hiring is handled by the EM.",
        "The product manager owns the roadmap.",
        "This is not a people-management role.",
        "Disciplinary matters remain with the Head of Engineering.",
    ] {
        let doc = format!("{base}\n{sentence}\n");
        assert!(
            !rules(&doc).contains(&"scope-exclusions-missing"),
            "not recognised: {sentence}"
        );
    }
}

#[test]
fn design_rules_versions_and_component_counts_are_not_baselines() {
    let base = COMPLETE
        .replace("We run a Rust\nservice over Elasticsearch that answers 1,200 queries per second at peak.", "")
        .replace("We deploy twice a week and pull requests wait about two days for a first review.", "");
    let rules_only = format!(
        "{base}\nThe ledger is designed for RPO 0 and an RTO of 15 minutes across 3 availability zones. \
         It runs PostgreSQL 16 in 12 services. Our availability target is 99.95%.\n"
    );
    assert!(
        rules(&rules_only).contains(&"baseline-missing"),
        "{:?}",
        rules(&rules_only)
    );
    for measured in [
        "The API answers with a p95 of 420 ms today, and we want it under 150 ms.",
        "18% of our releases are rolled back within a week.",
        "The app has 2.3 million monthly active users.",
        "We deploy 3 times a week.",
    ] {
        let doc = format!("{base}\n{measured}\n");
        assert!(
            !rules(&doc).contains(&"baseline-missing"),
            "not recognised: {measured}"
        );
    }
}

#[test]
fn baseline_missing_fires_without_current_numbers_and_ignores_targets() {
    let doc = COMPLETE
        .replace("We run a Rust\nservice over Elasticsearch that answers 1,200 queries per second at peak.", "We run a Rust service.")
        .replace("We deploy twice a week and pull requests wait about two days for a first review.", "");
    assert!(
        rules(&doc).contains(&"baseline-missing"),
        "{:?}",
        rules(&doc)
    );
    // Each kind of baseline is enough on its own.
    for fact in [
        "We deploy twice a week.",
        "Reviews take 3.8 days on average.",
        "We had 9 incidents last month.",
        "The product has 50K daily active users.",
    ] {
        let with = doc.replace("We run a Rust service.", fact);
        assert!(
            !rules(&with).contains(&"baseline-missing"),
            "not recognised: {fact}"
        );
    }
}

#[test]
fn success_criteria_need_a_horizon_and_a_measure() {
    let base = COMPLETE.replace(
        "Success at six months means deploying daily and first reviews within 24 hours.\n",
        "",
    );
    assert!(rules(&base).contains(&"success-criteria-missing"));
    let no_measure = format!("{base}\nAt six months we expect you to be settled in.\n");
    assert!(rules(&no_measure).contains(&"success-criteria-missing"));
    let experience = format!("{base}\nYou will have 8 years of experience and ship 2 features.\n");
    assert!(rules(&experience).contains(&"success-criteria-missing"));
    let list = format!(
        "{base}\n## Success after 6 months\n\n- deploy daily\n- review time under 24 hours\n"
    );
    assert!(
        !rules(&list).contains(&"success-criteria-missing"),
        "{:?}",
        rules(&list)
    );
}

#[test]
fn scope_exclusions_are_recognised_in_several_forms() {
    let base = COMPLETE.replace(
        "You will not write performance reviews: they stay with the engineering manager.\n",
        "",
    );
    assert!(rules(&base).contains(&"scope-exclusions-missing"));
    for sentence in [
        "Performance reviews remain with the EM.",
        "This role does not include people management.",
        "Hiring budgets are out of scope.",
        "You won't own the roadmap.",
    ] {
        let doc = format!("{base}\n{sentence}\n");
        assert!(
            !rules(&doc).contains(&"scope-exclusions-missing"),
            "not recognised: {sentence}"
        );
    }
}

#[test]
fn vague_phrases_are_reported_once_per_occurrence_with_their_line() {
    let doc = format!(
        "{COMPLETE}\nJoin a fast-paced environment.\nWe hire rockstars? No: we hire a rockstar ninja.\nWorld class teams.\n"
    );
    let r = report(&doc);
    let vague: Vec<(Option<usize>, String)> = r
        .findings
        .iter()
        .filter(|f| f.rule == "vague-phrase")
        .map(|f| (f.line, f.text.clone()))
        .collect();
    let first = COMPLETE.lines().count() + 2;
    assert_eq!(
        vague,
        vec![
            (Some(first), "fast-paced environment".to_string()),
            (Some(first + 1), "rockstar".to_string()),
            (Some(first + 1), "ninja".to_string()),
            (Some(first + 2), "World class".to_string()),
        ]
    );
    assert!(!rules(COMPLETE).contains(&"vague-phrase"));
}

#[test]
fn masculine_wording_is_flagged_with_each_word_as_evidence() {
    let doc = format!(
        "{COMPLETE}\nWe want an aggressive, dominant, decisive and competitive self-confident person who is assertive.\n"
    );
    let r = report(&doc);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "gendered-wording")
        .expect("fires");
    let words: Vec<&str> = f.evidence.iter().map(|w| w.word.as_str()).collect();
    for w in [
        "aggressive",
        "dominant",
        "decisive",
        "competitive",
        "self-confident",
        "assertive",
    ] {
        assert!(words.contains(&w), "{w} missing from {words:?}");
    }
    assert!(
        f.evidence
            .iter()
            .all(|w| w.line == COMPLETE.lines().count() + 2)
    );
    // Balanced by feminine-coded wording, it no longer fires.
    let balanced = format!(
        "{doc}\nWe support each other, work together, trust and understand one another, stay connected, responsive, cooperative and considerate.\n"
    );
    assert!(!rules(&balanced).contains(&"gendered-wording"));
}

#[test]
fn the_title_and_domain_terms_are_not_counted_as_coded_words() {
    let doc = format!(
        "{COMPLETE}\nAs Tech Lead you guide individual contributors, review each commit and dependency, and keep lead time low. Tech Lead, Tech Lead, technical leadership.\n"
    );
    let r = report(&doc);
    assert_eq!(r.summary.masculine, 0, "{:?}", r.findings);
    assert!(!rules(&doc).contains(&"gendered-wording"));
}

#[test]
fn one_extra_coded_word_in_a_long_description_is_not_flagged() {
    let long = format!(
        "{COMPLETE}\n{}\nWe value decisive reviews.\n",
        "We write things down and read them again. ".repeat(60)
    );
    assert!(!rules(&long).contains(&"gendered-wording"));
}

fn fw() -> Framework {
    Framework::default_framework().expect("framework")
}

fn example(name: &str) -> Role {
    let path = format!("{}/../../examples/roles/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("example");
    Role::parse(&fw(), name, &text).expect("valid example")
}

#[test]
fn written_descriptions_of_both_examples_lint_clean_with_and_without_a_baseline() {
    let baseline = Baseline::from_json(r#"{"deployments_per_week": 2.0, "lead_time_hours": {"median": 96.0}, "change_failure_rate": 0.2, "first_review_hours": {"median": 91.0}}"#).expect("baseline");
    for name in ["payments-player-coach.toml", "platform-leader-coder.toml"] {
        for b in [Baseline::default(), baseline.clone()] {
            let jd = write(&fw(), &example(name), &b);
            let md = jd.to_markdown();
            let r = report(&md);
            assert!(r.findings.is_empty(), "{name}:\n{md}\n{:#?}", r.findings);
        }
    }
}

#[test]
fn the_written_description_carries_the_baseline_and_targets() {
    let baseline = Baseline::from_json(
        r#"{"deployments_per_week": 2.0, "lead_time_hours": {"median": 96.0}}"#,
    )
    .expect("baseline");
    let md = write(&fw(), &example("payments-player-coach.toml"), &baseline).to_markdown();
    assert!(md.contains("2 times a week"), "{md}");
    // Halfway at six months to the 12-month low end of 2×: 3 a week.
    assert!(md.contains("at least 3 times a week"), "{md}");
    assert!(md.contains("96 hours"), "{md}");
    assert!(md.contains("60% of your week is hands-on coding"), "{md}");
    assert!(md.contains("4 engineers: 1 senior and 3 mid-level"), "{md}");
    assert!(
        md.contains(
            "You will not write performance reviews: they stay with your engineering manager"
        ),
        "{md}"
    );
    assert!(md.contains("You report to an engineering manager"), "{md}");
}

#[test]
fn a_role_without_scale_or_baseline_names_its_gaps_and_the_linter_agrees() {
    let fw = fw();
    let text = std::fs::read_to_string(format!(
        "{}/../../examples/roles/payments-player-coach.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("example");
    let text = text
        .lines()
        .filter(|l| !l.starts_with("scale") && !l.starts_with("stack"))
        .collect::<Vec<_>>()
        .join("\n");
    let role = Role::parse(&fw, "x", &text).expect("valid");
    let jd = write(&fw, &role, &Baseline::default());
    assert!(jd.gaps.iter().any(|g| g.contains("scale")));
    assert!(jd.gaps.iter().any(|g| g.contains("--baseline")));
    assert!(rules(&jd.to_markdown()).contains(&"baseline-missing"));
}

#[test]
fn excluded_phrases_with_multibyte_spaces_keep_the_evidence_aligned() {
    // A non-breaking space inside "tech lead" and accented text after it.
    let doc = format!(
        "{COMPLETE}\nAs tech\u{a0}lead: aggressive, dominant, café decisive, competitive.\n"
    );
    let r = report(&doc);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "gendered-wording")
        .expect("fires");
    let words: Vec<&str> = f.evidence.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(words, ["aggressive", "dominant", "decisive", "competitive"]);
}

#[test]
fn the_description_states_company_location_and_the_band_for_level_and_region() {
    let fw = multiplier_core::Framework::default_framework().expect("framework");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .expect("example role")
    .replacen(
        "[context]\n",
        "[context]\ncompany = \"Acme Payments\"\nlocation = \"Berlin, or remote within the EU\"\nregion = \"western-europe\"\n",
        1,
    );
    let role = multiplier_core::Role::parse(&fw, "payments", &text).expect("role");
    let level = role.guidance(&fw).suggested_level.level;
    let band = fw
        .compensation
        .band(&level, "western-europe")
        .expect("band");
    let md = multiplier_core::jd::write(&fw, &role, &Default::default()).to_markdown();
    assert!(md.contains("## Pay and place"), "{md}");
    assert!(md.contains("You join Acme Payments."));
    assert!(md.contains("Location: Berlin, or remote within the EU."));
    let min = band.min.to_string();
    assert!(
        md.contains(&format!(
            "{},{}",
            &min[..min.len() - 3],
            &min[min.len() - 3..]
        )),
        "{md}"
    );
    assert!(md.contains("EUR a year"), "{md}");
    // Without them, nothing changes.
    let plain = multiplier_core::Role::parse(
        &fw,
        "payments",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/roles/payments-player-coach.toml"
        ))
        .expect("example role"),
    )
    .expect("role");
    assert!(
        !multiplier_core::jd::write(&fw, &plain, &Default::default())
            .to_markdown()
            .contains("Pay and place")
    );
}
