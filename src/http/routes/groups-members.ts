// Changing a group's people: add, remove, promote, demote, and deciding join requests, all through the one
// participants action of core.
import type { FastifyInstance } from 'fastify';
import type { ParticipantAction } from '../../core/groups/group-participants.js';
import { groupCommand } from '../commands.js';
import { actionRoute, type ApiOperation } from '../route-table.js';
import { participantsChangedView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';
import { fields, GROUP_FIELDS, PARTICIPANTS, readParticipants, type GroupRoutesContext } from './groups-http.js';

const ROUTES: readonly (readonly [ApiOperation, ParticipantAction])[] = [
  ['addGroupParticipants', 'add'],
  ['removeGroupParticipants', 'remove'],
  ['promoteGroupParticipants', 'promote'],
  ['demoteGroupParticipants', 'demote'],
  ['approveJoinRequest', 'approve'],
  ['rejectJoinRequest', 'reject']
];

export function registerGroupMemberRoutes(app: FastifyInstance, { groups, phones }: GroupRoutesContext): void {
  for (const [operation, action] of ROUTES) {
    app.route(
      actionRoute(operation, {
        schema: { body: fields({ ...GROUP_FIELDS, participants: PARTICIPANTS }) },
        handler: async (request, reply) => {
          const participants = readParticipants(request, phones);
          return answer(reply, participantsChangedView(await groups.changeParticipants(groupCommand(request), action, participants)));
        }
      })
    );
  }
}
