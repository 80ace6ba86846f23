//! Render times per format on 60,000 findings (`cargo bench --bench render`):
//! every format should stay within a small multiple of JSON's time.

use iam_drift_guard::finding::{Finding, Loc, Origin, Severity};
use iam_drift_guard::history::{History, Run};
use iam_drift_guard::identity::{Kind, ResourceId, RuleId};
use iam_drift_guard::observation::SourceInfo;
use iam_drift_guard::render::{self, Format, Report};
use std::time::Instant;

fn finding(i: usize) -> Finding {
    Finding {
        rule: RuleId::USER_UNMANAGED,
        severity: if i.is_multiple_of(3) {
            Severity::High
        } else {
            Severity::Medium
        },
        resource: ResourceId::object(Kind::User, format!("svc-{i:06}")),
        field: Some("groups".into()),
        expected: serde_json::json!(["admins", "developers"]),
        observed: serde_json::json!(["admins"]),
        source: Origin::plan(format!("module.m[\"{i}\"].aws_iam_user.this"), &["create"]),
        baseline_location: Some(Loc {
            line: 3,
            column: 5,
            offset: 0,
            len: 0,
            file: 0,
        }),
        message: format!("user `svc-{i:06}` is created but the baseline does not declare it"),
        help: "terraform: a\nconsole: b\ncli: c".into(),
        diff: None,
        witnesses: Vec::new(),
        path: None,
    }
}

fn sources() -> [SourceInfo; 1] {
    [SourceInfo {
        kind: "plan",
        path: Some("plan.json".into()),
        terraform_version: None,
        format_version: None,
        credential_report: None,
        account: None,
    }]
}

/// Two months of nightly runs, for the chart of report.html.
fn history() -> &'static History {
    static HISTORY: std::sync::OnceLock<History> = std::sync::OnceLock::new();
    HISTORY.get_or_init(|| History {
        runs: (0..60)
            .map(|d| Run {
                at: 1_790_000_000 + d * 86_400,
                counts: [d as usize % 3, 20_000, 40_000, 0, d as usize],
            })
            .collect(),
        accounts: Default::default(),
    })
}

fn report<'a>(sources: &'a [SourceInfo], findings: &'a [Finding]) -> Report<'a> {
    Report {
        history: Some(history()),
        ..Report::of(sources, findings)
    }
}

/// The peak resident memory of this process so far, in MB (Linux).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

const FORMATS: [(&str, Format); 6] = [
    ("json", Format::Json),
    (
        "human",
        Format::Human {
            color: false,
            width: None,
        },
    ),
    ("markdown", Format::Markdown),
    ("sarif", Format::Sarif),
    ("github", Format::Github),
    ("html", Format::Html),
];

/// In a process of its own (so that peaks do not mix): `n` findings written
/// in one format as `drift check --output` writes them (streamed where the
/// format streams), and the memory that took beyond the findings.
#[allow(clippy::print_stdout)]
fn one(name: &str, n: usize) {
    let Some((_, format)) = FORMATS.iter().find(|(f, _)| *f == name) else {
        return;
    };
    let findings: Vec<Finding> = (0..n).map(finding).collect();
    let sources = sources();
    let report = report(&sources, &findings);
    let before = peak_mb().unwrap_or(0.0);
    let started = Instant::now();
    let mut out = std::io::BufWriter::new(std::io::sink());
    let _ = render::write(*format, &report, &mut out);
    let took = started.elapsed().as_secs_f64();
    let after = peak_mb().unwrap_or(0.0);
    println!(
        "  {name:<9} {took:>7.3} s  findings {before:>7.0} MB, peak while writing +{:>6.0} MB",
        after - before
    );
}

#[allow(clippy::print_stdout)]
fn main() {
    if let Ok(name) = std::env::var("DRIFT_RENDER_ONE") {
        let n = std::env::var("DRIFT_RENDER_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(320_000);
        one(&name, n);
        return;
    }
    let n = 60_000;
    let findings: Vec<Finding> = (0..n).map(finding).collect();
    let sources = sources();
    let report = report(&sources, &findings);
    println!("render {n} findings (best of 3):");
    for (name, format) in FORMATS {
        let mut best = f64::MAX;
        let mut size = 0;
        for _ in 0..3 {
            let started = Instant::now();
            let text = render::render(format, &report);
            best = best.min(started.elapsed().as_secs_f64());
            size = text.len();
        }
        println!("  {name:<9} {best:>7.3} s  {:>8.1} MB", size as f64 / 1e6);
    }
    let big = 320_000;
    println!("write {big} findings to a file, one process per format:");
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    for (name, _) in FORMATS {
        let run = std::process::Command::new(&me)
            .env("DRIFT_RENDER_ONE", name)
            .env("DRIFT_RENDER_N", big.to_string())
            .output();
        if let Ok(run) = run {
            print!("{}", String::from_utf8_lossy(&run.stdout));
        }
    }
}
