//! The GitHub Action's script, run end to end with a fake GitHub environment and
//! a stand-in for the comments API on loopback.

use crate::common::github;
use crate::common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The base commit of the fake pull request.
const BASE_SHA: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

/// A fake GitHub API whose base commit holds the repository's `baseline.yaml`.
struct FakeGithub;

impl FakeGithub {
    fn start(dir: &std::path::Path) -> Option<github::Fake> {
        let contents = dir.join("contents");
        std::fs::create_dir_all(contents.join(BASE_SHA)).ok()?;
        std::fs::copy(
            root().join("baseline.yaml"),
            contents.join(BASE_SHA).join("baseline.yaml"),
        )
        .ok()?;
        github::Fake::start(dir)
    }
}

fn run_action(
    dir: &std::path::Path,
    api: &str,
    plan: &str,
) -> (i32, String, std::collections::HashMap<String, String>) {
    run_action_in(dir, &root(), api, plan)
}

/// The action's script in `workspace` (the checked-out pull request).
fn run_action_in(
    dir: &std::path::Path,
    workspace: &std::path::Path,
    api: &str,
    plan: &str,
) -> (i32, String, std::collections::HashMap<String, String>) {
    let output = dir.join("output");
    let _ = std::fs::remove_file(&output);
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        format!(r#"{{"pull_request": {{"number": 7, "base": {{"sha": "{BASE_SHA}"}}}}}}"#),
    )
    .unwrap();
    let tmp = dir.join("runner-temp");
    std::fs::create_dir_all(&tmp).unwrap();
    let out = Command::new("bash")
        .arg(root().join(".github/actions/drift-check/run.sh"))
        .current_dir(workspace)
        .env("DRIFT", env!("CARGO_BIN_EXE_drift"))
        .env("INPUT_PLAN", plan)
        .env("INPUT_TERRAFORM_DIR", ".")
        .env("INPUT_FORMAT", "github")
        .env("INPUT_COMMENT", "true")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env("GITHUB_API_URL", api)
        .env("GITHUB_TOKEN", "fake-token")
        .env("RUNNER_TEMP", &tmp)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(&output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs,
    )
}

#[test]
fn action_script_with_a_fake_github() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);

    let (code, stdout, outputs) = run_action(dir.path(), &api, &fixture("weaken-password-policy"));
    assert_eq!(
        code, 0,
        "the script passes the exit code on instead: {stdout}"
    );
    assert_eq!(outputs["exit-code"], "1");
    assert!(
        stdout.contains(
            "::error file=baseline.yaml,line=8,col=28,title=password-policy-weakened (high)::"
        ),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs["sarif"]).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert_eq!(
        summary.matches("<!-- drift-report -->").count(),
        1,
        "the summary is written once"
    );

    let requests = github.requests();
    let posts: Vec<&serde_json::Value> =
        requests.iter().filter(|r| r["method"] == "POST").collect();
    assert_eq!(posts.len(), 1, "{requests:#?}");
    assert_eq!(posts[0]["path"], "/repos/acme/infra/issues/7/comments");
    assert_eq!(posts[0]["auth"], "Bearer fake-token");
    let body = posts[0]["body"]["body"].as_str().unwrap();
    assert!(body.starts_with("<!-- drift-report -->") && body.contains("password-policy-weakened"));

    // The next push updates the same comment instead of adding one.
    let (_, _, outputs) = run_action(dir.path(), &api, &fixture("clean"));
    assert_eq!(outputs["exit-code"], "0");
    let requests = github.requests();
    assert_eq!(requests.iter().filter(|r| r["method"] == "POST").count(), 1);
    let patches: Vec<&serde_json::Value> =
        requests.iter().filter(|r| r["method"] == "PATCH").collect();
    assert_eq!(patches.len(), 1, "{requests:#?}");
    // The bot's own comment, never the one the author seeded with the marker.
    assert_eq!(patches[0]["path"], "/repos/acme/infra/issues/comments/1000");
    assert!(!requests
        .iter()
        .any(|r| r["path"] == "/repos/acme/infra/issues/comments/998"));
    assert!(patches[0]["body"]["body"]
        .as_str()
        .unwrap()
        .contains("No drift"));
}

/// A pull request that weakens the password policy and edits its own
/// baseline.yaml to match is judged against the base branch's baseline, and
/// the edit is reported first.
#[test]
fn a_pull_request_cannot_pass_by_editing_its_own_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    let original = std::fs::read_to_string(root().join("baseline.yaml")).unwrap();
    let edited = original
        .replace("minimum_password_length: 14", "minimum_password_length: 8")
        .replace(
            "password_reuse_prevention: 24",
            "password_reuse_prevention: 5",
        );
    assert_ne!(edited, original);
    std::fs::write(workspace.join("baseline.yaml"), &edited).unwrap();
    std::fs::write(
        workspace.join("main.tf"),
        "resource \"aws_iam_account_password_policy\" \"strict\" {\n  minimum_password_length = 8\n}\n",
    )
    .unwrap();

    // Against its own copy, the plan passes: the forgery the action prevents.
    let own = drift(&[
        "check",
        "--baseline",
        workspace.join("baseline.yaml").to_str().unwrap(),
        "--plan",
        &root()
            .join(fixture("weaken-password-policy"))
            .display()
            .to_string(),
    ]);
    assert_eq!(own.code, 0, "{}", own.stdout);

    let plan = root().join(fixture("weaken-password-policy"));
    let (code, stdout, outputs) =
        run_action_in(dir.path(), &workspace, &api, plan.to_str().unwrap());
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(outputs["exit-code"], "1", "{stdout}");
    // The plan's finding is annotated on the code that makes it, naming the
    // baseline by its path in the repository, not the base copy's.
    assert!(
        stdout.contains("::error file=main.tf,line=1,title=password-policy-weakened (high)::"),
        "{stdout}"
    );
    assert!(stdout.contains("baseline: baseline.yaml:8:28"), "{stdout}");
    assert!(stdout.contains("title=baseline-changed (high)"), "{stdout}");
    let requests = github.requests();
    assert!(
        requests.iter().any(
            |r| r["path"] == format!("/repos/acme/infra/contents/baseline.yaml?ref={BASE_SHA}")
        ),
        "{requests:#?}"
    );
    let post = requests.iter().find(|r| r["method"] == "POST").unwrap();
    let body = post["body"]["body"].as_str().unwrap();
    assert!(body.contains("This change edits the baseline"), "{body}");
    let first_change = body
        .find("`baseline-changed`")
        .expect("baseline-changed listed");
    let first_plan = body
        .find("`password-policy-weakened`")
        .expect("the plan's finding listed");
    assert!(
        first_change < first_plan,
        "the baseline's edits come first: {body}"
    );

    // `baseline-from: checkout` trusts the pull request's copy, as asked.
    let out = Command::new("bash")
        .arg(root().join(".github/actions/drift-check/run.sh"))
        .current_dir(&workspace)
        .env("DRIFT", env!("CARGO_BIN_EXE_drift"))
        .env("INPUT_PLAN", &plan)
        .env("INPUT_BASELINE_FROM", "checkout")
        .env("INPUT_COMMENT", "false")
        .env("GITHUB_OUTPUT", dir.path().join("output-checkout"))
        .env("GITHUB_EVENT_PATH", dir.path().join("event.json"))
        .env("RUNNER_TEMP", dir.path().join("runner-temp"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(dir.path().join("output-checkout")).unwrap();
    assert!(
        outputs.contains("exit-code=0"),
        "{outputs}{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// When the base branch's baseline cannot be read, the check does not fall
/// back to the pull request's copy.
#[test]
fn an_unreadable_base_baseline_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    // The token cannot read the repository: every contents request is 404,
    // and so is the base commit.
    std::fs::remove_dir_all(dir.path().join("contents").join(BASE_SHA)).unwrap();
    let api = format!("http://127.0.0.1:{}", github.port);
    let (code, stdout, outputs) = run_action(dir.path(), &api, &fixture("clean"));
    assert_eq!(code, 0);
    assert_eq!(outputs["exit-code"], "2", "{stdout}");
    assert!(
        stdout.contains("cannot read baseline.yaml of the base branch"),
        "{stdout}"
    );
    // The comment says that there is no verdict.
    let posts: Vec<String> = github
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST")
        .map(|r| r["body"]["body"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(posts.len(), 1);
    assert!(posts[0].contains("could not be completed"), "{}", posts[0]);

    // A base commit without a baseline: the pull request brings the first
    // one, and is checked against it with a warning.
    std::fs::create_dir_all(dir.path().join("contents").join(BASE_SHA)).unwrap();
    let (_, stdout, outputs) = run_action(dir.path(), &api, &fixture("clean"));
    assert_eq!(outputs["exit-code"], "0", "{stdout}");
    assert!(
        stdout.contains("the base branch has no baseline.yaml"),
        "{stdout}"
    );
}

/// `mode: comment`: a report made by the job that planned, posted by the job
/// that holds the write permission, to the same one comment.
#[test]
fn comment_mode_posts_a_report_made_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);
    let report = dir.path().join("comment.md");
    let made = drift(&[
        "check",
        "--plan",
        &fixture("weaken-password-policy"),
        "--format",
        "markdown",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 1, "{}", made.stderr);
    let event = dir.path().join("event.json");
    std::fs::write(&event, r#"{"pull_request": {"number": 7}}"#).unwrap();
    let post = |report: &std::path::Path| {
        Command::new("bash")
            .arg(root().join(".github/actions/drift-check/comment.sh"))
            .arg(report)
            .env("GITHUB_EVENT_PATH", &event)
            .env("GITHUB_REPOSITORY", "acme/infra")
            .env("GITHUB_API_URL", &api)
            .env("GITHUB_TOKEN", "fake-token")
            .output()
            .unwrap()
    };
    for _ in 0..2 {
        let out = post(&report);
        assert!(out.status.success(), "{out:?}");
    }
    let requests = github.requests();
    let writes: Vec<(&str, &str)> = requests
        .iter()
        .filter(|r| r["method"] != "GET")
        .map(|r| (r["method"].as_str().unwrap(), r["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        writes,
        [
            ("POST", "/repos/acme/infra/issues/7/comments"),
            ("PATCH", "/repos/acme/infra/issues/comments/1000")
        ]
    );
    let body = requests
        .iter()
        .find(|r| r["method"] == "POST")
        .map(|r| r["body"]["body"].as_str().unwrap().to_string())
        .unwrap();
    assert_eq!(body, std::fs::read_to_string(&report).unwrap());
    // No report (the checking job failed before writing one): a warning, and
    // nothing posted.
    let out = post(&dir.path().join("missing.md"));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("no report"));
    assert_eq!(
        github
            .requests()
            .iter()
            .filter(|r| r["method"] != "GET")
            .count(),
        2
    );
}

#[test]
fn action_script_passes_exit_2_on_and_says_so_in_the_comment() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ truncated").unwrap();
    let (code, stdout, outputs) = run_action(dir.path(), &api, bad.to_str().unwrap());
    assert_eq!(code, 0);
    assert_eq!(outputs["exit-code"], "2");
    assert!(!outputs.contains_key("sarif"));
    assert!(stdout.contains("could not be completed"), "{stdout}");
    // The comment says so: no verdict, nothing of an earlier one holds.
    let requests = github.requests();
    let writes: Vec<&serde_json::Value> =
        requests.iter().filter(|r| r["method"] != "GET").collect();
    assert_eq!(writes.len(), 1, "{requests:#?}");
    let body = writes[0]["body"]["body"].as_str().unwrap();
    assert!(body.starts_with("<!-- drift-report -->"), "{body}");
    assert!(body.contains("could not be completed"), "{body}");
    assert!(!body.contains("No drift"), "{body}");
    assert_eq!(
        std::fs::read_to_string(&outputs["comment"]).unwrap(),
        body,
        "the comment output, for a job that comments later"
    );
}

/// actionlint checks the workflows; the action's own metadata is checked here:
/// a composite action whose run steps name their shell, and whose every
/// `inputs.X` reference is a declared input.
#[test]
fn action_metadata_is_consistent() {
    let text =
        std::fs::read_to_string(root().join(".github/actions/drift-check/action.yml")).unwrap();
    let action = iam_drift_guard::baseline::yaml::parse(&text)
        .unwrap()
        .to_json();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs: Vec<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for step in action["runs"]["steps"].as_array().unwrap() {
        if step.get("run").is_some() {
            assert!(
                step.get("shell").is_some(),
                "a run step without shell: {step}"
            );
        }
        if let Some(uses) = step["uses"].as_str() {
            let (_, reference) = uses.split_once('@').unwrap();
            assert_eq!(reference.len(), 40, "pinned by commit: {uses}");
        }
    }
    let mut rest = text.as_str();
    while let Some(i) = rest.find("inputs.") {
        rest = &rest[i + "inputs.".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            inputs.contains(&name.as_str()),
            "`inputs.{name}` is not declared"
        );
    }
    let script =
        std::fs::read_to_string(root().join(".github/actions/drift-check/run.sh")).unwrap();
    let check = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "drift")
        .unwrap();
    for (key, value) in check["env"].as_object().unwrap() {
        if key.starts_with("INPUT_") {
            assert!(
                script.contains(&format!("${{{key}:-")),
                "run.sh does not read {key}"
            );
            assert!(value.as_str().unwrap().contains("inputs."), "{key}");
        }
    }
}

/// A folder served on loopback as a release download URL.
struct FileServer {
    child: std::process::Child,
    url: String,
}

impl FileServer {
    fn start(dir: &std::path::Path) -> FileServer {
        let mut child = Command::new("python3")
            .arg(root().join("tests/fixtures/file_server.py"))
            .arg(dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the file server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        FileServer {
            url: format!("http://127.0.0.1:{}", line.trim()),
            child,
        }
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const VERSION: &str = env!("CARGO_PKG_VERSION");
const LINUX: &str = "x86_64-unknown-linux-musl";

/// A release as the release workflow publishes it: the archive of the built
/// drift for Linux x86_64 and SHA256SUMS; `bad` puts a wrong sum in.
fn release(dir: &std::path::Path, bad: bool) -> std::path::PathBuf {
    let site = dir.join("site");
    let rel = site.join(format!("v{VERSION}"));
    let name = format!("drift-v{VERSION}-{LINUX}");
    let staging = dir.join("staging").join(&name);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_drift"), staging.join("drift")).unwrap();
    let archive = rel.join(format!("{name}.tar.gz"));
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("staging"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
    let mut sum = String::from_utf8(sum.stdout).unwrap();
    sum = sum.split(' ').next().unwrap().to_string();
    if bad {
        sum = "0".repeat(64);
    }
    std::fs::write(
        rel.join("SHA256SUMS"),
        format!(
            "{sum}  {name}.tar.gz\n{}  drift-v{VERSION}-x86_64-apple-darwin.tar.gz\n",
            "1".repeat(64)
        ),
    )
    .unwrap();
    site
}

/// Runs the action's install step as the runner would.
fn install(dir: &std::path::Path, base: &str, os: &str, arch: &str) -> (i32, String, String) {
    let path_file = dir.join("github_path");
    let _ = std::fs::remove_file(&path_file);
    // Stands in for cargo: records the call and installs a script as `drift`.
    let cargo = dir.join("fake-cargo");
    std::fs::write(
        &cargo,
        "#!/usr/bin/env bash\nroot=\"${@: -1}\"\nmkdir -p \"$root/bin\"\nprintf '#!/bin/sh\\necho built-from-source\\n' > \"$root/bin/drift\"\nchmod +x \"$root/bin/drift\"\necho \"$@\" > \"$(dirname \"$0\")/cargo-args\"\n",
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&cargo)
        .status()
        .unwrap();
    let out = Command::new("bash")
        .arg(root().join(".github/actions/drift-check/install.sh"))
        .env("INPUT_VERSION", "")
        .env("DRIFT_RELEASE_BASE", base)
        .env("DRIFT_INSTALL_DIR", dir.join("tool-cache"))
        .env("DRIFT_BUILD_DIR", dir.join("build"))
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .env("GITHUB_PATH", &path_file)
        .env("CARGO", &cargo)
        .env("DRIFT_PINNED_SUMS", dir.join("pinned-sums"))
        .env_remove("GH_TOKEN")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(&path_file).unwrap_or_default(),
    )
}

#[test]
fn the_action_downloads_the_release_checks_it_and_caches_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = FileServer::start(&release(dir.path(), false));
    let started = std::time::Instant::now();
    let (code, log, path) = install(dir.path(), &server.url, "Linux", "X64");
    let took = started.elapsed();
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains(&format!("drift-v{VERSION}-{LINUX}.tar.gz from"))
            && log.contains("matches SHA256SUMS"),
        "{log}"
    );
    assert_eq!(path.trim(), dir.path().join("tool-cache").to_str().unwrap());
    let installed = Command::new(dir.path().join("tool-cache/drift"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&installed.stdout).trim(),
        format!("drift {VERSION}")
    );
    assert!(!dir.path().join("cargo-args").exists(), "nothing was built");
    eprintln!("download, check and install from loopback: {took:?}");
    // A warm runner: the cache holds the archive, only SHA256SUMS is fetched
    // to check it again, and the binary is taken from it again.
    let requests = std::fs::read_to_string(dir.path().join("requests.log")).unwrap();
    std::fs::write(
        dir.path().join("tool-cache/drift"),
        "#!/bin/sh\necho tampered\n",
    )
    .unwrap();
    let (code, log, _) = install(dir.path(), &server.url, "Linux", "X64");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("from the cache"), "{log}");
    let after = std::fs::read_to_string(dir.path().join("requests.log")).unwrap();
    let new: Vec<&str> = after[requests.len()..].lines().collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].contains("SHA256SUMS"), "{new:?}");
    let installed = Command::new(dir.path().join("tool-cache/drift"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&installed.stdout).trim(),
        format!("drift {VERSION}"),
        "the binary comes from the checked archive, not the cache"
    );
    // A cached archive changed since: the step fails and the entry is gone.
    let cached = dir
        .path()
        .join(format!("tool-cache/drift-v{VERSION}-{LINUX}.tar.gz"));
    let mut bytes = std::fs::read(&cached).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&cached, bytes).unwrap();
    let (code, log, path) = install(dir.path(), &server.url, "Linux", "X64");
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("does not match SHA256SUMS"), "{log}");
    assert!(path.is_empty(), "nothing is put on the PATH");
    assert!(!cached.exists() && !dir.path().join("tool-cache/drift").exists());
}

/// Every workflow, action and example workflow is YAML a parser reads (a
/// plain scalar holding `: ` is not, and GitHub rejects the file).
#[test]
fn every_workflow_is_valid_yaml() {
    let mut files = Vec::new();
    for dir in [
        ".github/workflows",
        "examples/github",
        ".github/actions/drift-check",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: Result<serde_json::Value, _> = serde_saphyr::from_str(&text);
        let v = parsed.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(v.is_object(), "{}", path.display());
    }
}

#[test]
fn a_checksum_mismatch_fails_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let server = FileServer::start(&release(dir.path(), true));
    let (code, log, path) = install(dir.path(), &server.url, "Linux", "X64");
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("does not match SHA256SUMS"), "{log}");
    assert!(!dir.path().join("tool-cache/drift").exists());
    assert!(path.is_empty(), "nothing is put on the PATH");
}

#[test]
fn without_a_matching_release_it_builds_from_source_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty-site");
    std::fs::create_dir_all(&empty).unwrap();
    let server = FileServer::start(&empty);
    for (os, arch, why) in [
        ("Linux", "X64", "no release v"),
        ("Linux", "ARM32", "no release archive for Linux/ARM32"),
    ] {
        let (code, log, path) = install(dir.path(), &server.url, os, arch);
        assert_eq!(code, 0, "{log}");
        assert!(
            log.contains("::notice title=drift::") && log.contains(why),
            "{log}"
        );
        assert!(
            log.contains("building drift")
                && log.contains("from source with cargo install --locked"),
            "{log}"
        );
        let args = std::fs::read_to_string(dir.path().join("cargo-args")).unwrap();
        assert!(args.starts_with("install --locked --path "), "{args}");
        assert_eq!(path.trim(), dir.path().join("build/bin").to_str().unwrap());
        assert!(
            !dir.path().join("tool-cache/drift").exists(),
            "a build is not cached"
        );
    }
    // A release without this platform's archive is the same.
    let server = FileServer::start(&release(dir.path(), false));
    let (code, log, _) = install(dir.path(), &server.url, "Windows", "X64");
    assert_eq!(code, 0);
    assert!(log.contains("has no drift-v"), "{log}");
}

#[test]
fn the_release_workflow_the_action_and_binstall_name_archives_alike() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let script =
        std::fs::read_to_string(root().join(".github/actions/drift-check/install.sh")).unwrap();
    let cargo = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            workflow.contains(&format!("target: {target}")),
            "the workflow builds {target}"
        );
        assert!(
            script.contains(&format!("target={target}")),
            "the action downloads {target}"
        );
    }
    assert!(workflow.contains(r#"name="drift-v$version-$TARGET""#));
    assert!(script.contains(r#"archive="drift-v$version-$target.tar.gz""#));
    assert!(script.contains(r#"archive="drift-v$version-$target.zip""#));
    assert!(cargo.contains(
        r#"pkg-url = "{ repo }/releases/download/v{ version }/drift-v{ version }-{ target }{ archive-suffix }""#
    ));
    assert!(cargo.contains(r#"bin-dir = "drift-v{ version }-{ target }/{ bin }{ binary-ext }""#));
}

/// The container's base image is pinned by digest, not only by tag.
#[test]
fn the_container_base_is_pinned_by_digest() {
    let text = std::fs::read_to_string(root().join(".github/docker/Dockerfile")).unwrap();
    let from: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(!from.is_empty());
    for line in from {
        let digest = line.split("@sha256:").nth(1).unwrap_or("");
        assert!(
            digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line}"
        );
    }
}

/// CI builds the static Linux target the way the release workflow does, so
/// that a release tag is not the first build of it.
#[test]
fn ci_builds_the_release_musl_target_like_the_release_workflow() {
    let ci = std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap();
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let install = "cargo install cross --locked --version ";
    let version = |text: &str| {
        let at = text.find(install).expect("cross installed") + install.len();
        text[at..].split_whitespace().next().unwrap().to_string()
    };
    assert_eq!(version(&ci), version(&release));
    assert!(ci.contains("cross build --release --locked --target x86_64-unknown-linux-musl"));
    assert!(release.contains("x86_64-unknown-linux-musl"));
    assert!(release.contains("cross build --release --locked --target \"$TARGET\""));
}

/// The action runs drift once (a live read reads the account once) and
/// gets the log, the SARIF report and the comment from that one run.
#[test]
fn the_action_checks_once() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    let wrapper = dir.path().join("drift-wrapper");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            calls.display(),
            env!("CARGO_BIN_EXE_drift")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = dir.path().join("output");
    let out = Command::new("bash")
        .arg(root().join(".github/actions/drift-check/run.sh"))
        .current_dir(root())
        .env("DRIFT", &wrapper)
        .env("INPUT_PLAN", fixture("weaken-password-policy"))
        .env("INPUT_COMMENT", "false")
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_TEMP", dir.path())
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let calls = std::fs::read_to_string(&calls).unwrap();
    assert_eq!(calls.lines().count(), 1, "{calls}");
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(
        outputs.contains("exit-code=1"),
        "{outputs}{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif = dir.path().join("drift/drift.sarif");
    let comment = dir.path().join("drift/comment.md");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 2);
    assert!(std::fs::read_to_string(comment)
        .unwrap()
        .contains("password-policy-weakened"));
}

/// `upload-sarif: auto` uploads where code scanning can take the report:
/// public repositories, private ones with Advanced Security, never a fork's
/// pull request; otherwise a notice, not a failed job.
#[test]
fn sarif_upload_auto_follows_what_code_scanning_takes() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);
    let decide = |mode: &str, event: serde_json::Value| {
        let path = dir.path().join("event.json");
        std::fs::write(&path, event.to_string()).unwrap();
        let out = Command::new("bash")
            .arg(root().join(".github/actions/drift-check/sarif.sh"))
            .env("INPUT_UPLOAD_SARIF", mode)
            .env("GITHUB_EVENT_PATH", &path)
            .env("GITHUB_REPOSITORY", "acme/infra")
            .env("GITHUB_API_URL", &api)
            .env("GITHUB_TOKEN", "fake-token")
            .env_remove("GITHUB_OUTPUT")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let own = serde_json::json!({"repository": {"private": false},
        "pull_request": {"number": 7, "head": {"repo": {"full_name": "acme/infra"}}}});
    assert!(decide("auto", own.clone()).ends_with("upload=true\n"));
    let fork = serde_json::json!({"repository": {"private": false},
        "pull_request": {"number": 7, "head": {"repo": {"full_name": "mallory/infra"}}}});
    let said = decide("auto", fork.clone());
    assert!(
        said.ends_with("upload=false\n") && said.contains("::notice"),
        "{said}"
    );
    let private = serde_json::json!({"repository": {"private": true}});
    // The token cannot read the settings (no repo.json yet): not uploaded.
    let said = decide("auto", private.clone());
    assert!(
        said.ends_with("upload=false\n") && said.contains("Advanced Security"),
        "{said}"
    );
    std::fs::write(
        dir.path().join("contents/repo.json"),
        r#"{"full_name": "acme/infra", "security_and_analysis": {"advanced_security": {"status": "enabled"}}}"#,
    )
    .unwrap();
    assert!(decide("auto", private.clone()).ends_with("upload=true\n"));
    std::fs::write(
        dir.path().join("contents/repo.json"),
        r#"{"full_name": "acme/infra", "security_and_analysis": {"advanced_security": {"status": "disabled"}}}"#,
    )
    .unwrap();
    assert!(decide("auto", private).ends_with("upload=false\n"));
    // Asked for explicitly, it is what was asked.
    assert_eq!(decide("true", fork.clone()), "upload=true\n");
    assert_eq!(decide("false", own), "upload=false\n");
    assert!(decide("maybe", fork).contains("::error"));
}

/// A commit of the action that records the release's checksums installs only
/// those archives, whatever the release's SHA256SUMS says; without a record
/// it says that SHA256SUMS alone was checked.
#[test]
fn the_checksums_the_action_records_pin_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let site = release(dir.path(), false);
    let sums = std::fs::read_to_string(site.join(format!("v{VERSION}/SHA256SUMS"))).unwrap();
    let server = FileServer::start(&site);

    let (code, log, _) = install(dir.path(), &server.url, "Linux", "X64");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("records no checksum"), "{log}");

    std::fs::write(dir.path().join("pinned-sums"), &sums).unwrap();
    let (code, log, _) = install(dir.path(), &server.url, "Linux", "X64");
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("and the checksum this commit of the action records"),
        "{log}"
    );

    // The release's files changed after the action recorded them.
    std::fs::write(
        dir.path().join("pinned-sums"),
        format!("{}  drift-v{VERSION}-{LINUX}.tar.gz\n", "2".repeat(64)),
    )
    .unwrap();
    std::fs::remove_dir_all(dir.path().join("tool-cache")).unwrap();
    let (code, log, path) = install(dir.path(), &server.url, "Linux", "X64");
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("this commit of the action recorded"), "{log}");
    assert!(path.is_empty(), "nothing installed");
    assert!(!dir.path().join("tool-cache/drift").exists());
}

/// The action's repository comes from where the runner checked it out, not
/// from `github.action_repository`.
#[test]
fn the_action_knows_its_own_repository_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("_actions/acme/iam-drift-guard/0123abcd");
    let action = checkout.join(".github/actions/drift-check");
    std::fs::create_dir_all(&action).unwrap();
    std::fs::write(
        checkout.join("Cargo.toml"),
        "[package]\nname = \"iam-drift-guard\"\nversion = \"7.8.9\"\n",
    )
    .unwrap();
    let which = |path: &std::path::Path, extra: &[(&str, &str)]| {
        let mut cmd = Command::new("bash");
        cmd.arg(root().join(".github/actions/drift-check/which.sh"))
            .env("GITHUB_ACTION_PATH", path)
            .env("GITHUB_REPOSITORY", "someone/terraform")
            .env("RUNNER_TOOL_CACHE", "/cache")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("INPUT_VERSION")
            .env_remove("INPUT_REPOSITORY");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let said = which(&action, &[]);
    assert!(said.contains("version=7.8.9\n"), "{said}");
    assert!(said.contains("repository=acme/iam-drift-guard\n"), "{said}");
    assert!(said.contains("ref=0123abcd\n"), "{said}");
    assert!(
        said.contains("dir=/cache/iam-drift-guard/7.8.9/Linux-X64\n"),
        "{said}"
    );
    // Used from this repository (`uses: ./.github/actions/drift-check`).
    let local = which(&root().join(".github/actions/drift-check"), &[]);
    assert!(local.contains("repository=someone/terraform\n"), "{local}");
    assert!(local.contains(&format!("version={VERSION}\n")), "{local}");
    // Inputs win.
    let asked = which(
        &action,
        &[
            ("INPUT_VERSION", "v1.2.3"),
            ("INPUT_REPOSITORY", "fork/drift"),
        ],
    );
    assert!(
        asked.contains("version=1.2.3\n") && asked.contains("repository=fork/drift\n"),
        "{asked}"
    );
}

/// The release workflow records a release's checksums in the action, keeping
/// those of earlier releases.
#[test]
fn recording_checksums_keeps_earlier_releases() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("checksums.txt");
    let sums = dir.path().join("SHA256SUMS");
    let record = |text: &str| {
        std::fs::write(&sums, text).unwrap();
        Command::new("bash")
            .arg(root().join("scripts/record-checksums.sh"))
            .arg(&sums)
            .arg(&file)
            .status()
            .unwrap()
            .success()
    };
    let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    assert!(record(&format!("{a}  drift-v0.1.0-x.tar.gz\n")));
    assert!(record(&format!(
        "{b}  drift-v0.2.0-x.tar.gz\n{c}  drift-v0.2.0-y.tar.gz\n"
    )));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!(
            "{a}  drift-v0.1.0-x.tar.gz\n{b}  drift-v0.2.0-x.tar.gz\n{c}  drift-v0.2.0-y.tar.gz\n"
        )
    );
    assert!(
        !record("not a checksum  drift-v0.3.0-x.tar.gz\n"),
        "refused"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 3);
    // The action's own record starts empty: no release yet.
    let own =
        std::fs::read_to_string(root().join(".github/actions/drift-check/checksums.txt")).unwrap();
    assert!(own.lines().all(|l| l.len() > 66), "{own}");
}
