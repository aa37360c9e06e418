// Verifying a webhook from wex, as the Standard Webhooks specification has it: `webhook-signature`
// holds one or more space-separated `v1,<base64>` signatures, each the HMAC-SHA256 of
// `{webhook-id}.{webhook-timestamp}.{body}` keyed with the bytes of the `whsec_` secret. Several
// signatures arrive for a day after the secret is rotated (the new and the replaced one); accept
// the request if any matches the secret you hold. Node's own `crypto` only, no dependencies.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Why a webhook was refused: answer it with 400 (or 401) and do nothing with it. */
export type WebhookRefusal =
  | "invalid_secret"
  | "missing_header"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "invalid_signature";

export class WebhookVerificationError extends Error {
  constructor(
    readonly code: WebhookRefusal,
    message: string,
  ) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/**
 * The request's headers: a Fetch `Headers` object, or Node's `IncomingHttpHeaders` (or any
 * record of header names, in any case, to values).
 */
export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** What a verified webhook says about itself: deduplicate by `id` (the same on every retry). */
export interface VerifiedWebhook {
  id: string;
  /** Seconds since 1970 when this attempt was signed. */
  timestamp: number;
}

const PREFIX = "whsec_";

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(" ") : value;
}

function required(headers: WebhookHeaders, name: string): string {
  const value = header(headers, name);
  if (value === undefined || value === "") {
    throw new WebhookVerificationError("missing_header", `The ${name} header is missing.`);
  }
  return value;
}

/**
 * Checks that `body` (the raw request body, exactly as received: not parsed and serialised again)
 * was signed by wex with `secret` less than `toleranceSeconds` from `now`. Returns the webhook's id
 * and timestamp, or throws a {@link WebhookVerificationError} saying why not.
 */
export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  toleranceSeconds = 300,
  now: Date = new Date(),
): VerifiedWebhook {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  if (key.length === 0) {
    throw new WebhookVerificationError("invalid_secret", "The secret is not a whsec_ secret.");
  }
  const id = required(headers, "webhook-id");
  const stamp = required(headers, "webhook-timestamp");
  const signatures = required(headers, "webhook-signature");

  if (!/^\d{1,15}$/.test(stamp)) {
    throw new WebhookVerificationError("invalid_timestamp", "webhook-timestamp is not a number of seconds.");
  }
  // Refusing old (and far future) timestamps stops a captured request being replayed later.
  const timestamp = Number(stamp);
  const seconds = Math.floor(now.getTime() / 1000);
  if (seconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError("timestamp_too_old", "The webhook was signed too long ago.");
  }
  if (timestamp - seconds > toleranceSeconds) {
    throw new WebhookVerificationError("timestamp_too_new", "The webhook is signed with a time in the future.");
  }

  const expected = createHmac("sha256", key).update(`${id}.${stamp}.${body}`, "utf8").digest();
  const matches = signatures
    .split(" ")
    .map((part) => part.split(","))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] === "v1")
    .map(([, signature]) => Buffer.from(signature, "base64"))
    // Compared in constant time, so that the time taken says nothing about how much matched.
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  if (!matches) {
    throw new WebhookVerificationError("invalid_signature", "No signature matches the secret.");
  }
  return { id, timestamp };
}
