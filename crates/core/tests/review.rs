//! The code-review exercise engine, dimension by dimension: exercises and their key,
//! both submission formats, issues found, prioritisation, teaching, placement, the
//! JSON contract and the scores' rubric anchors.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::framework::Framework;
use multiplier_core::review::grader::{Grade, Location};
use multiplier_core::review::{
    BUILTIN, Builtin, Category, Exercise, ExerciseSpec, Review, ReviewSignals, Severity,
    SubmissionFormat, grade,
};
use std::collections::BTreeSet;

fn signals() -> ReviewSignals {
    ReviewSignals::default_signals().expect("default signals load")
}

fn framework() -> Framework {
    Framework::default_framework().expect("default framework loads")
}

fn builtin(slug: &str) -> Exercise {
    Builtin::find(slug)
        .expect("a built-in exercise")
        .load()
        .expect("valid")
}

fn grade_json(slug: &str, review: &str) -> Grade {
    let review = Review::parse("review.json", review).expect("the review parses");
    grade(&builtin(slug), &review, &signals(), &framework())
}

/// A review in multiplier's format from (path, line, body) triples.
fn review(summary: &str, comments: &[(&str, u32, &str)]) -> String {
    let comments: Vec<serde_json::Value> = comments
        .iter()
        .map(|(path, line, body)| serde_json::json!({"path": path, "line": line, "body": body}))
        .collect();
    serde_json::json!({"summary": summary, "comments": comments}).to_string()
}

const VIEWS: &str = "shop/orders/views.py";
const SEARCH: &str = "internal/billing/search.go";

/// The spec's two N+1 comments: the first only corrects, the second names the
/// problem, explains why, gives the impact at scale and the pattern that avoids it.
const N1_CORRECTS: &str = "This is wrong, use eager loading instead.";
const N1_TEACHES: &str = "This creates an N+1 query: the loop asks the database for each \
    order's lines one order at a time, because Django loads relations lazily. A page of 25 \
    orders costs more than 50 queries; invisible today, but at 10x load it saturates the \
    database. The pattern that avoids it is eager loading: prefetch_related('lines__product') \
    fetches everything in two queries whatever the page size. \
    https://docs.djangoproject.com/en/5.0/ref/models/querysets/#prefetch-related";

// ------------------------------------------------------------------ exercises

const KEY: &str = r#"title = "T"
language = "python"
diff = "change.diff"
summary = "What the change does."

[[issue]]
id = "n-plus-one"
title = "N+1"
category = "performance"
severity = "major"
concepts = ["n+1", "eager load"]
explain = "one query per row"

[[issue.at]]
PLACE
"#;

const DIFF: &str = "\
diff --git a/app/views.py b/app/views.py
--- a/app/views.py
+++ b/app/views.py
@@ -1,2 +1,4 @@
 import os
+for o in orders:
+    o.customer.name
 x = 1
";

fn check(place: &str) -> Result<Exercise, Vec<(Option<usize>, String, String)>> {
    let spec = ExerciseSpec::parse("exercise.toml", &KEY.replace("PLACE", place))
        .expect("exercise.toml itself is valid");
    spec.with_diff("t", "change.diff", DIFF).map_err(|e| {
        e.problems()
            .map(|(_, p)| (p.line, p.field.clone(), p.message.clone()))
            .collect()
    })
}

#[test]
fn exercise_check_catches_a_key_line_outside_the_diff() {
    let problems = check("file = \"app/views.py\"\nlines = [2, 40]").expect_err("line 40");
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (line, field, message) = &problems[0];
    assert_eq!(field, "issue[n-plus-one].at[0].lines");
    assert_eq!(*line, Some(14), "the line of the [[issue.at]] table");
    assert!(message.contains("line 40"), "{message}");
    assert!(
        message.contains("1–4"),
        "names the lines the diff shows: {message}"
    );
}

#[test]
fn exercise_check_catches_a_file_missing_from_the_diff() {
    let problems = check("file = \"app/models.py\"\nlines = [2]").expect_err("no such file");
    let (_, field, message) = &problems[0];
    assert_eq!(field, "issue[n-plus-one].at[0].file");
    assert!(message.contains("app/models.py"), "{message}");
    assert!(
        message.contains("app/views.py"),
        "lists the diff's files: {message}"
    );
    assert!(check("file = \"app/views.py\"\nlines = [2, 3]").is_ok());
}

#[test]
fn every_builtin_exercise_checks_clean() {
    assert!(BUILTIN.len() >= 4);
    let mut languages = BTreeSet::new();
    for b in BUILTIN {
        let ex = b
            .load()
            .unwrap_or_else(|e| panic!("{} does not check clean: {e}", b.slug));
        assert!(ex.warnings.is_empty(), "{}: {:?}", b.slug, ex.warnings);
        assert!(
            ex.issues.iter().any(|i| i.severity.is_material()),
            "{} plants a material issue",
            b.slug
        );
        languages.insert(ex.language.clone());
    }
    assert!(languages.len() >= 4, "different languages: {languages:?}");
}

#[test]
fn the_builtins_plant_what_prioritisation_needs() {
    // The spec's junior pull request: an N+1 in a hot path, a hard-coded
    // configuration value, a happy-path-only test.
    let orders = builtin("orders-n-plus-one");
    let cats: Vec<Category> = orders.issues.iter().map(|i| i.category).collect();
    assert!(cats.contains(&Category::Performance));
    assert!(cats.contains(&Category::Testing));
    assert!(orders.issue("hard-coded-config").is_some());
    // Together the others: two security issues of different kinds, performance,
    // correctness, testing and style nits.
    let others: Vec<Exercise> = ["invoice-search", "avatar-uploads", "cart-pricing"]
        .into_iter()
        .map(builtin)
        .collect();
    let all: Vec<_> = others.iter().flat_map(|e| &e.issues).collect();
    let security: BTreeSet<&str> = all
        .iter()
        .filter(|i| i.category == Category::Security)
        .map(|i| i.id.as_str())
        .collect();
    assert!(security.len() >= 2, "{security:?}");
    for cat in [
        Category::Performance,
        Category::Correctness,
        Category::Testing,
        Category::Style,
    ] {
        assert!(all.iter().any(|i| i.category == cat), "{cat}");
    }
    assert!(all.iter().any(|i| i.severity == Severity::Nit));
}

// ------------------------------------------------------------------ submissions

#[test]
fn both_submission_formats_parse() {
    let own = Review::parse(
        "r.json",
        &review("summary", &[(VIEWS, 29, "a"), (VIEWS, 47, "b")]),
    )
    .expect("own format");
    assert_eq!(own.format, SubmissionFormat::Multiplier);
    assert_eq!(own.comments.len(), 2);
    assert_eq!(own.comments[1].line, Some(47));

    // GitHub's export: `line` null on an outdated comment, `original_line` kept;
    // every other field ignored.
    let github = r#"[
      {"id": 1, "path": "shop/orders/views.py", "line": 29, "original_line": 27,
       "body": "first", "user": {"login": "someone"}, "diff_hunk": "@@ -1 +1 @@"},
      {"id": 2, "path": "shop/orders/views.py", "line": null, "original_line": 47,
       "body": "nit: leftover print", "commit_id": "abc"}
    ]"#;
    let r = Review::parse("gh.json", github).expect("GitHub format");
    assert_eq!(r.format, SubmissionFormat::Github);
    assert_eq!(r.comments[0].line, Some(29), "line wins over original_line");
    assert_eq!(
        r.comments[1].line,
        Some(47),
        "original_line when line is null"
    );
    assert!(r.summary.is_empty());
    let g = grade(&builtin("orders-n-plus-one"), &r, &signals(), &framework());
    assert_eq!(g.comments[1].matched_issue.as_deref(), Some("debug-print"));
    assert_eq!(g.comments[1].index, 1, "numbered by order in the file");
}

#[test]
fn malformed_and_empty_review_files_are_errors_not_panics() {
    for text in [
        "",
        "   ",
        "null",
        "{",
        "[{]",
        "{\"comments\": 3}",
        "{\"comments\": [{\"path\": \"a\", \"line\": -1, \"body\": \"x\"}]}",
        "{\"comments\": [{\"path\": \"a\", \"line\": 99999999999, \"body\": \"x\"}]}",
        "[{\"path\": \"a\"}]",
        "\u{feff}",
    ] {
        let err = Review::parse("review.json", text).expect_err(text);
        assert!(
            err.to_string().contains("review.json"),
            "names the file: {err}"
        );
    }
    // An empty but well-formed review grades (nothing found).
    let g = grade_json("orders-n-plus-one", "{\"comments\": []}");
    assert!(g.issues.iter().all(|i| !i.found));
    assert!(!g.prioritization.ok);
}

// ------------------------------------------------------------------ issues found

#[test]
fn a_comment_at_the_place_naming_the_concept_finds_the_issue() {
    let g = grade_json(
        "orders-n-plus-one",
        &review("", &[(VIEWS, 29, "this will cause N+1 queries")]),
    );
    let n1 = &g.issues[0];
    assert_eq!(n1.id, "n-plus-one");
    assert!(n1.found);
    assert_eq!(n1.by, vec![0]);
    assert!(!n1.via_summary);
    assert_eq!(g.comments[0].concepts, vec!["n+1"]);
}

#[test]
fn a_comment_on_the_right_line_about_something_else_does_not_count() {
    let g = grade_json(
        "orders-n-plus-one",
        &review(
            "",
            &[(VIEWS, 29, "Nice, clear variable names in this loop.")],
        ),
    );
    assert!(!g.issues[0].found);
    let c = &g.comments[0];
    assert_eq!(c.location, Location::InDiff);
    assert_eq!(c.matched_issue, None);
    assert!(
        c.match_note.contains("talks about something else"),
        "{}",
        c.match_note
    );
    // The same words far from the place do not count either.
    let g = grade_json(
        "orders-n-plus-one",
        &review("", &[(VIEWS, 3, "this will cause N+1 queries")]),
    );
    assert!(!g.issues[0].found);
    assert!(
        g.comments[0].match_note.contains("not at its place"),
        "{}",
        g.comments[0].match_note
    );
}

#[test]
fn an_issue_clearly_named_in_the_summary_counts_via_summary() {
    let g = grade_json(
        "orders-n-plus-one",
        &review(
            "Blocking: the order loop makes an N+1, one query per order. Please eager load the lines.",
            &[],
        ),
    );
    let n1 = g.issues.iter().find(|i| i.id == "n-plus-one").unwrap();
    assert!(n1.found);
    assert!(n1.via_summary);
    assert!(n1.by.is_empty());
    assert!(
        n1.summary_sentence
            .as_deref()
            .is_some_and(|s| s.contains("N+1")),
        "{n1:?}"
    );
    // One passing word is not naming the issue.
    let g = grade_json(
        "orders-n-plus-one",
        &review("We should join the team lunch.", &[]),
    );
    assert!(!g.issues[0].found);
}

// ------------------------------------------------------------------ prioritisation

#[test]
fn prioritisation_is_not_ok_when_nits_are_raised_and_a_blocker_is_missed() {
    let g = grade_json(
        "invoice-search",
        &review(
            "",
            &[
                (SEARCH, 21, "nit: rename Total to TotalCents"),
                (SEARCH, 44, "issue (blocking): add defer rows.Close()"),
            ],
        ),
    );
    assert!(!g.prioritization.ok);
    let r = g
        .prioritization
        .reasons
        .iter()
        .find(|r| r.rule == "missed-while-nitpicking")
        .expect("the reason");
    assert!(!r.ok);
    assert!(r.issues.contains(&"sql-injection".to_string()), "{r:?}");
    assert!(
        r.issues.contains(&"missing-authorization".to_string()),
        "{r:?}"
    );
    assert_eq!(r.comments, vec![0]);
    assert_eq!(g.scores.prioritization.score.get(), 1);
    assert!(
        g.red_flags
            .iter()
            .any(|f| f.id == "nitpicks-over-substance")
    );
}

#[test]
fn prioritisation_is_ok_when_security_is_ranked_first() {
    let g = grade_json(
        "invoice-search",
        &review(
            "Must fix before merge: the query is built with Sprintf from user input, a SQL injection. \
             The PDF download has no authorization check on the account id. \
             Then the rows are never closed, which leaks connections from the pool.",
            &[
                (
                    SEARCH,
                    36,
                    "issue (blocking): SQL injection, use placeholders",
                ),
                (
                    SEARCH,
                    73,
                    "issue (blocking): no authorization: check the account_id",
                ),
                (
                    SEARCH,
                    44,
                    "issue (blocking): defer rows.Close() or the pool leaks",
                ),
                (SEARCH, 31, "issue (blocking): cap the limit"),
                (SEARCH, 21, "nit: TotalCents"),
            ],
        ),
    );
    assert!(g.prioritization.ok, "{:#?}", g.prioritization);
    let rules: Vec<&str> = g.prioritization.reasons.iter().map(|r| r.rule).collect();
    assert!(
        rules.contains(&"summary-leads-with-most-important"),
        "{rules:?}"
    );
    assert!(rules.contains(&"material-marked-blocking"), "{rules:?}");
    assert_eq!(g.scores.prioritization.score.get(), 4);
}

#[test]
fn a_summary_that_leads_with_the_lesser_issue_is_a_priority_problem() {
    let g = grade_json(
        "invoice-search",
        &review(
            "Must fix: the rows are never closed, so connections leak from the pool. \
             Also must fix: a SQL injection, the query is built with Sprintf.",
            &[],
        ),
    );
    let r = g
        .prioritization
        .reasons
        .iter()
        .find(|r| r.rule == "summary-order")
        .expect("summary-order");
    assert_eq!(r.issues, vec!["rows-not-closed", "sql-injection"]);
    assert!(!g.prioritization.ok);
}

/// A review that finds every serious issue, raises them most important first,
/// states the impact and links a reference — written in plain prose, without
/// Conventional Comments labels.
const THOROUGH_SUMMARY: &str = "Two security problems first. The search builds its SQL with \
    Sprintf from q and status, a SQL injection that lets anyone signed in read every account's \
    invoices. The PDF download never checks that the invoice belongs to the caller's account, \
    so invoice ids can be enumerated. After those, the limit is never capped, so one request \
    can ask for millions of rows, and the rows are never closed, which drains the connection \
    pool under load. Smaller things inline.";

fn thorough() -> Vec<(&'static str, u32, &'static str)> {
    vec![
        (
            SEARCH,
            36,
            "q and status go straight into the SQL text, so a value such as `' OR account_id <> 0 --` \
             rewrites the query and returns every account's invoices. Bind them as placeholders \
             ($1, $2) so the driver sends them as data: \
             https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
        ),
        (
            SEARCH,
            73,
            "The invoice is fetched by id alone, so any signed-in user can download another \
             account's invoice by counting ids. The query must also match the session's account_id.",
        ),
        (
            SEARCH,
            31,
            "limit comes straight from the query string: limit=10000000 makes the database sort \
             and return the whole table. Clamp it to a maximum.",
        ),
        (
            SEARCH,
            44,
            "Without defer rows.Close() an early return keeps the connection checked out; under \
             load the pool runs dry and every request waits.",
        ),
        (
            SEARCH,
            21,
            "Minor: TotalCents would say what the number holds.",
        ),
    ]
}

#[test]
fn a_thorough_well_ordered_review_scores_well_above_a_three_word_one() {
    let full = grade_json("invoice-search", &review(THOROUGH_SUMMARY, &thorough()));
    let terse = grade_json(
        "invoice-search",
        &review("", &[(SEARCH, 36, "SQL injection here.")]),
    );
    let (f, t) = (
        full.scores.prioritization.score.get(),
        terse.scores.prioritization.score.get(),
    );
    assert!(f >= 3, "{:#?}", full.prioritization);
    assert!(t <= 1, "{:#?}", terse.prioritization);
    assert!(f >= t + 2, "thorough {f}, three words {t}");
    let part = |g: &Grade, id: &str| {
        g.prioritization
            .parts
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.percent)
            .unwrap_or_default()
    };
    assert_eq!(part(&full, "coverage"), 100);
    assert_eq!(
        part(&full, "order"),
        100,
        "{:#?}",
        full.prioritization.parts
    );
    assert!(
        part(&full, "proportion") >= 90,
        "{:#?}",
        full.prioritization.parts
    );
    assert_eq!(part(&terse, "coverage"), 25);
    assert_eq!(part(&terse, "order"), 0);
    // Every part says how it was measured.
    assert!(
        full.prioritization
            .parts
            .iter()
            .all(|p| !p.detail.is_empty())
    );
    // The thorough review teaches; no red flag says otherwise.
    assert!(
        !full
            .red_flags
            .iter()
            .any(|f| f.id == "corrects-without-teaching"),
        "{:#?}",
        full.red_flags
    );
    // With the priorities said out loud, it earns the top score.
    let mut labelled = thorough();
    labelled[0].2 = "issue (blocking): SQL injection. q and status go straight into the SQL \
        text, so a crafted value rewrites the query; bind them as placeholders.";
    labelled[1].2 = "issue (blocking): no authorization check, so any signed-in user can \
        download another account's invoice by counting ids.";
    labelled[2].2 = "issue: cap the limit, or one request can ask for the whole table.";
    labelled[3].2 = "issue: defer rows.Close(), or the pool runs dry under load.";
    labelled[4].2 = "nit: TotalCents would say what the number holds.";
    let top = grade_json("invoice-search", &review(THOROUGH_SUMMARY, &labelled));
    assert_eq!(
        top.scores.prioritization.score.get(),
        4,
        "{:#?}",
        top.prioritization
    );
    assert_eq!(part(&top, "labels"), 100);
}

#[test]
fn a_blocking_label_on_a_nit_costs_labels_and_issues_named_only_in_the_summary_count() {
    let over = grade_json(
        "invoice-search",
        &review(
            "",
            &[
                (
                    SEARCH,
                    36,
                    "issue (blocking): SQL injection, bind the values",
                ),
                (SEARCH, 21, "issue (blocking): rename Total to TotalCents"),
            ],
        ),
    );
    let labels = over
        .prioritization
        .parts
        .iter()
        .find(|p| p.id == "labels")
        .expect("labels");
    assert_eq!(labels.percent, 50, "{labels:?}");
    // A review written only as a summary: its order and its lead-ins count.
    let prose = grade_json(
        "invoice-search",
        &review(
            "Must fix before merge: the SQL is built with Sprintf from user input, an injection. \
             Must fix too: the PDF endpoint never checks the account id, any customer's invoice \
             can be read. Nit: Total holds cents, TotalCents would say so.",
            &[],
        ),
    );
    let ids: Vec<&str> = prose
        .issues
        .iter()
        .filter(|i| i.via_summary)
        .map(|i| i.id.as_str())
        .collect();
    assert!(
        ids.contains(&"sql-injection") && ids.contains(&"missing-authorization"),
        "{ids:?}"
    );
    let order = prose
        .prioritization
        .parts
        .iter()
        .find(|p| p.id == "order")
        .expect("order");
    assert_eq!(order.percent, 100, "{order:?}");
    assert!(order.detail.contains("summary"), "{order:?}");
    assert!(
        prose.scores.prioritization.score.get() >= 3,
        "{:#?}",
        prose.prioritization
    );
}

#[test]
fn a_material_issue_marked_as_a_nit_is_played_down() {
    let g = grade_json(
        "orders-n-plus-one",
        &review("", &[(VIEWS, 29, "nit: N+1 here, whatever")]),
    );
    assert!(
        g.prioritization
            .reasons
            .iter()
            .any(|r| r.rule == "material-marked-minor" && r.issues == vec!["n-plus-one"])
    );
    assert!(!g.prioritization.ok);
}

// ------------------------------------------------------------------ teaching

#[test]
fn the_specs_two_n_plus_one_comments_one_corrects_one_teaches() {
    let g = grade_json(
        "orders-n-plus-one",
        &review("", &[(VIEWS, 27, N1_CORRECTS), (VIEWS, 29, N1_TEACHES)]),
    );
    let (corrects, teaches) = (&g.comments[0], &g.comments[1]);
    // Both find the issue...
    assert_eq!(corrects.matched_issue.as_deref(), Some("n-plus-one"));
    assert_eq!(teaches.matched_issue.as_deref(), Some("n-plus-one"));
    // ...one corrects: a verdict and a fix, nothing that explains it...
    assert!(!corrects.teaching);
    assert!(corrects.teaching_probability < corrects.teaching_threshold);
    assert!(
        corrects.signals.iter().all(|s| s.weight <= 0.0),
        "{:?}",
        corrects.signals
    );
    assert!(corrects.missing_signals.contains(&"cause".to_string()));
    // ...the other teaches, and what moved it is evidence, with its weight.
    assert!(teaches.teaching);
    assert!(teaches.teaching_probability >= teaches.teaching_threshold);
    let kinds: Vec<&str> = teaches.signals.iter().map(|s| s.kind.as_str()).collect();
    for kind in ["cause", "impact", "generalisation", "reference"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    for s in &teaches.signals {
        assert!(
            N1_TEACHES.contains(&s.text) || s.text.ends_with(" words") || s.text.contains(" … "),
            "evidence quotes the comment: {s:?}"
        );
        assert!(s.weight != 0.0, "{s:?}");
    }
    let link = teaches
        .signals
        .iter()
        .find(|s| s.kind == "reference")
        .expect("the link");
    assert!(link.text.starts_with("https://docs.djangoproject.com"));
}

#[test]
fn an_empty_reason_does_not_teach_and_code_words_do_not_count() {
    let s = signals();
    let t = s
        .teaching
        .classify("Use select_related here because it is better.");
    assert!(!t.teaching, "{}", t.explain());
    assert!(t.signals.iter().any(|h| h.kind == "cause"));
    assert!(
        t.signals
            .iter()
            .any(|h| h.kind == "imperative" && h.weight < 0.0)
    );
    let t = s
        .teaching
        .classify("Rename to `because_at_scale_pattern`:\n```\nsee the docs\n```\n");
    assert!(
        t.signals
            .iter()
            .all(|h| ["imperative", "code-block", "short"].contains(&h.kind.as_str())),
        "{t:?}"
    );
    assert!(!t.teaching);
}

#[test]
fn a_lesson_without_because_teaches() {
    let s = signals();
    for text in [
        "This races when two requests for the same email arrive together: both pass the \
         uniqueness check before either inserts, so we get two accounts.",
        "`except Exception` here catches more than you mean to: a typo in a column name \
         ends up looking like a network blip and the job exits 0.",
        "What happens to this loop when a customer has 300 orders?",
    ] {
        let t = s.teaching.classify(text);
        assert!(t.teaching, "{text}: {}", t.explain());
    }
}

#[test]
fn teaching_scores_follow_the_share_of_comments_that_teach() {
    let only_corrects = grade_json(
        "orders-n-plus-one",
        &review("", &[(VIEWS, 27, N1_CORRECTS)]),
    );
    assert_eq!(only_corrects.scores.teaching.score.get(), 1);
    assert!(
        only_corrects
            .red_flags
            .iter()
            .any(|f| f.id == "corrects-without-teaching")
    );
    let teaches = grade_json("orders-n-plus-one", &review("", &[(VIEWS, 29, N1_TEACHES)]));
    assert_eq!(teaches.scores.teaching.score.get(), 4);
    assert!(
        !teaches
            .red_flags
            .iter()
            .any(|f| f.id == "corrects-without-teaching")
    );
}

// ------------------------------------------------------------------ placement

#[test]
fn comments_off_the_diff_are_reported_and_nothing_panics() {
    let text = r#"[
      {"path": "shop/orders/models.py", "line": 3, "body": "N+1 here"},
      {"path": "shop/orders/views.py", "line": 4294967295, "body": "N+1 here"},
      {"path": "shop/orders/views.py", "line": 0, "body": "N+1 here"},
      {"path": "shop/orders/views.py", "line": 29, "side": "LEFT", "body": "N+1 here"},
      {"path": "shop/orders/views.py", "body": "N+1 somewhere"},
      {"path": "shop/orders/views.py", "line": 29, "start_line": 4294967295, "body": "N+1"},
      {"path": "", "line": 1, "body": ""}
    ]"#;
    let r = Review::parse("gh.json", text).expect("parses");
    let g = grade(&builtin("orders-n-plus-one"), &r, &signals(), &framework());
    let locations: Vec<Location> = g.comments.iter().map(|c| c.location).collect();
    assert_eq!(
        locations,
        vec![
            Location::FileNotInDiff,
            Location::LineOutsideDiff,
            Location::LineOutsideDiff,
            Location::OldSide,
            Location::NoLine,
            Location::InDiff,
            Location::FileNotInDiff,
        ]
    );
    assert!(g.comments[0].match_note.contains("not a file of this diff"));
    assert!(
        g.comments[1].match_note.contains("4294967295"),
        "{}",
        g.comments[1].match_note
    );
    for c in &g.comments[..5] {
        assert_eq!(
            c.matched_issue, None,
            "comment #{} cannot be placed",
            c.index
        );
    }
    // A reversed range still lands on line 29.
    assert_eq!(g.comments[5].matched_issue.as_deref(), Some("n-plus-one"));
}

#[test]
fn a_grade_of_every_builtin_with_garbage_comments_does_not_panic() {
    let bodies = [
        "",
        "nit:",
        "**issue (blocking,,):**",
        "N + 1 + + select_related ``` unclosed",
        "\u{0}\u{feff}é😀 because at scale, pattern, https://",
        ". . . ! ? \n\n- \n3. ",
    ];
    for b in BUILTIN {
        let ex = b.load().expect("valid");
        let mut comments = Vec::new();
        for file in &ex.diff.files {
            for line in [0, 1, 2, 40, 41, 1_000_000, u32::MAX] {
                for body in bodies {
                    comments
                        .push(serde_json::json!({"path": file.path, "line": line, "body": body}));
                }
            }
        }
        let text =
            serde_json::json!({"summary": bodies.join("\n"), "comments": comments}).to_string();
        let r = Review::parse("r.json", &text).expect("parses");
        let g = grade(&ex, &r, &signals(), &framework());
        assert_eq!(g.comments.len(), comments.len());
    }
}

// ------------------------------------------------------------------ contract

#[test]
fn the_json_contract_fields_are_present() {
    let g = grade_json(
        "orders-n-plus-one",
        &review(
            "Must fix the N+1.",
            &[(VIEWS, 29, N1_TEACHES), (VIEWS, 47, "nit: print")],
        ),
    );
    let v = serde_json::to_value(&g).expect("serializes");
    for issue in v["issues"].as_array().expect("issues") {
        assert!(issue["id"].is_string());
        assert!(issue["found"].is_boolean());
        assert!(issue["by"].is_array());
        assert!(issue["via_summary"].is_boolean());
    }
    assert_eq!(v["issues"][0]["by"], serde_json::json!([0]));
    for (k, c) in v["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .enumerate()
    {
        assert_eq!(c["index"], serde_json::json!(k));
        assert!(c["matched_issue"].is_string() || c["matched_issue"].is_null());
        assert!(c["teaching"].is_boolean());
        assert!(c["signals"].is_array());
    }
    assert_eq!(v["comments"][0]["matched_issue"], "n-plus-one");
    let first = &v["comments"][0]["signals"][0];
    assert!(first["kind"].is_string());
    assert!(first["weight"].is_number());
    assert!(v["comments"][0]["teaching_probability"].is_number());
    assert!(v["comments"][0]["teaching_threshold"].is_number());
    assert!(v["prioritization"]["ok"].is_boolean());
    assert!(v["prioritization"]["reasons"].is_array());
    for dim in ["issues", "prioritization", "teaching"] {
        let s = &v["scores"][dim];
        let n = s["score"].as_u64().expect("a number");
        assert!((1..=4).contains(&n), "{dim}: {n}");
        assert!(s["reason"].is_string());
        assert!(s["anchor"].is_string());
        assert!(s["signal"].is_string());
    }
}

#[test]
fn every_score_carries_the_code_review_rubric_anchor_for_it() {
    let fw = framework();
    let stage = fw.stage("code-review").expect("the stage");
    let g = grade_json(
        "invoice-search",
        &review("", &[(SEARCH, 21, "nit: TotalCents")]),
    );
    for d in [
        &g.scores.issues,
        &g.scores.prioritization,
        &g.scores.teaching,
    ] {
        assert_eq!(d.anchor.as_deref(), stage.anchor(d.score), "{d:?}");
    }
    assert_eq!(g.scores.issues.score.get(), 1, "no material issue found");
    assert_eq!(
        g.scores.issues.signal,
        multiplier_core::Signal::TechnicalDepth
    );
    assert_eq!(
        g.scores.teaching.signal,
        multiplier_core::Signal::TeamMultiplier
    );
}
