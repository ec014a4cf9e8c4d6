// Read routes the dashboard needs beyond WARest's: a session's send queue by state, and the delivery attempts
// of one webhook event with the body they POSTed.
import type { FastifyPluginAsync } from 'fastify';
import type { SessionActivity } from '../../core/sessions/session-activity.js';
import { sessionCommand } from '../commands.js';
import { commaList } from '../params.js';

const TAGS = ['Sessions'];
const sessionId = { type: 'string' } as const;

export function sessionActivityRoutes(activity: SessionActivity): FastifyPluginAsync {
  return async (app) => {
    app.get('/session/queue', { schema: { tags: TAGS, summary: "The session's sends by state (queued, sending, sent, failed)", querystring: { type: 'object', properties: { sessionId } } } }, async (request, reply) =>
      reply.envelope('SUCCESS', 'Send queue', await activity.sendQueue(sessionCommand(request, 'sessions'))),
    );

    app.get<{ Querystring: { state?: string; event?: string; limit?: number } }>(
      '/session/webhooks/log',
      {
        schema: {
          tags: TAGS,
          summary: "The session's webhook deliveries, newest first, with each event's name; filter by state and event",
          querystring: {
            type: 'object',
            properties: {
              sessionId,
              state: { type: 'string', maxLength: 200, description: 'comma-separated: pending, in_flight, delivered, failed, dead' },
              event: { type: 'string', maxLength: 2000, description: 'comma-separated event names or WARest tags' },
              limit: { type: 'integer', minimum: 1, maximum: 500 },
            },
          },
        },
      },
      async (request, reply) => {
        const { state, event, limit = 100 } = request.query;
        const deliveries = await activity.deliveries(sessionCommand(request, 'sessions'), { states: commaList(state), events: commaList(event), limit });
        return reply.envelope('SUCCESS', 'Webhook deliveries', deliveries);
      },
    );

    app.get<{ Querystring: { eventId: string } }>(
      '/session/webhooks/attempts',
      {
        schema: {
          tags: TAGS,
          summary: "One event's webhook delivery attempts, oldest first, with the body they sent",
          querystring: { type: 'object', required: ['eventId'], properties: { sessionId, eventId: { type: 'string', maxLength: 100 } } },
        },
      },
      async (request, reply) => {
        const { event, ...rest } = await activity.deliveryAttempts(sessionCommand(request, 'sessions'), request.query.eventId);
        return reply.envelope('SUCCESS', 'Delivery attempts', { ...rest, event: { id: event.id, body: JSON.parse(event.body) as unknown } });
      },
    );
  };
}
