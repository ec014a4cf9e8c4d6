// Control route with the sandbox's own load figures: connections, accounts, devices, memory.
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './api.js';

export function statsRoutes(app: FastifyInstance, { network }: ControlDeps): void {
  app.get('/sandbox/v1/stats', async () => {
    const accounts = network.accounts.all();
    const memory = process.memoryUsage();
    return {
      connections: network.connectionCount,
      accounts: accounts.length,
      linkedDevices: accounts.reduce((sum, a) => sum + a.deviceIds().length - 1, 0),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed
    };
  });
}
