// A session's webhook settings: the URL is checked against the address guard, a missing secret is generated
// (WARest does the same), event filters must name known events, and an optional signed preflight proves the
// receiver answers before anything is saved. The check and the preflight are src/lib's outbound guard.
import { randomBytes } from 'node:crypto';
import { buildWebhookRequest, type WebhookSessionInfo } from '../../events/webhook-signer.js';
import { isKnownEvent } from '../../events/registry.js';
import { assertWebhookUrlAllowed } from '../../events/url-guard.js';
import { OutboundRequestError } from '../../lib/outbound-target.js';
import { safeFetch, type SafeFetchOptions } from '../../lib/safe-fetch.js';
import { GatewayError } from '../errors.js';

export interface WebhookSettingsInput {
  url: string | null | undefined;
  secret: string | null | undefined;
  events: string[] | null | undefined;
}

export interface WebhookSettings {
  url: string | null;
  secret: string | null;
  events: string[] | null;
}

const PREFLIGHT_TIMEOUT_MS = 5_000;

export async function validateWebhookSettings(input: WebhookSettingsInput, current: WebhookSettings, allowPrivate: boolean): Promise<WebhookSettings> {
  const url = input.url === undefined ? current.url : input.url || null;
  if (url) {
    try {
      await assertWebhookUrlAllowed(url, { allowPrivate });
    } catch (err) {
      if (err instanceof OutboundRequestError) throw new GatewayError('WEBHOOK_INVALID_URL', err.message);
      throw err;
    }
  }
  let secret = input.secret === undefined ? current.secret : input.secret || null;
  if (secret !== null && secret.length < 6) throw new GatewayError('INVALID_PARAMETER', 'webhookSecret must be at least 6 characters (or leave it out to have one generated)');
  if (url && !secret) secret = randomBytes(9).toString('base64url');
  const events = input.events === undefined ? current.events : input.events;
  const unknown = (events ?? []).filter((e) => !isKnownEvent(e));
  if (unknown.length) throw new GatewayError('INVALID_PARAMETER', `events has unknown names: ${unknown.join(', ')} (use names like session.status or tags like session_status)`);
  return { url, secret, events: events && events.length ? events : null };
}

export type PreflightOptions = Pick<SafeFetchOptions, 'allowPrivate' | 'lookup' | 'connectOverride'>;

/**
 * Sends WARest's signed preflight (`X-WAREST-Preflight: 1`); throws 400 when the receiver does not answer 2xx.
 * A redirect is not followed: it fails the preflight, since deliveries would not follow it either.
 * @param options `allowPrivate` is WAYGATE_WEBHOOK_ALLOW_PRIVATE; private targets are refused when it is left out.
 */
export async function preflightWebhook(url: string, secret: string | null, session: WebhookSessionInfo, options: PreflightOptions = { allowPrivate: false }): Promise<void> {
  const request = buildWebhookRequest({ eventId: 'preflight', tag: 'preflight' as never, payload: { ping: true }, session, secret, attempt: 1, ts: Date.now() });
  const headers = { ...request.headers, 'X-WAREST-Preflight': '1' };
  delete (headers as Record<string, string>)['X-WAREST-Event-Id'];
  delete (headers as Record<string, string>)['X-WAREST-Delivery-Attempt'];
  let status: number;
  try {
    ({ status } = await safeFetch(url, { ...options, label: 'webhook', method: 'POST', headers, body: request.body, timeoutMs: PREFLIGHT_TIMEOUT_MS }));
  } catch (err) {
    if (err instanceof OutboundRequestError) throw new GatewayError('BAD_REQUEST', `Webhook preflight failed: ${err.message}`);
    throw err;
  }
  if (status >= 300 && status < 400) throw new GatewayError('BAD_REQUEST', `Webhook preflight failed: the receiver answered with a redirect (HTTP ${status}), which is not followed; configure the final URL`);
  if (status < 200 || status >= 300) throw new GatewayError('BAD_REQUEST', `Webhook preflight failed: the receiver answered HTTP ${status}`);
}
