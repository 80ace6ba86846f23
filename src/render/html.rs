//! A self-contained HTML report for nightly runs: no external assets, readable
//! when opened from disk; a severity summary, a table of findings, and filters
//! by severity and resource kind.

use super::Report;
use crate::finding::Severity;
use crate::trend::Status;
use serde_json::Value;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn value(v: &Value) -> String {
    match v {
        Value::Null => "absent".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.meta { color: #59636e; margin-bottom: 1rem; }
.cards { display: flex; gap: .75rem; margin: 1rem 0; flex-wrap: wrap; }
.card { border: 1px solid #d1d9e0; border-radius: 6px; padding: .5rem 1rem; min-width: 6rem; }
.card b { display: block; font-size: 1.3rem; }
.filters { margin: 1rem 0; display: flex; gap: 1rem; align-items: center; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #d1d9e0; padding: .4rem .5rem; }
th { background: #f6f8fa; }
td pre { margin: 0; white-space: pre-wrap; word-break: break-word; max-height: 12rem; overflow: auto; font-size: 12px; }
.sev { font-weight: 600; border-radius: 4px; padding: 0 .4rem; }
.critical { background: #ffebe9; color: #a40e26; } .high { background: #fff1e5; color: #9a3412; }
.medium { background: #fff8c5; color: #7d4e00; } .low { background: #ddf4ff; color: #0550ae; }
.info { background: #f6f8fa; color: #59636e; }
.status-new { color: #a40e26; font-weight: 600; } .status-persisting { color: #59636e; }
code { font-size: 12px; }
"#;

const SCRIPT: &str = r#"
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var sev = document.getElementById('severity');
  var kind = document.getElementById('kind');
  var kinds = {};
  rows.forEach(function (r) { kinds[r.getAttribute('data-kind')] = true; });
  Object.keys(kinds).sort().forEach(function (k) {
    var o = document.createElement('option'); o.value = k; o.textContent = k; kind.appendChild(o);
  });
  function apply() {
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (sev.value === '' || r.getAttribute('data-severity') === sev.value) &&
               (kind.value === '' || r.getAttribute('data-kind') === kind.value);
      r.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' shown';
  }
  sev.addEventListener('change', apply);
  kind.addEventListener('change', apply);
  apply();
  document.body.setAttribute('data-filters', 'ready');
})();
"#;

pub fn render(report: &Report) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>drift report</title>\n");
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str("<h1>IAM drift report</h1>\n");
    let sources: Vec<String> = report
        .sources
        .iter()
        .map(|s| match &s.path {
            Some(p) => format!("{} <code>{}</code>", s.kind, esc(p)),
            None => s.kind.to_string(),
        })
        .collect();
    out.push_str(&format!(
        "<div class=\"meta\">baseline <code>{}</code> · {} · drift {}</div>\n",
        esc(report.baseline_path),
        sources.join(", "),
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str("<div class=\"cards\" id=\"summary\">\n");
    for s in Severity::ALL {
        out.push_str(&format!(
            "<div class=\"card\"><span class=\"sev {s}\">{s}</span><b>{}</b></div>\n",
            report.count(s)
        ));
    }
    if report.out_of_scope > 0 {
        out.push_str(&format!(
            "<div class=\"card\">out of scope<b>{}</b></div>\n",
            report.out_of_scope
        ));
    }
    out.push_str("</div>\n");
    if let Some(t) = report.trend {
        out.push_str(&format!(
            "<p id=\"trend\">Since the last run: <b>{}</b> new, <b>{}</b> persisting, <b>{}</b> resolved.</p>\n",
            t.count(Status::New),
            t.count(Status::Persisting),
            t.resolved.len()
        ));
    }
    out.push_str("<div class=\"filters\"><label>Severity <select id=\"severity\"><option value=\"\">all</option>");
    for s in Severity::ALL {
        out.push_str(&format!("<option value=\"{s}\">{s}</option>"));
    }
    out.push_str("</select></label><label>Resource kind <select id=\"kind\"><option value=\"\">all</option></select></label><span id=\"shown\"></span></div>\n");
    out.push_str("<table id=\"findings\">\n<thead><tr><th>severity</th><th>rule</th><th>resource</th><th>finding</th><th>expected</th><th>observed</th><th>source</th><th>baseline</th>");
    if report.trend.is_some() {
        out.push_str("<th>since last run</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, f) in report.findings.iter().enumerate() {
        let kind = f.resource.leaf_kind().as_str();
        out.push_str(&format!(
            "<tr data-severity=\"{}\" data-kind=\"{}\"><td><span class=\"sev {}\">{}</span></td><td><code>{}</code></td><td><code>{}</code></td><td>{}{}</td><td><pre>{}</pre></td><td><pre>{}</pre></td><td><code>{}</code>{}</td><td>{}</td>",
            f.severity,
            esc(kind),
            f.severity,
            f.severity,
            f.rule,
            esc(f.resource.as_str()),
            esc(&f.message),
            f.field.as_ref().map(|x| format!("<br><small>field <code>{}</code></small>", esc(x))).unwrap_or_default(),
            esc(&value(&f.expected)),
            esc(&value(&f.observed)),
            esc(&f.source.label()),
            super::who_text(report.who(f))
                .map(|w| format!("<br><small>who: {}</small>", esc(&w)))
                .unwrap_or_default(),
            f.baseline_location
                .map(|l| format!("<code>{}:{}:{}</code>", esc(report.baseline_path), l.line, l.column))
                .unwrap_or_default(),
        ));
        if let Some(t) = report.trend {
            let status = t.status.get(i).map_or("", |s| s.as_str());
            out.push_str(&format!("<td class=\"status-{status}\">{status}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if report.findings.is_empty() {
        out.push_str("<p id=\"empty\">No drift from the baseline.</p>\n");
    }
    if let Some(t) = report.trend.filter(|t| !t.resolved.is_empty()) {
        out.push_str("<h2>Resolved since the last run</h2>\n<ul id=\"resolved\">\n");
        for p in &t.resolved {
            out.push_str(&format!(
                "<li><code>{}</code> {} <code>{}</code>: {}</li>\n",
                esc(&p.rule),
                esc(&p.severity),
                esc(&p.resource),
                esc(&p.message)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}
