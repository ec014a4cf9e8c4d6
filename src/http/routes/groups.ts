// The Groups category (WARest actions 39-62, revoke aside: it belongs to the invites module) as one route
// module. The group metadata cache lives here, shared by every group route of this gateway.
import type { FastifyPluginAsync } from 'fastify';
import type { InviteCodeReader } from '../../core/groups/group-invite-links.js';
import { GroupMetadataCache } from '../../core/groups/metadata-cache.js';
import type { SessionManager } from '../../core/sessions/session-manager.js';
import type { Db } from '../../store/database.js';
import type { RouteModule } from '../types.js';
import type { GroupRoutesContext } from './groups-http.js';
import { registerGroupLifecycleRoutes } from './groups-lifecycle.js';
import { registerGroupLinkRoutes } from './groups-links.js';
import { registerGroupMemberRoutes } from './groups-members.js';
import { registerGroupPictureRoutes } from './groups-picture.js';
import { registerGroupReadRoutes } from './groups-read.js';
import { registerGroupSettingRoutes } from './groups-settings.js';

export interface GroupRouteDeps {
  db: Db;
  sessions: SessionManager;
  /** fetch picture URLs that resolve to private addresses too (WAYGATE_WEBHOOK_ALLOW_PRIVATE) */
  allowPrivateUrls: boolean;
  /** replaces the leading 0 of national numbers in participant lists */
  defaultCountryCode?: string;
  /** reads current invite codes, recording them in the lineage */
  invites: InviteCodeReader;
}

export function groupRoutes(deps: GroupRouteDeps): RouteModule {
  const context: GroupRoutesContext = {
    group: { db: deps.db, sessions: deps.sessions, metadataCache: new GroupMetadataCache() },
    invites: deps.invites,
    pictures: { allowPrivate: deps.allowPrivateUrls },
    phones: { defaultCountryCode: deps.defaultCountryCode }
  };
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
