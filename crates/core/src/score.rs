//! Small value types with their rules built in: parse once at the edge, trust after.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A whole percentage, 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Percent(u8);

impl Percent {
    pub fn new(value: i64) -> Result<Self, String> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Percent)
            .ok_or_else(|| format!("{value} is not a percentage from 0 to 100"))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// A rubric score, 1–4. Deserialising checks the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Score(u8);

impl TryFrom<i64> for Score {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        Score::new(value)
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

impl Score {
    pub const ALL: [Score; 4] = [Score(1), Score(2), Score(3), Score(4)];

    pub fn new(value: i64) -> Result<Self, String> {
        match value {
            1..=4 => Ok(Score(value as u8)),
            _ => Err(format!("{value} is not a score from 1 to 4")),
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A bar on the 1–4 rubric scale (may be fractional, e.g. 2.5).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Bar(f64);

impl Bar {
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Bar {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        if (1.0..=4.0).contains(&value) {
            Ok(Bar(value))
        } else {
            Err(format!("bar {value} is outside the 1–4 scale"))
        }
    }
}

impl From<Bar> for f64 {
    fn from(bar: Bar) -> f64 {
        bar.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_accepts_0_to_100_only() {
        assert_eq!(Percent::new(0).map(Percent::get), Ok(0));
        assert_eq!(Percent::new(100).map(Percent::get), Ok(100));
        assert!(Percent::new(101).is_err());
        assert!(Percent::new(-1).is_err());
    }

    #[test]
    fn score_accepts_1_to_4_only() {
        assert!(Score::new(0).is_err());
        assert_eq!(Score::new(4).map(Score::get), Ok(4));
        assert!(Score::new(5).is_err());
    }

    #[test]
    fn score_deserialises_only_in_range() {
        assert_eq!(
            serde_json::from_str::<Score>("3").map(Score::get).ok(),
            Some(3)
        );
        assert!(serde_json::from_str::<Score>("5").is_err());
        assert_eq!(serde_json::to_string(&Score(2)).ok().as_deref(), Some("2"));
    }

    #[test]
    fn bar_rejects_values_off_the_scale() {
        assert!(Bar::try_from(0.5).is_err());
        assert!(Bar::try_from(2.5).is_ok());
        assert!(Bar::try_from(4.5).is_err());
    }
}
