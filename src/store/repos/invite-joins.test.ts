import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { countJoinsSince, deletePendingRequests, findPendingRequest, insertInviteJoin, listInviteJoins, markJoined } from './invite-joins.js';

const alice = { jid: '15550000001@s.whatsapp.net', lid: '1001@lid' };
const bob = { jid: '15550000002@s.whatsapp.net', lid: null };

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: invite joins`, () => {
    let store: Store;
    const group = { sessionId: 'joins', groupId: '1203630002@g.us' };
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 'joins');
    });
    after(() => store.close());

    it('records link joins and counts them per code in a window', async () => {
      await insertInviteJoin(store.db, { ...group, code: 'CODEAAAAAA', participant: alice, method: 'link', joinedAt: 1000 });
      await insertInviteJoin(store.db, { ...group, code: 'CODEAAAAAA', participant: bob, method: 'link', joinedAt: 5000 });
      await insertInviteJoin(store.db, { ...group, code: 'CODEBBBBBB', participant: bob, method: 'link', joinedAt: 6000 });
      assert.equal(await countJoinsSince(store.db, group, 'CODEAAAAAA', 0), 2);
      assert.equal(await countJoinsSince(store.db, group, 'CODEAAAAAA', 2000), 1);
      assert.equal(await countJoinsSince(store.db, group, 'CODEBBBBBB', 0), 1);
    });

    it('a pending request (found by its LID) becomes a join once approved; withdrawn ones are dropped', async () => {
      const pending = await insertInviteJoin(store.db, { ...group, code: 'CODEBBBBBB', participant: alice, method: 'request', requestedAt: 7000 });
      assert.equal((await findPendingRequest(store.db, group, { jid: 'x@s.whatsapp.net', lid: '1001@lid' }))?.id, pending.id);
      assert.equal((await listInviteJoins(store.db, group)).length, 3, 'pending requests are not joins');
      await markJoined(store.db, pending.id, 8000);
      assert.equal(await findPendingRequest(store.db, group, alice), undefined);
      const joins = await listInviteJoins(store.db, group);
      assert.deepEqual(joins.at(-1), { ...pending, joinedAt: 8000 });

      await insertInviteJoin(store.db, { ...group, code: 'CODEBBBBBB', participant: bob, method: 'request', requestedAt: 9000 });
      await deletePendingRequests(store.db, group, bob);
      assert.equal(await findPendingRequest(store.db, group, bob), undefined);
      assert.equal((await listInviteJoins(store.db, group)).length, 4);
    });
  });
}
