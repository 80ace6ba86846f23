//! Render times per format on 60,000 findings (`cargo bench --bench render`):
//! every format should stay within a small multiple of JSON's time.

use iam_drift_guard::finding::{Finding, Loc, Origin, Severity};
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
        }),
        message: format!("user `svc-{i:06}` is created but the baseline does not declare it"),
        help: "terraform: a\nconsole: b\ncli: c".into(),
        diff: None,
        path: None,
    }
}

#[allow(clippy::print_stdout)]
fn main() {
    let n = 60_000;
    let findings: Vec<Finding> = (0..n).map(finding).collect();
    let sources = [SourceInfo {
        kind: "plan",
        path: Some("plan.json".into()),
        terraform_version: None,
        format_version: None,
    }];
    let report = Report {
        baseline_path: "baseline.yaml",
        complete: true,
        sources: &sources,
        out_of_scope: 0,
        findings: &findings,
        fail_on: Severity::Medium,
        trend: None,
        attribution: None,
        generated_at: None,
    };
    println!("render {n} findings (best of 3):");
    for (name, format) in [
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
    ] {
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
}
