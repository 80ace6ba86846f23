//! Pagination of every paginated call of the live source, against a loopback
//! server that answers IAM's query protocol page by page (moto ignores
//! MaxItems and Marker, so it cannot show that every page is read), and the
//! answers that make no sense.

use crate::common::stub::*;
use iam_drift_guard::sources::aws as live;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const EPOCH: &str = "1970-01-01T00:00:00Z";

fn user(name: &str) -> String {
    format!(
        "<Path>/</Path><UserName>{name}</UserName><UserId>AIDA{}</UserId><Arn>arn:aws:iam::123456789012:user/{name}</Arn><CreateDate>{EPOCH}</CreateDate>",
        name.to_uppercase()
    )
}

fn role(name: &str) -> String {
    format!(
        "<Path>/</Path><RoleName>{name}</RoleName><RoleId>AROA{}</RoleId><Arn>arn:aws:iam::123456789012:role/{name}</Arn><CreateDate>{EPOCH}</CreateDate><MaxSessionDuration>3600</MaxSessionDuration>",
        name.to_uppercase()
    )
}

fn profile(name: &str) -> String {
    format!(
        "<Path>/</Path><InstanceProfileName>{name}</InstanceProfileName><InstanceProfileId>AIPA{}</InstanceProfileId><Arn>arn:aws:iam::123456789012:instance-profile/{name}</Arn><CreateDate>{EPOCH}</CreateDate><Roles></Roles>",
        name.to_uppercase()
    )
}

fn key(id: &str) -> String {
    format!(
        "<UserName>x</UserName><SSHPublicKeyId>{id}</SSHPublicKeyId><Status>Active</Status><UploadDate>{EPOCH}</UploadDate>"
    )
}

/// A credential report generated now (during the read): trusted as it is.
fn report(csv: &str) -> String {
    report_at(csv, &iam_drift_guard::time::rfc3339(now()))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn report_at(csv: &str, generated: &str) -> String {
    format!(
        "<Content>{}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>{generated}</GeneratedTime>",
        base64(csv.as_bytes())
    )
}

/// A listing page: `items` under `tag`, then the page's end.
fn listing(action: &str, tag: &str, items: Vec<String>, marker: Option<&str>) -> Reply {
    iam_ok(
        action,
        &format!("{}{}", members(tag, items), more(marker, marker.is_some())),
    )
}

/// The small account's answer to every call: user `a`, nothing else.
fn small_account(r: &Request) -> Reply {
    let a = r.action.as_str();
    match a {
        "GetAccountAuthorizationDetails" => listing(a, "UserDetailList", vec![user("a")], None),
        "GetAccountPasswordPolicy" => iam_ok(a, "<PasswordPolicy></PasswordPolicy>"),
        "ListAccountAliases" => listing(a, "AccountAliases", vec![], None),
        "ListRoles" => listing(a, "Roles", vec![], None),
        "ListInstanceProfiles" => listing(a, "InstanceProfiles", vec![], None),
        "ListSSHPublicKeys" => listing(a, "SSHPublicKeys", vec![], None),
        "ListAccessKeys" => listing(a, "AccessKeyMetadata", vec![], None),
        "ListOpenIDConnectProviders" => iam_ok(a, "<OpenIDConnectProviderList></OpenIDConnectProviderList>"),
        "ListSAMLProviders" => iam_ok(a, "<SAMLProviderList></SAMLProviderList>"),
        "GenerateCredentialReport" => iam_ok(a, "<State>COMPLETE</State>"),
        "GetCredentialReport" => iam_ok(
            a,
            &report("user,arn,password_enabled,mfa_active\na,arn:aws:iam::123456789012:user/a,false,false\n"),
        ),
        other => iam_error(400, "InvalidAction", &format!("the stub does not answer {other}")),
    }
}

fn read(stub: &Stub) -> Result<live::LiveRead, Vec<live::Unread>> {
    let client = iam_client(stub);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(live::read(&client, &live::Scope::default(), 2, &|_, _| {}))
}

/// Reads the small account with `first` answering before it.
fn read_with(
    first: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static,
) -> (Result<live::LiveRead, Vec<live::Unread>>, Stub) {
    let stub = Stub::start(move |r| first(r).unwrap_or_else(|| small_account(r)));
    (read(&stub), stub)
}

fn the_error(result: Result<live::LiveRead, Vec<live::Unread>>) -> live::Unread {
    let errors = result.map(|_| ()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().unwrap()
}

#[test]
fn every_page_of_every_paginated_call_is_read() {
    let stub = Stub::start(|r| {
        let a = r.action.as_str();
        let marker = r.param("Marker");
        match (a, marker) {
            // Three pages of account details, linked by markers.
            ("GetAccountAuthorizationDetails", None) => {
                listing(a, "UserDetailList", vec![user("a")], Some("m1"))
            }
            ("GetAccountAuthorizationDetails", Some("m1")) => {
                listing(a, "UserDetailList", vec![user("b")], Some("m2"))
            }
            ("GetAccountAuthorizationDetails", Some("m2")) => iam_ok(
                a,
                &format!(
                    "{}{}{}",
                    members("UserDetailList", [user("c")]),
                    members("RoleDetailList", [role("r1"), role("r2")]),
                    more(None, false)
                ),
            ),
            ("ListRoles", None) => listing(a, "Roles", vec![role("r1")], Some("r")),
            ("ListRoles", Some("r")) => listing(a, "Roles", vec![role("r2")], None),
            ("ListInstanceProfiles", None) => {
                listing(a, "InstanceProfiles", vec![profile("p1")], Some("p"))
            }
            ("ListInstanceProfiles", Some("p")) => {
                listing(a, "InstanceProfiles", vec![profile("p2")], None)
            }
            // User `b` has two pages of SSH keys, `c` one, `a` none.
            ("ListSSHPublicKeys", _) => match (r.param("UserName"), marker) {
                (Some("b"), None) => listing(a, "SSHPublicKeys", vec![key("APKAB1")], Some("k")),
                (Some("b"), Some("k")) => listing(a, "SSHPublicKeys", vec![key("APKAB2")], None),
                (Some("c"), None) => listing(a, "SSHPublicKeys", vec![key("APKAC1")], None),
                (Some("a"), None) => listing(a, "SSHPublicKeys", vec![], None),
                _ => iam_error(400, "ValidationError", "unexpected marker"),
            },
            ("GetAccountPasswordPolicy", _) => iam_ok(
                a,
                "<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength></PasswordPolicy>",
            ),
            ("ListAccountAliases", _) => listing(a, "AccountAliases", vec!["acme".into()], None),
            // With the access key columns, and no active key: no ListAccessKeys.
            ("GetCredentialReport", _) => iam_ok(
                a,
                &report("user,arn,password_enabled,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service\na,arn:aws:iam::123456789012:user/a,true,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\nb,arn:aws:iam::123456789012:user/b,false,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\nc,arn:aws:iam::123456789012:user/c,true,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n"),
            ),
            _ => small_account(r),
        }
    });
    let read = read(&stub).unwrap_or_else(|e| panic!("{e:?}"));

    let users: Vec<&String> = read.state.users.items.keys().collect();
    assert_eq!(users, ["a", "b", "c"]);
    let keys_of = |u: &str| -> Vec<String> {
        read.state.users.items[u]
            .value
            .as_ref()
            .unwrap()
            .ssh_keys
            .as_ref()
            .unwrap()
            .items
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(keys_of("b"), ["APKAB1", "APKAB2"]);
    assert_eq!(keys_of("c"), ["APKAC1"]);
    assert!(keys_of("a").is_empty());
    let profiles: Vec<&String> = read.state.instance_profiles.items.keys().collect();
    assert_eq!(profiles, ["p1", "p2"]);
    let creds = |u: &str| {
        let v = read.state.users.items[u].value.as_ref().unwrap();
        (
            v.login_profile.as_ref().unwrap().value.is_some(),
            v.mfa_devices,
        )
    };
    assert_eq!(creds("a"), (true, Some(1)));
    assert_eq!(creds("b"), (false, Some(0)));
    assert_eq!(read.state.account_id.as_deref(), Some("123456789012"));

    let calls: Vec<(&str, usize)> = read.calls.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        calls,
        vec![
            ("GenerateCredentialReport", 1),
            ("GetAccountAuthorizationDetails", 3),
            ("GetAccountPasswordPolicy", 1),
            ("GetCredentialReport", 1),
            ("ListAccountAliases", 1),
            ("ListInstanceProfiles", 2),
            ("ListOpenIDConnectProviders", 1),
            ("ListRoles", 2),
            ("ListSAMLProviders", 1),
            ("ListSSHPublicKeys", 4),
        ]
    );
    // What drift counts is what reached the server: each later page once.
    assert_eq!(
        (
            stub.calls_with("GetAccountAuthorizationDetails", "Marker", "m2"),
            stub.calls_with("ListSSHPublicKeys", "Marker", "k"),
            stub.calls_with("ListRoles", "Marker", "r"),
            stub.calls_with("ListInstanceProfiles", "Marker", "p"),
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(stub.requests().len(), 17);
}

#[test]
fn access_denied_on_a_later_page_fails_closed() {
    let (result, stub) = read_with(|r| match (r.action.as_str(), r.param("Marker")) {
        ("GetAccountAuthorizationDetails", None) => Some(listing(
            "GetAccountAuthorizationDetails",
            "UserDetailList",
            vec![user("a")],
            Some("m1"),
        )),
        ("GetAccountAuthorizationDetails", Some("m1")) => {
            Some(iam_error(403, "AccessDenied", "not allowed"))
        }
        ("GetCredentialReport", _) => Some(iam_ok(
            "GetCredentialReport",
            &report("user,arn,password_enabled,mfa_active\n"),
        )),
        _ => None,
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(e.reason.starts_with("AccessDenied"), "{}", e.reason);
    assert_eq!(
        stub.calls_with("GetAccountAuthorizationDetails", "Marker", "m1"),
        1
    );
}

/// A report without a user's row (created since AWS generated it) and a report
/// with only its header: the users it lacks are read one by one.
#[test]
fn users_the_credential_report_lacks_are_read_one_by_one() {
    for report_text in [
        "user,arn,password_enabled,mfa_active\na,arn:aws:iam::123456789012:user/a,true,true\n",
        "user,arn,password_enabled,mfa_active\n",
    ] {
        let text = report_text.to_string();
        // `new` has a console password and no MFA device; `a` has both.
        let (result, stub) = read_with(move |r| {
            let a = r.action.as_str();
            let who = r.param("UserName").unwrap_or_default();
            match a {
                "GetAccountAuthorizationDetails" => Some(listing(
                    a,
                    "UserDetailList",
                    vec![user("a"), user("new")],
                    None,
                )),
                "GetCredentialReport" => Some(iam_ok(a, &report(&text))),
                "GetLoginProfile" => Some(iam_ok(
                    a,
                    &format!(
                        "<LoginProfile><UserName>{who}</UserName><CreateDate>{EPOCH}</CreateDate></LoginProfile>"
                    ),
                )),
                "ListMFADevices" => {
                    let devices = if who == "a" {
                        vec![format!(
                            "<UserName>a</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/a</SerialNumber><EnableDate>{EPOCH}</EnableDate>"
                        )]
                    } else {
                        vec![]
                    };
                    Some(listing(a, "MFADevices", devices, None))
                }
                _ => None,
            }
        });
        let read = result.unwrap_or_else(|e| panic!("{e:?}"));
        let creds = |u: &str| {
            let v = read.state.users.items[u].value.as_ref().unwrap();
            (
                v.login_profile.as_ref().unwrap().value.is_some(),
                v.mfa_devices,
            )
        };
        assert_eq!(creds("new"), (true, Some(0)), "{report_text}");
        assert_eq!(creds("a"), (true, Some(1)), "{report_text}");
        let one_by_one = if report_text.lines().count() == 1 {
            2
        } else {
            1
        };
        assert_eq!(
            read.calls.get("GetLoginProfile"),
            Some(&one_by_one),
            "{report_text}"
        );
        assert_eq!(stub.calls("GetLoginProfile"), one_by_one);
        assert_eq!(stub.calls_with("GetLoginProfile", "UserName", "new"), 1);
    }
}

#[test]
fn the_small_account_reads_whole() {
    let (result, _) = read_with(|_| None);
    let read = result.unwrap_or_else(|e| panic!("{e:?}"));
    assert!(read.state.users.items.contains_key("a"));
}

#[test]
fn a_repeated_marker_is_an_error_not_the_end() {
    let (result, stub) = read_with(|r| {
        (r.action == "ListRoles")
            .then(|| listing("ListRoles", "Roles", vec![role("r1")], Some("same")))
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:ListRoles");
    assert!(e.reason.contains("`same` twice"), "{}", e.reason);
    assert_eq!(stub.calls("ListRoles"), 2);
}

#[test]
fn a_listing_without_end_is_bounded() {
    let counter = Arc::new(AtomicUsize::new(0));
    let c = counter.clone();
    let (result, _) = read_with(move |r| {
        (r.action == "ListInstanceProfiles").then(|| {
            let n = c.fetch_add(1, Ordering::SeqCst);
            listing(
                "ListInstanceProfiles",
                "InstanceProfiles",
                vec![profile(&format!("p{n}"))],
                Some(&format!("m{n}")),
            )
        })
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:ListInstanceProfiles");
    assert!(e.reason.contains("more than 200 pages"), "{}", e.reason);
    assert_eq!(counter.load(Ordering::SeqCst), 200);
}

#[test]
fn a_truncated_page_without_a_marker_is_an_error() {
    let (result, _) = read_with(|r| {
        (r.action == "GetAccountAuthorizationDetails").then(|| {
            iam_ok(
                "GetAccountAuthorizationDetails",
                &format!(
                    "{}{}",
                    members("UserDetailList", [user("a")]),
                    more(None, true)
                ),
            )
        })
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(e.reason.contains("gives no marker"), "{}", e.reason);
}

#[test]
fn a_role_one_call_lists_and_another_misses_is_unread() {
    let (result, _) = read_with(|r| {
        (r.action == "GetAccountAuthorizationDetails").then(|| {
            iam_ok(
                "GetAccountAuthorizationDetails",
                &format!(
                    "{}{}{}",
                    members("UserDetailList", [user("a")]),
                    members(
                        "RoleDetailList",
                        ["<Path>/</Path><RoleName>hidden</RoleName><RoleId>AROAHIDDEN</RoleId><Arn>arn:aws:iam::123456789012:role/hidden</Arn>".to_string()]
                    ),
                    more(None, false)
                ),
            )
        })
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:ListRoles");
    assert!(e.reason.contains("`hidden`"), "{}", e.reason);
}

#[test]
fn objects_without_a_name_or_id_are_unread() {
    let (result, _) = read_with(|r| {
        (r.action == "GetAccountAuthorizationDetails").then(|| {
            listing(
                "GetAccountAuthorizationDetails",
                "UserDetailList",
                vec!["<UserName></UserName><Arn>arn:aws:iam::123456789012:user/</Arn>".to_string()],
                None,
            )
        })
    });
    let e = the_error(result);
    assert!(e.reason.contains("user without a name"), "{}", e.reason);
    let (result, _) = read_with(|r| {
        (r.action == "ListSSHPublicKeys")
            .then(|| listing("ListSSHPublicKeys", "SSHPublicKeys", vec![key("")], None))
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:ListSSHPublicKeys");
}

#[test]
fn an_empty_listing_where_another_call_shows_objects_is_unread() {
    let (result, _) = read_with(|r| match r.action.as_str() {
        "GetAccountAuthorizationDetails" => {
            Some(iam_ok("GetAccountAuthorizationDetails", &more(None, false)))
        }
        "ListRoles" => Some(listing("ListRoles", "Roles", vec![role("app")], None)),
        _ => None,
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(
        e.reason.contains("no role while ListRoles lists 1"),
        "{}",
        e.reason
    );
}

#[test]
fn an_access_key_without_an_id_is_unread_not_skipped() {
    let (result, _) = read_with(|r| {
        (r.action == "ListAccessKeys").then(|| {
            listing(
                "ListAccessKeys",
                "AccessKeyMetadata",
                vec!["<UserName>a</UserName><Status>Active</Status>".to_string()],
                None,
            )
        })
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:ListAccessKeys");
    assert_eq!(e.section, "access keys of user `a`");
    assert!(e.reason.contains("without an id"), "{}", e.reason);
}

/// A page that is not IAM's XML (a proxy's error page, an answer of another
/// call) is unread: never an empty listing.
#[test]
fn an_answer_that_does_not_parse_is_unread() {
    for body in [
        "<html><body>Service Unavailable</body></html>",
        "not xml",
        "<GetUserResponse><GetUserResult></GetUserResult></GetUserResponse>",
    ] {
        let (result, _) = read_with(move |r| {
            (r.action == "ListRoles").then(|| Reply {
                status: 200,
                content_type: "text/xml",
                body: body.to_string(),
            })
        });
        let e = the_error(result);
        assert_eq!(e.action, "iam:ListRoles", "{body}");
    }
}

/// A customer managed policy of GetAccountAuthorizationDetails, with or
/// without its `PolicyName`.
fn managed_policy(name: Option<&str>, arn: Option<&str>) -> String {
    let doc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
    format!(
        "{}<PolicyId>ANPADEPLOY</PolicyId>{}<Path>/ci/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount><IsAttachable>true</IsAttachable><PolicyVersionList><member><Document>{doc}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>{EPOCH}</CreateDate></member></PolicyVersionList>",
        name.map(|n| format!("<PolicyName>{n}</PolicyName>")).unwrap_or_default(),
        arn.map(|a| format!("<Arn>{a}</Arn>")).unwrap_or_default(),
    )
}

fn details_with_policy(policy: String) -> impl Fn(&Request) -> Option<Reply> {
    move |r: &Request| {
        (r.action == "GetAccountAuthorizationDetails").then(|| {
            iam_ok(
                "GetAccountAuthorizationDetails",
                &format!(
                    "{}{}{}",
                    members("UserDetailList", [user("a")]),
                    members("Policies", [policy.clone()]),
                    more(None, false)
                ),
            )
        })
    }
}

/// moto (and the emulators built on it) leave `PolicyName` out of customer
/// managed policies: the name is the ARN's last segment. A name the ARN
/// contradicts, or neither, is unread.
#[test]
fn a_customer_managed_policy_is_named_by_its_arn_when_the_name_is_missing() {
    let arn = "arn:aws:iam::123456789012:policy/ci/deploy";
    let (result, _) = read_with(details_with_policy(managed_policy(None, Some(arn))));
    let read = result.unwrap_or_else(|e| panic!("{e:?}"));
    let got = read
        .state
        .policies
        .items
        .get("deploy")
        .expect("named `deploy`");
    assert_eq!(got.value.as_ref().unwrap().arn.as_deref(), Some(arn));
    assert_eq!(read.state.policies.items.len(), 1);

    let (result, _) = read_with(details_with_policy(managed_policy(
        Some("deploy"),
        Some("arn:aws:iam::123456789012:policy/ci/other"),
    )));
    let e = the_error(result);
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(
        e.reason.contains("`deploy`") && e.reason.contains("names `other`"),
        "{}",
        e.reason
    );

    let (result, _) = read_with(details_with_policy(managed_policy(None, None)));
    let e = the_error(result);
    assert!(
        e.reason.contains("without a name or a policy ARN"),
        "{}",
        e.reason
    );
}

/// Inline policies have no ARN: one without a name stays unread.
#[test]
fn an_inline_policy_without_a_name_is_unread() {
    let (result, _) = read_with(|r| {
        (r.action == "GetAccountAuthorizationDetails").then(|| {
            let with_inline = format!(
                "{}<UserPolicyList><member><PolicyDocument>%7B%7D</PolicyDocument></member></UserPolicyList>",
                user("a")
            );
            listing(
                "GetAccountAuthorizationDetails",
                "UserDetailList",
                vec![with_inline],
                None,
            )
        })
    });
    let e = the_error(result);
    assert!(
        e.reason.contains("inline policy without a name"),
        "{}",
        e.reason
    );
}

/// A page with a next marker that does not say more follow ends nothing: the
/// listing is unread, whether `IsTruncated` is missing or false.
#[test]
fn a_marker_on_a_page_that_is_not_truncated_is_unread() {
    for end in ["", "<IsTruncated>false</IsTruncated>"] {
        let (result, _) = read_with(move |r| {
            (r.action == "GetAccountAuthorizationDetails").then(|| {
                iam_ok(
                    "GetAccountAuthorizationDetails",
                    &format!(
                        "{}{end}<Marker>next-page</Marker>",
                        members("UserDetailList", [user("a")])
                    ),
                )
            })
        });
        let e = the_error(result);
        assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
        assert!(
            e.reason.contains("does not say that more follow"),
            "{}",
            e.reason
        );
    }
}

/// A role ListRoles lists that GetAccountAuthorizationDetails leaves out is
/// read again once (it may have been made between the calls), then unread.
#[test]
fn a_role_the_details_leave_out_is_read_again_then_unread() {
    let details = |roles: Vec<String>| {
        iam_ok(
            "GetAccountAuthorizationDetails",
            &format!(
                "{}{}{}",
                members("UserDetailList", [user("a")]),
                members("RoleDetailList", roles),
                more(None, false)
            ),
        )
    };
    // Left out twice: unread, naming the role.
    let (result, stub) = read_with(move |r| match r.action.as_str() {
        "GetAccountAuthorizationDetails" => Some(details(vec![role("app")])),
        "ListRoles" => Some(listing(
            "ListRoles",
            "Roles",
            vec![role("app"), role("admin-backdoor")],
            None,
        )),
        _ => None,
    });
    let e = the_error(result);
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(e.reason.contains("`admin-backdoor`"), "{}", e.reason);
    assert_eq!(stub.calls("GetAccountAuthorizationDetails"), 2);
    assert_eq!(stub.calls("ListRoles"), 2);
    // Made between the calls: the second read has it, and the read is whole.
    let seen = Arc::new(AtomicUsize::new(0));
    let (result, stub) = read_with(move |r| match r.action.as_str() {
        "GetAccountAuthorizationDetails" => Some(if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            details(vec![role("app")])
        } else {
            details(vec![role("app"), role("new")])
        }),
        "ListRoles" => Some(listing(
            "ListRoles",
            "Roles",
            vec![role("app"), role("new")],
            None,
        )),
        _ => None,
    });
    let read = result.unwrap_or_else(|e| panic!("{e:?}"));
    assert!(read.state.roles.items.contains_key("new"));
    assert_eq!(stub.calls("GetAccountAuthorizationDetails"), 2);
}

/// The report AWS hands back may be hours old. One generated before the read
/// started does not say what changed since: user `a`'s console password (set
/// after it) is read with GetLoginProfile, every user's keys are listed, and
/// the root user's MFA and keys come from GetAccountSummary. A report
/// generated during the read is taken as it is.
#[test]
fn a_credential_report_older_than_the_read_is_checked_user_by_user() {
    let csv = "user,arn,password_enabled,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service\n<root_account>,arn:aws:iam::123456789012:root,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\na,arn:aws:iam::123456789012:user/a,false,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n";
    let answer = move |generated: String| {
        move |r: &Request| {
            match r.action.as_str() {
            "GetCredentialReport" => Some(iam_ok("GetCredentialReport", &report_at(csv, &generated))),
            "GetLoginProfile" => Some(iam_ok(
                "GetLoginProfile",
                &format!("<LoginProfile><UserName>a</UserName><CreateDate>{EPOCH}</CreateDate></LoginProfile>"),
            )),
            "ListMFADevices" => Some(listing("ListMFADevices", "MFADevices", vec![], None)),
            "GetAccountSummary" => Some(iam_ok(
                "GetAccountSummary",
                "<SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry><entry><key>AccountAccessKeysPresent</key><value>1</value></entry></SummaryMap>",
            )),
            _ => None,
        }
        }
    };
    let month_ago = iam_drift_guard::time::rfc3339(now() - 30 * 86_400);
    let (result, stub) = read_with(answer(month_ago));
    let read = result.unwrap_or_else(|e| panic!("{e:?}"));
    let a = read.state.users.items["a"].value.as_ref().unwrap();
    assert!(
        a.login_profile.as_ref().is_some_and(|p| p.value.is_some()),
        "the password set since the report is seen: {a:#?}"
    );
    assert_eq!(stub.calls("GetLoginProfile"), 1);
    assert_eq!(stub.calls("ListAccessKeys"), 1);
    let root = read.state.root.as_ref().unwrap().value.as_ref().unwrap();
    assert!(!root.mfa, "MFA removed since the report");
    assert_eq!(root.active_keys, 1, "a key made since the report");
    let time = read.report_time.expect("the report's time");
    assert!(time.stale());
    assert!(
        time.describe().contains("before the read"),
        "{}",
        time.describe()
    );

    let (result, stub) = read_with(answer(iam_drift_guard::time::rfc3339(now() + 5)));
    let read = result.unwrap_or_else(|e| panic!("{e:?}"));
    let a = read.state.users.items["a"].value.as_ref().unwrap();
    assert!(
        a.login_profile.as_ref().is_none_or(|p| p.value.is_none()),
        "a fresh report is taken as it is: {a:#?}"
    );
    assert_eq!(stub.calls("GetLoginProfile"), 0);
    assert_eq!(stub.calls("GetAccountSummary"), 0);
    assert!(
        read.state
            .root
            .as_ref()
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .mfa
    );
    assert!(!read.report_time.unwrap().stale());
}

/// A report generated during the read that lists a user the account details
/// leave out: the details are read once more (a user made between the
/// calls), then they are partial (an undeclared user hidden). A report
/// older than the read may list users deleted since: not a reason.
#[test]
fn a_fresh_report_user_the_details_leave_out_is_read_again_then_unread() {
    let csv = "user,arn,password_enabled,mfa_active\na,arn:aws:iam::123456789012:user/a,false,false\nghost,arn:aws:iam::123456789012:user/ghost,true,false\n";
    let answer = move |generated: String| {
        move |r: &Request| match r.action.as_str() {
            "GetCredentialReport" => {
                Some(iam_ok("GetCredentialReport", &report_at(csv, &generated)))
            }
            "GetLoginProfile" => Some(iam_error(404, "NoSuchEntity", "no login profile")),
            "ListMFADevices" => Some(listing("ListMFADevices", "MFADevices", vec![], None)),
            _ => None,
        }
    };
    let (result, stub) = read_with(answer(iam_drift_guard::time::rfc3339(now() + 5)));
    let e = the_error(result);
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(e.reason.contains("`ghost`"), "{}", e.reason);
    assert!(e.reason.contains("read twice"), "{}", e.reason);
    assert_eq!(stub.calls("GetAccountAuthorizationDetails"), 2);
    let (result, stub) = read_with(answer(iam_drift_guard::time::rfc3339(now() - 3600)));
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(stub.calls("GetAccountAuthorizationDetails"), 1);

    // Made between the calls: the second read of the details has the user,
    // and the read is whole, with the user's row of the report.
    let generated = iam_drift_guard::time::rfc3339(now() + 5);
    let seen = Arc::new(AtomicUsize::new(0));
    let (result, stub) = read_with(move |r| match r.action.as_str() {
        "GetAccountAuthorizationDetails" if seen.fetch_add(1, Ordering::SeqCst) > 0 => {
            Some(iam_ok(
                "GetAccountAuthorizationDetails",
                &format!(
                    "{}{}",
                    members("UserDetailList", [user("a"), user("ghost")]),
                    more(None, false)
                ),
            ))
        }
        other => answer(generated.clone())(r).filter(|_| other != "GetAccountAuthorizationDetails"),
    });
    let read = result.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(stub.calls("GetAccountAuthorizationDetails"), 2);
    let ghost = read.state.users.items["ghost"].value.as_ref().unwrap();
    assert!(
        ghost
            .login_profile
            .as_ref()
            .is_some_and(|p| p.value.is_some()),
        "the report's row of the new user: {ghost:#?}"
    );
}

/// An answer that holds a customer managed policy without its default
/// version (half read) leaves its document unjudged: unread, never a policy
/// without a document.
#[test]
fn a_managed_policy_without_its_default_version_is_unread() {
    let arn = Some("arn:aws:iam::123456789012:policy/ci/deploy");
    let whole = managed_policy(Some("deploy"), arn);
    for broken in [
        whole.replace(
            "<IsDefaultVersion>true</IsDefaultVersion>",
            "<IsDefaultVersion>false</IsDefaultVersion>",
        ),
        whole.replace(
            &whole[whole.find("<PolicyVersionList>").unwrap()
                ..whole.find("</PolicyVersionList>").unwrap()],
            "<PolicyVersionList>",
        ),
        whole.replace(
            &whole[whole.find("<Document>").unwrap()..whole.find("</Document>").unwrap() + 11],
            "",
        ),
    ] {
        let (result, _) = read_with(details_with_policy(broken.clone()));
        let e = the_error(result);
        assert!(
            e.reason
                .contains("`deploy` without exactly one default version"),
            "{broken}: {}",
            e.reason
        );
    }
    let (result, _) = read_with(details_with_policy(whole));
    assert!(result.is_ok());
}
