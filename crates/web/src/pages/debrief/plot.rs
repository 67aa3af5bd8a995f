//! The two-signal plot, drawn on the server as SVG: technical depth across,
//! team multiplier up, both on the 1–4 scale; each candidate a labelled point at
//! their two medians; each signal's bar drawn as a line; the corner that clears
//! both bars shaded. It carries a `<title>` and a `<desc>`, and the page puts a
//! table with the same numbers beside it.

use maud::{Markup, html};

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

fn n(v: f64) -> String {
    format!("{v:.1}")
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
        n(bar_x),
        n(bar_y),
        points.len()
    );
    // Points on the same spot get their labels stacked instead of overprinted.
    let mut seen: Vec<(i64, i64)> = Vec::new();
    let placed: Vec<(&Point, usize)> = points
        .iter()
        .map(|p| {
            let spot = ((p.x * 100.0).round() as i64, (p.y * 100.0).round() as i64);
            let nth = seen.iter().filter(|s| **s == spot).count();
            seen.push(spot);
            (p, nth)
        })
        .collect();
    html! {
        svg.plot xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (HEIGHT) }
            role="img" aria-labelledby={ (title_id) " " (desc_id) } {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (desc) }
            rect x=(LEFT) y=(TOP) width=(RIGHT - LEFT) height=(BOTTOM - TOP) fill="#ffffff" stroke="#4a5360" {}
            rect.clears-both x=(sx(bar_x)) y=(TOP) width=(RIGHT - sx(bar_x)) height=(sy(bar_y) - TOP)
                fill="#dff0e3" {}
            text x=(RIGHT - 6.0) y=(TOP + 16.0) text-anchor="end" font-size="12" fill="#1d6b33" { "clears both bars" }
            @for v in 1..=4 {
                @let v = f64::from(v);
                line x1=(sx(v)) y1=(BOTTOM) x2=(sx(v)) y2=(BOTTOM + 5.0) stroke="#4a5360" {}
                text x=(sx(v)) y=(BOTTOM + 19.0) text-anchor="middle" font-size="12" fill="#1b1f24" { (v) }
                line x1=(LEFT - 5.0) y1=(sy(v)) x2=(LEFT) y2=(sy(v)) stroke="#4a5360" {}
                text x=(LEFT - 9.0) y=(sy(v) + 4.0) text-anchor="end" font-size="12" fill="#1b1f24" { (v) }
            }
            line."bar-line"."bar-technical-depth" x1=(sx(bar_x)) y1=(TOP) x2=(sx(bar_x)) y2=(BOTTOM)
                stroke="#0b5cad" stroke-width="2" stroke-dasharray="6 4" {}
            text x=(sx(bar_x) + 4.0) y=(BOTTOM - 6.0) font-size="11" fill="#0b5cad" { "depth bar " (n(bar_x)) }
            line."bar-line"."bar-team-multiplier" x1=(LEFT) y1=(sy(bar_y)) x2=(RIGHT) y2=(sy(bar_y))
                stroke="#0b5cad" stroke-width="2" stroke-dasharray="6 4" {}
            text x=(LEFT + 4.0) y=(sy(bar_y) - 5.0) font-size="11" fill="#0b5cad" { "multiplier bar " (n(bar_y)) }
            text x=((LEFT + RIGHT) / 2.0) y=(HEIGHT - 16.0) text-anchor="middle" font-size="13" fill="#1b1f24" {
                "Technical depth (median, 1–4)" }
            text x="0" y="0" transform={ "translate(16 " ((TOP + BOTTOM) / 2.0) ") rotate(-90)" }
                text-anchor="middle" font-size="13" fill="#1b1f24" { "Team multiplier (median, 1–4)" }
            @for (p, nth) in &placed {
                @let (cx, cy) = (sx(p.x), sy(p.y));
                @let left = cx > RIGHT - 120.0;
                g.point data-candidate=(p.candidate) {
                    title { (p.label) ": technical depth " (n(p.x)) ", team multiplier " (n(p.y))
                        @if p.meets_bar { ", meets the bar" } @else { ", does not meet the bar" } }
                    @if p.meets_bar {
                        circle cx=(cx) cy=(cy) r="6" fill="#1d6b33" stroke="#1b1f24" {}
                    } @else {
                        circle cx=(cx) cy=(cy) r="6" fill="#ffffff" stroke="#a4231c" stroke-width="3" {}
                    }
                    text x=(if left { cx - 10.0 } else { cx + 10.0 }) y=(cy + 4.0 + 14.0 * (*nth as f64))
                        text-anchor=(if left { "end" } else { "start" }) font-size="12" fill="#1b1f24" { (p.label) }
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
        assert!(svg.contains(&format!(r#"y="{y}""#)));
        assert!(svg.contains(&format!(r#"y="{}""#, y + 14.0)));
    }
}
