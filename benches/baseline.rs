//! `cargo bench --bench baseline`: the cost of a large baseline next to the
//! plan of the same objects.
//!
//! For 5,000, 20,000 and 100,000 users (and a fifth as many roles), generates
//! a plan that creates them (tags, group memberships, an inline policy on a
//! third of the users, trust and managed policies on the roles), then times
//! the release `drift` binary on: reading the plan alone (`check` against a
//! baseline that declares nothing and reports nothing undeclared), `init` of
//! the plan (writes the baseline), `validate` of that baseline, and `check` of
//! the plan against it. Prints wall time and each process's peak memory, and
//! the ratio of each to reading the plan.

// wait4 is the one unsafe call: it writes only into the structs passed.
#![allow(unsafe_code, clippy::unwrap_used, clippy::print_stdout)]

use serde_json::json;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [5_000, 20_000, 100_000];
const RUNS: usize = 3;

fn doc(statement: serde_json::Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
}

/// The resources of one size: (type, name, values), varied the way a real
/// account is (paths, teams, services, buckets, principals).
fn resources(users: usize) -> Vec<(&'static str, String, serde_json::Value)> {
    let mut out = Vec::new();
    let services = ["ec2", "lambda", "ecs-tasks", "states", "events"];
    for i in 0..users {
        let name = format!("svc-{i:06}");
        let team = format!("team-{}", i % 97);
        out.push((
            "aws_iam_user",
            name.clone(),
            json!({"name": name, "path": format!("/teams/{team}/"), "force_destroy": false,
                "tags": {"team": team, "cost-center": format!("cc-{}", i % 13)}}),
        ));
        out.push((
            "aws_iam_user_group_membership",
            format!("{name}-groups"),
            json!({"user": name, "groups": [team.clone()]}),
        ));
        if i % 3 == 0 {
            let policy = doc(json!({"Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [format!("arn:aws:s3:::bucket-{i}"), format!("arn:aws:s3:::bucket-{i}/*")]}));
            out.push((
                "aws_iam_user_policy",
                format!("{name}-inline"),
                json!({"name": "inline", "user": name, "policy": policy}),
            ));
        }
    }
    for g in 0..97 {
        let name = format!("team-{g}");
        out.push((
            "aws_iam_group",
            name.clone(),
            json!({"name": name, "path": "/"}),
        ));
    }
    for i in 0..users / 5 {
        let name = format!("role-{i:06}");
        let service = services[i % services.len()];
        let trust = doc(json!({"Effect": "Allow",
            "Principal": {"Service": format!("{service}.amazonaws.com")}, "Action": "sts:AssumeRole"}));
        out.push((
            "aws_iam_role",
            name.clone(),
            json!({"name": name, "path": "/", "assume_role_policy": trust, "max_session_duration": 3600,
                "description": format!("{service} role {i}"),
                "managed_policy_arns": [format!("arn:aws:iam::aws:policy/{}", ["AmazonSSMManagedInstanceCore", "ReadOnlyAccess", "AWSLambdaBasicExecutionRole"][i % 3])]}),
        ));
    }
    out
}

fn write_plan(path: &Path, users: usize) -> std::io::Result<u64> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    write!(
        out,
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.5\",\"resource_changes\":["
    )?;
    for (n, (ty, name, values)) in resources(users).into_iter().enumerate() {
        if n > 0 {
            write!(out, ",")?;
        }
        let rc = json!({"address": format!("{ty}.this[\"{name}\"]"), "mode": "managed", "type": ty,
            "name": "this", "index": name, "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null, "after": values, "after_unknown": {},
                "before_sensitive": false, "after_sensitive": {}}});
        serde_json::to_writer(&mut out, &rc)?;
    }
    write!(out, "],\"complete\":true,\"errored\":false}}")?;
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Runs drift once: wall time and the process's own peak memory (KiB).
// The child is reaped by wait4, which clippy does not know.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str]) -> (Duration, i64) {
    let drift = env!("CARGO_BIN_EXE_drift");
    let start = Instant::now();
    let child = std::process::Command::new(drift)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    let rc = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
    let elapsed = start.elapsed();
    assert_eq!(rc, pid, "wait4");
    let code = libc::WEXITSTATUS(status);
    assert!(code == 0 || code == 1, "drift {args:?} exited {code}");
    (elapsed, unsafe { usage.assume_init() }.ru_maxrss)
}

/// The median of `RUNS` runs after a warm-up, and the largest peak memory.
fn measure(args: &[&str]) -> (f64, f64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for i in 0..=RUNS {
        let (t, rss) = run(args);
        if i > 0 {
            times.push(t);
        }
        peak = peak.max(rss);
    }
    times.sort();
    (times[times.len() / 2].as_secs_f64(), peak as f64 / 1024.0)
}

fn main() -> std::io::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = std::env::var_os("DRIFT_BENCH_DIR")
        .map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    println!(
        "| users + roles | plan | baseline | read the plan | init | validate | check | validate / read | check / read |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for users in SIZES {
        let plan = dir.join(format!("plan-{users}.json"));
        let baseline = dir.join(format!("baseline-{users}.yaml"));
        let empty = dir.join("empty.yaml");
        std::fs::write(&empty, "version: 1\nsettings: { unmanaged: ignore }\n")?;
        let plan_mb = write_plan(&plan, users)? as f64 / 1e6;
        let p = plan.to_str().unwrap();
        let b = baseline.to_str().unwrap();
        let e = empty.to_str().unwrap();
        let read = measure(&["check", "--plan", p, "--baseline", e, "--format", "json"]);
        let _ = std::fs::remove_file(&baseline);
        let init = measure(&["init", "--plan", p, "--output", b, "--force"]);
        let baseline_mb = std::fs::metadata(&baseline)?.len() as f64 / 1e6;
        let validate = measure(&["validate", b]);
        let check = measure(&["check", "--plan", p, "--baseline", b, "--format", "json"]);
        let cell = |(t, m): (f64, f64)| format!("{t:.2} s, {m:.0} MB");
        println!(
            "| {users} + {} | {plan_mb:.1} MB | {baseline_mb:.1} MB | {} | {} | {} | {} | {:.2}x | {:.2}x |",
            users / 5,
            cell(read),
            cell(init),
            cell(validate),
            cell(check),
            validate.0 / read.0,
            check.0 / read.0,
        );
    }
    Ok(())
}
