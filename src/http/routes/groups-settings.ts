// Group settings: name (subject), description, announcement mode and locked info.
import type { FastifyInstance } from 'fastify';
import { groupContext } from '../../core/groups/group-context.js';
import { describe, rename, setSwitch, type GroupSwitch } from '../../core/groups/group-settings.js';
import { readString } from '../params.js';
import { actionRoute } from '../route-table.js';
import { answer, fields, GROUP_FIELDS, readSwitch, requiredText, SWITCH, type GroupRoutesContext } from './groups-http.js';

const text = { type: 'string' } as const;

export function registerGroupSettingRoutes(app: FastifyInstance, { group }: GroupRoutesContext): void {
  app.route(
    actionRoute('updateGroupName', {
      schema: { body: fields({ ...GROUP_FIELDS, groupName: { type: 'string', description: 'the new name; aliases name, subject' }, name: text, subject: text }) },
      handler: async (request, reply) => {
        const name = requiredText(request, ['groupName', 'name', 'subject'], 'the new group name, at most 100 characters');
        return answer(reply, await rename(await groupContext(group, request), name));
      }
    })
  );

  app.route(
    actionRoute('updateGroupDescription', {
      schema: {
        body: fields({ ...GROUP_FIELDS, groupDescription: { type: 'string', description: 'the new description, empty to remove it; aliases description, desc' }, description: text, desc: text })
      },
      handler: async (request, reply) => {
        const description = readString(request, ['groupDescription', 'description', 'desc']) ?? '';
        return answer(reply, await describe(await groupContext(group, request), description));
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
          return answer(reply, await setSwitch(await groupContext(group, request), which, on));
        }
      })
    );
  }
}
