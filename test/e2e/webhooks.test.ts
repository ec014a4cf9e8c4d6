// Webhooks end to end: a gateway session's events reach a receiver that checks the WARest signature; a receiver
// that is down for a while loses nothing (delivered in order once it is back); messages from the network arrive
// as message_received; /metrics counts sessions, status changes and webhook attempts. On SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: webhooks`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver('a-strong-secret-123');
    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      await receiver.start();
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await receiver.stop();
      await db.dispose();
    });

    test('config validates the URL, preflights it, and session_status events arrive signed, with a stable event id', async () => {
      const refused = await gw.request('POST', '/api/v1/session/hooked/config', { body: { webhookUrl: 'ftp://example.com/x' } });
      assert.equal(refused.status, 404, 'config of an unknown session is 404');
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: '15552220001', name: 'Hooked' });
      const created = await gw.request('GET', '/api/v1/session/create?sessionId=hooked');
      const badScheme = await gw.request('POST', '/api/v1/session/hooked/config', { body: { webhookUrl: 'ftp://example.com/x' } });
      assert.equal(badScheme.status, 400);
      assert.equal(badScheme.body.code, 1201);

      const config = await gw.request('POST', '/api/v1/session/hooked/config', { body: { webhookUrl: receiver.url, webhookSecret: receiver.secret, preflight: true } });
      assert.equal(config.status, 200, JSON.stringify(config.body));
      assert.equal(receiver.deliveries[0]?.headers['x-warest-preflight'], '1');
      assert.equal(receiver.deliveries[0]?.signatureValid, true);

      await sb.ok('POST', '/sandbox/v1/accounts/15552220001/link', { qr: created.body.results[0].qrString });
      const open = await eventually(() => receiver.events('session_status').find((d) => d.body.data.status === 'open'), { what: 'open event' });
      assert.equal(open.signatureValid, true);
      assert.equal(open.headers['x-warest-event'], 'session_status');
      assert.match(String(open.headers['x-warest-event-id']), /^[0-9a-f-]{36}$/);
      assert.equal(open.headers['x-warest-session'], 'hooked');
      assert.equal(open.body.data.state, 'WORKING');
      assert.equal(open.body.data.me.id, '15552220001@s.whatsapp.net');
      assert.equal(open.body.session.id, 'hooked');
    });

    test('a message from the network arrives as message_received', async () => {
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: '15552220002', name: 'Friend' });
      await sb.ok('POST', '/sandbox/v1/accounts/15552220002/messages', { to: '15552220001', text: 'hello gateway' });
      const received = await eventually(() => receiver.events('message_received').find((d) => d.body.data.text === 'hello gateway'), { what: 'message_received' });
      assert.equal(received.signatureValid, true);
      assert.equal(received.body.data.sender.jid, '15552220002@s.whatsapp.net');
    });

    test('receiver down, then up: every event is delivered once it is back, in order', async () => {
      await receiver.stop();
      for (let i = 1; i <= 3; i++) await sb.ok('POST', '/sandbox/v1/accounts/15552220002/messages', { to: '15552220001', text: `while down ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await receiver.start(receiver.port);
      const texts = await eventually(
        () => {
          const seen = receiver.events('message_received').map((d) => d.body.data.text).filter((t: string) => t.startsWith('while down'));
          return seen.length === 3 ? seen : undefined;
        },
        { timeoutMs: 30_000, what: 'the three queued events' }
      );
      assert.deepEqual(texts, ['while down 1', 'while down 2', 'while down 3']);
      const log = await gw.request('GET', '/api/v1/session/webhooks/deliveries?sessionId=hooked&limit=50');
      assert.equal(log.status, 200);
      assert.ok(log.body.results.length > 0);
    });

    test('/metrics: sessions by status, a dropped connection as RECONNECTING, webhook attempts by outcome, the backlog', async () => {
      const metric = async (series: string) => {
        const text = (await gw.request<string>('GET', '/metrics')).body;
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
      };
      const reconnecting = 'waygate_session_status_changes_total{status="RECONNECTING"}';
      assert.equal(await metric('waygate_sessions{status="WORKING"}'), 1);
      const reconnectsBefore = (await metric(reconnecting)) ?? 0;

      const account = await sb.ok('GET', '/sandbox/v1/accounts/15552220001');
      const device = account.devices.find((d: { primary: boolean }) => !d.primary).id;
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'drop', device: `15552220001:${device}@s.whatsapp.net` });
      await eventually(async () => (((await metric(reconnecting)) ?? 0) > reconnectsBefore ? true : undefined), { what: 'a RECONNECTING change' });
      await eventually(async () => ((await metric('waygate_sessions{status="WORKING"}')) === 1 ? true : undefined), { what: 'WORKING again' });

      assert.ok(((await metric('waygate_webhook_attempts_total{state="delivered"}')) ?? 0) >= 5, 'every event delivered so far');
      assert.ok(((await metric('waygate_webhook_attempts_total{state="pending"}')) ?? 0) >= 1, 'attempts while the receiver was down');
      await eventually(async () => ((await metric('waygate_webhook_backlog')) === 0 ? true : undefined), { what: 'an empty backlog' });
    });
  });
}
