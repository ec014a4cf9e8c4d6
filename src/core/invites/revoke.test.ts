import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Store } from '../../store/open-database.js';
import { listInviteCodes } from '../../store/repos/invite-codes.js';
import { listEvents } from '../../store/repos/outbox.js';
import type { Session } from '../../store/repos/sessions.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import { GatewayError } from '../errors.js';
import type { GroupContext } from '../groups/group-context.js';
import { uncachedMetadata } from '../groups/metadata-cache.js';
import { KeyedLock } from './keyed-lock.js';
import { revokeInvite } from './revoke.js';

const ME = { id: '15550001111@s.whatsapp.net', lid: '777@lid', name: 'Gateway' };
const GROUP = '1203630099@g.us';

/** A connected engine in a group where we are admin and whose invite code is OLDCODE0001. */
function fakeContext(session: Session): { ctx: GroupContext; engine: FakeEngineSession } {
  const engine = new FakeEngineSession({ sessionId: session.id, me: ME });
  engine.addGroup({ id: GROUP, subject: 'Group', inviteCode: 'OLDCODE0001', participants: [{ jid: ME.id, lid: ME.lid, admin: 'admin' }] });
  return { ctx: { session, engine, phone: '15550001111', metadata: uncachedMetadata(engine), groupId: GROUP }, engine };
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: revoke path`, () => {
    let store: Store;
    let session: Session;
    before(async () => {
      store = await openTestStore(dialect);
      session = await seedSession(store.db, 'rv');
    });
    after(() => store.close());

    it('WhatsApp refusing at revoke time (demoted after our check) is 403 GROUP_NOT_ADMIN and records no change', async () => {
      const deps = { db: store.db, lock: new KeyedLock(), minIntervalSeconds: 0 };
      const { ctx, engine } = fakeContext(session);
      engine.failNext('groups.revokeInvite', 401);
      await assert.rejects(
        revokeInvite(deps, { ctx, revokedBy: { kind: 'api_key', id: 'admin' }, via: 'api', bypassGuard: false }),
        (err: unknown) => err instanceof GatewayError && err.code === 'GROUP_NOT_ADMIN' && /nothing was changed/.test(err.message),
      );
      const codes = await listInviteCodes(store.db, { sessionId: 'rv', groupId: GROUP });
      assert.deepEqual(codes.map((c) => [c.code, c.revokedAt]), [['OLDCODE0001', null]], 'only the code read before revoking');
      assert.deepEqual(await listEvents(store.db, { sessionId: 'rv', limit: 10 }), []);
    });

    it('a policy revoke waiting for a code that is already gone does nothing', async () => {
      const deps = { db: store.db, lock: new KeyedLock(), minIntervalSeconds: 0 };
      const { ctx, engine } = fakeContext(session);
      const first = await revokeInvite(deps, { ctx, revokedBy: { kind: 'policy', id: 'one_time' }, via: 'policy', bypassGuard: true, onlyIfCurrent: 'OLDCODE0001' });
      const second = await revokeInvite(deps, { ctx, revokedBy: { kind: 'policy', id: 'one_time' }, via: 'policy', bypassGuard: true, onlyIfCurrent: 'OLDCODE0001' });
      const code = engine.inviteCodeOf(GROUP);
      assert.notEqual(code, 'OLDCODE0001');
      assert.deepEqual(first, { code, previousCode: 'OLDCODE0001', inviteLink: `https://chat.whatsapp.com/${code}` });
      assert.equal(second, undefined);
      assert.equal(engine.calls('groups.revokeInvite'), 1);
      const [event] = await listEvents(store.db, { sessionId: 'rv', limit: 10 });
      assert.equal(event?.event, 'group.update');
      assert.deepEqual(event?.payload.changes, { inviteCode: code, previousCode: 'OLDCODE0001' });
    });
  });
}
