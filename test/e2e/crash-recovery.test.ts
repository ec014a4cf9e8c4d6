// The gateway as its own process, killed with SIGKILL while WORKING: on restart it resumes without a new QR and
// the next message decrypts (the Signal sessions and keys were stored durably, so no "Bad MAC").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DIALECTS, GatewayProcess, TestDatabase, TestSandbox, eventually, gatewayEnv, linkSession, sessionStatus } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: crash recovery`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gateway: GatewayProcess | undefined;
    const receiver = new WebhookReceiver('crash-test-secret');
    const adminKey = `admin-${randomBytes(12).toString('hex')}`;
    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      await receiver.start();
    });
    after(async () => {
      await gateway?.kill('SIGTERM');
      await sb.sandbox.stop();
      await receiver.stop();
      await db.dispose();
    });

    const received = (text: string) => eventually(() => receiver.events('message_received').find((d) => d.body.data.text === text), { timeoutMs: 20_000, what: text });

    test('SIGKILL while WORKING: resumes without a QR and keeps decrypting', async () => {
      const env = gatewayEnv(db, sb, adminKey);
      gateway = await GatewayProcess.start(env, adminKey);
      await linkSession(gateway, sb, 'durable', '15554440001');
      await gateway.request('POST', '/api/v1/session/durable/config', { body: { webhookUrl: receiver.url, webhookSecret: receiver.secret } });
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: '15554440002', name: 'Writer' });
      await sb.ok('POST', '/sandbox/v1/accounts/15554440002/messages', { to: '15554440001', text: 'before the crash' });
      await received('before the crash');

      await gateway.kill('SIGKILL');
      gateway = await GatewayProcess.start(env, adminKey);
      await eventually(async () => ((await sessionStatus(gateway!, 'durable')) === 'WORKING' ? true : undefined), { timeoutMs: 20_000, what: 'resume' });
      const qrEvents = receiver.events('session_status').filter((d) => d.body.data.tags === 'qr');
      assert.equal(qrEvents.length, 0, 'no QR after the restart');

      await sb.ok('POST', '/sandbox/v1/accounts/15554440002/messages', { to: '15554440001', text: 'after the crash' });
      const after = await received('after the crash');
      assert.equal(after.signatureValid, true);
    });
  });
}
