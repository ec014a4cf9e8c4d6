import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../store/open-database.js';
import { saveInvitePolicy } from '../../store/repos/invite-policies.js';
import { openTestStore, seedSession } from '../../store/testing.js';
import type { GroupRef } from '../../store/repos/invite-codes.js';
import { PolicyScheduler } from './policy-scheduler.js';

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
    await scheduler.armSession('here');
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
