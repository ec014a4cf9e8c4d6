// The gateway's listening socket takes the configured backlog: a burst of clients connecting at once while the
// gateway is busy waits in the kernel's queue instead of having its SYNs dropped and retried seconds later.
// Read off the socket with iproute2's `ss` (Linux: Send-Q of a listening socket is its backlog).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TestDatabase, TestGateway, TestSandbox } from '../support/gateway-harness.js';

function listenBacklog(port: number): number {
  const [line] = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(line, `nothing listens on port ${port}`);
  return Number(line.trim().split(/\s+/)[2]);
}

let sb: TestSandbox;
let db: TestDatabase;
let gateways: TestGateway[] = [];
before(async () => {
  sb = await TestSandbox.start();
  db = await TestDatabase.create('sqlite');
});
after(async () => {
  for (const gw of gateways) await gw.stop();
  await sb.sandbox.stop();
  await db.dispose();
});

test('the gateway listens with WAYGATE_LISTEN_BACKLOG, by default 4096 or the kernel cap below it', async () => {
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  const byDefault = await TestGateway.start(db, sb);
  gateways.push(byDefault);
  assert.equal(listenBacklog(Number(new URL(byDefault.url).port)), Math.min(4096, somaxconn));
  await byDefault.stop();
  gateways = [];

  const configured = await TestGateway.start(db, sb, { WAYGATE_LISTEN_BACKLOG: '100' });
  gateways.push(configured);
  assert.equal(listenBacklog(Number(new URL(configured.url).port)), 100);
});
