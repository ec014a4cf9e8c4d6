// The live event stream (Server-Sent Events) and a session's recent events: the push channel the dashboard
// uses, also offered to API clients (WARest offers socket.io instead). Authenticated like the API; every
// event is sent in the webhook's canonical shape with its stable id, and Last-Event-ID resumes.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { EventFeed } from '../../core/events/event-feed.js';
import type { LiveEvent } from '../../events/live-stream.js';
import { sessionCommand } from '../commands.js';
import { commaList } from '../params.js';

const TAGS = ['Events'];
/** Comment lines at this interval keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** How long a client waits before reconnecting after the stream drops. */
const RETRY_MS = 2000;

const streamQuery = {
  type: 'object',
  properties: {
    sessionId: { type: 'string', description: 'only this session (default: every session the key may see)' },
    events: { type: 'string', maxLength: 2000, description: 'comma-separated event names or WARest tags (default: all)' },
  },
} as const;

function frame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.tag}\ndata: ${event.body}\n\n`;
}

/** Writes, waiting for the socket to drain when the client reads slowly. */
function writer(raw: ServerResponse): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise((resolve) => {
      if (raw.write(chunk) || raw.destroyed) return resolve();
      const done = () => {
        raw.off('drain', done);
        raw.off('close', done);
        resolve();
      };
      raw.on('drain', done);
      raw.on('close', done);
    });
}

export function eventRoutes(feed: EventFeed): FastifyPluginAsync {
  return async (app) => {
    const open = new Set<FastifyReply>();
    // Streams never end on their own: close them so the server can stop.
    app.addHook('preClose', async () => {
      for (const reply of open) reply.raw.end();
    });

    app.get<{ Querystring: { sessionId?: string; events?: string } }>(
      '/events/stream',
      {
        schema: {
          tags: TAGS,
          summary: 'Live events (Server-Sent Events)',
          description:
            'Each event: `id` (the stable event id), `event` (the WARest tag), `data` (the webhook body). Send `Last-Event-ID` to resume after that event. Comment lines keep the connection alive.',
          querystring: streamQuery,
          headers: { type: 'object', properties: { 'last-event-id': { type: 'string', maxLength: 100 } } },
        },
      },
      async (request, reply) => {
        const events = commaList(request.query.events);
        const lastEventId = (request.headers['last-event-id'] as string | undefined)?.trim() || null;
        const opened = await feed.open({ ...sessionCommand(request, 'sessions'), events, lastEventId });

        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          // nginx buffers responses unless told not to.
          'x-accel-buffering': 'no',
        });
        const write = writer(raw);
        void write(`retry: ${RETRY_MS}\n: connected\n\n`);
        const stream = opened.follow({
          send: (event) => write(frame(event)),
          onError: (error) => {
            request.log.warn({ err: error }, 'event stream stopped: the event log could not be read');
            raw.end();
          },
        });
        const heartbeat = setInterval(() => void write(': keep-alive\n\n'), HEARTBEAT_MS);
        open.add(reply);
        raw.on('close', () => {
          open.delete(reply);
          clearInterval(heartbeat);
          stream.stop();
        });
      },
    );

    app.get<{ Querystring: { sessionId?: string; limit?: number } }>(
      '/events/recent',
      {
        schema: {
          tags: TAGS,
          summary: "A session's newest events, newest first, in the webhook's canonical shape",
          querystring: { type: 'object', properties: { sessionId: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 500 } } },
        },
      },
      async (request, reply) => {
        const recent = await feed.recent(sessionCommand(request, 'sessions'), request.query.limit ?? 50);
        return reply.envelope('SUCCESS', 'Recent events', recent.map((event) => ({ id: event.id, ...(JSON.parse(event.body) as object) })));
      },
    );
  };
}
