//! Evidence records shown readably on the candidate page.
//!
//! Evidence is JSON a tool produced: the code-review grade (from the portal, kind
//! `code-review`, or `multiplier evidence attach --kind code-review-grade`) and
//! the written-assessment analysis (`written-assessment` from the portal, or
//! `assessment-flags`). Each is recognised by its shape, not its kind, so a grade
//! attached under any name still reads as a grade; anything else is shown as its
//! JSON. The raw record is always one click away.

use maud::{Markup, html};
use multiplier_store::EvidenceRecord;
use serde_json::Value;

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is_grade(v: &Value) -> bool {
    v.get("scores").is_some_and(|s| s.get("teaching").is_some()) && v.get("issues").is_some()
}

fn is_analysis(v: &Value) -> bool {
    v.get("answers")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().all(|x| x.get("flags").is_some()))
}

/// The grade inside a body (the body itself, or its `grade`).
fn grade_in(body: &Value) -> Option<&Value> {
    if is_grade(body) {
        Some(body)
    } else {
        body.get("grade").filter(|g| is_grade(g))
    }
}

fn analysis_in(body: &Value) -> Option<&Value> {
    if is_analysis(body) {
        Some(body)
    } else {
        body.get("analysis").filter(|a| is_analysis(a))
    }
}

fn mark(ok: bool) -> Markup {
    html! {
        @if ok { span.ok aria-label="yes" { "✓" } } @else { span.no aria-label="no" { "✗" } }
    }
}

/// One evidence record.
pub fn render(e: &EvidenceRecord) -> Markup {
    let body = &e.body;
    html! {
        article.evidence {
            h3 { (e.kind) " " span.hint { "from " (e.source) ", " (e.created_at.strftime("%Y-%m-%d %H:%M")) " UTC" } }
            @if let Some(g) = grade_in(body) {
                (grade(g))
            } @else if let Some(a) = analysis_in(body) {
                (analysis(a, body.get("answers")))
            } @else if let Some(answers) = body.get("answers").and_then(Value::as_array) {
                (own_answers(answers))
            } @else if let Some(review) = body.get("review") {
                (own_review(review))
            } @else {
                p.hint { "Not a kind this page knows how to lay out; here it is as recorded." }
            }
            details {
                summary { "The record as stored (JSON)" }
                pre.json { (serde_json::to_string_pretty(body).unwrap_or_default()) }
            }
        }
    }
}

fn grade(g: &Value) -> Markup {
    let scores = g.get("scores").cloned().unwrap_or(Value::Null);
    let dims = [
        ("issues", "Material issues found"),
        (
            "prioritization",
            "Priority (security > performance > style)",
        ),
        ("teaching", "Comments that teach"),
    ];
    html! {
        p { "Code-review exercise “" (text(g, "title")) "”, graded automatically. Every point below says what it rests on; the interviewer's scorecard decides." }
        table {
            caption.visually-hidden { "The grade, per dimension" }
            thead { tr { th scope="col" { "Dimension" } th scope="col" { "Score" } th scope="col" { "Feeds" } th scope="col" { "Why" } } }
            tbody {
                @for (key, label) in dims {
                    @let d = scores.get(key).cloned().unwrap_or(Value::Null);
                    tr {
                        th scope="row" { (label) }
                        td { (text(&d, "score")) " / 4" }
                        td { (text(&d, "signal")) }
                        td { (text(&d, "reason"))
                            @let anchor = text(&d, "anchor");
                            @if !anchor.is_empty() { br; span.hint { "Rubric: " (anchor) } } }
                    }
                }
            }
        }
        h4 { "Planted issues" }
        ul.plain {
            @for i in list(g, "issues") {
                li {
                    (mark(i.get("found").and_then(Value::as_bool) == Some(true)))
                    " " strong { (text(i, "title")) }
                    " " span.hint { (text(i, "severity")) " " (text(i, "category"))
                        @if i.get("material").and_then(Value::as_bool) == Some(true) { ", material" } }
                    br;
                    (text(i, "explain"))
                    @let places: Vec<String> = list(i, "places").iter().filter_map(|p| p.as_str().map(str::to_string)).collect();
                    @if !places.is_empty() { br; span.hint { "Where: " (places.join(", ")) } }
                }
            }
        }
        @let reasons = g.get("prioritization").map(|p| list(p, "reasons")).unwrap_or(&[]);
        @if !reasons.is_empty() {
            h4 { "Prioritisation" }
            ul.plain {
                @for r in reasons {
                    li { (mark(r.get("ok").and_then(Value::as_bool) == Some(true))) " " (text(r, "message")) " " code.rule { (text(r, "rule")) } }
                }
            }
        }
        @let comments = list(g, "comments");
        @if !comments.is_empty() {
            h4 { "Each comment, as the grader read it" }
            ol {
                @for c in comments {
                    li {
                        code { (text(c, "path")) @let line = text(c, "line"); @if !line.is_empty() { ":" (line) } }
                        " — "
                        @let matched = text(c, "matched_issue");
                        @if matched.is_empty() { "matched no planted issue" } @else { "found " strong { (matched) } }
                        " · " @if c.get("teaching").and_then(Value::as_bool) == Some(true) { "teaches" } @else { "corrects without teaching" }
                        br;
                        span.hint { (text(c, "match_note")) }
                        @let missing: Vec<String> = list(c, "missing_signals").iter().filter_map(|s| s.as_str().map(str::to_string)).collect();
                        @if !missing.is_empty() { br; span.hint { "Would teach more with: " (missing.join(", ")) } }
                    }
                }
            }
        }
        @let flags = list(g, "red_flags");
        @if !flags.is_empty() {
            h4 { "Red flags the interviewer may want to confirm" }
            ul.plain {
                @for f in flags {
                    li { strong { (text(f, "title")) } " " code.rule { (text(f, "id")) } br; span.hint { (text(f, "evidence")) } }
                }
            }
        }
    }
}

/// The candidate's answers without the analyzer's flags (withheld from a viewer
/// who still owes a scorecard).
fn own_answers(answers: &[Value]) -> Markup {
    html! {
        p.notice { "The candidate's written answers. The analyzer's flags open once your scorecard is in." }
        @for a in answers {
            section.answer {
                h4 { "Question " (text(a, "question")) }
                p.answer-text { (text(a, "text")) }
            }
        }
    }
}

/// The candidate's review without the grade (withheld from a viewer who still
/// owes a scorecard).
fn own_review(review: &Value) -> Markup {
    html! {
        p.notice { "The candidate's code review as they sent it. The automatic grade opens once your scorecard is in." }
        @let summary = text(review, "summary");
        @if !summary.is_empty() { p { strong { "Summary: " } (summary) } }
        ol {
            @for c in list(review, "comments") {
                li {
                    code { (text(c, "path")) @let line = text(c, "line"); @if !line.is_empty() { ":" (line) } }
                    " — " (text(c, "body"))
                }
            }
        }
    }
}

fn analysis(a: &Value, answers: Option<&Value>) -> Markup {
    let texts: Vec<(String, String)> = answers
        .and_then(Value::as_array)
        .map(|xs| {
            xs.iter()
                .filter(|x| x.get("text").is_some())
                .map(|x| (text(x, "question"), text(x, "text")))
                .collect()
        })
        .unwrap_or_default();
    html! {
        p { "Written assessment, read by the analyzer. A flag points at a sentence and says why; whether it matters is the reader's call." }
        @for r in list(a, "answers") {
            @let q = text(r, "question");
            section.answer {
                h4 { "Question " (q) }
                @let flags = list(r, "flags");
                @if flags.is_empty() {
                    p.hint { "No flags." }
                } @else {
                    ul.plain {
                        @for f in flags {
                            li {
                                code.rule { (text(f, "id")) } " · line " (text(f, "line"))
                                br; "“" (text(f, "evidence")) "”"
                                br; span.hint { (text(f, "reason")) " (red flag to confirm: " (text(f, "red_flag")) ")" }
                            }
                        }
                    }
                }
                @if let Some((_, answer)) = texts.iter().find(|(question, _)| *question == q) {
                    details { summary { "The answer" } p.answer-text { (answer) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, body: Value) -> EvidenceRecord {
        EvidenceRecord {
            id: 1,
            candidate: multiplier_store::CandidateId(1),
            kind: kind.to_string(),
            source: "test".to_string(),
            body,
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_grade_inside_a_portal_record_reads_as_a_grade() {
        let grade = serde_json::json!({
            "title": "Orders API",
            "issues": [{"title": "SQL injection in search", "found": true, "explain": "Comment 1 names it.", "severity": "critical", "category": "security"}],
            "comments": [],
            "prioritization": {"ok": true, "reasons": [{"rule": "security-first", "ok": true, "message": "Security came first."}]},
            "scores": {
                "issues": {"score": 3, "signal": "technical-depth", "reason": "Found 3 of 4."},
                "prioritization": {"score": 4, "signal": "technical-depth", "reason": "In order."},
                "teaching": {"score": 2, "signal": "team-multiplier", "reason": "One comment of five explains why."}
            },
            "red_flags": []
        });
        let html =
            render(&record("code-review", serde_json::json!({"grade": grade}))).into_string();
        assert!(html.contains("SQL injection in search"));
        assert!(html.contains("One comment of five explains why."));
        assert!(html.contains("Security came first."));
    }

    #[test]
    fn an_analysis_shows_each_flag_with_its_sentence() {
        let body = serde_json::json!({
            "answers": [{"question": "q1", "text": "We always use microservices."}],
            "analysis": {"answers": [{"question": "q1", "flags": [
                {"id": "universal-claim", "evidence": "We always use microservices.", "line": 1, "reason": "States an opinion as a rule.", "red_flag": "dogma"}
            ]}]}
        });
        let html = render(&record("written-assessment", body)).into_string();
        assert!(html.contains("universal-claim"));
        assert!(html.contains("States an opinion as a rule."));
        assert!(html.contains("The answer"));
    }

    #[test]
    fn the_candidates_own_words_read_without_their_verdict() {
        let answers = render(&record(
            "written-assessment",
            serde_json::json!({"answers": [{"question": "q1", "text": "I would ask the team first."}]}),
        ))
        .into_string();
        assert!(answers.contains("I would ask the team first."));
        assert!(answers.contains("flags open once your scorecard is in"));
        let review = render(&record(
            "code-review",
            serde_json::json!({"review": {"summary": "Fix the loop.", "comments": [{"path": "a.py", "line": 3, "body": "one query per row"}]}}),
        ))
        .into_string();
        assert!(review.contains("Fix the loop.") && review.contains("a.py:3"));
        assert!(!review.contains("Not a kind this page knows"));
    }

    #[test]
    fn unknown_evidence_is_shown_as_recorded() {
        let html = render(&record("other", serde_json::json!({"note": "x"}))).into_string();
        assert!(html.contains("as recorded"));
        assert!(html.contains("&quot;note&quot;"));
    }
}
