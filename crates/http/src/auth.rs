//! Who is calling: the `Caller` and `SignedIn` extractors, which verify the bearer token
//! (`tokens.rs`) and load the subject's grants.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use wex_domain::model::auth::{Actor, PlatformRole};

pub use crate::jwks::{JwksSettings, RemoteKeys};
use crate::problem::ApiError;
use crate::state::AppState;
use crate::tokens::verified_subject;
pub use crate::tokens::{Authenticator, Claims, VerifyKey, key_from_pem, keys_from_jwks};

/// The caller, signed in or not. A token that is present but invalid is refused (401), never
/// treated as anonymous.
pub struct Caller(pub Option<Actor>);

/// A signed-in caller (401 otherwise).
pub struct SignedIn(pub Actor);

async fn load_actor(req: HttpRequest) -> Result<Option<Actor>, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(ApiError::internal)?.clone();
    let Some(subject) = verified_subject(&req, &state.auth).await? else { return Ok(None) };
    let bootstrap_admin = state.auth.is_bootstrap_admin(&subject);
    let lookup = subject.clone();
    let mut grants = state.run(move |store| Ok(store.grants_of(&lookup)?)).await?;
    if bootstrap_admin && !grants.platform_roles.contains(&PlatformRole::Admin) {
        grants.platform_roles.push(PlatformRole::Admin);
    }
    Ok(Some(Actor { subject, platform_roles: grants.platform_roles, memberships: grants.memberships }))
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
