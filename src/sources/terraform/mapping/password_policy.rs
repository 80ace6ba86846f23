//! `aws_iam_account_password_policy`.

use super::{Builder, View};
use crate::identity::{Kind, ResourceId};
use crate::state::{PasswordPolicy, PpField, PpValue};
use serde_json::Value;

impl Builder {
    pub(super) fn password_policy(&mut self, v: &View) {
        self.last_object = Some(ResourceId::setting(Kind::PasswordPolicy));
        self.wrote(Kind::PasswordPolicy, None, None, v);
        if v.deleted {
            self.state.password_policy = Some(v.obj(None));
            return;
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
}
