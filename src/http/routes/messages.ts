// The Messages categories (WARest actions 9-20 and 31-38) as one route module.
import type { FastifyPluginAsync } from 'fastify';
import type { RouteModule } from '../types.js';
import { registerMessageActionRoutes } from './messages-actions.js';
import type { MessageRoutesContext } from './messages-http.js';
import { registerSendRoutes } from './messages-send.js';

export function messageRoutes(context: MessageRoutesContext): RouteModule {
  const routes: FastifyPluginAsync = async (app) => {
    registerSendRoutes(app, context);
    registerMessageActionRoutes(app, context);
  };
  return { routes };
}
