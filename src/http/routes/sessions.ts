// The Sessions category (WARest actions 1-8) plus Waygate's additions: the QR as a PNG, access-token rotation,
// the webhook delivery log and replay. Every handler is one call into the session manager.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import { qrDataUrl, qrPng } from '../../core/sessions/qr-image.js';
import type { SessionManager } from '../../core/sessions/session-manager.js';
import type { SessionRuntime } from '../../core/sessions/session-runtime.js';
import { preflightWebhook, validateWebhookSettings } from '../../core/sessions/webhook-config.js';
import { replayEvent, replayFailedDeliveries } from '../../events/replay.js';
import type { Db } from '../../store/database.js';
import { getApiKey } from '../../store/repos/api-keys.js';
import { getSession, listAllSessions, listSessionsByOwner, updateSession, type Session } from '../../store/repos/sessions.js';
import { listDeliveries } from '../../store/repos/webhook-deliveries.js';
import { getEvent } from '../../store/repos/outbox.js';
import { actionRoute } from '../route-table.js';
import { readString, selectSession } from '../params.js';
import { requireSessionAccess } from '../auth.js';
import { findRequestSession } from '../session-lookup.js';

const WAIT_FOR_QR_MS = 15_000;
const sessionQuery = { type: 'object', properties: { sessionId: { type: 'string' }, id: { type: 'string' }, session: { type: 'string' } } };

export interface SessionRouteDeps {
  db: Db;
  sessions: SessionManager;
  allowPrivateWebhooks: boolean;
}

const settled = (status: string) => ['SCAN_QR_CODE', 'WORKING', 'FAILED', 'LOGGED_OUT'].includes(status);

export function sessionRoutes({ db, sessions, allowPrivateWebhooks }: SessionRouteDeps): FastifyPluginAsync {
  const registryOf = async (session: Session) => (await getApiKey(db, session.ownerKeyId))?.registry ?? null;

  /** The session named by the request, created for the caller when it does not exist yet. */
  async function sessionForCreate(request: FastifyRequest): Promise<{ session: Session; accessToken?: string }> {
    const selector = selectSession('sessions', request, request.principal);
    if (selector.by !== 'id') throw new GatewayError('SESSION_REQUIRED', 'sessionId is required');
    const existing = await getSession(db, selector.sessionId);
    if (existing) {
      try {
        requireSessionAccess(request.principal, { id: existing.id, owner: existing.ownerKeyId });
      } catch {
        throw new GatewayError('SESSION_ALREADY_EXISTS', `Session id "${existing.id}" is taken by another API key; choose another id`);
      }
      return { session: existing };
    }
    const owner = request.principal?.kind !== 'session' ? request.principal?.keyId : undefined;
    if (!owner) throw new GatewayError('FORBIDDEN', 'Creating sessions needs an API key (a session access token only acts on its own session)');
    return sessions.create(selector.sessionId, owner);
  }

  const describe = (runtime: SessionRuntime | undefined, session: Session) => ({
    id: session.id,
    status: runtime?.lastChange.status ?? session.status,
    me: runtime?.me ?? (session.meId ? { id: session.meId, lid: session.meLid, name: session.meName } : null),
    pushName: runtime?.me?.name ?? session.meName,
    lastConn: session.lastConnectedAt
  });

  return async (app) => {
    app.route(
      actionRoute('createSession', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => {
          const { session, accessToken } = await sessionForCreate(request);
          const runtime = await sessions.start(session.id);
          const change = await runtime.waitFor((c) => settled(c.status), WAIT_FOR_QR_MS);
          const base = {
            registryUser: await registryOf(session),
            sessionId: session.id,
            webhookUrl: session.webhookUrl,
            webhookSecret: session.webhookSecret,
            ...(accessToken ? { instanceId: session.id, accessToken } : { createdAt: session.createdAt })
          };
          if (change.status === 'WORKING') return reply.envelope('SESSION_OPEN', 'Session already open', { ...base, status: 'open', me: change.me });
          if (change.status === 'SCAN_QR_CODE') {
            const remaining = Math.max(5, Math.min(65, Math.round((change.expiresInMs - (Date.now() - (runtime.qr?.at ?? Date.now()))) / 1000)));
            return reply.envelope('SESSION_QR_REQUIRED', 'Scan the QR to continue', { ...base, qrString: change.qr, qr: await qrDataUrl(change.qr), qrDuration: remaining });
          }
          if (change.status === 'FAILED') throw new GatewayError('DOWNSTREAM_ERROR', `The session could not connect: ${change.reason}`);
          return reply.envelope('SESSION_LOGIN_PENDING', 'Connecting; call create again in a moment for the QR', { ...base, status: change.status });
        }
      })
    );

    app.route(
      actionRoute('createPairCode', {
        schema: { querystring: { ...sessionQuery, properties: { ...sessionQuery.properties, phone: { type: 'string' }, pair: { type: 'string' }, pairPhone: { type: 'string' } } } },
        handler: async (request, reply) => {
          const phone = readString(request, ['phone', 'pair', 'pairPhone'], ['query', 'body'])?.replace(/\D/g, '');
          if (!phone || phone.length < 6 || phone.length > 15) throw new GatewayError('MISSING_PARAMETER', 'phone is required: the number to link, digits with country code (e.g. 15550001111)');
          const { session } = await sessionForCreate(request);
          const runtime = await sessions.start(session.id);
          const base = { registryUser: await registryOf(session), sessionId: session.id };
          if (runtime.engine.status === 'WORKING') return reply.envelope('SESSION_OPEN', 'Session already open', { ...base, status: 'open' });
          try {
            const code = await runtime.engine.requestPairingCode(phone);
            return reply.envelope('SUCCESS', 'Pair code generated', { ...base, pairCode: `${code.slice(0, 4)}-${code.slice(4)}` });
          } catch (err) {
            request.log.warn({ err, sessionId: session.id }, 'pairing code not available yet');
            return reply.envelope('SESSION_LOGIN_PENDING', 'Login is in progress; request the pair code again in a moment', { ...base, pairCode: '' });
          }
        }
      })
    );

    app.route(
      actionRoute('logout', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => {
          const session = await findRequestSession(db, request, 'sessions');
          const steps = await sessions.logout(session.id);
          return reply.envelope('SUCCESS', 'Logout success', { sessionId: session.id, steps });
        }
      })
    );

    app.route(
      actionRoute('reconnect', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => {
          const session = await findRequestSession(db, request, 'sessions');
          await sessions.reconnect(session.id);
          return reply.envelope('SESSION_RECONNECT_SCHEDULED', 'Reconnect scheduled', []);
        }
      })
    );

    app.route(
      actionRoute('devices', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => {
          const session = await findRequestSession(db, request, 'sessions');
          const me = sessions.runtime(session.id)?.me ?? (session.meId ? { id: session.meId, lid: session.meLid, name: session.meName } : null);
          return reply.envelope('SUCCESS', 'Devices', {
            name: me?.name ?? null,
            phone: me?.id.split(/[:@]/)[0] ?? null,
            device: 'Waygate',
            jid: me?.id ?? null,
            lid: me?.lid ?? null
          });
        }
      })
    );

    app.route(
      actionRoute('listSessions', {
        handler: async (request, reply) => {
          const principal = request.principal;
          const rows =
            principal?.kind === 'admin'
              ? await listAllSessions(db)
              : principal?.kind === 'session'
                ? [await getSession(db, principal.sessionId!)].filter((s): s is Session => !!s)
                : await listSessionsByOwner(db, principal?.keyId ?? '');
          return reply.envelope('SUCCESS', 'OK', { items: rows.map((s) => describe(sessions.runtime(s.id), s)) });
        }
      })
    );

    app.route(
      actionRoute('deleteSession', {
        schema: { body: { type: 'object', properties: sessionQuery.properties } },
        handler: async (request, reply) => {
          const session = await findRequestSession(db, request, 'sessions');
          const steps = await sessions.delete(session.id);
          return reply.envelope('SUCCESS', 'Session deleted', { sessionId: session.id, steps });
        }
      })
    );

    app.route(
      actionRoute('updateConfig', {
        schema: {
          body: {
            type: 'object',
            properties: {
              webhookUrl: { type: ['string', 'null'], maxLength: 2048 },
              webhookSecret: { type: ['string', 'null'], maxLength: 256 },
              events: { type: ['array', 'null'], items: { type: 'string' }, maxItems: 64 },
              autoStart: { type: 'boolean' },
              preflight: { type: 'boolean' },
              preflightVerify: { type: 'boolean' }
            }
          }
        },
        handler: async (request, reply) => {
          const session = await findRequestSession(db, request, 'sessions');
          const body = (request.body ?? {}) as { webhookUrl?: string | null; webhookSecret?: string | null; events?: string[] | null; autoStart?: boolean; preflight?: boolean; preflightVerify?: boolean };
          const settings = await validateWebhookSettings(
            { url: body.webhookUrl, secret: body.webhookSecret, events: body.events },
            { url: session.webhookUrl, secret: session.webhookSecret, events: session.webhookEvents },
            allowPrivateWebhooks
          );
          const registry = await registryOf(session);
          if ((body.preflight || body.preflightVerify) && settings.url) {
            const owner = await getApiKey(db, session.ownerKeyId);
            await preflightWebhook(settings.url, settings.secret, { id: session.id, label: session.label ?? '', registry: registry ?? '', username: owner?.name ?? '' });
          }
          const updated = await updateSession(db, session.id, {
            webhookUrl: settings.url,
            webhookSecret: settings.secret,
            webhookEvents: settings.events,
            ...(body.autoStart === undefined ? {} : { autoStart: body.autoStart })
          });
          return reply.envelope('SUCCESS', 'Session config updated', {
            registryUser: registry,
            sessionId: session.id,
            webhookUrl: updated?.webhookUrl ?? null,
            webhookSecret: updated?.webhookSecret ?? null,
            events: updated?.webhookEvents ?? null,
            autoStart: updated?.autoStart ?? false
          });
        }
      })
    );

    app.get('/session/qr', { schema: { tags: ['Sessions'], summary: 'The current QR code as a PNG image', querystring: sessionQuery } }, async (request, reply) => {
      const session = await findRequestSession(db, request, 'sessions');
      const qr = sessions.runtime(session.id)?.qr;
      if (!qr) throw new GatewayError('NOT_FOUND', `Session "${session.id}" has no QR code right now (status ${sessions.runtime(session.id)?.lastChange.status ?? session.status}); call /session/create first`);
      return reply.type('image/png').header('cache-control', 'no-store').send(await qrPng(qr.qr));
    });

    app.post('/session/token', { schema: { tags: ['Sessions'], summary: "Rotate the session's access token (Wawp instance_id + access_token)", body: { type: 'object', properties: sessionQuery.properties } } }, async (request, reply) => {
      const session = await findRequestSession(db, request, 'sessions');
      const accessToken = await sessions.rotateAccessToken(session.id);
      return reply.envelope('SUCCESS', 'Access token rotated; the old one no longer works', { sessionId: session.id, instanceId: session.id, accessToken });
    });

    app.get('/session/webhooks/deliveries', { schema: { tags: ['Sessions'], summary: 'Webhook deliveries of a session, newest first', querystring: { ...sessionQuery, properties: { ...sessionQuery.properties, limit: { type: 'integer', minimum: 1, maximum: 500 } } } } }, async (request, reply) => {
      const session = await findRequestSession(db, request, 'sessions');
      const limit = (request.query as { limit?: number }).limit ?? 100;
      return reply.envelope('SUCCESS', 'Webhook deliveries', await listDeliveries(db, { sessionId: session.id, limit }));
    });

    app.post('/session/webhooks/replay', { schema: { tags: ['Sessions'], summary: 'Deliver one event again, or every failed/dead delivery since a time', body: { type: 'object', properties: { ...sessionQuery.properties, eventId: { type: 'string' }, since: { type: 'integer', minimum: 0 } } } } }, async (request, reply) => {
      const session = await findRequestSession(db, request, 'sessions');
      const { eventId, since } = (request.body ?? {}) as { eventId?: string; since?: number };
      if (eventId && (await getEvent(db, eventId))?.sessionId !== session.id) throw new GatewayError('NOT_FOUND', `Session "${session.id}" has no event ${eventId}`);
      const requeued = eventId ? await replayEvent(db, eventId) : await replayFailedDeliveries(db, { sessionId: session.id, since: since ?? 0 });
      return reply.envelope('SUCCESS', `${requeued} deliveries queued again`, { sessionId: session.id, requeued });
    });
  };
}
