// The group rules through the Groups commands, against the fake engine's WhatsApp: what we refuse before asking
// WhatsApp (locked info, not a member, not an admin, participants who cannot be changed), what WhatsApp's
// refusals become, and that a refusal drops the cached metadata so the next check reads the truth.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Store } from '../../store/open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError, type AppCodeName } from '../errors.js';
import { SessionAccess } from '../sessions/session-access.js';
import { SessionRuntime } from '../sessions/session-runtime.js';
import type { GroupCommand } from './group-context.js';
import { Groups } from './groups.js';
import { GroupMetadataCache } from './metadata-cache.js';

const silent = { info() {}, warn() {}, error() {} };
const ADMIN: Principal = { kind: 'admin' };
const SESSION = 'gr';
const ME = { id: '15550001111@s.whatsapp.net', lid: '900000000000001@lid', name: 'Gateway' };
const CREATOR = '15550002222@s.whatsapp.net';
const ALICE = '15550003333@s.whatsapp.net';
const BOB = '15550004444@s.whatsapp.net';
const STRANGER = '15550005555@s.whatsapp.net';

const LOCKED = '120363000000000001@g.us';
const OPEN = '120363000000000002@g.us';
const NOT_IN = '120363000000000003@g.us';
const RUN = '120363000000000004@g.us';
const UNKNOWN = '120363000000000099@g.us';

const on = (groupId: string): GroupCommand => ({ principal: ADMIN, session: { sessionId: SESSION }, groupId });

function refused(code: AppCodeName, message?: RegExp) {
  return (err: unknown) => err instanceof GatewayError && err.code === code && (!message || message.test(err.message));
}

/** A connected session (a real SessionRuntime over the fake engine) in four groups, and the Groups commands on it. */
async function connect(store: Store) {
  const engine = new FakeEngineSession({ sessionId: SESSION, me: ME, status: 'STOPPED' });
  const runtime = new SessionRuntime(SESSION, engine, store.db, silent);
  await engine.start();
  await runtime.flush();
  const access = new SessionAccess(store.db, { runtime: (id) => (id === SESSION ? runtime : undefined) });
  const groups = new Groups({ access, metadataCache: new GroupMetadataCache(), pictures: { allowPrivate: false } });
  const creator = { jid: CREATOR, admin: 'superadmin' as const };
  engine.addGroup({ id: LOCKED, subject: 'Locked', restrict: true, participants: [creator, { jid: ME.id, lid: ME.lid }] });
  engine.addGroup({ id: OPEN, subject: 'Open', participants: [creator, { jid: ME.id, lid: ME.lid }] });
  engine.addGroup({ id: NOT_IN, subject: 'Elsewhere', participants: [creator, { jid: ALICE }] });
  engine.addGroup({ id: RUN, subject: 'Ours', participants: [creator, { jid: ME.id, lid: ME.lid, admin: 'admin' }, { jid: ALICE }, { jid: BOB }] });
  return { engine, groups };
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: group rules`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, SESSION);
    });
    after(() => store.close());

    it('a member may rename an open group; renaming a locked one is GROUP_NOT_ADMIN and WhatsApp is not asked', async () => {
      const { engine, groups } = await connect(store);
      await assert.rejects(groups.setName(on(LOCKED), 'Renamed'), refused('GROUP_NOT_ADMIN', /locked/));
      assert.equal(engine.calls('groups.updateSubject'), 0);
      assert.equal(engine.group(LOCKED).subject, 'Locked');

      assert.equal((await groups.setName(on(OPEN), 'Renamed')).name, 'Renamed');
      assert.equal(engine.calls('groups.updateSubject'), 1);
      assert.equal(engine.group(OPEN).subject, 'Renamed');
    });

    it('a group we are not in is GROUP_NOT_MEMBER (nothing attempted); one that does not exist is GROUP_NOT_FOUND', async () => {
      const { engine, groups } = await connect(store);
      await assert.rejects(groups.info(on(NOT_IN)), refused('GROUP_NOT_MEMBER'));
      await assert.rejects(groups.setName(on(NOT_IN), 'Mine now'), refused('GROUP_NOT_MEMBER'));
      await assert.rejects(groups.changeParticipants(on(NOT_IN), 'remove', [ALICE]), refused('GROUP_NOT_MEMBER'));
      assert.equal(engine.calls('groups.updateSubject') + engine.calls('groups.participants'), 0);
      await assert.rejects(groups.info(on(UNKNOWN)), refused('GROUP_NOT_FOUND'));
    });

    it('WhatsApp refusing a change our check allowed is GROUP_NOT_ADMIN, and the cached metadata is dropped', async () => {
      const { engine, groups } = await connect(store);
      await groups.info(on(RUN));
      await groups.info(on(RUN));
      assert.equal(engine.calls('groups.metadata'), 1, 'the second read is served from the cache');

      engine.failNext('groups.updateSubject', 401);
      await assert.rejects(groups.setName(on(RUN), 'Renamed'), refused('GROUP_NOT_ADMIN'));
      assert.equal(engine.calls('groups.updateSubject'), 1);
      assert.equal(engine.calls('groups.metadata'), 1, 'our check used the cache');
      await groups.info(on(RUN));
      assert.equal(engine.calls('groups.metadata'), 2, 'the refusal dropped the cached entry');

      // Demoted on a phone, notification missed: the cache still says admin, WhatsApp refuses, the next check knows.
      engine.group(RUN).participants.find((p) => p.jid === ME.id)!.admin = null;
      await assert.rejects(groups.setSwitch(on(RUN), 'announcement', true), refused('GROUP_NOT_ADMIN'));
      await assert.rejects(groups.setSwitch(on(RUN), 'announcement', true), refused('GROUP_NOT_ADMIN', /not an admin/));
      assert.equal(engine.calls('groups.setting'), 1, 'the second refusal came from our own check');
      assert.equal(engine.group(RUN).announce, false);
    });

    it('participants: non-members and the creator are refused before asking WhatsApp; results are per participant', async () => {
      const { engine, groups } = await connect(store);
      const stranger = await groups.changeParticipants(on(RUN), 'remove', [STRANGER]);
      assert.deepEqual(stranger.participants, [{ phone: '15550005555', jid: STRANGER, status: 'failed', reason: 'is not a member of the group' }]);
      for (const action of ['promote', 'demote'] as const) {
        const creator = await groups.changeParticipants(on(RUN), action, [CREATOR]);
        assert.deepEqual(creator.failed.map((p) => [p.jid, p.status]), [[CREATOR, 'not permitted']]);
      }
      assert.equal(engine.calls('groups.participants'), 0, 'nothing was sent to WhatsApp');

      const removed = await groups.changeParticipants(on(RUN), 'remove', [ALICE, STRANGER]);
      assert.deepEqual(removed.done.map((p) => [p.phone, p.status, p.code]), [['15550003333', 'removed', 200]]);
      assert.deepEqual(removed.failed.map((p) => p.jid), [STRANGER]);
      assert.equal(engine.calls('groups.participants'), 1, 'only Alice was sent');
      assert.equal(engine.group(RUN).participants.some((p) => p.jid === ALICE), false);

      const added = await groups.changeParticipants(on(RUN), 'add', [BOB, STRANGER]);
      assert.deepEqual(added.done.map((p) => p.jid), [STRANGER]);
      assert.deepEqual(added.failed.map((p) => [p.jid, p.code, p.reason]), [[BOB, 409, 'is already a member of the group']]);

      await assert.rejects(groups.changeParticipants(on(OPEN), 'add', [ALICE]), refused('GROUP_NOT_ADMIN'), 'members may not add here');
      assert.equal(engine.calls('groups.participants'), 2);
    });

    it('disbanding as a non-admin is FORBIDDEN with the members listed; as an admin it removes, revokes and leaves', async () => {
      const { engine, groups } = await connect(store);
      await assert.rejects(groups.disband(on(OPEN)), (err: unknown) => {
        assert.ok(refused('FORBIDDEN', /not an admin/)(err));
        const details = (err as GatewayError).details as { normMembers: { jid: string; isSelf: boolean; isSuperAdmin: boolean }[] };
        assert.deepEqual(details.normMembers.map((m) => [m.jid, m.isSelf, m.isSuperAdmin]), [[CREATOR, false, true], [ME.id, true, false]]);
        return true;
      });
      assert.equal(engine.calls('groups.participants') + engine.calls('groups.revokeInvite') + engine.calls('groups.leave'), 0);

      const codeBefore = engine.inviteCodeOf(RUN);
      const disbanded = await groups.disband(on(RUN));
      assert.deepEqual(disbanded.removed, [ALICE, BOB]);
      assert.deepEqual(disbanded.notRemoved, [CREATOR], 'WhatsApp does not let an admin remove the creator');
      assert.notEqual(engine.inviteCodeOf(RUN), codeBefore);
      assert.deepEqual(engine.group(RUN).participants.map((p) => p.jid), [CREATOR]);
      await assert.rejects(groups.info(on(RUN)), refused('GROUP_NOT_MEMBER'));
    });
  });
}
