//! Searching the candidate database: one candidate's debrief and words matched
//! against a filter on stage, each signal's median, a raised red flag and free
//! text. The CLI, the pages and the API load the records and call [`search`].

use super::{Debrief, FlagResolution, Reference, Scorecard, debrief};
use crate::framework::{Framework, Signal};
use serde::Serialize;

/// What to look for. Every field left `None` matches everyone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchFilter {
    /// The stage the candidate is at, exactly.
    pub stage: Option<String>,
    /// Technical depth median at least this (1–4); no median never matches.
    pub min_technical_depth: Option<f64>,
    /// Team multiplier median at least this (1–4); no median never matches.
    pub min_team_multiplier: Option<f64>,
    /// Someone raised this red flag (its id).
    pub flag: Option<String>,
    /// Words, case-insensitive, in the name, scorecard notes, references or evidence.
    pub text: Option<String>,
}

/// One candidate's records, as far as searching reads them.
#[derive(Debug, Clone, Copy)]
pub struct Searchable<'a> {
    pub name: &'a str,
    pub stage: &'a str,
    pub cards: &'a [Scorecard],
    pub references: &'a [Reference],
    pub resolutions: &'a [FlagResolution],
    /// Each piece of evidence as one text (kind, source, body); read only when the
    /// filter has `text`, so callers may leave it empty otherwise.
    pub evidence: &'a [String],
}

/// A candidate that matched, with what the filter was judged on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub technical_depth: Option<f64>,
    pub team_multiplier: Option<f64>,
    pub meets_bar: bool,
    /// The red flags raised, by id.
    pub red_flags: Vec<String>,
    /// The same flags with their title, severity and whether resolved.
    pub flags: Vec<super::FlagBadge>,
}

fn median(d: &Debrief, signal: Signal) -> Option<f64> {
    d.signals
        .iter()
        .find(|v| v.signal == signal)
        .and_then(|v| v.median)
}

/// Whether `filter.text` is a word of this candidate's records.
fn has_text(c: &Searchable<'_>, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    let notes = c.cards.iter().flat_map(|k| k.notes.values());
    let refs = c
        .references
        .iter()
        .flat_map(|r| [&r.answer, &r.example].into_iter());
    std::iter::once(c.name)
        .chain(notes.map(String::as_str))
        .chain(refs.map(String::as_str))
        .chain(c.evidence.iter().map(String::as_str))
        .any(|t| t.to_lowercase().contains(&needle))
}

/// The candidate's hit when it matches `filter`, else `None`.
pub fn search(
    framework: &Framework,
    filter: &SearchFilter,
    c: &Searchable<'_>,
) -> Option<SearchHit> {
    if filter.stage.as_ref().is_some_and(|s| s != c.stage) {
        return None;
    }
    if let Some(text) = &filter.text
        && !has_text(c, text)
    {
        return None;
    }
    let d = debrief(framework, c.cards, c.references, c.resolutions);
    let hit = SearchHit {
        technical_depth: median(&d, Signal::TechnicalDepth),
        team_multiplier: median(&d, Signal::TeamMultiplier),
        meets_bar: d.meets_bar,
        red_flags: d.red_flags.iter().map(|f| f.id.clone()).collect(),
        flags: d.red_flags.iter().map(super::FlagView::badge).collect(),
    };
    let at_least = |v: Option<f64>, min: Option<f64>| min.is_none_or(|m| v.is_some_and(|v| v >= m));
    let keep = at_least(hit.technical_depth, filter.min_technical_depth)
        && at_least(hit.team_multiplier, filter.min_team_multiplier)
        && filter
            .flag
            .as_ref()
            .is_none_or(|f| hit.red_flags.contains(f));
    keep.then_some(hit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{RaisedFlag, Recommendation};
    use crate::score::Score;
    use std::collections::BTreeMap;

    fn fw() -> Framework {
        Framework::default_framework().unwrap()
    }

    fn card(stage: &str, who: &str, depth: i64, multi: i64, flag: Option<&str>) -> Scorecard {
        let f = fw();
        let feeds = f
            .stage(stage)
            .map(|s| s.signals.clone())
            .unwrap_or_default();
        let mut scores = BTreeMap::new();
        for (s, n) in [
            (Signal::TechnicalDepth, depth),
            (Signal::TeamMultiplier, multi),
        ] {
            if feeds.contains(&s) {
                scores.insert(s, Score::new(n).unwrap());
            }
        }
        Scorecard {
            stage: stage.into(),
            interviewer: who.into(),
            notes: BTreeMap::from([(Signal::TeamMultiplier, "taught the N+1 fix".into())]),
            scores,
            red_flags: flag
                .map(|id| {
                    vec![RaisedFlag {
                        id: id.into(),
                        note: "seen".into(),
                    }]
                })
                .unwrap_or_default(),
            recommendation: Recommendation::Yes,
            version: 1,
            amendment_reason: None,
        }
    }

    fn one<'a>(name: &'a str, cards: &'a [Scorecard]) -> Searchable<'a> {
        Searchable {
            name,
            stage: "debrief",
            cards,
            references: &[],
            resolutions: &[],
            evidence: &[],
        }
    }

    #[test]
    fn an_empty_filter_matches_and_reports_both_medians() {
        let f = fw();
        let cards = [card("code-review", "ana", 3, 4, None)];
        let hit = search(&f, &SearchFilter::default(), &one("Dana", &cards)).unwrap();
        assert_eq!(hit.team_multiplier, Some(4.0));
        assert!(hit.red_flags.is_empty());
    }

    #[test]
    fn a_minimum_excludes_lower_and_missing_medians() {
        let f = fw();
        let cards = [card("code-review", "ana", 2, 2, None)];
        let high = SearchFilter {
            min_team_multiplier: Some(3.0),
            ..SearchFilter::default()
        };
        assert_eq!(search(&f, &high, &one("Dana", &cards)), None);
        assert_eq!(search(&f, &high, &one("Dana", &[])), None);
        let low = SearchFilter {
            min_team_multiplier: Some(2.0),
            ..SearchFilter::default()
        };
        assert!(search(&f, &low, &one("Dana", &cards)).is_some());
    }

    #[test]
    fn stage_flag_and_text_each_narrow_the_result() {
        let f = fw();
        let flag = f.red_flags.first().map(|r| r.id.clone()).unwrap();
        let cards = [card("code-review", "ana", 3, 3, Some(&flag))];
        let c = one("Dana Reyes", &cards);
        let by = |filter: SearchFilter| search(&f, &filter, &c).is_some();
        assert!(by(SearchFilter {
            stage: Some("debrief".into()),
            ..SearchFilter::default()
        }));
        assert!(!by(SearchFilter {
            stage: Some("offer".into()),
            ..SearchFilter::default()
        }));
        assert!(by(SearchFilter {
            flag: Some(flag.clone()),
            ..SearchFilter::default()
        }));
        assert!(!by(SearchFilter {
            flag: Some("no-such-flag".into()),
            ..SearchFilter::default()
        }));
        assert!(by(SearchFilter {
            text: Some("N+1 FIX".into()),
            ..SearchFilter::default()
        }));
        assert!(by(SearchFilter {
            text: Some("reyes".into()),
            ..SearchFilter::default()
        }));
        assert!(!by(SearchFilter {
            text: Some("kubernetes".into()),
            ..SearchFilter::default()
        }));
    }

    #[test]
    fn evidence_text_is_searched() {
        let f = fw();
        let evidence = ["code-review-grade grade.json {\"eager loading\": 1}".to_string()];
        let c = Searchable {
            evidence: &evidence,
            ..one("Sam", &[])
        };
        let filter = SearchFilter {
            text: Some("eager loading".into()),
            ..SearchFilter::default()
        };
        assert!(search(&f, &filter, &c).is_some());
    }
}
