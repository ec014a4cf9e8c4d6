// Invite links: a group's current link (admins), previewing the group behind a link, joining through one.
// Revoking is the invites capability's route.
import type { FastifyInstance } from 'fastify';
import { groupContext, sessionContext } from '../../core/groups/group-context.js';
import { getInviteLink, joinViaInviteLink, previewInviteLink } from '../../core/groups/group-invite-links.js';
import { readInviteCode } from '../params.js';
import { actionRoute } from '../route-table.js';
import { answer, fields, GROUP_FIELDS, TEXT, type GroupRoutesContext } from './groups-http.js';

const INVITE_FIELDS = { inviteLink: { type: 'string', description: 'https://chat.whatsapp.com/<code> or the code; aliases link, code' }, link: TEXT, code: TEXT };

export function registerGroupLinkRoutes(app: FastifyInstance, { group, invites }: GroupRoutesContext): void {
  app.route(
    actionRoute('getGroupInvite', {
      schema: { querystring: fields(GROUP_FIELDS) },
      handler: async (request, reply) => answer(reply, await getInviteLink(await groupContext(group, request), invites))
    })
  );

  // WARest looks the session up before reading the link when joining, and after it when previewing.
  app.route(
    actionRoute('joinGroupByLink', {
      schema: { body: fields(INVITE_FIELDS) },
      handler: async (request, reply) => {
        const ctx = await sessionContext(group, request);
        return answer(reply, await joinViaInviteLink(ctx, readInviteCode(request)));
      }
    })
  );
  app.route(
    actionRoute('previewGroupByLink', {
      schema: { querystring: fields(INVITE_FIELDS) },
      handler: async (request, reply) => {
        const code = readInviteCode(request);
        return answer(reply, await previewInviteLink(await sessionContext(group, request), code));
      }
    })
  );
}
