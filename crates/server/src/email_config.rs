//! How messages leave the service: GOV.UK Notify, an SMTP server, or (sandbox only) nowhere.

use std::time::Duration;
use wex_mail::ApiKey;

use crate::settings::{ConfigError, Mode, err, number};

pub const DEFAULT_NOTIFY_BASE_URL: &str = "https://api.notifications.service.gov.uk";
/// Where sandbox links point when no front end is named: a local development server.
pub const SANDBOX_FRONTEND_BASE_URL: &str = "http://127.0.0.1:3000";

#[derive(Debug, Clone)]
pub enum Transport {
    Notify {
        base_url: String,
        key: ApiKey,
        template_id: String,
    },
    Smtp {
        url: String,
        from: String,
    },
    /// Nothing leaves the machine; the sandbox outbox shows every message.
    Sandbox,
}

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub transport: Transport,
    /// Put before each message's link: the front end people use.
    pub frontend_base_url: String,
    /// The bearer token Notify's delivery receipts must carry; without it the callback refuses all.
    pub callback_token: Option<String>,
    /// How long the worker waits after a run that emptied the outbox.
    pub delivery_idle: Duration,
    /// How long one send may take before it counts as a temporary failure.
    pub send_timeout: Duration,
}

fn http_url(var: &'static str, value: &str) -> Result<String, ConfigError> {
    let v = value.trim().trim_end_matches('/');
    if (v.starts_with("https://") || v.starts_with("http://")) && v.len() > "https://".len() {
        Ok(v.to_string())
    } else {
        Err(err(var, format!("expected an http(s) URL such as https://example.org, got {value:?}")))
    }
}

pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>, mode: Mode) -> Result<EmailConfig, ConfigError> {
    let transport = match (get("WEX_NOTIFY_API_KEY"), get("WEX_SMTP_URL")) {
        (Some(_), Some(_)) => {
            return Err(err("WEX_SMTP_URL", "set either WEX_NOTIFY_API_KEY or WEX_SMTP_URL, not both"));
        }
        (Some(key), None) => {
            let key = ApiKey::parse(&key).map_err(|e| err("WEX_NOTIFY_API_KEY", e))?;
            let template_id =
                get("WEX_NOTIFY_TEMPLATE_ID").filter(|t| uuid::Uuid::try_parse(t.trim()).is_ok()).ok_or_else(|| {
                    err("WEX_NOTIFY_TEMPLATE_ID", "expected the id (a UUID) of the template ((subject)) / ((body))")
                })?;
            let base_url = match get("WEX_NOTIFY_BASE_URL") {
                Some(url) => http_url("WEX_NOTIFY_BASE_URL", &url)?,
                None => DEFAULT_NOTIFY_BASE_URL.to_string(),
            };
            Transport::Notify { base_url, key, template_id: template_id.trim().to_string() }
        }
        (None, Some(url)) => {
            let from =
                get("WEX_EMAIL_FROM").ok_or_else(|| err("WEX_EMAIL_FROM", "SMTP needs the address mail comes from"))?;
            Transport::Smtp { url: url.trim().to_string(), from: from.trim().to_string() }
        }
        (None, None) if mode == Mode::Sandbox => Transport::Sandbox,
        (None, None) => {
            return Err(err(
                "WEX_NOTIFY_API_KEY",
                "production mode must send email: set WEX_NOTIFY_API_KEY and WEX_NOTIFY_TEMPLATE_ID (GOV.UK Notify), \
                 or WEX_SMTP_URL and WEX_EMAIL_FROM",
            ));
        }
    };
    let frontend_base_url = match (get("WEX_FRONTEND_BASE_URL"), mode) {
        (Some(url), _) => http_url("WEX_FRONTEND_BASE_URL", &url)?,
        (None, Mode::Sandbox) => SANDBOX_FRONTEND_BASE_URL.to_string(),
        (None, Mode::Production) => {
            return Err(err(
                "WEX_FRONTEND_BASE_URL",
                "production mode needs the front end's address for links in messages",
            ));
        }
    };
    let callback_token = match get("WEX_NOTIFY_CALLBACK_TOKEN") {
        Some(t) if t.trim().chars().count() < 32 => {
            return Err(err("WEX_NOTIFY_CALLBACK_TOKEN", "give a token of at least 32 characters"));
        }
        t => t.map(|t| t.trim().to_string()),
    };
    Ok(EmailConfig {
        transport,
        frontend_base_url,
        callback_token,
        delivery_idle: Duration::from_millis(number(get, "WEX_DELIVERY_IDLE_MS", 1000, 10, 600_000)?),
        send_timeout: Duration::from_secs(number(get, "WEX_SEND_TIMEOUT_SECONDS", 10, 1, 60)?),
    })
}

/// The transport the configuration names, ready to send.
pub fn transport(config: &EmailConfig) -> Result<std::sync::Arc<dyn wex_domain::ports::Transport>, String> {
    Ok(match &config.transport {
        Transport::Notify { base_url, key, template_id } => {
            std::sync::Arc::new(wex_mail::NotifyTransport::new(base_url, key.clone(), template_id, config.send_timeout))
        }
        Transport::Smtp { url, from } => {
            std::sync::Arc::new(wex_mail::SmtpTransport::new(url, from, config.send_timeout)?)
        }
        Transport::Sandbox => std::sync::Arc::new(wex_mail::SandboxTransport),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const KEY: &str = "live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
    const TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";

    fn email(vars: &[(&str, &str)], mode: Mode) -> Result<EmailConfig, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_lookup(&|name| map.get(name).cloned(), mode)
    }

    #[test]
    fn the_sandbox_keeps_messages_in_the_outbox_by_default() {
        let c = email(&[], Mode::Sandbox).unwrap();
        assert!(matches!(c.transport, Transport::Sandbox));
        assert_eq!(c.frontend_base_url, SANDBOX_FRONTEND_BASE_URL);
    }

    #[test]
    fn production_refuses_to_start_without_a_way_to_send_naming_the_variables() {
        let e = email(&[("WEX_FRONTEND_BASE_URL", "https://wex.example")], Mode::Production).unwrap_err();
        assert_eq!(e.var, "WEX_NOTIFY_API_KEY");
        assert!(e.message.contains("WEX_SMTP_URL") && e.message.contains("WEX_NOTIFY_TEMPLATE_ID"));
        let e = email(&[("WEX_SMTP_URL", "smtp://127.0.0.1:25"), ("WEX_EMAIL_FROM", "a@b.org")], Mode::Production)
            .unwrap_err();
        assert_eq!(e.var, "WEX_FRONTEND_BASE_URL");
    }

    #[test]
    fn notify_needs_a_well_formed_key_and_a_template() {
        let e = email(&[("WEX_NOTIFY_API_KEY", "nope")], Mode::Sandbox).unwrap_err();
        assert_eq!(e.var, "WEX_NOTIFY_API_KEY");
        assert!(!e.message.contains("nope"));
        assert_eq!(email(&[("WEX_NOTIFY_API_KEY", KEY)], Mode::Sandbox).unwrap_err().var, "WEX_NOTIFY_TEMPLATE_ID");
        let c = email(&[("WEX_NOTIFY_API_KEY", KEY), ("WEX_NOTIFY_TEMPLATE_ID", TEMPLATE)], Mode::Sandbox).unwrap();
        match c.transport {
            Transport::Notify { base_url, key, template_id } => {
                assert_eq!(base_url, DEFAULT_NOTIFY_BASE_URL);
                assert_eq!(key.service_id(), "26785a09-ab16-4eb0-8407-a37497a57506");
                assert_eq!(template_id, TEMPLATE);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_transport_at_a_time_and_smtp_needs_a_sender() {
        let both = [("WEX_NOTIFY_API_KEY", KEY), ("WEX_SMTP_URL", "smtp://127.0.0.1:25")];
        assert_eq!(email(&both, Mode::Sandbox).unwrap_err().var, "WEX_SMTP_URL");
        assert_eq!(email(&[("WEX_SMTP_URL", "smtp://127.0.0.1:25")], Mode::Sandbox).unwrap_err().var, "WEX_EMAIL_FROM");
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("WEX_FRONTEND_BASE_URL", "wex.example"),
            ("WEX_NOTIFY_CALLBACK_TOKEN", "short"),
            ("WEX_DELIVERY_IDLE_MS", "0"),
            ("WEX_SEND_TIMEOUT_SECONDS", "600"),
        ] {
            assert_eq!(email(&[(var, value)], Mode::Sandbox).unwrap_err().var, var, "{var}={value}");
        }
    }
}
