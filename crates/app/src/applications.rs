//! Candidates who come in from outside: the careers page (published openings
//! and their job descriptions, for anyone), an application with its CV, the CV
//! downloaded by staff, and a CSV import of candidates from another system.
//!
//! An applicant is nobody's account: applications are written under the
//! [`APPLICANT`] actor. Spam is held off by a honeypot field (a filled one is
//! answered as if received, and nothing is kept) and a per-client limit of
//! [`MAX_APPLICATIONS_PER_CLIENT`] applications per [`APPLICATION_WINDOW_SECONDS`],
//! counted in the database so that every server behind a load balancer counts
//! the same applications.

use crate::actor::Account;
use crate::candidates::{SOURCE_APPLIED, SOURCE_IMPORTED};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::{App, filled, require_admin};
use jiff::Timestamp;
use multiplier_core::Role;
use multiplier_core::delivery::Baseline;
use multiplier_core::pipeline::OpeningStatus;
use multiplier_store::{
    Added, AtsStore, CandidateId, FileRecord, HiringStore, MetricsStore, NewCandidate, NewFile,
    OpeningId, OpeningRecord, Origin, RateStore, RoleStore, baseline,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The actor applications are written under.
pub const APPLICANT: &str = "applicant";
/// The largest CV taken.
pub const MAX_CV_BYTES: usize = 5 * 1024 * 1024;
/// Applications one client may send per window…
pub const MAX_APPLICATIONS_PER_CLIENT: usize = 5;
/// …of this many seconds.
pub const APPLICATION_WINDOW_SECONDS: i64 = 3600;
/// The most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// The rate-limit bucket of applications from `client` (the limiter's hits
/// are kept in the database, so every server counts the same applications).
fn apply_bucket(client: &str) -> String {
    format!("apply:{client}")
}

/// A published opening with what its job description is written from.
#[derive(Debug, Clone)]
pub struct Job {
    pub opening: OpeningRecord,
    pub role: Role,
    pub baseline: Baseline,
}

/// A file as uploaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An application as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationInput {
    pub name: String,
    pub email: String,
    /// Links (a profile, a repository), one per line.
    pub links: String,
    pub cv: Option<Upload>,
    /// The applicant agreed to the retention notice.
    pub consent: bool,
    /// The honeypot: a field people do not see; bots fill it.
    pub honeypot: String,
    /// Voluntary self-identification: a [`multiplier_core::fairness::Sex`]
    /// id, blank for "prefer not to say".
    pub sex: String,
    /// A [`multiplier_core::fairness::Race`] id, blank for "prefer not to say".
    pub race: String,
}

/// What became of an application. The applicant is told the same in every
/// case (so neither a bot nor a prober learns which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Created(CandidateId),
    /// The opening already has this address: nothing new is kept.
    Duplicate,
    /// The honeypot was filled: nothing is kept.
    Ignored,
    /// Over the per-client limit: nothing is kept; the edge answers 429.
    TooMany,
}

/// The kind of a CV, read from its first bytes (never from its name).
pub fn cv_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        return Some(("application/pdf", "pdf"));
    }
    // A DOCX is a ZIP archive holding the `word/` part.
    if bytes.starts_with(b"PK\x03\x04") && bytes.windows(5).any(|w| w == b"word/") {
        return Some((
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ));
    }
    None
}

fn email_problem(email: &str) -> Option<&'static str> {
    (email.is_empty()
        || !email.contains('@')
        || email.chars().any(char::is_whitespace)
        || email.len() > 254)
        .then_some("an e-mail address looks like name@example.com")
}

/// One row's outcome in an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum RowOutcome {
    /// Added (or, in a dry run, would be).
    Created {
        candidate: Option<CandidateId>,
    },
    /// The opening (or an earlier row) already has this address.
    Duplicate {
        candidate: Option<CandidateId>,
    },
    Invalid {
        reason: String,
    },
}

/// One row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub name: String,
    pub email: String,
    #[serde(flatten)]
    pub outcome: RowOutcome,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub opening: OpeningId,
    pub dry_run: bool,
    /// Each field read and the column it was read from.
    pub columns: BTreeMap<String, String>,
    pub rows: Vec<ImportRow>,
    pub created: usize,
    pub duplicates: usize,
    pub invalid: usize,
}

/// Which column holds which field: our own headers, Greenhouse's and Lever's
/// exports, compared without case or spaces.
#[derive(Debug, Default)]
struct Columns {
    name: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    email: Option<usize>,
    links: Vec<usize>,
}

fn key(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

impl Columns {
    fn read(headers: &csv::StringRecord) -> (Columns, BTreeMap<String, String>) {
        let mut c = Columns::default();
        let mut used = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            let slot = match key(h).as_str() {
                "name" | "fullname" | "candidatename" | "candidate" => &mut c.name,
                "firstname" | "givenname" => &mut c.first,
                "lastname" | "surname" | "familyname" => &mut c.last,
                "email" | "emailaddress" | "emails" | "personalemail" | "workemail" => &mut c.email,
                "links" | "link" | "linkedin" | "linkedinurl" | "website" | "websites"
                | "github" | "portfolio" | "profileurl" => {
                    c.links.push(i);
                    used.insert(format!("links ({})", c.links.len()), h.trim().to_string());
                    continue;
                }
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(i);
                let field = match key(h).as_str() {
                    "firstname" | "givenname" => "first name",
                    "lastname" | "surname" | "familyname" => "last name",
                    k if k.contains("email") => "email",
                    _ => "name",
                };
                used.insert(field.to_string(), h.trim().to_string());
            }
        }
        (c, used)
    }

    fn missing(&self) -> Option<String> {
        let name = self.name.is_some() || self.first.is_some() || self.last.is_some();
        match (name, self.email.is_some()) {
            (true, true) => None,
            (false, _) => Some("a name column (`name`, or Greenhouse's `First Name` and `Last Name`, or Lever's `Name`)".into()),
            (true, false) => Some("an e-mail column (`email`, Greenhouse's or Lever's `Email`)".into()),
        }
    }

    fn row(&self, r: &csv::StringRecord) -> (String, String, Option<String>) {
        let cell = |i: Option<usize>| i.and_then(|i| r.get(i)).unwrap_or("").trim().to_string();
        let name = match self.name {
            Some(_) if !cell(self.name).is_empty() => cell(self.name),
            _ => [cell(self.first), cell(self.last)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        };
        // Lever puts several addresses in one cell, separated by commas.
        let email = cell(self.email)
            .split([',', ';'])
            .map(str::trim)
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_string();
        let links: Vec<String> = self
            .links
            .iter()
            .flat_map(|i| r.get(*i).unwrap_or("").split([',', ' ', '\n']))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        (name, email, (!links.is_empty()).then(|| links.join("\n")))
    }
}

impl App {
    /// The published openings, for the careers page (anyone: no personal data).
    pub async fn jobs(&self) -> AppResult<Vec<OpeningRecord>> {
        Ok(self
            .store
            .openings()
            .await?
            .into_iter()
            .filter(|o| OpeningStatus::stored(&o.status) == OpeningStatus::Open)
            .collect())
    }

    /// One published opening with what its description is written from; a
    /// closed or archived one is "not found" here.
    pub async fn job(&self, id: OpeningId) -> AppResult<Job> {
        let missing = || AppError::NotFound(format!("there is no open job {id}"));
        let opening = self.store.opening(id).await?.ok_or_else(missing)?;
        if OpeningStatus::stored(&opening.status) != OpeningStatus::Open {
            return Err(missing());
        }
        let record = self
            .store
            .role(opening.role)
            .await?
            .ok_or_else(|| AppError::Internal(format!("opening {id} has no role")))?;
        let role = record.role(&self.framework).map_err(|e| {
            AppError::Conflict(format!(
                "the role of opening {id} no longer fits the framework: {e}"
            ))
        })?;
        // A baseline that cannot be read leaves the description without numbers.
        let baseline = baseline(&self.store.snapshots(id).await?).unwrap_or_default();
        Ok(Job {
            opening,
            role,
            baseline,
        })
    }

    /// Take an application to a published opening from `client` (an address
    /// the edge names). It lands in the framework's first stage with source
    /// "applied", its CV kept in the database.
    pub async fn apply(
        &self,
        opening: OpeningId,
        input: &ApplicationInput,
        client: &str,
    ) -> AppResult<Applied> {
        let job = self.job(opening).await?;
        let now = Timestamp::now().as_second();
        let admitted = self
            .store
            .hit(
                &apply_bucket(client),
                now,
                now - APPLICATION_WINDOW_SECONDS,
                u32::try_from(MAX_APPLICATIONS_PER_CLIENT).unwrap_or(u32::MAX),
            )
            .await?;
        if !admitted {
            return Ok(Applied::TooMany);
        }
        if !input.honeypot.trim().is_empty() {
            return Ok(Applied::Ignored);
        }
        let mut problems = Vec::new();
        let name = input.name.trim();
        if name.is_empty() {
            problems.push(FieldProblem::new("name", "tell us your name"));
        } else {
            crate::limits::limit(&mut problems, "name", name, crate::limits::MAX_SHORT_CHARS);
        }
        let email = input.email.trim();
        if let Some(p) = email_problem(email) {
            problems.push(FieldProblem::new("email", p));
        }
        let links = filled(Some(&input.links));
        if let Some(l) = &links {
            crate::limits::limit(
                &mut problems,
                "links",
                l,
                crate::limits::MAX_SHORT_CHARS * 5,
            );
        }
        let cv = match &input.cv {
            None => None,
            Some(u) if u.bytes.is_empty() => None,
            Some(u) if u.bytes.len() > MAX_CV_BYTES => {
                problems.push(FieldProblem::new(
                    "cv",
                    format!("the CV is larger than {} MB", MAX_CV_BYTES / (1024 * 1024)),
                ));
                None
            }
            Some(u) => match cv_type(&u.bytes) {
                None => {
                    problems.push(FieldProblem::new(
                        "cv",
                        "send the CV as a PDF or a DOCX file",
                    ));
                    None
                }
                Some((content_type, ext)) => Some(NewFile {
                    file_name: format!("cv-{}.{ext}", safe_stem(name)),
                    content_type: content_type.to_string(),
                    bytes: u.bytes.clone(),
                }),
            },
        };
        let self_id = crate::reports::parse_self_id(&mut problems, &input.sex, &input.race);
        if !input.consent {
            problems.push(FieldProblem::new(
                "consent",
                "we can only keep your application if you agree to the notice",
            ));
        }
        AppError::check("the application", problems)?;
        let stage = self
            .framework
            .stages
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let new = NewCandidate {
            opening: job.opening.id,
            name: name.to_string(),
            email: Some(email.to_string()),
            internal: false,
            wants_leadership: None,
            gives_up: None,
            stage,
        };
        let origin = Origin {
            source: SOURCE_APPLIED.to_string(),
            links,
            cv,
            unique_email: true,
            self_id: Some(self_id),
        };
        Ok(
            match self
                .store
                .add_candidate_from(APPLICANT, &new, &origin)
                .await?
            {
                Added::Created(id) => Applied::Created(id),
                Added::Duplicate(_) => Applied::Duplicate,
            },
        )
    }

    /// A file the candidate sent (hiring managers: a CV holds contact
    /// details); reading it is not audited, downloading through the edges is
    /// logged.
    pub async fn candidate_file(
        &self,
        account: &Account,
        id: CandidateId,
        file: i64,
    ) -> AppResult<FileRecord> {
        let s = self.subject(account, id).await?;
        if !s.sight.sees_files() {
            return Err(AppError::Forbidden(
                "only a hiring manager (admin) may read a candidate's CV".into(),
            ));
        }
        self.store
            .file(id, file)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("candidate {id} has no file {file}")))
    }

    /// Import candidates from a CSV file into an open opening (hiring
    /// managers): each row is created, a duplicate (the opening or an earlier
    /// row has its e-mail address) or invalid, with the reason. A dry run
    /// writes nothing; running the same file twice creates nothing the second
    /// time.
    pub async fn import_candidates(
        &self,
        account: &Account,
        opening: OpeningId,
        csv_text: &[u8],
        dry_run: bool,
    ) -> AppResult<ImportReport> {
        require_admin(account, "import candidates")?;
        let opening = self.opening(account, opening).await?;
        App::require_open(&opening)?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(csv_text);
        let headers = reader
            .headers()
            .map_err(|e| {
                AppError::field(
                    "the import",
                    "file",
                    format!("cannot read the header row: {e}"),
                )
            })?
            .clone();
        let (columns, used) = Columns::read(&headers);
        if let Some(missing) = columns.missing() {
            return Err(AppError::field(
                "the import",
                "file",
                format!("the header row has no {missing}"),
            ));
        }
        let mut known: BTreeMap<String, CandidateId> = self
            .store
            .candidates(Some(opening.id))
            .await?
            .into_iter()
            .filter_map(|c| c.email.clone().map(|e| (e.to_lowercase(), c.id)))
            .collect();
        let mut in_file = BTreeSet::new();
        let stage = self
            .framework
            .stages
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            if i >= MAX_IMPORT_ROWS {
                return Err(AppError::field(
                    "the import",
                    "file",
                    format!("the file has more than {MAX_IMPORT_ROWS} rows; split it"),
                ));
            }
            let line = record
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map_or(i as u64 + 2, |p| p.line());
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    rows.push(ImportRow {
                        line,
                        name: String::new(),
                        email: String::new(),
                        outcome: RowOutcome::Invalid {
                            reason: format!("cannot read the row: {e}"),
                        },
                    });
                    continue;
                }
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let (name, email, links) = columns.row(&record);
            let invalid = if name.is_empty() {
                Some("no name".to_string())
            } else if name.chars().count() > crate::limits::MAX_SHORT_CHARS {
                Some(format!(
                    "the name is longer than {} characters",
                    crate::limits::MAX_SHORT_CHARS
                ))
            } else {
                email_problem(&email).map(|p| {
                    if email.is_empty() {
                        "no e-mail address".to_string()
                    } else {
                        p.to_string()
                    }
                })
            };
            let lower = email.to_lowercase();
            let outcome = if let Some(reason) = invalid {
                RowOutcome::Invalid { reason }
            } else if let Some(id) = known.get(&lower) {
                RowOutcome::Duplicate {
                    candidate: Some(*id),
                }
            } else if in_file.contains(&lower) {
                RowOutcome::Duplicate { candidate: None }
            } else if dry_run {
                in_file.insert(lower.clone());
                RowOutcome::Created { candidate: None }
            } else {
                let new = NewCandidate {
                    opening: opening.id,
                    name: name.clone(),
                    email: Some(email.clone()),
                    internal: false,
                    wants_leadership: None,
                    gives_up: None,
                    stage: stage.clone(),
                };
                let origin = Origin {
                    source: SOURCE_IMPORTED.to_string(),
                    links,
                    cv: None,
                    unique_email: true,
                    self_id: None,
                };
                match self
                    .store
                    .add_candidate_from(&account.name, &new, &origin)
                    .await?
                {
                    Added::Created(id) => {
                        known.insert(lower.clone(), id);
                        RowOutcome::Created {
                            candidate: Some(id),
                        }
                    }
                    Added::Duplicate(id) => RowOutcome::Duplicate {
                        candidate: Some(id),
                    },
                }
            };
            rows.push(ImportRow {
                line,
                name,
                email,
                outcome,
            });
        }
        let count = |f: fn(&RowOutcome) -> bool| rows.iter().filter(|r| f(&r.outcome)).count();
        Ok(ImportReport {
            opening: opening.id,
            dry_run,
            columns: used,
            created: count(|o| matches!(o, RowOutcome::Created { .. })),
            duplicates: count(|o| matches!(o, RowOutcome::Duplicate { .. })),
            invalid: count(|o| matches!(o, RowOutcome::Invalid { .. })),
            rows,
        })
    }
}

/// A name reduced to letters, digits and dashes, for a file name.
fn safe_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() { "applicant".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cv_is_known_by_its_first_bytes() {
        assert_eq!(cv_type(b"%PDF-1.7 ...").map(|t| t.1), Some("pdf"));
        assert_eq!(
            cv_type(b"PK\x03\x04....[Content_Types].xml word/document.xml").map(|t| t.1),
            Some("docx")
        );
        assert_eq!(cv_type(b"PK\x03\x04 just a zip"), None);
        assert_eq!(cv_type(b"MZ\x90\x00 an exe named cv.pdf"), None);
    }

    #[test]
    fn greenhouse_and_lever_headers_map_to_our_fields() {
        let gh = csv::StringRecord::from(vec!["First Name", "Last Name", "Email", "Phone"]);
        let (c, used) = Columns::read(&gh);
        assert!(c.missing().is_none());
        assert_eq!(
            used.get("first name").map(String::as_str),
            Some("First Name")
        );
        let row = csv::StringRecord::from(vec!["Ada", "Lovelace", "ada@example.com", "1"]);
        assert_eq!(c.row(&row).0, "Ada Lovelace");
        let lever = csv::StringRecord::from(vec!["Name", "Email", "Phone", "Links"]);
        let (c, _) = Columns::read(&lever);
        let row = csv::StringRecord::from(vec![
            "Grace Hopper",
            "grace@example.com, g@old.example",
            "2",
            "https://a.example, https://b.example",
        ]);
        let (name, email, links) = c.row(&row);
        assert_eq!(
            (name.as_str(), email.as_str()),
            ("Grace Hopper", "grace@example.com")
        );
        assert_eq!(
            links.as_deref(),
            Some("https://a.example\nhttps://b.example")
        );
        let (c, _) = Columns::read(&csv::StringRecord::from(vec!["Phone"]));
        assert!(c.missing().is_some());
    }
}
