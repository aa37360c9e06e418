//! The retention policy (`WEX_RETENTION_*`; docs/configuration.md lists them, and
//! docs/data-protection.md says why each default is what it is).

use chrono::Duration;
use wex_domain::data_protection::retention::{
    APPLICATION_DAYS, AUDIT_DAYS, INACTIVE_DAYS, MESSAGE_DAYS, NOTICE_DAYS, Policy,
};

use crate::settings::{ConfigError, number};

/// Rows one batch changes at most: small enough that a batch's transaction is short, whatever
/// backlog the first run on an old database finds.
pub const DEFAULT_BATCH_SIZE: u32 = 500;
/// How often the scheduler applies the policy.
pub const DEFAULT_INTERVAL_HOURS: u32 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionConfig {
    pub policy: Policy,
    pub batch_size: u32,
    /// How often the scheduler applies the policy; zero leaves it to `wex retention`.
    pub interval: Duration,
}

fn days(
    get: &dyn Fn(&str) -> Option<String>,
    var: &'static str,
    default: i64,
    min: i64,
) -> Result<Duration, ConfigError> {
    Ok(Duration::days(number(get, var, default, min, 36_500)?))
}

pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<RetentionConfig, ConfigError> {
    Ok(RetentionConfig {
        policy: Policy {
            application_data: days(get, "WEX_RETENTION_APPLICATION_DAYS", APPLICATION_DAYS, 1)?,
            messages: days(get, "WEX_RETENTION_MESSAGE_DAYS", MESSAGE_DAYS, 1)?,
            audit_entries: days(get, "WEX_RETENTION_AUDIT_DAYS", AUDIT_DAYS, 1)?,
            inactive_accounts: days(get, "WEX_RETENTION_INACTIVE_ACCOUNT_DAYS", INACTIVE_DAYS, 30)?,
            // Long enough for the warning to be read and acted on.
            erasure_notice: days(get, "WEX_RETENTION_ERASURE_NOTICE_DAYS", NOTICE_DAYS, 7)?,
        },
        batch_size: number(get, "WEX_RETENTION_BATCH_SIZE", DEFAULT_BATCH_SIZE, 1, 100_000)?,
        interval: Duration::hours(i64::from(number(
            get,
            "WEX_RETENTION_INTERVAL_HOURS",
            DEFAULT_INTERVAL_HOURS,
            0,
            24 * 31,
        )?)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<RetentionConfig, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_lookup(&|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_are_the_documented_policy() {
        let c = config(&[]).unwrap();
        assert_eq!(c.policy, Policy::default());
        assert_eq!((c.batch_size, c.interval), (500, Duration::hours(24)));
        let c = config(&[("WEX_RETENTION_MESSAGE_DAYS", "30"), ("WEX_RETENTION_INTERVAL_HOURS", "0")]).unwrap();
        assert_eq!((c.policy.messages, c.interval), (Duration::days(30), Duration::zero()));
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("WEX_RETENTION_APPLICATION_DAYS", "0"),
            ("WEX_RETENTION_MESSAGE_DAYS", "a year"),
            ("WEX_RETENTION_AUDIT_DAYS", "-1"),
            ("WEX_RETENTION_INACTIVE_ACCOUNT_DAYS", "10"),
            ("WEX_RETENTION_ERASURE_NOTICE_DAYS", "1"),
            ("WEX_RETENTION_BATCH_SIZE", "0"),
            ("WEX_RETENTION_INTERVAL_HOURS", "10000"),
        ] {
            assert_eq!(config(&[(var, value)]).unwrap_err().var, var, "{var}={value}");
        }
    }
}
