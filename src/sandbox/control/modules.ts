// Control-API route groups contributed by the messaging and groups features.
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './api.js';
import { groupRoutes } from './groups.js';
import { messageRoutes } from './messages.js';
import { presenceRoutes } from './presence.js';

export type ControlRoutes = (app: FastifyInstance, deps: ControlDeps) => void | Promise<void>;

export const controlRouteModules: ControlRoutes[] = [groupRoutes, messageRoutes, presenceRoutes];
