// Control routes for network trouble and debugging: drop a device's socket, refuse connections for a while,
// delay or fail one kind of query, make a phone lose its Signal sessions or ask for a message again, clear faults,
// and read the recorded stanza exchange.
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './api.js';
import { ControlError } from './api.js';
import { accountOrThrow } from './accounts.js';
import { askAgainFor } from '../routing/phone-retry-request.js';

type FaultBody =
  | { type: 'drop'; device: string }
  | { type: 'refuse'; seconds: number }
  | { type: 'forget-sessions'; phone: string }
  | { type: 'ask-again'; phone: string; messageId: string }
  | { type: 'delay-query' | 'fail-query'; query: string; ms?: number; code?: number; text?: string; count?: number };

export function faultRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { network } = deps;
  app.post<{ Body: FaultBody }>(
    '/sandbox/v1/faults',
    {
      schema: {
        body: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: ['drop', 'refuse', 'forget-sessions', 'ask-again', 'delay-query', 'fail-query'] },
            phone: { type: 'string' },
            messageId: { type: 'string', minLength: 1 },
            device: { type: 'string' },
            seconds: { type: 'number', minimum: 0, maximum: 3600 },
            query: { type: 'string', minLength: 1 },
            ms: { type: 'integer', minimum: 0, maximum: 600000 },
            code: { type: 'integer', minimum: 100, maximum: 599 },
            text: { type: 'string' },
            count: { type: 'integer', minimum: 1, maximum: 1000 }
          }
        }
      }
    },
    async (request) => {
      const body = request.body;
      switch (body.type) {
        case 'drop': {
          const address = body.device ? network.accounts.resolve(body.device) : undefined;
          const companion = address?.account.activeCompanion(address.device);
          const conn = companion && network.connectionOf(companion);
          if (!conn) throw new ControlError(404, `device ${body.device} is not connected (give a device JID like 15550001111:1@s.whatsapp.net)`);
          conn.drop();
          return { dropped: body.device };
        }
        case 'refuse':
          if (body.seconds === undefined) throw new ControlError(400, 'refuse needs seconds');
          network.faults.refuseConnections(body.seconds);
          return { refusingFor: body.seconds };
        case 'forget-sessions':
          if (!body.phone) throw new ControlError(400, 'forget-sessions needs phone, the account whose phone loses its sessions');
          accountOrThrow(deps, body.phone).phoneParty.forgetSessions();
          return { forgotSessions: body.phone };
        case 'ask-again': {
          if (!body.phone || !body.messageId) throw new ControlError(400, 'ask-again needs phone and messageId: the phone asks the sender of a message it received to send it again');
          if (!(await askAgainFor(network, accountOrThrow(deps, body.phone), body.messageId))) {
            throw new ControlError(404, `phone ${body.phone} has not received a message ${body.messageId} from another account`);
          }
          return { askedAgain: body.messageId };
        }
        default: {
          if (!body.query) throw new ControlError(400, `${body.type} needs query, an IQ namespace such as "w:g2" or "w:g2:invite"`);
          network.faults.addQueryFault({
            query: body.query,
            count: body.count ?? 1,
            ...(body.type === 'delay-query' ? { delayMs: body.ms ?? 1000 } : { error: { code: body.code ?? 500, text: body.text ?? 'internal-server-error' } })
          });
          return { query: body.query, type: body.type };
        }
      }
    }
  );

  app.delete('/sandbox/v1/faults', async () => {
    network.faults.clear();
    return { cleared: true };
  });

  app.get<{ Querystring: { device?: string; limit?: number } }>(
    '/sandbox/v1/stanzas',
    { schema: { querystring: { type: 'object', properties: { device: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 20000 } } } } },
    async (request) => ({ stanzas: network.recorder.list(request.query) })
  );
}
