//! "Your data": what the candidate downloads through their link.
//!
//! It holds what the candidate gave and what identifies their application: their
//! record, their links' dates, their answers and reviews (drafts and sent). It
//! leaves out the hiring team's assessment (interviewers' scores, notes and
//! flags, the automatic reading, the pipeline stage) and says so in
//! `not_included`, naming who to ask for it (`docs/portal.md` explains the
//! choice).

use crate::App;
use crate::actor::Visit;
use crate::error::AppResult;
use jiff::Timestamp;
use multiplier_core::review::Builtin;
use multiplier_store::{PortalStore, Task};
use serde::Serialize;
use std::collections::BTreeMap;

impl App {
    /// What the export says it leaves out, and why.
    pub const EXPORT_LEAVES_OUT: &str = "This file holds what you gave us and what identifies your application. \
It does not hold the hiring team's own assessment (interviewers' notes and ratings, the automatic \
reading of your answers, where your application stands). You may ask the hiring manager for \
those; they answer such requests in full.";
}

/// The candidate's data, as downloaded (`data.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataExport {
    pub exported_at: Timestamp,
    pub you: You,
    /// Every link of the candidate, newest first.
    pub links: Vec<ExportedLink>,
    pub erasure_requests: Vec<ExportedRequest>,
    pub not_included: &'static str,
}

/// The candidate's own record, in their terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct You {
    pub name: String,
    pub email: Option<String>,
    pub internal_candidate: bool,
    pub why_you_want_the_leadership_work: Option<String>,
    pub what_you_would_give_up: Option<String>,
    /// The opening's title.
    pub applied_for: Option<String>,
    pub added_at: Timestamp,
}

/// One link and the work done through it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedLink {
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub first_opened_at: Option<Timestamp>,
    /// The exercise's title (never its slug, which can name the planted issue).
    pub pull_request: Option<String>,
    /// By task id (`assessment`, `review`), for the tasks with work.
    pub work: BTreeMap<&'static str, ExportedWork>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedWork {
    pub saved_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub content: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedRequest {
    pub requested_at: Timestamp,
    pub carried_out_at: Option<Timestamp>,
}

impl App {
    /// Everything the portal holds that the candidate behind `visit` gave, for
    /// them to download: their record, every link of theirs with its work
    /// (drafts included) and their erasure requests.
    pub async fn export(&self, visit: &Visit) -> AppResult<DataExport> {
        let c = &visit.candidate;
        let applied_for = self.applied_for(visit).await?;
        let mut links = Vec::new();
        for l in self.store.links(c.id).await? {
            let mut work = BTreeMap::new();
            for task in [Task::Assessment, Task::Review] {
                if let Some(w) = self.store.work(l.id, task).await? {
                    work.insert(
                        task.id(),
                        ExportedWork {
                            saved_at: w.saved_at,
                            sent_at: w.submitted_at,
                            content: w.body,
                        },
                    );
                }
            }
            links.push(ExportedLink {
                created_at: l.created_at,
                expires_at: l.expires_at,
                revoked_at: l.revoked_at,
                first_opened_at: l.opened_at,
                pull_request: Builtin::find(&l.exercise)
                    .and_then(|b| b.load().ok())
                    .map(|e| e.title),
                work,
            });
        }
        let erasure_requests = self
            .store
            .erasure_requests(c.id)
            .await?
            .into_iter()
            .map(|r| ExportedRequest {
                requested_at: r.requested_at,
                carried_out_at: r.erased_at,
            })
            .collect();
        Ok(DataExport {
            exported_at: Timestamp::now(),
            you: You {
                name: c.name.clone(),
                email: c.email.clone(),
                internal_candidate: c.internal,
                why_you_want_the_leadership_work: c.wants_leadership.clone(),
                what_you_would_give_up: c.gives_up.clone(),
                applied_for,
                added_at: c.created_at,
            },
            links,
            erasure_requests,
            not_included: App::EXPORT_LEAVES_OUT,
        })
    }
}
