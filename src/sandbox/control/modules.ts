// Control-API route groups contributed by the messaging and groups features.
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './api.js';
import { appStateRoutes } from './app-state.js';
import { chatChangeRoutes, phoneHistoryRoutes } from './chat-changes.js';
import { groupRoutes } from './groups.js';
import { messageRoutes } from './messages.js';
import { phoneSettingsRoutes } from './phone-settings.js';
import { presenceRoutes } from './presence.js';
import { profileRoutes } from './profile.js';

export type ControlRoutes = (app: FastifyInstance, deps: ControlDeps) => void | Promise<void>;

export const controlRouteModules: ControlRoutes[] = [groupRoutes, messageRoutes, phoneSettingsRoutes, appStateRoutes, presenceRoutes, profileRoutes, chatChangeRoutes, phoneHistoryRoutes];
