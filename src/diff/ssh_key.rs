//! SSH keys of users: an exact set of key ids, each with its status.

use super::{collection_origin, Cx};
use crate::baseline::{KeySpec, Sp};
use crate::identity::{Kind, Name, ResourceId, RuleId};
use crate::state::{Members, Obj, SshKey};
use serde_json::json;

fn key_id(user: &str, id: Name) -> ResourceId {
    ResourceId::object(Kind::User, user).child(Kind::SshKey, id)
}

pub(super) fn check(cx: &mut Cx, user: &str, want: &Sp<Vec<KeySpec>>, have: &Members<SshKey>) {
    for key in &want.value {
        let resource = key_id(user, Name::Known(key.id.clone()));
        match have.items.get(&key.id) {
            Some(o @ Obj { value: Some(k), .. }) => {
                let Some(status) = &key.status else { continue };
                if o.unknown.contains("status") {
                    cx.draft(
                        RuleId::SSH_KEY_UNKNOWN,
                        resource,
                        &o.origin,
                        format!(
                            "the status of SSH key `{}` of user `{user}` is known only after apply",
                            key.id
                        ),
                    )
                    .field("status")
                    .expected(json!(status.value.as_str()))
                    .at(status.loc)
                    .push();
                } else if let Some(got) = &k.status {
                    if got != status.value.as_str() {
                        cx.draft(
                            RuleId::SSH_KEY_CHANGED,
                            resource,
                            &o.origin,
                            format!(
                                "SSH key `{}` of user `{user}` is {got}, the baseline expects {}",
                                key.id,
                                status.value.as_str()
                            ),
                        )
                        .field("status")
                        .expected(json!(status.value.as_str()))
                        .observed(json!(got))
                        .at(status.loc)
                        .push();
                    }
                }
            }
            found => {
                let origin = match found {
                    Some(o) => o.origin.clone(),
                    None if have.complete => collection_origin(have.origin.as_ref()),
                    None => continue,
                };
                cx.draft(
                    RuleId::SSH_KEY_REMOVED,
                    resource,
                    &origin,
                    format!(
                        "SSH key `{}` of user `{user}` is deleted: the user loses SSH access with it",
                        key.id
                    ),
                )
                .expected(json!({"id": key.id, "status": key.status.as_ref().map(|s| s.value.as_str())}))
                .at(key.loc)
                .push();
            }
        }
    }
    for (id, o) in &have.items {
        if o.value.is_none() || want.value.iter().any(|k| &k.id == id) {
            continue;
        }
        cx.draft(
            RuleId::SSH_KEY_UNMANAGED,
            key_id(user, Name::Known(id.clone())),
            &o.origin,
            format!("user `{user}` has SSH key `{id}`, which the baseline does not declare"),
        )
        .observed(json!({"id": id}))
        .at(want.loc)
        .push();
    }
    for o in &have.unknown {
        cx.draft(
            RuleId::SSH_KEY_UNMANAGED,
            key_id(user, Name::AfterApply(o.origin.address().to_string())),
            &o.origin,
            format!(
                "the plan uploads a new SSH key for user `{user}`, which the baseline does not declare"
            ),
        )
        .at(want.loc)
        .push();
    }
}
