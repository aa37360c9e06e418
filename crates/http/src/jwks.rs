//! Verification keys fetched from the identity provider's JWKS URL, cached, and refreshed so that
//! the provider can rotate its keys without a restart.
//!
//! Requests never fetch on their own: a token whose `kid` the cache lacks asks for one refresh,
//! at most once per `min_interval` across the whole process, and every other request keeps
//! verifying against the cached set meanwhile. The fetch itself runs on actix's blocking pool.
//! A failed refresh keeps the keys already held.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::keys::{VerifyKey, signing_keys_from_jwks};

/// A JWKS document larger than this is refused: real ones are a few kilobytes.
const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

/// Where the keys come from and how often they may be fetched.
#[derive(Debug, Clone)]
pub struct JwksSettings {
    /// `https://`, or `http://` for a loopback host (checked by the configuration).
    pub url: String,
    /// The longest one fetch may take, connecting included.
    pub timeout: Duration,
    /// The shortest time between two fetches caused by unknown key ids.
    pub min_interval: Duration,
}

/// The cached key set of one JWKS URL.
pub struct RemoteKeys {
    settings: JwksSettings,
    agent: ureq::Agent,
    /// Readers clone the `Arc` and let go at once, so a refresh never waits on a verification.
    keys: RwLock<Arc<Vec<VerifyKey>>>,
    /// Held for the whole of a fetch: one fetch at a time, and requests with an unknown kid that
    /// arrive during a fetch wait for its result instead of starting another.
    fetching: tokio::sync::Mutex<()>,
    /// When the last fetch caused by an unknown kid started, whether it worked or not. Start-up
    /// and periodic fetches do not count: the first new kid after a rotation is always looked up.
    last_miss_fetch: Mutex<Option<Instant>>,
}

impl RemoteKeys {
    /// Fetches the key set for the first time. This blocks: it is meant for start-up, before any
    /// request is served.
    pub fn fetch_first(settings: JwksSettings) -> Result<Self, String> {
        let agent = agent(&settings);
        let keys = fetch(&agent, &settings.url)?;
        Ok(Self {
            settings,
            agent,
            keys: RwLock::new(Arc::new(keys)),
            fetching: tokio::sync::Mutex::new(()),
            last_miss_fetch: Mutex::new(None),
        })
    }

    pub fn url(&self) -> &str {
        &self.settings.url
    }

    /// The keys held now.
    pub fn current(&self) -> Arc<Vec<VerifyKey>> {
        match self.keys.read() {
            Ok(keys) => Arc::clone(&keys),
            // A writer only swaps an Arc, so a poisoned lock still holds a whole key set.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn holds(&self, kid: &str) -> bool {
        self.current().iter().any(|k| k.kid.as_deref() == Some(kid))
    }

    /// Fetches the key set now and replaces the cached one; on failure the cached keys stay and
    /// the reason is logged and returned. For the periodic refresh, and for tests.
    pub async fn refresh(&self) -> Result<usize, String> {
        let _one_fetch = self.fetching.lock().await;
        self.fetch_and_store().await
    }

    /// After a token named `kid`, which the cache lacks: refreshes unless another unknown kid
    /// caused a fetch within `min_interval`, and says whether the key is held now. Tokens can be sent by anyone, so
    /// the interval is what stops them from making us hammer the identity provider.
    pub(crate) async fn refresh_for_unknown_kid(&self, kid: &str) -> bool {
        let _one_fetch = self.fetching.lock().await;
        // A fetch that finished while this request waited may have brought the key.
        if self.holds(kid) {
            return true;
        }
        {
            let mut last = match self.last_miss_fetch.lock() {
                Ok(last) => last,
                Err(poisoned) => poisoned.into_inner(),
            };
            if last.is_some_and(|at| at.elapsed() < self.settings.min_interval) {
                return false;
            }
            *last = Some(Instant::now());
        }
        log::info!("a token names a key id the cached JWKS lacks: fetching {}", self.settings.url);
        self.fetch_and_store().await.is_ok() && self.holds(kid)
    }

    /// Called with `fetching` held.
    async fn fetch_and_store(&self) -> Result<usize, String> {
        let (agent, url) = (self.agent.clone(), self.settings.url.clone());
        let fetched = actix_web::rt::task::spawn_blocking(move || fetch(&agent, &url))
            .await
            .map_err(|e| format!("the fetch did not finish: {e}"))
            .and_then(|keys| keys);
        match fetched {
            Ok(keys) => {
                let count = keys.len();
                let kids =
                    |keys: &[VerifyKey]| keys.iter().map(|k| k.kid.clone().unwrap_or_default()).collect::<Vec<_>>();
                let (before, after) = (kids(&self.current()), kids(&keys));
                match self.keys.write() {
                    Ok(mut held) => *held = Arc::new(keys),
                    Err(poisoned) => *poisoned.into_inner() = Arc::new(keys),
                }
                // Key ids are public; a change is worth a line, to match rotations with refusals.
                if before != after {
                    log::info!("verification keys from {} changed: key ids now {after:?}", self.settings.url);
                }
                Ok(count)
            }
            Err(e) => {
                log::warn!(
                    "cannot refresh the verification keys from {}: {e}; keeping the {} key(s) held",
                    self.settings.url,
                    self.current().len()
                );
                Err(e)
            }
        }
    }
}

fn agent(settings: &JwksSettings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        // A redirect must not lead from HTTPS to plain HTTP; only loopback URLs (tests) use HTTP.
        .https_only(settings.url.starts_with("https://"))
        .build()
        .into()
}

/// One GET of the JWKS document, parsed into keys.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<Vec<VerifyKey>, String> {
    let mut response = agent.get(url).header("accept", "application/json").call().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(format!("the server answered HTTP {status}"));
    }
    let json = response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT_BYTES)
        .read_to_string()
        .map_err(|e| format!("cannot read the document: {e}"))?;
    signing_keys_from_jwks(&json)
}
