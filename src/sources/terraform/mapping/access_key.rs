//! `aws_iam_access_key`. Only the id, user, status and creation date are read:
//! `secret`, `encrypted_secret`, `ses_smtp_password_v4` and the like never are.

use super::{put_key, Builder, View};
use crate::identity::Kind;
use crate::state::{AccessKey, Members};

impl Builder {
    pub(super) fn access_key(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("user") else {
            return;
        };
        self.touched(Kind::User, &user);
        let id = if v.is_unknown("id") {
            None
        } else {
            v.str("id").filter(|s| !s.is_empty()).map(str::to_string)
        };
        let before_id = v
            .before_str("id")
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let status_unknown = v.is_unknown("status");
        // The provider's default status is Active.
        let status = v.str("status").unwrap_or("Active").to_string();
        let created = v.str("create_date").and_then(crate::time::parse);
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(u) = self.user_facets(&user, v) else {
            return;
        };
        let keys = u.access_keys.get_or_insert_with(Members::default);
        let key = AccessKey {
            status: (!status_unknown).then_some(status),
            created,
            last_used: None,
        };
        put_key(keys, (id, before_id), key, deleted, status_unknown, origin);
    }
}
