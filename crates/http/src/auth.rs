//! Who is calling: the `Caller` and `SignedIn` extractors, which verify the bearer token
//! (`tokens.rs`) and load the subject's grants.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use wex_domain::api_clients::token;
use wex_domain::model::api_client::{Attribution, client_subject};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};

use crate::client_tokens::ClientToken;
pub use crate::jwks::{JwksSettings, RemoteKeys};
use crate::problem::ApiError;
use crate::state::AppState;
pub use crate::tokens::{Authenticator, Claims, VerifyKey, key_from_pem, keys_from_jwks};
use crate::tokens::{Verified, verified_caller};

/// The caller, signed in or not. A token that is present but invalid is refused (401), never
/// treated as anonymous.
pub struct Caller(pub Option<Actor>);

/// A signed-in caller (401 otherwise).
pub struct SignedIn(pub Actor);

async fn load_actor(req: HttpRequest) -> Result<Option<Actor>, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(ApiError::internal)?.clone();
    let subject = match verified_caller(&req, &state.auth).await? {
        None => return Ok(None),
        Some(Verified::Client(token)) => return load_client(&req, &state, token).await.map(Some),
        Some(Verified::Person(subject)) => subject,
    };
    let bootstrap_admin = state.auth.is_bootstrap_admin(&subject);
    let lookup = subject.clone();
    let now = state.now();
    let mut grants = state
        .run(move |store| {
            let grants = store.grants_of(&lookup)?;
            // Retention counts an applicant's account as used while they sign in: recorded at most
            // once a day, and only read for callers without staff grants (applicants hold none),
            // so staff requests cost no extra query. Failing to record it must not refuse the
            // request.
            if grants.platform_roles.is_empty()
                && grants.memberships.is_empty()
                && let Err(e) = wex_domain::data_protection::retention::record_activity(store, &lookup, now)
            {
                log::warn!("could not record that an account was used: {e}");
            }
            Ok(grants)
        })
        .await?;
    if bootstrap_admin && !grants.platform_roles.contains(&PlatformRole::Admin) {
        grants.platform_roles.push(PlatformRole::Admin);
    }
    Ok(Some(Actor { subject, platform_roles: grants.platform_roles, memberships: grants.memberships, client: None }))
}

/// An organisation's API client: refused at once if it has been revoked (whatever its token's
/// expiry) or if the operation is outside its scopes; otherwise its organisation's coordinator,
/// with who it acts for recorded for the rest of the request.
async fn load_client(req: &HttpRequest, state: &AppState, token: ClientToken) -> Result<Actor, ApiError> {
    let ClientToken { client_id, scopes } = token;
    let access = state.run(move |s| Ok(token::access(s, client_id, &scopes)?)).await?;
    let access =
        access.ok_or_else(|| ApiError::unauthorized("The bearer token is not valid: its client is revoked."))?;
    if let Some(on_behalf_of) = crate::client_scopes::authorise(req, &access.scopes)?
        && !crate::request_scope::attribute(Attribution { client_id, on_behalf_of })
    {
        return Err(ApiError::internal());
    }
    Ok(Actor {
        subject: client_subject(client_id),
        platform_roles: Vec::new(),
        memberships: vec![(access.organisation_id, MembershipRole::Coordinator)],
        client: Some(client_id),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { load_actor(req).await.map(Caller) })
    }
}

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            load_actor(req)
                .await?
                .map(SignedIn)
                .ok_or_else(|| ApiError::unauthorized("Sign in: send Authorization: Bearer <token>."))
        })
    }
}
