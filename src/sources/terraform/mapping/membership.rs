//! Group memberships: `aws_iam_user_group_membership` (the groups of one user)
//! and `aws_iam_group_membership` (the users of one group).

use super::{list_change, merge_set, Builder, View};
use crate::identity::Kind;
use crate::state::NameSet;

impl Builder {
    pub(super) fn user_group_membership(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("user") else {
            return;
        };
        let unknown = v.is_unknown("groups");
        let (present, absent) = list_change(v, "groups");
        if let Some(u) = self.user_facets(&user, v) {
            let set = u.groups.get_or_insert_with(NameSet::default);
            merge_set(set, v, present, absent, unknown);
        }
        self.touched(Kind::User, &user);
    }

    pub(super) fn group_membership(&mut self, v: &View) {
        let Ok(Some(group)) = v.name("group") else {
            return;
        };
        let (present, absent) = list_change(v, "users");
        for (user, here) in present
            .iter()
            .map(|u| (u, true))
            .chain(absent.iter().map(|u| (u, false)))
        {
            if let Some(u) = self.user_facets(user, v) {
                let set = u.groups.get_or_insert_with(NameSet::default);
                let items = if here { vec![group.clone()] } else { vec![] };
                let gone = if here { vec![] } else { vec![group.clone()] };
                merge_set(set, v, items, gone, false);
            }
        }
        self.touched(Kind::Group, &group);
    }
}
