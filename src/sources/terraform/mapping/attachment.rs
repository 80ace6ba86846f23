//! Managed policy attachments: `aws_iam_{user,group,role}_policy_attachment` and
//! `aws_iam_policy_attachment`.

use super::{list_change, put, Builder, View, Who};
use crate::state::{NameSet, Obj};

impl Builder {
    pub(super) fn attachment(&mut self, who: Who, v: &View) {
        let Ok(Some(owner)) = v.name(who.key()) else {
            return;
        };
        self.touched(who.kind(), &owner);
        let arn = v.name("policy_arn");
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(p) = self.principal_facets(who, &owner, v) else {
            return;
        };
        let set = p.managed_policies.get_or_insert_with(NameSet::default);
        match arn {
            Ok(Some(arn)) => {
                let obj = if deleted {
                    Obj::absent(origin)
                } else {
                    Obj::present(origin, ())
                };
                put(set, arn, obj);
            }
            Ok(None) => {}
            Err(()) => {
                if !deleted {
                    set.unknown.push(origin);
                }
            }
        }
    }

    pub(super) fn policy_attachment(&mut self, v: &View) {
        let arn = match v.name("policy_arn") {
            Ok(Some(a)) => a,
            Ok(None) => return,
            Err(()) => {
                // The policy is known only after apply: mark each named principal.
                for (key, who) in [
                    ("users", Who::User),
                    ("groups", Who::Group),
                    ("roles", Who::Role),
                ] {
                    for name in View::strings(v.values.get(key)) {
                        if let Some(p) = self.principal_facets(who, &name, v) {
                            p.managed_policies
                                .get_or_insert_with(NameSet::default)
                                .unknown
                                .push(v.origin.clone());
                        }
                    }
                }
                return;
            }
        };
        for (key, who) in [
            ("users", Who::User),
            ("groups", Who::Group),
            ("roles", Who::Role),
        ] {
            if v.is_unknown(key) {
                continue;
            }
            let (present, absent) = list_change(v, key);
            for (name, here) in present
                .iter()
                .map(|n| (n, true))
                .chain(absent.iter().map(|n| (n, false)))
            {
                let origin = v.origin.clone();
                if let Some(p) = self.principal_facets(who, name, v) {
                    let set = p.managed_policies.get_or_insert_with(NameSet::default);
                    let obj = if here {
                        Obj::present(origin, ())
                    } else {
                        Obj::absent(origin)
                    };
                    put(set, arn.clone(), obj);
                }
            }
        }
    }
}
