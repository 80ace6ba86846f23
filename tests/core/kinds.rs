//! The kinds table: each kind has its entry, and what an entry says holds in
//! the baseline, in a plan's state, in triage, in write conflicts, in the
//! CloudTrail table, in the live read's policy and in the docs.

use iam_drift_guard::baseline::{self, Baseline};
use iam_drift_guard::finding::Finding;
use iam_drift_guard::identity::{Kind, ResourceId};
use iam_drift_guard::kinds::{self, Shape, KINDS};
use serde_json::json;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bl(text: &str) -> Baseline {
    baseline::parse("baseline.yaml", text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

/// The kinds of named objects and of settings, with the baseline key.
fn declarable() -> impl Iterator<Item = &'static kinds::Entry> {
    KINDS
        .iter()
        .filter(|e| matches!(e.shape, Shape::Object | Shape::Setting))
}

/// `keys` nested, the last holding `leaf`.
fn nested(keys: &[&str], leaf: &str) -> String {
    let mut out = String::from("version: 1\n");
    for (depth, key) in keys.iter().enumerate() {
        out.push_str(&"  ".repeat(depth));
        out.push_str(key);
        out.push(':');
        out.push_str(if depth + 1 == keys.len() { " " } else { "\n" });
    }
    out.push_str(leaf);
    out.push('\n');
    out
}

/// A baseline declaring `name` at a key of the table (`a.b` nests).
fn declaring(path: &str, name: &str) -> String {
    let mut keys: Vec<&str> = path.split('.').collect();
    match path {
        "password_policy" => nested(&keys, "{ minimum_password_length: 14 }"),
        "account.alias" => nested(&keys, name),
        "account.root" => nested(&keys, "{ mfa: required }"),
        _ => {
            keys.push(name);
            nested(&keys, "{}")
        }
    }
}

#[test]
fn every_kind_has_its_entry_in_place() {
    assert_eq!(KINDS.len(), Kind::ALL.len());
    for kind in Kind::ALL {
        assert_eq!(kinds::entry(kind).kind, kind);
    }
}

/// Every kind's baseline key is one the baseline reads, and `declared` says
/// yes for what is declared there and no for an empty baseline.
#[test]
fn every_kind_is_declared_where_the_table_says() {
    let empty = bl("version: 1\n");
    for e in declarable() {
        let path = e
            .baseline
            .unwrap_or_else(|| panic!("{}: no baseline key", e.kind));
        let b = bl(&declaring(path, "probe"));
        assert!((e.declared)(&b, "probe"), "{}: {path}", e.kind);
        assert!(!(e.declared)(&empty, "probe"), "{}", e.kind);
        if e.shape == Shape::Object {
            assert!(!(e.declared)(&b, "other"), "{}", e.kind);
            assert!(kinds::declared(&b, &ResourceId::object(e.kind, "probe")));
        }
    }
    // The keys of parts exist under their object.
    for e in KINDS.iter().filter(|e| matches!(e.shape, Shape::Part(_))) {
        let path = e
            .baseline
            .unwrap_or_else(|| panic!("{}: no baseline key", e.kind));
        let keys: Vec<&str> = path
            .split('.')
            .map(|k| if k == "NAME" { "probe" } else { k })
            .collect();
        let value = match path {
            "users.NAME.ssh_public_keys" | "users.NAME.access_keys" => "[]",
            "account.root.access_keys" => "false",
            "account.root.mfa" | "users.NAME.mfa" => "required",
            _ => "true",
        };
        let text = nested(&keys, value);
        baseline::parse("baseline.yaml", &text)
            .unwrap_or_else(|err| panic!("{}: {path} does not read:\n{text}\n{err:?}", e.kind));
    }
}

/// A plan with `resources` (type, name) created, each object named by its
/// name (an OIDC provider by its URL).
fn plan(resources: &[(&str, &str, &str)]) -> iam_drift_guard::observation::Observation {
    let changes: Vec<serde_json::Value> = resources
        .iter()
        .map(|(ty, resource, name)| {
            let after = if *ty == "aws_iam_openid_connect_provider" {
                json!({"url": format!("https://{name}"), "client_id_list": ["sts.amazonaws.com"], "thumbprint_list": []})
            } else if *ty == "aws_iam_account_password_policy" {
                json!({"minimum_password_length": 8})
            } else if *ty == "aws_iam_account_alias" {
                json!({"account_alias": name})
            } else if *ty == "aws_iam_saml_provider" {
                json!({"name": name, "saml_metadata_document": "<md/>"})
            } else if *ty == "aws_iam_policy" {
                json!({"name": name, "path": "/", "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"})
            } else if *ty == "aws_iam_role" {
                json!({"name": name, "path": "/", "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"})
            } else {
                json!({"name": name, "path": "/"})
            };
            json!({
                "address": format!("{ty}.{resource}"),
                "mode": "managed",
                "type": ty,
                "name": resource,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {}}
            })
        })
        .collect();
    let text = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": changes,
    });
    let plan = iam_drift_guard::sources::terraform::read(text.to_string().as_bytes()).unwrap();
    let info = plan.info.clone();
    plan.into_parts()
        .remove(0)
        .into_observation(&info, "plan.json")
}

/// The object kinds and settings, with the Terraform type that writes each.
fn written() -> Vec<(&'static kinds::Entry, &'static str)> {
    declarable()
        .filter_map(|e| e.terraform.first().map(|ty| (e, *ty)))
        .collect()
}

#[test]
fn every_kind_a_plan_writes_is_found_in_its_state() {
    for (e, ty) in written() {
        let o = plan(&[(ty, "a", "probe.example.com")]);
        let resource = match e.shape {
            Shape::Setting => ResourceId::setting(e.kind),
            _ => ResourceId::object(e.kind, "probe.example.com"),
        };
        assert!(
            o.state.present_origin(&resource).is_some(),
            "{}: {ty} not found in the state",
            e.kind
        );
        assert!((e.present)(&o.state, "probe.example.com").is_some());
        if e.shape == Shape::Object {
            assert!((e.present)(&o.state, "other").is_none());
        }
    }
}

fn rules_of(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(|f| f.rule.to_string()).collect()
}

/// `settings.unmanaged: ignore` quiets the undeclared objects of exactly the
/// kinds the table marks, and `report` shows every kind's.
#[test]
fn unmanaged_ignore_quiets_exactly_the_quiet_kinds() {
    let report = bl("version: 1\n");
    let ignore = bl("version: 1\nsettings:\n  unmanaged: ignore\n");
    for (e, ty) in written() {
        let Some(rule) = e.unmanaged else { continue };
        let o = plan(&[(ty, "a", "probe.example.com")]);
        let shown = iam_drift_guard::check::judge(&report, &o).findings;
        assert!(
            rules_of(&shown).contains(&rule.to_string()),
            "{}: {:?}",
            e.kind,
            rules_of(&shown)
        );
        let kept = iam_drift_guard::check::judge(&ignore, &o).findings;
        assert_eq!(
            !rules_of(&kept).contains(&rule.to_string()),
            e.quiet_undeclared,
            "{}: {:?}",
            e.kind,
            rules_of(&kept)
        );
    }
}

/// Two resources that write one object are the kind's write-conflict rule,
/// declared or not; undeclared ones are quiet under `unmanaged: ignore` for
/// the quiet kinds only.
#[test]
fn write_conflicts_use_the_kinds_rule() {
    let ignore = bl("version: 1\nsettings:\n  unmanaged: ignore\n");
    for (e, ty) in written() {
        let Some(rule) = e.changed else { continue };
        let o = plan(&[
            (ty, "a", "probe.example.com"),
            (ty, "b", "probe.example.com"),
        ]);
        let path = e.baseline.unwrap();
        let declared = bl(&declaring(path, "probe.example.com"));
        let conflict = |b: &Baseline| {
            iam_drift_guard::check::judge(b, &o)
                .findings
                .iter()
                .any(|f| f.rule == rule && f.message.contains("the one applied last wins"))
        };
        assert!(conflict(&declared), "{}: declared", e.kind);
        let undeclared_reported = conflict(&ignore);
        let quiet_kind = e.quiet_undeclared;
        // A setting's conflict is about the account: never quiet.
        assert_eq!(undeclared_reported, !quiet_kind, "{}", e.kind);
    }
}

/// Every Terraform type of the table has its arm in the mapping, once; a
/// type the mapping has no arm for is not supported.
#[test]
fn every_terraform_type_of_the_table_is_mapped() {
    use iam_drift_guard::sources::terraform::{is_supported, maps};
    let mut types: Vec<&str> = kinds::terraform_types().collect();
    for ty in &types {
        assert!(
            maps(ty),
            "{ty} is in the kinds table but the mapping has no arm for it"
        );
        assert!(is_supported(ty));
    }
    types.sort_unstable();
    let listed = types.len();
    types.dedup();
    assert_eq!(types.len(), listed, "a type listed twice");
    assert!(!maps("aws_iam_server_certificate"));
    // And the other way: every arm of the mapping's dispatch is in the table
    // (a type mapped but not listed would be skipped by the readers).
    let source =
        std::fs::read_to_string(root().join("src/sources/terraform/mapping/mod.rs")).unwrap();
    let dispatch = &source[source.find("match ty {").expect("the dispatch")..];
    let dispatch = &dispatch[..dispatch.find("_ => return false").expect("its end")];
    let mut arms: Vec<&str> = dispatch
        .match_indices("\"aws_iam_")
        .map(|(i, _)| dispatch[i + 1..].split('"').next().unwrap())
        .collect();
    arms.sort_unstable();
    arms.dedup();
    assert_eq!(arms, types);
    assert!(!is_supported("aws_iam_server_certificate"));
    assert!(!is_supported("aws_iam_user_extra"));
}

/// Every kind with a rule about its changes has CloudTrail writes mapped.
#[test]
fn every_written_kind_has_cloudtrail_events() {
    use iam_drift_guard::events::touches::TABLE;
    for e in KINDS.iter() {
        // The root's keys and MFA device are written by the calls that write
        // a user's, made by the root itself: classification tells them
        // apart by the caller (tests/core/events.rs).
        if (e.changed.is_none() && e.unmanaged.is_none()) || e.shape == Shape::Part(Kind::Root) {
            continue;
        }
        assert!(
            TABLE.iter().any(|t| t.kind == e.kind),
            "{}: no CloudTrail event in events/touches.rs",
            e.kind
        );
    }
}

/// The live read's IAM actions are the read-only policy's, exactly.
#[test]
fn live_actions_are_the_readonly_policy() {
    let policy: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/iam-readonly-policy.json")).unwrap(),
    )
    .unwrap();
    let mut listed: Vec<&str> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    listed.sort_unstable();
    let mut table: Vec<&str> = KINDS.iter().flat_map(|e| e.live.iter().copied()).collect();
    table.sort_unstable();
    table.dedup();
    assert_eq!(table, listed);
    // Read-only: no action that writes.
    for a in &listed {
        let verb = a.trim_start_matches("iam:");
        assert!(
            ["Get", "List", "GenerateCredentialReport"]
                .iter()
                .any(|p| verb.starts_with(p)),
            "{a}"
        );
    }
    // The sections an error names when IAM gave no answer at all, with the
    // action that reads each, in the table's order.
    assert_eq!(
        kinds::live_sections(),
        vec![
            (
                "the account password policy",
                "iam:GetAccountPasswordPolicy"
            ),
            ("the account alias", "iam:ListAccountAliases"),
            ("role session lengths and descriptions", "iam:ListRoles"),
            ("instance profiles", "iam:ListInstanceProfiles"),
            ("SSH keys of every user", "iam:ListSSHPublicKeys"),
            (
                "console passwords and MFA (the credential report)",
                "iam:GetCredentialReport"
            ),
            ("access keys of users", "iam:ListAccessKeys"),
            ("OIDC identity providers", "iam:ListOpenIDConnectProviders"),
            ("SAML identity providers", "iam:ListSAMLProviders"),
        ]
    );
}

/// docs/development.md holds the table as `kinds::markdown` writes it.
#[test]
fn the_recipe_shows_the_table() {
    let doc = std::fs::read_to_string(root().join("docs/development.md")).unwrap();
    let table = kinds::markdown();
    let start = "<!-- kinds table: written by kinds::markdown -->\n";
    let end = "<!-- end of kinds table -->";
    let at = doc.find(start).expect("the marker of the kinds table") + start.len();
    let shown = &doc[at..at + doc[at..].find(end).expect("the end marker")];
    if shown != table {
        if std::env::var_os("DRIFT_UPDATE_DOCS").is_some() {
            let updated = format!("{}{table}{}", &doc[..at], &doc[at + shown.len()..]);
            std::fs::write(root().join("docs/development.md"), updated).unwrap();
        }
        panic!(
            "docs/development.md's kinds table is out of date; rerun with DRIFT_UPDATE_DOCS=1 to rewrite it"
        );
    }
}
