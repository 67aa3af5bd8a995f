//! Reading events from files' text: incidents and deployment records (JSON or
//! CSV) and pull-request exports (`gh pr list --json ...` or the GitHub REST pulls
//! API with reviews embedded). Every problem names its line or record.

use super::{Change, Deployment, Incident, PullRequest, Review};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct InputError {
    pub source_name: String,
    pub line: Option<usize>,
    pub message: String,
}

fn err(source_name: &str, line: Option<usize>, message: impl Into<String>) -> InputError {
    InputError {
        source_name: source_name.to_string(),
        line,
        message: message.into(),
    }
}

/// RFC 3339 with an offset, or a date-time or date without one (read as UTC).
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(dt) = t.replacen(' ', "T", 1).parse::<DateTime>() {
        return dt
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    if let Ok(d) = t.parse::<Date>() {
        return d
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    Err(format!(
        "\"{t}\" is not a time; use RFC 3339 such as 2026-03-02T10:00:00Z, or 2026-03-02 10:00:00 (UTC)"
    ))
}

fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('[') || text.trim_start().starts_with('{')
}

fn json_array<'a, T: Deserialize<'a>>(
    source_name: &str,
    text: &'a str,
) -> Result<Vec<T>, InputError> {
    serde_json::from_str(text).map_err(|e| err(source_name, Some(e.line()), format!("{e}")))
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
struct RawIncident {
    id: Value,
    #[serde(alias = "created_at")]
    created: String,
    #[serde(default, alias = "resolved_at")]
    resolved: Option<String>,
    #[serde(default)]
    deployment: Option<String>,
}

/// Incidents: a JSON array of `{id, created, resolved?, deployment?}` or CSV with
/// the header `id,created,resolved,deployment`.
pub fn incidents(source_name: &str, text: &str) -> Result<Vec<Incident>, InputError> {
    let raw: Vec<(Option<usize>, RawIncident)> = if is_json(text) {
        json_array::<RawIncident>(source_name, text)?
            .into_iter()
            .map(|r| (None, r))
            .collect()
    } else {
        csv_rows::<CsvIncident>(source_name, text)?
            .into_iter()
            .map(|(line, r)| {
                (
                    line,
                    RawIncident {
                        id: Value::String(r.id),
                        created: r.created,
                        resolved: r.resolved,
                        deployment: r.deployment,
                    },
                )
            })
            .collect()
    };
    raw.into_iter()
        .enumerate()
        .map(|(i, (line, r))| {
            let at = |field: &str, e: String| {
                err(
                    source_name,
                    line,
                    format!("incident {} ({field}): {e}", i + 1),
                )
            };
            Ok(Incident {
                id: id_text(&r.id),
                created: parse_time(&r.created).map_err(|e| at("created", e))?,
                resolved: r
                    .resolved
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| parse_time(&s))
                    .transpose()
                    .map_err(|e| at("resolved", e))?,
                deployment: r.deployment.filter(|s| !s.trim().is_empty()),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct CsvIncident {
    id: String,
    created: String,
    #[serde(default)]
    resolved: Option<String>,
    #[serde(default)]
    deployment: Option<String>,
}

/// Rows of a CSV file with a header, each with the line it starts on.
fn csv_rows<T: serde::de::DeserializeOwned>(
    source_name: &str,
    text: &str,
) -> Result<Vec<(Option<usize>, T)>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_err(source_name, &e))?
        .clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_err(source_name, &e))?;
        let line = record
            .position()
            .map(|p| usize::try_from(p.line()).unwrap_or(0));
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| err(source_name, line, e.to_string()))?;
        out.push((line, row));
    }
    Ok(out)
}

fn csv_err(source_name: &str, e: &csv::Error) -> InputError {
    let line = e.position().map(|p| usize::try_from(p.line()).unwrap_or(0));
    err(source_name, line, e.to_string())
}

#[derive(Deserialize)]
struct RawDeployment {
    id: Value,
    #[serde(alias = "finished_at", alias = "time")]
    finished: String,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    change_times: Vec<String>,
    #[serde(default)]
    environment: Option<String>,
    #[serde(default, alias = "status")]
    result: Option<String>,
}

#[derive(Deserialize)]
struct CsvDeployment {
    id: String,
    finished: String,
    #[serde(default)]
    commits: String,
    #[serde(default)]
    change_times: String,
    #[serde(default)]
    environment: Option<String>,
    #[serde(default)]
    result: Option<String>,
}

fn list(field: &str) -> Vec<String> {
    field
        .split([' ', ';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// What the records said, and how many were left out.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentRecords {
    pub deployments: Vec<Deployment>,
    /// Records that were not successful production deployments.
    pub skipped: usize,
    /// Counted deployments that gave commit ids but no change times (no lead time).
    pub without_change_times: usize,
}

/// Deployment records from a CD system: JSON array or CSV (`id,finished,commits,
/// change_times,environment,result`; list fields separated by spaces or `;`). Only
/// successful production deployments count (missing environment or result count
/// as production and success).
pub fn deployments(source_name: &str, text: &str) -> Result<DeploymentRecords, InputError> {
    let raw: Vec<(Option<usize>, RawDeployment)> = if is_json(text) {
        json_array::<RawDeployment>(source_name, text)?
            .into_iter()
            .map(|r| (None, r))
            .collect()
    } else {
        csv_rows::<CsvDeployment>(source_name, text)?
            .into_iter()
            .map(|(line, r)| {
                let raw = RawDeployment {
                    id: Value::String(r.id),
                    finished: r.finished,
                    commits: list(&r.commits),
                    change_times: list(&r.change_times),
                    environment: r.environment,
                    result: r.result,
                };
                (line, raw)
            })
            .collect()
    };
    let mut records = DeploymentRecords {
        deployments: Vec::new(),
        skipped: 0,
        without_change_times: 0,
    };
    for (i, (line, r)) in raw.into_iter().enumerate() {
        let production = r.environment.as_deref().is_none_or(|e| {
            matches!(
                e.trim().to_ascii_lowercase().as_str(),
                "production" | "prod" | ""
            )
        });
        let success = r.result.as_deref().is_none_or(|s| {
            matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "success" | "succeeded" | "successful" | "ok" | ""
            )
        });
        if !(production && success) {
            records.skipped += 1;
            continue;
        }
        let at = |field: &str, e: String| {
            err(
                source_name,
                line,
                format!("deployment {} ({field}): {e}", i + 1),
            )
        };
        let time = parse_time(&r.finished).map_err(|e| at("finished", e))?;
        let mut changes = Vec::new();
        for (k, t) in r.change_times.iter().enumerate() {
            let authored = parse_time(t).map_err(|e| at("change_times", e))?;
            let id = r
                .commits
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("{}#{k}", id_text(&r.id)));
            changes.push(Change {
                id: id.into(),
                authored,
                reverts: Vec::new(),
            });
        }
        if changes.is_empty() && !r.commits.is_empty() {
            records.without_change_times += 1;
        }
        records.deployments.push(Deployment {
            name: id_text(&r.id),
            time,
            changes,
        });
    }
    Ok(records)
}

fn login(v: &Value) -> String {
    v.get("login")
        .and_then(Value::as_str)
        .or_else(|| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Pull requests from `gh pr list --state all --json number,author,createdAt,
/// mergedAt,closedAt,isDraft,reviews`, or the GitHub REST pulls JSON with each
/// pull request's `reviews` embedded.
pub fn pull_requests(source_name: &str, text: &str) -> Result<Vec<PullRequest>, InputError> {
    let items: Vec<Value> = json_array(source_name, text)?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let field =
                |gh: &str, rest: &str| v.get(gh).or_else(|| v.get(rest)).filter(|x| !x.is_null());
            let at = |what: &str, e: String| {
                err(
                    source_name,
                    None,
                    format!("pull request {} ({what}): {e}", i + 1),
                )
            };
            let time = |gh: &str, rest: &str| -> Result<Option<Timestamp>, InputError> {
                field(gh, rest)
                    .and_then(Value::as_str)
                    .map(|s| parse_time(s).map_err(|e| at(gh, e)))
                    .transpose()
            };
            let created = time("createdAt", "created_at")?
                .ok_or_else(|| at("createdAt", "missing".into()))?;
            let reviews = field("reviews", "reviews")
                .and_then(Value::as_array)
                .map(|rs| {
                    rs.iter()
                        .filter_map(|r| {
                            let who = r
                                .get("author")
                                .or_else(|| r.get("user"))
                                .map(login)
                                .unwrap_or_default();
                            let when = r
                                .get("submittedAt")
                                .or_else(|| r.get("submitted_at"))
                                .and_then(Value::as_str)?;
                            Some(
                                parse_time(when)
                                    .map(|submitted| Review {
                                        author: who,
                                        submitted,
                                    })
                                    .map_err(|e| at("reviews", e)),
                            )
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?
                .unwrap_or_default();
            Ok(PullRequest {
                number: field("number", "number")
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
                author: field("author", "user").map(login).unwrap_or_default(),
                created,
                merged: time("mergedAt", "merged_at")?,
                closed: time("closedAt", "closed_at")?,
                draft: field("isDraft", "draft")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                reviews,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_the_forms_people_export() {
        assert!(parse_time("2026-03-02T10:00:00Z").is_ok());
        assert!(parse_time("2026-03-02T10:00:00+02:00").is_ok());
        assert_eq!(
            parse_time("2026-03-02 10:00:00"),
            parse_time("2026-03-02T10:00:00Z")
        );
        assert_eq!(parse_time("2026-03-02"), parse_time("2026-03-02T00:00:00Z"));
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn incidents_read_from_json_and_csv_alike() {
        let json = r#"[{"id": 7, "created": "2026-03-02T10:00:00Z", "resolved": null, "deployment": "v1"}]"#;
        let csv = "id,created,resolved,deployment\n7,2026-03-02T10:00:00Z,,v1\n";
        assert_eq!(incidents("a", json), incidents("b", csv));
        let a = incidents("a", json).expect("json");
        assert_eq!(
            (a[0].id.as_str(), a[0].resolved, a[0].deployment.as_deref()),
            ("7", None, Some("v1"))
        );
    }

    #[test]
    fn malformed_files_name_their_line() {
        let e = incidents("inc.json", "[\n{\"id\": 1,\n \"created\": }\n]").expect_err("bad json");
        assert_eq!(e.line, Some(3));
        let e =
            incidents("inc.csv", "id,created\n1,2026-03-02\n2,not-a-date\n").expect_err("bad time");
        assert!(e.to_string().contains("incident 2"), "{e}");
        assert_eq!(e.line, Some(3));
        let e = incidents("inc.csv", "id,created\n1,2026-03-02,extra,fields,here\n")
            .expect_err("bad csv");
        assert!(e.line.is_some(), "{e}");
    }

    #[test]
    fn only_successful_production_deployments_count() {
        let csv = "id,finished,commits,change_times,environment,result\n\
                   d1,2026-03-02T10:00:00Z,abc def,2026-03-01T10:00:00Z;2026-03-02T08:00:00Z,production,success\n\
                   d2,2026-03-02T11:00:00Z,,,staging,success\n\
                   d3,2026-03-02T12:00:00Z,,,production,failed\n\
                   d4,2026-03-02T13:00:00Z,abc,,production,success\n";
        let r = deployments("d.csv", csv).expect("reads");
        assert_eq!(r.deployments.len(), 2);
        assert_eq!(r.skipped, 2);
        assert_eq!(r.without_change_times, 1);
        assert_eq!(r.deployments[0].changes.len(), 2);
        assert_eq!(r.deployments[0].changes[0].id, "abc");
    }

    #[test]
    fn both_pull_request_formats_read_the_same() {
        let gh = r#"[{"number": 1, "author": {"login": "ana"}, "createdAt": "2026-03-02T09:00:00Z", "mergedAt": null, "closedAt": null, "isDraft": false,
                      "reviews": [{"author": {"login": "ben"}, "submittedAt": "2026-03-02T11:00:00Z", "state": "APPROVED"}]}]"#;
        let rest = r#"[{"number": 1, "user": {"login": "ana"}, "created_at": "2026-03-02T09:00:00Z", "merged_at": null, "closed_at": null, "draft": false,
                      "reviews": [{"user": {"login": "ben"}, "submitted_at": "2026-03-02T11:00:00Z"}]}]"#;
        let a = pull_requests("gh", gh).expect("gh");
        assert_eq!(a, pull_requests("rest", rest).expect("rest"));
        assert_eq!(a[0].reviews[0].author, "ben");
    }
}
