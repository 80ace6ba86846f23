//! `aws_iam_account_password_policy`.

use super::super::config::{module_path, Config};
use super::{previous, Builder, View};
use crate::identity::Kind;
use crate::state::{PasswordPolicy, PpField, PpValue};
use serde_json::Value;

impl Builder {
    pub(super) fn password_policy(&mut self, v: &View) {
        self.touched_setting(Kind::PasswordPolicy);
        let before = previous(self.state.password_policy.as_ref());
        self.wrote(Kind::PasswordPolicy, None, None, before, v);
        if v.deleted {
            self.state.password_policy = Some(v.obj(None));
            return;
        }
        if !v.origin.is_noop() {
            self.password_policies
                .push((self.current.clone(), v.origin.clone()));
        }
        let mut policy = PasswordPolicy::default();
        let mut obj = v.obj(None);
        for field in PpField::ALL {
            let key = field.name();
            if v.is_unknown(key) {
                obj.unknown.insert(key);
                continue;
            }
            if v.is_sensitive(key) {
                obj.sensitive.insert(key);
            }
            match v.values.get(key) {
                Some(Value::Bool(b)) => {
                    policy.values.insert(field, PpValue::Bool(*b));
                }
                Some(Value::Number(n)) => {
                    if let Some(n) = n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                        policy.values.insert(field, PpValue::Num(n));
                    }
                }
                _ => {}
            }
        }
        obj.value = Some(policy);
        self.state.password_policy = Some(obj);
    }

    /// UpdateAccountPasswordPolicy resets every parameter it is not given: a
    /// field the configuration leaves out (or sets to null) will be AWS's
    /// default after apply, whatever the plan's values say.
    pub(crate) fn reset_omitted(&mut self, config: Option<&Config>) {
        for (at, origin) in std::mem::take(&mut self.password_policies) {
            let Some(expressions) = config.and_then(|c| {
                c.expressions(
                    &module_path(&at.module),
                    "aws_iam_account_password_policy",
                    &at.name,
                )
            }) else {
                continue;
            };
            if !expressions.is_object() {
                continue;
            }
            let Some(obj) = self
                .state
                .password_policy
                .as_mut()
                .filter(|o| o.origin == origin)
            else {
                continue;
            };
            let Some(policy) = obj.value.as_mut() else {
                continue;
            };
            for field in PpField::ALL {
                let set = expressions
                    .get(field.name())
                    .is_some_and(|e| !e.get("constant_value").is_some_and(Value::is_null));
                if set {
                    continue;
                }
                obj.unknown.remove(field.name());
                match field.reset_default() {
                    Some(v) => policy.values.insert(field, v),
                    None => policy.values.remove(&field),
                };
                policy.reset.insert(field);
            }
        }
    }
}
