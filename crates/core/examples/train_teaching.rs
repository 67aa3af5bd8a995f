//! Train the teaching model: a logistic regression over the teaching signals of
//! `framework/review-signals.toml`, fitted on the `train` split of the labelled
//! corpus (`crates/core/tests/data/teaching/`), with the L2 penalty and the threshold
//! chosen on the `dev` split. Writes `framework/teaching-model.toml`.
//!
//!     cargo run -p multiplier-core --example train_teaching
//!     cargo run -p multiplier-core --example train_teaching -- --signals my.toml --out my-model.toml
//!
//! The `test` split is never read here: `--example instrument_agreement` and the
//! `teaching_agreement` test report on it. Deterministic: the same corpus and
//! signals give the same weights, byte for byte.

#[path = "../tests/support/teaching.rs"]
#[allow(dead_code)]
mod teaching;

use multiplier_core::review::{
    DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML, ReviewSignals, TeachingModel,
};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use teaching::{Comment, Confusion, Split};

const L2_GRID: [f64; 7] = [0.0003, 0.001, 0.003, 0.01, 0.02, 0.05, 0.1];
const ITERATIONS: usize = 20_000;
const LEARNING_RATE: f64 = 0.5;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    signals: Option<PathBuf>,
    out: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut signals = None;
    let mut out =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../framework/teaching-model.toml");
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--signals" => signals = Some(PathBuf::from(it.next().ok_or("--signals FILE")?)),
            "--out" => out = PathBuf::from(it.next().ok_or("--out FILE")?),
            other => {
                return Err(format!(
                    "unknown argument `{other}`; usage: train_teaching [--signals FILE] [--out FILE]"
                ));
            }
        }
    }
    Ok(Args { signals, out })
}

/// Binary features: which signals each comment shows.
fn features(signals: &ReviewSignals, ids: &[String], comments: &[&Comment]) -> Vec<Vec<f64>> {
    comments
        .iter()
        .map(|c| {
            let present: Vec<String> = signals
                .teaching
                .signals_in(&c.text)
                .into_iter()
                .map(|h| h.kind)
                .collect();
            ids.iter()
                .map(|id| if present.contains(id) { 1.0 } else { 0.0 })
                .collect()
        })
        .collect()
}

/// A fitted model and how it did on dev: (selection key, l2, threshold, bias,
/// weights, dev confusion).
type Candidate = ((f64, f64), f64, f64, f64, Vec<f64>, Confusion);

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Full-batch gradient descent on the mean log-loss plus `l2`/2·|w|² (the bias is
/// not penalised). Returns (bias, weights, final loss).
fn fit(x: &[Vec<f64>], y: &[f64], l2: f64) -> (f64, Vec<f64>, f64) {
    let k = x.first().map_or(0, Vec::len);
    let n = x.len().max(1) as f64;
    let (mut b, mut w) = (0.0, vec![0.0; k]);
    for _ in 0..ITERATIONS {
        let mut gb = 0.0;
        let mut gw = vec![0.0; k];
        for (xi, yi) in x.iter().zip(y) {
            let z = b + xi.iter().zip(&w).map(|(a, c)| a * c).sum::<f64>();
            let e = sigmoid(z) - yi;
            gb += e;
            for (g, a) in gw.iter_mut().zip(xi) {
                *g += e * a;
            }
        }
        b -= LEARNING_RATE * gb / n;
        for (wj, g) in w.iter_mut().zip(&gw) {
            *wj -= LEARNING_RATE * (g / n + l2 * *wj);
        }
    }
    let loss = log_loss(x, y, b, &w);
    (b, w, loss)
}

/// Mean log-loss: how well the probabilities fit the labels (lower is better).
fn log_loss(x: &[Vec<f64>], y: &[f64], b: f64, w: &[f64]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(xi, yi)| {
            let p = sigmoid(b + xi.iter().zip(w).map(|(a, c)| a * c).sum::<f64>());
            let p = p.clamp(1e-12, 1.0 - 1e-12);
            -(yi * p.ln() + (1.0 - yi) * (1.0 - p).ln())
        })
        .sum::<f64>()
        / x.len().max(1) as f64
}

fn confusion(x: &[Vec<f64>], y: &[f64], b: f64, w: &[f64], threshold: f64) -> Confusion {
    let mut c = Confusion::default();
    for (xi, yi) in x.iter().zip(y) {
        let p = sigmoid(b + xi.iter().zip(w).map(|(a, c)| a * c).sum::<f64>());
        c.add(*yi > 0.5, p >= threshold);
    }
    c
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn run() -> Result<(), String> {
    let args = args()?;
    let (source, text) = match &args.signals {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
        ),
        None => (
            DEFAULT_SIGNALS_SOURCE.to_string(),
            DEFAULT_SIGNALS_TOML.to_string(),
        ),
    };
    let signals = ReviewSignals::parse_signals(&source, &text).map_err(|e| e.to_string())?;
    let ids: Vec<String> = signals
        .teaching
        .signals
        .iter()
        .map(|k| k.id.clone())
        .collect();
    let corpus = teaching::load()?;
    let train: Vec<&Comment> = corpus.iter().filter(|c| c.split == Split::Train).collect();
    let dev: Vec<&Comment> = corpus.iter().filter(|c| c.split == Split::Dev).collect();
    let (xt, yt) = (
        features(&signals, &ids, &train),
        train
            .iter()
            .map(|c| f64::from(u8::from(c.teaches)))
            .collect::<Vec<_>>(),
    );
    let (xd, yd) = (
        features(&signals, &ids, &dev),
        dev.iter()
            .map(|c| f64::from(u8::from(c.teaches)))
            .collect::<Vec<_>>(),
    );

    // Choose the penalty and the threshold on dev: for each penalty the threshold with
    // the best dev accuracy (then the better of precision and recall at their worst,
    // then the one nearest 0.5); across penalties the best dev accuracy, then the
    // lowest dev log-loss (the probabilities that fit unseen comments best).
    let mut best: Option<Candidate> = None;
    println!(
        "| l2 | train loss | dev loss | best threshold | dev accuracy | dev precision | dev recall |"
    );
    println!("|---|---|---|---|---|---|---|");
    for &l2 in &L2_GRID {
        let (b, w, loss) = fit(&xt, &yt, l2);
        let mut local: Option<((f64, f64, f64), f64, Confusion)> = None;
        for step in 6..=14 {
            let threshold = f64::from(step) * 0.05;
            let c = confusion(&xd, &yd, b, &w, threshold);
            let key = (
                c.accuracy(),
                c.precision().min(c.recall()),
                -(threshold - 0.5).abs(),
            );
            if local.as_ref().is_none_or(|(k, _, _)| key > *k) {
                local = Some((key, threshold, c));
            }
        }
        let Some((_, threshold, c)) = local else {
            continue;
        };
        let dev_loss = log_loss(&xd, &yd, b, &w);
        println!(
            "| {l2} | {loss:.4} | {dev_loss:.4} | {threshold:.2} | {:.1}% | {:.1}% | {:.1}% |",
            c.accuracy() * 100.0,
            c.precision() * 100.0,
            c.recall() * 100.0
        );
        let key = (c.accuracy(), -dev_loss);
        if best.as_ref().is_none_or(|(k, ..)| key > *k) {
            best = Some((key, l2, threshold, b, w, c));
        }
    }
    let (_, l2, threshold, bias, weights, dev_c) = best.ok_or("no model was fitted")?;
    let train_c = confusion(&xt, &yt, bias, &weights, threshold);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The teaching model: a logistic regression over the teaching signals of\n\
         # review-signals.toml. Written by `cargo run -p multiplier-core --example\n\
         # train_teaching` from the labelled corpus in crates/core/tests/data/teaching\n\
         # (weights fitted on the train split; l2 and threshold chosen on dev; the test\n\
         # split is never read by the training). Retrain rather than edit by hand; an\n\
         # edited copy is validated like every framework file.\n\
         #\n\
         # A comment's log-odds of teaching = bias + the weight of every signal it shows;\n\
         # it teaches when 1 / (1 + e^-log-odds) >= threshold.\n"
    );
    let _ = writeln!(
        out,
        "[model]\nbias = {}\nthreshold = {:.2}\n",
        round3(bias),
        threshold
    );
    let _ = writeln!(
        out,
        "[trained]\ncommand = \"cargo run -p multiplier-core --example train_teaching\"\ncorpus = \"crates/core/tests/data/teaching\"\ntrain_examples = {}\ndev_examples = {}\nl2 = {l2}\ndev_accuracy = {:.3}\ndev_precision = {:.3}\ndev_recall = {:.3}\n",
        train.len(),
        dev.len(),
        dev_c.accuracy(),
        dev_c.precision(),
        dev_c.recall()
    );
    let _ = writeln!(
        out,
        "# Positive: toward a lesson; negative: toward a correction."
    );
    let _ = writeln!(out, "[weights]");
    for (kind, w) in signals.teaching.signals.iter().zip(&weights) {
        let _ = writeln!(out, "{} = {}  # {}", kind.id, round3(*w), kind.name);
    }
    // The file must load and fit the signals it was trained with.
    let model =
        TeachingModel::parse(&args.out.display().to_string(), &out).map_err(|e| e.to_string())?;
    let problems = model.check_signals("the new model", &out, &ids);
    if !problems.is_empty() {
        return Err(format!(
            "the written model does not fit the signals: {problems:?}"
        ));
    }
    std::fs::write(&args.out, &out).map_err(|e| format!("{}: {e}", args.out.display()))?;

    println!(
        "\nchosen: l2 = {l2}, threshold = {threshold:.2}, bias = {:.3}",
        bias
    );
    for (split, c) in [("train", train_c), ("dev", dev_c)] {
        println!(
            "{split}: {} comments, accuracy {:.1}%, teaching precision {:.1}%, recall {:.1}%",
            c.total(),
            c.accuracy() * 100.0,
            c.precision() * 100.0,
            c.recall() * 100.0
        );
    }
    println!("\n| signal | weight |\n|---|---|");
    let mut ranked: Vec<(&String, &f64)> = ids.iter().zip(&weights).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1));
    for (id, w) in ranked {
        println!("| {id} | {:+.3} |", w);
    }
    if std::env::var_os("TRAIN_SHOW_DEV_MISSES").is_some() {
        let signals =
            ReviewSignals::parse_with_model(&source, &text, &args.out.display().to_string(), &out)
                .map_err(|e| e.to_string())?;
        let dev_a = teaching::agreement(&corpus, Split::Dev, &signals);
        let train_a = teaching::agreement(&corpus, Split::Train, &signals);
        println!("\n{}", teaching::report(Split::Train, &train_a));
        println!("\n{}", teaching::report(Split::Dev, &dev_a));
    }
    println!("\nwrote {}", args.out.display());
    Ok(())
}
