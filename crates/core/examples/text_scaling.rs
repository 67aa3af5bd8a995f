//! Measure how the text instruments scale with the size of their input: the teaching
//! model, the written-answer analyzer, the job-description linter and the review
//! grader's summary reading, each on inputs of 8 sizes from 16 KB to 2 MB — ordinary
//! prose, and adversarial text that once made a scanner look back over the whole
//! input (thousands of "e.g." in one sentence, one line without a full stop).
//!
//!     cargo run --release -p multiplier-core --example text_scaling
//!
//! Prints, per instrument and input, the time per run and the time per KB; time per
//! KB that stays flat as the input doubles is linear. bench/text-scaling.md quotes a
//! run. Nothing here is asserted: timings belong to the machine they ran on.

use multiplier_core::answers::analyze_one;
use multiplier_core::framework::Framework;
use multiplier_core::jd::{LintWords, lint};
use multiplier_core::review::{Builtin, Review, ReviewSignals, grade};
use std::time::Instant;

const PROSE: &str = "This loop asks the database for each order's lines, because Django \
loads relations lazily; at ten times the traffic it saturates the pool. \
If two requests arrive together, both pass the check before either writes, so we \
get two accounts. What happens when a customer has 300 orders? See \
https://docs.djangoproject.com/en/5.0/topics/db/optimization/ for the pattern.\n\n\
> I'd take the keyboard and fix it myself. We decided to split the service.\n\n";

const POSTING: &str = "# Tech Lead, Search\n\nOur team is 6 engineers: 2 senior. We deploy \
twice a week and pull requests wait 31 hours. <!-- aggressive draft -->\n\
About 60% of your week is coding. See [blog](https://x.com/rockstar-ninja).\n\
- You will not write performance reviews.\n- By month six: deploy daily.\n\n";

const ADVERSARIAL: &str = "e.g. e.g. e.g. e.g. e.g. x `a` [b](c) <!-- d --> ";

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

fn time<F: FnMut()>(mut f: F) -> f64 {
    // Best of three, in milliseconds.
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let (Ok(signals), Ok(words), Ok(framework)) = (
        ReviewSignals::default_signals(),
        LintWords::default_words(),
        Framework::default_framework(),
    ) else {
        eprintln!("the embedded defaults do not load");
        return;
    };
    let Some(Ok(exercise)) = Builtin::find("orders-n-plus-one").map(|b| b.load()) else {
        eprintln!("the built-in exercise does not load");
        return;
    };
    println!("| instrument | input | size | ms per run | µs per KB |");
    println!("|---|---|---|---|---|");
    for (name, unit) in [
        ("prose", PROSE),
        ("posting", POSTING),
        ("adversarial", ADVERSARIAL),
    ] {
        for kb in [16, 32, 64, 128, 256, 512, 1024, 2048] {
            let text = repeat_to(unit, kb * 1024);
            let review = serde_json::json!({"summary": text, "comments": []}).to_string();
            let Ok(review) = Review::parse("bench", &review) else {
                continue;
            };
            let rows: [(&str, f64); 5] = [
                (
                    "teaching model",
                    time(|| {
                        let _ = signals.teaching.classify(&text);
                    }),
                ),
                (
                    "answers (incident)",
                    time(|| {
                        let _ = analyze_one("incident-guidance", &text, &signals);
                    }),
                ),
                (
                    "answers (decision)",
                    time(|| {
                        let _ = analyze_one("architecture-decision", &text, &signals);
                    }),
                ),
                (
                    "jd lint",
                    time(|| {
                        let _ = lint(&text, &words);
                    }),
                ),
                (
                    "grade (summary)",
                    time(|| {
                        let _ = grade(&exercise, &review, &signals, &framework);
                    }),
                ),
            ];
            for (instrument, ms) in rows {
                println!(
                    "| {instrument} | {name} | {kb} KB | {ms:.1} | {:.1} |",
                    ms * 1000.0 / kb as f64
                );
            }
        }
    }
}
