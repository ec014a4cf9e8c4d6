// Control routes for how a simulated phone behaves on its own, e.g. reading everything it receives at once
// (for status tests that expect a READ without a test step sending the receipt).
import type { FastifyInstance } from 'fastify';
import type { PhoneSettings } from '../world/accounts.js';
import { accountOrThrow } from './accounts.js';
import type { ControlDeps } from './api.js';

const settingsSchema = { type: 'object', minProperties: 1, additionalProperties: false, properties: { autoRead: { type: 'boolean' } } };

export function phoneSettingsRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.get<{ Params: { phone: string } }>('/sandbox/v1/accounts/:phone/settings', async (request) => accountOrThrow(deps, request.params.phone).settings);

  app.post<{ Params: { phone: string }; Body: Partial<PhoneSettings> }>('/sandbox/v1/accounts/:phone/settings', { schema: { body: settingsSchema } }, async (request) => {
    const account = accountOrThrow(deps, request.params.phone);
    Object.assign(account.settings, request.body);
    return account.settings;
  });
}
