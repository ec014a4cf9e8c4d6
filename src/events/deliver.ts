// Makes one delivery attempt for a claimed queue row: loads the event and the session's signing identity, signs
// and POSTs the body through safeFetch (which re-checks the URL, since DNS may have changed since it was configured).
import { OutboundRequestError } from '../lib/outbound-target.js';
import { safeFetch } from '../lib/safe-fetch.js';
import type { Db } from '../store/database.js';
import { getApiKey } from '../store/repos/api-keys.js';
import { getEvent } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import type { WebhookDelivery } from '../store/repos/webhook-deliveries.js';
import { nameOf, tagOf } from './registry.js';
import { parseRetryAfter, type AttemptResult } from './retry-policy.js';
import { buildWebhookRequest } from './webhook-signer.js';

export interface AttemptOptions {
  db: Db;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborted when the dispatcher is shutting down and stops waiting. */
  shutdown: AbortSignal;
}

/** `aborted`: cut short by shutdown; not counted as an attempt. */
export type AttemptReport = (AttemptResult | { kind: 'aborted' }) & { durationMs: number };

const refused = (error: string): AttemptResult => ({ kind: 'error', error, retryable: false });

async function send(delivery: WebhookDelivery, options: AttemptOptions): Promise<AttemptResult | { kind: 'aborted' }> {
  const { db } = options;
  const event = await getEvent(db, delivery.eventId);
  if (!event) return refused('event no longer exists');
  const name = nameOf(event.event);
  if (!name) return refused(`event "${event.event}" is not in the registry`);
  const session = await getSession(db, delivery.sessionId);
  if (!session) return refused('session was deleted before delivery');
  const owner = await getApiKey(db, session.ownerKeyId);

  const request = buildWebhookRequest({
    eventId: event.id,
    tag: tagOf(name),
    payload: event.payload,
    session: { id: session.id, label: session.label ?? '', registry: owner?.registry ?? '', username: owner?.name ?? '' },
    secret: session.webhookSecret,
    attempt: delivery.attempts + 1,
    ts: Date.now(),
  });
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
    });
    return { kind: 'response', status: response.status, retryAfterMs: parseRetryAfter(response.headers['retry-after'] ?? null) };
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
