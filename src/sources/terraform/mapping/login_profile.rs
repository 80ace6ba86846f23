//! `aws_iam_user_login_profile`.

use super::{Builder, View};
use crate::identity::Kind;

impl Builder {
    pub(super) fn login_profile(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("user") else {
            return;
        };
        self.touched(Kind::User, &user);
        self.wrote(Kind::User, Some(&user), Some("console_access".into()), v);
        let obj = v.obj(if v.deleted { None } else { Some(()) });
        if let Some(u) = self.user_facets(&user, v) {
            u.login_profile = Some(obj);
        }
    }
}
