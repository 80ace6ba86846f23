//! Which resources an IAM write touches, from its request parameters and
//! response elements: one table, next to the rule table. A test checks that
//! every event a rule names is here.

use super::Event;
use crate::identity::{Kind, Name, ResourceId};

/// How to find the resources of one event.
pub struct Touch {
    pub event: &'static str,
    /// The kind of what the event changes (a key rather than its user).
    pub kind: Kind,
    pub find: fn(&Event) -> Vec<ResourceId>,
}

fn object(kind: Kind, name: Option<&str>) -> Vec<ResourceId> {
    name.map(|n| vec![ResourceId::object(kind, n)])
        .unwrap_or_default()
}

fn setting(kind: Kind) -> Vec<ResourceId> {
    vec![ResourceId::setting(kind)]
}

/// The last segment of an ARN's resource (`…:policy/path/NAME` is `NAME`).
fn arn_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// A provider's name in its ARN (`…:oidc-provider/URL` keeps the URL's slashes).
fn provider_name<'e>(arn: &'e str, kind: &str) -> Option<&'e str> {
    arn.split_once(&format!(":{kind}/")).map(|(_, n)| n)
}

/// The user a call is about: `userName`, or the caller itself when it leaves
/// it out (a user managing its own keys), or the root user.
fn self_or_named(e: &Event) -> Option<ResourceId> {
    if let Some(user) = e.req("userName") {
        return Some(ResourceId::object(Kind::User, user));
    }
    match e.actor.kind.as_deref() {
        Some("Root") => Some(ResourceId::setting(Kind::Root)),
        Some("IAMUser") => e
            .actor
            .user_name
            .as_deref()
            .map(|u| ResourceId::object(Kind::User, u)),
        _ => None,
    }
}

fn user(e: &Event) -> Vec<ResourceId> {
    object(Kind::User, e.req("userName"))
}

fn user_renamed(e: &Event) -> Vec<ResourceId> {
    let mut out = user(e);
    out.extend(object(Kind::User, e.req("newUserName")));
    out
}

fn user_and_group(e: &Event) -> Vec<ResourceId> {
    let mut out = user(e);
    out.extend(group(e));
    out
}

fn group(e: &Event) -> Vec<ResourceId> {
    object(Kind::Group, e.req("groupName"))
}

fn group_renamed(e: &Event) -> Vec<ResourceId> {
    let mut out = group(e);
    out.extend(object(Kind::Group, e.req("newGroupName")));
    out
}

fn role(e: &Event) -> Vec<ResourceId> {
    object(Kind::Role, e.req("roleName"))
}

/// A service-linked role: named in the response (the request names the
/// service); DeleteServiceLinkedRole names it in the request.
fn service_linked_role(e: &Event) -> Vec<ResourceId> {
    let name = e.req("roleName").or_else(|| e.resp(&["role", "roleName"]));
    object(Kind::Role, name)
}

fn profile(e: &Event) -> Vec<ResourceId> {
    let mut out = object(Kind::InstanceProfile, e.req("instanceProfileName"));
    out.extend(role(e));
    out
}

fn policy(e: &Event) -> Vec<ResourceId> {
    let arn = e
        .req("policyArn")
        .or_else(|| e.resp(&["policy", "arn"]))
        .map(arn_name);
    let name = e.req("policyName").or(arn);
    object(Kind::Policy, name)
}

fn password_policy(_: &Event) -> Vec<ResourceId> {
    setting(Kind::PasswordPolicy)
}

fn alias(_: &Event) -> Vec<ResourceId> {
    setting(Kind::Account)
}

fn ssh_key(e: &Event) -> Vec<ResourceId> {
    let Some(user) = e
        .req("userName")
        .or_else(|| e.resp(&["sSHPublicKey", "userName"]))
    else {
        return Vec::new();
    };
    let object = ResourceId::object(Kind::User, user);
    let id = e
        .req("sSHPublicKeyId")
        .or_else(|| e.resp(&["sSHPublicKey", "sSHPublicKeyId"]));
    let mut out = vec![object.clone()];
    if let Some(id) = id {
        out.push(object.child(Kind::SshKey, Name::Known(id.to_string())));
    }
    out
}

fn access_key(e: &Event) -> Vec<ResourceId> {
    let named = e
        .resp(&["accessKey", "userName"])
        .map(|u| ResourceId::object(Kind::User, u));
    let Some(object) = named.or_else(|| self_or_named(e)) else {
        return Vec::new();
    };
    let id = e
        .req("accessKeyId")
        .or_else(|| e.resp(&["accessKey", "accessKeyId"]));
    let mut out = vec![object.clone()];
    if let (Some(id), Kind::User) = (id, object.kind()) {
        out.push(object.child(Kind::AccessKey, Name::Known(id.to_string())));
    }
    out
}

fn login_profile(e: &Event) -> Vec<ResourceId> {
    self_or_named(e).into_iter().collect()
}

/// MFA calls name the user, or nobody for the root user's device.
fn mfa(e: &Event) -> Vec<ResourceId> {
    if let Some(u) = e.req("userName") {
        return object(Kind::User, Some(u));
    }
    let root_device = e
        .req("serialNumber")
        .is_some_and(|s| s.ends_with(":mfa/root-account-mfa-device") || s.ends_with(":root"));
    if root_device || e.actor.kind.as_deref() == Some("Root") {
        return setting(Kind::Root);
    }
    Vec::new()
}

fn oidc(e: &Event) -> Vec<ResourceId> {
    let name = e
        .req("openIDConnectProviderArn")
        .or_else(|| e.resp(&["openIDConnectProviderArn"]))
        .and_then(|a| provider_name(a, "oidc-provider"))
        .map(str::to_string)
        .or_else(|| e.req("url").map(crate::baseline::oidc_provider_name));
    object(Kind::OidcProvider, name.as_deref())
}

fn saml(e: &Event) -> Vec<ResourceId> {
    let name = e
        .req("sAMLProviderArn")
        .or_else(|| e.resp(&["sAMLProviderArn"]))
        .and_then(|a| provider_name(a, "saml-provider"))
        .or_else(|| e.req("name"));
    object(Kind::SamlProvider, name)
}

/// A sign-in: the root user's, or a user's.
fn sign_in(e: &Event) -> Vec<ResourceId> {
    match e.actor.kind.as_deref() {
        Some("Root") => setting(Kind::Root),
        Some("IAMUser") => object(Kind::User, e.actor.user_name.as_deref()),
        _ => Vec::new(),
    }
}

macro_rules! table {
    ($($event:literal => $kind:ident $find:ident,)*) => {
        /// Every IAM write drift maps, with how.
        pub const TABLE: &[Touch] = &[$(Touch { event: $event, kind: Kind::$kind, find: $find },)*];
    };
}

table! {
    "UpdateAccountPasswordPolicy" => PasswordPolicy password_policy,
    "DeleteAccountPasswordPolicy" => PasswordPolicy password_policy,
    "CreateAccountAlias" => Account alias,
    "DeleteAccountAlias" => Account alias,
    "CreateUser" => User user,
    "DeleteUser" => User user,
    "UpdateUser" => User user_renamed,
    "TagUser" => User user,
    "UntagUser" => User user,
    "PutUserPermissionsBoundary" => User user,
    "DeleteUserPermissionsBoundary" => User user,
    "AddUserToGroup" => User user_and_group,
    "RemoveUserFromGroup" => User user_and_group,
    "AttachUserPolicy" => User user,
    "DetachUserPolicy" => User user,
    "PutUserPolicy" => User user,
    "DeleteUserPolicy" => User user,
    "CreateGroup" => Group group,
    "DeleteGroup" => Group group,
    "UpdateGroup" => Group group_renamed,
    "AttachGroupPolicy" => Group group,
    "DetachGroupPolicy" => Group group,
    "PutGroupPolicy" => Group group,
    "DeleteGroupPolicy" => Group group,
    "CreateRole" => Role role,
    "DeleteRole" => Role role,
    "CreateServiceLinkedRole" => Role service_linked_role,
    "DeleteServiceLinkedRole" => Role service_linked_role,
    "UpdateRole" => Role role,
    "UpdateRoleDescription" => Role role,
    "UpdateAssumeRolePolicy" => Role role,
    "TagRole" => Role role,
    "UntagRole" => Role role,
    "PutRolePermissionsBoundary" => Role role,
    "DeleteRolePermissionsBoundary" => Role role,
    "AttachRolePolicy" => Role role,
    "DetachRolePolicy" => Role role,
    "PutRolePolicy" => Role role,
    "DeleteRolePolicy" => Role role,
    "CreateInstanceProfile" => InstanceProfile profile,
    "DeleteInstanceProfile" => InstanceProfile profile,
    "AddRoleToInstanceProfile" => InstanceProfile profile,
    "RemoveRoleFromInstanceProfile" => InstanceProfile profile,
    "CreatePolicy" => Policy policy,
    "DeletePolicy" => Policy policy,
    "CreatePolicyVersion" => Policy policy,
    "DeletePolicyVersion" => Policy policy,
    "SetDefaultPolicyVersion" => Policy policy,
    "UploadSSHPublicKey" => SshKey ssh_key,
    "UpdateSSHPublicKey" => SshKey ssh_key,
    "DeleteSSHPublicKey" => SshKey ssh_key,
    "CreateAccessKey" => AccessKey access_key,
    "UpdateAccessKey" => AccessKey access_key,
    "DeleteAccessKey" => AccessKey access_key,
    "CreateLoginProfile" => LoginProfile login_profile,
    "UpdateLoginProfile" => LoginProfile login_profile,
    "DeleteLoginProfile" => LoginProfile login_profile,
    "EnableMFADevice" => Mfa mfa,
    "DeactivateMFADevice" => Mfa mfa,
    "DeleteVirtualMFADevice" => Mfa mfa,
    "CreateOpenIDConnectProvider" => OidcProvider oidc,
    "DeleteOpenIDConnectProvider" => OidcProvider oidc,
    "UpdateOpenIDConnectProviderThumbprint" => OidcProvider oidc,
    "AddClientIDToOpenIDConnectProvider" => OidcProvider oidc,
    "RemoveClientIDFromOpenIDConnectProvider" => OidcProvider oidc,
    "CreateSAMLProvider" => SamlProvider saml,
    "UpdateSAMLProvider" => SamlProvider saml,
    "DeleteSAMLProvider" => SamlProvider saml,
    "ConsoleLogin" => Root sign_in,
}

/// The table entry of an event drift maps.
pub fn entry(name: &str) -> Option<&'static Touch> {
    TABLE.iter().find(|t| t.event == name)
}

/// The resources an event touches (objects, and parts such as a key), empty
/// for an event drift does not map or whose record does not name them.
pub fn touches(e: &Event) -> Vec<ResourceId> {
    entry(&e.name).map(|t| (t.find)(e)).unwrap_or_default()
}
