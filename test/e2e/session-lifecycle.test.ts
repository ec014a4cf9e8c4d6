// Session lifecycle through the public API against the sandbox: link by QR and by pairing code, restart
// resume without a new QR, logout, delete; on SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession, sessionStatus } from '../support/gateway-harness.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: session lifecycle`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('create answers 202 with a QR (string, PNG data URL, duration) and an access token; linking makes it WORKING', async () => {
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: '15551110001', name: 'Alice' });
      const created = await gw.request('GET', '/api/v1/session/create?sessionId=alice');
      assert.equal(created.status, 202);
      assert.equal(created.body.code, 1107);
      const result = created.body.results[0];
      assert.match(result.qrString, /^https:\/\/wa\.me\/settings\/linked_devices#/);
      assert.match(result.qr, /^data:image\/png;base64,/);
      assert.ok(result.qrDuration >= 5 && result.qrDuration <= 65);
      assert.match(result.accessToken, /^wg_tok_/);
      const png = await gw.request('GET', '/api/v1/session/qr?sessionId=alice');
      assert.equal(png.status, 200);
      assert.equal(png.headers.get('content-type'), 'image/png');

      await sb.ok('POST', '/sandbox/v1/accounts/15551110001/link', { qr: result.qrString });
      await eventually(async () => ((await sessionStatus(gw, 'alice')) === 'WORKING' ? true : undefined));
      const list = await gw.request('GET', '/api/v1/session/list');
      const item = list.body.results[0].items.find((s: { id: string }) => s.id === 'alice');
      assert.equal(item.me.id, '15551110001@s.whatsapp.net');
      assert.match(item.me.lid, /@lid$/);
      const again = await gw.request('GET', '/api/v1/session/create?sessionId=alice');
      assert.equal(again.status, 200);
      assert.equal(again.body.code, 1104);
    });

    test('after a clean restart the session resumes without a new QR', async () => {
      await gw.restart();
      const status = await eventually(async () => ((await sessionStatus(gw, 'alice')) === 'WORKING' ? 'WORKING' : undefined));
      assert.equal(status, 'WORKING');
      const qr = await gw.request('GET', '/api/v1/session/qr?sessionId=alice');
      assert.equal(qr.status, 404);
    });

    test('pairing code: the code the API returns, entered on the phone, links the session', async () => {
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: '15551110002', name: 'Bob' });
      const answer = await gw.request('GET', '/api/v1/session/create/pair-code?sessionId=bob&phone=15551110002');
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const pairCode = answer.body.results[0].pairCode as string;
      assert.match(pairCode, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await sb.ok('POST', '/sandbox/v1/accounts/15551110002/link', { pairingCode: pairCode });
      await eventually(async () => ((await sessionStatus(gw, 'bob')) === 'WORKING' ? true : undefined));
    });

    test('logout unlinks the device at the phone and purges the auth state; delete removes the session', async () => {
      const out = await gw.request('GET', '/api/v1/session/logout?sessionId=bob');
      assert.equal(out.status, 200);
      assert.deepEqual(out.body.results[0].steps, { runtime: true, creds: true });
      const account = await sb.ok('GET', '/sandbox/v1/accounts/15551110002');
      assert.deepEqual(account.devices.map((d: { id: number }) => d.id), [0]);
      assert.equal(await sessionStatus(gw, 'bob'), 'LOGGED_OUT');

      const deleted = await gw.request('DELETE', '/api/v1/session/delete', { body: { sessionId: 'bob' } });
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body.results[0].steps.meta, true);
      const gone = await gw.request('GET', '/api/v1/session/devices?sessionId=bob');
      assert.equal(gone.status, 404);
      assert.equal(gone.body.code, 1101);
    });
  });
}
