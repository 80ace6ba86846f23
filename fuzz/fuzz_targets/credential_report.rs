#![no_main]
//! The credential report parser: any text matched against a few known users
//! (names with commas and quotes among them) is rows or an error, never a
//! panic, and a row is only ever given to the user whose name and ARN it holds.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let users: Vec<(String, String)> = ["dev", "dev,admin", "a\"b", "ops,admin,x"]
        .iter()
        .map(|n| (n.to_string(), format!("arn:aws:iam::123456789012:user/{n}")))
        .collect();
    if let Ok(report) = iam_drift_guard::sources::report_csv::parse(text, &users) {
        for name in report.users.keys() {
            assert!(
                users.iter().any(|(n, _)| n == name),
                "a row for an unknown user"
            );
        }
    }
});
