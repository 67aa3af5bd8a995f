//! Finishing the OpenAPI document utoipa generates, in one place, so that every
//! operation gets the same treatment whoever wrote its handler:
//!
//! - the bearer token joins the session as a second way in, on every operation
//!   that needs one;
//! - every operation that needs a sign-in documents 401, every write 403 (a
//!   role, the blind rule, the CSRF header or a read-only token), every body
//!   400, 415 and 422;
//! - every error response is the RFC 9457 problem document
//!   (`application/problem+json`, [`super::Problem`]) with a description and an
//!   example;
//! - every schema below gets its example, and every request body and successful
//!   answer an example taken from its schema's ([`example_of`]).
//!
//! The examples are written here as JSON, except the grade, the analysis and the
//! offer quote, which core computes from the built-in framework and exercise, so
//! they are always what the API answers. Tests check the result with an
//! independent validator (`crates/web/tests/openapi.rs`), examples included.

use super::PROBLEM_JSON;
use super::grade::GradeDto;
use multiplier_core::Framework;
use multiplier_core::answers::{Answer, Answers, analyze};
use multiplier_core::pipeline::OfferRequest;
use multiplier_core::review::{BUILTIN, Review, ReviewSignals, grade};
use serde_json::{Map, Value, json};

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Apply everything in this module's documentation to `doc`.
pub(super) fn finish(doc: &mut Value) {
    let examples = schema_examples();
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, example) in &examples {
            if let Some(schema) = schemas.get_mut(*name).and_then(Value::as_object_mut) {
                schema.insert("examples".into(), json!([example]));
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                operation(op, method != "get", &examples);
            }
        }
    }
}

fn operation(op: &mut Map<String, Value>, write: bool, examples: &[(&str, Value)]) {
    let secured = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|r| r.get("session").is_some()));
    if secured && let Some(security) = op.get_mut("security").and_then(Value::as_array_mut) {
        security.push(json!({"bearer": []}));
    }
    let has_body = op.contains_key("requestBody");
    if let Some(content) = op
        .get_mut("requestBody")
        .and_then(|b| b.get_mut("content"))
        .and_then(Value::as_object_mut)
    {
        for media in content.values_mut() {
            add_example(media, examples);
        }
    }
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    let mut wanted: Vec<&str> = Vec::new();
    if secured {
        wanted.push("401");
    }
    if secured && write {
        wanted.push("403");
    }
    if has_body {
        wanted.extend(["400", "415", "422"]);
    }
    for status in wanted {
        responses
            .entry(status)
            .or_insert_with(|| json!({"description": ""}));
    }
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        let code: u16 = status.parse().unwrap_or(500);
        if code >= 400 {
            let described = response
                .get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.trim().is_empty());
            if !described {
                response.insert("description".into(), json!(error_description(code)));
            } else if code == 403 && secured && write {
                // Written for the session; a token adds its own refusal.
                if let Some(d) = response.get_mut("description") {
                    let text = d.as_str().unwrap_or_default().to_string();
                    if !text.contains("token") {
                        *d = json!(format!("{text}; or a read-only API token was sent"));
                    }
                }
            }
            response.insert(
                "content".into(),
                json!({ PROBLEM_JSON: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": problem_example(code),
                }}),
            );
        } else if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
            for media in content.values_mut() {
                add_example(media, examples);
            }
        }
    }
}

/// Give a media type the example of its schema, unless it has one.
fn add_example(media: &mut Value, examples: &[(&str, Value)]) {
    let Some(media) = media.as_object_mut() else {
        return;
    };
    if media.contains_key("example") || media.contains_key("examples") {
        return;
    }
    if let Some(example) = media.get("schema").and_then(|s| example_of(s, examples)) {
        media.insert("example".into(), example);
    }
}

/// The example of a schema: a named one's, or a list of one of its items'.
fn example_of(schema: &Value, examples: &[(&str, Value)]) -> Option<Value> {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return examples
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e.clone());
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return example_of(schema.get("items")?, examples).map(|e| json!([e]));
    }
    if schema.get("type").and_then(Value::as_str) == Some("object") {
        // The OpenAPI document itself.
        return Some(
            json!({"openapi": "3.1.0", "info": {"title": "multiplier API", "version": "1"}, "paths": {}}),
        );
    }
    None
}

fn error_description(code: u16) -> &'static str {
    match code {
        400 => "The body is not JSON, or a path parameter is not a number",
        401 => {
            "Not signed in, and no valid API token: a bearer token that is unknown, expired or revoked is refused alike"
        }
        403 => {
            "Refused: the role or the blind rule does not allow it, the CSRF header is missing or wrong, or a read-only API token was sent for a write"
        }
        404 => "No such resource, or one you may not know exists",
        405 => "The path does not take this method",
        409 => "The state forbids it now",
        415 => "The body is not sent as application/json",
        422 => "The body breaks the rules; `problems` names each field",
        429 => "Too many failed sign-ins",
        _ => "Something went wrong on the server",
    }
}

fn problem_example(code: u16) -> Value {
    let detail = match code {
        400 => "Failed to parse the request body as JSON: expected value at line 1 column 1",
        401 => {
            "sign in with POST /api/v1/session, or send an API token as `Authorization: Bearer mpt_…`"
        }
        403 => "only a hiring manager (admin) may record a decision",
        404 => "there is no candidate 42",
        405 => "PUT is not allowed on this path; it accepts GET,HEAD,POST",
        409 => "you already submitted your scorecard for code-review; amend it with a reason",
        415 => "Expected request with `Content-Type: application/json`",
        422 => "the scorecard has 1 problem; fix each field listed in `problems` and send it again",
        429 => "too many failed sign-ins; wait 15 minutes and try again",
        _ => "something went wrong on the server; the details are in its log",
    };
    let title = axum::http::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let mut problem =
        json!({"type": "about:blank", "title": title, "status": code, "detail": detail});
    if code == 422 {
        problem["problems"] = json!([{"field": "scores.technical-depth", "message": "a 1 or a 4 needs its evidence in notes.technical-depth"}]);
    }
    problem
}

const AT: &str = "2025-03-04T10:15:00Z";

fn opening() -> Value {
    json!({"id": 1, "role": 1, "title": "Tech Lead, Payments backend", "manager": "priya",
        "status": "open", "created_at": AT, "candidates": 3})
}

fn intake() -> Value {
    json!({
        "title": "Tech Lead, Payments backend",
        "context": {"team": "Payments backend", "stack": "Python, Django, PostgreSQL"},
        "answers": {"coding-share": 60, "team": {"senior": 1, "mid": 3},
            "performance-reviews": false, "architecture": "monolith",
            "mandate": "legacy-modernisation", "main-challenge": "delivery-speed",
            "rituals": ["sprint-planning", "architecture-review"],
            "reports-to": "engineering-manager"}
    })
}

fn candidate() -> Value {
    json!({"id": 3, "opening": 1, "name": "Lucía Gómez", "email": "lucia@example.com",
        "internal": false, "wants_leadership": null, "gives_up": null,
        "stage": "code-review", "created_at": AT, "status": "active", "status_reason": null,
        "source": "applied"})
}

fn interview() -> Value {
    json!({"id": 5, "candidate": 3, "stage": "technical-depth", "starts_at": "2031-03-04T14:00:00Z",
        "ends_at": "2031-03-04T15:00:00Z", "place": "", "video_link": "https://video.example.org/r/42",
        "interviewers": ["aisha", "marco"], "uid": "3f9a0c…@multiplier", "sequence": 0, "cancelled_at": null})
}

fn message() -> Value {
    json!({"id": 12, "kind": "interview-scheduled", "candidate": 3, "recipient": "marco@example.com",
        "recipient_name": "marco", "subject": "Interview booked: technical-depth for Tech Lead, Payments, 2031-03-04 14:00 UTC",
        "body": "Hello marco,\n\nAn interview has been booked.", "calendar": "BEGIN:VCALENDAR\r\n…",
        "state": "sent", "attempts": 1, "next_attempt_at": AT, "created_by": "priya", "created_at": AT,
        "sent_at": AT, "last_error": null})
}

fn scorecard() -> Value {
    json!({"id": 7, "stage": "technical-depth", "interviewer": "marco",
        "scores": {"technical-depth": 3},
        "notes": {"technical-depth": "Walked through the ledger migration one level deeper than asked."},
        "red_flags": [], "recommendation": "yes", "version": 1,
        "amendment_reason": null, "submitted_at": AT})
}

fn reference() -> Value {
    json!({"id": 2, "kind": "engineer", "name": "Sam Lee", "relationship": "reported to her for two years",
        "answer": "Yes: her reviews explained the why, and I stopped repeating the same mistakes.",
        "example": "A review on idempotent retries that I still use as a checklist.",
        "scores": {"team-multiplier": 4}, "created_at": AT})
}

fn decision() -> Value {
    json!({"id": 1, "decided_by": "priya", "outcome": "hire",
        "rationale": "Both signals clear their bars; the references back the teaching.",
        "meets_bar": true, "created_at": AT})
}

fn audit_entry() -> Value {
    json!({"id": 41, "at": AT, "actor": "marco", "action": "scorecard.submit",
        "subject": "candidate:3", "detail": "stage technical-depth by marco, version 1"})
}

fn signal_view(score: f64) -> Value {
    json!({"bar": 3.0, "min_raters": 2, "raters": 2, "median": score, "spread": 0.5,
    "clears": true, "reasons": ["median 3.0 meets the bar of 3.0 with 2 raters"],
    "ratings": [
        {"rater": "marco", "stage": "technical-depth", "score": 3.0, "note": "Went deep on the ledger migration."},
        {"rater": "aisha", "stage": "code-review", "score": 3.5, "note": "Found the N+1 and said why it matters."}
    ]})
}

fn debrief() -> Value {
    json!({"technical_depth": signal_view(3.0), "team_multiplier": signal_view(3.5),
        "red_flags": [], "meets_bar": true, "verdict": "meets the bar", "waiting_for": [],
        "reasons": ["technical depth clears its bar", "team multiplier clears its bar"]})
}

fn framework() -> Option<Framework> {
    Framework::default_framework().ok()
}

/// The grade of a short review of the first built-in exercise.
fn grade_example() -> Option<Value> {
    let framework = framework()?;
    let exercise = BUILTIN.first()?.load().ok()?;
    let review = Review::parse(
        "example",
        r#"{"summary": "Must fix before merge: the N+1 query in the order list.",
            "comments": [{"path": "shop/orders/views.py", "line": 29,
              "body": "issue (blocking): this queries each order's lines one by one, an N+1 query, because the loop hits the database per row; at 10x traffic it saturates the database. The pattern that avoids it is eager loading with prefetch_related."}]}"#,
    )
    .ok()?;
    let signals = ReviewSignals::default_signals().ok()?;
    serde_json::to_value(GradeDto::from(&grade(
        &exercise, &review, &signals, &framework,
    )))
    .ok()
}

fn analysis_example() -> Option<Value> {
    let answers = Answers {
        answers: vec![Answer {
            question: "architecture-decision".into(),
            text: "We moved to microservices. Always use microservices for a growing team.".into(),
        }],
    };
    let report = analyze(&answers, &ReviewSignals::default_signals().ok()?);
    let answers: Vec<Value> = report
        .answers
        .iter()
        .map(|a| {
            json!({"question": a.question, "flags": a.flags.iter().map(|f| json!({
                "id": f.id, "evidence": f.evidence, "line": f.line, "reason": f.reason, "red_flag": f.red_flag,
            })).collect::<Vec<_>>()})
        })
        .collect();
    Some(json!({ "answers": answers }))
}

fn quote_example() -> Option<Value> {
    let request = OfferRequest {
        level: "tech-lead".into(),
        region: "western-europe".into(),
        coding: multiplier_core::role::parse_split("60/40").ok()?,
        stage: Some("series-a".into()),
    };
    let offer = multiplier_core::pipeline::offer(&framework()?, &request).ok()?;
    serde_json::to_value(super::offers::OfferQuote::new(offer)).ok()
}

/// A search match, as highlighted.
fn matched() -> Value {
    json!({"source": "scorecard", "text": "explained the rollback plan one level deeper",
        "html": "explained the <mark>rollback</mark> plan one level deeper"})
}

fn search_row() -> Value {
    json!({"id": 3, "name": "Lucía Gómez", "opening": 1, "stage": "debrief", "internal": false,
    "technical_depth": 3.0, "team_multiplier": 3.5, "meets_bar": true, "red_flags": [], "blind": null,
    "matched": matched()})
}

/// An example for each schema that is a body or an answer of its own, and for
/// the pieces they are made of.
fn schema_examples() -> Vec<(&'static str, Value)> {
    let quote = quote_example().unwrap_or_else(|| json!({}));
    let offer =
        json!({"id": 1, "offer": quote, "status": "made", "start_date": null, "created_at": AT});
    let lint = json!({
        "findings": [{"rule": "vague-phrase", "line": 4, "text": "rockstar",
            "message": "`rockstar` says nothing about the work", "hint": "name what the lead will actually do"}],
        "summary": {"findings": 1, "words": 312, "masculine": 0, "feminine": 0}
    });
    let mut out = vec![
        (
            "SessionInfo",
            json!({"name": "priya", "role": "admin", "csrf_token": "5f0c…e1"}),
        ),
        (
            "SignIn",
            json!({"name": "priya", "password": "correct horse battery"}),
        ),
        ("OpeningDto", opening()),
        (
            "IntakeContext",
            json!({"team": "Payments backend", "stack": "Python, Django, PostgreSQL"}),
        ),
        ("Intake", intake()),
        (
            "NewOpening",
            json!({"intake": intake(), "manager": "priya"}),
        ),
        (
            "GuidanceFinding",
            json!({"rule": "team-vs-coding", "kind": "warning",
            "message": "Four engineers leave room for 60% coding.", "hint": "Revisit the split if the team grows past six."}),
        ),
        (
            "CreatedOpening",
            json!({"opening": opening(), "guidance": {
            "archetype": "player-coach", "archetype_reason": "60% of the week is coding.",
            "suggested_level": "tech-lead", "suggested_level_reason": "A team of four with one senior.",
            "findings": []}}),
        ),
        (
            "Board",
            json!({"opening": opening(), "columns": [
            {"stage": "screen", "name": "Screen", "count": 0, "candidates": [], "next": null},
            {"stage": "code-review", "name": "Code review", "count": 51, "candidates": [
                {"id": 3, "name": "Lucía Gómez", "internal": false, "scorecards": 1, "red_flags": [], "blind": null}],
             "next": "/api/v1/openings/1?stage=code-review&limit=1&cursor=63616e64696461746573"}]}),
        ),
        ("DebriefDto", debrief()),
        (
            "OpeningDebrief",
            json!({"opening": opening(), "candidates": [
            {"id": 3, "name": "Lucía Gómez", "stage": "debrief", "internal": false, "blind": null,
             "debrief": debrief(), "decision": decision()},
            {"id": 4, "name": "Ken Ito", "stage": "code-review", "internal": false,
             "blind": "you still owe your code-review scorecard on this candidate", "debrief": null, "decision": null}],
            "next": null}),
        ),
        ("SearchRow", search_row()),
        ("MatchDto", matched()),
        (
            "SearchPage",
            json!({"items": [search_row()],
            "next": "/api/v1/candidates?text=rollback&limit=1&cursor=63616e646964617465733a33"}),
        ),
        ("OpeningPage", json!({"items": [opening()], "next": null})),
        (
            "AuditPage",
            json!({"items": [audit_entry()],
            "next": "/api/v1/audit?candidate=3&limit=1&cursor=61756469743a3130"}),
        ),
        (
            "NewCandidateBody",
            json!({"name": "Lucía Gómez", "email": "lucia@example.com"}),
        ),
        ("CandidateDto", candidate()),
        (
            "CandidatePatch",
            json!({"email": "lucia.gomez@example.com", "gives_up": null}),
        ),
        (
            "AssignmentDto",
            json!({"stage": "code-review", "interviewer": "aisha", "submitted": false}),
        ),
        ("MoveBody", json!({"stage": "references"})),
        (
            "InterviewBody",
            json!({"stage": "technical-depth", "start": "2031-03-04T14:00:00Z", "minutes": 60,
            "interviewers": ["marco", "aisha"], "place": "", "video_link": "https://video.example.org/r/42"}),
        ),
        ("InterviewDto", interview()),
        (
            "MoveInterviewBody",
            json!({"start": "2031-03-05T09:30:00Z", "minutes": 45}),
        ),
        ("MessageDto", message()),
        (
            "AttemptDto",
            json!({"attempt": 1, "at": AT, "outcome": "sent", "detail": "250 2.0.0 queued as 81F2"}),
        ),
        (
            "MessageDetail",
            json!({"message": message(), "attempts": [
            {"attempt": 1, "at": AT, "outcome": "sent", "detail": "250 2.0.0 queued as 81F2"}]}),
        ),
        (
            "AssignBody",
            json!({"stage": "code-review", "interviewer": "aisha"}),
        ),
        ("ScorecardDto", scorecard()),
        (
            "ScorecardList",
            json!({"scorecards": [scorecard()], "hidden_scorecards": 1,
            "blind": "you still owe your code-review scorecard on this candidate",
            "next": null}),
        ),
        (
            "ScorecardBody",
            json!({"stage": "technical-depth", "scores": {"technical-depth": 3},
            "notes": {"technical-depth": "Walked through the ledger migration one level deeper than asked."},
            "red_flags": [], "recommendation": "yes"}),
        ),
        ("ReferenceDto", reference()),
        (
            "ReferenceList",
            json!({"references": [reference()], "hidden_references": 0, "blind": null}),
        ),
        (
            "ReferenceBody",
            json!({"kind": "engineer", "name": "Sam Lee", "relationship": "reported to her for two years",
            "answer": "Yes: her reviews explained the why.", "example": "A review on idempotent retries.",
            "scores": {"team-multiplier": 4}}),
        ),
        ("DecisionDto", decision()),
        (
            "DecisionBody",
            json!({"outcome": "hire", "rationale": "Both signals clear their bars."}),
        ),
        (
            "QuoteBody",
            json!({"level": "tech-lead", "region": "western-europe", "split": "60/40", "stage": "series-a"}),
        ),
        ("OfferQuote", quote),
        ("OfferDto", offer.clone()),
        ("AcceptBody", json!({"start": "2025-05-05"})),
        (
            "ErasedDto",
            json!({"candidate": 1, "reason": "candidate-request", "drafts_deleted": 2,
                   "evidence_deleted": 2, "records_deleted": 6, "links_revoked": 1, "flushed": true}),
        ),
        (
            "StepBody",
            json!({"note": "ADR-012: queue the ledger writes"}),
        ),
        (
            "OnboardingDto",
            json!({"candidate": 3, "start": "2025-05-05", "steps": [
            {"id": "access", "phase": "before day one", "title": "Access granted", "starts": "2025-04-28",
             "due": "2025-05-02", "tasks": ["Code and infrastructure configuration", "Monitoring"],
             "milestone": "Every access works on day one", "done": {"by": "priya", "note": "all granted", "at": AT},
             "overdue": false}]}),
        ),
        ("AuditDto", audit_entry()),
        (
            "LintBody",
            json!({"text": "We want a rockstar Tech Lead who codes 60% of the time."}),
        ),
        ("LintResult", lint.clone()),
        ("WriteBody", json!({"opening": 1})),
        (
            "WrittenJd",
            json!({"title": "Tech Lead, Payments backend", "markdown": "# Tech Lead, Payments backend\n…",
            "sections": [{"heading": "The team", "paragraphs": ["Four engineers run checkout and invoicing."], "bullets": []}],
            "gaps": ["No delivery baseline yet: measure it with `multiplier metrics baseline`."], "lint": lint}),
        ),
        (
            "ExerciseDto",
            json!({"slug": "orders-n-plus-one", "title": "Order history page", "language": "python",
            "summary": "A paginated order list that works and hides an N+1 query.", "issues": 4, "material": 2,
            "categories": ["performance", "security", "testing"]}),
        ),
        (
            "GradeBody",
            json!({"exercise": "orders-n-plus-one", "review": {"summary": "Must fix: the N+1 query.",
            "comments": [{"path": "shop/orders/views.py", "line": 29,
                "body": "issue (blocking): an N+1 query, because each order fetches its lines; eager loading avoids it."}]}}),
        ),
        (
            "AnalyzeBody",
            json!({"answers": [{"question": "architecture-decision",
            "text": "We moved to microservices. Always use microservices for a growing team."}]}),
        ),
        (
            "AnswerBody",
            json!({"question": "architecture-decision", "text": "We split the ledger out because…"}),
        ),
        ("Problem", problem_example(404)),
        (
            "FieldProblem",
            json!({"field": "scores.technical-depth", "message": "a 1 or a 4 needs its evidence"}),
        ),
    ];
    let mut candidate_view = json!({
        "candidate": candidate(), "opening": {"id": 1, "title": "Tech Lead, Payments backend", "manager": "priya"},
        "assignments": [{"stage": "technical-depth", "interviewer": "marco", "submitted": true}],
        "pending": [], "scorecards": [scorecard()], "hidden_scorecards": 0, "blind": null,
        "evidence": [], "hidden_evidence": 0, "references": [reference()], "hidden_references": 0,
        "resolutions": [], "decisions": [decision()], "offers": [offer], "timeline": [audit_entry()]
    });
    if let Some(grade) = grade_example() {
        let evidence = json!({"id": 5, "kind": "code-review", "source": "candidate portal",
            "body": {"exercise": "orders-n-plus-one", "review": {"summary": "", "comments": []}, "grade": grade},
            "grade": grade, "analysis": null, "created_at": AT});
        candidate_view["evidence"] = json!([evidence.clone()]);
        out.push(("EvidenceDto", evidence));
        out.push(("GradeDto", grade));
    }
    if let Some(analysis) = analysis_example() {
        out.push(("AnalyzeResult", analysis));
    }
    out.push(("CandidateView", candidate_view));
    // Issue 17: status, notes, import.
    let note = json!({"id": 2, "author": "marco", "body": "Prefers to start after March.",
        "created_at": AT});
    out.push((
        "StatusBody",
        json!({"status": "rejected", "reason": "not-enough-depth"}),
    ));
    out.push(("NoteBody", json!({"body": "Prefers to start after March."})));
    out.push(("NoteDto", note.clone()));
    out.push(("NotesDto", json!({"notes": [note], "hidden": 1})));
    out.push((
        "ImportBody",
        json!({"csv": "name,email\nAda Byron,ada@example.com\n", "dry_run": true}),
    ));
    out.push((
        "ImportDto",
        json!({"opening": 1, "dry_run": false, "columns": {"email": "Email", "first name": "First Name", "last name": "Last Name"},
            "rows": [
                {"line": 2, "name": "Ada Byron", "email": "ada@example.com", "outcome": "created", "candidate": 9, "reason": null},
                {"line": 3, "name": "Ada Again", "email": "ADA@example.com", "outcome": "duplicate", "candidate": 9, "reason": null},
                {"line": 4, "name": "No Address", "email": "", "outcome": "invalid", "candidate": null, "reason": "no e-mail address"}
            ],
            "created": 1, "duplicates": 1, "invalid": 1}),
    ));
    // Issue 19: the delivery outcome.
    let values = |d: f64, l: f64, c: f64| {
        json!([
            {"metric": "deployment-frequency", "value": d},
            {"metric": "lead-time", "value": l},
            {"metric": "change-failure-rate", "value": c},
            {"metric": "time-to-restore", "value": null},
            {"metric": "first-review", "value": null}
        ])
    };
    out.push((
        "OutcomesDto",
        json!({"opening": opening(), "hires": [{"candidate": 3, "name": "Lucía Gómez", "erased": false, "start_date": "2025-04-01"}],
            "horizon_months": 12, "counted_from_start": true,
            "snapshots": [
                {"id": 1, "kind": "delivery", "source": "upload deploys.csv", "created_at": AT,
                 "measured_at": "2025-03-01T00:00:00Z", "baseline": true, "months_elapsed": 0.0,
                 "values": values(2.0, 50.0, 20.0), "comparison": null},
                {"id": 4, "kind": "delivery", "source": "git /srv/git/payments.git", "created_at": "2025-10-01T09:00:00Z",
                 "measured_at": "2025-10-01T09:00:00Z", "baseline": false, "months_elapsed": 6.0,
                 "values": values(4.5, 30.0, 18.0),
                 "comparison": {"months_elapsed": 6.0, "horizon_months": 12, "metrics": [
                    {"metric": "deployment-frequency", "baseline": 2.0, "later": 4.5, "improvement": 2.25,
                     "target": "2–3× the baseline", "status": "met", "reason": "2.25 reaches the target's low end of 2"},
                    {"metric": "lead-time", "baseline": 50.0, "later": 30.0, "improvement": 40.0,
                     "target": "−40 to −60 %", "status": "met", "reason": "40 reaches the target's low end of 40"},
                    {"metric": "change-failure-rate", "baseline": 0.2, "later": 0.18, "improvement": 10.0,
                     "target": "−30 to −50 %", "status": "missed", "reason": "10 is short of 15 expected by now"}]}}],
            "trends": [{"metric": "deployment-frequency", "label": "Deployments a week", "unit": "per week",
                "higher_is_better": true, "points": [
                    {"snapshot": 1, "at": "2025-03-01T00:00:00Z", "value": 2.0},
                    {"snapshot": 4, "at": "2025-10-01T09:00:00Z", "value": 4.5}]}],
            "repository": {"path": "/srv/git/payments.git", "deploy_tags": "v*", "deploy_branch": null,
                "set_by": "priya", "set_at": AT},
            "reminders": [{"months": 6, "due": "2025-10-01", "sent_at": "2025-10-01T09:05:00Z"},
                {"months": 12, "due": "2026-04-01", "sent_at": null}]}),
    ));
    out.push((
        "SavedSnapshotDto",
        json!({"id": 4, "kind": "delivery", "source": "git /srv/git/payments.git", "created_at": AT}),
    ));
    out.extend(super::reports::examples());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_computed_examples_are_there() {
        assert!(grade_example().is_some());
        assert!(analysis_example().is_some());
        assert!(quote_example().is_some());
    }

    #[test]
    fn every_operation_has_examples_and_every_error_is_a_problem() {
        let doc = super::super::document();
        let paths = doc["paths"].as_object().expect("paths");
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let at = format!("{method} {path}");
                if let Some(content) = op.pointer("/requestBody/content") {
                    for media in content.as_object().expect("content").values() {
                        assert!(
                            media.get("example").is_some(),
                            "{at}: request body without example"
                        );
                    }
                }
                let responses = op["responses"].as_object().expect("responses");
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{at}: no success"
                );
                for (status, r) in responses {
                    assert!(
                        !r["description"].as_str().unwrap_or_default().is_empty(),
                        "{at} {status}: no description"
                    );
                    let Some(content) = r.get("content").and_then(Value::as_object) else {
                        continue;
                    };
                    for (media_type, media) in content {
                        assert!(media.get("example").is_some(), "{at} {status}: no example");
                        if status.starts_with('4') {
                            assert_eq!(media_type, PROBLEM_JSON, "{at} {status}");
                        }
                    }
                }
            }
        }
    }
}
