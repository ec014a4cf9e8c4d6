// The Sessions category (WARest actions 1-8) plus Waygate's additions: the QR as a PNG, access-token rotation,
// the webhook delivery log and replay. Every handler reads its target, makes one call into core and renders it.
import type { FastifyPluginAsync } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import { qrPng } from '../../core/sessions/qr-image.js';
import type { ConfigInput, SessionActions, SessionListFilter } from '../../core/sessions/session-actions.js';
import { SESSION_STATUSES } from '../../engine/types.js';
import type { WebhookActions } from '../../core/webhook-actions/webhook-actions.js';
import { sessionCommand } from '../commands.js';
import { readString } from '../params.js';
import { actionRoute } from '../route-table.js';
import { answer, answerList, succeeded } from '../views/warest/outcome.js';
import { configView, devicesView, openedView, pairCodeView, sessionListView } from '../views/warest/sessions.js';

const sessionQuery = { type: 'object', properties: { sessionId: { type: 'string' }, id: { type: 'string' }, session: { type: 'string' } } };
const TAGS = ['Sessions'];
/** Largest `limit` and `offset` of session/list. */
const MAX_LIST_WINDOW = 100_000;

interface ConfigBody {
  webhookUrl?: string | null;
  webhookSecret?: string | null;
  events?: string[] | null;
  autoStart?: boolean;
  sendIntervalMs?: number | null;
  sendJitterMs?: number | null;
  preflight?: boolean;
  preflightVerify?: boolean;
}

/** `webhookActions`: lists with each delivery the actions its reply asked for (`actions`). */
export function sessionRoutes(sessions: SessionActions, webhookActions?: Pick<WebhookActions, 'withActions'>): FastifyPluginAsync {
  return async (app) => {
    app.route(
      actionRoute('createSession', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => answer(reply, await openedView(await sessions.open(sessionCommand(request, 'sessions'))))
      })
    );

    app.route(
      actionRoute('createPairCode', {
        schema: { querystring: { ...sessionQuery, properties: { ...sessionQuery.properties, phone: { type: 'string' }, pair: { type: 'string' }, pairPhone: { type: 'string' } } } },
        handler: async (request, reply) => {
          const phone = readString(request, ['phone', 'pair', 'pairPhone'], ['query', 'body'])?.replace(/\D/g, '');
          if (!phone || phone.length < 6 || phone.length > 15) throw new GatewayError('MISSING_PARAMETER', 'phone is required: the number to link, digits with country code (e.g. 15550001111)');
          return answer(reply, pairCodeView(await sessions.pairCode(sessionCommand(request, 'sessions'), phone)));
        }
      })
    );

    app.route(
      actionRoute('logout', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => answer(reply, succeeded('Logout success', await sessions.logout(sessionCommand(request, 'sessions'))))
      })
    );

    app.route(
      actionRoute('reconnect', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => {
          await sessions.reconnect(sessionCommand(request, 'sessions'));
          return reply.envelope('SESSION_RECONNECT_SCHEDULED', 'Reconnect scheduled', []);
        }
      })
    );

    app.route(
      actionRoute('devices', {
        schema: { querystring: sessionQuery },
        handler: async (request, reply) => answer(reply, devicesView(await sessions.linkedAccount(sessionCommand(request, 'sessions'))))
      })
    );

    app.route(
      actionRoute('listSessions', {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: [...SESSION_STATUSES], description: 'only sessions in this status (beyond WARest)' },
              offset: { type: 'integer', minimum: 0, maximum: MAX_LIST_WINDOW, description: 'skip this many sessions, oldest first (beyond WARest)' },
              limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_WINDOW, description: 'at most this many sessions (beyond WARest; default: all)' }
            }
          }
        },
        handler: async (request, reply) => answerList(reply, sessionListView(await sessions.list(request.principal, request.query as SessionListFilter)))
      })
    );

    app.route(
      actionRoute('deleteSession', {
        schema: { body: { type: 'object', properties: sessionQuery.properties } },
        handler: async (request, reply) => answer(reply, succeeded('Session deleted', await sessions.delete(sessionCommand(request, 'sessions'))))
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
              sendIntervalMs: { type: ['integer', 'null'], minimum: 0, maximum: 600_000, description: 'minimum pause between two sends of this session (null: WAYGATE_SEND_INTERVAL_MS)' },
              sendJitterMs: { type: ['integer', 'null'], minimum: 0, maximum: 600_000, description: 'random extra pause up to this many ms (null: WAYGATE_SEND_JITTER_MS)' },
              preflight: { type: 'boolean' },
              preflightVerify: { type: 'boolean' }
            }
          }
        },
        handler: async (request, reply) => {
          const body = (request.body ?? {}) as ConfigBody;
          const input: ConfigInput = {
            url: body.webhookUrl,
            secret: body.webhookSecret,
            events: body.events,
            autoStart: body.autoStart,
            sendIntervalMs: body.sendIntervalMs,
            sendJitterMs: body.sendJitterMs,
            preflight: body.preflight || body.preflightVerify
          };
          return answer(reply, configView(await sessions.configure(sessionCommand(request, 'sessions'), input)));
        }
      })
    );

    app.get('/session/qr', { schema: { tags: TAGS, summary: 'The current QR code as a PNG image', querystring: sessionQuery } }, async (request, reply) => {
      const qr = await sessions.currentQr(sessionCommand(request, 'sessions'));
      return reply.type('image/png').header('cache-control', 'no-store').send(await qrPng(qr));
    });

    app.post('/session/token', { schema: { tags: TAGS, summary: "Rotate the session's access token (Wawp instance_id + access_token)", body: { type: 'object', properties: sessionQuery.properties } } }, async (request, reply) => {
      const { sessionId, accessToken } = await sessions.rotateAccessToken(sessionCommand(request, 'sessions'));
      return reply.envelope('SUCCESS', 'Access token rotated; the old one no longer works', { sessionId, instanceId: sessionId, accessToken });
    });

    app.get('/session/webhooks/deliveries', { schema: { tags: TAGS, summary: 'Webhook deliveries of a session, newest first', querystring: { ...sessionQuery, properties: { ...sessionQuery.properties, limit: { type: 'integer', minimum: 1, maximum: 500 } } } } }, async (request, reply) => {
      const limit = (request.query as { limit?: number }).limit ?? 100;
      const deliveries = await sessions.deliveries(sessionCommand(request, 'sessions'), limit);
      return reply.envelope('SUCCESS', 'Webhook deliveries', webhookActions ? await webhookActions.withActions(deliveries) : deliveries);
    });

    app.post('/session/webhooks/replay', { schema: { tags: TAGS, summary: 'Deliver one event again, or every failed/dead delivery since a time', body: { type: 'object', properties: { ...sessionQuery.properties, eventId: { type: 'string' }, since: { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000, description: 'epoch ms' } } } } }, async (request, reply) => {
      const { eventId, since } = (request.body ?? {}) as { eventId?: string; since?: number };
      const { sessionId, requeued } = await sessions.replay(sessionCommand(request, 'sessions'), { eventId, since });
      return reply.envelope('SUCCESS', `${requeued} deliveries queued again`, { sessionId, requeued });
    });
  };
}
