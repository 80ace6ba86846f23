//! Pagination of every paginated call of the live source, replayed with
//! aws-smithy-mocks: moto ignores MaxItems and Marker, so it cannot show that
//! every page is read.

use aws_sdk_iam::operation::generate_credential_report::GenerateCredentialReportOutput;
use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use aws_sdk_iam::operation::get_account_password_policy::GetAccountPasswordPolicyOutput;
use aws_sdk_iam::operation::get_credential_report::GetCredentialReportOutput;
use aws_sdk_iam::operation::list_access_keys::ListAccessKeysOutput;
use aws_sdk_iam::operation::list_account_aliases::ListAccountAliasesOutput;
use aws_sdk_iam::operation::list_instance_profiles::ListInstanceProfilesOutput;
use aws_sdk_iam::operation::list_open_id_connect_providers::ListOpenIdConnectProvidersOutput;
use aws_sdk_iam::operation::list_roles::ListRolesOutput;
use aws_sdk_iam::operation::list_saml_providers::ListSamlProvidersOutput;
use aws_sdk_iam::operation::list_ssh_public_keys::ListSshPublicKeysOutput;
use aws_sdk_iam::types::*;
use aws_sdk_iam::Client;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use iam_drift_guard::sources::aws as live;

fn user(name: &str) -> UserDetail {
    UserDetail::builder()
        .user_name(name)
        .user_id(format!("AIDA{}", name.to_uppercase()))
        .arn(format!("arn:aws:iam::123456789012:user/{name}"))
        .path("/")
        .build()
}

fn role(name: &str) -> Role {
    Role::builder()
        .role_name(name)
        .role_id(format!("AROA{}", name.to_uppercase()))
        .arn(format!("arn:aws:iam::123456789012:role/{name}"))
        .path("/")
        .create_date(DateTime::from_secs(0))
        .max_session_duration(3600)
        .build()
        .unwrap()
}

fn profile(name: &str) -> InstanceProfile {
    InstanceProfile::builder()
        .instance_profile_name(name)
        .instance_profile_id(format!("AIPA{}", name.to_uppercase()))
        .arn(format!("arn:aws:iam::123456789012:instance-profile/{name}"))
        .path("/")
        .create_date(DateTime::from_secs(0))
        .set_roles(Some(vec![]))
        .build()
        .unwrap()
}

fn key(id: &str) -> SshPublicKeyMetadata {
    SshPublicKeyMetadata::builder()
        .user_name("x")
        .ssh_public_key_id(id)
        .status(StatusType::Active)
        .upload_date(DateTime::from_secs(0))
        .build()
        .unwrap()
}

#[test]
fn every_page_of_every_paginated_call_is_read() {
    // Three pages of account details, linked by markers.
    let gaad1 = mock!(Client::get_account_authorization_details)
        .match_requests(|r| r.marker().is_none())
        .then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .user_detail_list(user("a"))
                .is_truncated(true)
                .marker("m1")
                .build()
        });
    let gaad2 = mock!(Client::get_account_authorization_details)
        .match_requests(|r| r.marker() == Some("m1"))
        .then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .user_detail_list(user("b"))
                .is_truncated(true)
                .marker("m2")
                .build()
        });
    let gaad3 = mock!(Client::get_account_authorization_details)
        .match_requests(|r| r.marker() == Some("m2"))
        .then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .user_detail_list(user("c"))
                .is_truncated(false)
                .build()
        });
    let roles1 = mock!(Client::list_roles)
        .match_requests(|r| r.marker().is_none())
        .then_output(|| {
            ListRolesOutput::builder()
                .roles(role("r1"))
                .is_truncated(true)
                .marker("r")
                .build()
                .unwrap()
        });
    let roles2 = mock!(Client::list_roles)
        .match_requests(|r| r.marker() == Some("r"))
        .then_output(|| {
            ListRolesOutput::builder()
                .roles(role("r2"))
                .is_truncated(false)
                .build()
                .unwrap()
        });
    let profiles1 = mock!(Client::list_instance_profiles)
        .match_requests(|r| r.marker().is_none())
        .then_output(|| {
            ListInstanceProfilesOutput::builder()
                .instance_profiles(profile("p1"))
                .is_truncated(true)
                .marker("p")
                .build()
                .unwrap()
        });
    let profiles2 = mock!(Client::list_instance_profiles)
        .match_requests(|r| r.marker() == Some("p"))
        .then_output(|| {
            ListInstanceProfilesOutput::builder()
                .instance_profiles(profile("p2"))
                .is_truncated(false)
                .build()
                .unwrap()
        });
    // User `b` has two pages of SSH keys; the others one.
    let keys_b1 = mock!(Client::list_ssh_public_keys)
        .match_requests(|r| r.user_name() == Some("b") && r.marker().is_none())
        .then_output(|| {
            ListSshPublicKeysOutput::builder()
                .ssh_public_keys(key("APKAB1"))
                .is_truncated(true)
                .marker("k")
                .build()
        });
    let keys_b2 = mock!(Client::list_ssh_public_keys)
        .match_requests(|r| r.user_name() == Some("b") && r.marker() == Some("k"))
        .then_output(|| {
            ListSshPublicKeysOutput::builder()
                .ssh_public_keys(key("APKAB2"))
                .is_truncated(false)
                .build()
        });
    let keys_a = mock!(Client::list_ssh_public_keys)
        .match_requests(|r| r.user_name() == Some("a"))
        .then_output(|| {
            ListSshPublicKeysOutput::builder()
                .is_truncated(false)
                .build()
        });
    let keys_c = mock!(Client::list_ssh_public_keys)
        .match_requests(|r| r.user_name() == Some("c"))
        .then_output(|| {
            ListSshPublicKeysOutput::builder()
                .ssh_public_keys(key("APKAC1"))
                .is_truncated(false)
                .build()
        });
    let policy = mock!(Client::get_account_password_policy).then_output(|| {
        GetAccountPasswordPolicyOutput::builder()
            .password_policy(
                PasswordPolicy::builder()
                    .minimum_password_length(14)
                    .build(),
            )
            .build()
    });
    let aliases = mock!(Client::list_account_aliases).then_output(|| {
        ListAccountAliasesOutput::builder()
            .account_aliases("acme")
            .is_truncated(false)
            .build()
            .unwrap()
    });
    let generate = mock!(Client::generate_credential_report).then_output(|| {
        GenerateCredentialReportOutput::builder()
            .state(ReportStateType::Complete)
            .build()
    });
    let report = mock!(Client::get_credential_report).then_output(|| {
        GetCredentialReportOutput::builder()
            .content(aws_smithy_types::Blob::new(
                // With the access key columns, and no active key: no ListAccessKeys.
                "user,arn,password_enabled,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service\na,arn:aws:iam::123456789012:user/a,true,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\nb,arn:aws:iam::123456789012:user/b,false,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\nc,arn:aws:iam::123456789012:user/c,true,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n",
            ))
            .build()
    });
    let x = extras();
    let client = mock_client!(
        aws_sdk_iam,
        RuleMode::MatchAny,
        [
            &gaad1, &gaad2, &gaad3, &roles1, &roles2, &profiles1, &profiles2, &keys_b1, &keys_b2,
            &keys_a, &keys_c, &policy, &aliases, &generate, &report, &x[0], &x[1], &x[2]
        ]
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let read = runtime
        .block_on(live::read(&client, &live::Scope::default(), 2, &|_, _| {}))
        .unwrap_or_else(|e| panic!("{e:?}"));

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
    let a = read.state.users.items["a"].value.as_ref().unwrap();
    assert_eq!(
        (
            a.login_profile.as_ref().unwrap().value.is_some(),
            a.mfa_devices
        ),
        (true, Some(1))
    );
    let b = read.state.users.items["b"].value.as_ref().unwrap();
    assert_eq!(
        (
            b.login_profile.as_ref().unwrap().value.is_some(),
            b.mfa_devices
        ),
        (false, Some(0))
    );
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
    assert_eq!(
        (
            gaad3.num_calls(),
            keys_b2.num_calls(),
            roles2.num_calls(),
            profiles2.num_calls()
        ),
        (1, 1, 1, 1)
    );
}

#[test]
fn access_denied_on_a_later_page_fails_closed() {
    use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsError;
    let gaad1 = mock!(Client::get_account_authorization_details)
        .match_requests(|r| r.marker().is_none())
        .then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .user_detail_list(user("a"))
                .is_truncated(true)
                .marker("m1")
                .build()
        });
    let gaad2 = mock!(Client::get_account_authorization_details)
        .match_requests(|r| r.marker() == Some("m1"))
        .then_error(|| {
            GetAccountAuthorizationDetailsError::generic(
                aws_smithy_types::error::ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("not allowed")
                    .build(),
            )
        });
    let policy = mock!(Client::get_account_password_policy).then_output(|| {
        GetAccountPasswordPolicyOutput::builder()
            .password_policy(PasswordPolicy::builder().build())
            .build()
    });
    let aliases = mock!(Client::list_account_aliases).then_output(|| {
        ListAccountAliasesOutput::builder()
            .set_account_aliases(Some(vec![]))
            .is_truncated(false)
            .build()
            .unwrap()
    });
    let roles = mock!(Client::list_roles).then_output(|| {
        ListRolesOutput::builder()
            .set_roles(Some(vec![]))
            .is_truncated(false)
            .build()
            .unwrap()
    });
    let profiles = mock!(Client::list_instance_profiles).then_output(|| {
        ListInstanceProfilesOutput::builder()
            .set_instance_profiles(Some(vec![]))
            .is_truncated(false)
            .build()
            .unwrap()
    });
    let generate = mock!(Client::generate_credential_report).then_output(|| {
        GenerateCredentialReportOutput::builder()
            .state(ReportStateType::Complete)
            .build()
    });
    let report = mock!(Client::get_credential_report).then_output(|| {
        GetCredentialReportOutput::builder()
            .content(aws_smithy_types::Blob::new(
                "user,arn,password_enabled,mfa_active\n",
            ))
            .build()
    });
    let x = extras();
    let client = mock_client!(
        aws_sdk_iam,
        RuleMode::MatchAny,
        [
            &gaad1, &gaad2, &policy, &aliases, &roles, &profiles, &generate, &report, &x[0], &x[1],
            &x[2]
        ]
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let errors = runtime
        .block_on(live::read(&client, &live::Scope::default(), 2, &|_, _| {}))
        .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].action, "iam:GetAccountAuthorizationDetails");
    assert!(
        errors[0].reason.starts_with("AccessDenied"),
        "{}",
        errors[0].reason
    );
}

/// A report without a user's row (created since AWS generated it) and a report
/// with only its header: the users it lacks are read one by one.
#[test]
fn users_the_credential_report_lacks_are_read_one_by_one() {
    use aws_sdk_iam::operation::get_login_profile::GetLoginProfileOutput;
    use aws_sdk_iam::operation::list_mfa_devices::ListMfaDevicesOutput;
    for report_text in [
        "user,arn,password_enabled,mfa_active\na,arn:aws:iam::123456789012:user/a,true,true\n",
        "user,arn,password_enabled,mfa_active\n",
    ] {
        let gaad = mock!(Client::get_account_authorization_details).then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .user_detail_list(user("a"))
                .user_detail_list(user("new"))
                .is_truncated(false)
                .build()
        });
        let policy = mock!(Client::get_account_password_policy).then_output(|| {
            GetAccountPasswordPolicyOutput::builder()
                .password_policy(PasswordPolicy::builder().build())
                .build()
        });
        let aliases = mock!(Client::list_account_aliases).then_output(|| {
            ListAccountAliasesOutput::builder()
                .set_account_aliases(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        });
        let roles = mock!(Client::list_roles).then_output(|| {
            ListRolesOutput::builder()
                .set_roles(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        });
        let profiles = mock!(Client::list_instance_profiles).then_output(|| {
            ListInstanceProfilesOutput::builder()
                .set_instance_profiles(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        });
        let keys = mock!(Client::list_ssh_public_keys).then_output(|| {
            ListSshPublicKeysOutput::builder()
                .is_truncated(false)
                .build()
        });
        let generate = mock!(Client::generate_credential_report).then_output(|| {
            GenerateCredentialReportOutput::builder()
                .state(ReportStateType::Complete)
                .build()
        });
        let text = report_text.to_string();
        let report = mock!(Client::get_credential_report).then_output(move || {
            GetCredentialReportOutput::builder()
                .content(aws_smithy_types::Blob::new(text.clone()))
                .build()
        });
        // `new` has a console password and no MFA device; `a` has both.
        let login_new = mock!(Client::get_login_profile)
            .match_requests(|r| r.user_name() == Some("new"))
            .then_output(|| {
                GetLoginProfileOutput::builder()
                    .login_profile(
                        LoginProfile::builder()
                            .user_name("new")
                            .create_date(DateTime::from_secs(0))
                            .build()
                            .unwrap(),
                    )
                    .build()
            });
        let login_a = mock!(Client::get_login_profile)
            .match_requests(|r| r.user_name() == Some("a"))
            .then_output(|| {
                GetLoginProfileOutput::builder()
                    .login_profile(
                        LoginProfile::builder()
                            .user_name("a")
                            .create_date(DateTime::from_secs(0))
                            .build()
                            .unwrap(),
                    )
                    .build()
            });
        let mfa_new = mock!(Client::list_mfa_devices)
            .match_requests(|r| r.user_name() == Some("new"))
            .then_output(|| {
                ListMfaDevicesOutput::builder()
                    .set_mfa_devices(Some(vec![]))
                    .is_truncated(false)
                    .build()
                    .unwrap()
            });
        let mfa_a = mock!(Client::list_mfa_devices)
            .match_requests(|r| r.user_name() == Some("a"))
            .then_output(|| {
                ListMfaDevicesOutput::builder()
                    .mfa_devices(
                        MfaDevice::builder()
                            .user_name("a")
                            .serial_number("arn:aws:iam::123456789012:mfa/a")
                            .enable_date(DateTime::from_secs(0))
                            .build()
                            .unwrap(),
                    )
                    .is_truncated(false)
                    .build()
                    .unwrap()
            });
        let x = extras();
        let client = mock_client!(
            aws_sdk_iam,
            RuleMode::MatchAny,
            [
                &gaad, &policy, &aliases, &roles, &profiles, &keys, &generate, &report, &login_new,
                &login_a, &mfa_new, &mfa_a, &x[0], &x[1], &x[2]
            ]
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let read = runtime
            .block_on(live::read(&client, &live::Scope::default(), 2, &|_, _| {}))
            .unwrap_or_else(|e| panic!("{e:?}"));
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
        assert_eq!(login_new.num_calls(), 1);
    }
}

/// Rules for a small account, every call answering once and whole.
/// Empty answers for the calls every read makes besides the ones a test is
/// about: access keys (reports without key columns list every user's),
/// OIDC and SAML providers.
fn extras() -> [aws_smithy_mocks::Rule; 3] {
    [
        mock!(Client::list_access_keys).then_output(|| {
            ListAccessKeysOutput::builder()
                .set_access_key_metadata(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        }),
        mock!(Client::list_open_id_connect_providers)
            .then_output(|| ListOpenIdConnectProvidersOutput::builder().build()),
        mock!(Client::list_saml_providers)
            .then_output(|| ListSamlProvidersOutput::builder().build()),
    ]
}

fn small_account() -> Vec<aws_smithy_mocks::Rule> {
    vec![
        mock!(Client::get_account_authorization_details).then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .user_detail_list(user("a"))
                .is_truncated(false)
                .build()
        }),
        mock!(Client::get_account_password_policy).then_output(|| {
            GetAccountPasswordPolicyOutput::builder()
                .password_policy(PasswordPolicy::builder().build())
                .build()
        }),
        mock!(Client::list_account_aliases).then_output(|| {
            ListAccountAliasesOutput::builder()
                .set_account_aliases(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        }),
        mock!(Client::list_roles).then_output(|| {
            ListRolesOutput::builder()
                .set_roles(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        }),
        mock!(Client::list_instance_profiles).then_output(|| {
            ListInstanceProfilesOutput::builder()
                .set_instance_profiles(Some(vec![]))
                .is_truncated(false)
                .build()
                .unwrap()
        }),
        mock!(Client::list_ssh_public_keys)
            .then_output(|| ListSshPublicKeysOutput::builder().is_truncated(false).build()),
        mock!(Client::generate_credential_report).then_output(|| {
            GenerateCredentialReportOutput::builder()
                .state(ReportStateType::Complete)
                .build()
        }),
        mock!(Client::get_credential_report).then_output(|| {
            GetCredentialReportOutput::builder()
                .content(aws_smithy_types::Blob::new(
                    "user,arn,password_enabled,mfa_active\na,arn:aws:iam::123456789012:user/a,false,false\n",
                ))
                .build()
        }),
    ]
}

/// Reads the small account with `first` answering before its rules.
fn read_with(first: Vec<aws_smithy_mocks::Rule>) -> Result<live::LiveRead, Vec<live::Unread>> {
    let rules: Vec<aws_smithy_mocks::Rule> = first
        .into_iter()
        .chain(small_account())
        .chain(extras())
        .collect();
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, &rules);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(live::read(&client, &live::Scope::default(), 2, &|_, _| {}))
}

fn the_error(result: Result<live::LiveRead, Vec<live::Unread>>) -> live::Unread {
    let errors = result.map(|_| ()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().unwrap()
}

#[test]
fn the_small_account_reads_whole() {
    let read = read_with(vec![]).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(read.state.users.items.contains_key("a"));
}

#[test]
fn a_repeated_marker_is_an_error_not_the_end() {
    let again = mock!(Client::list_roles).then_output(|| {
        ListRolesOutput::builder()
            .roles(role("r1"))
            .is_truncated(true)
            .marker("same")
            .build()
            .unwrap()
    });
    let e = the_error(read_with(vec![again]));
    assert_eq!(e.action, "iam:ListRoles");
    assert!(e.reason.contains("`same` twice"), "{}", e.reason);
}

#[test]
fn a_listing_without_end_is_bounded() {
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = counter.clone();
    let endless = mock!(Client::list_instance_profiles).then_output(move || {
        let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ListInstanceProfilesOutput::builder()
            .instance_profiles(profile(&format!("p{n}")))
            .is_truncated(true)
            .marker(format!("m{n}"))
            .build()
            .unwrap()
    });
    let e = the_error(read_with(vec![endless]));
    assert_eq!(e.action, "iam:ListInstanceProfiles");
    assert!(e.reason.contains("more than 200 pages"), "{}", e.reason);
    assert_eq!(counter.load(std::sync::atomic::Ordering::SeqCst), 200);
}

#[test]
fn a_truncated_page_without_a_marker_is_an_error() {
    let broken = mock!(Client::get_account_authorization_details).then_output(|| {
        GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(user("a"))
            .is_truncated(true)
            .build()
    });
    let e = the_error(read_with(vec![broken]));
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(e.reason.contains("gives no marker"), "{}", e.reason);
}

#[test]
fn a_role_one_call_lists_and_another_misses_is_unread() {
    let details = mock!(Client::get_account_authorization_details).then_output(|| {
        GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(user("a"))
            .role_detail_list(
                RoleDetail::builder()
                    .role_name("hidden")
                    .role_id("AROAHIDDEN")
                    .arn("arn:aws:iam::123456789012:role/hidden")
                    .path("/")
                    .build(),
            )
            .is_truncated(false)
            .build()
    });
    let e = the_error(read_with(vec![details]));
    assert_eq!(e.action, "iam:ListRoles");
    assert!(e.reason.contains("`hidden`"), "{}", e.reason);
}

#[test]
fn objects_without_a_name_or_id_are_unread() {
    let nameless = mock!(Client::get_account_authorization_details).then_output(|| {
        GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(
                UserDetail::builder()
                    .user_name("")
                    .arn("arn:aws:iam::123456789012:user/")
                    .build(),
            )
            .is_truncated(false)
            .build()
    });
    let e = the_error(read_with(vec![nameless]));
    assert!(e.reason.contains("user without a name"), "{}", e.reason);
    let keyless = mock!(Client::list_ssh_public_keys).then_output(|| {
        ListSshPublicKeysOutput::builder()
            .ssh_public_keys(key(""))
            .is_truncated(false)
            .build()
    });
    let e = the_error(read_with(vec![keyless]));
    assert_eq!(e.action, "iam:ListSSHPublicKeys");
}

#[test]
fn an_empty_listing_where_another_call_shows_objects_is_unread() {
    let empty = mock!(Client::get_account_authorization_details).then_output(|| {
        GetAccountAuthorizationDetailsOutput::builder()
            .is_truncated(false)
            .build()
    });
    let listed = mock!(Client::list_roles).then_output(|| {
        ListRolesOutput::builder()
            .roles(role("app"))
            .is_truncated(false)
            .build()
            .unwrap()
    });
    let e = the_error(read_with(vec![empty, listed]));
    assert_eq!(e.action, "iam:GetAccountAuthorizationDetails");
    assert!(
        e.reason.contains("no role while ListRoles lists 1"),
        "{}",
        e.reason
    );
}

#[test]
fn an_access_key_without_an_id_is_unread_not_skipped() {
    let odd = mock!(Client::list_access_keys).then_output(|| {
        ListAccessKeysOutput::builder()
            .access_key_metadata(
                AccessKeyMetadata::builder()
                    .user_name("a")
                    .status(StatusType::Active)
                    .build(),
            )
            .is_truncated(false)
            .build()
            .unwrap()
    });
    let e = the_error(read_with(vec![odd]));
    assert_eq!(e.action, "iam:ListAccessKeys");
    assert_eq!(e.section, "access keys of user `a`");
    assert!(e.reason.contains("without an id"), "{}", e.reason);
}
