// Makes one delivery attempt for a claimed queue row: loads the event and the session's signing identity,
// re-checks the URL (DNS may have changed since it was configured), signs and POSTs the body.
import type { Db } from '../store/database.js';
import { getApiKey } from '../store/repos/api-keys.js';
import { getEvent } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import type { WebhookDelivery } from '../store/repos/webhook-deliveries.js';
import { nameOf, tagOf } from './registry.js';
import { parseRetryAfter, type AttemptResult } from './retry-policy.js';
import { assertWebhookUrlAllowed, WebhookUrlNotAllowedError } from './url-guard.js';
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

  try {
    await assertWebhookUrlAllowed(delivery.url, { allowPrivate: options.allowPrivate });
  } catch (err) {
    if (err instanceof WebhookUrlNotAllowedError) return refused(err.message);
    throw err;
  }

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
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      // Following a redirect would let a public URL bounce us to an internal one, past the URL guard.
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.shutdown]),
    });
    // The body is not used; cancelling it releases the connection.
    await response.body?.cancel();
    return { kind: 'response', status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  } catch (err) {
    if (options.shutdown.aborted) return { kind: 'aborted' };
    if (err instanceof DOMException && err.name === 'TimeoutError') {
      return { kind: 'error', error: `no response within ${options.timeoutMs} ms`, retryable: true };
    }
    return { kind: 'error', error: describeNetworkError(err), retryable: true };
  }
}

// undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`.
function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return err instanceof Error ? err.message : String(err);
}

export async function attemptDelivery(delivery: WebhookDelivery, options: AttemptOptions): Promise<AttemptReport> {
  const started = performance.now();
  const result = await send(delivery, options);
  return { ...result, durationMs: Math.round(performance.now() - started) };
}
