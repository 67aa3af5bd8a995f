//! Paged lists on the pages: `?limit=&cursor=` in, a "Next page" link out.

use maud::{Markup, html};
use multiplier_app::PageRequest;
use serde::Deserialize;

/// Which page of a list a page shows.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    /// Rows per page (1–200; 50 when left out).
    pub limit: Option<u32>,
    /// From the previous page's "Next page" link.
    #[serde(default)]
    pub cursor: String,
}

impl PageParams {
    pub fn request(&self) -> PageRequest {
        let cursor = self.cursor.trim();
        PageRequest {
            limit: self.limit,
            cursor: (!cursor.is_empty()).then(|| cursor.to_string()),
        }
    }

    /// [`PageParams::request`], with `limit` rows when the query names none
    /// (the page's own default rather than the use case's).
    pub fn request_or(&self, limit: u32) -> PageRequest {
        PageRequest {
            limit: Some(self.limit.unwrap_or(limit)),
            ..self.request()
        }
    }

    /// `path` at the page after this one, keeping the page size.
    pub fn next_href(&self, path: &str, next: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(l) = self.limit {
            pairs.push(("limit", l.to_string()));
        }
        pairs.push(("cursor", next.to_string()));
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// The "Next page" link, when there is a next page.
pub fn next_link(href: Option<String>) -> Markup {
    html! {
        @if let Some(href) = href {
            p.pager { a rel="next" href=(href) { "Next page" } }
        }
    }
}
