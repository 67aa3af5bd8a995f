//! `multiplier report funnel|adverse-impact` through the real binary: the
//! three formats, the access rule and the exit codes.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

struct Db(tempfile::TempDir);

impl Db {
    fn new() -> Db {
        let db = Db(tempfile::tempdir().unwrap());
        for (name, role) in [("priya", "admin"), ("ivo", "interviewer")] {
            db.cmd()
                .args(["user", "add", name, "--role", role, "--password-stdin"])
                .write_stdin("a long enough secret\n")
                .assert()
                .success();
        }
        let role = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/roles/payments-player-coach.toml");
        db.ok(&[
            "role",
            "new",
            "--as",
            "priya",
            "--from",
            role.to_str().unwrap(),
        ]);
        db.ok(&["opening", "new", "--role", "1", "--as", "priya"]);
        for name in ["Dana Reyes", "Eli Moss"] {
            db.ok(&[
                "candidate",
                "add",
                "--opening",
                "1",
                "--name",
                name,
                "--as",
                "priya",
            ]);
        }
        db.ok(&[
            "candidate",
            "move",
            "1",
            "--stage",
            "technical-depth",
            "--as",
            "priya",
        ]);
        db
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("multiplier").unwrap();
        c.env_remove("MULTIPLIER_FRAMEWORK")
            .env_remove("MULTIPLIER_USER")
            .env("MULTIPLIER_DB", self.0.path().join("r.db"))
            .current_dir(self.0.path());
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

#[test]
fn the_funnel_prints_as_text_json_and_csv() {
    let db = Db::new();
    let text = db.ok(&["report", "funnel", "--as", "priya"]);
    assert!(text.contains("Technical deep-dive"), "{text}");
    assert!(text.contains("2 candidate(s), 0 hired"), "{text}");
    let json: Value = serde_json::from_str(&db.ok(&[
        "report",
        "funnel",
        "--opening",
        "1",
        "--format",
        "json",
        "--as",
        "priya",
    ]))
    .unwrap();
    assert_eq!(json["overall"]["candidates"], 2);
    assert_eq!(json["overall"]["steps"][0]["reached"], 2);
    assert_eq!(json["openings"][0]["opening"], 1);
    let csv = db.ok(&["report", "funnel", "--format", "csv", "--as", "priya"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("opening,title,section,item,label,count,conversion,stays,median_days,mean_days,hired")
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("all,All openings,stage,screen,")),
        "{csv}"
    );
}

#[test]
fn adverse_impact_is_for_admins_and_hides_small_counts() {
    let db = Db::new();
    let json: Value = serde_json::from_str(&db.ok(&[
        "report",
        "adverse-impact",
        "--stage",
        "overall",
        "--format",
        "json",
        "--as",
        "priya",
    ]))
    .unwrap();
    assert_eq!(json["steps"].as_array().unwrap().len(), 1);
    assert_eq!(json["min_group"], 5);
    // Two candidates, neither answered: the undeclared line has 1–4 and is hidden.
    let undeclared = json["steps"][0]["by_sex"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["category"] == "undeclared")
        .unwrap()
        .clone();
    assert_eq!(undeclared["applicants"], Value::Null);
    assert_eq!(undeclared["suppressed"], true);
    let csv = db.ok(&[
        "report",
        "adverse-impact",
        "--format",
        "csv",
        "--as",
        "priya",
    ]);
    assert!(csv.starts_with(
        "kind,stage,next,dimension,category,label,applicants,selected,rate,impact_ratio"
    ));
    assert!(csv.contains(",undeclared,"), "{csv}");
    assert!(csv.contains("<5"), "{csv}");
    db.cmd()
        .args(["report", "adverse-impact", "--as", "ivo"])
        .assert()
        .code(3);
    db.cmd()
        .args(["report", "funnel", "--as", "ivo"])
        .assert()
        .code(3);
    db.cmd()
        .args([
            "report",
            "adverse-impact",
            "--stage",
            "lunch",
            "--as",
            "priya",
        ])
        .assert()
        .code(2);
}
