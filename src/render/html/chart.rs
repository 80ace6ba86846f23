//! The chart of findings per severity over the runs of a history: inline SVG,
//! one stacked bar per run (critical at the bottom), drawn without script. The
//! same numbers follow in a table for screen readers and for copying.

use super::T;
use crate::finding::Severity;
use crate::history::History;
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 34.0;

/// A round step for the axis: 1, 2 or 5 times a power of ten, at least `raw`.
fn step(raw: f64) -> usize {
    let raw = raw.max(1.0);
    let mut unit = 1usize;
    loop {
        for m in [1, 2, 5] {
            if (unit * m) as f64 >= raw {
                return unit * m;
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// The chart as an `<svg>` element, and its legend.
pub fn svg(history: &History) -> String {
    let n = history.runs.len().max(1);
    let peak = history.peak();
    let tick = step(peak as f64 / 4.0);
    let top = (peak.div_ceil(tick)).max(1) * tick;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / n as f64;
    let bar = (slot * 0.7).min(36.0);
    let y = |v: usize| TOP + plot_h - (v as f64 / top as f64) * plot_h;

    let first = history.runs.first().map(|r| crate::time::date(r.at));
    let last = history.runs.last().map(|r| crate::time::date(r.at));
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" preserveAspectRatio=\"xMidYMid meet\">\
<title id=\"chart-title\">Findings per severity over {} run{}</title>\
<desc id=\"chart-desc\">Stacked bars, one per run from {} to {}; the last bar is this run, with {} finding{}. The table below gives the numbers.</desc>",
        history.runs.len(),
        if history.runs.len() == 1 { "" } else { "s" },
        first.as_deref().unwrap_or("-"),
        last.as_deref().unwrap_or("-"),
        history.runs.last().map_or(0, |r| r.total()),
        if history.runs.last().map_or(0, |r| r.total()) == 1 { "" } else { "s" },
    );
    // Grid and axis labels.
    let mut v = 0;
    while v <= top {
        let yy = y(v);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        );
        v += tick;
    }
    // Dates under some bars: the first, the last, and evenly between.
    let every = n.div_ceil(6).max(1);
    for (i, run) in history.runs.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let is_last = i + 1 == history.runs.len();
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|&s| format!("{} {s}", run.count(s)))
            .collect();
        let _ = write!(
            out,
            "<g class=\"run{}\"><title>{}{}: {}</title>",
            if is_last { " now" } else { "" },
            crate::time::rfc3339(run.at),
            if is_last { " (this run)" } else { "" },
            counts.join(", ")
        );
        let mut base = 0;
        for s in Severity::ALL {
            let c = run.count(s);
            if c == 0 {
                continue;
            }
            let (y1, y0) = (y(base + c), y(base));
            let _ = write!(
                out,
                "<rect class=\"bar {s}\" x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"/>",
                (y0 - y1).max(0.5)
            );
            base += c;
        }
        if run.total() == 0 {
            // A run without findings still shows: a mark on the axis.
            let _ = write!(
                out,
                "<rect class=\"bar zero\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"2\"/>",
                y(0) - 2.0
            );
        }
        out.push_str("</g>");
        if i % every == 0 || is_last {
            let label = if is_last {
                "now".to_string()
            } else {
                let date = crate::time::date(run.at);
                date.get(5..).unwrap_or(&date).to_string()
            };
            let _ = write!(
                out,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                HEIGHT - BOTTOM + 18.0,
                T(&label)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The legend, in HTML so that it reads as text.
pub fn legend() -> String {
    let mut out = String::from("<ul class=\"legend\">");
    for s in Severity::ALL {
        let _ = write!(out, "<li><span class=\"swatch {s}\"></span>{s}</li>");
    }
    out.push_str("</ul>");
    out
}

/// The runs as a table, latest first.
pub fn table(history: &History) -> String {
    let mut out = String::from(
        "<table class=\"runs\"><caption>Findings per run, latest first</caption><thead><tr><th scope=\"col\">run</th>",
    );
    for s in Severity::ALL {
        let _ = write!(out, "<th scope=\"col\">{s}</th>");
    }
    out.push_str("<th scope=\"col\">total</th></tr></thead><tbody>");
    for (i, run) in history.runs.iter().enumerate().rev() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}{}</th>",
            crate::time::rfc3339(run.at),
            if i + 1 == history.runs.len() {
                " (this run)"
            } else {
                ""
            }
        );
        for s in Severity::ALL {
            let _ = write!(out, "<td>{}</td>", run.count(s));
        }
        let _ = write!(out, "<td>{}</td></tr>", run.total());
    }
    out.push_str("</tbody></table>");
    out
}

/// One account's findings over its runs, as a small line (no axis), with
/// what it shows in words for screen readers: the totals, oldest first.
pub fn spark(runs: &[crate::history::Run]) -> String {
    const W: f64 = 120.0;
    const H: f64 = 24.0;
    let totals: Vec<usize> = runs.iter().map(|r| r.total()).collect();
    let peak = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = totals.len();
    let x = |i: usize| {
        if n < 2 {
            W / 2.0
        } else {
            2.0 + (W - 4.0) * i as f64 / (n - 1) as f64
        }
    };
    let y = |t: usize| H - 2.0 - (H - 4.0) * t as f64 / peak;
    let mut points = String::new();
    for (i, t) in totals.iter().enumerate() {
        let _ = write!(
            points,
            "{}{:.1},{:.1}",
            if i == 0 { "" } else { " " },
            x(i),
            y(*t)
        );
    }
    let words: Vec<String> = totals.iter().map(usize::to_string).collect();
    let last = totals.last().copied().unwrap_or(0);
    let mut out = format!(
        "<svg class=\"spark\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">",
        T(&format!(
            "findings in its last {} run{}, oldest first: {}",
            n,
            if n == 1 { "" } else { "s" },
            words.join(", ")
        ))
    );
    if n > 1 {
        let _ = write!(out, "<polyline points=\"{points}\"/>");
    }
    let _ = write!(
        out,
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/></svg>",
        x(n.saturating_sub(1)),
        y(last)
    );
    out
}
