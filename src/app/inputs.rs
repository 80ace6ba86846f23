//! Reading what a command judges: the baseline, a plan, the live account.

use super::error::{Error, Failure};
use crate::baseline::{self, Baseline};
use crate::cli::LiveArgs;
use crate::observation::Observation;
use crate::sources::terraform::{self, Plan, PlanError, StateFile};
use std::io::Read;
use std::path::Path;

pub(super) fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::new(format!("cannot read {what} `{}`: {e}", path.display())))
}

/// Reads at most `limit` bytes of a file; a larger file is an error.
pub(super) fn read_bounded(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>, Failure> {
    let fail =
        |e: std::io::Error| Failure::new(format!("cannot read {what} `{}`: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(fail)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(fail)?;
    if bytes.len() as u64 > limit {
        return Err(Failure::new(format!(
            "{what} `{}` is larger than {} MiB: it is not a drift report",
            path.display(),
            limit / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

pub(super) fn load_baseline(path: &Path) -> Result<Baseline, Error> {
    let bytes = read_file(path, "the baseline")
        .map_err(|f| f.help("`--baseline FILE` names another file; `drift init` writes one"))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::new(format!(
            "the baseline `{}` is not UTF-8 text",
            path.display()
        ))
    })?;
    baseline::parse(&path.display().to_string(), &text).map_err(Error::Baseline)
}

/// The bytes of `spec` (`-` for standard input), and the name to report.
fn read_input(spec: &str, what: &str) -> Result<(Vec<u8>, String), Failure> {
    if spec == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure::new(format!("cannot read {what} from standard input: {e}")))?;
        Ok((buf, "<stdin>".to_string()))
    } else {
        Ok((read_file(Path::new(spec), what)?, spec.to_string()))
    }
}

/// Reads the plan at `spec` (`-` for standard input).
pub(super) fn load_plan(spec: &str) -> Result<Plan, Error> {
    load_plan_with(spec, &terraform::ProviderAccounts::new())
}

/// Reads the plan at `spec`, with the accounts of provider configurations
/// the command line gives.
pub(super) fn load_plan_with(
    spec: &str,
    given: &terraform::ProviderAccounts,
) -> Result<Plan, Error> {
    let (bytes, name) = read_input(spec, "the plan")?;
    Ok(terraform::read_with(&bytes, given).map_err(|e| plan_failure(&e, &name, &bytes))?)
}

/// Reads the Terraform state at `spec` (`-` for standard input).
pub(super) fn load_state(spec: &str) -> Result<StateFile, Error> {
    load_state_with(spec, &terraform::ProviderAccounts::new())
}

/// Reads the Terraform state at `spec`, with the accounts of provider
/// configurations the command line gives.
pub(super) fn load_state_with(
    spec: &str,
    given: &terraform::ProviderAccounts,
) -> Result<StateFile, Error> {
    let (bytes, name) = read_input(spec, "the state")?;
    Ok(terraform::read_state_with(&bytes, given).map_err(|e| plan_failure(&e, &name, &bytes))?)
}

/// A plan error, located, with a short excerpt whose string values are masked:
/// `terraform show -json` writes one line, and a plan holds secrets in plain text.
fn plan_failure(e: &PlanError, name: &str, bytes: &[u8]) -> Failure {
    let message = match e.position() {
        Some((line, column)) => {
            let (text, caret) = terraform::excerpt(bytes, offset_of(bytes, line, column));
            format!("{name}:{line}:{column}: {e}\n  {text}\n  {caret}")
        }
        None => format!("{name}: {e}"),
    };
    Failure::new(message).help(e.help())
}

/// The byte offset of a 1-based line and column (serde_json columns count bytes).
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let start: usize = bytes
        .split_inclusive(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(<[u8]>::len)
        .sum();
    (start + column.saturating_sub(1)).min(bytes.len())
}

/// What `check` and `report` judge when the source is not a plan or a state
/// (which are judged by account): the live account, or an error for sources
/// given together or none.
pub(super) fn observe(
    plan: Option<&str>,
    state: Option<&str>,
    live: &LiveArgs,
    baseline: &crate::baseline::Baseline,
) -> Result<Observation, Error> {
    let given = [plan.is_some(), state.is_some(), live.live];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(Failure::new(
            "give either `--plan` or `--live` (or `--state`): one source at a time",
        )
        .into());
    }
    if live.live {
        return super::live::observe(live, baseline);
    }
    let Some(spec) = plan else {
        return Err(Failure::new("nothing to check against")
            .help("give `--plan plan.json` (or `--plan -` for standard input), `--state terraform.tfstate` or `--live`")
            .into());
    };
    let plan = load_plan(spec)?;
    let info = plan.info.clone();
    let mut parts = plan.into_parts();
    if parts.len() > 1 {
        return Err(Failure::new(format!(
            "the plan changes {} accounts (its `aws` providers: {}): judge it with `drift check`",
            parts.len(),
            parts
                .iter()
                .flat_map(|p| p.provider.keys.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into());
    }
    Ok(parts.remove(0).into_observation(&info, spec))
}

/// Where the resources of a plan are declared: the `resource` blocks of the
/// `.tf` files of `dir` (the root module) and of every local module the
/// plan's configuration calls (`./modules/iam`), for annotations on the code.
/// Modules from a registry or git are not in the repository: their resources
/// keep the baseline's location.
pub(super) fn declarations(
    plan: Option<&str>,
    dir: &Path,
) -> Result<crate::declaration::Declarations, Error> {
    use crate::declaration::{resource_blocks, Declarations};
    if !dir.is_dir() {
        return Err(Failure::new(format!(
            "`--terraform-dir {}` is not a folder",
            dir.display()
        ))
        .into());
    }
    let sources = match plan {
        Some("-") => {
            return Err(Failure::new(
                "`--terraform-dir` reads the plan twice: give the plan as a file, not `-`",
            )
            .into())
        }
        Some(spec) => {
            let bytes = read_file(Path::new(spec), "the plan")?;
            terraform::module_sources(&bytes).map_err(|e| plan_failure(&e, spec, &bytes))?
        }
        // A state names no module sources: the root module only.
        None => Vec::new(),
    };
    let mut dirs: Vec<(Vec<String>, std::path::PathBuf)> = vec![(Vec::new(), dir.to_path_buf())];
    for (path, source) in sources {
        if !(source.starts_with("./") || source.starts_with("../")) {
            continue;
        }
        let parent = &path[..path.len() - 1];
        if let Some(base) = dirs
            .iter()
            .find(|(p, _)| p == parent)
            .map(|(_, d)| d.clone())
        {
            dirs.push((path, lexical(&base.join(&source))));
        }
    }
    let mut out = Declarations::default();
    for (module, folder) in dirs {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue; // a module outside the checkout
        };
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
            .collect();
        files.sort();
        for file in files {
            let text = read_bounded(&file, "a Terraform file", 16 << 20)?;
            let shown = file
                .strip_prefix(".")
                .unwrap_or(&file)
                .display()
                .to_string();
            out.add(
                &module,
                &shown,
                resource_blocks(&String::from_utf8_lossy(&text)),
            );
        }
    }
    Ok(out)
}

/// A path with `.` and `..` resolved as text (`infra/./modules/../iam`
/// is `infra/iam`).
fn lexical(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}
