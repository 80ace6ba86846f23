//! The credential report's CSV: access key slots, the root user's row, and
//! reports without the access key columns.

use iam_drift_guard::sources::report_csv::{parse, ReportKey};
use iam_drift_guard::time;

const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

fn users() -> Vec<(String, String)> {
    ["ci", "dev,admin"]
        .iter()
        .map(|n| (n.to_string(), format!("arn:aws:iam::123456789012:user/{n}")))
        .collect()
}

#[test]
fn key_slots_and_the_root_row() {
    let text = format!(
        "{HEADER}\n\
<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,2026-01-02T03:04:05+00:00,not_supported,not_supported,false,true,2019-02-01T00:00:00+00:00,2026-01-03T00:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
ci,arn:aws:iam::123456789012:user/ci,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2021-05-06T07:08:09+00:00,2026-11-20T10:00:00+00:00,eu-west-1,s3,false,2022-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n\
dev,admin,arn:aws:iam::123456789012:user/dev,admin,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    );
    let report = parse(&text, &users()).unwrap();
    assert!(report.key_columns);
    let ci = &report.users["ci"];
    assert!(ci.active_key());
    assert_eq!(
        ci.keys[0],
        ReportKey {
            active: true,
            rotated: time::parse("2021-05-06T07:08:09Z"),
            last_used: time::parse("2026-11-20T10:00:00Z"),
            region: Some("eu-west-1".into()),
            service: Some("s3".into()),
        }
    );
    assert_eq!(
        ci.keys[1],
        ReportKey {
            active: false,
            rotated: time::parse("2022-01-01T00:00:00Z"),
            ..ReportKey::default()
        }
    );
    assert!(!report.users["dev,admin"].active_key());
    assert!(report.users["dev,admin"].mfa);
    let root = report.root.unwrap();
    assert_eq!(root.arn, "arn:aws:iam::123456789012:root");
    assert!(!root.mfa);
    assert!(root.keys[0].active && !root.keys[1].active);
    assert_eq!(root.password_last_used, time::parse("2026-01-02T03:04:05Z"));
}

#[test]
fn a_report_without_key_columns_says_so() {
    let text =
        "user,arn,password_enabled,mfa_active\nci,arn:aws:iam::123456789012:user/ci,true,false\n";
    let report = parse(text, &users()).unwrap();
    assert!(!report.key_columns);
    assert!(report.users["ci"].keys.is_empty());
    assert!(report.root.is_none());
}

#[test]
fn broken_root_rows_are_errors() {
    let short = format!("{HEADER}\n<root_account>,arn:aws:iam::123456789012:root,x\n");
    assert!(parse(&short, &users())
        .unwrap_err()
        .contains("root user's row"));
    let row = "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
    let twice = format!("{HEADER}\n{row}\n{row}\n");
    assert!(parse(&twice, &users()).unwrap_err().contains("two rows"));
    let other = format!("{HEADER}\n{}\n", row.replace(":root", ":user/root"));
    assert!(parse(&other, &users()).unwrap_err().contains("ARN"));
}
