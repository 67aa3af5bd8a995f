//! The page frame every HTML page shares: head, skip link, navigation by role,
//! the sign-out form, and the error page. maud escapes every value it prints.

use crate::auth::CurrentUser;
use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The hidden field that carries the CSRF token; put it in every form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(crate::csrf::FIELD) value=(token); }
}

/// A whole page. `user` is None on the sign-in page and in the candidate portal.
///
/// Put together in one string of the size it needs, the frame's opening and
/// closing tags written as they are: a frame drawn around the body by one
/// `html!` copied the body into a string that then doubled for the closing
/// tags, copying it again. On a board of 90 cards (71 KB) that was 145 KB
/// copied and a 146 KB block taken and freed per request.
pub fn page(title: &str, user: Option<&CurrentUser>, csrf: &str, body: Markup) -> Markup {
    let head = html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="csrf-token" content=(csrf);
            title { (title) " · multiplier" }
            link rel="stylesheet" href="/static/app.css";
            script src="/static/app.js" defer {}
        }
    };
    let top = html! {
        a.skip href="#main" { "Skip to content" }
        header.top {
            a.brand href="/" { "multiplier" }
            @if let Some(u) = user {
                (main_nav(u))
                form.signout method="post" action="/logout" {
                    (csrf_field(csrf))
                    span.who { (u.name) " · " (u.role) }
                    button.link type="submit" { "Sign out" }
                }
            }
        }
    };
    let flash = html! {
        @if user.is_some() {
            @if let Some(message) = crate::flash::take() {
                p.flash role="status" { (inline_code(&message)) }
            }
        }
    };
    const OPEN: &str = "<!DOCTYPE html><html lang=\"en\">";
    const BODY: &str = "<body>";
    const MAIN: &str = "<main id=\"main\" tabindex=\"-1\">";
    const CLOSE: &str = "</main></body></html>";
    let parts = [OPEN, &head.0, BODY, &top.0, MAIN, &flash.0, &body.0, CLOSE];
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    PreEscaped(out)
}

tokio::task_local! {
    /// Who the session says is signed in, for the frame of an error page
    /// (an error answer does not know its request's extractors).
    static VIEWER: Option<CurrentUser>;
}

/// Remember the session's signed-in person while the request runs, so an error
/// page can draw the navigation. Only what to *show*: every page and use case
/// checks the account afresh.
pub async fn remember_viewer(
    session: tower_sessions::Session,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if !draws_pages(request.uri().path()) {
        return next.run(request).await;
    }
    let viewer: Option<CurrentUser> = session.get(crate::auth::USER_KEY).await.ok().flatten();
    VIEWER.scope(viewer, next.run(request)).await
}

/// Whether a path may answer with a page in the frame (not the JSON API, not a
/// static file), so the session is read for it only then.
pub fn draws_pages(path: &str) -> bool {
    !(path.starts_with("/api/") || path.starts_with("/static/") || path == "/healthz")
}

/// The main navigation for a signed-in person.
fn main_nav(u: &CurrentUser) -> Markup {
    html! {
        nav aria-label="Main" {
            ul {
                li { a href="/openings" { "Openings" } }
                li { a href="/candidates" { "Candidates" } }
                li { a href="/my-work" { "My work" } }
                li { a href="/jd" { "Job descriptions" } }
                @if u.is_admin() {
                    li { a href="/admin/accounts" { "People" } }
                    li { a href="/reports" { "Reports" } }
                    li { a href="/audit" { "Audit log" } }
                    li { a href="/admin/tokens" { "API tokens" } }
                    li { a href="/admin/outbox" { "Outbox" } }
                }
            }
        }
    }
}

/// What to try after an error, by status, for a signed-in person.
fn error_help(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => {
            "The address may be mistyped, or the record is not one you are assigned to. Your assignments are listed under My work; every opening is under Openings."
        }
        StatusCode::FORBIDDEN => {
            "Your account's role does not allow this, or a rule holds it back for now (for example, others' scorecards open once yours is in). A hiring manager (admin) can help."
        }
        StatusCode::CONFLICT => {
            "Nothing was changed. The message above says what has to happen first."
        }
        _ => "Go back and try again, or start from Openings.",
    }
}

/// The page shown for an error status: with the navigation when someone is
/// signed in (staff pages), plain otherwise.
pub fn error_page(status: StatusCode, message: &str) -> Markup {
    let viewer = VIEWER.try_with(Clone::clone).ok().flatten();
    let heading = status.canonical_reason().unwrap_or("Error");
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (status.as_u16()) " " (heading) " · multiplier" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip href="#main" { "Skip to content" }
                @if let Some(u) = &viewer {
                    header.top {
                        a.brand href="/" { "multiplier" }
                        (main_nav(u))
                        span.who { (u.name) " · " (u.role) }
                    }
                }
                main #main tabindex="-1" {
                    section.narrow {
                        h1 { (heading) }
                        p.alert role="alert" { (inline_code(message)) }
                        @if let Some(_u) = &viewer {
                            p { (error_help(status)) }
                            p { a href="/my-work" { "My work" } " · " a href="/openings" { "Openings" } }
                        } @else {
                            p { a href="/" { "Back to the start" } }
                        }
                    }
                }
            }
        }
    }
}

/// A small status chip, e.g. "clears" / "below".
pub fn chip(text: &str, good: bool) -> Markup {
    html! { span class=(if good { "chip good" } else { "chip bad" }) { (text) } }
}

/// A chip with its own class (`chip <class>`); the text says what the colour
/// shows, so nothing rests on colour alone.
pub fn chip_as(text: &str, class: &str) -> Markup {
    html! { span class={ "chip " (class) } { (text) } }
}

/// A red flag's severity: minor (neutral), major (amber), critical (red).
pub fn severity_chip(s: multiplier_core::framework::Severity) -> Markup {
    use multiplier_core::framework::Severity;
    match s {
        Severity::Minor => chip_as("minor", "sev-minor"),
        Severity::Major => chip_as("major", "sev-major"),
        Severity::Critical => chip_as("critical", "sev-critical"),
    }
}

/// A raised red flag at a glance: its title with severity, struck through
/// and grey once resolved.
pub fn flag_badge(f: &multiplier_core::pipeline::FlagBadge) -> Markup {
    html! {
        span.flag-badge {
            @if f.resolved {
                (chip_as("resolved", "flag-resolved")) " " s { (f.title) }
            } @else {
                (severity_chip(f.severity)) " " (f.title)
            }
        }
    }
}

/// The decision policy's verdict as a chip: incomplete (amber, naming whose
/// scorecards are missing), meets the bar (green), does not (red).
pub fn verdict_chip(v: &multiplier_core::pipeline::Verdict) -> Markup {
    use multiplier_core::pipeline::Verdict;
    let text = format!("policy: {}", v.text());
    match v {
        Verdict::Incomplete { .. } => chip_as(&text, "incomplete"),
        Verdict::MeetsBar => chip_as(&text, "good"),
        Verdict::BelowBar => chip_as(&text, "bad"),
    }
}

/// Text that may carry Markdown-style `code` spans (use-case messages, the
/// policy's reasons): each span becomes `<code>`, nothing else is interpreted,
/// and every part is escaped.
pub fn inline_code(text: &str) -> Markup {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks leaves the last one as it is.
    let balanced = parts.len() % 2 == 1;
    html! {
        @for (i, part) in parts.iter().enumerate() {
            @if i % 2 == 1 && (balanced || i + 1 < parts.len()) {
                code { (part) }
            } @else if i % 2 == 1 {
                "`" (part)
            } @else {
                (part)
            }
        }
    }
}

pub const CSS: &str = include_str!("../static/app.css");
pub const JS: &str = include_str!("../static/app.js");

/// The optional, voluntary self-identification questions (the careers apply
/// form and the candidate portal): both default to "prefer not to say", and
/// the text says who sees the answer (nobody who evaluates; aggregate reports
/// only). `id` prefixes the controls' ids.
pub fn self_id_fields(id: &str, sex: &str, race: &str) -> Markup {
    use multiplier_core::fairness::{Race, Sex};
    html! {
        fieldset.self-id {
            legend { "About you (optional, voluntary)" }
            p.hint {
                "We ask so that we can check our hiring process treats every group fairly. "
                "Answering is up to you and changes nothing about your application. "
                "Your answer is kept apart from your application: nobody who reads or assesses it ever sees it, "
                "it only counts in totals of at least five people, and it is erased with the rest of your data."
            }
            label for={ (id) "-sex" } { "Sex" }
            select id={ (id) "-sex" } name="sex" {
                @for s in [Sex::PreferNotToSay, Sex::Female, Sex::Male] {
                    @let value = if s == Sex::PreferNotToSay { "" } else { s.id() };
                    option value=(value) selected[sex == value || sex == s.id()] { (s.label()) }
                }
            }
            label for={ (id) "-race" } { "Race/ethnicity" }
            select id={ (id) "-race" } name="race" {
                option value="" selected[race.is_empty() || race == Race::PreferNotToSay.id()] { (Race::PreferNotToSay.label()) }
                @for r in Race::ALL.into_iter().filter(|r| r.is_declared()) {
                    option value=(r.id()) selected[race == r.id()] { (r.label()) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_the_frame_around_the_body_in_one_string_of_its_size() {
        let body = html! { h1 { "Board & <more>" } p { "x" } };
        let page = page("T <1>", None, "tok\"en", body).0;
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        );
        assert!(page.contains("<meta name=\"csrf-token\" content=\"tok&quot;en\">"));
        assert!(page.contains("<title>T &lt;1&gt; · multiplier</title>"));
        assert!(page.ends_with(
            "<main id=\"main\" tabindex=\"-1\"><h1>Board &amp; &lt;more&gt;</h1><p>x</p></main></body></html>"
        ));
        // Taken once, at its size: nothing grew it after the body went in.
        assert_eq!(page.capacity(), page.len());
    }
}
