// Control route showing an account's app state as its phone read it: each collection's version and the
// decrypted mutations its companions pushed (star, deleteMessageForMe, markChatAsRead, archive, mute…).
import type { FastifyInstance } from 'fastify';
import { accountOrThrow } from './accounts.js';
import type { ControlDeps } from './api.js';

export function appStateRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.get<{ Params: { phone: string }; Querystring: { action?: string } }>(
    '/sandbox/v1/accounts/:phone/app-state',
    { schema: { querystring: { type: 'object', properties: { action: { type: 'string', minLength: 1 } } } } },
    async (request) => {
      const account = accountOrThrow(deps, request.params.phone);
      const { action } = request.query;
      return {
        collections: Object.fromEntries([...account.appState].map(([name, patches]) => [name, patches.length])),
        mutations: account.appStateMutations.filter((mutation) => !action || mutation.index[0] === action)
      };
    }
  );
}
