import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { deleteSession } from './sessions.js';
import { currentInviteCode, findInviteCode, insertInviteCode, lastRevokedAt, listInviteCodes, markInviteCodeRevoked } from './invite-codes.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: invite codes`, () => {
    let store: Store;
    const group = { sessionId: 'inv', groupId: '1203630001@g.us' };
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 'inv');
    });
    after(() => store.close());

    it('keeps the lineage: the current code, revoked ones with who revoked them, the last revoke time', async () => {
      assert.equal(await currentInviteCode(store.db, group), undefined);
      assert.equal(await lastRevokedAt(store.db, group), undefined);
      const first = await insertInviteCode(store.db, { ...group, code: 'FIRSTCODE01', seenVia: 'initial', seenAt: 1000 });
      assert.equal((await currentInviteCode(store.db, group))?.code, 'FIRSTCODE01');

      await markInviteCodeRevoked(store.db, first.id, 2000, { kind: 'api_key', id: 'admin', name: 'admin' });
      await insertInviteCode(store.db, { ...group, code: 'SECONDCODE2', seenVia: 'api', seenAt: 2000 });
      assert.equal((await currentInviteCode(store.db, group))?.code, 'SECONDCODE2');
      assert.equal(await lastRevokedAt(store.db, group), 2000);

      const codes = await listInviteCodes(store.db, group);
      assert.deepEqual(codes.map((c) => [c.code, c.seenVia, c.revokedAt]), [['FIRSTCODE01', 'initial', 2000], ['SECONDCODE2', 'api', null]]);
      assert.deepEqual(codes[0]!.revokedBy, { kind: 'api_key', id: 'admin', name: 'admin' });
      assert.equal((await findInviteCode(store.db, group, 'FIRSTCODE01'))?.id, first.id);
      assert.equal(await currentInviteCode(store.db, { ...group, groupId: '999@g.us' }), undefined);
    });

    it('goes with its session', async () => {
      await deleteSession(store.db, 'inv');
      assert.deepEqual(await listInviteCodes(store.db, group), []);
    });
  });
}
