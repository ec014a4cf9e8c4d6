// SendQueue's worker through a database outage (PostgreSQL behind a TCP proxy the test cuts), on the engine port:
// a worker the database stopped goes on by itself once the database answers, instead of leaving its session's
// queue until the next send or reconnect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Store } from '../../store/open-database.js';
import { enqueueMessages } from '../../store/repos/outbound.js';
import { openTestStore, seedSession } from '../../store/testing.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { SendQueue } from './send-queue.js';
import { serializeSend } from './stored-send.js';

const silent = { warn() {}, error() {} };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('postgres: send queue through a database outage', () => {
  const server = new URL(process.env.WAYGATE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test');
  const engine = new FakeEngineSession({ sessionId: 'outage' });
  let proxy: TcpProxy;
  let store: Store;
  let queue: SendQueue;

  before(async () => {
    proxy = await new TcpProxy(server.hostname, Number(server.port || 5432)).start();
    store = await openTestStore('postgres', proxy.port);
    await seedSession(store.db, 'outage');
    queue = new SendQueue({
      db: store.db,
      workingEngine: () => engine,
      readMedia: async () => null,
      logger: silent,
      retention: 'full',
      pacing: { intervalMs: 0, jitterMs: 0 },
      expirySweepMs: 60_000
    });
  });
  after(async () => {
    await queue.stop();
    await proxy.start(proxy.port);
    await store.close();
  });

  it('a worker stopped by the database not answering sends the queue once it answers, with no further kick', async () => {
    const now = Date.now();
    const texts = ['one', 'two', 'three'].map((text, i) => ({ id: `3EB0OUTAGE${i}`, chat: '15550001111@s.whatsapp.net', kind: 'text', content: serializeSend({ content: { type: 'text', text } }) }));
    await enqueueMessages(store.db, 'outage', 'request-1', texts, now, now + 600_000);
    await proxy.cut();
    queue.kick('outage');
    await settle(300);
    assert.equal(engine.messageCalls.length, 0, 'nothing can be taken while the database is away');

    await proxy.start(proxy.port);
    const deadline = Date.now() + 10_000;
    while (engine.messageCalls.length < texts.length && Date.now() < deadline) await settle(50);
    assert.deepEqual(
      engine.messageCalls.map((call) => (call.command === 'send' ? call.options.id : null)),
      texts.map((t) => t.id),
      'each queued message sent once, in order'
    );
  });
});
