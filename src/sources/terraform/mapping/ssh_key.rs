//! `aws_iam_user_ssh_key`.

use super::{Builder, View};
use crate::identity::Kind;
use crate::state::{Members, Obj, SshKey};

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
        match id {
            None => {
                if !deleted {
                    keys.unknown.push(Obj::present(origin, key));
                }
            }
            Some(id) => {
                let mut obj = Obj::absent(origin);
                if !deleted {
                    obj.value = Some(key);
                    if status_unknown {
                        obj.unknown.insert("status");
                    }
                }
                keys.items.insert(id, obj);
            }
        }
    }
}
