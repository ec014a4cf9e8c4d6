// Admin routes for user API keys (a Waygate addition; WARest manages users elsewhere): create a key for a
// user — shown once, stored hashed —, list keys, delete a key that owns no sessions.
import type { FastifyPluginAsync } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import { ADMIN_KEY_ID } from '../../core/auth/admin-key.js';
import { hashSecret, newSecret } from '../../core/auth/secrets.js';
import type { Db } from '../../store/database.js';
import { createApiKey, deleteApiKey, listApiKeys } from '../../store/repos/api-keys.js';
import { ReferenceViolationError } from '../../store/errors.js';

export function keyRoutes(db: Db, onKeyDeleted: () => void): FastifyPluginAsync {
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
      async (request, reply) => {
        const key = newSecret('user');
        const created = await createApiKey(db, { name: request.body.name, keyHash: hashSecret(key) });
        return reply.envelope('SUCCESS', 'API key created; store it now, it is not shown again', { ...created, key });
      }
    );

    app.get('/keys', { config: { auth: 'admin' }, schema: { tags: ['Keys'], summary: 'List API keys' } }, async (_request, reply) =>
      reply.envelope('SUCCESS', 'API keys', await listApiKeys(db))
    );

    app.delete<{ Params: { id: string } }>(
      '/keys/:id',
      { config: { auth: 'admin' }, schema: { tags: ['Keys'], summary: 'Delete a user API key' } },
      async (request, reply) => {
        if (request.params.id === ADMIN_KEY_ID) throw new GatewayError('INVALID_STATE', 'The admin key cannot be deleted; change WAYGATE_ADMIN_KEY instead');
        try {
          if (!(await deleteApiKey(db, request.params.id))) throw new GatewayError('NOT_FOUND', `No API key with id ${request.params.id}`);
          onKeyDeleted();
        } catch (err) {
          if (err instanceof ReferenceViolationError) throw new GatewayError('CONFLICT', 'This key still owns sessions; delete them first');
          throw err;
        }
        return reply.envelope('SUCCESS', 'API key deleted', { id: request.params.id });
      }
    );
  };
}
