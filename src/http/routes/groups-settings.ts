// Group settings: name (subject), description, announcement mode and locked info.
import type { FastifyInstance } from 'fastify';
import { groupContext } from '../../core/groups/group-context.js';
import { setGroupDescription, setGroupName, setGroupSwitch, type GroupSwitch } from '../../core/groups/group-settings.js';
import { readString } from '../params.js';
import { actionRoute } from '../route-table.js';
import { answer, fields, GROUP_FIELDS, NAME_FIELDS, NAME_KEYS, readSwitch, requiredText, SWITCH, TEXT, type GroupRoutesContext } from './groups-http.js';

export function registerGroupSettingRoutes(app: FastifyInstance, { group }: GroupRoutesContext): void {
  app.route(
    actionRoute('updateGroupName', {
      schema: { body: fields({ ...GROUP_FIELDS, ...NAME_FIELDS }) },
      handler: async (request, reply) => {
        const name = requiredText(request, NAME_KEYS, 'the new group name, at most 100 characters');
        return answer(reply, await setGroupName(await groupContext(group, request), name));
      }
    })
  );

  app.route(
    actionRoute('updateGroupDescription', {
      schema: {
        body: fields({ ...GROUP_FIELDS, groupDescription: { type: 'string', description: 'the new description, empty to remove it; aliases description, desc' }, description: TEXT, desc: TEXT })
      },
      handler: async (request, reply) => {
        const description = readString(request, ['groupDescription', 'description', 'desc']) ?? '';
        return answer(reply, await setGroupDescription(await groupContext(group, request), description));
      }
    })
  );

  const switches = [
    ['setGroupAnnouncement', 'announcement'],
    ['setGroupLocked', 'locked']
  ] as const satisfies readonly (readonly [string, GroupSwitch])[];
  for (const [operation, which] of switches) {
    app.route(
      actionRoute(operation, {
        schema: { body: fields({ ...GROUP_FIELDS, [which]: SWITCH }) },
        handler: async (request, reply) => {
          const on = readSwitch(request, which);
          return answer(reply, await setGroupSwitch(await groupContext(group, request), which, on));
        }
      })
    );
  }
}
