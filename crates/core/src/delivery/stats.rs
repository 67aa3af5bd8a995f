//! Medians and percentiles, interpolated between ranks.

use serde::{Deserialize, Serialize};

/// The `p`-th percentile (0–100) of `values` by linear interpolation between
/// closest ranks (the method of numpy's default and Excel's PERCENTILE.INC):
/// rank = p/100 × (n − 1), interpolating between the values either side.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let rank = (p.clamp(0.0, 100.0) / 100.0) * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let frac = rank - lo as f64;
    Some(v[lo] + (v[hi] - v[lo]) * frac)
}

/// Median and 90th percentile of a set of durations in hours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl Summary {
    pub fn of(values: &[f64]) -> Summary {
        Summary {
            median: percentile(values, 50.0).map(round2),
            p90: percentile(values, 90.0).map(round2),
        }
    }
}

/// Two decimals: enough for hours, stable in JSON.
pub(crate) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_interpolates_between_the_middle_values() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.5));
        assert_eq!(percentile(&[5.0, 1.0, 3.0], 50.0), Some(3.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn p90_interpolates_between_ranks() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        // rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
        let p = percentile(&v, 90.0).expect("p90");
        assert!((p - 9.1).abs() < 1e-9);
        assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
    }
}
