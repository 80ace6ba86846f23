//! The account password policy: every field has a direction (DESIGN table), so a
//! difference is weakened, strengthened or (for the one field without a direction)
//! changed.

use super::{show, Cx, SENSITIVE};
use crate::baseline::{Baseline, Sp};
use crate::finding::{Loc, Origin};
use crate::identity::{Kind, ResourceId, RuleId};
use crate::state::{Direction, IamState, PpField, PpValue};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;
use std::collections::BTreeMap;

fn resource() -> ResourceId {
    ResourceId::setting(Kind::PasswordPolicy)
}

/// How strong a value is; `None` for a field without a direction.
fn strength(field: PpField, value: Option<PpValue>) -> Option<i64> {
    let num = |v: Option<PpValue>| match v {
        Some(PpValue::Num(n)) => Some(i64::from(n)),
        Some(PpValue::Bool(b)) => Some(i64::from(b)),
        None => None,
    };
    match field.direction() {
        Direction::Larger | Direction::True => Some(num(value).unwrap_or(0)),
        Direction::SmallerPresent => match num(value) {
            None | Some(0) => Some(i64::MIN),
            Some(n) => Some(-n),
        },
        Direction::None => None,
    }
}

/// Compares two values of a field: `Less` when `observed` is weaker.
pub fn compare(field: PpField, observed: Option<PpValue>, expected: Option<PpValue>) -> Ordering {
    match (strength(field, observed), strength(field, expected)) {
        (Some(o), Some(e)) => o.cmp(&e),
        _ => Ordering::Equal,
    }
}

fn describe(field: PpField, value: Option<PpValue>) -> String {
    match (field, value) {
        (PpField::MaxPasswordAge, None | Some(PpValue::Num(0))) => "never expire".to_string(),
        (PpField::MaxPasswordAge, Some(PpValue::Num(n))) => format!("expire after {n} days"),
        (PpField::PasswordReusePrevention, None) => "no reuse prevention".to_string(),
        (PpField::PasswordReusePrevention, Some(PpValue::Num(n))) => {
            format!("the last {n} passwords cannot be reused")
        }
        (PpField::MinimumPasswordLength, Some(PpValue::Num(n))) => {
            format!("at least {n} characters")
        }
        (_, Some(PpValue::Bool(b))) => b.to_string(),
        (_, None) => "false".to_string(),
        (_, Some(PpValue::Num(n))) => n.to_string(),
    }
}

fn to_json(v: Option<PpValue>) -> Value {
    v.map_or(Value::Null, PpValue::to_json)
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    let Some(spec) = &baseline.password_policy else {
        return;
    };
    let Some(obj) = &state.password_policy else {
        cx.out_of_scope();
        return;
    };
    let Some(policy) = &obj.value else {
        removed(cx, spec.loc, &spec.fields, &obj.origin);
        return;
    };
    if obj.origin.is_replacement() {
        cx.draft(
            RuleId::PASSWORD_POLICY_CHANGED,
            resource(),
            &obj.origin,
            "the plan replaces the password policy: between the delete and the create the \
account runs on AWS's default policy"
                .to_string(),
        )
        .field("replaced")
        .at(spec.loc)
        .push();
    }
    for (&field, want) in &spec.fields {
        let name = field.name();
        if obj.unknown.contains(name) {
            cx.draft(
                RuleId::PASSWORD_POLICY_UNKNOWN,
                resource(),
                &obj.origin,
                format!(
                    "`{name}` is known only after apply; if the configuration leaves it out, AWS \
resets it to its default ({})",
                    describe(field, field.reset_default())
                ),
            )
            .field(name)
            .expected(want.value.to_json())
            .at(want.loc)
            .push();
            continue;
        }
        let have = policy.values.get(&field).copied();
        let have_or_default = have.or(match field {
            // AWS returns every boolean; an absent one is false.
            PpField::MinimumPasswordLength
            | PpField::MaxPasswordAge
            | PpField::PasswordReusePrevention => None,
            _ => Some(PpValue::Bool(false)),
        });
        if have_or_default == Some(want.value) {
            continue;
        }
        let (rule, verb) = match compare(field, have_or_default, Some(want.value)) {
            Ordering::Less => (RuleId::PASSWORD_POLICY_WEAKENED, "weakens"),
            Ordering::Greater => (RuleId::PASSWORD_POLICY_STRENGTHENED, "tightens"),
            Ordering::Equal => (RuleId::PASSWORD_POLICY_CHANGED, "changes"),
        };
        let observed = if obj.sensitive.contains(name) {
            json!(SENSITIVE)
        } else {
            to_json(have_or_default)
        };
        let reset = if policy.reset.contains(&field) {
            " by leaving it out of the configuration (UpdateAccountPasswordPolicy resets what it is not given)"
        } else {
            ""
        };
        let message = format!(
            "{} {verb} `{name}`{reset}: {} (baseline: {})",
            obj.origin.changer(),
            if observed.is_string() {
                show(&observed)
            } else {
                describe(field, have_or_default)
            },
            describe(field, Some(want.value)),
        );
        cx.draft(rule, resource(), &obj.origin, message)
            .field(name)
            .expected(want.value.to_json())
            .observed(observed)
            .at(want.loc)
            .push();
    }
}

fn removed(cx: &mut Cx, loc: Loc, fields: &BTreeMap<PpField, Sp<PpValue>>, origin: &Origin) {
    let mut missed = Vec::new();
    for (&field, want) in fields {
        let default = field.aws_default();
        if compare(field, default, Some(want.value)) == Ordering::Less {
            missed.push(match field {
                PpField::MinimumPasswordLength => format!(
                    "minimum length 8 instead of {}",
                    describe(field, Some(want.value)).trim_start_matches("at least ")
                ),
                PpField::MaxPasswordAge => format!(
                    "passwords never expire instead of after {} days",
                    match want.value {
                        PpValue::Num(n) => n,
                        PpValue::Bool(_) => 0,
                    }
                ),
                PpField::PasswordReusePrevention => format!(
                    "old passwords may be reused (baseline: the last {} cannot)",
                    match want.value {
                        PpValue::Num(n) => n,
                        PpValue::Bool(_) => 0,
                    }
                ),
                PpField::HardExpiry => "expired passwords no longer lock users out".to_string(),
                _ => format!("`{}` no longer required", field.name()),
            });
        }
    }
    let how = origin.removes_password_policy();
    let mut message = format!(
        "{how}; AWS's default applies: 8 to 128 characters, three of the four character types, \
never expires"
    );
    if !missed.is_empty() {
        message.push_str(&format!(". Lost from the baseline: {}", missed.join("; ")));
    }
    let expected: Map<String, Value> = fields
        .iter()
        .map(|(f, v)| (f.name().to_string(), v.value.to_json()))
        .collect();
    cx.draft(RuleId::PASSWORD_POLICY_REMOVED, resource(), origin, message)
        .expected(Value::Object(expected))
        .at(loc)
        .push();
}
