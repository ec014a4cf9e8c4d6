import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { deleteInvitePolicy, getInvitePolicy, listScheduledPolicies, saveInvitePolicy, updateInvitePolicy, type InviteRules } from './invite-policies.js';

const none: InviteRules = { revokeAt: null, rotateEvery: null, nextRotateAt: null, oneTime: false, floodBreaker: null };

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: invite policies`, () => {
    let store: Store;
    const group = { sessionId: 'pol', groupId: '1203630003@g.us' };
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 'pol');
    });
    after(() => store.close());

    it('saves, replaces, disables and re-activates a policy', async () => {
      const breaker = { maxJoins: 5, windowSeconds: 60, enableApproval: true };
      const saved = await saveInvitePolicy(store.db, group, { ...none, oneTime: true, floodBreaker: breaker }, 1000);
      assert.equal(saved.status, 'active');
      assert.equal(saved.oneTime, true);
      assert.deepEqual(saved.floodBreaker, breaker);
      assert.deepEqual(await listScheduledPolicies(store.db, 'pol'), [], 'no time-based rule yet');

      await updateInvitePolicy(store.db, group, { status: 'disabled', disabledReason: 'not an admin' });
      assert.equal((await getInvitePolicy(store.db, group))?.disabledReason, 'not an admin');

      const replaced = await saveInvitePolicy(store.db, group, { ...none, revokeAt: 5000, rotateEvery: 120, nextRotateAt: 121_000 }, 2000);
      assert.equal(replaced.status, 'active');
      assert.equal(replaced.disabledReason, null);
      assert.equal(replaced.createdAt, 1000);
      assert.equal(replaced.floodBreaker, null);
      assert.equal(replaced.oneTime, false);
      assert.deepEqual((await listScheduledPolicies(store.db, 'pol')).map((p) => [p.revokeAt, p.nextRotateAt]), [[5000, 121_000]]);
      assert.deepEqual(await listScheduledPolicies(store.db, 'other'), [], "only the named session's policies");

      await updateInvitePolicy(store.db, group, { status: 'disabled' });
      assert.deepEqual(await listScheduledPolicies(store.db, 'pol'), [], 'disabled policies are not armed');
    });

    it('deletes a policy', async () => {
      assert.equal(await deleteInvitePolicy(store.db, group), true);
      assert.equal(await deleteInvitePolicy(store.db, group), false);
      assert.equal(await getInvitePolicy(store.db, group), undefined);
      assert.equal(await updateInvitePolicy(store.db, group, { status: 'active' }), false);
    });
  });
}
