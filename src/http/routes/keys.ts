// Admin routes for user API keys (a Waygate addition; WARest manages users elsewhere): create a key for a
// user — shown once, stored hashed —, list keys, delete a key that owns no sessions.
import type { FastifyPluginAsync } from 'fastify';
import type { UserKeys } from '../../core/auth/user-keys.js';

export function keyRoutes(keys: UserKeys): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { name: string } }>(
      '/keys',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['Keys'],
          summary: 'Create a user API key (shown once)',
          body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } }
        }
      },
      async (request, reply) => reply.envelope('SUCCESS', 'API key created; store it now, it is not shown again', await keys.create(request.body.name))
    );

    app.get('/keys', { config: { auth: 'admin' }, schema: { tags: ['Keys'], summary: 'List API keys' } }, async (_request, reply) =>
      reply.envelope('SUCCESS', 'API keys', await keys.list())
    );

    app.delete<{ Params: { id: string } }>(
      '/keys/:id',
      { config: { auth: 'admin' }, schema: { tags: ['Keys'], summary: 'Delete a user API key' } },
      async (request, reply) => {
        await keys.delete(request.params.id);
        return reply.envelope('SUCCESS', 'API key deleted', { id: request.params.id });
      }
    );
  };
}
