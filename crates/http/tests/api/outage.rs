//! The database going away and coming back: requests get 503 problems, readiness reports it, and
//! the service recovers by itself. PostgreSQL is reached through a TCP proxy that the test cuts and
//! restores; SQLite is embedded, so it has no server to lose.

use serde_json::json;
use std::io::{ErrorKind, copy};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::support::{Options, TestDb, spawn_on};

/// Forwards 127.0.0.1:port to PostgreSQL until stopped; stopping also cuts open connections.
struct Proxy {
    port: u16,
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<JoinHandle<()>>,
}

impl Proxy {
    fn start(port: u16) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (flag, conns) = (stop.clone(), open.clone());
        let accept = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let Ok(server) = TcpStream::connect("127.0.0.1:5432") else { continue };
                        let mut list = conns.lock().unwrap();
                        list.push(client.try_clone().unwrap());
                        list.push(server.try_clone().unwrap());
                        let (mut c1, mut s1) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                        let (mut c2, mut s2) = (client, server);
                        std::thread::spawn(move || {
                            let _ = copy(&mut c1, &mut s1);
                            let _ = s1.shutdown(Shutdown::Both);
                        });
                        std::thread::spawn(move || {
                            let _ = copy(&mut s2, &mut c2);
                            let _ = c2.shutdown(Shutdown::Both);
                        });
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
                    Err(_) => break,
                }
            }
        });
        Proxy { port, stop, open, accept: Some(accept) }
    }

    /// Closes the listening port and every forwarded connection.
    fn cut(mut self) -> u16 {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.accept.take() {
            handle.join().unwrap();
        }
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        self.port
    }
}

#[actix_web::test]
async fn the_service_survives_the_database_going_away() {
    let db = TestDb::new();
    if !db.is_postgres() {
        eprintln!("SQLite is embedded in the process: there is no database server to lose");
        return;
    }
    let proxy = Proxy::start(0);
    let url = db.url_via(&format!("127.0.0.1:{}", proxy.port));
    let store = std::sync::Arc::new(db.store_at(&url, Duration::from_millis(500)));
    let app = spawn_on(db, store, Options::default());
    let admin = app.admin().await;
    let create = |name: &str| json!({"name": name, "kind": "nhs_trust", "region": "london"});
    app.post("/v1/organisations").token(&admin).json(create("Before")).send().await.ok(201);

    let port = proxy.cut();
    let ready = app.get("/health/ready").send().await;
    ready.problem(503, "database_unavailable");
    assert_eq!(ready.header("retry-after").as_deref(), Some("5"));
    app.get("/v1/organisations").send().await.problem(503, "database_unavailable");
    app.post("/v1/organisations")
        .token(&admin)
        .json(create("During"))
        .send()
        .await
        .problem(503, "database_unavailable");
    // Work that does not need the database carries on.
    app.get("/health/live").send().await.ok(200);

    let proxy = Proxy::start(port);
    app.get("/health/ready").send().await.ok(200);
    let list = app.get("/v1/organisations").send().await;
    let names: Vec<&str> =
        list.ok(200)["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Before"], "nothing was half-written during the outage");
    app.post("/v1/organisations").token(&admin).json(create("After")).send().await.ok(201);
    proxy.cut();
}
