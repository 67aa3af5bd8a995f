//! The job-description linter. Missing-fact rules look for a fact anywhere in the
//! document (so they report no line); phrase rules report every occurrence with its
//! line; the gendered-wording rule lists each coded word it counted as evidence.

use super::markdown::prose;
use super::text::{Unit, units};
use super::words::{LintWords, words_of};
use crate::source::LineIndex;
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub const IC_SPLIT_MISSING: &str = "ic-split-missing";
pub const TEAM_SHAPE_MISSING: &str = "team-shape-missing";
pub const BASELINE_MISSING: &str = "baseline-missing";
pub const SUCCESS_CRITERIA_MISSING: &str = "success-criteria-missing";
pub const SCOPE_EXCLUSIONS_MISSING: &str = "scope-exclusions-missing";
pub const VAGUE_PHRASE: &str = "vague-phrase";
pub const GENDERED_WORDING: &str = "gendered-wording";

/// Every rule, with what it checks.
pub const RULES: &[(&str, &str)] = &[
    (
        IC_SPLIT_MISSING,
        "no stated split between coding and leading",
    ),
    (
        TEAM_SHAPE_MISSING,
        "neither the team's size nor its seniority mix",
    ),
    (
        BASELINE_MISSING,
        "no current measurement of the team's delivery or system (time, rate, users or requests, percentage, latency)",
    ),
    (
        SUCCESS_CRITERIA_MISSING,
        "no measurable outcome at a stated horizon",
    ),
    (
        SCOPE_EXCLUSIONS_MISSING,
        "never says what the role will not do, or what stays with someone else",
    ),
    (VAGUE_PHRASE, "a hollow or generic phrase (each occurrence)"),
    (
        GENDERED_WORDING,
        "masculine-coded words outweigh feminine-coded ones, per 1,000 words and above a minimum count (Gaucher, Friesen & Kay 2011)",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coding {
    Masculine,
    Feminine,
}

/// A coded word counted by the gendered-wording rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodedWord {
    pub word: String,
    pub line: usize,
    pub coding: Coding,
    /// The list entry it matched (a word, or a stem ending in `*`).
    pub entry: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    /// 1-based; null for a rule about the whole document.
    pub line: Option<usize>,
    /// The matched text (empty when a fact is missing).
    pub text: String,
    pub message: String,
    pub hint: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<CodedWord>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub findings: usize,
    /// Findings per rule id (rules with none are listed with 0).
    pub rules: BTreeMap<&'static str, usize>,
    pub words: usize,
    pub masculine: usize,
    pub feminine: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LintReport {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

const NUM_WORD: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|dozen|a couple|a few";

/// Compile a constant pattern. Every pattern here is exercised by the tests, so a
/// typo fails them rather than a user's run.
#[allow(clippy::expect_used)]
fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("NUM", &format!(r"(?:\d+(?:[.,]\d+)?|{NUM_WORD})")))
        .expect("constant pattern compiles")
}

static SPLIT_QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b\d{1,3}\s*/\s*\d{1,3}\b",
        r"|\b\d{1,3}\s*(?:%|percent\b|per cent\b)",
        r"|\b(?:half|a third|one third|two thirds|a quarter|one quarter|three quarters|most|the majority|a majority|the bulk)\s+(?:of\s+)?(?:your|the|their|each|every|a)?\s*(?:time|week|day|days|hours|working)",
        r"|\b(?:one|two|three|four|\d)\s+(?:full\s+)?days?\s+(?:a|per|each|of\s+the|of\s+your|every)\s+week",
        r"|\bhalf\s+(?:and\s+half\s+)?(?:coding|code|hands-on|leading|leadership|development|programming)",
        r"|\b50/50\b",
    ))
});
static SPLIT_TERM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:cod(?:e|es|ing)|hands[- ]on|ic|i\.c\.|individual[- ]contribut\w*|programming|writing software|building|engineering work|leadership|leading|lead|leader|management|managing|mentoring|guiding)\b",
    )
});
static TEAM_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bNUM\s+(?:[\w-]+\s+){0,2}(?:engineers?|developers?|devs|people|members|ics|programmers|testers|data scientists|designers|seniors|juniors)\b|\b(?:team|group|squad) of\s+NUM\b|\bwe(?:'re| are)\s+NUM\b",
    )
});
static TEAM_MIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bNUM\s+(?:[\w-]+\s+){0,2}?(?:seniors?|juniors?|mid[- ]?level|mid|mids|staff|principals?|graduates?|intermediates?|entry[- ]level|apprentices?|interns?)\b|\b(?:seniors?|juniors?|mid[- ]?level|staff)\s*(?:engineers?)?\s*[:=(]\s*NUM|\b(?:mostly|all|largely|mainly)\s+(?:seniors?|juniors?|mid[- ]?level)|\bNUM\s+of\s+(?:them|whom)\s+(?:are\s+)?(?:seniors?|juniors?|mid[- ]?level)|\ball\s+(?:seniors?|juniors?|mid[- ]?level)\b|\b(?:seniors?|juniors?|mid[- ]?level)-heavy\b",
    )
});
static METRIC_TERM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:deploy\w*|release\w*|ship\w*|rollouts?|review (?:time|cycle|turnaround|queue|latency)s?|reviews?\s+(?:take|takes|took|wait|waits|averages?|sits?|lasts?)|first reviews?|pull requests?|prs?|merge\w*|builds?|pipelines?|ci|incidents?|outages?|downtime|pages|paged|on-call|users?|subscribers?|dau|mau|wau|customers?|merchants?|requests?|calls?|queries|searches|rps|qps|events?|transactions?|orders?|bookings?|messages?|pushes|emails|sessions?|visits?|sign-?ups?|posts|invoices?|appointments?|claims?|renewals?|readings?|meters?|tiles|prices|stores|tb|gb|pb|terabytes?|gigabytes?|records|rows|uptime|latency|p50|p90|p95|p99|median|error rate|errors?|lead time|failure rate|change failure|mttr|restore\w*|rollbacks?|rolled back|hotfix\w*|crash\w*|conversion|converts?|hit rate|takes?|took|wait\w*|fail\w*|late|stall\w*|slip\w*|overr[au]n\w*|processed|delay|retries|re-runs?|manual (?:fix|fixes|correction|corrections|re-run|re-runs|step|steps))\b",
    )
});
/// A number with the unit of a measurement: a time, a rate, a percentage, a
/// latency, a count of users, requests or events, or a cadence.
static MEASURED: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\bNUM\s*(?:%|percent\b|per cent\b)",
        r"|\bNUM\s*(?:ms|milliseconds?|µs|microseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|working days?|working hours?)\b",
        r"|\bNUM\s*(?:k|m|bn|million|thousand|billion)?\s+(?:[\w-]+\s+){0,2}?(?:users?|subscribers?|customers?|merchants?|requests?|calls?|queries|searches|events?|transactions?|orders?|bookings?|messages?|pushes|emails|sessions?|visits?|posts|invoices?|appointments?|claims?|readings?|meters|tiles|prices|releases?|deploy\w*|incidents?|outages?|rollbacks?|hotfix\w*|builds?|runs?|reports?|renewals?|hours of video|clinics|stores|players)\b",
        r"|\bNUM\s*(?:k|m|bn|million|thousand|billion)\b",
        r"|\bNUM\s*(?:tb|gb|pb|terabytes?|gigabytes?)\b",
        r"|\b(?:per|a|each|every)\s+(?:second|minute|hour|day|week|fortnight|month|quarter|sprint|night|release|deploy)\b",
        r"|/\s*(?:s|sec|second|min|minute|h|hour|day|week)\b",
        r"|\b(?:rps|qps)\b",
        r"|\b(?:once|twice|daily|weekly|fortnightly|monthly|nightly|hourly|quarterly)\b",
        r"|\b(?:one|a|NUM)\s+(?:in|of|out of)\s+(?:every\s+)?NUM\b",
        r"|\b(?:a quarter|a third|half|a fifth|a tenth|almost all|most) of (?:our |the |all )?(?:releases|deploys|deployments|builds|runs|requests|orders|users|searches|sessions|readings)\b",
        r"|\b(?:p50|p90|p95|p99|median|average|mean)\b[^.;]{0,30}\bNUM\b",
    ))
});
/// Design rules and targets: a sentence with one of these states what the system
/// must do, not what it does today.
static DESIGN_RULE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:rpo|rto|slo|slos|sla|slas|designed for|target|targets|objective|budget|must|requirement|guarantee\w*|compliance|certified|soc 2|iso 27001|wants? it|want it|aim|goal)\b",
    )
});
/// What the candidate will do ("you ship code every week"): the role, not a
/// measurement of the team.
static ROLE_DUTY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\byou(?:'ll|'d|\s+will|\s+would)?\s+(?:\w+\s+)?(?:ship|deploy|release|code|write|review|merge|run)\w*\b",
    )
});
/// Words that place a number in the present, even in a sentence that also states a
/// target ("p95 of 420 ms today, and product wants it under 150 ms").
static TODAY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:today|currently|now|at the moment|at present|right now|these days|last (?:month|quarter|year|week))\b",
    )
});
static HORIZON: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(?:\d{1,2}|one|two|three|four|six|nine|twelve|eighteen)[- ]?(?:months?|weeks?|quarters?|years?)\b",
        r"|\b(?:first|initial)\s+(?:\d{2,3}|thirty|sixty|ninety)\s+days\b",
        r"|\b\d{2,3}[- ]days?\b",
        r"|\bby the end of (?:q[1-4]|the (?:first|second|third) quarter|the (?:first )?year|year one|your first year)\b",
        r"|\b(?:within|after|in|by)\s+(?:a|one|your first|the first|a full)\s+(?:year|quarter|half[- ]year)\b",
        r"|\b(?:month|week|day|quarter|year)\s+(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
        r"|\bhalf a year\b",
    ))
});
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:success\w*|succeed\w*|goals?|targets?|objectives?|measured?|metrics?|expect\w*|will|should|aim\w*|outcomes?|criteria|criterion|milestones?|means|want|like)\b",
    )
});
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\d|\b(?:daily|weekly|hourly|under|below|above|at least|at most|less than|more than|fewer than|no more than|double\w*|halve\w*|half|twice|triple\w*|reduce\w*|increase\w*|cut|zero|without downtime|from\b.+\bto)\b|\b(?:every|each|on any|any)\s+(?:working\s+)?(?:day|week|month|sprint|release|merge|merged change|deploy\w*|quarter|night|hour)\b",
    )
});
static EXCLUSION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(?:you|the role|this role|the lead|the tech lead|the position|this position|this job|this team)\b[^.;:]{0,40}?\b(?:will not|won't|will never|do not|don't|does not|doesn't|are not|aren't|is not|isn't|never|not be)\b",
        r"|\b(?:stays?|remains?|sits?|rests?|lives?|belongs?)\s+with\s+(?:the\s+|your\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:engineering manager|em|manager|product|pm|product manager|head of|cto|hr|people team|team|director|lead|vp)",
        r"|\bnot\s+(?:your (?:job|responsibility)|the lead's|part of (?:the|this) role|part of your|in scope|expected to)\b",
        r"|\bout of scope\b",
        r"|\bis the (?:em|engineering manager|manager)'s\b",
        r"|\b(?:responsibility|job) of (?:the|your|our) (?:[\w-]+\s+){0,2}?(?:engineering manager|em|manager|product manager|pm|director|head of \w+|cto)\b",
        r"|\b(?:no|without|excluding|except)\s+(?:people management|performance reviews|line management|direct reports|hiring decisions)\b",
        r"|\bnot\s+a\s+(?:people[- ]management|line[- ]management|management|manager|people[- ]manager)\s+(?:role|position|job)\b",
        r"|\b(?:the\s+|your\s+|our\s+)?(?:engineering manager|em|product manager|pm|head of [\w-]+|cto|vp [\w-]+|director of [\w-]+|[\w-]+ director|[\w-]+ manager)\s+(?:is responsible for|is accountable for|is in charge of|owns|handles|runs|decides|sets|takes care of|looks after|does|makes)\b",
        r"|\b[\w-]+ team\s+(?:is responsible for|is accountable for|owns|decides|takes care of|looks after)\b",
        r"|\b(?:handled|owned|run|done|decided|made|written|covered|managed|set|taken care of)\s+by\s+(?:the\s+|your\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:engineering manager|em|manager|product manager|pm|head of [\w-]+|cto|director|team)\b",
        r"|\b(?:owned|run)\s+by\s+our\b",
        r"|\b(?:is|are)\s+not\s+part\s+of\s+(?:this|the)\s+role\b",
    ))
});
static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[a-z][a-z'-]*"));

fn has(re: &Regex, text: &str) -> bool {
    re.is_match(text)
}

fn split_stated(u: &Unit) -> bool {
    has(&SPLIT_QUANTITY, &u.text) && has(&SPLIT_TERM, &u.text)
}

fn horizon(text: &str) -> Option<regex::Match<'_>> {
    HORIZON.find_iter(text).find(|m| {
        let after = text[m.end()..].trim_start();
        let before = text[..m.start()].trim_end();
        let experience = after.starts_with("of experience")
            || after.starts_with("experience")
            || after.starts_with("of professional")
            || after.starts_with("of java")
            || after.starts_with("in a ")
            || after.starts_with("of ");
        // "in the last 6 months", "over the past year": today's numbers, not a goal.
        let past = ["last", "past", "previous", "ago"]
            .iter()
            .any(|w| before.ends_with(w) || after.starts_with(w));
        !(experience || past)
    })
}

/// Whether a horizon is written as a point ahead: "by month six", "within a year",
/// "at the 6-month mark", "six months in", "in your first 90 days", "after twelve
/// months".
fn prospective(text: &str, h: &regex::Match<'_>) -> bool {
    let before = text[..h.start()].trim_end();
    let after = text[h.end()..].trim_start();
    let own = h.as_str();
    ["by ", "within ", "after ", "in "]
        .iter()
        .any(|w| own.starts_with(w))
        || [
            "by", "within", "after", "at", "in", "during", "before", "first", "the", "your",
        ]
        .iter()
        .any(|w| before.ends_with(&format!(" {w}")) || before == *w)
        || after.starts_with("in,")
        || after.starts_with("in ")
        || after.starts_with("mark")
        || after.starts_with("- mark")
        || after.starts_with(':')
}

/// A horizon ahead with a goal word, or written as a point ahead; measurable on its
/// own or through the list that follows it.
fn success_at(units: &[Unit], i: usize) -> bool {
    let u = &units[i];
    let Some(h) = horizon(&u.text) else {
        return false;
    };
    if !(has(&FUTURE, &u.text) || prospective(&u.text, &h)) {
        return false;
    }
    let rest = format!("{} {}", &u.text[..h.start()], &u.text[h.end()..]);
    if has(&MEASURE, &rest) {
        return true;
    }
    // A lead-in ("at six months:") or a heading, measured by the list under it.
    let list_measures = units[i + 1..]
        .iter()
        .take_while(|n| n.item)
        .take(8)
        .any(|n| has(&MEASURE, &n.text));
    (u.leads_in || u.text.starts_with('#')) && list_measures
}

/// Today's measurement of the team's delivery or system: a delivery or system term
/// with a measured quantity (a time, a rate, a percentage, a latency, a count of
/// users or requests), in a sentence that is not a design rule or a target.
fn measures_today(u: &Unit) -> bool {
    has(&METRIC_TERM, &u.text)
        && has(&MEASURED, &u.text)
        && !has(&ROLE_DUTY, &u.text)
        && (!has(&DESIGN_RULE, &u.text) || has(&TODAY, &u.text))
}

fn team_size(u: &Unit) -> bool {
    TEAM_SIZE
        .find_iter(&u.text)
        .any(|m| !m.as_str().contains("year"))
}

fn team_mix(u: &Unit) -> bool {
    TEAM_MIX
        .find_iter(&u.text)
        .any(|m| !m.as_str().contains("year"))
}

fn phrase_regex(phrase: &str) -> Option<Regex> {
    let words = words_of(phrase);
    if words.is_empty() {
        return None;
    }
    let body: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    Regex::new(&format!(r"(?i)\b{}\b", body.join(r"[\s\-,]+"))).ok()
}

fn missing(rule: &'static str, message: &str, hint: &str) -> Finding {
    Finding {
        rule,
        line: None,
        text: String::new(),
        message: message.to_string(),
        hint: hint.to_string(),
        evidence: Vec::new(),
    }
}

/// Lint a job description (Markdown or plain text).
pub fn lint(text: &str, words: &LintWords) -> LintReport {
    // What the candidate reads: no comments, code, link targets or URLs (same
    // offsets and lines as `text`).
    let read = prose(text);
    let units = units(&read);
    let mut findings = Vec::new();

    if !units.iter().any(split_stated) {
        findings.push(missing(
            IC_SPLIT_MISSING,
            "The description never says how the week splits between writing code and leading; that one number decides who should apply.",
            "State the split, e.g. \"about 60% of your week is hands-on coding and 40% guiding the team\".",
        ));
    }
    // Either the team's size or its seniority mix tells a candidate what the team is.
    let (size, mix) = (units.iter().any(team_size), units.iter().any(team_mix));
    if !(size || mix) {
        findings.push(missing(
            TEAM_SHAPE_MISSING,
            "The description gives neither the team's size nor its seniority mix: a lead for three mid-level engineers and one for eight with two seniors are different jobs.",
            "Say how many engineers, and ideally at which levels, e.g. \"5 engineers: 2 senior, 3 mid-level\".",
        ));
    }
    let success: Vec<bool> = (0..units.len()).map(|i| success_at(&units, i)).collect();
    // Items of a success list are targets, not today's numbers.
    // One pass: a success unit opens a run that lasts while list items follow it.
    let mut in_success_list = vec![false; units.len()];
    let mut open = false;
    for (i, u) in units.iter().enumerate() {
        if success[i] {
            open = true;
        } else if !u.item {
            open = false;
        }
        in_success_list[i] = open;
    }
    let baseline = units.iter().enumerate().any(|(i, u)| {
        // A split sentence ("60% coding, 40% reviews") and targets are not today's numbers.
        !in_success_list[i] && !split_stated(u) && measures_today(u)
    });
    if !baseline {
        findings.push(missing(
            BASELINE_MISSING,
            "The description has no current measurement of the team's delivery or system: how often it deploys, how long reviews or incidents take, how many users or requests, error rates, latency. Design rules and targets (RPO 0, an SLO) are not measurements.",
            "Add today's numbers, e.g. \"we deploy twice a week; pull requests wait 3.8 days for review; 50K daily users\".",
        ));
    }
    if !success.iter().any(|s| *s) {
        findings.push(missing(
            SUCCESS_CRITERIA_MISSING,
            "The description states no measurable outcome at a stated horizon, so neither side can tell later whether the hire worked.",
            "Add success criteria with a date, e.g. \"at six months: deploy daily, first review within 24 hours\".",
        ));
    }
    if !units.iter().any(|u| has(&EXCLUSION, &u.text)) {
        findings.push(missing(
            SCOPE_EXCLUSIONS_MISSING,
            "The description never says what the role will not do, or what stays with someone else, so title-seekers and would-be managers apply alike.",
            "Say what stays elsewhere, e.g. \"you will not write performance reviews: they stay with the engineering manager\" or \"the engineering manager is responsible for hiring\".",
        ));
    }

    // Vague phrases: every occurrence, the longest phrase winning where two overlap.
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for phrase in &words.vague.phrases {
        if let Some(r) = phrase_regex(phrase) {
            hits.extend(
                r.find_iter(&read)
                    .map(|m| (m.start(), m.end(), phrase.as_str())),
            );
        }
    }
    hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let lines = LineIndex::new(text);
    let mut covered_to = 0;
    for (start, end, phrase) in hits {
        if start < covered_to {
            continue;
        }
        covered_to = end;
        findings.push(Finding {
            rule: VAGUE_PHRASE,
            line: Some(lines.line(start)),
            text: text[start..end].to_string(),
            message: format!(
                "\"{phrase}\" could describe any team; it tells a candidate nothing about this one."
            ),
            hint: words.vague.hint.clone(),
            evidence: Vec::new(),
        });
    }

    let (coded, total_words) = coded_words(text, &read, words);
    let masculine = coded
        .iter()
        .filter(|c| c.coding == Coding::Masculine)
        .count();
    let feminine = coded.len() - masculine;
    let g = &words.gendered;
    let diff = masculine.saturating_sub(feminine);
    let per_1000 = if total_words == 0 {
        0.0
    } else {
        diff as f64 * 1000.0 / total_words as f64
    };
    if diff >= g.min_difference as usize
        && diff > 0
        && masculine >= g.min_masculine as usize
        && per_1000 >= g.min_difference_per_1000_words
    {
        let listed: Vec<String> = coded
            .iter()
            .filter(|c| c.coding == Coding::Masculine)
            .map(|c| format!("{} (line {})", c.word, c.line))
            .collect();
        findings.push(Finding {
            rule: GENDERED_WORDING,
            line: None,
            text: listed.join(", "),
            message: format!(
                "{masculine} masculine-coded and {feminine} feminine-coded words in {total_words} words ({per_1000:.1} more masculine per 1,000 words); such wording measurably puts off women applicants (Gaucher, Friesen & Kay, 2011)."
            ),
            hint: g.hint.clone(),
            evidence: coded,
        });
    }

    let mut rules: BTreeMap<&'static str, usize> = RULES.iter().map(|(id, _)| (*id, 0)).collect();
    for f in &findings {
        *rules.entry(f.rule).or_default() += 1;
    }
    LintReport {
        summary: Summary {
            findings: findings.len(),
            rules,
            words: total_words,
            masculine,
            feminine,
        },
        findings,
    }
}

fn matches_entry(word: &str, entry: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == entry,
    }
}

/// The words of the posting's own title: its first heading, or its first line when
/// that is short and not a sentence.
fn title_words(read: &str) -> Vec<String> {
    let first = read
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with('#'))
        .or_else(|| {
            read.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .filter(|l| l.split_whitespace().count() <= 8 && !l.ends_with('.'))
        })
        .unwrap_or_default();
    WORD.find_iter(&first.to_ascii_lowercase())
        .map(|m| {
            m.as_str()
                .trim_matches(|c| c == '\'' || c == '-')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every coded word of the prose, after removing the excluded phrases, the role's
/// words and the title's words; and the word count. `text` is the original (for the
/// evidence), `read` the prose (same offsets).
fn coded_words(text: &str, read: &str, words: &LintWords) -> (Vec<CodedWord>, usize) {
    let g = &words.gendered;
    // ASCII lower-casing keeps byte offsets, so lines stay right.
    let mut lower = read.to_ascii_lowercase();
    let total = WORD.find_iter(&lower).count();
    let lines = LineIndex::new(text);
    for phrase in &g.exclude {
        if let Some(r) = phrase_regex(phrase) {
            let spans: Vec<(usize, usize)> =
                r.find_iter(&lower).map(|m| (m.start(), m.end())).collect();
            for (s, e) in spans {
                // Same byte length as the match (a multi-byte space becomes as many
                // spaces), so every later offset still points into `text` correctly.
                let blank: String = lower[s..e]
                    .chars()
                    .flat_map(|c| match c {
                        '\n' => std::iter::repeat_n('\n', 1),
                        other => std::iter::repeat_n(' ', other.len_utf8()),
                    })
                    .collect();
                lower.replace_range(s..e, &blank);
            }
        }
    }
    let mut skip: Vec<String> = g.role_words.clone();
    skip.extend(title_words(read));
    let lists = [
        (Coding::Masculine, &g.masculine),
        (Coding::Feminine, &g.feminine),
    ];
    let mut out = Vec::new();
    for m in WORD.find_iter(&lower) {
        let token = m.as_str().trim_matches(|c| c == '\'' || c == '-');
        if skip.iter().any(|w| w == token) {
            continue;
        }
        let candidates: Vec<&str> = std::iter::once(token)
            .chain(token.split('-').filter(|p| !p.is_empty()))
            .filter(|c| !skip.iter().any(|w| w == c))
            .collect();
        'token: for candidate in candidates {
            for (coding, list) in lists {
                if let Some(entry) = list.iter().find(|e| matches_entry(candidate, e)) {
                    out.push(CodedWord {
                        word: text.get(m.start()..m.end()).unwrap_or_default().to_string(),
                        line: lines.line(m.start()),
                        coding,
                        entry: entry.clone(),
                    });
                    break 'token;
                }
            }
        }
    }
    (out, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constant_pattern_compiles() {
        for r in [
            &SPLIT_QUANTITY,
            &SPLIT_TERM,
            &TEAM_SIZE,
            &TEAM_MIX,
            &METRIC_TERM,
            &MEASURED,
            &DESIGN_RULE,
            &ROLE_DUTY,
            &TODAY,
            &HORIZON,
            &FUTURE,
            &MEASURE,
            &EXCLUSION,
            &WORD,
        ] {
            assert!(!r.as_str().is_empty());
        }
    }

    #[test]
    fn stems_match_prefixes_and_words_match_exactly() {
        assert!(matches_entry("leadership", "lead*"));
        assert!(!matches_entry("kindly", "kind"));
        assert!(matches_entry("kind", "kind"));
    }
}
