// An async send accepted while its session is not connected waits at most WAYGATE_SEND_QUEUE_TTL: once that has
// passed it fails with a message_status failed event while the session is still away (not only when it comes
// back), and it is never sent afterwards. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession, sessionStatus } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15556660001';
const BOB = '15556660002';
const SESSION = 'expiry-alice';

for (const dialect of DIALECTS) {
  describe(`${dialect}: send queue expiry`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver('expiry-secret-123');

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb, { WAYGATE_SEND_QUEUE_TTL: '2' });
      await receiver.start();
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await hookTo(gw, SESSION, receiver);
    });

    after(async () => {
      await gw?.stop();
      await receiver.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('a send that waits longer than the TTL for its session fails while the session is away, and is never sent', async () => {
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'refuse', seconds: 20 });
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'drop', device: `${ALICE}:1@s.whatsapp.net` });
      await eventually(async () => ((await sessionStatus(gw, SESSION)) !== 'WORKING' ? true : undefined), { what: 'the session to notice the drop' });

      const accepted = await gw.request('POST', '/api/v1/messages/send/text', { body: { sessionId: SESSION, to: BOB, message: 'too late', async: true } });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const id: string = accepted.body.results[0].messageId;

      const failed = await eventually(() => receiver.events('message_status').find((d) => d.body.data.messageId === id && d.body.data.status === 'failed'), {
        timeoutMs: 10_000,
        what: 'the failed status of the expired send'
      });
      assert.ok(failed.signatureValid);
      assert.match(failed.body.data.error, /WAYGATE_SEND_QUEUE_TTL/);
      assert.notEqual(await sessionStatus(gw, SESSION), 'WORKING', 'failed while the session is still away');
      const stored = await gw.request('GET', `/api/v1/messages/${id}?sessionId=${SESSION}`);
      assert.equal(stored.body.results[0].status, 'failed');

      await sb.ok('DELETE', '/sandbox/v1/faults');
      await eventually(async () => ((await sessionStatus(gw, SESSION)) === 'WORKING' ? true : undefined), { timeoutMs: 30_000, what: 'the session back' });
      const later = await gw.request('POST', '/api/v1/messages/send/text', { body: { sessionId: SESSION, to: BOB, message: 'in time' } });
      assert.equal(later.status, 200, JSON.stringify(later.body));
      const inbox = await eventually(async () => {
        const { messages } = await sb.ok<{ messages: { id: string; text: string }[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`);
        return messages.some((m) => m.id === later.body.results[0].messageId) ? messages : undefined;
      }, { what: 'the later send at the phone' });
      assert.deepEqual(inbox.filter((m) => m.id === id), [], 'the expired send never reaches the phone');
      assert.equal(receiver.events('message_status').filter((d) => d.body.data.messageId === id && d.body.data.status === 'failed').length, 1);
    });
  });
}
