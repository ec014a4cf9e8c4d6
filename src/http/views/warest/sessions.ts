// How session results look to WARest clients (api-compat §4.2): create with the QR as a PNG data URL, the
// pair code as XXXX-XXXX, the n8n picker's list shape, and the config answer.
import { qrDataUrl } from '../../../core/sessions/qr-image.js';
import type { Opened, PairCode, SessionRecord, SessionSummary } from '../../../core/sessions/session-actions.js';
import type { Me } from '../../../engine/types.js';
import { succeeded, type Outcome } from './outcome.js';

function createdBase({ session, registry, accessToken }: SessionRecord) {
  return {
    registryUser: registry,
    sessionId: session.id,
    webhookUrl: session.webhookUrl,
    webhookSecret: session.webhookSecret,
    ...(accessToken ? { instanceId: session.id, accessToken } : { createdAt: session.createdAt })
  };
}

export async function openedView(opened: Opened): Promise<Outcome> {
  const base = createdBase(opened);
  if (opened.state === 'open') return { code: 'SESSION_OPEN', message: 'Session already open', result: { ...base, status: 'open', me: opened.me } };
  if (opened.state === 'qr') {
    return { code: 'SESSION_QR_REQUIRED', message: 'Scan the QR to continue', result: { ...base, qrString: opened.qr, qr: await qrDataUrl(opened.qr), qrDuration: opened.expiresInSeconds } };
  }
  return { code: 'SESSION_LOGIN_PENDING', message: 'Connecting; call create again in a moment for the QR', result: { ...base, status: opened.status } };
}

export function pairCodeView(answer: PairCode): Outcome {
  const base = { registryUser: answer.registry, sessionId: answer.session.id };
  if (answer.state === 'open') return { code: 'SESSION_OPEN', message: 'Session already open', result: { ...base, status: 'open' } };
  if (answer.state === 'code') return succeeded('Pair code generated', { ...base, pairCode: `${answer.code.slice(0, 4)}-${answer.code.slice(4)}` });
  return { code: 'SESSION_LOGIN_PENDING', message: 'Login is in progress; request the pair code again in a moment', result: { ...base, pairCode: '' } };
}

export const devicesView = (me: Me | null) =>
  succeeded('Devices', { name: me?.name ?? null, phone: me?.id.split(/[:@]/)[0] ?? null, device: 'Waygate', jid: me?.id ?? null, lid: me?.lid ?? null });

export const sessionListView = (sessions: SessionSummary[]) =>
  succeeded('OK', { items: sessions.map((s) => ({ id: s.id, status: s.status, me: s.me, pushName: s.me?.name ?? null, lastConn: s.lastConnectedAt })) });

export const configView = ({ session, registry }: SessionRecord) =>
  succeeded('Session config updated', {
    registryUser: registry,
    sessionId: session.id,
    webhookUrl: session.webhookUrl,
    webhookSecret: session.webhookSecret,
    events: session.webhookEvents,
    autoStart: session.autoStart,
    sendIntervalMs: session.sendIntervalMs,
    sendJitterMs: session.sendJitterMs
  });
