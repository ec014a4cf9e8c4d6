// Creating, leaving and disbanding (deleting) groups.
import type { FastifyInstance } from 'fastify';
import { groupCommand, sessionCommand } from '../commands.js';
import { actionRoute } from '../route-table.js';
import { createdView, disbandedView, leftView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';
import { fields, GROUP_FIELDS, NAME_FIELDS, NAME_KEYS, PARTICIPANTS, readParticipants, requiredText, type GroupRoutesContext } from './groups-http.js';

export function registerGroupLifecycleRoutes(app: FastifyInstance, { groups, phones }: GroupRoutesContext): void {
  app.route(
    actionRoute('createGroup', {
      schema: { body: fields({ ...NAME_FIELDS, participants: PARTICIPANTS }) },
      handler: async (request, reply) => {
        const name = requiredText(request, NAME_KEYS, 'the name of the new group, at most 100 characters');
        const participants = readParticipants(request, { ...phones, allowEmpty: true });
        return answer(reply, createdView(await groups.create(sessionCommand(request, 'groups'), name, participants)));
      }
    })
  );

  const groupBody = { body: fields(GROUP_FIELDS) };
  app.route(
    actionRoute('leaveGroup', {
      schema: groupBody,
      handler: async (request, reply) => answer(reply, leftView(await groups.leave(groupCommand(request))))
    })
  );
  app.route(
    actionRoute('deleteGroup', {
      schema: groupBody,
      handler: async (request, reply) => answer(reply, disbandedView(await groups.disband(groupCommand(request))))
    })
  );
}
