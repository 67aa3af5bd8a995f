//! Paged lists in the API: every list takes `limit` (default 50, at most 200)
//! and `cursor` (the previous page's), and answers `next`: the link to the
//! following page, or null on the last.

use multiplier_app::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// Where the page starts: the `cursor` parameter of the previous page's
    /// `next` link. Opaque; omit it for the first page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn request(&self) -> PageRequest {
        PageRequest {
            limit: self.limit,
            cursor: self.cursor.clone().filter(|c| !c.trim().is_empty()),
        }
    }
}

/// The link to the next page: `path` (under the API prefix) with the query
/// asked for and the cursor replaced; `None` on the last page.
pub fn next_link(path: &str, raw_query: Option<&str>, next: Option<String>) -> Option<String> {
    let next = next?;
    let mut pairs: Vec<(String, String)> = raw_query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs.retain(|(k, _)| k != "cursor");
    pairs.push(("cursor".to_string(), next));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    Some(format!("{}{path}?{query}", super::PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_keeps_the_filters_and_replaces_the_cursor() {
        let link = next_link(
            "/candidates",
            Some("stage=debrief&cursor=ab&limit=2"),
            Some("cd".into()),
        );
        assert_eq!(
            link.as_deref(),
            Some("/api/v1/candidates?stage=debrief&limit=2&cursor=cd")
        );
        assert_eq!(next_link("/candidates", None, None), None);
        assert_eq!(
            next_link("/openings", None, Some("x y".into())).as_deref(),
            Some("/api/v1/openings?cursor=x+y")
        );
    }
}
