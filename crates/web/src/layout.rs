//! The page frame every HTML page shares: head, skip link, navigation by role,
//! the sign-out form, and the error page. maud escapes every value it prints.

use crate::auth::CurrentUser;
use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

/// The hidden field that carries the CSRF token; put it in every form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(crate::csrf::FIELD) value=(token); }
}

/// A whole page. `user` is None on the sign-in page and in the candidate portal.
pub fn page(title: &str, user: Option<&CurrentUser>, csrf: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(csrf);
                title { (title) " · multiplier" }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "multiplier" }
                    @if let Some(u) = user {
                        nav aria-label="Main" {
                            ul {
                                li { a href="/openings" { "Openings" } }
                                li { a href="/candidates" { "Candidates" } }
                                li { a href="/jd" { "Job descriptions" } }
                                @if u.is_admin() {
                                    li { a href="/audit" { "Audit log" } }
                                    li { a href="/admin/tokens" { "API tokens" } }
                                    li { a href="/admin/outbox" { "Outbox" } }
                                }
                            }
                        }
                        form.signout method="post" action="/logout" {
                            (csrf_field(csrf))
                            span.who { (u.name) " · " (u.role) }
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

/// The page shown for an error status.
pub fn error_page(status: StatusCode, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (status.as_u16()) " · multiplier" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                main #main {
                    section.narrow {
                        h1 { (status.canonical_reason().unwrap_or("Error")) }
                        p.alert role="alert" { (message) }
                        p { a href="/" { "Back to the start" } }
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

pub const CSS: &str = include_str!("../static/app.css");
pub const JS: &str = include_str!("../static/app.js");
