//! `POST /v1/notify/callbacks`: GOV.UK Notify's delivery receipts. Only the configured token is
//! accepted (no user's token, whatever its role); a bad receipt is refused with a pointer; neither
//! changes the message.

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;
use wex_domain::model::delivery::DeliveryStatus;
use wex_domain::model::notification::{Notification, Template};
use wex_domain::ports::{DeliveryStore, NotificationStore};

use crate::support::{NOTIFY_CALLBACK_TOKEN, TestApp, spawn};

const PATH: &str = "/v1/notify/callbacks";

fn queued(app: &TestApp) -> Uuid {
    let m = Notification::new("jo@example.org", Template::OfferMade, "s".into(), "b".into(), None, Utc::now());
    app.store.enqueue(std::slice::from_ref(&m)).unwrap();
    m.id
}

fn status(app: &TestApp, id: Uuid) -> DeliveryStatus {
    app.store.delivery_status(id).unwrap().0
}

#[actix_web::test]
async fn only_the_configured_token_may_send_receipts() {
    let app = spawn().await;
    let id = queued(&app);
    let body = json!({"reference": id, "status": "delivered"});
    let res = app.post(PATH).json(body.clone()).send().await;
    res.problem(401, "unauthorized");
    let wrong = format!("{NOTIFY_CALLBACK_TOKEN}x");
    app.post(PATH).token(&wrong).json(body.clone()).send().await.problem(401, "unauthorized");
    for caller in [app.applicant().await, app.admin().await] {
        app.post(PATH).token(&caller).json(body.clone()).send().await.problem(401, "unauthorized");
    }
    assert_eq!(status(&app, id), DeliveryStatus::Pending, "a refused receipt changes nothing");
}

#[actix_web::test]
async fn a_bad_receipt_is_refused_with_a_pointer_and_changes_nothing() {
    let app = spawn().await;
    let id = queued(&app);
    let res = app.post(PATH).token(NOTIFY_CALLBACK_TOKEN).json(json!({"reference": id, "status": "lost"})).send().await;
    res.problem(422, "invalid_value");
    assert!(res.field_errors().iter().any(|(f, _)| f == "/status"), "{:?}", res.field_errors());
    let res = app.post(PATH).token(NOTIFY_CALLBACK_TOKEN).json(json!({"status": "delivered"})).send().await;
    res.problem(422, "required");
    assert!(res.field_errors().iter().any(|(f, _)| f == "/reference"), "{:?}", res.field_errors());
    assert_eq!(status(&app, id), DeliveryStatus::Pending);
    let unknown = json!({"reference": Uuid::new_v4(), "status": "delivered"});
    app.post(PATH).token(NOTIFY_CALLBACK_TOKEN).json(unknown).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn a_receipt_settles_the_message() {
    let app = spawn().await;
    let (delivered, failed) = (queued(&app), queued(&app));
    let send = |id: Uuid, receipt: &str| {
        app.post(PATH).token(NOTIFY_CALLBACK_TOKEN).json(json!({"id": "notify-1", "reference": id, "status": receipt}))
    };
    send(delivered, "delivered").send().await.ok(204);
    send(failed, "permanent-failure").send().await.ok(204);
    assert_eq!(status(&app, delivered), DeliveryStatus::Delivered);
    assert_eq!(status(&app, failed), DeliveryStatus::Failed);
}
