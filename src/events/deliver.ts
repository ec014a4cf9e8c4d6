// Makes one delivery attempt for a claimed queue row: loads the event and the session's signing identity, signs
// and POSTs the body through safeFetch (which re-checks the URL, since DNS may have changed since it was configured).
// When asked, it also reads the receiver's reply (WARest §6.1.5: a 2xx JSON body may ask for actions), but only
// from the session's configured webhook URL: a delivery still queued for a URL the session no longer uses is
// sent, its answer not obeyed.
import { OutboundRequestError } from '../lib/outbound-target.js';
import { safeFetch, type SafeResponse } from '../lib/safe-fetch.js';
import type { Db } from '../store/database.js';
import { getEvent } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import type { WebhookDelivery } from '../store/repos/webhook-deliveries.js';
import { nameOf, tagOf } from './registry.js';
import { parseRetryAfter, type AttemptResult } from './retry-policy.js';
import { buildWebhookRequest, type WebhookSessionInfo } from './webhook-signer.js';
import { webhookSessionInfo } from './webhook-session.js';

export interface AttemptOptions {
  db: Db;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborted when the dispatcher is shutting down and stops waiting. */
  shutdown: AbortSignal;
  /** Read the reply of a 2xx answer with a JSON body. */
  readReplies?: boolean;
}

/** An event as the receiver got it: its id and the body that was POSTed. */
export interface DeliveredEvent {
  id: string;
  body: { event: string; data: Record<string, unknown>; ts: number; session: WebhookSessionInfo };
}

/** A 2xx answer's JSON body, or why it could not be read. */
export type WebhookReply = { event: DeliveredEvent; body: unknown } | { problem: string };

/** `aborted`: cut short by shutdown; not counted as an attempt. `reply`: read from a 2xx answer, when asked. */
type Answer = (AttemptResult | { kind: 'aborted' }) & { reply?: WebhookReply };

export type AttemptReport = Answer & { durationMs: number };

/** Largest reply body whose actions are run. */
const REPLY_BODY_LIMIT = 64 * 1024;
// safeFetch decides whether to read a body before the status and Content-Type are known, and fails the request
// past its limit: so while replies are read, every body is read, up to a limit generous enough that no answer
// that must count (a 5xx error page) fails on its size. Only JSON bodies within REPLY_BODY_LIMIT are used.
const READ_LIMIT = 1024 * 1024;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const refused = (error: string): AttemptResult => ({ kind: 'error', error, retryable: false });

function readReply(response: SafeResponse, delivered: () => DeliveredEvent): WebhookReply | undefined {
  const { status, body } = response;
  if (status < 200 || status >= 300 || !body?.length || !JSON_TYPE.test(response.headers['content-type'] ?? '')) return undefined;
  if (body.length > REPLY_BODY_LIMIT) return { problem: `the reply body has ${body.length} bytes; actions are read from at most ${REPLY_BODY_LIMIT}` };
  try {
    return { event: delivered(), body: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { problem: 'the reply says it is JSON but is not' };
  }
}

async function send(delivery: WebhookDelivery, options: AttemptOptions): Promise<Answer> {
  const { db } = options;
  const event = await getEvent(db, delivery.eventId);
  if (!event) return refused('event no longer exists');
  const name = nameOf(event.event);
  if (!name) return refused(`event "${event.event}" is not in the registry`);
  const session = await getSession(db, delivery.sessionId);
  if (!session) return refused('session was deleted before delivery');

  const request = buildWebhookRequest({
    eventId: event.id,
    tag: tagOf(name),
    payload: event.payload,
    session: await webhookSessionInfo(db, session),
    secret: session.webhookSecret,
    attempt: delivery.attempts + 1,
    ts: Date.now(),
  });
  const obeyed = options.readReplies === true && session.webhookUrl === delivery.url;
  try {
    // No redirect is followed: a 3xx is the receiver's answer.
    const response = await safeFetch(delivery.url, {
      label: 'webhook',
      allowPrivate: options.allowPrivate,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      timeoutMs: options.timeoutMs,
      signal: options.shutdown,
      ...(obeyed ? { maxBodyBytes: READ_LIMIT } : {}),
    });
    const reply = obeyed ? readReply(response, () => ({ id: event.id, body: JSON.parse(request.body) as DeliveredEvent['body'] })) : undefined;
    return {
      kind: 'response',
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers['retry-after'] ?? null),
      ...(reply ? { reply } : {}),
    };
  } catch (err) {
    if (!(err instanceof OutboundRequestError)) throw err;
    if (err.reason === 'aborted') return { kind: 'aborted' };
    if (err.reason === 'timeout' || err.reason === 'network') return { kind: 'error', error: err.message, retryable: true };
    return refused(err.message);
  }
}

export async function attemptDelivery(delivery: WebhookDelivery, options: AttemptOptions): Promise<AttemptReport> {
  const started = performance.now();
  const result = await send(delivery, options);
  return { ...result, durationMs: Math.round(performance.now() - started) };
}
