//! Headless Chromium for the HTML report: the page as the browser builds it
//! after its script ran, screenshots, and axe-core's accessibility checks.
//!
//! Without a browser the tests say "skipped"; under `.ci/run`
//! (`DRIFT_REQUIRE_BROWSER`) or in CI (`CI`) they fail instead.

use super::root;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether a missing browser (or axe-core) must fail the test.
pub fn required() -> bool {
    std::env::var_os("DRIFT_REQUIRE_BROWSER").is_some_and(|v| !v.is_empty())
        || std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The browser's command, or `None` after saying "skipped" (or a panic when
/// it is required).
pub fn chromium(what: &str) -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            !required(),
            "chromium is required here (.ci/run installs it): {what} cannot run"
        );
        eprintln!("skipped: no chromium here, {what} was not checked in a browser");
    }
    found
}

fn base_args(profile: &Path, width: u32, height: u32) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        format!("--user-data-dir={}", profile.display()),
        format!("--window-size={width},{height}"),
    ])
    .collect()
}

fn run(browser: &str, args: &[String]) -> String {
    let out = Command::new(browser)
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `script` in a copy of `page` after the page's own script, at
/// `width` pixels; the script sets `window.__probe` (any JSON value) or a
/// promise of it, which is returned.
pub fn probe(
    browser: &str,
    page: &Path,
    width: u32,
    fragment: &str,
    script: &str,
) -> serde_json::Value {
    probe_with(browser, page, width, fragment, "", script)
}

/// [`probe`] with `prelude` (such as a library) inserted before the script.
pub fn probe_with(
    browser: &str,
    page: &Path,
    width: u32,
    fragment: &str,
    prelude: &str,
    script: &str,
) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = format!(
        "Promise.resolve((function () {{ {script} }})()).then(function (v) {{ var o = document.createElement('pre'); o.id = 'probe-out'; o.textContent = JSON.stringify(v); document.body.appendChild(o); }}, function (e) {{ var o = document.createElement('pre'); o.id = 'probe-out'; o.textContent = JSON.stringify({{error: String(e)}}); document.body.appendChild(o); }});"
    );
    let hook = format!("<script>{prelude}</script><script>{probe}</script></body>");
    // The page's Content-Security-Policy allows its own script by hash: the
    // probe's scripts are allowed the same way, and the page's own script
    // still runs under the policy.
    let allowed = |text: &str| {
        use sha2::Digest;
        format!(
            "'sha256-{}'",
            super::stub::base64(&sha2::Sha256::digest(text.as_bytes()))
        )
    };
    let html = html.replacen(
        "script-src ",
        &format!("script-src {} {} ", allowed(prelude), allowed(&probe)),
        1,
    );
    let at = html.rfind("</body>").expect("the page ends its body");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("probed.html");
    std::fs::write(&copy, format!("{}{}{}", &html[..at], hook, &html[at + 7..])).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut args = base_args(profile.path(), width, 900);
    args.push("--virtual-time-budget=30000".into());
    args.push("--dump-dom".into());
    args.push(format!("file://{}{fragment}", copy.display()));
    let dom = run(browser, &args);
    let start = dom.find("<pre id=\"probe-out\">").unwrap_or_else(|| {
        panic!(
            "the probe did not finish:\n{}",
            &dom[dom.len().saturating_sub(2000)..]
        )
    }) + "<pre id=\"probe-out\">".len();
    let end = start + dom[start..].find("</pre>").expect("end of probe");
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A screenshot of the first `height` pixels at `width`, as PNG bytes; also
/// kept in `target/report-screenshots/NAME.png` for people to look at.
pub fn screenshot(browser: &str, page: &Path, width: u32, height: u32, name: &str) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shot.png");
    let mut args = base_args(profile.path(), width, height);
    args.push("--virtual-time-budget=5000".into());
    args.push(format!("--screenshot={}", file.display()));
    args.push(format!("file://{}", page.display()));
    run(browser, &args);
    let bytes = std::fs::read(&file).expect("chromium wrote the screenshot");
    let kept = root().join("target/report-screenshots");
    let _ = std::fs::create_dir_all(&kept);
    let _ = std::fs::write(kept.join(format!("{name}.png")), &bytes);
    bytes
}

/// axe-core's script (the npm package, pinned), installed with npm under
/// `target/` when missing; `None` after saying "skipped" when it cannot be
/// had (a panic when the browser checks are required).
pub fn axe_core() -> Option<String> {
    const VERSION: &str = "4.14.1";
    let dir: PathBuf = std::env::var_os("DRIFT_AXE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/axe-core"));
    let script = dir.join("node_modules/axe-core/axe.min.js");
    let installed = |s: &Path| {
        std::fs::read_to_string(dir.join("node_modules/axe-core/package.json"))
            .is_ok_and(|p| p.contains(&format!("\"version\": \"{VERSION}\"")))
            && s.is_file()
    };
    if !installed(&script) {
        let _ = std::fs::create_dir_all(&dir);
        let ok = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("axe-core@{VERSION}"))
            .status()
            .is_ok_and(|s| s.success());
        if !ok || !installed(&script) {
            assert!(
                !required(),
                "axe-core {VERSION} could not be installed with npm: the accessibility check cannot run"
            );
            eprintln!(
                "skipped: axe-core could not be installed with npm, accessibility not checked"
            );
            return None;
        }
    }
    Some(std::fs::read_to_string(script).unwrap())
}

/// Width and height of a PNG, from its header.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let n = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (n(16), n(20))
}

/// The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium
/// writes) as RGB triples, row by row.
pub fn png_pixels(png: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    use std::io::Read;
    let (width, height) = png_size(png);
    let (depth, color, interlace) = (png[24], png[25], png[28]);
    assert_eq!((depth, interlace), (8, 0), "an 8-bit, non-interlaced PNG");
    let channels = match color {
        2 => 3,
        6 => 4,
        other => panic!("PNG color type {other}"),
    };
    let mut data = Vec::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
        let kind = &png[at + 4..at + 8];
        if kind == b"IDAT" {
            data.extend_from_slice(&png[at + 8..at + 8 + len]);
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&data[..])
        .read_to_end(&mut raw)
        .expect("PNG data inflates");
    let stride = width as usize * channels;
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for row in raw.chunks(stride + 1).take(height as usize) {
        let (filter, line) = (row[0], &row[1..]);
        let mut cur = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= channels { cur[i - channels] } else { 0 };
            let b = prev[i];
            let c = if i >= channels { prev[i - channels] } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("PNG filter {other}"),
            };
            cur[i] = line[i].wrapping_add(predicted);
        }
        pixels.extend(cur.chunks(channels).map(|p| [p[0], p[1], p[2]]));
        prev = cur;
    }
    (width, height, pixels)
}
