//! `cargo bench --bench plan`: the cost of `drift check --plan` on a large plan.
//!
//! Generates a plan with 50,000 IAM resources spread over 100 modules (about
//! 100 MB, in the shape of `terraform show -json`), then prints for the release
//! `drift` binary: wall time, throughput and peak memory, next to the floor, a
//! bare serde_json pass over the same bytes into `IgnoredAny`.

// getrusage is the one unsafe call: it writes only into the struct passed.
#![allow(unsafe_code, clippy::unwrap_used, clippy::print_stdout)]

use serde_json::{json, Value};
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

const RESOURCES: usize = 50_000;
const MODULES: usize = 100;
const RUNS: usize = 5;

fn doc(i: usize) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": format!("S{i}"), "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:ListBucket", "kms:Decrypt"],
        "Resource": [format!("arn:aws:s3:::bucket-{i}"), format!("arn:aws:s3:::bucket-{i}/*")],
        "Condition": {"StringEquals": {"aws:PrincipalTag/team": format!("team-{}", i % 97)}}}]})
    .to_string()
}

/// One resource: (type, values).
fn resource(i: usize) -> (&'static str, Value) {
    let name = format!("svc-{i:05}");
    match i % 5 {
        0 => (
            "aws_iam_user",
            json!({"arn": format!("arn:aws:iam::123456789012:user/teams/{name}"), "force_destroy": false,
            "id": name, "name": name, "path": "/teams/", "permissions_boundary": null,
            "tags": {"team": format!("team-{}", i % 97), "cost-center": "cc-1234"}, "tags_all": {"team": format!("team-{}", i % 97), "cost-center": "cc-1234"},
            "unique_id": format!("AIDA{i:017}")}),
        ),
        1 => (
            "aws_iam_user_policy",
            json!({"id": format!("svc-{:05}:inline", i - 1), "name": "inline", "name_prefix": "",
            "policy": doc(i), "user": format!("svc-{:05}", i - 1)}),
        ),
        2 => (
            "aws_iam_role",
            json!({"arn": format!("arn:aws:iam::123456789012:role/{name}"),
            "assume_role_policy": json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}).to_string(),
            "create_date": "2026-01-01T00:00:00Z", "description": "service role", "force_detach_policies": false, "id": name,
            "inline_policy": [], "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
            "max_session_duration": 3600, "name": name, "name_prefix": "", "path": "/", "permissions_boundary": null,
            "tags": {}, "tags_all": {}, "unique_id": format!("AROA{i:017}")}),
        ),
        3 => (
            "aws_iam_instance_profile",
            json!({"arn": format!("arn:aws:iam::123456789012:instance-profile/{name}"),
            "create_date": "2026-01-01T00:00:00Z", "id": name, "name": name, "name_prefix": "", "path": "/",
            "role": format!("svc-{:05}", i - 1), "tags": {}, "tags_all": {}, "unique_id": format!("AIPA{i:017}")}),
        ),
        _ => (
            "aws_iam_user_ssh_key",
            json!({"encoding": "SSH", "fingerprint": "7e:a2:5c:1b:9f:0d:44:3a:be:11:52:c4:aa:08:6f:e9",
            "id": format!("APKA{i:016}"), "public_key": format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{i:040} svc@host"),
            "ssh_public_key_id": format!("APKA{i:016}"), "status": "Active", "username": format!("svc-{:05}", i - 4)}),
        ),
    }
}

fn write_plan(path: &std::path::Path) -> std::io::Result<u64> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let per_module = RESOURCES / MODULES;
    let addr =
        |i: usize, ty: &str| format!("module.team[\"t{}\"].{ty}.this[\"r{i}\"]", i / per_module);
    let state_item = |i: usize| {
        let (ty, values) = resource(i);
        json!({"address": addr(i, ty), "mode": "managed", "type": ty, "name": "this", "index": format!("r{i}"),
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values, "sensitive_values": {}})
    };
    let modules = |out: &mut BufWriter<std::fs::File>| -> std::io::Result<()> {
        write!(out, "{{\"root_module\":{{\"child_modules\":[")?;
        for m in 0..MODULES {
            if m > 0 {
                write!(out, ",")?;
            }
            write!(
                out,
                "{{\"address\":\"module.team[\\\"t{m}\\\"]\",\"resources\":["
            )?;
            for i in m * per_module..(m + 1) * per_module {
                if i > m * per_module {
                    write!(out, ",")?;
                }
                serde_json::to_writer(&mut *out, &state_item(i))?;
            }
            write!(out, "]}}")?;
        }
        write!(out, "]}}}}")
    };
    write!(
        out,
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.5\",\"planned_values\":"
    )?;
    modules(&mut out)?;
    write!(out, ",\"resource_changes\":[")?;
    for i in 0..RESOURCES {
        if i > 0 {
            write!(out, ",")?;
        }
        let (ty, values) = resource(i);
        // One change in ten is an update; the rest are no-ops.
        let (actions, after) = if i % 10 == 0 {
            let mut after = values.clone();
            if let Some(tags) = after.get_mut("tags").and_then(Value::as_object_mut) {
                tags.insert("owner".into(), json!("platform"));
            }
            (json!(["update"]), after)
        } else {
            (json!(["no-op"]), values.clone())
        };
        let rc = json!({"address": addr(i, ty), "module_address": format!("module.team[\"t{}\"]", i / per_module),
            "mode": "managed", "type": ty, "name": "this", "index": format!("r{i}"),
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": actions, "before": values, "after": after, "after_unknown": {},
                "before_sensitive": {}, "after_sensitive": {}}});
        serde_json::to_writer(&mut out, &rc)?;
    }
    write!(out, "],\"prior_state\":{{\"format_version\":\"1.0\",\"terraform_version\":\"1.9.5\",\"values\":")?;
    modules(&mut out)?;
    write!(out, "}},\"configuration\":{{\"root_module\":{{\"module_calls\":{{\"team\":{{\"source\":\"./modules/team\",\"for_each_expression\":{{\"references\":[\"var.teams\"]}},\"module\":{{\"resources\":[]}}}}}}}}}},\"timestamp\":\"2026-11-20T10:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}}")?;
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// A baseline that declares a tenth of the users and roles, with their policies.
fn write_baseline(path: &std::path::Path) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "version: 1\nusers:")?;
    for i in (0..RESOURCES).step_by(50) {
        writeln!(out, "  svc-{i:05}:\n    path: /teams/\n    ssh_public_keys: [{{ id: APKA{:016}, status: Active }}]", i + 4)?;
    }
    writeln!(out, "roles:")?;
    for i in (2..RESOURCES).step_by(50) {
        writeln!(out, "  svc-{i:05}:\n    managed_policies: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]")?;
    }
    writeln!(out, "settings: {{ unmanaged: ignore }}")?;
    out.flush()
}

fn peak_rss_of_children_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    if rc != 0 {
        return -1;
    }
    unsafe { usage.assume_init() }.ru_maxrss
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench`; the child mode measures the floor alone.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--floor") {
        let start = Instant::now();
        let bytes = std::fs::read(&args[2])?;
        let _: serde::de::IgnoredAny = serde_json::from_slice(&bytes).expect("valid JSON");
        println!("{}", start.elapsed().as_secs_f64());
        return Ok(());
    }
    // DRIFT_BENCH_DIR keeps the generated files (for profiling); else a temporary folder.
    let tmp = tempfile::tempdir()?;
    let dir = std::env::var_os("DRIFT_BENCH_DIR")
        .map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    let plan = dir.join("plan.json");
    let baseline = dir.join("baseline.yaml");
    let started = Instant::now();
    let size = write_plan(&plan)?;
    write_baseline(&baseline)?;
    let mb = size as f64 / 1e6;
    println!(
        "generated {RESOURCES} IAM resources in {MODULES} modules: {mb:.1} MB in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    // The floor, in a child process so that its memory is measured apart.
    let me = std::env::current_exe()?;
    let mut floors = Vec::new();
    for _ in 0..=RUNS {
        let out = std::process::Command::new(&me)
            .arg("--floor")
            .arg(&plan)
            .output()?;
        let secs: f64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(f64::NAN);
        floors.push(Duration::from_secs_f64(secs));
        floors.sort();
        if floors.len() > RUNS {
            floors.pop(); // the slowest (the first, on a cold file) is dropped
        }
    }
    let floor_rss = peak_rss_of_children_kib();
    let floor = median(floors);

    let drift = env!("CARGO_BIN_EXE_drift");
    let mut times = Vec::new();
    let mut findings = 0;
    // One warm-up run: the file has just been written.
    for run in 0..=RUNS {
        let start = Instant::now();
        let out = std::process::Command::new(drift)
            .args([
                "check",
                "--plan",
                plan.to_str().unwrap_or_default(),
                "--baseline",
                baseline.to_str().unwrap_or_default(),
                "--format",
                "json",
                "--fail-on",
                "critical",
            ])
            .output()?;
        if run > 0 {
            times.push(start.elapsed());
        }
        assert!(
            out.status.code() == Some(0),
            "drift failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        findings = v["findings"].as_array().map_or(0, Vec::len);
    }
    // ru_maxrss of children is the largest of all children so far: drift's own
    // peak when it is larger than the floor's.
    let rss = peak_rss_of_children_kib();
    let wall = median(times);
    println!("findings: {findings}");
    println!(
        "floor (serde_json -> IgnoredAny): {:.3}s, {:.0} MB/s, peak {:.0} MB",
        floor.as_secs_f64(),
        mb / floor.as_secs_f64(),
        floor_rss as f64 / 1024.0
    );
    println!(
        "drift check --plan:               {:.3}s, {:.0} MB/s, peak {:.0} MB (max over children)",
        wall.as_secs_f64(),
        mb / wall.as_secs_f64(),
        rss as f64 / 1024.0
    );
    println!(
        "ratio to floor: {:.2}x time; peak memory {:.2}x the file size",
        wall.as_secs_f64() / floor.as_secs_f64(),
        (rss as f64 * 1024.0) / size as f64
    );
    Ok(())
}
