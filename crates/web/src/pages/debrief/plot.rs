//! The two-signal plot, drawn on the server as SVG: technical depth across,
//! team multiplier up, both on the 1–4 scale; each candidate a labelled point at
//! their two medians; each signal's bar drawn as a line; the corner that clears
//! both bars shaded. It carries a `<title>` and a `<desc>`, and the page puts a
//! table with the same numbers beside it.

use maud::{Markup, html};
use multiplier_core::pipeline::score_text;

/// One candidate on the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub candidate: i64,
    pub label: String,
    /// Technical-depth median.
    pub x: f64,
    /// Team-multiplier median.
    pub y: f64,
    /// The policy's reading: both signals clear and nothing blocks.
    pub meets_bar: bool,
}

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 430.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 464.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 370.0;

fn sx(v: f64) -> f64 {
    LEFT + (v.clamp(1.0, 4.0) - 1.0) / 3.0 * (RIGHT - LEFT)
}

fn sy(v: f64) -> f64 {
    BOTTOM - (v.clamp(1.0, 4.0) - 1.0) / 3.0 * (BOTTOM - TOP)
}

/// A coordinate, to a tenth of a unit (a tenth of a pixel at the plot's
/// size), written from the tenths as a whole number: a float's shortest form
/// ("194.66666666666666") made the SVG half of the debrief page's bytes and
/// its formatting a few per cent of the page's time.
#[derive(Debug, Clone, Copy)]
struct Px(f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Saturating for values no plot has; NaN reads as 0.
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
        if tenth == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{tenth}")
        }
    }
}

/// Where a point's label goes.
#[derive(Debug, Clone, PartialEq)]
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
    /// Moved away from its point: drawn with a leader line.
    moved: bool,
}

/// Height of a label line, and a rough width per character at font size 12.
const LINE: f64 = 14.0;
/// How far a label's letters reach below its baseline, with a margin.
const LABEL_DESCENT: f64 = 6.0;
const CHAR: f64 = 7.0;

/// Labels beside their points (to the left near the right edge). Points are
/// labelled from the top of the plot down, so candidates on the same spot get
/// consecutive lines; a label that overlaps one already placed moves down a line
/// at a time, and one moved away from its point gets a leader line back to it.
fn place_labels(points: &[Point]) -> Vec<Label> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        let (p, q) = (&points[a], &points[b]);
        q.y.total_cmp(&p.y).then(p.x.total_cmp(&q.x))
    });
    let mut placed: Vec<(f64, f64, f64)> = Vec::new(); // (from x, to x, baseline y)
    let mut labels: Vec<Option<Label>> = vec![None; points.len()];
    for i in order {
        let p = &points[i];
        let (cx, cy) = (sx(p.x), sy(p.y));
        let width = CHAR * p.label.chars().count() as f64;
        let left = cx + 10.0 + width > WIDTH;
        let (from, to) = if left {
            (cx - 10.0 - width, cx - 10.0)
        } else {
            (cx + 10.0, cx + 10.0 + width)
        };
        let natural = cy + 4.0;
        let mut y = natural;
        while placed
            .iter()
            .any(|(a, b, py)| from < *b && *a < to && (y - py).abs() < LINE)
        {
            y += LINE;
        }
        placed.push((from, to, y));
        labels[i] = Some(Label {
            x: if left { cx - 10.0 } else { cx + 10.0 },
            y,
            anchor: if left { "end" } else { "start" },
            moved: y > natural,
        });
    }
    labels.into_iter().flatten().collect()
}

/// The SVG. `key` makes the ids of `<title>` and `<desc>` unique on the page.
pub fn plot(points: &[Point], bar_x: f64, bar_y: f64, title: &str, key: &str) -> Markup {
    let title_id = format!("{key}-title");
    let desc_id = format!("{key}-desc");
    let desc = format!(
        "Technical depth runs across from 1 to 4 and team multiplier up from 1 to 4. \
         The technical-depth bar is the vertical line at {}, the team-multiplier bar the \
         horizontal line at {}; the shaded corner at the top right clears both. {} candidate(s) \
         are plotted at their median scores; the table that follows gives the same numbers.",
        score_text(bar_x),
        score_text(bar_y),
        points.len()
    );
    let labels = place_labels(points);
    // Labels moved down past the plot (many candidates near one spot) make
    // the drawing taller rather than fall outside it.
    let height = labels
        .iter()
        .map(|l| l.y + LABEL_DESCENT)
        .fold(HEIGHT, f64::max);
    html! {
        svg.plot xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (Px(height)) }
            role="img" aria-labelledby={ (title_id) " " (desc_id) } {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (desc) }
            rect x=(LEFT) y=(TOP) width=(RIGHT - LEFT) height=(BOTTOM - TOP) fill="#ffffff" stroke="#4a5360" {}
            rect.clears-both x=(Px(sx(bar_x))) y=(TOP) width=(Px(RIGHT - sx(bar_x))) height=(Px(sy(bar_y) - TOP))
                fill="#dff0e3" {}
            text x=(RIGHT - 6.0) y=(TOP + 16.0) text-anchor="end" font-size="12" fill="#1d6b33" { "clears both bars" }
            @for v in 1..=4 {
                @let v = f64::from(v);
                line x1=(Px(sx(v))) y1=(BOTTOM) x2=(Px(sx(v))) y2=(BOTTOM + 5.0) stroke="#4a5360" {}
                text x=(Px(sx(v))) y=(BOTTOM + 19.0) text-anchor="middle" font-size="12" fill="#1b1f24" { (v) }
                line x1=(LEFT - 5.0) y1=(Px(sy(v))) x2=(LEFT) y2=(Px(sy(v))) stroke="#4a5360" {}
                text x=(LEFT - 9.0) y=(Px(sy(v) + 4.0)) text-anchor="end" font-size="12" fill="#1b1f24" { (v) }
            }
            line."bar-line"."bar-technical-depth" x1=(Px(sx(bar_x))) y1=(TOP) x2=(Px(sx(bar_x))) y2=(BOTTOM)
                stroke="#0b5cad" stroke-width="2" stroke-dasharray="6 4" {}
            text x=(Px(sx(bar_x) + 4.0)) y=(BOTTOM - 6.0) font-size="11" fill="#0b5cad" { "depth bar " (score_text(bar_x)) }
            line."bar-line"."bar-team-multiplier" x1=(LEFT) y1=(Px(sy(bar_y))) x2=(RIGHT) y2=(Px(sy(bar_y)))
                stroke="#0b5cad" stroke-width="2" stroke-dasharray="6 4" {}
            text x=(LEFT + 4.0) y=(Px(sy(bar_y) - 5.0)) font-size="11" fill="#0b5cad" { "multiplier bar " (score_text(bar_y)) }
            text x=((LEFT + RIGHT) / 2.0) y=(HEIGHT - 16.0) text-anchor="middle" font-size="13" fill="#1b1f24" {
                "Technical depth (median, 1–4)" }
            text x="0" y="0" transform={ "translate(16 " ((TOP + BOTTOM) / 2.0) ") rotate(-90)" }
                text-anchor="middle" font-size="13" fill="#1b1f24" { "Team multiplier (median, 1–4)" }
            @for (p, label) in points.iter().zip(&labels) {
                @let (cx, cy) = (Px(sx(p.x)), Px(sy(p.y)));
                g.point data-candidate=(p.candidate) {
                    title { (p.label) ": technical depth " (score_text(p.x)) ", team multiplier " (score_text(p.y))
                        @if p.meets_bar { ", meets the bar" } @else { ", does not meet the bar" } }
                    @if p.meets_bar {
                        circle cx=(cx) cy=(cy) r="6" fill="#1d6b33" stroke="#1b1f24" {}
                    } @else {
                        circle cx=(cx) cy=(cy) r="6" fill="#ffffff" stroke="#a4231c" stroke-width="3" {}
                    }
                    @if label.moved {
                        line.leader x1=(cx) y1=(cy) x2=(Px(if label.anchor == "end" { label.x + 2.0 } else { label.x - 2.0 })) y2=(Px(label.y - 4.0))
                            stroke="#4a5360" stroke-width="1" {}
                    }
                    text x=(Px(label.x)) y=(Px(label.y)) text-anchor=(label.anchor) font-size="12" fill="#1b1f24"
                        stroke="#ffffff" stroke-width="3" paint-order="stroke" { (p.label) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: i64, x: f64, y: f64) -> Point {
        Point {
            candidate: id,
            label: format!("C{id}"),
            x,
            y,
            meets_bar: x >= 3.0 && y >= 3.0,
        }
    }

    #[test]
    fn the_scale_maps_one_to_four_onto_the_plot_area() {
        assert_eq!((sx(1.0), sx(4.0)), (LEFT, RIGHT));
        assert_eq!((sy(1.0), sy(4.0)), (BOTTOM, TOP));
        assert_eq!(sx(9.0), RIGHT, "off-scale values stay inside");
    }

    #[test]
    fn every_point_and_both_bars_are_drawn_and_labels_are_escaped() {
        let mut pts = vec![point(1, 3.5, 3.0), point(2, 4.0, 2.0)];
        pts[1].label = "<b>".to_string();
        let svg = plot(&pts, 3.0, 3.0, "Both signals", "k").into_string();
        assert_eq!(svg.matches(r#"<g class="point""#).count(), 2);
        assert!(svg.contains(r#"class="bar-line bar-technical-depth""#));
        assert!(svg.contains(r#"class="bar-line bar-team-multiplier""#));
        assert!(svg.contains("<title id=\"k-title\">Both signals</title>"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
    }

    #[test]
    fn labels_never_overlap_even_for_nearby_points() {
        let pts = [point(1, 3.0, 3.33), point(2, 3.0, 3.33), point(3, 3.0, 3.0)];
        let labels = place_labels(&pts);
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!((a.y - b.y).abs() >= LINE, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn labels_of_one_spot_stay_together_and_moved_labels_get_a_leader() {
        // Given out of order: the lower point first.
        let pts = [
            point(1, 3.0, 3.0),
            point(2, 3.0, 3.33),
            point(3, 3.0, 3.33),
            point(4, 3.0, 3.33),
        ];
        let labels = place_labels(&pts);
        let top = sy(3.33) + 4.0;
        assert_eq!(
            (labels[1].y, labels[2].y, labels[3].y),
            (top, top + LINE, top + 2.0 * LINE)
        );
        assert!(!labels[1].moved && labels[2].moved && labels[3].moved);
        // The lower point's own line is taken by the third name: it moves below.
        assert!(labels[0].y >= top + 3.0 * LINE && labels[0].moved);
        let svg = plot(&pts, 3.0, 3.0, "t", "k").into_string();
        assert_eq!(svg.matches(r#"class="leader""#).count(), 3);
    }

    #[test]
    fn coordinates_are_written_to_a_tenth() {
        let cases = [
            (194.666_666_666_666_66, "194.7"),
            (135.333_333_333_333_34, "135.3"),
            (60.0, "60"),
            (0.04, "0"),
            (-2.25, "-2.3"),
            (-0.5, "-0.5"),
            (f64::NAN, "0"),
        ];
        for (v, text) in cases {
            assert_eq!(Px(v).to_string(), text, "{v}");
        }
        // Every number an attribute holds is whole or has one decimal.
        let svg = plot(&[point(1, 10.0 / 3.0, 2.0 / 3.0 + 1.0)], 3.0, 3.0, "t", "k").into_string();
        let values: Vec<&str> = svg.split('"').skip(1).step_by(2).collect();
        let numbers: Vec<&&str> = values.iter().filter(|v| v.parse::<f64>().is_ok()).collect();
        assert!(numbers.len() > 20, "{svg}");
        for number in numbers {
            let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 1, "{number} in {svg}");
        }
        assert!(
            svg.contains("technical depth 3.33, team multiplier 1.67"),
            "{svg}"
        );
    }

    #[test]
    fn the_drawing_grows_to_hold_every_label() {
        // Fifty candidates on one spot near the bottom: their labels stack
        // far below the plot area.
        let pts: Vec<Point> = (0..50).map(|i| point(i, 2.0, 1.5)).collect();
        let labels = place_labels(&pts);
        let lowest = labels.iter().map(|l| l.y).fold(0.0, f64::max);
        assert!(
            lowest > HEIGHT,
            "the case needs labels past the default height"
        );
        let svg = plot(&pts, 3.0, 3.0, "t", "k").into_string();
        let view = svg
            .split("viewBox=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a viewBox");
        let height: f64 = view.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(
            height >= lowest + LABEL_DESCENT - 0.05,
            "{view} for {lowest}"
        );
        // A plot whose labels fit keeps its size.
        let small = plot(&[point(1, 3.0, 3.0)], 3.0, 3.0, "t", "k").into_string();
        assert!(
            small.contains(&format!("viewBox=\"0 0 {WIDTH} {HEIGHT}\"")),
            "{small}"
        );
    }

    #[test]
    fn points_on_the_same_spot_get_stacked_labels() {
        let svg = plot(
            &[point(1, 3.0, 3.0), point(2, 3.0, 3.0)],
            3.0,
            3.0,
            "t",
            "k",
        )
        .into_string();
        let y = sy(3.0) + 4.0;
        assert!(svg.contains(&format!(r#"y="{}""#, Px(y))));
        assert!(svg.contains(&format!(r#"y="{}""#, Px(y + 14.0))));
    }
}
