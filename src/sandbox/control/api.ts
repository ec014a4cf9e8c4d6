// The sandbox control API (HTTP + JSON): the humans and the faults. Plays phones that scan QR codes,
// contacts that write, members acting from their phones, and network trouble. Route groups live in
// sibling modules; this file builds the app and maps errors to clear 4xx answers.
import Fastify, { type FastifyInstance } from 'fastify';
import type { SandboxNetwork } from '../network.js';
import type { MediaHost } from '../media/host.js';
import { LinkError } from '../linking.js';
import { accountRoutes } from './accounts.js';
import { faultRoutes } from './faults.js';
import { statsRoutes } from './stats.js';
import { controlRouteModules } from './modules.js';

export class ControlError extends Error {
  constructor(
    readonly statusCode: number,
    message: string
  ) {
    super(message);
  }
}

export interface ControlDeps {
  network: SandboxNetwork;
  media: MediaHost;
}

export async function buildControlApi(network: SandboxNetwork, { media }: { media: MediaHost }): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  app.setErrorHandler((error, _request, reply) => {
    const err = error as Error & { statusCode?: number; validation?: unknown };
    if (err instanceof ControlError || err instanceof LinkError || err instanceof RangeError) {
      const status = err instanceof ControlError ? err.statusCode : err instanceof LinkError ? err.status : 400;
      return reply.status(status).send({ error: err.message });
    }
    if (err.validation || (err.statusCode && err.statusCode < 500)) return reply.status(err.statusCode ?? 400).send({ error: err.message });
    network.logger.error({ err }, 'control API failure');
    return reply.status(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: `no route ${request.method} ${request.url}` }));
  const deps: ControlDeps = { network, media };
  for (const register of [accountRoutes, faultRoutes, statsRoutes, ...controlRouteModules]) await app.register(async (scope) => register(scope, deps));
  return app;
}
