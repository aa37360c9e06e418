// verifyWebhook against the Standard Webhooks specification's test vectors, and what it refuses.
// Run by .ci/typescript-client (`npm test`), offline: Node's own test runner and crypto.
import assert from "node:assert/strict";
import { test } from "node:test";
import { verifyWebhook, WebhookVerificationError, type WebhookRefusal } from "./webhooks.js";

// The specification's vector (as in its reference libraries' tests).
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const AT = new Date(TIMESTAMP * 1000);

function headers(signature = SIGNATURE, timestamp = String(TIMESTAMP)): Record<string, string> {
  return { "webhook-id": ID, "webhook-timestamp": timestamp, "webhook-signature": signature };
}

function refused(code: WebhookRefusal, run: () => unknown): void {
  assert.throws(run, (e: unknown) => e instanceof WebhookVerificationError && e.code === code);
}

test("accepts the specification's test vector", () => {
  assert.deepEqual(verifyWebhook(SECRET, headers(), BODY, 300, AT), { id: ID, timestamp: TIMESTAMP });
});

test("accepts the example in docs/integrators.md, which wex's own signer is tested against", () => {
  const verified = verifyWebhook(
    "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    new Headers({
      "Webhook-Id": "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
      "Webhook-Timestamp": "1649367553",
      "Webhook-Signature": "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    }),
    '{"email":"test@example.com","username":"test_user"}',
    300,
    new Date(1649367553 * 1000),
  );
  assert.equal(verified.id, "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk");
});

test("accepts a request with several signatures if any matches, as during a rotation", () => {
  const other = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
  assert.equal(verifyWebhook(SECRET, headers(`${other} ${SIGNATURE}`), BODY, 300, AT).id, ID);
  assert.equal(verifyWebhook(SECRET, headers(`v2,abc ${SIGNATURE}`), BODY, 300, AT).id, ID);
});

test("refuses a wrong signature, a changed body and another secret", () => {
  refused("invalid_signature", () =>
    verifyWebhook(SECRET, headers("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="), BODY, 300, AT),
  );
  refused("invalid_signature", () => verifyWebhook(SECRET, headers(), '{"test": 2432232315}', 300, AT));
  refused("invalid_signature", () =>
    verifyWebhook("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", headers(), BODY, 300, AT),
  );
  // The right signature under another version tag is not a v1 signature.
  refused("invalid_signature", () => verifyWebhook(SECRET, headers(SIGNATURE.replace("v1,", "v2,")), BODY, 300, AT));
});

test("refuses a stale or future timestamp, and one that is not a number", () => {
  const later = (seconds: number) => new Date((TIMESTAMP + seconds) * 1000);
  assert.equal(verifyWebhook(SECRET, headers(), BODY, 300, later(300)).id, ID);
  refused("timestamp_too_old", () => verifyWebhook(SECRET, headers(), BODY, 300, later(301)));
  refused("timestamp_too_new", () => verifyWebhook(SECRET, headers(), BODY, 300, later(-301)));
  refused("timestamp_too_old", () => verifyWebhook(SECRET, headers(), BODY));
  refused("invalid_timestamp", () => verifyWebhook(SECRET, headers(SIGNATURE, "1614265330.5"), BODY, 300, AT));
});

test("refuses a missing header and a secret that is not one", () => {
  refused("missing_header", () => verifyWebhook(SECRET, { "webhook-id": ID }, BODY, 300, AT));
  refused("missing_header", () => verifyWebhook(SECRET, headers(""), BODY, 300, AT));
  refused("invalid_secret", () => verifyWebhook("whsec_", headers(), BODY, 300, AT));
});
