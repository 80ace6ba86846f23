//! `aws_iam_account_alias`.

use super::{previous, Builder, View};
use crate::identity::Kind;

impl Builder {
    pub(super) fn account_alias(&mut self, v: &View) {
        let before = previous(self.state.account_alias.as_ref());
        self.wrote(Kind::Account, None, None, before, v);
        let mut obj = v.obj(if v.deleted {
            None
        } else {
            v.str("account_alias").map(str::to_string)
        });
        if v.is_unknown("account_alias") {
            obj.unknown.insert("alias");
        }
        self.state.account_alias = Some(obj);
        self.touched_setting(Kind::Account);
    }
}
