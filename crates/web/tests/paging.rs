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

/// Add `input` to the demo's first opening, as priya.
async fn add_to_first_opening(app: &TestApp, input: CandidateInput) {
    app.state
        .app
        .add_candidate(&priya(), OpeningId(1), &input)
        .await
        .unwrap();
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
        add_to_first_opening(
            &app,
            CandidateInput {
                name: "<i>Zed</i> Quillon & Co".into(),
                ..CandidateInput::default()
            },
        )
        .await;
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

/// Every audit entry, oldest first, as a hiring manager reads the whole log.
async fn whole_log(app: &TestApp, filter: &multiplier_store::AuditFilter) -> Vec<i64> {
    app.state
        .app
        .audit_log(&priya(), filter)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect()
}

/// The field a 422 problem names first.
fn problem_field(res: &support::Res) -> String {
    let body = res.json();
    body["problems"][0]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("no field problem: {body}"))
        .to_string()
}

multiplier_store::each_backend! {
    async fn the_audit_api_pages_by_next_links_keeps_its_filters_and_refuses_foreign_cursors(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("priya").await;
        let everything = whole_log(&app, &Default::default()).await;
        assert!(everything.len() > 12, "the demo writes a log: {}", everything.len());

        // The first page by default: 50 entries (or all), oldest first.
        let first = hm.get("/api/v1/audit").await;
        assert_eq!(first.status, 200, "{}", first.body);
        let first = first.json();
        let ids: Vec<i64> = first["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, everything[..everything.len().min(50)].to_vec());
        assert_eq!(first["next"].is_string(), everything.len() > 50, "{}", first["next"]);

        // Walking the next links visits every entry once, in order.
        let pages = walk_api(&hm, "/api/v1/audit?limit=5").await;
        assert!(pages.len() >= 3, "{pages:?}");
        assert!(pages.iter().all(|p| !p.is_empty() && p.len() <= 5), "{pages:?}");
        assert_eq!(pages.concat(), everything);

        // Filters ride along in the next links and hold on every page.
        let filter = multiplier_store::AuditFilter {
            actor: Some("priya".into()),
            action: Some("candidate".into()),
            ..Default::default()
        };
        let wanted = whole_log(&app, &filter).await;
        assert!(wanted.len() >= 3, "{wanted:?}");
        let mut seen = Vec::new();
        let mut at = Some("/api/v1/audit?limit=2&actor=priya&action=candidate".to_string());
        while let Some(path) = at {
            let page = hm.get(&path).await;
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            let page = page.json();
            for e in page["items"].as_array().unwrap() {
                assert_eq!(e["actor"], "priya", "{e}");
                assert!(e["action"].as_str().unwrap().starts_with("candidate"), "{e}");
                seen.push(e["id"].as_i64().unwrap());
            }
            at = path_of(&page["next"]);
            if let Some(next) = &at {
                assert!(next.contains("actor=priya") && next.contains("action=candidate"), "{next}");
            }
        }
        assert_eq!(seen, wanted);
        let maya = walk_api(&hm, "/api/v1/audit?limit=1&candidate=8").await.concat();
        let maya_all = whole_log(
            &app,
            &multiplier_store::AuditFilter {
                subject: Some("candidate:8".into()),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(maya, maya_all);

        // A bad page size is a problem on `limit`; a cursor of another list
        // (the candidates', or the audit page's newest-first one) on `cursor`.
        for bad in ["limit=0", "limit=201"] {
            let res = hm.get(&format!("/api/v1/audit?{bad}")).await;
            assert_eq!(res.status, 422, "{bad}: {}", res.body);
            assert_eq!(problem_field(&res), "limit", "{bad}");
        }
        let candidates = hm.get("/api/v1/candidates?limit=1").await.json();
        let foreign = candidates["next"].as_str().unwrap().split("cursor=").nth(1).unwrap().to_string();
        let page = hm.get("/audit?limit=2").await.body;
        let newest_first = next_href(&page, "Older entries →").expect("an older page");
        let newest_first = newest_first.split("cursor=").nth(1).unwrap().to_string();
        for cursor in [foreign, newest_first, "zz".to_string()] {
            let res = hm.get(&format!("/api/v1/audit?cursor={cursor}")).await;
            assert_eq!(res.status, 422, "{cursor}: {}", res.body);
            assert_eq!(problem_field(&res), "cursor");
        }
        // Still the hiring managers' only, whatever the page asked.
        let ivy = app.login("ivy").await;
        assert_eq!(ivy.get("/api/v1/audit?limit=0").await.status, 403);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_audit_page_walks_every_entry_once_newest_first(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("priya").await;
        let everything = whole_log(&app, &Default::default()).await;
        let mut shown = 0;
        let mut pages = 0;
        let mut at = Some("/audit?limit=7&actor=".to_string());
        let mut last_first: Option<String> = None;
        while let Some(path) = at {
            let res = hm.get(&path).await;
            assert_eq!(res.status, 200, "{path}");
            let times: Vec<String> = res
                .body
                .split("<td><time datetime=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next().map(str::to_string))
                .collect();
            assert!(!times.is_empty() && times.len() <= 7, "{path}: {}", times.len());
            // Newest first, within and across pages.
            assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
            if let Some(prev) = &last_first {
                assert!(times[0] <= *prev);
            }
            last_first = times.last().cloned();
            shown += times.len();
            pages += 1;
            at = next_href(&res.body, "Older entries →");
        }
        assert!(pages >= 2);
        assert_eq!(shown, everything.len(), "each entry once");
        // The API's oldest-first cursor is not one of this list's.
        let api = hm.get("/api/v1/audit?limit=1").await.json();
        let cursor = api["next"].as_str().unwrap().split("cursor=").nth(1).unwrap().to_string();
        assert_eq!(hm.get(&format!("/audit?cursor={cursor}")).await.status, 422);
        app.stop().await;
    }
}

/// A scorecard body for `stage` (scoring exactly the signals it feeds) whose
/// note carries `marker`.
fn card_body(stage: &str, marker: &str, amendment: Option<&str>) -> Value {
    let signal = if stage == "technical-depth" {
        "technical-depth"
    } else {
        "team-multiplier"
    };
    let mut body = serde_json::json!({
        "stage": stage,
        "scores": {signal: 3},
        "notes": {signal: marker},
        "recommendation": "yes",
    });
    if let Some(reason) = amendment {
        body["amendment_reason"] = reason.into();
    }
    body
}

/// The scorecard ids of every page from `first` on, following `next`.
async fn walk_cards(c: &Client, first: &str) -> (Vec<Vec<i64>>, Vec<String>, Vec<Value>) {
    let (mut pages, mut bodies, mut lists) = (Vec::new(), Vec::new(), Vec::new());
    let mut at = Some(first.to_string());
    while let Some(path) = at {
        let res = c.get(&path).await;
        assert_eq!(res.status, 200, "{path}: {}", res.body);
        let list = res.json();
        pages.push(
            list["scorecards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap())
                .collect(),
        );
        at = path_of(&list["next"]);
        bodies.push(res.body);
        lists.push(list);
    }
    (pages, bodies, lists)
}

multiplier_store::each_backend! {
    async fn scorecard_pages_walk_each_card_once_and_never_reveal_a_hidden_one(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("priya").await;
        let aisha = app.login("aisha").await;
        let id = multiplier_store::CandidateId(3);
        // aisha owes her code-review card on candidate 3 (the demo); she also
        // interviews two more stages and has those cards in, one amended.
        for stage in ["technical-depth", "product-partnership"] {
            app.state.app.assign(&priya(), id, stage, "aisha").await.unwrap();
        }
        let post = |c: &Client, body: Value| {
            let c = c.clone();
            async move {
                let res = c.post_json("/api/v1/candidates/3/scorecards", &body).await;
                assert_eq!(res.status, 201, "{}", res.body);
            }
        };
        post(&aisha, card_body("technical-depth", "AISHA-ONE", None)).await;
        post(&aisha, card_body("technical-depth", "AISHA-ONE-AMENDED", Some("a typo"))).await;
        post(&aisha, card_body("product-partnership", "AISHA-TWO", None)).await;
        // Others' cards: hidden from her while hers for code-review is owed.
        for (i, stage) in ["leadership", "product-partnership", "technical-depth"].iter().enumerate() {
            post(&hm, card_body(stage, &format!("HIDDEN-{i}"), None)).await;
        }
        let secret = |body: &str| body.contains("HIDDEN-") || body.contains(MARCOS_NOTE);

        // The hiring manager walks every version once, oldest first.
        let every: Vec<i64> = app
            .state
            .app
            .scorecards(&priya(), id)
            .await
            .unwrap()
            .items
            .iter()
            .map(|r| r.id)
            .collect();
        let (pages, _, hm_lists) = walk_cards(&hm, "/api/v1/candidates/3/scorecards?limit=2").await;
        assert!(pages.len() >= 3, "{pages:?}");
        assert_eq!(pages.concat(), every);
        let hm_cursors: Vec<String> = hm_lists
            .iter()
            .filter_map(|l| l["next"].as_str())
            .filter_map(|n| n.split("cursor=").nth(1).map(str::to_string))
            .collect();
        assert!(!hm_cursors.is_empty());

        // aisha, a page of one at a time: her own versions only, each once,
        // and the same count withheld on every page.
        let (pages, bodies, lists) = walk_cards(&aisha, "/api/v1/candidates/3/scorecards?limit=1").await;
        assert_eq!(pages.len(), 3, "her three versions: {pages:?}");
        for (body, list) in bodies.iter().zip(&lists) {
            assert!(!secret(body), "a hidden card on a page: {body}");
            assert!(list["blind"].is_string(), "{list}");
            assert_eq!(list["hidden_scorecards"], lists[0]["hidden_scorecards"]);
        }
        assert!(lists[0]["hidden_scorecards"].as_u64().unwrap() >= 4, "{}", lists[0]);
        let hers: BTreeSet<i64> = pages.concat().into_iter().collect();
        assert_eq!(hers.len(), 3);
        // The hiring manager's cursors point between hidden cards: from any of
        // them she still reads only her own.
        for cursor in &hm_cursors {
            let res = aisha.get(&format!("/api/v1/candidates/3/scorecards?limit=1&cursor={cursor}")).await;
            assert_eq!(res.status, 200, "{}", res.body);
            assert!(!secret(&res.body), "{}", res.body);
            for r in res.json()["scorecards"].as_array().unwrap() {
                assert_eq!(r["interviewer"], "aisha", "{r}");
            }
        }

        // The candidate's page, newest first, one card a page: her latest two,
        // never a hidden one, the notice on every page.
        let mut at = Some("/candidates/3?limit=1".to_string());
        let mut seen = Vec::new();
        while let Some(path) = at {
            let res = aisha.get(&path).await;
            assert_eq!(res.status, 200, "{path}");
            assert!(!secret(&res.body), "a hidden card on {path}");
            assert!(res.body.contains("scorecard version(s) by others stay hidden"), "{path}");
            for marker in ["AISHA-ONE-AMENDED", "AISHA-TWO"] {
                if res.body.contains(&format!(">{marker}<")) {
                    seen.push(marker);
                }
            }
            at = next_href(&res.body, "Older scorecards →");
        }
        assert_eq!(seen, ["AISHA-TWO", "AISHA-ONE-AMENDED"], "newest first, each once");
        for cursor in &hm_cursors {
            // Another listing's cursor: refused, nothing shown.
            let res = aisha.get(&format!("/candidates/3?cursor={cursor}")).await;
            assert_eq!(res.status, 422);
            assert!(!secret(&res.body));
        }

        // The hiring manager's page: the latest of every card, each once.
        let mut at = Some("/candidates/3?limit=2".to_string());
        let mut hidden_seen = 0;
        let mut pages = 0;
        while let Some(path) = at {
            let res = hm.get(&path).await;
            assert_eq!(res.status, 200, "{path}");
            hidden_seen += (0..3).filter(|i| res.body.contains(&format!(">HIDDEN-{i}<"))).count();
            assert!(!res.body.contains(">AISHA-ONE<"), "an old version on {path}");
            pages += 1;
            at = next_href(&res.body, "Older scorecards →");
        }
        assert!(pages >= 3);
        assert_eq!(hidden_seen, 3);

        // A cursor of another candidate's list, or of another list, is refused.
        let other = hm.get("/api/v1/candidates/4/scorecards").await;
        assert_eq!(other.status, 200, "{}", other.body);
        let res = hm.get(&format!("/api/v1/candidates/4/scorecards?cursor={}", hm_cursors[0])).await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert_eq!(problem_field(&res), "cursor");
        let res = hm.get("/api/v1/candidates/3/scorecards?limit=0").await;
        assert_eq!(res.status, 422);
        assert_eq!(problem_field(&res), "limit");
        app.stop().await;
    }
}

/// marco's note on candidate 3 in the demo data.
const MARCOS_NOTE: &str = "Solid on the queue design";

/// The cards in the board's column for `stage`.
fn column_cards(body: &str, stage: &str) -> usize {
    let start = body
        .find(&format!("id=\"col-{stage}\""))
        .unwrap_or_else(|| panic!("no column {stage}"));
    let column = &body[start..];
    let column = &column[..column.find("</section>").unwrap_or(column.len())];
    column.matches("<article class=\"card\">").count()
}

multiplier_store::each_backend! {
    async fn the_board_search_and_debrief_show_a_screenful_unless_asked_for_more(db) {
        use multiplier_web::pages::{BOARD_CARDS, DEBRIEF_ROWS, SEARCH_RESULTS};
        let app = TestApp::with_demo_on(db).await;
        // At the debrief stage, so they are on its page too.
        let added = SEARCH_RESULTS.max(DEBRIEF_ROWS) as usize + 1;
        for n in 0..added {
            let input = CandidateInput {
                name: format!("Ottoline Zarquon {n}"),
                stage: Some("debrief".into()),
                ..CandidateInput::default()
            };
            add_to_first_opening(&app, input).await;
        }
        let hm = app.login("priya").await;

        let board = hm.get("/openings/1").await;
        assert_eq!(board.status, 200);
        assert_eq!(column_cards(&board.body, "debrief"), BOARD_CARDS as usize);
        let more = next_href(&board.body, "More").expect("the debrief column has more");
        assert!(more.contains(&format!("limit={BOARD_CARDS}")), "{more}");
        let whole = hm.get("/openings/1?limit=200").await;
        assert!(column_cards(&whole.body, "debrief") >= added, "the default is not a cap");

        let first = hm.get("/candidates?text=zarquon").await;
        assert_eq!(first.status, 200);
        let mut seen = linked_ids(&first.body);
        assert_eq!(seen.len(), SEARCH_RESULTS as usize);
        let next = next_href(&first.body, "Next page").expect("a second page");
        seen.extend(linked_ids(&hm.get(&next).await.body));
        assert_eq!(seen.len(), added);
        assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), added);
        let asked = hm.get("/candidates?text=zarquon&limit=50").await;
        assert_eq!(linked_ids(&asked.body).len(), added);

        let debrief = hm.get("/openings/1/debrief").await;
        assert_eq!(debrief.status, 200);
        let rows = debrief_rows(&debrief.body);
        assert_eq!(rows, DEBRIEF_ROWS as usize);
        let mut seen = rows;
        let mut at = next_href(&debrief.body, "Next page");
        while let Some(path) = at {
            let page = hm.get(&path).await;
            seen += debrief_rows(&page.body);
            at = next_href(&page.body, "Next page");
        }
        let all = hm.get("/openings/1/debrief?limit=200").await;
        assert_eq!(seen, debrief_rows(&all.body));
        assert!(seen > DEBRIEF_ROWS as usize);
        app.stop().await;
    }
}

/// The candidates' rows in a debrief page's table.
fn debrief_rows(body: &str) -> usize {
    body.matches("<th scope=\"row\"><a href=\"/candidates/")
        .count()
}
