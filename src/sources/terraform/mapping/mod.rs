//! Terraform resources mapped to the state model, one file per resource type
//! (or per family of types); plans and states share it.

mod access_key;
mod account_alias;
mod attachment;
mod identity_provider;
mod inline_policy;
mod instance_profile;
mod login_profile;
mod membership;
mod owners;
mod password_policy;
mod policy;
mod principal;
mod role;
mod ssh_key;
mod view;

pub(crate) use owners::At;
use owners::Instance;

use super::wire::Change;
use crate::identity::{Kind, ResourceId};
use crate::origin::Origin;
use crate::state::*;
use owners::Pending;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(super) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) use view::DocCache;
use view::View;

/// Whether drift reads a resource type (the kinds table lists them).
pub use crate::kinds::is_supported;

/// Whether the mapping has an arm for a resource type, whatever the kinds
/// table says: for the test that holds the two together.
#[doc(hidden)]
pub fn maps(ty: &str) -> bool {
    let at = At {
        module: "",
        name: "probe",
        index: None,
    };
    let origin = Origin::plan(format!("{ty}.probe"), &["no-op"]);
    Builder::default().apply(ty, &Change::default(), origin, at)
}

/// Builds the state model from Terraform resources, one at a time.
#[derive(Default)]
pub(crate) struct Builder {
    docs: DocCache,
    pub(crate) state: IamState,
    /// The object the last applied resource belongs to (`user/alice`), kept
    /// only when `tracks_objects` (for refresh drift).
    pub(crate) last_object: Option<ResourceId>,
    tracks_objects: bool,
    /// Where the resource being applied sits.
    current: Instance,
    /// Users, groups and roles by module instance, kind and resource name: the
    /// instance keys and the objects they became, to trace references.
    principals: HashMap<PrincipalAt, Vec<(Option<String>, Target)>>,
    /// Policies whose owner is known only after apply, traced at the end.
    pending: Vec<Pending>,
    /// Which resources write each IAM object: (kind, name, part) to
    /// (origin, deletes).
    writes: BTreeMap<Written, Vec<(Origin, bool)>>,
    /// Password policies the plan creates or updates, whose configuration says
    /// which fields are left out.
    password_policies: Vec<(Instance, Origin)>,
    /// Inline policies a role's own `inline_policy` attribute holds, as the
    /// provider reads them back: (role, policy name). A separate
    /// `aws_iam_role_policy` holding the same document is not a second write.
    read_back: std::collections::HashSet<(String, String), foldhash::fast::RandomState>,
}

/// The string values under a sensitivity marker (`true` at any depth, in any
/// of the shapes Terraform writes), so that no output can show them.
fn collect_secrets(values: Option<&Value>, marks: Option<&Value>, out: &mut BTreeSet<String>) {
    let (Some(values), Some(marks)) = (values, marks) else {
        return;
    };
    match marks {
        Value::Bool(true) => strings_under(values, out),
        Value::Object(m) => {
            for (k, mark) in m {
                collect_secrets(values.get(k), Some(mark), out);
            }
        }
        Value::Array(items) => {
            for (i, mark) in items.iter().enumerate() {
                collect_secrets(values.get(i), Some(mark), out);
            }
        }
        _ => {}
    }
}

fn strings_under(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) if !s.is_empty() => {
            out.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|i| strings_under(i, out)),
        Value::Object(m) => m.values().for_each(|i| strings_under(i, out)),
        _ => {}
    }
}

/// An IAM object or part a resource writes: kind, name, part.
type Written = (Kind, Option<String>, Option<String>);

/// A principal resource: module instance, kind, resource name.
type PrincipalAt = (String, Kind, String);

/// The object a resource maps to: by name, or one whose name is known only
/// after apply (its place in the collection's `unknown` list).
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Named(String),
    Unnamed(usize),
}

/// An earlier write of an object: its origin, and whether it deleted it.
fn previous<T>(obj: Option<&Obj<T>>) -> Option<(Origin, bool)> {
    obj.map(|o| (o.origin.clone(), o.value.is_none()))
}

/// The object of `target` in a collection.
fn entry<'m, T>(members: &'m mut Members<T>, target: &Target) -> Option<&'m mut Obj<T>> {
    match target {
        Target::Named(name) => members.items.get_mut(name),
        Target::Unnamed(i) => members.unknown.get_mut(*i),
    }
}

/// Which kind of principal a facet hangs on.
#[derive(Clone, Copy)]
enum Who {
    User,
    Group,
    Role,
}

impl Who {
    fn kind(self) -> Kind {
        match self {
            Who::User => Kind::User,
            Who::Group => Kind::Group,
            Who::Role => Kind::Role,
        }
    }

    /// The attribute that names the principal (`user = ...`).
    fn key(self) -> &'static str {
        match self {
            Who::User => "user",
            Who::Group => "group",
            Who::Role => "role",
        }
    }

    /// The resource type that creates such a principal.
    fn resource_type(self) -> &'static str {
        match self {
            Who::User => "aws_iam_user",
            Who::Group => "aws_iam_group",
            Who::Role => "aws_iam_role",
        }
    }
}

impl Builder {
    /// Maps one resource of type `ty` (one the kinds table lists) found `at`;
    /// `false` for a type it does not map.
    pub(crate) fn apply(&mut self, ty: &str, change: &Change, origin: Origin, at: At) -> bool {
        collect_secrets(
            change.after.as_ref(),
            change.after_sensitive.as_ref(),
            &mut self.state.secrets,
        );
        collect_secrets(
            change.before.as_ref(),
            change.before_sensitive.as_ref(),
            &mut self.state.secrets,
        );
        let v = View::new(change, origin);
        self.last_object = None;
        self.current.set(at);
        match ty {
            "aws_iam_account_password_policy" => self.password_policy(&v),
            "aws_iam_account_alias" => self.account_alias(&v),
            "aws_iam_user" => self.user(&v),
            "aws_iam_group" => self.group(&v),
            "aws_iam_role" => self.role(&v),
            "aws_iam_user_ssh_key" => self.ssh_key(&v),
            "aws_iam_user_login_profile" => self.login_profile(&v),
            "aws_iam_user_group_membership" => self.user_group_membership(&v),
            "aws_iam_group_membership" => self.group_membership(&v),
            "aws_iam_user_policy" => self.owned(ty, change, &v, Who::User, Self::inline_policy),
            "aws_iam_group_policy" => self.owned(ty, change, &v, Who::Group, Self::inline_policy),
            "aws_iam_role_policy" => self.owned(ty, change, &v, Who::Role, Self::inline_policy),
            "aws_iam_user_policy_attachment" => {
                self.owned(ty, change, &v, Who::User, Self::attachment)
            }
            "aws_iam_group_policy_attachment" => {
                self.owned(ty, change, &v, Who::Group, Self::attachment)
            }
            "aws_iam_role_policy_attachment" => {
                self.owned(ty, change, &v, Who::Role, Self::attachment)
            }
            "aws_iam_policy_attachment" => {
                if !v.deleted && owners::LIST_KEYS.iter().any(|(k, _)| v.is_unknown(k)) {
                    self.defer(ty, change, &v);
                } else {
                    self.policy_attachment(&v, &owners::Owners::new());
                }
            }
            "aws_iam_instance_profile" => self.instance_profile(&v),
            "aws_iam_policy" => self.policy(&v),
            "aws_iam_access_key" => self.access_key(&v),
            "aws_iam_openid_connect_provider" => self.oidc_provider(&v),
            "aws_iam_saml_provider" => self.saml_provider(&v),
            _ => return false,
        }
        true
    }

    /// Maps a resource owned by a principal (`role = ...`); one whose owner is
    /// known only after apply waits until the owner can be traced.
    fn owned(
        &mut self,
        ty: &str,
        change: &Change,
        v: &View,
        who: Who,
        map: fn(&mut Self, Who, &View, Target),
    ) {
        match v.name(who.key()) {
            Ok(Some(name)) => map(self, who, v, Target::Named(name)),
            Ok(None) => {}
            Err(()) if v.deleted => {}
            Err(()) => self.defer(ty, change, v),
        }
    }

    /// Remembers that the current resource writes an IAM object (or a part)
    /// that an earlier resource (`previous`: its origin, and whether it deletes)
    /// wrote too. A first write costs nothing.
    fn wrote(
        &mut self,
        kind: Kind,
        name: Option<&str>,
        part: Option<String>,
        previous: Option<(Origin, bool)>,
        v: &View,
    ) {
        let Some(previous) = previous else { return };
        let list = self
            .writes
            .entry((kind, name.map(str::to_string), part))
            .or_default();
        if list.is_empty() {
            list.push(previous);
        }
        list.push((v.origin.clone(), v.deleted));
    }

    /// Documents read ahead of the next resource (by another thread): what
    /// `apply` would otherwise read itself.
    pub(crate) fn documents_read(
        &mut self,
        read: impl IntoIterator<Item = (String, Option<crate::policy_doc::PolicyDoc>)>,
    ) {
        for (text, doc) in read {
            self.docs.seed(text, doc);
        }
    }

    /// Objects that several resources write, into the state.
    pub(crate) fn finish(&mut self) {
        for ((kind, name, part), writes) in std::mem::take(&mut self.writes) {
            if writes.len() < 2 {
                continue;
            }
            let (deleted, present): (Vec<_>, Vec<_>) = writes.into_iter().partition(|(_, d)| *d);
            self.state.multiple_writes.push(MultipleWrites {
                kind,
                name,
                part,
                present: present.into_iter().map(|(o, _)| o).collect(),
                deleted: deleted.into_iter().map(|(o, _)| o).collect(),
            });
        }
    }

    /// A builder that remembers which object each resource belongs to.
    pub(crate) fn tracking_objects() -> Builder {
        Builder {
            tracks_objects: true,
            ..Builder::default()
        }
    }

    /// Remembers the object the current resource belongs to.
    fn touched(&mut self, kind: Kind, name: &str) {
        if self.tracks_objects {
            self.last_object = Some(ResourceId::object(kind, name));
        }
    }

    /// Remembers an account-wide setting as the current resource's object.
    fn touched_setting(&mut self, kind: Kind) {
        if self.tracks_objects {
            self.last_object = Some(ResourceId::setting(kind));
        }
    }

    fn wrote_target(
        &mut self,
        kind: Kind,
        target: &Target,
        previous: Option<(Origin, bool)>,
        v: &View,
    ) {
        if let Target::Named(name) = target {
            self.wrote(kind, Some(name), None, previous, v);
        }
    }

    fn touched_target(&mut self, kind: Kind, target: &Target) {
        if let Target::Named(name) = target {
            self.touched(kind, name);
        }
    }

    /// The observed principal object, created as a placeholder when only things
    /// attached to it are in the plan. `None` when the plan deletes it.
    fn principal_facets(&mut self, who: Who, target: &Target, v: &View) -> Option<&mut Principal> {
        let name = match target {
            Target::Named(name) => name,
            Target::Unnamed(_) => {
                return match who {
                    Who::User => entry(&mut self.state.users, target)
                        .and_then(|o| o.value.as_mut())
                        .map(|u| &mut u.principal),
                    Who::Group => entry(&mut self.state.groups, target)
                        .and_then(|o| o.value.as_mut())
                        .map(|g| &mut g.principal),
                    Who::Role => entry(&mut self.state.roles, target)
                        .and_then(|o| o.value.as_mut())
                        .map(|r| &mut r.principal),
                }
            }
        };
        match who {
            Who::User => self.user_facets(name, v).map(|u| &mut u.principal),
            Who::Group => {
                let obj = self
                    .state
                    .groups
                    .items
                    .entry(name.to_string())
                    .or_insert_with(|| v.obj(Some(Group::default())));
                obj.value.as_mut().map(|g| &mut g.principal)
            }
            Who::Role => {
                let obj = self
                    .state
                    .roles
                    .items
                    .entry(name.to_string())
                    .or_insert_with(|| v.obj(Some(Role::default())));
                obj.value.as_mut().map(|r| &mut r.principal)
            }
        }
    }

    fn user_facets(&mut self, name: &str, v: &View) -> Option<&mut User> {
        let obj = self
            .state
            .users
            .items
            .entry(name.to_string())
            .or_insert_with(|| v.obj(Some(User::default())));
        obj.value.as_mut()
    }
}

/// Items a list attribute holds after the change, and items it held before but
/// no longer does (all of them when the resource is deleted).
fn list_change(v: &View, key: &str) -> (Vec<String>, Vec<String>) {
    let before = View::strings(v.before.and_then(|b| b.get(key)));
    if v.deleted {
        return (Vec::new(), before);
    }
    let after = if v.is_unknown(key) {
        Vec::new()
    } else {
        View::strings(v.values.get(key))
    };
    let absent = before.into_iter().filter(|b| !after.contains(b)).collect();
    (after, absent)
}

fn merge_set(
    set: &mut NameSet,
    v: &View,
    present: Vec<String>,
    absent: Vec<String>,
    unknown: bool,
) {
    for item in present {
        put(set, item, v.obj(Some(())));
    }
    for item in absent {
        put(set, item, v.obj(None));
    }
    if unknown {
        set.unknown.push(v.obj(Some(())));
    }
}

/// Records a key of a user (SSH or access key): by id, or, when its id is known
/// only after apply, among the keys the plan adds. A key the plan replaces
/// (a new `pgp_key`, a new public key, `-replace`) is another key: the old id
/// (`before_id`) is deleted.
fn put_key<K>(
    keys: &mut Members<K>,
    (id, before_id): (Option<String>, Option<String>),
    key: K,
    deleted: bool,
    status_unknown: bool,
    origin: Origin,
) {
    if let Some(old) = before_id.filter(|old| !deleted && id.as_ref() != Some(old)) {
        keys.items.insert(old, Obj::absent(origin.clone()));
    }
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

/// Records an item: one resource saying it is there wins over another saying it
/// is gone (a membership moved from one resource to another).
fn put(set: &mut NameSet, item: String, obj: Obj<()>) {
    match set.items.get(&item) {
        Some(existing) if existing.value.is_some() && obj.value.is_none() => {}
        _ => {
            set.items.insert(item, obj);
        }
    }
}
