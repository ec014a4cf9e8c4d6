// PostgreSQL becomes unreachable under a running gateway: readiness and API calls answer 503 (not 500, not a
// hang), /metrics still answers (backlog NaN), and everything works again once the database is back; a blip just
// after boot does not leave the sessions unresumed. (SQLite is a local file: it has no outage.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDatabase, TestGateway, TestSandbox, eventually, linkSession, sessionStatus } from '../support/gateway-harness.js';
import { TcpProxy } from '../support/tcp-proxy.js';

describe('postgres: database outage', () => {
  let sb: TestSandbox;
  let db: TestDatabase;
  let gw: TestGateway;
  let proxy: TcpProxy;
  before(async () => {
    sb = await TestSandbox.start();
    db = await TestDatabase.create('postgres');
    const target = new URL(db.url!);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(db.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    gw = await TestGateway.start(db, sb, { DATABASE_URL: viaProxy.toString() });
  });
  after(async () => {
    await proxy.start(proxy.port);
    await gw.stop();
    await sb.sandbox.stop();
    await db.dispose();
  });

  test('ready and API calls answer 503 while the database is down, and recover when it returns', async () => {
    await eventually(async () => ((await gw.request('GET', '/api/v1/server/ready')).status === 200 ? true : undefined));
    await proxy.cut();

    const metrics = await gw.request<string>('GET', '/metrics');
    assert.equal(metrics.status, 200, 'metrics matter most during an outage');
    assert.match(metrics.body, /^waygate_webhook_backlog nan$/im);

    const ready = await gw.request('GET', '/api/v1/server/ready');
    assert.equal(ready.status, 503);
    const list = await gw.request('GET', '/api/v1/session/list');
    assert.equal(list.status, 503);
    assert.equal(list.body.code, 8001);
    assert.ok(list.headers.get('retry-after'));

    await proxy.start(proxy.port);
    await eventually(async () => ((await gw.request('GET', '/api/v1/server/ready')).status === 200 ? true : undefined), { what: 'ready again' });
    const back = await gw.request('GET', '/api/v1/session/list');
    assert.equal(back.status, 200);
  });

  test('the database drops out just after boot, while the sessions are being read to resume: they resume once it is back', async () => {
    await linkSession(gw, sb, 'outage-alice', '15557770001', 'Alice');
    await gw.stop();
    await gw.boot();
    // Before any I/O: the read of the sessions to resume is in flight, and fails.
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal((await gw.request('GET', '/api/v1/server/ready')).status, 503);

    await proxy.start(proxy.port);
    await eventually(async () => ((await sessionStatus(gw, 'outage-alice')) === 'WORKING' ? true : undefined), { timeoutMs: 30_000, what: 'the session resumed' });
    const ready = await gw.request('GET', '/api/v1/server/ready');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
  });
});
