//! What the candidate's pages (the record, kit and scorecard, references,
//! debrief, offer, onboarding) share: ids read from the path, and the
//! candidate's heading with the links through the loop. Which links show is
//! asked of the viewer's [`Sight`] on the candidate; following one is still
//! decided by the use case behind it.

use crate::error::{WebError, WebResult};
use maud::{Markup, html};
use multiplier_app::Sight;
use multiplier_app::access::REFERENCES;
use multiplier_core::{Framework, Signal};
use multiplier_store::{CandidateId, CandidateRecord, OpeningRecord};

/// The candidate id in a path, or 404.
pub fn candidate_id(raw: &str) -> WebResult<CandidateId> {
    raw.parse()
        .map_err(|_| WebError::NotFound(format!("there is no candidate `{raw}`")))
}

/// The framework's display name of a signal ("Technical depth").
pub fn signal_name(framework: &Framework, signal: Signal) -> String {
    framework
        .signals
        .iter()
        .find(|s| s.id == signal)
        .map_or_else(|| signal.id().to_string(), |s| s.name.clone())
}

/// Which page of the candidate is showing, for `aria-current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Here<'a> {
    Record,
    Stage(&'a str),
    References,
    Debrief,
    Offer,
    Onboarding,
}

/// The candidate a page is about, as the viewer sees them.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub candidate: &'a CandidateRecord,
    pub opening: &'a OpeningRecord,
    pub sight: &'a Sight,
}

/// The links through the loop the viewer can use: the stages they score
/// (every scoring stage, for an admin), the references, the debrief once the
/// blind rule opens it, and the offer, onboarding and portal link for those
/// who see them.
pub fn links(framework: &Framework, s: Subject<'_>, here: Here<'_>) -> Markup {
    let base = format!("/candidates/{}", s.candidate.id);
    let mut links: Vec<(String, String, bool)> = framework
        .stages
        .iter()
        .filter(|st| !st.signals.is_empty() && st.id != REFERENCES)
        .filter(|st| s.sight.may_score(&st.id))
        .map(|st| {
            (
                format!("{base}/stages/{}", st.id),
                st.name.clone(),
                here == Here::Stage(&st.id),
            )
        })
        .collect();
    links.push((
        format!("{base}/references"),
        "References".to_string(),
        here == Here::References,
    ));
    if s.sight.sees_debrief() {
        links.push((
            format!("{base}/debrief"),
            "Debrief".to_string(),
            here == Here::Debrief,
        ));
    }
    if s.sight.sees_offers() {
        links.push((
            format!("{base}/offer"),
            "Offer".to_string(),
            here == Here::Offer,
        ));
        links.push((
            format!("{base}/onboarding"),
            "Onboarding".to_string(),
            here == Here::Onboarding,
        ));
    }
    if s.sight.sees_portal() {
        links.push((
            format!("{base}/portal"),
            "Candidate link".to_string(),
            false,
        ));
        links.push((
            format!("{base}/interviews"),
            "Interviews".to_string(),
            false,
        ));
        links.push((format!("{base}/rejection"), "Rejection".to_string(), false));
    }
    html! {
        nav.loop-nav aria-label="Interview loop" {
            ul {
                @for (href, label, current) in &links {
                    li {
                        @if *current {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// Breadcrumbs, the page heading with the candidate's name and stage as its
/// context, and the loop links.
pub fn header(framework: &Framework, s: Subject<'_>, here: Here<'_>, title: &str) -> Markup {
    let c = s.candidate;
    html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (s.opening.id) } { (s.opening.title) } " › "
            a href={ "/candidates/" (c.id) } { (c.name) }
        }
        h1 { (title) }
        p.hint { (c.name) " · stage " (c.stage)
            @if c.internal { " · internal candidate" } }
        (links(framework, s, here))
    }
}
