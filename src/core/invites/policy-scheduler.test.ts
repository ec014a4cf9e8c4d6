import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../store/open-database.js';
import { saveInvitePolicy } from '../../store/repos/invite-policies.js';
import { openTestStore, seedSession } from '../../store/testing.js';
import type { GroupRef } from '../../store/repos/invite-codes.js';
import { PolicyScheduler } from './policy-scheduler.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';

const silent = { info() {}, warn() {}, error() {} };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('policy scheduler: only the sessions this node runs', () => {
  let store: Store;
  let scheduler: PolicyScheduler;
  const runs: GroupRef[] = [];
  const here = { sessionId: 'here', groupId: '1203630001@g.us' };
  const elsewhere = { sessionId: 'elsewhere', groupId: '1203630002@g.us' };
  const due = { revokeAt: 1, rotateEvery: null, nextRotateAt: null, oneTime: false, floodBreaker: null };

  before(async () => {
    store = await openTestStore('sqlite');
    await seedSession(store.db, 'here');
    await seedSession(store.db, 'elsewhere');
    await saveInvitePolicy(store.db, here, due);
    await saveInvitePolicy(store.db, elsewhere, due);
    scheduler = new PolicyScheduler({ db: store.db, logger: silent, runDue: async (ref) => {
      runs.push(ref);
      return null;
    } });
  });
  after(async () => {
    await scheduler.stop();
    await store.close();
  });

  it("arms a session's due policies when the node starts running it, and no other session's", async () => {
    scheduler.armSession('here');
    await settle(50);
    assert.deepEqual(runs, [here]);
  });

  it('ignores arming and join reactions for a session it does not run, and forgets a session it stops running', async () => {
    runs.length = 0;
    scheduler.arm(elsewhere, Date.now());
    let reacted = false;
    scheduler.react(elsewhere, async () => void (reacted = true));
    scheduler.arm(here, Date.now() + 30);
    scheduler.disarmSession('here');
    await settle(80);
    assert.deepEqual(runs, []);
    assert.equal(reacted, false);
  });
});

describe('postgres: policy scheduler: arming through a database blip', () => {
  const server = new URL(process.env.WAYGATE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test');
  const blip = { sessionId: 'blip', groupId: '1203630003@g.us' };
  const due = { revokeAt: 1, rotateEvery: null, nextRotateAt: null, oneTime: false, floodBreaker: null };
  const runs: GroupRef[] = [];
  let proxy: TcpProxy;
  let store: Store;
  let scheduler: PolicyScheduler;

  before(async () => {
    proxy = await new TcpProxy(server.hostname, Number(server.port || 5432)).start();
    store = await openTestStore('postgres', proxy.port);
    await seedSession(store.db, 'blip');
    await saveInvitePolicy(store.db, blip, due);
    scheduler = new PolicyScheduler({ db: store.db, logger: silent, runDue: async (ref) => {
      runs.push(ref);
      return null;
    } });
  });
  after(async () => {
    await scheduler.stop();
    await proxy.start(proxy.port);
    await store.close();
  });

  it('a session that starts while the database does not answer gets its policies armed once it answers', async () => {
    await proxy.cut();
    scheduler.armSession('blip');
    await settle(300);
    assert.deepEqual(runs, [], 'nothing could be read yet');
    await proxy.start(proxy.port);
    const deadline = Date.now() + 10_000;
    while (runs.length === 0 && Date.now() < deadline) await settle(50);
    assert.deepEqual(runs, [blip], 'armed, and run, once the database answered');
  });
});
