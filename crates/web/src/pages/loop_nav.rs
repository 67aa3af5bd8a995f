//! What the interview-loop pages (kit and scorecard, references, debrief, offer,
//! onboarding) share: ids read from the path, and the candidate's heading with the
//! links through the loop that the signed-in person may follow.

use crate::access::CandidateContext;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use maud::{Markup, html};
use multiplier_core::{Framework, Signal};
use multiplier_store::CandidateId;

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

/// Which loop page is showing, for `aria-current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Here<'a> {
    Stage(&'a str),
    References,
    Debrief,
    Offer,
    Onboarding,
}

/// Breadcrumbs, the candidate's name as the page heading's context, and the loop
/// links: the stages this person scores (every scoring stage for an admin), the
/// references, the debrief, and for an admin the offer and the onboarding plan.
pub fn header(
    framework: &Framework,
    user: &CurrentUser,
    ctx: &CandidateContext,
    here: Here<'_>,
    title: &str,
) -> Markup {
    let c = &ctx.candidate;
    let base = format!("/candidates/{}", c.id);
    let stages: Vec<(&str, &str)> = framework
        .stages
        .iter()
        .filter(|s| !s.signals.is_empty() && s.id != "references")
        .filter(|s| user.is_admin() || ctx.is_assigned(&user.name, &s.id))
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let mut links: Vec<(String, String, bool)> = stages
        .iter()
        .map(|(id, name)| {
            (
                format!("{base}/stages/{id}"),
                (*name).to_string(),
                here == Here::Stage(id),
            )
        })
        .collect();
    if user.is_admin() || ctx.is_assigned(&user.name, "references") {
        links.push((
            format!("{base}/references"),
            "References".to_string(),
            here == Here::References,
        ));
    }
    links.push((
        format!("{base}/debrief"),
        "Debrief".to_string(),
        here == Here::Debrief,
    ));
    if user.is_admin() {
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
    html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (ctx.opening.id) } { (ctx.opening.title) } " › "
            a href=(base) { (c.name) }
        }
        h1 { (title) }
        p.hint { (c.name) " · stage " (c.stage)
            @if c.internal { " · internal candidate" } }
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
