// Creating, leaving and disbanding (deleting) groups.
import type { FastifyInstance } from 'fastify';
import { groupContext, sessionContext } from '../../core/groups/group-context.js';
import { createGroup, disbandGroup, leaveGroup } from '../../core/groups/group-lifecycle.js';
import { actionRoute } from '../route-table.js';
import { answer, fields, GROUP_FIELDS, NAME_FIELDS, NAME_KEYS, PARTICIPANTS, readParticipants, requiredText, type GroupRoutesContext } from './groups-http.js';

export function registerGroupLifecycleRoutes(app: FastifyInstance, { group, phones }: GroupRoutesContext): void {
  app.route(
    actionRoute('createGroup', {
      schema: { body: fields({ ...NAME_FIELDS, participants: PARTICIPANTS }) },
      handler: async (request, reply) => {
        const name = requiredText(request, NAME_KEYS, 'the name of the new group, at most 100 characters');
        const participants = readParticipants(request, { ...phones, allowEmpty: true });
        return answer(reply, await createGroup(await sessionContext(group, request), name, participants));
      }
    })
  );

  const groupBody = { body: fields(GROUP_FIELDS) };
  app.route(
    actionRoute('leaveGroup', {
      schema: groupBody,
      handler: async (request, reply) => answer(reply, await leaveGroup(await groupContext(group, request)))
    })
  );
  app.route(
    actionRoute('deleteGroup', {
      schema: groupBody,
      handler: async (request, reply) => answer(reply, await disbandGroup(await groupContext(group, request)))
    })
  );
}
