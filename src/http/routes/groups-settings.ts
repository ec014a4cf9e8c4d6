// Group settings: name (subject), description, announcement mode and locked info.
import type { FastifyInstance } from 'fastify';
import type { GroupSwitch } from '../../core/groups/group-settings.js';
import { groupCommand } from '../commands.js';
import { readString } from '../params.js';
import { actionRoute } from '../route-table.js';
import { descriptionView, nameView, switchView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';
import { fields, GROUP_FIELDS, NAME_FIELDS, NAME_KEYS, readSwitch, requiredText, SWITCH, TEXT, type GroupRoutesContext } from './groups-http.js';

export function registerGroupSettingRoutes(app: FastifyInstance, { groups }: GroupRoutesContext): void {
  app.route(
    actionRoute('updateGroupName', {
      schema: { body: fields({ ...GROUP_FIELDS, ...NAME_FIELDS }) },
      handler: async (request, reply) => {
        const name = requiredText(request, NAME_KEYS, 'the new group name, at most 100 characters');
        return answer(reply, nameView(await groups.setName(groupCommand(request), name)));
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
        return answer(reply, descriptionView(await groups.setDescription(groupCommand(request), description)));
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
          return answer(reply, switchView(await groups.setSwitch(groupCommand(request), which, on)));
        }
      })
    );
  }
}
