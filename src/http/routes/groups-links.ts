// Invite links: a group's current link (admins; read through the invites capability, which keeps the lineage),
// previewing the group behind a link, joining through one. Revoking is the invites capability's route.
import type { FastifyInstance } from 'fastify';
import { groupCommand, sessionCommand } from '../commands.js';
import { readInviteCode } from '../params.js';
import { actionRoute } from '../route-table.js';
import { inviteLinkView, joinView, previewView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';
import { fields, GROUP_FIELDS, TEXT, type GroupRoutesContext } from './groups-http.js';

const INVITE_FIELDS = { inviteLink: { type: 'string', description: 'https://chat.whatsapp.com/<code> or the code; aliases link, code' }, link: TEXT, code: TEXT };

export function registerGroupLinkRoutes(app: FastifyInstance, { groups, invites }: GroupRoutesContext): void {
  app.route(
    actionRoute('getGroupInvite', {
      schema: { querystring: fields(GROUP_FIELDS) },
      handler: async (request, reply) => answer(reply, inviteLinkView(await invites.currentCode(groupCommand(request))))
    })
  );
  app.route(
    actionRoute('joinGroupByLink', {
      schema: { body: fields(INVITE_FIELDS) },
      handler: async (request, reply) => answer(reply, joinView(await groups.joinByLink(sessionCommand(request, 'groups'), readInviteCode(request))))
    })
  );
  app.route(
    actionRoute('previewGroupByLink', {
      schema: { querystring: fields(INVITE_FIELDS) },
      handler: async (request, reply) => answer(reply, previewView(await groups.previewLink(sessionCommand(request, 'groups'), readInviteCode(request))))
    })
  );
}
