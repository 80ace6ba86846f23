//! `aws_iam_user_login_profile`.

use super::{previous, Builder, View};
use crate::identity::Kind;

impl Builder {
    pub(super) fn login_profile(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("user") else {
            return;
        };
        self.touched(Kind::User, &user);
        let obj = v.obj(if v.deleted { None } else { Some(()) });
        let mut before = None;
        if let Some(u) = self.user_facets(&user, v) {
            before = previous(u.login_profile.as_ref());
            u.login_profile = Some(obj);
        }
        if before.is_some() {
            self.wrote(
                Kind::User,
                Some(&user),
                Some("console_access".into()),
                before,
                v,
            );
        }
    }
}
