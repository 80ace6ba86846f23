//! The baselines of several accounts: the accounts file, and each account's
//! own file merged over the shared one. Live runs and plans of several
//! accounts share them.

use super::error::{Error, Failure};
use super::inputs::read_file;
use crate::accounts::{file, Entry};
use crate::baseline::{Baseline, BaselineError, BaselineErrors};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The baseline an account is judged against, and its path.
pub(super) fn baseline_for<'a>(
    e: &Entry,
    own: &'a BTreeMap<String, Baseline>,
    shared: &'a Baseline,
    shared_path: &'a str,
) -> (&'a Baseline, &'a str) {
    e.baseline
        .as_ref()
        .and_then(|p| own.get_key_value(p))
        .map_or((shared, shared_path), |(p, b)| (b, p.as_str()))
}

/// The accounts file, read and checked; its path for the baselines it names.
pub(super) fn read_accounts_file(path: &Path) -> Result<(PathBuf, Vec<Entry>), Error> {
    let bytes = read_file(path, "the accounts file")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::new(format!(
            "the accounts file `{}` is not UTF-8 text",
            path.display()
        ))
    })?;
    let entries = file::parse(&path.display().to_string(), &text).map_err(Error::Baseline)?;
    Ok((path.to_path_buf(), entries))
}

/// `name` relative to the folder of `file`, unless it is absolute.
pub(super) fn relative_to(file: &Path, name: &str) -> PathBuf {
    let name = Path::new(name);
    if name.is_absolute() {
        return name.to_path_buf();
    }
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(name),
        _ => name.to_path_buf(),
    }
}

/// An account's own file, merged over the shared baseline, and its text.
pub(super) fn load_own(
    path: &str,
    shared: &Baseline,
    shared_path: &str,
) -> Result<(Baseline, String), Error> {
    let bytes = read_file(Path::new(path), "an account's baseline").map_err(|f| {
        f.help("`baseline:` of the accounts file names it, relative to the accounts file")
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::new(format!("the baseline `{path}` is not UTF-8 text")))?;
    let own = crate::baseline::parse_in(path, &text, 1).map_err(Error::Baseline)?;
    let merged = crate::baseline::merge::merge(shared, own, shared_path)
        .map_err(|errors| Error::Baseline(BaselineErrors::new(path, &text, errors)))?;
    Ok((merged, text))
}

/// An account's own baseline must be that account's.
pub(super) fn check_own(own: &Baseline, path: &str, text: &str, e: &Entry) -> Result<(), Error> {
    let Some(id) = own.account.as_ref().and_then(|a| a.id.as_ref()) else {
        return Ok(());
    };
    if id.value == e.id {
        return Ok(());
    }
    Err(Error::Baseline(BaselineErrors::new(
        path,
        text,
        vec![BaselineError {
            message: format!(
                "this baseline is account {}'s, but the accounts file gives it to account {}",
                id.value, e.id
            ),
            loc: Some(id.loc),
            label: "another account".to_string(),
            help: Some("give each account the file that declares its `account.id`".to_string()),
        }],
    )))
}

/// A shared baseline judges several accounts, so it cannot name one: its
/// `account.id` belongs in each account's own file. `what` ends the message
/// ("the run reads several accounts").
pub(super) fn shared_names_no_account(
    shared: &Baseline,
    shared_path: &str,
    what: &str,
) -> Result<(), Error> {
    match shared.account.as_ref().and_then(|a| a.id.as_ref()) {
        Some(id) => Err(Failure::new(format!(
            "{shared_path}:{}:{}: the shared baseline declares `account.id: {}`, but {what}",
            id.loc.line, id.loc.column, id.value
        ))
        .help("keep what every account must hold in the shared file, and `account.id` in each account's own file (`baseline:` in the accounts file)")
        .into()),
        None => Ok(()),
    }
}

/// The baseline files an account is judged against: the shared one, then
/// its own when it has one.
pub(super) fn files_of(shared_path: &str, path: &str) -> Vec<String> {
    if path == shared_path {
        vec![shared_path.to_string()]
    } else {
        vec![shared_path.to_string(), path.to_string()]
    }
}
