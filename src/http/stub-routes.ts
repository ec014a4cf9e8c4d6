// Answers every table action nobody has implemented yet with 501 NOT_IMPLEMENTED in the envelope, so the n8n node
// sees the whole API surface from day one. Registered after all route modules: a real route for the same method
// and path already exists by then and its stub is skipped.
import type { FastifyInstance } from 'fastify';
import { actionRoute, API_ACTIONS, API_PREFIX, type ApiAction } from './route-table.js';

function fieldsSchema(fields: string[]) {
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((name) => [name, { description: 'sent by the WARest n8n node' }])),
  };
}

function stubSchema(action: ApiAction) {
  const fields = fieldsSchema(action.fields);
  return {
    ...(action.method === 'GET' ? { querystring: fields } : { body: fields }),
    ...(action.pathParams.length > 0 && {
      params: {
        type: 'object',
        required: action.pathParams,
        properties: Object.fromEntries(action.pathParams.map((name) => [name, { type: 'string' }])),
      },
    }),
    description: 'Not implemented yet: answers 501 NOT_IMPLEMENTED.',
  };
}

/** Register a 501 stub for each table action without a route. Call last, after every route module. */
export async function registerStubRoutes(app: FastifyInstance): Promise<void> {
  for (const action of API_ACTIONS) {
    if (app.hasRoute({ method: action.method, url: API_PREFIX + action.path })) continue;
    const route = actionRoute(action.operation, {
      schema: stubSchema(action),
      handler: async (_request, reply) => reply.envelope('NOT_IMPLEMENTED', `${action.action} is not implemented yet`),
    });
    app.route({ ...route, url: API_PREFIX + route.url });
  }
}
