//! Organisation API clients: registering them, and the token endpoint (OAuth 2.0 client credentials
//! with a `private_key_jwt` assertion, RFC 7523). What a client's token then lets it do is in
//! client_access.rs.

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{PUBLIC_URL, Resp, TestApp, id, spawn, spawn_with};

pub const TOKEN_URL: &str = "https://wex.test/v1/oauth2/token";
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A client's key pair, from the test keys in tests/keys, named `kid`.
pub struct SigningKey {
    pub kid: String,
    algorithm: Algorithm,
    encoding: EncodingKey,
}

impl SigningKey {
    /// RSA, signing RS512 as NHS England's API platform asks.
    pub fn rsa(kid: &str) -> Self {
        let encoding = EncodingKey::from_rsa_pem(include_bytes!("../keys/rsa-private.pem")).unwrap();
        Self { kid: kid.into(), algorithm: Algorithm::RS512, encoding }
    }

    /// Another RSA key.
    pub fn other_rsa(kid: &str) -> Self {
        let encoding = EncodingKey::from_rsa_pem(include_bytes!("../keys/other-rsa-private.pem")).unwrap();
        Self { kid: kid.into(), algorithm: Algorithm::RS512, encoding }
    }

    /// EC P-256, signing ES256.
    pub fn ec(kid: &str) -> Self {
        let encoding = EncodingKey::from_ec_pem(include_bytes!("../keys/ec-private.pem")).unwrap();
        Self { kid: kid.into(), algorithm: Algorithm::ES256, encoding }
    }

    /// The public half, as the client registers it.
    pub fn jwk(&self) -> Jwk {
        let mut jwk = Jwk::from_encoding_key(&self.encoding, self.algorithm).unwrap();
        jwk.common.key_id = Some(self.kid.clone());
        jwk
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = Header { kid: Some(self.kid.clone()), ..Header::new(self.algorithm) };
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }
}

/// A registered client and the key pair it signs with.
pub struct Client {
    pub id: String,
    pub key: SigningKey,
}

pub fn jwks(keys: &[&SigningKey]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()})
}

/// Registers a client signing with the test RSA key.
pub async fn register(app: &TestApp, token: &str, org: &str, scopes: &[&str]) -> Client {
    register_with(app, token, org, scopes, SigningKey::rsa("hr-1")).await
}

pub async fn register_with(app: &TestApp, token: &str, org: &str, scopes: &[&str], key: SigningKey) -> Client {
    let res = app
        .post(&format!("/v1/organisations/{org}/api-clients"))
        .token(token)
        .json(json!({"name": "Trust HR system", "scopes": scopes, "jwks": jwks(&[&key])}))
        .send()
        .await;
    Client { id: id(res.ok(201)), key }
}

/// Assertion claims for `client`, valid for two minutes, with a fresh `jti`.
pub fn claims(client: &Client) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": client.id, "sub": client.id, "aud": TOKEN_URL, "jti": Uuid::now_v7().to_string(),
        "iat": now, "exp": now + 120})
}

pub async fn post_form(app: &TestApp, form: &[(&str, &str)]) -> Resp {
    let body = serde_urlencoded::to_string(form).unwrap();
    app.post("/v1/oauth2/token").raw(body.as_bytes(), "application/x-www-form-urlencoded").send().await
}

pub async fn ask(app: &TestApp, assertion: &str, scope: Option<&str>) -> Resp {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    post_form(app, &form).await
}

/// An access token for `client` with `scope` (all its scopes when `None`).
pub async fn access_token(app: &TestApp, client: &Client, scope: Option<&str>) -> String {
    let res = ask(app, &client.key.sign(&claims(client)), scope).await;
    res.ok(200)["access_token"].as_str().unwrap().to_string()
}

/// Asserts an RFC 6749 error: its status, `error`, JSON content type and no caching.
#[track_caller]
pub fn oauth_error(res: &Resp, status: u16, error: &str) {
    assert_eq!(res.status, status, "{}", res.text);
    assert_eq!(res.body["error"], error, "{}", res.text);
    assert!(res.body["error_description"].as_str().is_some_and(|d| !d.is_empty()));
    assert_eq!(res.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(res.body["request_id"].as_str(), res.header("x-request-id").as_deref());
}

#[actix_web::test]
async fn a_registered_client_gets_a_short_lived_token_for_the_scopes_it_asks() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read", "applications:read"]).await;

    let res = ask(&app, &client.key.sign(&claims(&client)), None).await;
    let body = res.ok(200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["scope"], "placements:read applications:read");
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));

    let narrow = ask(&app, &client.key.sign(&claims(&client)), Some("applications:read")).await;
    assert_eq!(narrow.ok(200)["scope"], "applications:read");
    let more = ask(&app, &client.key.sign(&claims(&client)), Some("placements:read placements:write")).await;
    oauth_error(&more, 400, "invalid_scope");
    let unknown = ask(&app, &client.key.sign(&claims(&client)), Some("admin")).await;
    oauth_error(&unknown, 400, "invalid_scope");

    let listed = app.get(&format!("/v1/organisations/{org}/api-clients")).token(&coordinator).send().await;
    let item = &listed.ok(200)["items"][0];
    assert_eq!(item["id"], json!(client.id));
    assert_eq!(item["token_endpoint"], TOKEN_URL);
    assert_eq!(item["status"], "active");
    assert!(item["jwks"]["keys"][0].get("d").is_none());
}

#[actix_web::test]
async fn an_assertion_is_refused_unless_it_is_the_clients_own_fresh_and_unused() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read"]).await;
    let good = claims(&client);
    let with = |field: &str, value: Value| {
        let mut c = good.clone();
        c[field] = value;
        c
    };
    let now = chrono::Utc::now().timestamp();
    let stranger = SigningKey::other_rsa(&client.key.kid);
    let other_client = register_with(&app, &coordinator, &org, &["placements:read"], SigningKey::ec("ec-1")).await;
    let cases: [(String, &str); 8] = [
        (client.key.sign(&with("aud", json!(format!("{PUBLIC_URL}/elsewhere")))), "another audience"),
        (client.key.sign(&with("exp", json!(now - 120))), "expired"),
        (client.key.sign(&with("exp", json!(now + 3600))), "lives more than five minutes"),
        (client.key.sign(&with("iss", json!(other_client.id))), "issued by another client"),
        (client.key.sign(&with("sub", json!(Uuid::now_v7().to_string()))), "no such client"),
        (stranger.sign(&good), "signed by a key the client did not register"),
        (other_client.key.sign(&with("jti", json!(Uuid::now_v7().to_string()))), "another client's key"),
        ("not-a-jwt".to_string(), "not a JWT"),
    ];
    for (assertion, why) in cases {
        let res = ask(&app, &assertion, None).await;
        assert_eq!(res.status, 401, "{why}: {}", res.text);
        oauth_error(&res, 401, "invalid_client");
    }
    let no_jti = {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove("jti");
        c
    };
    oauth_error(&ask(&app, &client.key.sign(&no_jti), None).await, 401, "invalid_client");

    let once = client.key.sign(&good);
    ask(&app, &once, None).await.ok(200);
    oauth_error(&ask(&app, &once, None).await, 400, "invalid_grant");
}

#[actix_web::test]
async fn the_form_must_be_client_credentials_with_a_jwt_assertion() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read"]).await;
    let assertion = client.key.sign(&claims(&client));
    let grant = ("grant_type", "client_credentials");
    let kind = ("client_assertion_type", ASSERTION_TYPE);
    let jwt = ("client_assertion", assertion.as_str());
    let password = [("grant_type", "password"), kind, jwt];
    oauth_error(&post_form(&app, &password).await, 400, "unsupported_grant_type");
    oauth_error(&post_form(&app, &[grant, ("client_assertion_type", "basic"), jwt]).await, 400, "invalid_request");
    oauth_error(&post_form(&app, &[grant, kind]).await, 400, "invalid_request");
    let other_id = Uuid::now_v7().to_string();
    oauth_error(&post_form(&app, &[grant, kind, jwt, ("client_id", &other_id)]).await, 401, "invalid_client");
    let as_json = app
        .post("/v1/oauth2/token")
        .json(json!({"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}))
        .send()
        .await;
    oauth_error(&as_json, 400, "invalid_request");
    // None of those used the assertion: it still gets a token, with its client_id named too.
    post_form(&app, &[grant, kind, jwt, ("client_id", &client.id)]).await.ok(200);
}

#[actix_web::test]
async fn a_deployment_without_a_client_token_secret_gives_no_tokens() {
    let app = spawn_with(crate::support::Options { client_tokens: false, ..Default::default() }).await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read"]).await;
    let res = ask(&app, &client.key.sign(&claims(&client)), None).await;
    res.problem(503, "clients_not_configured");
}

#[actix_web::test]
async fn keys_rotate_without_a_gap_and_revoking_ends_access_at_once() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read"]).await;
    let path = format!("/v1/organisations/{org}/api-clients/{}", client.id);
    let token = access_token(&app, &client, None).await;
    let new_key = SigningKey::ec("next");
    let next = Client { id: client.id.clone(), key: new_key };

    let etag = app.get(&path).token(&coordinator).send().await.etag();
    let both = app.call(actix_web::http::Method::PUT, &format!("{path}/jwks")).token(&coordinator);
    let both = both.header("if-match", &etag).json(jwks(&[&client.key, &next.key])).send().await;
    both.ok(200);
    let stale = app.call(actix_web::http::Method::PUT, &format!("{path}/jwks")).token(&coordinator);
    assert_eq!(stale.header("if-match", &etag).json(jwks(&[&next.key])).send().await.status, 412);
    access_token(&app, &client, None).await;
    access_token(&app, &next, None).await;
    let put = app.call(actix_web::http::Method::PUT, &format!("{path}/jwks")).token(&coordinator);
    put.json(jwks(&[&next.key])).send().await.ok(200);
    oauth_error(&ask(&app, &client.key.sign(&claims(&client)), None).await, 401, "invalid_client");

    app.get("/v1/events").token(&token).send().await.ok(200);
    let revoked = app.post(&format!("{path}/revoke")).token(&coordinator).send().await;
    assert_eq!(revoked.ok(200)["status"], "revoked");
    app.get("/v1/events").token(&token).send().await.problem(401, "unauthorized");
    oauth_error(&ask(&app, &next.key.sign(&claims(&next)), None).await, 401, "invalid_client");
    let again = app.call(actix_web::http::Method::PUT, &format!("{path}/jwks")).token(&coordinator);
    again.json(jwks(&[&next.key])).send().await.problem(409, "client_revoked");
    app.post(&format!("{path}/revoke")).token(&coordinator).send().await.ok(200);
}

#[actix_web::test]
async fn only_the_organisations_coordinators_and_admins_keep_its_clients() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let (other_org, other_coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read"]).await;
    let admin = app.admin().await;
    register(&app, &admin, &org, &["attendance:write"]).await;

    let applicant = app.applicant().await;
    let host = app.token("host", "host-1", Some(&org)).await;
    let body = json!({"name": "x", "scopes": ["placements:read"], "jwks": jwks(&[&client.key])});
    for token in [&applicant, &host, &other_coordinator] {
        let res =
            app.post(&format!("/v1/organisations/{org}/api-clients")).token(token).json(body.clone()).send().await;
        res.problem(403, "coordinator_role_required");
        let list = app.get(&format!("/v1/organisations/{org}/api-clients")).token(token).send().await;
        list.problem(403, "coordinator_role_required");
    }
    // A client of one organisation is not found under another, even by that one's coordinator.
    let elsewhere = format!("/v1/organisations/{other_org}/api-clients/{}", client.id);
    app.get(&elsewhere).token(&other_coordinator).send().await.problem(404, "not_found");
    app.post(&format!("{elsewhere}/revoke")).token(&other_coordinator).send().await.problem(404, "not_found");
    // A client cannot register clients, whatever its scopes.
    let token = access_token(&app, &client, None).await;
    let res = app
        .post(&format!("/v1/organisations/{org}/api-clients"))
        .token(&token)
        .header("wex-attribution", "staff:E1")
        .json(body)
        .send()
        .await;
    res.problem(403, "insufficient_scope");
    let listed = app.get(&format!("/v1/organisations/{org}/api-clients")).token(&admin).send().await;
    assert_eq!(listed.ok(200)["items"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn bad_registrations_name_each_field_and_register_nothing() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let key = SigningKey::ec("k1");
    let mut private_json = serde_json::to_value(key.jwk()).unwrap();
    private_json["d"] = json!("c2VjcmV0");
    let hmac = json!({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]});
    let cases = [
        (json!({"name": " ", "scopes": ["placements:read"], "jwks": jwks(&[&key])}), "/name", "invalid_name"),
        (json!({"name": "x", "scopes": [], "jwks": jwks(&[&key])}), "/scopes", "required"),
        (
            json!({"name": "x", "scopes": ["placements:read", "root"], "jwks": jwks(&[&key])}),
            "/scopes/1",
            "invalid_scope",
        ),
        (
            json!({"name": "x", "scopes": ["placements:read"], "jwks": {"keys": [private_json]}}),
            "/jwks",
            "invalid_jwks",
        ),
        (json!({"name": "x", "scopes": ["placements:read"], "jwks": hmac}), "/jwks", "invalid_jwks"),
        (json!({"name": "x", "scopes": ["placements:read"], "jwks": {"keys": "none"}}), "/jwks", "invalid_jwks"),
        (json!({"name": "x", "scopes": ["placements:read"], "jwks": {"keys": []}}), "/jwks/keys", "too_many_keys"),
    ];
    for (body, field, code) in cases {
        let res = app.post(&format!("/v1/organisations/{org}/api-clients")).token(&coordinator).json(body).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error(field, code);
    }
    let listed = app.get(&format!("/v1/organisations/{org}/api-clients")).token(&coordinator).send().await;
    assert_eq!(listed.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn the_same_assertion_sent_twice_at_once_gives_one_token() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read"]).await;
    for _ in 0..5 {
        let assertion = client.key.sign(&claims(&client));
        let (a, b) = futures_util::future::join(ask(&app, &assertion, None), ask(&app, &assertion, None)).await;
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 400], "{} / {}", a.text, b.text);
        let refused = if a.status == 400 { a } else { b };
        oauth_error(&refused, 400, "invalid_grant");
    }
}
