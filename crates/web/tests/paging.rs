//! Paged lists through the web edges: the API's `next` links walk every row
//! exactly once, the pages' "Next page" and "More" links do the same, bad page
//! requests are 422, and a search match is highlighted with the candidate's
//! own text escaped.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Account, CandidateInput};
use multiplier_store::{AccountRole, OpeningId};
use serde_json::Value;
use std::collections::BTreeSet;
use support::{Client, TestApp};

fn priya() -> Account {
    Account {
        name: "priya".into(),
        role: AccountRole::Admin,
    }
}

/// The path and query of an API `next` link (it starts with the API prefix).
fn path_of(link: &Value) -> Option<String> {
    link.as_str().map(str::to_string)
}

/// Follow `next` from `first`, collecting each page's `items` ids.
async fn walk_api(c: &Client, first: &str) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut at = Some(first.to_string());
    while let Some(path) = at {
        let res = c.get(&path).await;
        assert_eq!(res.status, 200, "{path}: {}", res.body);
        let page = res.json();
        pages.push(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap())
                .collect(),
        );
        at = path_of(&page["next"]);
    }
    pages
}

/// Candidate ids linked from the rows of a results table.
fn linked_ids(body: &str) -> Vec<i64> {
    body.split("<th scope=\"row\"><a href=\"/candidates/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The href of the "Next page" link, unescaped.
fn next_href(body: &str, text: &str) -> Option<String> {
    let end = body.find(&format!("\">{text}</a>"))?;
    let start = body[..end].rfind("href=\"")? + "href=\"".len();
    Some(body[start..end].replace("&amp;", "&"))
}

multiplier_store::each_backend! {
    async fn api_lists_walk_every_row_once_by_their_next_links(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("priya").await;
        let everyone = walk_api(&hm, "/api/v1/candidates").await;
        assert_eq!(everyone.len(), 1, "one page by default");
        let all = everyone.concat();
        assert!(all.len() >= 8, "{all:?}");

        let pages = walk_api(&hm, "/api/v1/candidates?limit=3").await;
        assert!(pages.iter().all(|p| p.len() <= 3) && pages.len() >= 3);
        assert_eq!(pages.concat(), all, "each once, in order");
        // Filters ride along in the next link.
        let page = hm
            .get("/api/v1/candidates?limit=1&stage=screen")
            .await
            .json();
        if let Some(next) = page["next"].as_str() {
            assert!(
                next.contains("stage=screen") && next.contains("limit=1"),
                "{next}"
            );
        }

        for bad in ["limit=0", "limit=201", "cursor=zz"] {
            let res = hm.get(&format!("/api/v1/candidates?{bad}")).await;
            assert_eq!(res.status, 422, "{bad}: {}", res.body);
        }

        let openings = walk_api(&hm, "/api/v1/openings?limit=1").await;
        assert!(!openings.concat().is_empty());
        assert_eq!(
            openings.concat().iter().collect::<BTreeSet<_>>().len(),
            openings.concat().len()
        );

        // The board: counts cover everyone; each column pages on its own.
        let board = hm.get("/api/v1/openings/1?limit=1").await.json();
        let columns = board["columns"].as_array().unwrap();
        let total: u64 = columns.iter().map(|c| c["count"].as_u64().unwrap()).sum();
        assert_eq!(total as usize, all.len());
        for col in columns {
            let count = col["count"].as_u64().unwrap() as usize;
            let mut seen: Vec<i64> = col["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect();
            let mut next = path_of(&col["next"]);
            while let Some(path) = next {
                let b = hm.get(&path).await.json();
                let same = b["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["stage"] == col["stage"])
                    .unwrap()
                    .clone();
                seen.extend(
                    same["candidates"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["id"].as_i64().unwrap()),
                );
                next = path_of(&same["next"]);
            }
            assert_eq!(seen.len(), count, "{}", col["stage"]);
        }

        // The opening's debrief, a page at a time.
        let debrief = hm.get("/api/v1/openings/1/debrief?limit=1").await.json();
        assert_eq!(debrief["candidates"].as_array().unwrap().len(), 1);
        assert!(debrief["next"].is_string(), "{debrief}");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn pages_have_next_links_and_escape_highlighted_matches(db) {
        let app = TestApp::with_demo_on(db).await;
        app.state
            .app
            .add_candidate(
                &priya(),
                OpeningId(1),
                &CandidateInput {
                    name: "<i>Zed</i> Quillon & Co".into(),
                    ..CandidateInput::default()
                },
            )
            .await
            .unwrap();
        let hm = app.login("priya").await;
        let everyone = linked_ids(&hm.get("/candidates").await.body);
        let mut seen = Vec::new();
        let mut at = Some("/candidates?limit=3".to_string());
        while let Some(path) = at {
            let page = hm.get(&path).await;
            assert_eq!(page.status, 200);
            seen.extend(linked_ids(&page.body));
            at = next_href(&page.body, "Next page");
        }
        assert_eq!(seen, everyone);
        assert!(seen.len() >= 9);

        let found = hm.get("/candidates?text=quillon").await;
        assert_eq!(linked_ids(&found.body).len(), 1);
        assert!(
            found
                .body
                .contains("&lt;i&gt;Zed&lt;/i&gt; <mark>Quillon</mark> &amp; Co"),
            "{}",
            found.body
        );
        assert!(!found.body.contains("<i>Zed"));

        // The openings list and the board's columns page too.
        assert_eq!(hm.get("/openings?limit=1").await.status, 200);
        let board = hm.get("/openings/1?limit=1").await;
        let more = next_href(&board.body, "More").expect("a column with more than one");
        let next = hm.get(&more).await;
        assert_eq!(next.status, 200);
        assert_eq!(hm.get("/openings/1/debrief?limit=1").await.status, 200);
        assert_eq!(hm.get("/candidates?limit=500").await.status, 422);
        app.stop().await;
    }
}
