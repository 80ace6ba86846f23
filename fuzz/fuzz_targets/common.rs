//! What every target does with what it read: judge it against the example
//! baseline, render it in every format, and write a baseline from it that must
//! read back.
#![allow(dead_code)] // each target uses part of it

use iam_drift_guard::baseline::{self, Baseline};
use iam_drift_guard::check;
use iam_drift_guard::observation::{Observation, SourceInfo};
use iam_drift_guard::render::{self, Format, Report};
use iam_drift_guard::state::IamState;

pub const EXAMPLE_BASELINE: &str = include_str!("../../baseline.yaml");

pub fn example_baseline() -> Baseline {
    baseline::parse("baseline.yaml", EXAMPLE_BASELINE).expect("the example baseline is valid")
}

/// Judges a state, renders the findings in every format, and round-trips it
/// through `init`.
pub fn exercise(baseline: &Baseline, state: IamState) {
    let observation = Observation {
        state,
        refresh: None,
        reads_account: false,
        complete: true,
        info: SourceInfo {
            kind: "plan",
            path: Some("fuzz.json".into()),
            terraform_version: None,
            format_version: None,
            credential_report: None,
            account: None,
        },
    };
    let outcome = check::judge(baseline, &observation);
    let sources = [observation.info.clone()];
    let report = Report {
        out_of_scope: outcome.out_of_scope,
        ..Report::of(&sources, &outcome.findings)
    };
    for format in [
        Format::Human {
            color: true,
            width: Some(80),
        },
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Github,
        Format::Html,
    ] {
        let text = render::render(format, &report);
        if format == Format::Json || format == Format::Sarif {
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON output is JSON");
        }
        if format == Format::Markdown {
            markdown_forges_nothing(&text);
        }
    }
    let human = render::render(
        Format::Human {
            color: false,
            width: Some(80),
        },
        &report,
    );
    human_forges_nothing(&human);
    let written =
        baseline::write::from_state(&observation.state, "# fuzz\n").expect("a baseline is written");
    if let Err(e) = baseline::parse("<generated>", &written) {
        panic!(
            "the written baseline does not validate: {:?}\n{written}",
            e.lines()
        );
    }
}

/// Human output: no character that acts on a terminal, no line a CI log
/// reads as a workflow command.
pub fn human_forges_nothing(text: &str) {
    for line in text.lines() {
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "a control character in human output: {line:?}"
        );
        assert!(
            !line.starts_with("::"),
            "a workflow command in human output: {line:?}"
        );
    }
}

/// Markdown: outside code spans, no HTML but drift's own tags, no link and
/// no mention.
pub fn markdown_forges_nothing(text: &str) {
    const OWN: &[&str] = &[
        "<!-- drift-report -->",
        "<details>",
        "</details>",
        "<summary>",
        "</summary>",
        "<b>",
        "</b>",
        "<code>",
        "</code>",
    ];
    let prose = outside_code_spans(text);
    for (i, _) in prose.match_indices('<') {
        assert!(
            OWN.iter().any(|t| prose[i..].starts_with(t)),
            "HTML from the input in markdown: {:?}",
            &prose[i..prose.len().min(i + 60)]
        );
    }
    for (i, _) in prose.match_indices("](") {
        assert!(
            prose[..i].ends_with('\\'),
            "a link in markdown: {:?}",
            &prose[i.saturating_sub(30)..prose.len().min(i + 30)]
        );
    }
    assert!(!prose.contains('@'), "a mention in markdown");
}

/// Markdown without its inline code spans and fenced blocks.
fn outside_code_spans(md: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            out.push_str(&rest[..start]);
            let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
            let after = &rest[start + ticks..];
            // The closing run has exactly as many backticks.
            let mut end = None;
            let mut from = 0;
            while let Some(i) = after[from..].find('`') {
                let at = from + i;
                let run = after[at..].chars().take_while(|c| *c == '`').count();
                if run == ticks {
                    end = Some(at);
                    break;
                }
                from = at + run;
            }
            rest = match end {
                Some(e) => &after[e + ticks..],
                None => after,
            };
        }
        out.push_str(rest);
        out.push('\n');
    }
    out
}
