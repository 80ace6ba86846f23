//! `aws_iam_user_policy`, `aws_iam_group_policy`, `aws_iam_role_policy`.

use super::{previous, Builder, Target, View, Who};
use crate::policy_doc::PolicyDoc;
use crate::state::{Members, Obj};

impl Builder {
    pub(super) fn inline_policy(&mut self, who: Who, v: &View, owner: Target) {
        self.touched_target(who.kind(), &owner);
        let name = v.name("name");
        let unknown_doc = v.is_unknown("policy");
        let sensitive = v.is_sensitive("policy");
        let doc = v.doc("policy", &mut self.docs);
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(p) = self.principal_facets(who, &owner, v) else {
            return;
        };
        let set = p.inline_policies.get_or_insert_with(Members::default);
        let mut before = None;
        let mut same_as_before = false;
        match &name {
            Ok(Some(pname)) => {
                before = previous(set.items.get(pname));
                let earlier = set.items.get(pname).and_then(|o| o.value.as_ref());
                same_as_before = !deleted && earlier.is_some() && earlier == doc.as_ref();
                let mut obj = Obj::absent(origin);
                if !deleted {
                    obj.value = doc.or_else(|| unknown_doc.then(PolicyDoc::empty));
                    if unknown_doc {
                        obj.unknown.insert("policy");
                    }
                    if sensitive {
                        obj.sensitive.insert("policy");
                    }
                }
                set.items.insert(pname.clone(), obj);
            }
            Ok(None) => {}
            Err(()) => {
                if !deleted {
                    let mut obj = Obj::present(origin, doc.unwrap_or_else(PolicyDoc::empty));
                    if sensitive {
                        obj.sensitive.insert("policy");
                    }
                    set.unknown.push(obj);
                }
            }
        }
        if let (Ok(Some(pname)), Target::Named(owner), true) = (&name, &owner, before.is_some()) {
            // A role's `inline_policy` attribute is what the provider read
            // back: the same document there and here is one write, not two.
            let read_back =
                matches!(who, Who::Role) && self.read_back.remove(&(owner.clone(), pname.clone()));
            if !(read_back && same_as_before) {
                let part = Some(format!("inline_policies.{pname}"));
                self.wrote(who.kind(), Some(owner), part, before, v);
            }
        }
    }
}
