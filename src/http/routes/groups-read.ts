// Group reads: the session's groups, one group's info and participants, and its pending join requests.
import type { FastifyInstance } from 'fastify';
import { groupCommand, sessionCommand } from '../commands.js';
import { actionRoute } from '../route-table.js';
import { groupInfoView, groupsView, joinRequestsView, participantsView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';
import { fields, GROUP_FIELDS, type GroupRoutesContext } from './groups-http.js';

export function registerGroupReadRoutes(app: FastifyInstance, { groups }: GroupRoutesContext): void {
  app.route(
    actionRoute('listGroups', {
      schema: { querystring: fields() },
      handler: async (request, reply) => answer(reply, groupsView(await groups.list(sessionCommand(request, 'groups'))))
    })
  );

  const groupQuery = { querystring: fields(GROUP_FIELDS) };
  app.route(
    actionRoute('getGroupInfo', {
      schema: groupQuery,
      handler: async (request, reply) => answer(reply, groupInfoView(await groups.info(groupCommand(request))))
    })
  );
  app.route(
    actionRoute('getGroupParticipants', {
      schema: groupQuery,
      handler: async (request, reply) => answer(reply, participantsView(await groups.participants(groupCommand(request))))
    })
  );
  app.route(
    actionRoute('listJoinRequests', {
      schema: groupQuery,
      handler: async (request, reply) => answer(reply, joinRequestsView(await groups.joinRequests(groupCommand(request))))
    })
  );
}
