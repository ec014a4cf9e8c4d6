// WARest-compatible webhook requests: the JSON body, the X-WAREST-* headers and the HMAC-SHA256
// signature, plus the verifier receivers (and our tests) use to check them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import packageJson from '../../package.json' with { type: 'json' };
import type { EventPayload } from '../store/repos/outbox.js';
import type { EventTag } from './registry.js';

/** The `session` object of the body, as WARest sends it. Empty strings stand for unknown values. */
export interface WebhookSessionInfo {
  id: string;
  label: string;
  registry: string;
  username: string;
}

export interface WebhookRequestInput {
  /** Our stable event id, sent as X-WAREST-Event-Id (WARest sends the session id there; we do not). */
  eventId: string;
  tag: EventTag;
  payload: EventPayload;
  session: WebhookSessionInfo;
  /** HMAC key. Without one the request is sent unsigned. */
  secret: string | null;
  /** 1-based. */
  attempt: number;
  /** Signing time, epoch ms. */
  ts: number;
}

export interface WebhookRequest {
  /** The exact bytes that were signed: send them unchanged. */
  body: string;
  headers: Record<string, string>;
}

const SIGNATURE_PREFIX = 'HMAC-SHA256=';
const USER_AGENT = `Waygate/${packageJson.version} (webhook) Node/${process.versions.node}`;

/** Hex HMAC-SHA256 of the raw body; the key is the secret followed by the owner's username (WARest). */
export function signWebhookBody(rawBody: string | Uint8Array, secret: string, username = ''): string {
  return createHmac('sha256', secret + username).update(rawBody).digest('hex');
}

/** The canonical JSON of an event, as webhooks POST it and the live stream sends it. */
export function canonicalEventBody(input: Pick<WebhookRequestInput, 'tag' | 'payload' | 'session' | 'ts'>): string {
  return JSON.stringify({
    event: input.tag,
    data: { ...input.payload, sessionId: input.session.id },
    ts: input.ts,
    session: input.session,
  });
}

export function buildWebhookRequest(input: WebhookRequestInput): WebhookRequest {
  const body = canonicalEventBody(input);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
    'X-WAREST-Version': '1',
    'X-WAREST-Event': input.tag,
    'X-WAREST-Event-Id': input.eventId,
    'X-WAREST-Timestamp': String(input.ts),
    'X-WAREST-Delivery-Attempt': String(input.attempt),
    'X-WAREST-Session': input.session.id,
  };
  if (input.session.registry) headers['X-WAREST-Registry'] = input.session.registry;
  if (input.session.label) headers['X-WAREST-Label'] = input.session.label;
  if (input.session.username) headers['X-WAREST-Username'] = input.session.username;
  if (input.secret) {
    headers['X-WAREST-Signature'] = SIGNATURE_PREFIX + signWebhookBody(body, input.secret, input.session.username);
    headers['X-WAREST-Signature-Alg'] = 'HMAC-SHA256';
  }
  return { body, headers };
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

/**
 * Checks a received webhook: true when `X-WAREST-Signature` matches the raw body under any of `secrets`
 * (several, so a receiver can accept the old and the new secret while rotating). `username` defaults to
 * the `X-WAREST-Username` header, or "" when absent. Compare in constant time; pass the body bytes exactly
 * as received, before any JSON parsing. To refuse replays, also check `X-WAREST-Timestamp` is recent and
 * remember `X-WAREST-Event-Id` values already processed.
 *
 * @example
 *   const ok = verifyWebhookSignature(rawBody, req.headers, [process.env.WEBHOOK_SECRET!]);
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  headers: HeaderBag,
  secrets: readonly string[],
  username?: string,
): boolean {
  const signature = header(headers, 'X-WAREST-Signature');
  if (!signature?.startsWith(SIGNATURE_PREFIX)) return false;
  const received = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), 'hex');
  const user = username ?? header(headers, 'X-WAREST-Username') ?? '';
  return secrets.some((secret) => {
    const expected = Buffer.from(signWebhookBody(rawBody, secret, user), 'hex');
    return received.length === expected.length && timingSafeEqual(received, expected);
  });
}
