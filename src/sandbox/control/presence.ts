// Control route for a simulated phone's presence: going online/offline (seen by subscribed devices) and
// typing, recording or pausing in a chat.
import type { FastifyInstance } from 'fastify';
import { chatStateNode, sendChatState, setPresence, type ChatState } from '../routing/presence.js';
import { accountOrThrow } from './accounts.js';
import { ControlError, type ControlDeps } from './api.js';
import { chatJid } from './message-content.js';

type PresenceBody = { type: 'available' | 'unavailable' | ChatState; to?: string };

export function presenceRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.post<{ Params: { phone: string }; Body: PresenceBody }>(
    '/sandbox/v1/accounts/:phone/presence',
    {
      schema: {
        body: {
          type: 'object',
          required: ['type'],
          properties: { type: { type: 'string', enum: ['available', 'unavailable', 'composing', 'paused', 'recording'] }, to: { type: 'string', minLength: 1 } }
        }
      }
    },
    async (request) => {
      const account = accountOrThrow(deps, request.params.phone);
      const { type, to } = request.body;
      if (type === 'available' || type === 'unavailable') {
        setPresence(deps.network, account, type);
        return { presence: type };
      }
      if (!to) throw new ControlError(400, `${type} is a chat state: give "to", the phone number, JID or group JID of the chat`);
      sendChatState(deps.network, { account, device: 0 }, chatJid(deps.network, to), chatStateNode(type));
      return { chatstate: type, to };
    }
  );
}
