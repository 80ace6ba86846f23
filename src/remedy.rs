//! How to fix one finding, from its rule's remediation and the baseline: the
//! password policy command with the baseline's own values, the object's name
//! instead of a placeholder, the Terraform fix first for a plan, and no advice
//! to delete what a plan has not created yet.

use crate::baseline::{Baseline, PasswordPolicySpec};
use crate::finding::Finding;
use crate::identity::{Change, Kind, Name, RuleId};
use crate::origin::Origin;
use crate::rules;
use crate::state::{PpField, PpValue};

/// The remediation text a finding carries.
pub fn help(f: &Finding, baseline: &Baseline) -> String {
    let rule = rules::get(f.rule);
    let mut console = rule.console.to_string();
    let mut cli = rule.cli.to_string();
    let mut terraform = rule.terraform.to_string();
    if f.rule == RuleId::PROVIDER_UNJUDGED {
        let account = f.resource.account();
        let state = matches!(f.source, Origin::State { .. });
        let source = if state {
            "--state terraform.tfstate"
        } else {
            "--plan plan.json"
        };
        if !account.is_empty() {
            // The account is known: what is missing is its baseline.
            console = "nothing in AWS".to_string();
            cli = format!(
                "drift check {source} --accounts accounts.yaml, with account {account} and its baseline in the accounts file (or --baseline of account {account} alone)"
            );
            terraform = format!("nothing to change: the provider works in account {account}");
        } else if state {
            // A state cannot tell its providers' accounts: the command line
            // or the plan can.
            console = "nothing in AWS".to_string();
            cli = "drift check --state terraform.tfstate --provider-account KEY=ACCOUNT_ID, or check the plan, whose configuration says each provider's account: terraform plan -out plan.out && terraform show -json plan.out > plan.json && drift check --plan plan.json".to_string();
            terraform = "nothing to change: give the provider's account, or check the plan instead of the state".to_string();
        }
    }
    if f.rule.kind() == Kind::PasswordPolicy && f.rule.change() != Change::Unknown {
        if let Some(spec) = &baseline.password_policy {
            cli = password_policy_cli(spec);
        }
    }
    if f.rule.change() == Change::Unmanaged && f.source.is_create() {
        // Nothing exists yet: the fix is in the configuration.
        console = "nothing to delete yet: the plan creates it; remove it from the configuration, \
or declare it in baseline.yaml"
            .to_string();
        cli = "nothing to delete yet: the plan has not been applied".to_string();
    }
    let names = Names::of(f);
    let (console, cli, terraform) = (
        names.fill(&console),
        names.fill(&cli),
        names.fill(&terraform),
    );
    match f.source {
        Origin::Plan { .. } | Origin::State { .. } | Origin::Refresh { .. } => {
            format!("terraform: {terraform}\nconsole: {console}\ncli: {cli}")
        }
        Origin::Live { .. } => format!("console: {console}\ncli: {cli}\nterraform: {terraform}"),
        Origin::Baseline { .. } => {
            format!("review: {console}\nrevert: {cli}\nterraform: {terraform}")
        }
        Origin::Settings => format!("decide: {console}\nbaseline: {cli}\nterraform: {terraform}"),
    }
}

/// `aws iam update-account-password-policy` with every value of the baseline:
/// the call resets every parameter it is not given.
fn password_policy_cli(spec: &PasswordPolicySpec) -> String {
    let mut cmd = String::from("aws iam update-account-password-policy");
    for (field, value) in &spec.fields {
        let flag = field.name().replace('_', "-");
        match value.value {
            PpValue::Num(n) => cmd.push_str(&format!(" --{flag} {n}")),
            PpValue::Bool(true) => cmd.push_str(&format!(" --{flag}")),
            PpValue::Bool(false) => cmd.push_str(&format!(" --no-{flag}")),
        }
    }
    let missing: Vec<&str> = PpField::ALL
        .iter()
        .filter(|f| !spec.fields.contains_key(f))
        .map(|f| f.name())
        .collect();
    if !missing.is_empty() {
        cmd.push_str(&format!(
            " (the baseline does not guard {}: the call resets them to AWS's defaults unless you add them)",
            missing.join(", ")
        ));
    }
    cmd
}

/// The names a finding knows, for the placeholders of a remediation.
struct Names<'a> {
    name: Option<&'a str>,
    key: Option<&'a str>,
    status: Option<&'a str>,
    /// An identity provider's ARN, when the account was read.
    arn: Option<&'a str>,
}

impl<'a> Names<'a> {
    fn of(f: &'a Finding) -> Names<'a> {
        let known = |n: &'a Name| match n {
            Name::Known(s) => Some(s.as_str()),
            Name::AfterApply(_) => None,
        };
        let key = match f.resource.sub() {
            Some((Kind::SshKey | Kind::AccessKey, n)) => known(n),
            _ => None,
        };
        let provider = matches!(f.resource.kind(), Kind::OidcProvider | Kind::SamlProvider);
        Names {
            name: f.resource.name().and_then(known),
            key,
            status: [RuleId::SSH_KEY_CHANGED, RuleId::ACCESS_KEY_CHANGED]
                .contains(&f.rule)
                .then(|| f.expected.as_str())
                .flatten(),
            arn: match &f.source {
                Origin::Live { arn } if provider && !arn.is_empty() => Some(arn),
                _ => None,
            },
        }
    }

    fn fill(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (placeholder, value) in [
            ("NAME", self.name),
            // An OIDC provider's name is its URL without the scheme.
            ("URL", self.name),
            ("ID", self.key),
            ("STATUS", self.status),
            ("ARN", self.arn),
        ] {
            if let Some(v) = value {
                out = replace_word(&out, placeholder, v);
            }
        }
        out
    }
}

/// Replaces `word` where it stands alone (not inside another word).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + word.len()..].chars().next();
        let alone = !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
        out.push_str(&rest[..i]);
        out.push_str(if alone { with } else { word });
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}
