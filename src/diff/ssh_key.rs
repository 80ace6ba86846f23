//! SSH keys of users: an exact set of key ids, each with its status.

use super::keys::{self, Credential, Key};
use super::Cx;
use crate::baseline::{KeySpec, Sp};
use crate::identity::{Kind, RuleId};
use crate::state::{Members, SshKey};

static SSH: Credential = Credential {
    kind: Kind::SshKey,
    removed: RuleId::SSH_KEY_REMOVED,
    changed: RuleId::SSH_KEY_CHANGED,
    unmanaged: RuleId::SSH_KEY_UNMANAGED,
    unknown: RuleId::SSH_KEY_UNKNOWN,
    lost: "the user loses SSH access with it",
    added: "uploads",
    none_declared_is_high: false,
};

impl Key for SshKey {
    fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
}

pub(super) fn check(cx: &mut Cx, user: &str, want: &Sp<Vec<KeySpec>>, have: &Members<SshKey>) {
    keys::check(cx, &SSH, user, want, have);
}
