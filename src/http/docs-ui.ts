// The Swagger UI at /docs, built on its first request: an idle gateway does not carry @fastify/swagger-ui and its
// static file server. Routes cannot be added to a running app, so the UI lives in a small Fastify app of its own
// and /docs, /docs/* are handed to it; what it does not serve gets the gateway's own 404.
import type { StaticDocumentSpec } from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Headers of the inner answer that belong to its own (simulated) connection, not to the forwarded one. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

async function buildUi(document: StaticDocumentSpec['document']): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
    import('@fastify/swagger-ui'),
  ]);
  const ui = Fastify({ logger: false });
  // The UI plugin needs @fastify/swagger beside it; its /docs/json is never reached (the gateway answers that).
  await ui.register(swagger, { mode: 'static', specification: { document } });
  await ui.register(swaggerUi, { routePrefix: '/docs' });
  await ui.ready();
  return ui;
}

export function docsUiRoutes(app: FastifyInstance): void {
  let ui: Promise<FastifyInstance> | undefined;
  const loadUi = () =>
    (ui ??= buildUi(app.swagger() as StaticDocumentSpec['document']).catch((err: unknown) => {
      ui = undefined;
      throw err;
    }));
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // Always a GET: for a HEAD, Fastify drops the body of this route's answer and keeps its length.
    const answer = await (await loadUi()).inject({ method: 'GET', url: request.url, headers: request.headers });
    if (answer.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
    }
    return reply.code(answer.statusCode).send(answer.rawPayload.length ? answer.rawPayload : undefined);
  };
  for (const url of ['/docs', '/docs/*']) app.get(url, { schema: { hide: true } }, forward);
  app.addHook('onClose', async () => {
    await ui?.then((built) => built.close(), () => undefined);
  });
}
