//! `aws_iam_user_ssh_key`.

use super::{put_key, Builder, View};
use crate::identity::Kind;
use crate::state::{Members, SshKey};

impl Builder {
    pub(super) fn ssh_key(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("username") else {
            return;
        };
        self.touched(Kind::User, &user);
        let id = if v.is_unknown("ssh_public_key_id") {
            None
        } else {
            v.str("ssh_public_key_id")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let before_id = v
            .before_str("ssh_public_key_id")
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let status_unknown = v.is_unknown("status");
        let status = v.str("status").map(str::to_string);
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(u) = self.user_facets(&user, v) else {
            return;
        };
        let keys = u.ssh_keys.get_or_insert_with(Members::default);
        let key = SshKey {
            status: if status_unknown { None } else { status },
        };
        put_key(keys, (id, before_id), key, deleted, status_unknown, origin);
    }
}
