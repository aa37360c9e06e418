//! Authentication: bearer tokens, the sandbox issuer, production keys, bootstrap admins, and grants
//! read afresh on every request.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use uuid::Uuid;
use wex_http::auth::{VerifyKey, key_from_pem, keys_from_jwks};

use crate::support::{AUDIENCE, ISSUER, Options, Resp, SECRET, TestApp, site_body, spawn, spawn_with};

fn key_file(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims the API accepts for `sub`, valid for ten minutes.
fn claims(sub: &str) -> Value {
    json!({"sub": sub, "iss": ISSUER, "aud": AUDIENCE, "iat": now(), "exp": now() + 600})
}

/// `claims` with one claim replaced, or removed when `value` is null.
fn with(mut claims: Value, name: &str, value: Value) -> Value {
    let map = claims.as_object_mut().unwrap();
    if value.is_null() {
        map.remove(name);
    } else {
        map.insert(name.to_string(), value);
    }
    claims
}

fn hs256(claims: &Value, secret: &[u8]) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// A token signed with one of the private keys in tests/keys.
fn signed(algorithm: Algorithm, private_key: &str, kid: Option<&str>, claims: &Value) -> String {
    let pem = key_file(private_key);
    let key = match algorithm {
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem).unwrap(),
        _ => EncodingKey::from_rsa_pem(&pem).unwrap(),
    };
    let mut header = Header::new(algorithm);
    header.kid = kid.map(String::from);
    encode(&header, claims, &key).unwrap()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

async fn me(app: &TestApp, token: &str) -> Resp {
    app.get("/v1/me").token(token).send().await
}

#[track_caller]
fn assert_unauthorized(res: &Resp) {
    res.problem(401, "unauthorized");
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Bearer"), "{}", res.text);
}

async fn mint(app: &TestApp, body: Value) -> Resp {
    app.post("/v1/sandbox/tokens").json(body).send().await
}

fn pem_keys() -> Vec<VerifyKey> {
    vec![
        key_from_pem(&key_file("rsa-public.pem"), None).unwrap(),
        key_from_pem(&key_file("ec-public.pem"), None).unwrap(),
    ]
}

async fn production(keys: Vec<VerifyKey>) -> TestApp {
    spawn_with(Options { sandbox: false, production_keys: keys, ..Default::default() }).await
}

fn organisation_body() -> Value {
    json!({"name": "Wessex Coast NHS Foundation Trust", "kind": "nhs_trust", "region": "south_east"})
}

// Missing and malformed credentials.

#[actix_web::test]
async fn me_without_a_token_is_401_with_a_bearer_challenge() {
    let app = spawn().await;
    let res = app.get("/v1/me").send().await;
    assert_unauthorized(&res);
}

#[actix_web::test]
async fn creating_an_organisation_without_a_token_is_401_and_writes_nothing() {
    let app = spawn().await;
    let res = app.post("/v1/organisations").json(organisation_body()).send().await;
    assert_unauthorized(&res);
    assert_eq!(app.get("/v1/organisations").send().await.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn a_non_bearer_scheme_is_401() {
    let app = spawn().await;
    let admin = app.admin().await;
    for value in ["Basic YWRtaW46YWRtaW4=", &format!("Token {admin}"), &admin, "Bearer", "Bearer    "] {
        let res = app.get("/v1/me").header("authorization", value).send().await;
        assert_unauthorized(&res);
    }
}

#[actix_web::test]
async fn a_garbage_token_is_401() {
    let app = spawn().await;
    for token in ["not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30", "...."] {
        assert_unauthorized(&me(&app, token).await);
    }
}

#[actix_web::test]
async fn an_invalid_token_is_refused_where_anonymous_callers_are_welcome() {
    let app = spawn().await;
    app.get("/v1/placements").send().await.ok(200);
    let res = app.get("/v1/placements").token("not-a-jwt").send().await;
    assert_unauthorized(&res);
}

// Sandbox tokens and the grants they record.

#[actix_web::test]
async fn a_coordinator_token_shows_its_membership() {
    let app = spawn().await;
    let org = app.organisation().await;
    let token = app.token("coordinator", "coordinator-1", Some(&org)).await;
    let body = me(&app, &token).await.ok(200).clone();
    assert_eq!(body["subject"], "coordinator-1");
    assert_eq!(body["platform_roles"], json!([]));
    assert_eq!(body["memberships"], json!([{"organisation_id": org, "role": "coordinator"}]));
}

#[actix_web::test]
async fn a_host_token_shows_its_membership() {
    let app = spawn().await;
    let org = app.organisation().await;
    let token = app.token("host", "host-1", Some(&org)).await;
    let body = me(&app, &token).await.ok(200).clone();
    assert_eq!(body["platform_roles"], json!([]));
    assert_eq!(body["memberships"], json!([{"organisation_id": org, "role": "host"}]));
}

#[actix_web::test]
async fn an_admin_token_shows_the_admin_platform_role() {
    let app = spawn().await;
    let token = app.token("admin", "admin-1", None).await;
    let body = me(&app, &token).await.ok(200).clone();
    assert_eq!(body["subject"], "admin-1");
    assert_eq!(body["platform_roles"], json!(["admin"]));
    assert_eq!(body["memberships"], json!([]));
}

#[actix_web::test]
async fn an_analyst_token_shows_the_analyst_platform_role() {
    let app = spawn().await;
    let token = app.token("analyst", "analyst-1", None).await;
    let body = me(&app, &token).await.ok(200).clone();
    assert_eq!(body["platform_roles"], json!(["analyst"]));
    assert_eq!(body["memberships"], json!([]));
}

#[actix_web::test]
async fn applicant_and_advocate_tokens_have_no_grants_even_when_naming_an_organisation() {
    let app = spawn().await;
    let org = app.organisation().await;
    for role in ["applicant", "advocate"] {
        let token = app.token(role, &format!("{role}-1"), Some(&org)).await;
        let body = me(&app, &token).await.ok(200).clone();
        assert_eq!(body["subject"], format!("{role}-1"));
        assert_eq!(body["platform_roles"], json!([]), "{role}");
        assert_eq!(body["memberships"], json!([]), "{role}");
    }
}

#[actix_web::test]
async fn a_minted_token_is_described_and_expires_when_asked() {
    let app = spawn().await;
    let org = app.organisation().await;
    let res = mint(
        &app,
        json!({"role": "coordinator", "subject": "  coordinator-7 ", "organisation_id": org, "expires_in": 3600}),
    )
    .await;
    let body = res.ok(201).clone();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["subject"], "coordinator-7");
    assert_eq!(body["role"], "coordinator");
    assert_eq!(body["organisation_id"], json!(org));
    let expires_at = chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap()).unwrap().timestamp();
    assert!((now() + 3590..=now() + 3610).contains(&expires_at), "{expires_at}");
    assert_eq!(me(&app, body["token"].as_str().unwrap()).await.ok(200)["subject"], "coordinator-7");
}

#[actix_web::test]
async fn coordinator_and_host_tokens_need_an_organisation() {
    let app = spawn().await;
    for role in ["coordinator", "host"] {
        let res = mint(&app, json!({"role": role, "subject": "staff-1"})).await;
        res.problem(422, "validation_failed");
        res.has_field_error("/organisation_id", "required");
    }
}

#[actix_web::test]
async fn a_token_for_an_unknown_organisation_is_422_and_grants_nothing() {
    let app = spawn().await;
    let unknown = Uuid::now_v7().to_string();
    let res = mint(&app, json!({"role": "coordinator", "subject": "staff-1", "organisation_id": unknown})).await;
    res.problem(422, "validation_failed");
    res.has_field_error("/organisation_id", "unknown_organisation");
    let token = app.token("applicant", "staff-1", None).await;
    assert_eq!(me(&app, &token).await.ok(200)["memberships"], json!([]));
}

#[actix_web::test]
async fn an_unknown_role_is_422() {
    let app = spawn().await;
    for role in ["superuser", "Admin", ""] {
        let res = mint(&app, json!({"role": role, "subject": "someone"})).await;
        res.problem(422, "invalid_value");
        res.has_field_error("/role", "invalid_value");
    }
}

/// Well-formed JSON with a value of the wrong type is 422, not "malformed JSON" (400).
#[actix_web::test]
async fn a_role_of_the_wrong_type_is_422() {
    let app = spawn().await;
    for role in [json!(null), json!(1), json!(["admin"])] {
        let res = mint(&app, json!({"role": role, "subject": "someone"})).await;
        res.problem(422, "invalid_value");
        res.has_field_error("/role", "invalid_value");
    }
}

#[actix_web::test]
async fn a_blank_subject_is_422() {
    let app = spawn().await;
    let res = mint(&app, json!({"role": "applicant", "subject": "   "})).await;
    res.problem(422, "validation_failed");
    res.has_field_error("/subject", "invalid_subject");
}

#[actix_web::test]
async fn expires_in_out_of_range_is_422_and_grants_nothing() {
    let app = spawn().await;
    for expires_in in [-1, 0, 59, 2_592_001] {
        let res = mint(&app, json!({"role": "admin", "subject": "would-be-admin", "expires_in": expires_in})).await;
        res.problem(422, "out_of_range");
        res.has_field_error("/expires_in", "out_of_range");
    }
    let token = app.token("applicant", "would-be-admin", None).await;
    assert_eq!(me(&app, &token).await.ok(200)["platform_roles"], json!([]));
}

#[actix_web::test]
async fn expires_in_at_its_bounds_is_accepted() {
    let app = spawn().await;
    for expires_in in [60, 2_592_000] {
        let res = mint(&app, json!({"role": "applicant", "subject": "someone", "expires_in": expires_in})).await;
        let token = res.ok(201)["token"].as_str().unwrap().to_string();
        me(&app, &token).await.ok(200);
    }
}

// Tokens the sandbox refuses. The first test shows that a hand-made token is accepted, so that
// each refusal below is due to the one thing changed.

#[actix_web::test]
async fn a_hand_made_sandbox_token_is_accepted() {
    let app = spawn().await;
    let res = me(&app, &hs256(&claims("hand-made"), SECRET)).await;
    assert_eq!(res.ok(200)["subject"], "hand-made");
}

#[actix_web::test]
async fn an_expired_token_is_401() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "exp", json!(now() - 3600)), SECRET);
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn a_token_signed_with_another_secret_is_401() {
    let app = spawn().await;
    let token = hs256(&claims("someone"), b"another-secret-of-at-least-thirty-two-bytes");
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn a_token_with_a_tampered_payload_is_401() {
    let app = spawn().await;
    let token = hs256(&claims("someone"), SECRET);
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], b64(&claims("bootstrap-admin")), parts[2]);
    assert_unauthorized(&me(&app, &forged).await);
}

#[actix_web::test]
async fn a_token_for_another_audience_is_401() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "aud", json!("another-api")), SECRET);
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn a_token_from_another_issuer_is_401() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "iss", json!("https://elsewhere.example")), SECRET);
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn a_token_without_sub_is_401() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "sub", Value::Null), SECRET);
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn a_token_with_a_blank_subject_is_401() {
    let app = spawn().await;
    for sub in ["", "   ", "line\nbreak"] {
        let token = hs256(&claims(sub), SECRET);
        assert_unauthorized(&me(&app, &token).await);
    }
}

#[actix_web::test]
async fn a_token_without_exp_is_401() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "exp", Value::Null), SECRET);
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn a_token_without_iss_or_aud_is_401() {
    let app = spawn().await;
    for claim in ["iss", "aud"] {
        let token = hs256(&with(claims("someone"), claim, Value::Null), SECRET);
        assert_unauthorized(&me(&app, &token).await);
    }
}

#[actix_web::test]
async fn an_alg_none_token_is_401() {
    let app = spawn().await;
    for alg in ["none", "None", "NONE"] {
        let token = format!("{}.{}.", b64(&json!({"alg": alg, "typ": "JWT"})), b64(&claims("bootstrap-admin")));
        assert_unauthorized(&me(&app, &token).await);
        let res = app.post("/v1/organisations").token(&token).json(organisation_body()).send().await;
        assert_unauthorized(&res);
    }
    assert_eq!(app.get("/v1/organisations").send().await.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn an_rs256_token_is_refused_by_the_sandbox() {
    let app = spawn().await;
    let token = signed(Algorithm::RS256, "rsa-private.pem", None, &claims("someone"));
    assert_unauthorized(&me(&app, &token).await);
}

/// RFC 7519 section 4.1.3: `aud` may be an array; the token is for us when it names our audience.
#[actix_web::test]
async fn a_token_whose_audience_list_names_ours_is_accepted() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "aud", json!([AUDIENCE, "another-api"])), SECRET);
    assert_eq!(me(&app, &token).await.ok(200)["subject"], "someone");
}

/// The conventions require `exp`, `iss`, `aud` and `sub`; `iat` is optional (RFC 7519 section 4.1.6).
#[actix_web::test]
async fn a_token_without_iat_is_accepted() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "iat", Value::Null), SECRET);
    assert_eq!(me(&app, &token).await.ok(200)["subject"], "someone");
}

/// RFC 7519 section 4.1.5: a token must not be accepted before its `nbf` time.
#[actix_web::test]
async fn a_token_not_yet_valid_is_401() {
    let app = spawn().await;
    let token = hs256(&with(claims("someone"), "nbf", json!(now() + 3600)), SECRET);
    assert_unauthorized(&me(&app, &token).await);
}

// Production keys.

#[actix_web::test]
async fn production_accepts_rs256_tokens_signed_with_the_configured_key() {
    let app = production(pem_keys()).await;
    let token = signed(Algorithm::RS256, "rsa-private.pem", None, &claims("nhs-login-123"));
    let body = me(&app, &token).await.ok(200).clone();
    assert_eq!(body["subject"], "nhs-login-123");
    assert_eq!(body["platform_roles"], json!([]));
}

#[actix_web::test]
async fn production_accepts_es256_tokens_signed_with_the_configured_key() {
    let app = production(pem_keys()).await;
    let token = signed(Algorithm::ES256, "ec-private.pem", None, &claims("cis2-456"));
    assert_eq!(me(&app, &token).await.ok(200)["subject"], "cis2-456");
}

#[actix_web::test]
async fn production_refuses_tokens_signed_with_another_rsa_key() {
    let app = production(pem_keys()).await;
    let token = signed(Algorithm::RS256, "other-rsa-private.pem", None, &claims("someone"));
    assert_unauthorized(&me(&app, &token).await);
}

/// Including the classic confusion attack: HS256 keyed with the configured RSA public key.
#[actix_web::test]
async fn production_refuses_hs256_tokens() {
    let app = production(pem_keys()).await;
    for secret in [SECRET.to_vec(), key_file("rsa-public.pem")] {
        assert_unauthorized(&me(&app, &hs256(&claims("someone"), &secret)).await);
    }
}

#[actix_web::test]
async fn production_refuses_a_good_signature_for_another_audience_or_issuer() {
    let app = production(pem_keys()).await;
    for (claim, value) in [("aud", "another-api"), ("iss", "https://elsewhere.example")] {
        let token = signed(Algorithm::RS256, "rsa-private.pem", None, &with(claims("someone"), claim, json!(value)));
        assert_unauthorized(&me(&app, &token).await);
    }
}

#[actix_web::test]
async fn production_refuses_an_expired_token() {
    let app = production(pem_keys()).await;
    let token = signed(Algorithm::ES256, "ec-private.pem", None, &with(claims("someone"), "exp", json!(now() - 3600)));
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn production_has_no_sandbox_token_endpoint() {
    let app = production(pem_keys()).await;
    let res = mint(&app, json!({"role": "admin", "subject": "someone"})).await;
    res.problem(404, "not_found");
}

#[actix_web::test]
async fn key_from_pem_pins_rsa_keys_to_rs256_and_ec_keys_to_es256() {
    assert_eq!(key_from_pem(&key_file("rsa-public.pem"), None).unwrap().algorithm, Algorithm::RS256);
    let ec = key_from_pem(&key_file("ec-public.pem"), Some("ec-1".into())).unwrap();
    assert_eq!(ec.algorithm, Algorithm::ES256);
    assert_eq!(ec.kid.as_deref(), Some("ec-1"));
    assert!(key_from_pem(b"-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n", None).is_err());
}

#[actix_web::test]
async fn jwks_keys_verify_tokens_with_a_matching_kid() {
    let keys = keys_from_jwks(&String::from_utf8(key_file("jwks.json")).unwrap()).unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.algorithm == Algorithm::RS256));
    let app = production(keys).await;
    let token = signed(Algorithm::RS256, "rsa-private.pem", Some("wex-test-rsa"), &claims("jwks-user"));
    assert_eq!(me(&app, &token).await.ok(200)["subject"], "jwks-user");
    let token = signed(Algorithm::RS256, "other-rsa-private.pem", Some("wex-test-other"), &claims("jwks-other"));
    assert_eq!(me(&app, &token).await.ok(200)["subject"], "jwks-other");
}

#[actix_web::test]
async fn jwks_keys_refuse_a_token_whose_kid_names_another_or_no_key() {
    let keys = keys_from_jwks(&String::from_utf8(key_file("jwks.json")).unwrap()).unwrap();
    let app = production(keys).await;
    let token = signed(Algorithm::RS256, "other-rsa-private.pem", Some("wex-test-rsa"), &claims("someone"));
    assert_unauthorized(&me(&app, &token).await);
    let token = signed(Algorithm::RS256, "rsa-private.pem", Some("retired-key"), &claims("someone"));
    assert_unauthorized(&me(&app, &token).await);
}

#[actix_web::test]
async fn keys_from_jwks_refuses_empty_symmetric_and_malformed_documents() {
    for document in [
        r#"{"keys": []}"#,
        r#"{"keys": [{"kty": "oct", "kid": "hmac", "k": "dGVzdC1zZWNyZXQtb2YtYXQtbGVhc3QtdGhpcnR5LXR3by1ieXRlcyE"}]}"#,
        r#"{"not": "a jwks"}"#,
        "not json",
    ] {
        assert!(keys_from_jwks(document).is_err(), "{document}");
    }
}

// Bootstrap admins and grants taking effect.

#[actix_web::test]
async fn a_bootstrap_admin_needs_no_stored_grant() {
    let app = spawn().await;
    let bootstrap = app.token("applicant", "bootstrap-admin", None).await;
    assert_eq!(me(&app, &bootstrap).await.ok(200)["platform_roles"], json!(["admin"]));
    let res = app.post("/v1/organisations").token(&bootstrap).json(organisation_body()).send().await;
    res.ok(201);
    let someone_else = app.token("applicant", "not-bootstrap-admin", None).await;
    let res = app.post("/v1/organisations").token(&someone_else).json(organisation_body()).send().await;
    res.problem(403, "admin_role_required");
    assert_eq!(app.get("/v1/organisations").send().await.ok(200)["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_granted_membership_takes_effect_at_once_and_so_does_its_revocation() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let sites = format!("/v1/organisations/{org}/sites");
    let staff = app.token("applicant", "staff-4471", None).await;
    app.post(&sites).token(&staff).json(site_body()).send().await.problem(403, "coordinator_role_required");

    let grant = app
        .post(&format!("/v1/organisations/{org}/members"))
        .token(&admin)
        .json(json!({"subject": "staff-4471", "role": "coordinator"}))
        .send()
        .await;
    let membership = grant.ok(201)["id"].as_str().unwrap().to_string();
    app.post(&sites).token(&staff).json(site_body()).send().await.ok(201);

    let revoke = app.delete(&format!("/v1/organisations/{org}/members/{membership}")).token(&admin).send().await;
    assert_eq!(revoke.status, 204, "{}", revoke.text);
    app.post(&sites).token(&staff).json(site_body()).send().await.problem(403, "coordinator_role_required");
    assert_eq!(app.get(&sites).send().await.ok(200)["items"].as_array().unwrap().len(), 1);
}
