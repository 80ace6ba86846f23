//! report.html and history.json: the verdict and trend first, the chart over
//! the runs of the history, findings grouped by resource with their change,
//! source, baseline line, who and fix; filters kept in the URL; checked as
//! text, in headless Chromium at desktop and phone widths, and with axe-core.

use crate::common::browser::{self, *};
use crate::common::*;
use serde_json::{json, Value};
use std::path::Path;

/// A copy of the weaken-password-policy plan that also widens the `app`
/// role's trust policy, lets the `deploy` policy do anything, deletes an SSH
/// key and an instance profile, renames `alice` and creates a user: findings
/// of every severity but info, on six kinds of resource.
fn rich_plan(dir: &Path) -> std::path::PathBuf {
    let mut plan: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join(fixture("weaken-password-policy"))).unwrap(),
    )
    .unwrap();
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        let address = rc["address"].as_str().unwrap().to_string();
        let change = &mut rc["change"];
        match address.as_str() {
            "aws_iam_role.app" => {
                change["actions"] = json!(["update"]);
                change["after"]["assume_role_policy"] = json!(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"
                );
            }
            "aws_iam_policy.deploy" => {
                change["actions"] = json!(["update"]);
                change["after"]["policy"] = json!(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"
                );
            }
            "aws_iam_user_ssh_key.deploy"
            | "module.compute.aws_iam_instance_profile.this[\"app\"]" => {
                change["actions"] = json!(["delete"]);
                change["after"] = Value::Null;
            }
            "aws_iam_user.alice" => {
                change["actions"] = json!(["update"]);
                change["after"]["name"] = json!("mallory");
            }
            _ => {}
        }
    }
    // What the plan deletes is not among its planned values.
    retain_planned(&mut plan, &|a| {
        a != "aws_iam_user_ssh_key.deploy"
            && a != "module.compute.aws_iam_instance_profile.this[\"app\"]"
    });
    push(
        &mut plan,
        create(
            None,
            "aws_iam_user",
            "intruder",
            None,
            json!({"name": "intruder", "path": "/", "force_destroy": false, "permissions_boundary": null, "tags": null}),
            json!({"arn": true, "id": true, "unique_id": true, "tags_all": true}),
        ),
    );
    write_json(dir, "rich-plan.json", &plan)
}

fn report(out: &Path, plan: &Path, previous: Option<&Path>) -> Run {
    let mut args = vec![
        "report",
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if let Some(p) = previous {
        args.extend(["--previous", p.to_str().unwrap()]);
    }
    drift(&args)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Moves a report (and its history) back in time by `days`, as if it had run
/// then.
fn age(dir: &Path, days: i64) {
    let shift = |t: &str| {
        let secs = iam_drift_guard::time::parse(t).unwrap() - days * 86_400;
        iam_drift_guard::time::rfc3339(secs)
    };
    let mut r = read_json(&dir.join("report.json"));
    r["generated_at"] = json!(shift(r["generated_at"].as_str().unwrap()));
    std::fs::write(dir.join("report.json"), r.to_string()).unwrap();
    let mut h = read_json(&dir.join("history.json"));
    for run in h["runs"].as_array_mut().unwrap() {
        run["generated_at"] = json!(shift(run["generated_at"].as_str().unwrap()));
    }
    if let Some(accounts) = h.get_mut("accounts").and_then(Value::as_object_mut) {
        for runs in accounts.values_mut() {
            for run in runs.as_array_mut().unwrap() {
                run["generated_at"] = json!(shift(run["generated_at"].as_str().unwrap()));
            }
        }
    }
    std::fs::write(dir.join("history.json"), h.to_string()).unwrap();
}

/// A night on the rich plan, then one on the weaken-password-policy plan
/// with the first as `--previous`: a page with a trend, a chart of two runs
/// and resolved findings. The second report's folder.
fn two_nights(dir: &Path) -> std::path::PathBuf {
    let plan = rich_plan(dir);
    let first = dir.join("first");
    assert_eq!(report(&first, &plan, None).code, 1);
    age(&first, 1);
    let out = dir.join("out");
    let weaken = root().join(fixture("weaken-password-policy"));
    let run = report(&out, &weaken, Some(&first.join("report.json")));
    assert_eq!(run.code, 1, "{}", run.stderr);
    out
}

fn counts(run: &Value) -> [u64; 5] {
    ["critical", "high", "medium", "low", "info"].map(|s| run[s].as_u64().unwrap())
}

#[test]
fn each_report_keeps_a_history_fed_by_previous() {
    let dir = tempfile::tempdir().unwrap();
    let plan = rich_plan(dir.path());
    let night1 = dir.path().join("night1");
    let r = report(&night1, &plan, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("history.json"), "{}", r.stdout);
    let h1 = read_json(&night1.join("history.json"));
    let summary = read_json(&night1.join("report.json"))["summary"].clone();
    assert_eq!(h1["version"], 1);
    assert_eq!(h1["runs"].as_array().unwrap().len(), 1);
    assert_eq!(counts(&h1["runs"][0]), counts(&summary));
    assert_eq!(
        h1["runs"][0]["generated_at"],
        read_json(&night1.join("report.json"))["generated_at"]
    );
    age(&night1, 2);

    // The next night, on a plan with fewer findings.
    let night2 = dir.path().join("night2");
    let r = report(
        &night2,
        &root().join(fixture("weaken-password-policy")),
        Some(&night1.join("report.json")),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let h2 = read_json(&night2.join("history.json"));
    let runs = h2["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0], read_json(&night1.join("history.json"))["runs"][0]);
    assert_eq!(counts(&runs[1]), [0, 2, 0, 0, 0]);
    let html = std::fs::read_to_string(night2.join("report.html")).unwrap();
    assert_eq!(html.matches("<g class=\"run").count(), 2, "one bar per run");
    assert_eq!(html.matches("<g class=\"run now\">").count(), 1);
    assert!(html.contains(&format!(
        "Since the last run ({})",
        runs[0]["generated_at"].as_str().unwrap()
    )));

    // A previous report without its history: that report is the one earlier run.
    age(&night2, 1);
    std::fs::remove_file(night2.join("history.json")).unwrap();
    let night3 = dir.path().join("night3");
    assert_eq!(
        report(&night3, &plan, Some(&night2.join("report.json"))).code,
        1
    );
    let runs = read_json(&night3.join("history.json"))["runs"].clone();
    assert_eq!(runs.as_array().unwrap().len(), 2);
    assert_eq!(counts(&runs[0]), [0, 2, 0, 0, 0]);
    assert_eq!(counts(&runs[1]), counts(&h1["runs"][0]));
}

#[test]
fn the_history_is_bounded_and_a_broken_one_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let plan = rich_plan(dir.path());
    let night = dir.path().join("night");
    assert_eq!(report(&night, &plan, None).code, 1);
    // 70 earlier nights: the oldest ten are dropped.
    let now = iam_drift_guard::time::parse(
        read_json(&night.join("report.json"))["generated_at"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let runs: Vec<Value> = (1..=70)
        .rev()
        .map(|d| {
            json!({"generated_at": iam_drift_guard::time::rfc3339(now - d * 86_400),
                   "critical": d % 3, "high": 1, "medium": 0, "low": 0, "info": 0})
        })
        .collect();
    std::fs::write(
        night.join("history.json"),
        json!({"version": 1, "runs": runs}).to_string(),
    )
    .unwrap();
    let next = dir.path().join("next");
    let r = report(&next, &plan, Some(&night.join("report.json")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let kept = read_json(&next.join("history.json"))["runs"].clone();
    let kept = kept.as_array().unwrap();
    assert_eq!(kept.len(), 60);
    assert_eq!(kept[0], runs[11], "the oldest runs are the ones dropped");
    let html = std::fs::read_to_string(next.join("report.html")).unwrap();
    assert_eq!(html.matches("<g class=\"run").count(), 60);

    // A history that is not one: exit 2, located, and nothing written.
    for (text, says) in [
        ("{\"version\": 1, \"runs\": [{\"generated_at\": \"2026-11-01T00:00:00Z\"", "line 1 column"),
        ("{\"version\": 1, \"runs\": [{\"generated_at\": \"yesterday\", \"critical\": 0, \"high\": 0, \"medium\": 0, \"low\": 0, \"info\": 0}]}", "run 1 has `generated_at` `yesterday`"),
        ("{\"version\": 2, \"runs\": []}", "history version 2"),
        ("{\"version\": 1, \"runs\": [], \"extra\": 1}", "unknown field `extra`"),
    ] {
        std::fs::write(night.join("history.json"), text).unwrap();
        let out = dir.path().join("broken");
        let r = report(&out, &plan, Some(&night.join("report.json")));
        assert_eq!(r.code, 2, "{text}: {}", r.stderr);
        assert!(r.stderr.contains("history.json` is not a drift history"), "{}", r.stderr);
        assert!(r.stderr.contains(says), "{says}: {}", r.stderr);
        assert!(!out.exists(), "nothing is written from a broken history");
    }
}

#[test]
fn the_page_puts_the_verdict_first_and_reads_without_script() {
    let dir = tempfile::tempdir().unwrap();
    let plan = rich_plan(dir.path());
    let out = dir.path().join("out");
    assert_eq!(report(&out, &plan, None).code, 1);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let v = read_json(&out.join("report.json"));
    let findings = v["findings"].as_array().unwrap();
    let failing = findings
        .iter()
        .filter(|f| ["critical", "high", "medium"].contains(&f["severity"].as_str().unwrap()))
        .count();

    // The verdict is the first thing after the skip link, then the trend.
    let body = &html[html.find("<body>").unwrap()..];
    let verdict = body.find("id=\"verdict\"").unwrap();
    assert!(
        body[..verdict].matches('<').count() <= 4,
        "{}",
        &body[..verdict]
    );
    assert!(
        html.contains(&format!("Fails: {failing} findings at or above medium")),
        "the default --fail-on"
    );
    assert!(body.find("id=\"trend-h\"").unwrap() < body.find("id=\"findings-h\"").unwrap());
    assert!(html.contains("No earlier run to compare with"));
    assert_eq!(html.matches("<g class=\"run now\">").count(), 1);

    // Findings grouped by resource: one section per resource, one article per
    // finding, in the JSON's number.
    let mut resources: Vec<&str> = findings
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    resources.sort();
    resources.dedup();
    assert_eq!(
        html.matches("<section class=\"resource\"").count(),
        resources.len()
    );
    assert_eq!(
        html.matches("<article class=\"finding\"").count(),
        findings.len()
    );
    assert!(resources.len() >= 6, "{resources:?}");
    // Every finding has its source, baseline line (when declared) and fix:
    // console, CLI, Terraform.
    assert_eq!(
        html.matches("<details class=\"fix\">").count(),
        findings.len()
    );
    assert_eq!(html.matches("<dt>source</dt>").count(), findings.len());
    let declared = findings
        .iter()
        .filter(|f| !f["baseline_location"].is_null())
        .count();
    assert_eq!(
        html.matches("<dt>baseline</dt><dd><code>baseline.yaml:")
            .count(),
        declared
    );
    for label in ["<dt>Console</dt>", "<dt>CLI</dt>", "<dt>Terraform</dt>"] {
        assert!(html.matches(label).count() >= findings.len() - 1, "{label}");
    }
    // The policy documents that changed show as a diff, not two blobs.
    let diffs = findings.iter().filter(|f| !f["diff"].is_null()).count();
    assert!(diffs >= 2, "{diffs}");
    assert!(html.matches("<pre class=\"diff\">").count() >= diffs);
    assert!(html.contains("<span class=\"add\">+"));
    assert!(html.contains("<span class=\"del\">-"));
    // Backticks are code, not shown as they are.
    for message in html.split("<p class=\"message\">").skip(1) {
        let message = &message[..message.find("</p>").unwrap()];
        assert!(!message.contains('`'), "{message}");
    }
    assert!(html.contains("<p class=\"message\">") && html.contains("<code>intruder</code>"));
    // Without script: the filters are hidden, no finding is.
    assert!(html.contains("<form class=\"filters\" id=\"filters\" hidden"));
    assert!(!html.contains("<article class=\"finding\" hidden"));
    assert!(!html.contains("<section class=\"resource\" hidden"));
    // Self-contained.
    for needle in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
}

#[test]
fn a_clean_report_says_it_passes() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        report(dir.path(), &root().join(fixture("clean")), None).code,
        0
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("data-verdict=\"pass\""));
    assert!(html.contains("Passes: no drift from the baseline"));
    assert!(html.contains("id=\"empty\""));
    assert!(!html.contains("id=\"filters\""));
}

/// The page in a browser: filters read from the URL's fragment, written back
/// to it, and groups without a shown finding hidden.
#[test]
fn filters_come_from_the_url_and_go_back_to_it() {
    let Some(chromium) = browser::chromium("the report's filters") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan = rich_plan(dir.path());
    let out = dir.path().join("out");
    assert_eq!(report(&out, &plan, None).code, 1);
    let page = out.join("report.html");
    let v = read_json(&out.join("report.json"));
    let findings = v["findings"].as_array().unwrap();
    let total = findings.len();

    let state = "var shown = [].filter.call(document.querySelectorAll('article.finding'), function (a) { return !a.hidden; }); \
        return {ready: document.body.getAttribute('data-filters'), hash: location.hash, formHidden: document.getElementById('filters').hidden, \
        shown: shown.map(function (a) { return a.getAttribute('data-severity') + ' ' + a.closest('section.resource').getAttribute('data-kind'); }), \
        groups: [].filter.call(document.querySelectorAll('section.resource'), function (g) { return !g.hidden; }).length, \
        text: document.getElementById('shown').textContent};";

    // No fragment: everything, and the form shown.
    let all = probe(chromium, &page, 1280, "", state);
    assert_eq!(all["ready"], "ready", "{all}");
    assert_eq!(all["formHidden"], false);
    assert_eq!(all["shown"].as_array().unwrap().len(), total);
    assert_eq!(all["text"], format!("{total} of {total} findings shown"));

    // `#severity=high`: high and critical only (at or above).
    let high = probe(chromium, &page, 1280, "#severity=high", state);
    let want = findings
        .iter()
        .filter(|f| ["critical", "high"].contains(&f["severity"].as_str().unwrap()))
        .count();
    assert_eq!(high["shown"].as_array().unwrap().len(), want, "{high}");
    assert!(want < total);

    // `#kind=ssh-key`: the one key finding, and its resource alone.
    let keys = probe(chromium, &page, 1280, "#kind=ssh-key", state);
    assert_eq!(keys["shown"], json!(["medium ssh-key"]), "{keys}");
    assert_eq!(keys["groups"], 1);

    // `#q=mallory`: text search.
    let q = probe(chromium, &page, 1280, "#q=mallory", state);
    assert!(!q["shown"].as_array().unwrap().is_empty());
    assert!(q["shown"].as_array().unwrap().len() < total);

    // Choosing in the form writes the fragment (a reload keeps the view).
    let chosen = probe(
        chromium,
        &page,
        1280,
        "",
        &format!("var f = document.getElementById('filters'); f.elements.severity.value = 'high'; f.elements.kind.value = 'password-policy'; f.dispatchEvent(new Event('change')); {state}"),
    );
    assert_eq!(
        chosen["hash"], "#severity=high&kind=password-policy",
        "{chosen}"
    );
    assert_eq!(
        chosen["shown"],
        json!(["high password-policy", "high password-policy"]),
        "{chosen}"
    );

    // A value that is not an option is ignored, not an empty page.
    let odd = probe(
        chromium,
        &page,
        1280,
        "#severity=urgent&kind=%3Cscript%3E",
        state,
    );
    assert_eq!(odd["shown"].as_array().unwrap().len(), total);
}

/// Screenshots at desktop and phone widths: the verdict's band on top, and
/// nothing wider than the screen on a phone. The pictures are kept in
/// `target/report-screenshots/`.
#[test]
fn screenshots_at_desktop_and_phone_widths() {
    let Some(chromium) = browser::chromium("the report's screenshots") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = two_nights(dir.path());
    let page = out.join("report.html");
    for (name, width, height) in [("desktop", 1280u32, 900u32), ("phone", 390, 844)] {
        let png = screenshot(chromium, &page, width, height, name);
        let (w, h, pixels) = png_pixels(&png);
        assert_eq!((w, h), (width, height), "{name}");
        // The failing verdict's band: the page starts in its color.
        let band = [0xff, 0xeb, 0xe9];
        assert_eq!(pixels[(5 * w + 5) as usize], band, "{name}: top left");
        assert_eq!(pixels[(5 * w + w - 6) as usize], band, "{name}: top right");
        // Below it, the page is drawn: text and chart colors, not one blank.
        let lower = &pixels[(h as usize / 2) * w as usize..];
        let mut colors: Vec<[u8; 3]> = lower.iter().step_by(7).copied().collect();
        colors.sort();
        colors.dedup();
        assert!(colors.len() > 20, "{name}: {} colors", colors.len());

        // Nothing is wider than the window, at either width.
        let layout = probe(
            chromium,
            &page,
            width,
            "",
            "var wide = [].filter.call(document.querySelectorAll('body *'), function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1 && !e.closest('.table-scroll, .diff, pre, svg'); }).map(function (e) { return e.tagName + '.' + e.className; }); \
             return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 5), chart: document.querySelector('svg.chart').getBoundingClientRect().width};",
        );
        assert!(
            layout["scroll"].as_u64() <= layout["inner"].as_u64(),
            "{name}: {layout}"
        );
        assert_eq!(layout["wide"], json!([]), "{name}: {layout}");
        assert!(
            layout["chart"].as_f64().unwrap() > 300.0,
            "{name}: {layout}"
        );
    }
}

/// axe-core's checks (contrast, headings, table and form semantics, ARIA)
/// on the page with findings, a trend and resolved findings, at both widths.
#[test]
fn axe_finds_no_accessibility_violation() {
    let Some(chromium) = browser::chromium("the accessibility check") else {
        return;
    };
    let Some(axe) = axe_core() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = two_nights(dir.path());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("id=\"resolved\""),
        "the page has resolved findings"
    );
    // And a page over several accounts: its sections and their histories.
    let accounts = two_account_nights(&dir.path().join("accounts"));
    // The fixes and documents opened, so that their contents are checked too.
    let run = "[].forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; }); \
        return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}).then(function (r) { \
        return {rules: r.passes.length, violations: r.violations.map(function (v) { return {id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' ') + ': ' + n.failureSummary; })}; })}; });";
    for page in [out.join("report.html"), accounts.join("report.html")] {
        for width in [1280, 390] {
            let result = probe_with(chromium, &page, width, "", &axe, run);
            assert!(result["rules"].as_u64().unwrap_or(0) > 10, "{result}");
            assert_eq!(
                result["violations"],
                json!([]),
                "{} at {width} px: {result:#}",
                page.display()
            );
        }
    }
    // The check does see what it is meant to: faint text and a skipped
    // heading level, added to the same page, are violations.
    let spoiled = format!(
        "var p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#d0d0d0'; document.querySelector('main').appendChild(p); \
         var h = document.createElement('h6'); h.textContent = 'deep'; document.querySelector('main').appendChild(h); {run}"
    );
    let result = probe_with(chromium, &out.join("report.html"), 1280, "", &axe, &spoiled);
    let ids: Vec<&str> = result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"color-contrast"), "{result:#}");
    assert!(ids.contains(&"heading-order"), "{result:#}");
}

/// The page declares a Content-Security-Policy that allows its own style and
/// script by their SHA-256 and nothing else (the browser tests run the page
/// under it: filters and charts still work).
#[test]
fn the_page_runs_only_its_own_script_and_style() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let plan = rich_plan(dir.path());
    let out = dir.path().join("out");
    assert_eq!(report(&out, &plan, None).code, 1);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let between = |open: &str, close: &str| {
        let start = html.find(open).unwrap() + open.len();
        let end = start + html[start..].find(close).unwrap();
        html[start..end].to_string()
    };
    let hash = |text: &str| {
        format!(
            "'sha256-{}'",
            crate::common::stub::base64(&sha2::Sha256::digest(text.as_bytes()))
        )
    };
    let csp = between(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"",
        "\">",
    );
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(
        csp.contains(&format!(
            "script-src {};",
            hash(&between("<script>", "</script>"))
        )),
        "{csp}"
    );
    assert!(
        csp.contains(&format!(
            "style-src {};",
            hash(&between("<style>", "</style>"))
        )),
        "{csp}"
    );
    assert_eq!(
        html.matches("<script").count(),
        1,
        "one script, drift's own"
    );
    assert!(html.find("Content-Security-Policy").unwrap() < html.find("<style>").unwrap());
}

/// The example plan of two accounts over two nights, each account judged
/// against its own baseline (`--accounts`; main's asks for a longer password
/// than the plan sets): the second night's folder, in `d`.
fn two_account_nights(d: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(d).unwrap();
    // The plan's 14 is weaker than main's baseline then: a finding there.
    let main = example_main_baseline().replacen(
        "minimum_password_length: 14",
        "minimum_password_length: 16",
        1,
    );
    example_accounts(d, "version: 1\n", &main);
    let plan = root().join("examples/plan-two-accounts.json");
    let night = |out: &str, previous: Option<&str>| {
        let mut args = vec![
            "report",
            "--plan",
            plan.to_str().unwrap(),
            "--accounts",
            "accounts.yaml",
            "--baseline",
            "shared.yaml",
            "--provider-account",
            "aws=123456789012",
            "--out",
            out,
        ];
        if let Some(p) = previous {
            args.extend(["--previous", p]);
        }
        drift_in(d, &args, None)
    };
    let first = night("first", None);
    assert_eq!(first.code, 1, "{}", first.stderr);
    age(&d.join("first"), 1);
    let second = night("second", Some("first/report.json"));
    assert_eq!(second.code, 1, "{}", second.stderr);

    d.join("second")
}

/// The example plan of two accounts, each judged against its own baseline
/// (`--accounts`), over two nights: the page has a section per account with
/// findings, linked from the accounts table, and each account its own
/// history.
#[test]
fn each_account_has_its_section_and_its_own_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    two_account_nights(d);
    // Each account read has its own runs; the run's own are as before.
    let history = read_json(&d.join("second/history.json"));
    assert_eq!(history["runs"].as_array().unwrap().len(), 2);
    let audit = history["accounts"]["444455556666"].as_array().unwrap();
    assert_eq!(audit.len(), 2, "{history}");
    assert_eq!(audit[1]["critical"], 1, "{history}");
    let main = history["accounts"]["123456789012"].as_array().unwrap();
    assert_eq!(main.len(), 2, "{history}");
    let report = read_json(&d.join("second/report.json"));
    let of_main = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["account"] == "123456789012")
        .count();
    assert!(of_main > 0);
    assert_eq!(counts(&main[1]).iter().sum::<u64>(), of_main as u64);

    let page = std::fs::read_to_string(d.join("second/report.html")).unwrap();
    // Each account with findings has its section, linked from the table,
    // with its findings by severity and its history.
    for (name, id) in [("audit", "444455556666"), ("main", "123456789012")] {
        assert!(
            page.contains(&format!(
                "<section class=\"account\" id=\"account-{id}\" data-account=\"{id}\""
            )),
            "{page}"
        );
        assert!(page.contains(&format!(
            "<a href=\"#account-{id}\"><code>{name} ({id})</code></a></td><td>read</td>"
        )));
    }
    assert!(
        page.contains("aria-label=\"findings in its last 2 runs, oldest first: 1, 1\""),
        "{page}"
    );
    assert!(
        page.contains("1 finding in this run, 1 the time before"),
        "{page}"
    );
    // Its resources are headed one level below the account.
    let section = &page[page.find("id=\"account-444455556666\"").unwrap()..];
    let heading = section.find("<code>role/audit-reader").unwrap();
    assert!(
        section[..heading].ends_with("\"><h4 id=\"r1\">"),
        "{section}"
    );
    assert!(section[heading..].contains("<h5><span class=\"sev critical\">"));
    assert!(page.contains("<select name=\"account\">"));

    // In a browser, `#account=ID` shows that account's findings alone and
    // hides the other account's section.
    let Some(chromium) = browser::chromium("the report's account filter") else {
        return;
    };
    let state = "return {options: [].map.call(document.getElementById('filters').elements.account.options, function (o) { return o.value; }), \
        shown: [].filter.call(document.querySelectorAll('article.finding'), function (a) { return !a.hidden; }).map(function (a) { return a.closest('section.account').getAttribute('data-account'); }), \
        sections: [].filter.call(document.querySelectorAll('section.account'), function (s) { return !s.hidden; }).map(function (s) { return s.id; })};";
    let html = d.join("second/report.html");
    let all = probe(chromium, &html, 1280, "", state);
    assert_eq!(
        all["options"],
        json!(["", "123456789012", "444455556666"]),
        "{all}"
    );
    let audit = probe(chromium, &html, 1280, "#account=444455556666", state);
    assert_eq!(
        audit["sections"],
        json!(["account-444455556666"]),
        "{audit}"
    );
    let shown = audit["shown"].as_array().unwrap();
    assert_eq!(shown.len(), 1, "{audit}");
    assert!(shown.iter().all(|a| a == "444455556666"));
    assert!(all["shown"].as_array().unwrap().len() > shown.len());
}
