//! `drift init`: a baseline from what exists now, and `drift validate`.

use super::error::{Error, Failure};
use super::inputs::{load_baseline, load_plan, load_state};
use super::output::emit;
use crate::baseline;
use crate::cli::InitArgs;
use crate::state::IamState;
use std::path::Path;

pub(super) fn run_init(args: &InitArgs) -> Result<u8, Error> {
    // Never replace a baseline by surprise: it holds decisions and comments.
    if let (Some(path), false) = (&args.output, args.force) {
        if path.exists() {
            return Err(Failure::new(format!(
                "`{}` exists: `drift init` does not replace it",
                path.display()
            ))
            .help("give `--force` to replace it, or `--output` another file")
            .into());
        }
    }
    if args.live.accounts.several() {
        return super::accounts::init_accounts(args);
    }
    if args.live.live {
        let state = super::live::read_state(&args.live)?;
        let header = format!(
            "# Written by `drift init --live`: the IAM configuration of account {} as it is.\n\
# Stable ids let a later check tell a rename from a removal. Review before committing.\n",
            state.account_id.as_deref().unwrap_or("(unknown)")
        );
        write_baseline(&state, &header, args.output.as_deref())?;
        return Ok(0);
    }
    if let Some(spec) = &args.state {
        if args.plan.is_some() {
            return Err(Failure::new(
                "give either `--plan` or `--live` (or `--state`): one source at a time",
            )
            .into());
        }
        let state = match load_state(spec)?.into_one() {
            Ok(state) => state,
            Err(keys) => {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                return Err(Failure::new(format!(
                    "the state manages IAM resources through several `aws` provider configurations ({}), which may be other accounts; a baseline is one account's",
                    keys.join(", ")
                ))
                .help("write each account's baseline with `drift init --live --accounts FILE`, or from a state of one account")
                .into());
            }
        };
        let header = format!(
            "# Written by `drift init --state {spec}`: the IAM configuration Terraform manages now.\n\
# Review before committing.\n"
        );
        write_baseline(&state, &header, args.output.as_deref())?;
        return Ok(0);
    }
    let Some(plan_spec) = &args.plan else {
        return Err(Failure::new("nothing to read a baseline from")
            .help("give `--plan plan.json`, `--state terraform.tfstate` or `--live`")
            .into());
    };
    let plan = load_plan(plan_spec)?;
    let mut parts = plan.into_parts();
    if parts.len() > 1 {
        return Err(Failure::new(format!(
            "the plan changes {} accounts (its `aws` providers: {}); a baseline is one account's",
            parts.len(),
            parts
                .iter()
                .map(|p| format!(
                    "{} in {}",
                    p.provider.keys.join(", "),
                    p.provider.account.as_deref().unwrap_or("an account it does not say")
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ))
        .help("write each account's baseline from its live account (`drift init --live --accounts accounts.yaml`)")
        .into());
    }
    let part = parts.remove(0);
    let header = format!(
        "# Written by `drift init --plan {plan_spec}`: the IAM state this plan leaves behind.\n\
# Values known only after apply are left out (not guarded). Review before committing.\n"
    );
    write_baseline(&part.state, &header, args.output.as_deref())?;
    Ok(0)
}

fn write_baseline(state: &IamState, header: &str, output: Option<&Path>) -> Result<(), Error> {
    let text = baseline::write::from_state(state, header)
        .map_err(|e| Failure::new(format!("cannot write the baseline: {e}")))?;
    // What is written must read back: never hand out a baseline that fails validation.
    if let Err(errors) = baseline::parse("<generated>", &text) {
        return Err(Failure::new(format!(
            "the generated baseline does not validate (please report this): {}",
            errors.lines().join("; ")
        ))
        .into());
    }
    emit(output, &text)?;
    Ok(())
}

pub(super) fn run_validate(file: &Path) -> Result<u8, Error> {
    let b = load_baseline(file)?;
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let text = format!(
        "{}: valid baseline ({}, {}, {}, {}, {}{})\n",
        file.display(),
        count(b.users.len(), "user", "users"),
        count(b.groups.len(), "group", "groups"),
        count(b.roles.len(), "role", "roles"),
        count(
            b.instance_profiles.len(),
            "instance profile",
            "instance profiles"
        ),
        count(b.policies.len(), "policy", "policies"),
        if b.password_policy.is_some() {
            ", password policy"
        } else {
            ""
        }
    );
    emit(None, &text)?;
    Ok(0)
}
