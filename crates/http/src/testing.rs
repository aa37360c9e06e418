//! For tests (feature `testing`): an identity provider's JWKS endpoint on loopback whose key set
//! the test changes, and signing keys generated afresh by each test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::pkcs8::EncodePrivateKey;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// An ES256 key pair made for one test, published under `kid`.
pub struct SigningKey {
    pub kid: String,
    encoding: EncodingKey,
    jwk: Jwk,
}

impl SigningKey {
    pub fn generate(kid: &str) -> Self {
        let secret = loop {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).unwrap();
            // Zero or above the curve's order is refused; the odds are negligible, but retry.
            if let Ok(secret) = p256::SecretKey::from_slice(&bytes) {
                break secret;
            }
        };
        let encoding = EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes());
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::ES256).unwrap();
        jwk.common.key_id = Some(kid.to_string());
        Self { kid: kid.to_string(), encoding, jwk }
    }

    /// The public half, as a JWKS publishes it.
    pub fn jwk(&self) -> Jwk {
        self.jwk.clone()
    }

    /// A token with these claims, signed by this key and naming `kid` in its header.
    pub fn sign_as(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.to_string());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }

    /// A token with these claims, signed by this key under its own `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.kid, claims)
    }
}

/// What the endpoint answers, and how often it was asked.
struct Published {
    status: u16,
    body: String,
    fetches: usize,
}

/// A JWKS endpoint on 127.0.0.1, served by a thread of its own: one request per connection,
/// answered with the document the test last published, or with a 503 while it is down.
pub struct JwksServer {
    pub url: String,
    published: Arc<Mutex<Published>>,
}

impl JwksServer {
    pub fn start(keys: &[&SigningKey]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/.well-known/jwks.json", listener.local_addr().unwrap());
        let published = Arc::new(Mutex::new(Published { status: 200, body: document(keys), fetches: 0 }));
        let serving = Arc::clone(&published);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &serving);
            }
        });
        Self { url, published }
    }

    /// Publishes exactly these keys from now on, and comes back up if it was down.
    pub fn publish(&self, keys: &[&SigningKey]) {
        self.publish_raw(200, &document(keys));
    }

    /// Answers with this status and body from now on.
    pub fn publish_raw(&self, status: u16, body: &str) {
        let mut published = self.published.lock().unwrap();
        published.status = status;
        published.body = body.to_string();
    }

    /// Answers 503 from now on, as an identity provider in trouble.
    pub fn go_down(&self) {
        self.publish_raw(503, "{\"error\": \"unavailable\"}");
    }

    /// How many requests it has answered.
    pub fn fetches(&self) -> usize {
        self.published.lock().unwrap().fetches
    }
}

fn document(keys: &[&SigningKey]) -> String {
    serde_json::to_string(&JwkSet { keys: keys.iter().map(|k| k.jwk()).collect() }).unwrap()
}

fn answer(stream: TcpStream, published: &Mutex<Published>) {
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    // The request line and headers; a GET has no body.
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line == "\r\n" {
            break;
        }
        line.clear();
    }
    let (status, body) = {
        let mut published = published.lock().unwrap();
        published.fetches += 1;
        (published.status, published.body.clone())
    };
    let reason = if status == 200 { "OK" } else { "Service Unavailable" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = (&stream).write_all(response.as_bytes());
}
