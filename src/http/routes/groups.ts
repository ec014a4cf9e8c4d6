// The Groups category (WARest actions 39-62, revoke aside: it belongs to the invites module) as one route
// module.
import type { FastifyPluginAsync } from 'fastify';
import type { Groups } from '../../core/groups/groups.js';
import type { InviteGovernance } from '../../core/invites/invite-governance.js';
import type { RouteModule } from '../types.js';
import type { GroupRoutesContext } from './groups-http.js';
import { registerGroupLifecycleRoutes } from './groups-lifecycle.js';
import { registerGroupLinkRoutes } from './groups-links.js';
import { registerGroupMemberRoutes } from './groups-members.js';
import { registerGroupPictureRoutes } from './groups-picture.js';
import { registerGroupReadRoutes } from './groups-read.js';
import { registerGroupSettingRoutes } from './groups-settings.js';

export interface GroupRouteDeps {
  groups: Groups;
  /** reads current invite codes, recording them in the lineage */
  invites: InviteGovernance;
  /** replaces the leading 0 of national numbers in participant lists */
  defaultCountryCode?: string;
}

export function groupRoutes(deps: GroupRouteDeps): RouteModule {
  const context: GroupRoutesContext = { groups: deps.groups, invites: deps.invites, phones: { defaultCountryCode: deps.defaultCountryCode } };
  const routes: FastifyPluginAsync = async (app) => {
    for (const register of [
      registerGroupReadRoutes,
      registerGroupSettingRoutes,
      registerGroupLifecycleRoutes,
      registerGroupMemberRoutes,
      registerGroupLinkRoutes,
      registerGroupPictureRoutes
    ]) {
      register(app, context);
    }
  };
  return { routes };
}
