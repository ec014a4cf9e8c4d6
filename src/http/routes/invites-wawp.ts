// The Wawp-compatible invite routes (registered with prefix ''): read the code, revoke it (group in the path, or
// `group_id` in the body), and its history. Callers authenticate with `instance_id` + `access_token` (query, JSON
// body or `access-token` header) or an API key with `instance_id`; answers are bare JSON, errors Wawp-shaped.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import { inviteLink } from '../../core/invites/ledger.js';
import type { GroupCommand } from '../../core/groups/group-context.js';
import type { InviteGovernance } from '../../core/invites/invite-governance.js';
import { sessionCommand } from '../commands.js';
import { normalizeGroupId, readString } from '../params.js';
import { forceRequested } from './invites.js';
import { wawpErrorHandler } from './invites-wawp-errors.js';

const TAGS = ['Wawp'];
const WAWP_FIELDS = { instance_id: { type: 'string' }, access_token: { type: 'string' }, group_id: { type: 'string' }, id: { type: 'string' } };
const pathSchema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;

/** Wawp names the session `instance_id` and the group `id` (path) or `group_id` (body). */
function wawpCommand(request: FastifyRequest, rawGroupId: string | undefined): GroupCommand {
  if (!rawGroupId) throw new GatewayError('MISSING_PARAMETER', 'the group id is required: put it in the path or send group_id, e.g. 120363012345678901@g.us');
  const groupId = normalizeGroupId(rawGroupId);
  const command = sessionCommand(request, 'wawp');
  if (command.session.sessionId === undefined && request.principal?.kind !== 'session') {
    throw new GatewayError('MISSING_PARAMETER', 'instance_id is required: send it in the query string or the JSON body');
  }
  return { ...command, groupId };
}

export function wawpInviteRoutes(invites: InviteGovernance): FastifyPluginAsync {
  const revoke = async (request: FastifyRequest, rawGroupId: string | undefined) => {
    const { code } = await invites.revoke({ ...wawpCommand(request, rawGroupId), force: forceRequested(request) });
    return { code, inviteLink: inviteLink(code) };
  };

  return async (app) => {
    app.setErrorHandler(wawpErrorHandler);

    app.get<{ Params: { id: string } }>(
      '/v2/groups/:id/invite-code',
      { schema: { tags: TAGS, summary: 'Get the invite code (Wawp)', params: pathSchema, querystring: { type: 'object', properties: WAWP_FIELDS } } },
      async (request) => {
        const { code } = await invites.currentCode(wawpCommand(request, request.params.id));
        return { code, inviteLink: inviteLink(code) };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/v2/groups/:id/invite-code/revoke',
      { schema: { tags: TAGS, summary: 'Revoke the invite code (Wawp)', params: pathSchema, body: { type: 'object', properties: { ...WAWP_FIELDS, force: { type: 'boolean' } } } } },
      (request) => revoke(request, request.params.id),
    );

    app.post(
      '/v2/groups/invite-code/revoke',
      { schema: { tags: TAGS, summary: 'Revoke the invite code, group in the body (Wawp)', body: { type: 'object', properties: { ...WAWP_FIELDS, force: { type: 'boolean' } } } } },
      (request) => revoke(request, readString(request, ['group_id', 'id'])),
    );

    app.get<{ Params: { id: string } }>(
      '/v2/groups/:id/invite-code/history',
      { schema: { tags: TAGS, summary: 'Invite code history (Waygate addition in Wawp style)', params: pathSchema, querystring: { type: 'object', properties: WAWP_FIELDS } } },
      async (request) => invites.history(wawpCommand(request, request.params.id)),
    );
  };
}
