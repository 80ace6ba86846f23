//! One budget of calls in flight for the whole run (`--max-in-flight`),
//! against the loopback stub: every account's calls and every AssumeRole wait
//! for it. The stub holds each answer a little and counts the requests it
//! holds at once; no wall-clock assertion.

use super::live_sessions::{answer, check_accounts, statuses};
use crate::common::stub::Stub;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const ACCOUNTS: [&str; 6] = [
    "210987654321",
    "310987654321",
    "410987654321",
    "510987654321",
    "610987654321",
    "710987654321",
];

/// The most requests the stub held at once, over a run with `extra` options.
fn peak_in_flight(extra: &[&str]) -> (usize, crate::common::Run) {
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (n, m) = (now.clone(), most.clone());
    let inner = answer(12 * 3600);
    let stub = Stub::start(move |r| {
        let held = n.fetch_add(1, Ordering::SeqCst) + 1;
        m.fetch_max(held, Ordering::SeqCst);
        // Long enough for the calls of other accounts to arrive meanwhile.
        std::thread::sleep(Duration::from_millis(30));
        let reply = inner(r);
        n.fetch_sub(1, Ordering::SeqCst);
        reply
    });
    let mut args = vec!["--account-concurrency", "6", "--stats"];
    args.extend_from_slice(extra);
    let run = check_accounts(&stub, &ACCOUNTS, &args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(statuses(&run), vec!["read"; ACCOUNTS.len()]);
    (most.load(Ordering::SeqCst), run)
}

#[test]
fn the_run_keeps_one_budget_of_calls_in_flight_over_every_account() {
    let (peak, run) = peak_in_flight(&["--max-in-flight", "2"]);
    assert!(peak <= 2, "{peak} calls were in flight at once");
    // `--stats` says what the run saw, against the budget.
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("calls in flight at once"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(line.ends_with("(budget 2, `--max-in-flight`)"), "{line}");
    let seen: usize = line
        .trim_start_matches("calls in flight at once: at most ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!((1..=2).contains(&seen), "{line}");
}

#[test]
fn without_a_lower_budget_the_accounts_are_read_side_by_side() {
    // The default budget (`--concurrency` × `--account-concurrency`, 48
    // here) leaves six accounts' calls in flight together: the bound of the
    // test above is the budget's doing, not the stub's.
    let (peak, run) = peak_in_flight(&[]);
    assert!(peak > 2, "only {peak} calls were ever in flight at once");
    assert!(
        run.stderr.contains("(budget 48, `--max-in-flight`)"),
        "{}",
        run.stderr
    );
}

/// One account of `users` users behind its role, every answer held `hold`.
fn many_users(
    users: usize,
    hold: Duration,
) -> impl Fn(&crate::common::stub::Request) -> crate::common::stub::Reply + Send + Sync + 'static {
    use crate::common::stub::{base64, iam_ok};
    let inner = answer(12 * 3600);
    let account = ACCOUNTS[0];
    let names: Vec<String> = (0..users).map(|i| format!("user{i:03}")).collect();
    move |r| {
        std::thread::sleep(hold);
        let a = r.action.as_str();
        match a {
            "GetAccountAuthorizationDetails" => {
                let list: String = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        format!(
                            "<member><UserName>{n}</UserName><UserId>AIDA{i:016}</UserId><Arn>arn:aws:iam::{account}:user/{n}</Arn><Path>/</Path><CreateDate>2024-01-01T00:00:00Z</CreateDate></member>"
                        )
                    })
                    .collect();
                iam_ok(
                    a,
                    &format!("<UserDetailList>{list}</UserDetailList><GroupDetailList></GroupDetailList><RoleDetailList></RoleDetailList><Policies></Policies><IsTruncated>false</IsTruncated>"),
                )
            }
            "GetCredentialReport" => {
                let mut csv = String::from("user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active\n");
                for n in &names {
                    csv.push_str(&format!(
                        "{n},arn:aws:iam::{account}:user/{n},false,false,false,false\n"
                    ));
                }
                iam_ok(
                    a,
                    &format!(
                        "<Content>{}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>{}</GeneratedTime>",
                        base64(csv.as_bytes()),
                        iam_drift_guard::time::rfc3339(
                            std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .map_or(0, |d| d.as_secs() as i64)
                        )
                    ),
                )
            }
            "ListSSHPublicKeys" => iam_ok(
                a,
                "<SSHPublicKeys></SSHPublicKeys><IsTruncated>false</IsTruncated>",
            ),
            "ListAccessKeys" => iam_ok(
                a,
                "<AccessKeyMetadata></AccessKeyMetadata><IsTruncated>false</IsTruncated>",
            ),
            _ => inner(r),
        }
    }
}

#[test]
fn a_call_that_waits_long_for_its_place_is_not_given_up() {
    // 36 per-user calls start at once and pass one at a time, each answer
    // held 200 ms: the last waits about 7 s for its place, longer than the
    // SDK's grace for a request that sends nothing (5 s). Waiting for the
    // budget is not a stalled upload: every user is read, no call retried.
    let stub = Stub::start(many_users(36, Duration::from_millis(200)));
    let run = check_accounts(
        &stub,
        &ACCOUNTS[..1],
        &["--concurrency", "36", "--max-in-flight", "1"],
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(statuses(&run), ["read"]);
    assert_eq!(stub.calls("ListSSHPublicKeys"), 36, "{}", run.stderr);
}
