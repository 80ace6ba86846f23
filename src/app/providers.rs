//! A plan whose `aws` provider configurations work in several accounts: each
//! part is judged against the baseline of its account (the one baseline's
//! account, or with `--accounts` each account's own), and a part that no
//! baseline judges is a `provider-unjudged` finding per resource, never judged
//! against another account's baseline.

use super::baselines::{
    baseline_for, check_own, files_of, load_own, read_accounts_file, relative_to,
    shared_names_no_account,
};
use super::error::{Error, Failure};
use crate::accounts::{AccountRun, Entry};
use crate::baseline::Baseline;
use crate::check::{self, Outcome};
use crate::cli::JudgeArgs;
use crate::finding::Finding;
use crate::observation::{Observation, SourceInfo};
use crate::sources::terraform::{Part, PlanInfo, ProviderAccounts};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A plan judged, by account.
pub(super) struct PlanJudged {
    pub outcome: Outcome,
    pub sources: Vec<SourceInfo>,
    /// With `--accounts`: each account the plan changes, judged.
    pub runs: Option<Vec<AccountRun>>,
    /// The account the findings are about, when one and known.
    pub account: Option<String>,
    pub complete: bool,
}

/// The accounts of `--provider-account`, each key once.
pub(super) fn given(args: &JudgeArgs) -> Result<ProviderAccounts, Error> {
    let mut out = ProviderAccounts::new();
    for (key, id) in &args.provider_account {
        if let Some(before) = out.insert(key.clone(), id.clone()) {
            if before != *id {
                return Err(Failure::new(format!(
                    "`--provider-account` gives provider `{key}` two accounts ({before} and {id})"
                ))
                .into());
            }
        }
    }
    Ok(out)
}

/// Every key of `--provider-account` names a configuration of the plan (or
/// state, `source`): a misspelt key would leave its resources unjudged while
/// saying otherwise.
pub(super) fn check_keys(
    given: &ProviderAccounts,
    keys: &BTreeSet<String>,
    source: &str,
) -> Result<(), Error> {
    for key in given.keys() {
        if keys.contains(key) {
            continue;
        }
        let known: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut failure = Failure::new(format!(
            "`--provider-account {key}=…`: the {source} has no `aws` provider configuration `{key}`"
        ));
        let closest = crate::baseline::parse_suggest(key, &known);
        failure = match closest {
            Some(k) => failure.help(format!(
                "did you mean `{k}`? (the {source}'s: {})",
                known.join(", ")
            )),
            None => failure.help(format!(
                "the {source}'s configurations: {}",
                known.join(", ")
            )),
        };
        return Err(failure.into());
    }
    Ok(())
}

/// Judges the parts of a plan: `spec` names the plan, `accounts` is the
/// accounts file when given.
pub(super) fn judge_plan(
    parts: Vec<Part>,
    info: &PlanInfo,
    spec: &str,
    accounts: Option<&Path>,
    shared: &Baseline,
    shared_path: &str,
    now: i64,
) -> Result<PlanJudged, Error> {
    match accounts {
        Some(path) => judge_by_accounts(parts, info, spec, path, shared, shared_path, now),
        None => judge_one(parts, info, spec, shared, now),
    }
}

/// How a report names what a part's provider is.
fn keys_of(part: &Part) -> String {
    if part.provider.keys.is_empty() {
        "a provider the plan does not name".to_string()
    } else {
        format!("`{}`", part.provider.keys.join("`, `"))
    }
}

/// What the report keeps of a judged observation: whether it is whole, and
/// what it was. The rest is not freed: the process ends soon after a run,
/// and freeing a large plan's state piece by piece (millions of small
/// values) took about a tenth of `check --plan` (docs/performance.md).
pub(super) fn release(observation: Observation) -> (bool, SourceInfo) {
    let kept = (observation.complete, observation.info.clone());
    std::mem::forget(observation);
    kept
}

/// The findings of a part no baseline judges, before triage.
fn unjudged(part: &Part, why: &str) -> Vec<Finding> {
    crate::unjudged::findings(
        crate::unjudged::Provider {
            keys: &part.provider.keys,
            account: part.provider.account.as_deref(),
            reason: why,
        },
        &part.resources,
    )
}

/// An observation of nothing, for a run whose parts are all unjudged.
fn nothing(info: &PlanInfo, spec: &str) -> Observation {
    Part::default().into_observation(info, spec)
}

/// One baseline: it judges the part of its account (`account.id`, else the
/// one the root module's default provider works in).
fn judge_one(
    mut parts: Vec<Part>,
    info: &PlanInfo,
    spec: &str,
    baseline: &Baseline,
    now: i64,
) -> Result<PlanJudged, Error> {
    let declared = baseline
        .account
        .as_ref()
        .and_then(|a| a.id.as_ref())
        .map(|id| id.value.clone());
    if parts.len() == 1 {
        let part = parts.remove(0);
        if let (Some(want), Some(id)) = (&declared, &part.provider.account) {
            if want != id {
                let (source, what) = if info.from_state {
                    ("state", "the state holds")
                } else {
                    ("plan", "the plan changes")
                };
                return Err(Failure::new(format!(
                    "{what} account {id} ({}), the baseline is for account {want}",
                    part.provider.basis
                ))
                .help(format!("check the {source} against its account's baseline, or give `--provider-account` if the {source}'s provider is read wrong"))
                .into());
            }
        }
        let account = part.provider.account.clone().or(declared);
        let observation = part.into_observation(info, spec);
        let outcome = check::judge_at(baseline, &observation, Some(now));
        let (complete, info) = release(observation);
        return Ok(PlanJudged {
            outcome,
            complete,
            sources: vec![info],
            runs: None,
            account,
        });
    }
    // The part of the baseline's account: the one known to be in it, else
    // the root default's when it works in Terraform's own credentials (as a
    // plan of one account is judged against the baseline it is given).
    let chosen = match &declared {
        Some(id) => parts
            .iter()
            .position(|p| p.provider.account.as_ref() == Some(id))
            .or_else(|| {
                parts
                    .iter()
                    .position(|p| p.provider.default && p.provider.ambient)
            }),
        None => parts.iter().position(|p| p.provider.default),
    };
    let target = match &declared {
        Some(id) => format!("account {id} (`account.id`)"),
        None => "the account of the root module's default provider `aws`".to_string(),
    };
    let mut extra = Vec::new();
    let mut judged: Option<Part> = None;
    for (i, part) in parts.into_iter().enumerate() {
        if Some(i) == chosen {
            judged = Some(part);
            continue;
        }
        let why = match &part.provider.account {
            Some(id) => format!(
                "{} works in account {id} ({}), and the baseline is for {target}; give `--accounts` with a baseline for each account",
                keys_of(&part),
                part.provider.basis
            ),
            None => format!(
                "{}; the baseline is for {target}: give `--provider-account KEY=ID`",
                part.provider.basis
            ),
        };
        extra.extend(unjudged(&part, &why));
    }
    let account = judged
        .as_ref()
        .and_then(|p| p.provider.account.clone())
        .or(declared);
    let observation = match judged {
        Some(part) => part.into_observation(info, spec),
        None => nothing(info, spec),
    };
    let outcome = check::judge_with(baseline, &observation, extra, Some(now));
    let (complete, info) = release(observation);
    Ok(PlanJudged {
        outcome,
        complete,
        sources: vec![info],
        runs: None,
        account,
    })
}

/// `--accounts`: each part against the baseline of its account in the
/// accounts file (the shared one merged with the account's own).
fn judge_by_accounts(
    parts: Vec<Part>,
    info: &PlanInfo,
    spec: &str,
    path: &Path,
    shared: &Baseline,
    shared_path: &str,
    now: i64,
) -> Result<PlanJudged, Error> {
    shared_names_no_account(shared, shared_path, "`--accounts` judges several accounts")?;
    let (file, entries) = read_accounts_file(path)?;
    let entries: Vec<Entry> = entries
        .into_iter()
        .map(|mut e| {
            e.baseline = e
                .baseline
                .map(|b| relative_to(&file, &b).display().to_string());
            e
        })
        .collect();
    let by_id: BTreeMap<&str, &Entry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    // The baselines of the accounts the plan changes, each file read once.
    let mut own: BTreeMap<String, Baseline> = BTreeMap::new();
    for part in &parts {
        let Some(e) = part
            .provider
            .account
            .as_deref()
            .and_then(|id| by_id.get(id))
        else {
            continue;
        };
        if let Some(p) = &e.baseline {
            if !own.contains_key(p) {
                let (merged, text) = load_own(p, shared, shared_path)?;
                check_own(&merged, p, &text, e)?;
                own.insert(p.clone(), merged);
            }
        }
    }
    let mut several = super::judge::Several {
        findings: Vec::new(),
        waived: Vec::new(),
        out_of_scope: 0,
        runs: Vec::new(),
        sources: Vec::new(),
    };
    let mut extra = Vec::new();
    let mut complete = info.complete;
    for mut part in parts {
        let entry = part
            .provider
            .account
            .as_deref()
            .and_then(|id| by_id.get(id))
            .copied();
        let Some(entry) = entry else {
            let why = match &part.provider.account {
                Some(id) => format!(
                    "{} works in account {id} ({}), which the accounts file `{}` does not list",
                    keys_of(&part),
                    part.provider.basis,
                    path.display()
                ),
                None => format!("{}: give `--provider-account KEY=ID`", part.provider.basis),
            };
            extra.extend(unjudged(&part, &why));
            continue;
        };
        let (baseline, baseline_path) = baseline_for(entry, &own, shared, shared_path);
        part.resources = Vec::new();
        let observation = part.into_observation(info, spec);
        complete &= observation.complete;
        let outcome = check::judge_at(baseline, &observation, Some(now));
        let run = AccountRun::read(
            &entry.id,
            entry.name.clone(),
            files_of(shared_path, baseline_path),
        );
        several.add(&run, outcome);
        several.runs.push(run);
        let (_, info) = release(observation);
        several.sources.push(info);
    }
    if !extra.is_empty() {
        // Triaged as an account's findings are: the shared waivers they use
        // or leave unused are settled with the accounts' below.
        let triaged = crate::triage::apply_at(&shared.settings, extra, Some(now));
        several
            .findings
            .extend(triaged.findings.into_iter().map(|mut f| {
                f.help = crate::remedy::help(&f, shared);
                f
            }));
        several.waived.extend(triaged.waived);
    }
    if several.sources.is_empty() {
        several.sources.push(nothing(info, spec).info);
    }
    several.settle();
    Ok(PlanJudged {
        outcome: Outcome {
            findings: several.findings,
            out_of_scope: several.out_of_scope,
            waived: several.waived,
        },
        sources: several.sources,
        runs: Some(several.runs),
        account: None,
        complete,
    })
}
