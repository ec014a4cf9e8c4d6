// Invite governance in the WARest API: Revoke Invite Link (the table action, admin check first, chatter guard,
// the new code in the answer), and Waygate's additions under /group/invite: the code history and the policies.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import type { InviteGovernance } from '../../core/invites/invite-governance.js';
import { describePolicy, POLICY_PROPERTIES, type PolicyInput } from '../../core/invites/policy-input.js';
import { groupCommand } from '../commands.js';
import { field } from '../credentials.js';
import type { RequestParts } from '../params.js';
import { actionRoute } from '../route-table.js';
import { revokedView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';

const text = { type: 'string' } as const;
/** The WARest session and group keys (api-compat §2.2, §2.3) and Wawp credentials a body may carry. */
const TARGET_FIELDS = {
  sessionId: text, sessionid: text, id: text, session: text, phone: text, number: text, user: text, msisdn: text, phonenumber: text,
  groupId: text, gid: text, group: text, instance_id: text, access_token: text,
};
const targetSchema = { type: 'object', properties: TARGET_FIELDS } as const;
const TAGS = ['Invites'];

const POLICY_BODY_FIELDS = new Set([...Object.keys(TARGET_FIELDS), ...Object.keys(POLICY_PROPERTIES)]);
const BREAKER_FIELDS = new Set(Object.keys(POLICY_PROPERTIES.floodBreaker.properties));

/**
 * Rejects fields the policy does not know (e.g. `rotate_every`) before schema validation, which would drop them
 * silently (Fastify's Ajv removes additional properties) and leave the caller believing they were applied.
 */
async function rejectUnknownPolicyFields(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const breaker = field(body, 'floodBreaker');
  const unknown = [
    ...Object.keys(body).filter((key) => !POLICY_BODY_FIELDS.has(key)).map((key) => `body/${key}`),
    ...(breaker && typeof breaker === 'object' ? Object.keys(breaker).filter((key) => !BREAKER_FIELDS.has(key)).map((key) => `body/floodBreaker/${key}`) : []),
  ];
  if (unknown.length) {
    throw new GatewayError('INVALID_PARAMETER', `${unknown.join(', ')} is not an accepted field; policy fields are ${Object.keys(POLICY_PROPERTIES).join(', ')}`);
  }
}

/** `force` from the JSON body (true) or the query string ("true"). */
export function forceRequested(request: RequestParts): boolean {
  const raw = field(request.body, 'force') ?? field(request.query, 'force');
  return raw === true || raw === 'true';
}

export function inviteRoutes(invites: InviteGovernance): FastifyPluginAsync {
  return async (app) => {
    app.route(
      actionRoute('revokeGroupInvite', {
        schema: {
          description: 'Revokes the link (our number must be an admin) and answers the new one. At most one revoke per group every WAYGATE_INVITE_MIN_INTERVAL seconds; the admin key may send force: true.',
          body: { type: 'object', properties: { ...TARGET_FIELDS, force: { type: 'boolean' } } },
        },
        handler: async (request, reply) => answer(reply, revokedView(await invites.revoke({ ...groupCommand(request), force: forceRequested(request) }))),
      }),
    );

    app.get('/group/invite/history', { schema: { tags: TAGS, summary: 'Invite code history of a group', querystring: targetSchema } }, async (request, reply) =>
      reply.envelope('SUCCESS', 'Invite link history', await invites.history(groupCommand(request))),
    );

    app.get('/group/invite/policy', { schema: { tags: TAGS, summary: 'Invite policy of a group', querystring: targetSchema } }, async (request, reply) =>
      reply.envelope('SUCCESS', 'Invite policy', describePolicy(await invites.policy(groupCommand(request)))),
    );

    app.post<{ Body: PolicyInput }>(
      '/group/invite/policy',
      {
        schema: {
          tags: TAGS,
          summary: 'Create or update the invite policy of a group',
          description: 'Fields left out keep their value, null removes a rule. Saving re-enables a disabled policy.',
          body: { type: 'object', properties: { ...TARGET_FIELDS, ...POLICY_PROPERTIES } },
        },
        preValidation: rejectUnknownPolicyFields,
      },
      async (request, reply) => reply.envelope('SUCCESS', 'Invite policy saved', describePolicy(await invites.savePolicy(groupCommand(request), request.body))),
    );

    app.delete('/group/invite/policy', { schema: { tags: TAGS, summary: 'Remove the invite policy of a group', body: targetSchema } }, async (request, reply) =>
      reply.envelope('SUCCESS', 'Invite policy removed', await invites.deletePolicy(groupCommand(request))),
    );
  };
}
