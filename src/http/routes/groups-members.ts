// Changing a group's people: add, remove, promote, demote, and deciding join requests, all through the one
// participants handler of core.
import type { FastifyInstance } from 'fastify';
import { groupContext } from '../../core/groups/group-context.js';
import { changeParticipants, type ParticipantAction } from '../../core/groups/group-participants.js';
import { actionRoute, type ApiOperation } from '../route-table.js';
import { answer, fields, GROUP_FIELDS, PARTICIPANTS, readParticipants, type GroupRoutesContext } from './groups-http.js';

const ROUTES: readonly (readonly [ApiOperation, ParticipantAction])[] = [
  ['addGroupParticipants', 'add'],
  ['removeGroupParticipants', 'remove'],
  ['promoteGroupParticipants', 'promote'],
  ['demoteGroupParticipants', 'demote'],
  ['approveJoinRequest', 'approve'],
  ['rejectJoinRequest', 'reject']
];

export function registerGroupMemberRoutes(app: FastifyInstance, { group, phones }: GroupRoutesContext): void {
  for (const [operation, action] of ROUTES) {
    app.route(
      actionRoute(operation, {
        schema: { body: fields({ ...GROUP_FIELDS, participants: PARTICIPANTS }) },
        handler: async (request, reply) => {
          const participants = readParticipants(request, phones);
          return answer(reply, await changeParticipants(await groupContext(group, request), action, participants));
        }
      })
    );
  }
}
