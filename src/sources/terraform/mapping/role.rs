//! `aws_iam_role`: the trust policy, session length, description, and the
//! attachments and inline policies the provider reports on the role itself.

use super::{entry, Builder, Target, View};
use crate::identity::Kind;
use crate::state::{Members, NameSet, Role};
use serde_json::Value;

impl Builder {
    pub(super) fn role(&mut self, v: &View) {
        let Some((target, before)) =
            Self::principal_object(&mut self.state.roles, v, |r: &mut Role| &mut r.principal)
        else {
            return;
        };
        self.touched_target(Kind::Role, &target);
        self.wrote_target(Kind::Role, &target, before, v);
        if v.deleted {
            return;
        }
        let Some(entry) = entry(&mut self.state.roles, &target) else {
            return;
        };
        let docs = &mut self.docs;
        let mut read_back: Vec<(String, String)> = Vec::new();
        let mut unknown = Vec::new();
        let mut sensitive: Vec<&'static str> = ["max_session_duration", "description"]
            .into_iter()
            .filter(|k| v.is_sensitive(k))
            .collect();
        if let Some(role) = entry.value.as_mut() {
            if v.is_unknown("assume_role_policy") {
                unknown.push("assume_role_policy");
            } else {
                role.assume_role_policy = v.doc("assume_role_policy", docs);
                if v.is_sensitive("assume_role_policy") {
                    sensitive.push("assume_role_policy");
                }
            }
            if v.is_unknown("max_session_duration") {
                unknown.push("max_session_duration");
            } else {
                role.max_session_duration = v
                    .values
                    .get("max_session_duration")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok());
            }
            if v.is_unknown("description") {
                unknown.push("description");
            } else {
                role.description = Some(v.str("description").unwrap_or("").to_string());
            }
            // The provider reads the role's attachments and inline policies into
            // these computed attributes; they count as present, never as absent,
            // and never override what an attachment resource says.
            // When the provider reports them, they are the role's whole set.
            if !v.is_unknown("managed_policy_arns") {
                if let Some(list) = v.values.get("managed_policy_arns").filter(|l| l.is_array()) {
                    let set = role
                        .principal
                        .managed_policies
                        .get_or_insert_with(NameSet::default);
                    set.complete = true;
                    set.origin.get_or_insert_with(|| v.origin.clone());
                    for arn in View::strings(Some(list)) {
                        set.items.entry(arn).or_insert_with(|| v.obj(Some(())));
                    }
                }
            }
            if !v.is_unknown("inline_policy") {
                if let Some(Value::Array(blocks)) = v.values.get("inline_policy") {
                    let set = role
                        .principal
                        .inline_policies
                        .get_or_insert_with(Members::default);
                    set.complete = true;
                    set.origin.get_or_insert_with(|| v.origin.clone());
                    for block in blocks {
                        let (Some(pname), Some(doc)) = (
                            block
                                .get("name")
                                .and_then(Value::as_str)
                                .filter(|s| !s.is_empty()),
                            block.get("policy").and_then(|p| docs.doc(p)),
                        ) else {
                            continue;
                        };
                        let mut obj = v.obj(Some(doc));
                        // `inline_policy: true` or `[{"policy": true}]`.
                        if v.is_sensitive("inline_policy") {
                            obj.sensitive.insert("policy");
                        }
                        if let std::collections::btree_map::Entry::Vacant(e) =
                            set.items.entry(pname.to_string())
                        {
                            e.insert(obj);
                            if let Target::Named(role) = &target {
                                read_back.push((role.clone(), pname.to_string()));
                            }
                        }
                    }
                }
            }
        }
        entry.unknown.extend(unknown);
        entry.sensitive.extend(sensitive);
        self.read_back.extend(read_back);
    }
}
