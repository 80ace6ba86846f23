//! Managed policy attachments: `aws_iam_{user,group,role}_policy_attachment` and
//! `aws_iam_policy_attachment`.

use super::owners::{Owners, LIST_KEYS};
use super::{list_change, put, Builder, Target, View, Who};
use crate::state::{NameSet, Obj};

impl Builder {
    pub(super) fn attachment(&mut self, who: Who, v: &View, owner: Target) {
        self.touched_target(who.kind(), &owner);
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
                    set.unknown.push(Obj::present(origin, ()));
                }
            }
        }
    }

    /// `aws_iam_policy_attachment`: one policy, lists of principals. `owners`
    /// holds what the lists known only after apply were traced to.
    pub(super) fn policy_attachment(&mut self, v: &View, owners: &Owners) {
        let arn = match v.name("policy_arn") {
            Ok(Some(a)) => Some(a),
            Ok(None) => return,
            Err(()) => None,
        };
        for (key, who) in LIST_KEYS {
            let (present, absent): (Vec<Target>, Vec<Target>) = match owners.get(key) {
                Some(traced) => {
                    if traced.iter().any(Option::is_none) {
                        self.unattributed(who, v, false);
                    }
                    (traced.iter().flatten().cloned().collect(), Vec::new())
                }
                None if v.is_unknown(key) => continue,
                None => {
                    let (present, absent) = list_change(v, key);
                    (
                        present.into_iter().map(Target::Named).collect(),
                        absent.into_iter().map(Target::Named).collect(),
                    )
                }
            };
            for (target, here) in present
                .iter()
                .map(|t| (t, true))
                .chain(absent.iter().map(|t| (t, false)))
            {
                let origin = v.origin.clone();
                let Some(p) = self.principal_facets(who, target, v) else {
                    continue;
                };
                let set = p.managed_policies.get_or_insert_with(NameSet::default);
                match &arn {
                    // The policy is known only after apply: the set gains an
                    // element nobody can name yet.
                    None => {
                        if here {
                            set.unknown.push(Obj::present(origin, ()));
                        }
                    }
                    Some(arn) => {
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
}
