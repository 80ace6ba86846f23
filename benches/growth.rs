//! Growth with the work (`cargo bench --bench growth`): the paths that once
//! grew quadratically, each at 5,000, 20,000 and 60,000, printed with the time
//! per item so that linear growth shows as a flat column.
//!
//! - rendering varied findings (several kinds and rules, every fix naming its
//!   object, policy diffs, CloudTrail-free statuses) as human, markdown and
//!   HTML, against JSON of the same findings;
//! - `drift report --previous`: the trend of a run against the previous one,
//!   a third of the findings resolved and a third new;
//! - the rename search of the diff: declared roles missing under their name,
//!   half of them renamed (found by their pinned id), half deleted.

use iam_drift_guard::baseline::{Baseline, RoleSpec, Sp};
use iam_drift_guard::finding::{Finding, Loc, Origin, Severity};
use iam_drift_guard::identity::{Kind, ResourceId, RuleId};
use iam_drift_guard::observation::SourceInfo;
use iam_drift_guard::render::{self, Format, Report};
use iam_drift_guard::state::{IamState, Members, Obj, Principal, Role};
use iam_drift_guard::trend::{self, PastFinding};
use std::time::Instant;

const SIZES: [usize; 3] = [5_000, 20_000, 60_000];

const KINDS: [(Kind, RuleId, &str); 6] = [
    (Kind::User, RuleId::USER_UNMANAGED, "svc"),
    (Kind::Role, RuleId::ROLE_POLICY_WIDENED, "app"),
    (Kind::Group, RuleId::GROUP_CHANGED, "team"),
    (Kind::Policy, RuleId::POLICY_CHANGED, "deploy"),
    (
        Kind::InstanceProfile,
        RuleId::INSTANCE_PROFILE_REMOVED,
        "worker",
    ),
    (Kind::Role, RuleId::ROLE_TRUST_WIDENED, "ci"),
];

/// A finding like those of a large account: the kind, rule, name, source,
/// fix and document vary from one to the next.
fn finding(i: usize) -> Finding {
    let (kind, rule, stem) = KINDS[i % KINDS.len()];
    let name = format!("{stem}-{i:06}");
    let documented = matches!(kind, Kind::Role | Kind::Policy);
    Finding {
        rule,
        severity: Severity::ALL[i % Severity::ALL.len()],
        resource: ResourceId::object(kind, name.as_str()),
        field: documented.then(|| format!("inline_policies.{stem}-{}", i % 17)),
        expected: serde_json::json!({ "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{name}/*") }),
        observed: serde_json::json!({ "Action": "s3:*", "Resource": "*" }),
        source: if i.is_multiple_of(4) {
            Origin::Live {
                arn: format!("arn:aws:iam::123456789012:{}/{name}", kind.as_str()),
            }
        } else {
            Origin::plan(
                format!("module.{stem}[\"{i}\"].aws_iam_{}.this", kind.as_str()),
                &["update"],
            )
        },
        baseline_location: (!i.is_multiple_of(5)).then_some(Loc {
            line: 3 + (i % 9_000) as u32,
            column: 5,
            offset: 0,
            len: 0,
            file: 0,
        }),
        message: format!("{} `{name}` differs from the baseline", kind.noun()),
        // Every fix names its object: one rule has as many fixes as findings.
        help: format!(
            "terraform: change `{name}` in module.{stem}\nconsole: IAM > {} > {name}\ncli: aws iam get-{} --{}-name {name}",
            kind.noun(),
            kind.as_str(),
            kind.as_str()
        ),
        diff: documented.then(|| {
            format!(
                "--- baseline\n+++ observed\n   \"Statement\": [\n-    {{\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::{name}/*\"}}\n+    {{\"Action\": \"s3:*\", \"Resource\": \"*\"}}\n   ]\n"
            )
        }),
        witnesses: Vec::new(),
        path: Some("/".into()),
    }
}

fn report<'a>(sources: &'a [SourceInfo], findings: &'a [Finding]) -> Report<'a> {
    Report::of(sources, findings)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

#[allow(clippy::print_stdout)]
fn line(what: &str, n: usize, seconds: f64, floor: Option<f64>) {
    let per = seconds / n as f64 * 1e6;
    match floor {
        Some(floor) => println!(
            "  {what:<26} {n:>6}  {seconds:>8.3} s  {per:>7.2} µs/item  {:>5.1}x json",
            seconds / floor
        ),
        None => println!("  {what:<26} {n:>6}  {seconds:>8.3} s  {per:>7.2} µs/item"),
    }
}

/// A baseline of `n` roles pinned to their ids, and an account where every
/// other one is renamed and the rest deleted.
fn renames(n: usize) -> (Baseline, IamState) {
    let mut baseline = Baseline::default();
    let mut state = IamState {
        roles: Members::complete(Origin::Live {
            arn: "arn:aws:iam::123456789012:role/*".into(),
        }),
        ..IamState::default()
    };
    for i in 0..n {
        let id = format!("AROA{i:016}");
        let name = format!("app-{i:06}");
        baseline.roles.insert(
            name.clone(),
            RoleSpec {
                id: Some(Sp::new(id.clone(), Loc::default())),
                ..RoleSpec::default()
            },
        );
        if i % 2 == 0 {
            let role = Role {
                principal: Principal {
                    id: Some(id),
                    managed: true,
                    ..Principal::default()
                },
                ..Role::default()
            };
            let arn = format!("arn:aws:iam::123456789012:role/renamed-{i:06}");
            state.roles.items.insert(
                format!("renamed-{i:06}"),
                Obj::present(Origin::Live { arn }, role),
            );
        }
    }
    (baseline, state)
}

#[allow(clippy::print_stdout)]
fn main() {
    let sources = [SourceInfo {
        kind: "plan",
        path: Some("plan.json".into()),
        terraform_version: None,
        format_version: None,
        credential_report: None,
        account: None,
    }];
    println!("render (best of 3):");
    for n in SIZES {
        let findings: Vec<Finding> = (0..n).map(finding).collect();
        let report = report(&sources, &findings);
        let json = best_of(3, || render::render(Format::Json, &report));
        line("json", n, json, None);
        for (name, format) in [
            (
                "human",
                Format::Human {
                    color: false,
                    width: None,
                },
            ),
            ("markdown", Format::Markdown),
            ("html", Format::Html),
        ] {
            let took = best_of(3, || render::render(format, &report));
            line(name, n, took, Some(json));
        }
    }

    println!("report --previous: the trend (best of 3):");
    for n in SIZES {
        let current: Vec<Finding> = (0..n).map(finding).collect();
        // The previous run: the first two thirds of these, and a third that
        // are resolved since.
        let previous: Vec<PastFinding> = (n / 3..n + n / 3)
            .map(|i| {
                let f = finding(i);
                PastFinding {
                    fingerprint: f.fingerprint(),
                    rule: f.rule.as_str().to_string(),
                    severity: f.severity.as_str().to_string(),
                    resource: f.resource.as_str().to_string(),
                    field: f.field.clone(),
                    message: f.message.clone(),
                }
            })
            .collect();
        let took = best_of(3, || trend::compare(&current, &previous));
        line("trend", n, took, None);
    }

    println!("diff: declared roles missing under their name, half renamed (best of 3):");
    for n in SIZES {
        let (baseline, state) = renames(n);
        let mut found = 0;
        let took = best_of(3, || {
            let result = iam_drift_guard::diff::diff(&baseline, &state);
            found = result.findings.len();
        });
        line("rename search", n, took, None);
        assert_eq!(found, n, "one finding per declared role");
    }
}
