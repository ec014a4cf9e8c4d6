// Control routes for accounts and their devices: create users, link a device by QR or pairing code,
// unlink it from the phone, and inspect an account.
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './api.js';
import { ControlError } from './api.js';
import type { Account } from '../world/accounts.js';

export function accountOrThrow(deps: ControlDeps, phone: string): Account {
  const account = deps.network.accounts.get(phone.replace(/\D/g, ''));
  if (!account) throw new ControlError(404, `no account with phone ${phone}; create it with POST /sandbox/v1/accounts`);
  return account;
}

export function describeAccount(account: Account) {
  return {
    phone: account.phone,
    name: account.name,
    jid: account.pnJid,
    lid: account.lidJid,
    devices: account.deviceIds().map((id) => ({ id, jid: account.pnDevice(id), lid: account.lidDevice(id), primary: id === 0 }))
  };
}

export function accountRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { network } = deps;
  app.post<{ Body: { phone: string; name?: string } }>(
    '/sandbox/v1/accounts',
    {
      schema: {
        body: {
          type: 'object',
          required: ['phone'],
          properties: { phone: { type: 'string', pattern: '^\\+?\\d{6,15}$' }, name: { type: 'string', maxLength: 100 } }
        }
      }
    },
    async (request, reply) => {
      const phone = request.body.phone.replace(/\D/g, '');
      if (network.accounts.get(phone)) throw new ControlError(409, `account ${phone} already exists`);
      const account = network.accounts.create(phone, request.body.name ?? `User ${phone.slice(-4)}`);
      return reply.status(201).send({ phone: account.phone, jid: account.pnJid, lid: account.lidJid });
    }
  );

  app.get('/sandbox/v1/accounts', async () => ({ accounts: network.accounts.all().map(describeAccount) }));

  app.get<{ Params: { phone: string } }>('/sandbox/v1/accounts/:phone', async (request) => describeAccount(accountOrThrow(deps, request.params.phone)));

  app.post<{ Params: { phone: string }; Body: { qr?: string; pairingCode?: string } }>(
    '/sandbox/v1/accounts/:phone/link',
    {
      schema: {
        body: {
          type: 'object',
          properties: { qr: { type: 'string', minLength: 10 }, pairingCode: { type: 'string', minLength: 8, maxLength: 9 } },
          oneOf: [{ required: ['qr'] }, { required: ['pairingCode'] }]
        }
      }
    },
    async (request) => {
      const account = accountOrThrow(deps, request.params.phone);
      const { qr, pairingCode } = request.body;
      const companion = qr ? await network.linking.linkByQr(account, qr) : await network.linking.linkByCode(account, pairingCode!);
      return { deviceJid: account.pnDevice(companion.id), deviceLid: account.lidDevice(companion.id), device: companion.id };
    }
  );

  app.delete<{ Params: { phone: string; device: string } }>('/sandbox/v1/accounts/:phone/devices/:device', async (request) => {
    const account = accountOrThrow(deps, request.params.phone);
    const device = Number(request.params.device.includes(':') ? request.params.device.split(':')[1]?.split('@')[0] : request.params.device);
    const companion = Number.isInteger(device) ? account.activeCompanion(device) : undefined;
    if (!companion) throw new ControlError(404, `account ${account.phone} has no linked device ${request.params.device}`);
    network.linking.unlink(companion);
    return { removed: account.pnDevice(companion.id) };
  });
}
