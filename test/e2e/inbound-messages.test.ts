// Inbound messages while the webhook receiver is down for part of the time: 500 messages from five sandbox
// phones (some with images) all arrive as signed message_received webhooks, each once, in order per chat, and the
// images are fetchable through the signed media URLs in the payloads. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15553330001';
const PHONES = ['15553330011', '15553330012', '15553330013', '15553330014', '15553330015'];
const PER_PHONE = 100;
const SESSION = 'inbound-alice';

for (const dialect of DIALECTS) {
  describe(`${dialect}: inbound messages`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver('inbound-secret-123');

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      // Short backoff, so the outage's retries finish within the test.
      gw = await TestGateway.start(db, sb, { WAYGATE_WEBHOOK_BACKOFF_BASE_MS: '50', WAYGATE_WEBHOOK_BACKOFF_MAX_MS: '500' });
      await receiver.start();
      for (const phone of PHONES) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `Phone ${phone}` });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await hookTo(gw, SESSION, receiver);
    });

    after(async () => {
      await gw.stop();
      await receiver.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test(`${PHONES.length * PER_PHONE} messages through a receiver outage: all delivered once, signed, in order per chat; media fetchable`, async () => {
      const sendAll = (from: number, to: number) =>
        Promise.all(
          PHONES.map(async (phone) => {
            for (let i = from; i < to; i++) {
              const withImage = i % 25 === 0;
              const body = withImage ? { to: ALICE, image: { base64: SMALL_PNG.toString('base64'), mimetype: 'image/png', caption: `${phone}#${i}` } } : { to: ALICE, text: `${phone}#${i}` };
              await sb.ok('POST', `/sandbox/v1/accounts/${phone}/messages`, body);
            }
          })
        );
      await sendAll(0, 30);
      receiver.failWith = 503;
      await sendAll(30, 60);
      await receiver.stop();
      await sendAll(60, 80);
      receiver.failWith = undefined;
      await receiver.start();
      await sendAll(80, PER_PHONE);

      const total = PHONES.length * PER_PHONE;
      const delivered = await eventually(() => {
        const events = receiver.events('message_received');
        return events.length >= total ? events : undefined;
      }, { timeoutMs: 90_000, what: `${total} message_received webhooks` });

      assert.equal(delivered.length, total, 'each message delivered once');
      assert.ok(delivered.every((d) => d.signatureValid), 'every delivery signed');
      for (const phone of PHONES) {
        const sequence = delivered.map((d) => d.body.data).filter((data) => data.sender.pn === `${phone}@s.whatsapp.net`).map((data) => Number(String(data.text).split('#')[1]));
        assert.deepEqual(sequence, Array.from({ length: PER_PHONE }, (_, i) => i), `chat with ${phone} in order`);
      }
      const images = delivered.filter((d) => d.body.data.media);
      assert.equal(images.length, PHONES.length * (PER_PHONE / 25));
      for (const image of images.slice(0, 5)) {
        const response = await fetch(image.body.data.media.url);
        assert.equal(response.status, 200, await response.clone().text());
        assert.deepEqual(Buffer.from(await response.arrayBuffer()), SMALL_PNG);
      }
    });
  });
}
