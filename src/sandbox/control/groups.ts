// Control routes for groups: a phone creates a group, joins one by invite code, or acts in one as a human
// would (same rules and notifications as the clients' IQs); and a group's full state for assertions.
// `{id}` is the bare group id or the URL-encoded `…@g.us` JID. Rule violations answer 4xx `{error}`.
import type { FastifyInstance } from 'fastify';
import { ControlError, type ControlDeps } from './api.js';
import { accountOrThrow } from './accounts.js';
import { GroupRuleError } from '../features/groups-rules.js';
import { GROUP_ACTIONS, act, joinAs, toJid, type ActInput, type GroupAction } from '../features/groups-act.js';
import { createGroup } from '../features/groups-queries.js';
import { groupJid, type Group } from '../world/groups.js';

/** Runs a rule-checked change, turning a refusal into the control API's 4xx answer. */
function ruled<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof GroupRuleError) throw new ControlError(error.httpStatus, error.reason);
    throw error;
  }
}

function describeGroup(group: Group) {
  return {
    id: groupJid(group),
    subject: group.subject,
    description: group.description?.text ?? null,
    creator: group.creator.phone,
    addressingMode: group.addressingMode,
    settings: {
      announce: group.announce,
      locked: group.locked,
      joinApproval: group.joinApproval,
      memberAddMode: group.memberAddMode,
      ephemeral: group.ephemeral
    },
    inviteCode: group.inviteCode,
    revokedCodes: group.revokedCodes,
    members: [...group.members.values()].map(({ account, role }) => ({ phone: account.phone, jid: account.pnJid, lid: account.lidJid, role })),
    pendingRequests: [...group.requests.values()].map(({ account, requestedAt, method }) => ({ phone: account.phone, jid: account.pnJid, requestedAt, method }))
  };
}

const who = { type: 'string', minLength: 6, maxLength: 80 } as const;

export function groupRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { network } = deps;

  app.post<{ Params: { phone: string }; Body: { subject: string; participants?: string[]; addressingMode?: 'lid' | 'pn' } }>(
    '/sandbox/v1/accounts/:phone/groups',
    {
      schema: {
        body: {
          type: 'object',
          required: ['subject'],
          properties: {
            subject: { type: 'string', minLength: 1 },
            participants: { type: 'array', items: who, maxItems: 1024 },
            addressingMode: { type: 'string', enum: ['lid', 'pn'] }
          }
        }
      }
    },
    async (request, reply) => {
      const creator = accountOrThrow(deps, request.params.phone);
      const { subject, participants = [], addressingMode } = request.body;
      const group = ruled(() => createGroup(network, creator, subject, participants.map(toJid), addressingMode ? { addressingMode } : {}));
      return reply.status(201).send({ id: groupJid(group) });
    }
  );

  app.get<{ Params: { id: string } }>('/sandbox/v1/groups/:id', async (request) => {
    const group = network.groups.get(request.params.id);
    if (!group) throw new ControlError(404, `no group ${request.params.id}`);
    return describeGroup(group);
  });

  app.post<{ Params: { id: string }; Body: { phone: string; code: string } }>(
    '/sandbox/v1/groups/:id/join',
    { schema: { body: { type: 'object', required: ['phone', 'code'], properties: { phone: who, code: { type: 'string', minLength: 1 } } } } },
    async (request) => ({ status: ruled(() => joinAs(network, request.params.id, request.body.phone, request.body.code)).status })
  );

  app.post<{ Params: { id: string }; Body: ActInput & { as: string; action: GroupAction } }>(
    '/sandbox/v1/groups/:id/actions',
    {
      schema: {
        body: {
          type: 'object',
          required: ['as', 'action'],
          properties: {
            as: who,
            action: { type: 'string', enum: [...GROUP_ACTIONS] },
            participants: { type: 'array', items: who, minItems: 1, maxItems: 1024 },
            // untyped on purpose: schema coercion would turn true into "true"; act() checks it per action
            value: {}
          }
        }
      }
    },
    async (request) => {
      const { as, action, ...input } = request.body;
      return ruled(() => act(network, request.params.id, as, action, input));
    }
  );
}
