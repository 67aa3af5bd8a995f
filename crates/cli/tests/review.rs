//! `multiplier exercise list|show|check|import`, `review grade|signals` and
//! `answers analyze` through the real binary.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cmd(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env_remove("MULTIPLIER_FRAMEWORK")
        .env_remove("MULTIPLIER_REVIEW_SIGNALS")
        .env("MULTIPLIER_DB", dir.path().join("t.db"))
        .env("NO_COLOR", "1")
        .current_dir(dir.path());
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

fn exercises() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const TEACHING_REVIEW: &str = r#"{
  "summary": "Blocking: the order loop makes an N+1, one query per order. The print is a nit.",
  "comments": [
    {"path": "shop/orders/views.py", "line": 29, "body": "issue (blocking): This creates an N+1 query because Django loads relations lazily; at 10x load it saturates the database. The pattern is eager loading: https://docs.djangoproject.com/en/5.0/ref/models/querysets/ <script>alert('x')</script>"},
    {"path": "shop/orders/views.py", "line": 47, "body": "nit: leftover print & <b>debug</b>"},
    {"path": "shop/orders/<i>missing.py", "line": 3, "body": "Where is this file?"}
  ]
}"#;

#[test]
fn exercise_list_shows_the_four_builtins_in_four_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = cmd(&dir)
        .args(["exercise", "list", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows = json(&out);
    let rows = rows.as_array().expect("an array");
    let slugs: Vec<&str> = rows.iter().filter_map(|r| r["slug"].as_str()).collect();
    assert_eq!(
        slugs,
        vec![
            "orders-n-plus-one",
            "invoice-search",
            "avatar-uploads",
            "cart-pricing"
        ]
    );
    let mut languages: Vec<&str> = rows.iter().filter_map(|r| r["language"].as_str()).collect();
    languages.sort_unstable();
    languages.dedup();
    assert_eq!(languages.len(), 4);
}

#[test]
fn exercise_check_passes_every_builtin_folder_and_names_a_bad_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    for slug in [
        "orders-n-plus-one",
        "invoice-search",
        "avatar-uploads",
        "cart-pricing",
    ] {
        cmd(&dir)
            .args(["exercise", "check"])
            .arg(exercises().join(slug))
            .assert()
            .success()
            .stdout(predicate::str::contains("valid"));
    }
    // A copy whose key points at a line the diff does not show.
    let copy = dir.path().join("broken");
    std::fs::create_dir(&copy).expect("mkdir");
    let src = exercises().join("orders-n-plus-one");
    std::fs::copy(src.join("change.diff"), copy.join("change.diff")).expect("copy");
    let toml = std::fs::read_to_string(src.join("exercise.toml")).expect("read");
    let toml = toml.replacen("lines = [47]", "lines = [470]", 1);
    std::fs::write(copy.join("exercise.toml"), toml).expect("write");
    let out = cmd(&dir)
        .args(["exercise", "check", "broken", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    assert_eq!(report["ok"], false);
    let p = &report["problems"][0];
    assert_eq!(p["field"], "issue[debug-print].at[0].lines");
    assert!(p["line"].as_u64().is_some());
    assert!(
        p["message"].as_str().unwrap().contains("line 470"),
        "{report}"
    );
    // A missing diff file is a read error (exit 2) that names it.
    std::fs::remove_file(copy.join("change.diff")).expect("rm");
    cmd(&dir)
        .args(["exercise", "check", "broken"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("change.diff"));
}

#[test]
fn exercise_check_warns_when_a_written_question_names_a_planted_issue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ex = exercises().join("invoice-search");
    // The default framework's questions give nothing away.
    let out = cmd(&dir)
        .args(["exercise", "check", "--format", "json"])
        .arg(&ex)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out)["named_in_questions"], serde_json::json!([]));
    // A copy whose review question describes the exercise's SQL injection.
    let framework = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../framework/tech-lead.toml"),
    )
    .expect("framework");
    let leaky = framework.replacen(
        "At today's traffic nobody would notice;",
        "The search query is built with Sprintf from user input, a SQL injection;",
        1,
    );
    assert_ne!(
        leaky, framework,
        "the prompt sentence to replace is still there"
    );
    let fw = write(&dir, "leaky.toml", &leaky);
    let out = cmd(&dir)
        .arg("--framework")
        .arg(&fw)
        .args(["exercise", "check", "--format", "json"])
        .arg(&ex)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    let named = &report["named_in_questions"][0];
    assert_eq!(named["question"], "teaching-review");
    assert_eq!(named["issue"], "sql-injection");
    assert!(named["sentence"].as_str().unwrap().contains("Sprintf"));
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("`sql-injection`")),
        "{report}"
    );
    cmd(&dir)
        .arg("--framework")
        .arg(&fw)
        .args(["exercise", "check"])
        .arg(&ex)
        .assert()
        .success()
        .stdout(predicate::str::contains("warning:"))
        .stdout(predicate::str::contains("teaching-review"));
}

#[test]
fn exercise_show_candidate_leaves_the_key_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    cmd(&dir)
        .args(["exercise", "show", "invoice-search", "--candidate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("```diff"))
        .stdout(predicate::str::contains("sql-injection").not());
    cmd(&dir)
        .args(["exercise", "show", "invoice-search"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sql-injection"));
}

#[test]
fn review_grade_json_follows_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = write(&dir, "review.json", TEACHING_REVIEW);
    let out = cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "orders-n-plus-one",
            "--format",
            "json",
            "--review",
        ])
        .arg(&review)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let g = json(&out);
    let n1 = &g["issues"][0];
    assert_eq!(n1["id"], "n-plus-one");
    assert_eq!(n1["found"], true);
    assert_eq!(n1["by"], serde_json::json!([0]));
    assert_eq!(n1["via_summary"], true);
    let c = &g["comments"][0];
    assert_eq!(c["index"], 0);
    assert_eq!(c["matched_issue"], "n-plus-one");
    assert_eq!(c["teaching"], true);
    assert!(c["signals"].as_array().unwrap().len() >= 2);
    assert_eq!(g["comments"][1]["matched_issue"], "debug-print");
    assert_eq!(g["comments"][1]["teaching"], false);
    assert_eq!(g["comments"][2]["matched_issue"], Value::Null);
    assert_eq!(g["comments"][2]["location"], "file-not-in-diff");
    assert!(g["prioritization"]["ok"].is_boolean());
    assert!(g["prioritization"]["reasons"].is_array());
    for dim in ["issues", "prioritization", "teaching"] {
        assert!(g["scores"][dim]["score"].is_u64(), "{dim}");
        assert!(g["scores"][dim]["anchor"].is_string(), "{dim}");
    }
}

#[test]
fn review_grade_text_explains_each_point() {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = write(&dir, "review.json", TEACHING_REVIEW);
    cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "orders-n-plus-one",
            "--review",
        ])
        .arg(&review)
        .assert()
        .success()
        .stdout(predicate::str::contains("found   n-plus-one"))
        .stdout(predicate::str::contains("by comment #0"))
        .stdout(predicate::str::contains("[file not in the diff]"))
        .stdout(predicate::str::contains("teaches"))
        .stdout(predicate::str::contains("Prioritisation"))
        .stdout(predicate::str::contains("rubric:"))
        // The teaching verdict shows how much each signal moved it.
        .stdout(predicate::str::contains("teaches with probability"))
        .stdout(
            predicate::str::is_match(r#"signals \(weight\): \w+ "[^"]*" [+-]\d\.\d\d"#)
                .expect("regex"),
        );
}

#[test]
fn review_grade_loads_a_teaching_model_of_the_companys_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = write(&dir, "review.json", TEACHING_REVIEW);
    let default_model = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../framework/teaching-model.toml"
    ))
    .expect("model");
    let grade_with = |model: &Path| {
        cmd(&dir)
            .args([
                "review",
                "grade",
                "--exercise",
                "orders-n-plus-one",
                "--format",
                "json",
            ])
            .arg("--review")
            .arg(&review)
            .arg("--teaching-model")
            .arg(model)
            .output()
            .expect("run")
    };
    let teaching = |out: &[u8]| -> usize {
        json(out)["comments"]
            .as_array()
            .expect("comments")
            .iter()
            .filter(|c| c["teaching"] == true)
            .count()
    };
    let same = write(&dir, "same.toml", &default_model);
    let out = grade_with(&same);
    assert!(out.status.success());
    assert!(
        teaching(&out.stdout) > 0,
        "the review has a comment that teaches"
    );
    // A model that starts from certain correction calls nothing a lesson.
    let sceptic = write(
        &dir,
        "sceptic.toml",
        &default_model.replacen("bias = ", "bias = -50.0 # was ", 1),
    );
    let out = grade_with(&sceptic);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(teaching(&out.stdout), 0);
    // A model that does not weigh the signals in use is refused, naming the file.
    let partial = write(
        &dir,
        "partial.toml",
        &default_model.replacen("so-clause = ", "# so-clause = ", 1),
    );
    let out = grade_with(&partial);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("partial.toml"));
}

/// Tags opened and closed in order (void elements excepted); `Err` names the first
/// mismatch.
fn balanced(html: &str) -> Result<(), String> {
    const VOID: [&str; 4] = ["meta", "br", "hr", "img"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').ok_or("a tag is not closed")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else {
            stack.push(name);
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

#[test]
fn review_grade_html_is_a_standalone_page_that_escapes_the_candidates_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = write(&dir, "review.json", TEACHING_REVIEW);
    let out = cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "orders-n-plus-one",
            "--format",
            "html",
            "--review",
        ])
        .arg(&review)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).expect("utf-8");
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{html}"
    );
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        !html.contains("<link") && !html.contains("<script"),
        "standalone, no script"
    );
    balanced(&html).unwrap_or_else(|e| panic!("{e}\n{html}"));
    // The candidate's text (comments, paths, summary) is shown escaped.
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert("), "{html}");
    assert!(!html.contains("<b>debug</b>"));
    assert!(
        html.contains("leftover print &amp; &lt;b&gt;debug&lt;/b&gt;"),
        "{html}"
    );
    assert!(html.contains("shop/orders/&lt;i&gt;missing.py"), "{html}");
    assert!(html.contains("Teaching"));
    assert!(html.contains("n-plus-one"));
}

#[test]
fn bad_review_files_exit_2_with_a_message_that_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("empty.json", ""),
        ("broken.json", "{\"comments\": [\n{\"path\": 1}]}"),
        (
            "huge.json",
            "[{\"path\": \"a\", \"line\": 99999999999, \"body\": \"x\"}]",
        ),
    ] {
        let path = write(&dir, name, text);
        cmd(&dir)
            .args(["review", "grade", "--exercise", "cart-pricing", "--review"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains("panicked").not());
    }
    cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "no-such-exercise",
            "--review",
            "x.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("orders-n-plus-one"));
}

#[test]
fn review_grade_reads_a_github_export_from_stdin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = r#"[{"id": 7, "path": "src/main/java/com/shopco/cart/PriceCalculator.java",
      "line": null, "original_line": 41, "body": "issue (blocking): == compares references; use equals()",
      "user": {"login": "someone"}}]"#;
    let out = cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "cart-pricing",
            "--review",
            "-",
            "--format",
            "json",
        ])
        .write_stdin(export)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let g = json(&out);
    assert_eq!(g["format"], "github");
    assert_eq!(g["comments"][0]["line"], 41);
    assert_eq!(g["comments"][0]["matched_issue"], "string-identity");
}

#[test]
fn review_signals_exports_a_copy_that_grade_accepts_and_a_bad_copy_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    cmd(&dir)
        .args(["review", "signals", "--out", "signals.toml"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("signals.toml")).expect("written");
    assert!(text.contains("[teaching]"));
    let review = write(&dir, "review.json", TEACHING_REVIEW);
    cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "orders-n-plus-one",
            "--signals",
            "signals.toml",
            "--review",
        ])
        .arg(&review)
        .assert()
        .success();
    std::fs::write(
        dir.path().join("signals.toml"),
        text.replacen("min_kinds = 2", "min_kinds = 9", 1),
    )
    .expect("write");
    cmd(&dir)
        .args([
            "review",
            "grade",
            "--exercise",
            "orders-n-plus-one",
            "--signals",
            "signals.toml",
            "--review",
        ])
        .arg(&review)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("teaching.min_kinds"));
}

fn git(repo: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Zelda Quartermaine",
            "-c",
            "user.email=zelda.q@acmepay.example",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git")
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn exercise_import_writes_an_anonymised_diff_and_a_skeleton() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("app")).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("app/pay.py"), "def total(x):\n    return x\n").expect("write");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "Start"]);
    std::fs::write(
        repo.join("app/pay.py"),
        "from acmepay_ledger import AcmePayClient\n\ndef total(x):\n    # ask Zelda Quartermaine (zelda.q@acmepay.example)\n    return AcmePayClient().sum(x)\n",
    )
    .expect("write");
    git(&repo, &["add", "."]);
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Sum through the AcmePayClient\n\nSigned-off-by: Zelda Quartermaine <zelda.q@acmepay.example>",
        ],
    );
    write(
        &dir,
        "scrub.toml",
        "[replace]\n\"AcmePayClient\" = \"LedgerClient\"\n\"acmepay_ledger\" = \"ledger\"\n",
    );

    cmd(&dir)
        .args([
            "exercise",
            "import",
            "--repo",
            "repo",
            "--range",
            "main~1..main",
            "--out",
            "ex",
            "--anonymize",
            "scrub.toml",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("anonymised"))
        .stdout(predicate::str::contains("Zelda").not());
    let diff = std::fs::read_to_string(dir.path().join("ex/change.diff")).expect("diff");
    let toml = std::fs::read_to_string(dir.path().join("ex/exercise.toml")).expect("toml");
    for text in [&diff, &toml] {
        assert!(!text.contains("Zelda"), "{text}");
        assert!(!text.contains("Quartermaine"), "{text}");
        assert!(!text.contains("zelda.q@acmepay.example"), "{text}");
        assert!(!text.contains("AcmePayClient"), "{text}");
        assert!(!text.contains("acmepay_ledger"), "{text}");
    }
    assert!(diff.contains("+from ledger import LedgerClient"), "{diff}");
    assert!(diff.contains("+    return LedgerClient().sum(x)"), "{diff}");
    assert!(
        toml.contains("title = \"Sum through the LedgerClient\""),
        "{toml}"
    );
    assert!(toml.contains("language = \"python\""), "{toml}");
    // The skeleton is the format, waiting for its issues.
    cmd(&dir)
        .args(["exercise", "check", "ex"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("at least one planted"));
    // A second import does not overwrite without --force.
    cmd(&dir)
        .args([
            "exercise",
            "import",
            "--repo",
            "repo",
            "--range",
            "main~1..main",
            "--out",
            "ex",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    cmd(&dir)
        .args([
            "exercise", "import", "--repo", "repo", "--range", "main", "--out", "ex2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("BASE..HEAD"));
}

#[test]
fn answers_analyze_flags_with_evidence_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = write(
        &dir,
        "answers.json",
        r#"{"answers": [
          {"question": "technical-disagreement", "text": "I would pick Postgres. It is simply better, so I'd tell them."},
          {"question": "teaching-review", "text": "> This is an N+1, use select_related."},
          {"question": "sprint-risk", "text": "We list the unknowns of every ticket before planning."}
        ]}"#,
    );
    let out = cmd(&dir)
        .args(["answers", "analyze", "--format", "json"])
        .arg(&answers)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    let a = &report["answers"];
    assert_eq!(a[0]["question"], "technical-disagreement");
    assert_eq!(a[0]["flags"][0]["id"], "decision-without-process");
    assert_eq!(a[0]["flags"][0]["evidence"], "I would pick Postgres.");
    assert_eq!(a[1]["flags"][0]["id"], "correction-not-lesson");
    assert!(
        a[1]["flags"][0]["evidence"]
            .as_str()
            .unwrap()
            .contains("N+1")
    );
    assert_eq!(a[2]["flags"], serde_json::json!([]));

    let good = write(
        &dir,
        "good.json",
        r#"{"answers": [{"question": "sprint-risk", "text": "We list the unknowns of every ticket before planning."}]}"#,
    );
    cmd(&dir)
        .args(["answers", "analyze"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("no flags"));
    let unknown = write(
        &dir,
        "unknown.json",
        r#"{"answers": [{"question": "favourite-editor", "text": "vim"}]}"#,
    );
    cmd(&dir)
        .args(["answers", "analyze"])
        .arg(&unknown)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("favourite-editor"))
        .stderr(predicate::str::contains("teaching-review"));
}

#[test]
fn every_new_command_has_examples_in_its_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        &["exercise", "list"][..],
        &["exercise", "show"],
        &["exercise", "check"],
        &["exercise", "import"],
        &["review", "grade"],
        &["review", "signals"],
        &["answers", "analyze"],
    ] {
        cmd(&dir)
            .args(args)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:\n  multiplier "));
    }
}
