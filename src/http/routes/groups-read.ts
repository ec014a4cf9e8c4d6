// Group reads: the session's groups, one group's info and participants, and its pending join requests.
import type { FastifyInstance } from 'fastify';
import { groupContext, sessionContext } from '../../core/groups/group-context.js';
import { groupInfo, listGroups, listJoinRequests, listParticipants } from '../../core/groups/group-reads.js';
import { actionRoute } from '../route-table.js';
import { answer, fields, GROUP_FIELDS, type GroupRoutesContext } from './groups-http.js';

export function registerGroupReadRoutes(app: FastifyInstance, { group }: GroupRoutesContext): void {
  app.route(
    actionRoute('listGroups', {
      schema: { querystring: fields() },
      handler: async (request, reply) => answer(reply, await listGroups(await sessionContext(group, request)))
    })
  );

  const groupQuery = { querystring: fields(GROUP_FIELDS) };
  const reads = [
    ['getGroupInfo', groupInfo],
    ['getGroupParticipants', listParticipants],
    ['listJoinRequests', listJoinRequests]
  ] as const;
  for (const [operation, read] of reads) {
    app.route(
      actionRoute(operation, {
        schema: groupQuery,
        handler: async (request, reply) => answer(reply, await read(await groupContext(group, request)))
      })
    );
  }
}
