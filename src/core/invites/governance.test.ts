// InviteGovernance end to end over the fake engine and a real SessionRuntime: the revoke with its lineage, the
// chatter guard and who may force past it, the metadata cache serving the admin check, and invite policies that
// are armed only while this node runs the session (the translator attached) and fire once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRemoteError } from '../../engine/errors.js';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Store } from '../../store/open-database.js';
import { getInvitePolicy } from '../../store/repos/invite-policies.js';
import { listEvents } from '../../store/repos/outbox.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import { GroupMetadataCache } from '../groups/metadata-cache.js';
import { SessionAccess } from '../sessions/session-access.js';
import { SessionRuntime } from '../sessions/session-runtime.js';
import { InviteGovernance, type RevokeCommand } from './invite-governance.js';

const silent = { info() {}, warn() {}, error() {} };
const SESSION = 'gv';
const ME = { id: '15550001111@s.whatsapp.net', lid: '900000000000001@lid', name: 'Gateway' };
const CREATOR = '15550002222@s.whatsapp.net';
const REVOKED = '120363000000000010@g.us';
const POLICED = '120363000000000011@g.us';
const ADMIN: Principal = { kind: 'admin' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every few ms until it answers something truthy. */
async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: invite governance`, () => {
    let store: Store;
    let engine: FakeEngineSession;
    let runtime: SessionRuntime;
    let invites: InviteGovernance;
    let owner: Principal;
    const on = (groupId: string, principal: Principal, force?: boolean): RevokeCommand => ({ principal, session: { sessionId: SESSION }, groupId, force });
    const policyEvents = async () => (await listEvents(store.db, { sessionId: SESSION, limit: 1000 })).filter((e) => e.event === 'group.invite_policy');

    before(async () => {
      store = await openTestStore(dialect);
      const session = await seedSession(store.db, SESSION);
      owner = { kind: 'user', keyId: session.ownerKeyId };
      engine = new FakeEngineSession({ sessionId: SESSION, me: ME, status: 'STOPPED' });
      runtime = new SessionRuntime(SESSION, engine, store.db, silent);
      await engine.start();
      await runtime.flush();
      const access = new SessionAccess(store.db, { runtime: (id) => (id === SESSION ? runtime : undefined) });
      invites = new InviteGovernance({ db: store.db, logger: silent, minIntervalSeconds: 60, groups: { access, metadataCache: new GroupMetadataCache() } });
      const participants = [{ jid: CREATOR, admin: 'superadmin' as const }, { jid: ME.id, lid: ME.lid, admin: 'admin' as const }];
      engine.addGroup({ id: REVOKED, subject: 'Revoked', inviteCode: 'FirstCode0001', participants });
      engine.addGroup({ id: POLICED, subject: 'Policed', participants });
    });
    after(async () => {
      await invites.stop();
      await runtime.dispose();
      await store.close();
    });

    it('a revoke answers the new and the previous code and records the lineage; the old link stops working', async () => {
      const outcome = await invites.revoke(on(REVOKED, owner));
      const code = engine.inviteCodeOf(REVOKED);
      assert.deepEqual(outcome, {
        code,
        previousCode: 'FirstCode0001',
        inviteLink: `https://chat.whatsapp.com/${code}`,
        on: { sessionId: SESSION, phone: '15550001111', groupId: REVOKED }
      });
      const history = await invites.history(on(REVOKED, owner));
      assert.equal(history.currentCode, code);
      assert.deepEqual(
        history.codes.map((c) => [c.code, c.seenVia, c.revokedAt !== null, c.revokedBy?.kind ?? null, c.revokedBy?.id ?? null]),
        [['FirstCode0001', 'initial', true, 'api_key', owner.keyId], [code, 'api', false, null, null]]
      );
      await assert.rejects(engine.groups.inviteInfo('FirstCode0001'), (err: unknown) => err instanceof EngineRemoteError && err.code === 410);
      assert.equal(engine.calls('groups.metadata'), 1);
    });

    it('a second revoke within the interval is INVITE_REVOKE_TOO_SOON; only the admin key may force it, through the cached metadata', async () => {
      const revokes = engine.calls('groups.revokeInvite');
      await assert.rejects(invites.revoke(on(REVOKED, owner)), (err: unknown) => {
        assert.ok(err instanceof GatewayError && err.code === 'INVITE_REVOKE_TOO_SOON', String(err));
        assert.ok(err.retryAfterSeconds !== undefined && err.retryAfterSeconds > 0 && err.retryAfterSeconds <= 60, `retryAfterSeconds ${err.retryAfterSeconds}`);
        return true;
      });
      await assert.rejects(invites.revoke(on(REVOKED, owner, true)), (err: unknown) => err instanceof GatewayError && err.code === 'FORBIDDEN' && /admin key/.test(err.message));
      assert.equal(engine.calls('groups.revokeInvite'), revokes, 'nothing was attempted');

      const previous = engine.inviteCodeOf(REVOKED);
      const forced = await invites.revoke(on(REVOKED, ADMIN, true));
      assert.equal(forced.previousCode, previous);
      assert.equal(forced.code, engine.inviteCodeOf(REVOKED));
      assert.equal(engine.calls('groups.revokeInvite'), revokes + 1);
      assert.equal(engine.calls('groups.metadata'), 1, 'every admin check after the first read came from the cache');
    });

    it('policies are armed only while the session runs here: a due revoke fires once after attaching, not while detached', async () => {
      const revokeAt = Date.now() + 30;
      await invites.savePolicy(on(POLICED, owner), { revokeAt: new Date(revokeAt).toISOString() });
      const before = engine.calls('groups.revokeInvite');
      await sleep(revokeAt + 30 - Date.now());
      assert.equal(engine.calls('groups.revokeInvite'), before, 'detached: nothing fired');
      assert.deepEqual(await policyEvents(), []);

      const detach = invites.translator(runtime, (event, payload) => runtime.record(event, payload));
      const [fired] = await until(async () => {
        const events = await policyEvents();
        return events.length > 0 && events;
      }, 'the policy to fire');
      assert.deepEqual(
        [fired?.payload.policy, fired?.payload.status, fired?.payload.code, fired?.payload.groupId],
        ['revoke_at', 'fired', engine.inviteCodeOf(POLICED), POLICED]
      );
      assert.equal(engine.calls('groups.revokeInvite'), before + 1);
      assert.equal((await getInvitePolicy(store.db, { sessionId: SESSION, groupId: POLICED }))?.revokeAt, null, 'the one-shot time is cleared');

      // While attached, a revoke made on a phone reaches the lineage through the translator.
      engine.notifyUpdate(POLICED, { inviteCode: 'PhoneCode0001' }, { jid: CREATOR, lid: null, pn: CREATOR });
      const history = await until(async () => {
        const found = await invites.history(on(POLICED, owner));
        return found.currentCode === 'PhoneCode0001' && found;
      }, 'the phone revoke to be recorded');
      assert.deepEqual(history.codes.map((c) => [c.seenVia, c.revokedBy?.kind ?? null]), [['initial', 'policy'], ['policy', 'phone'], ['phone', null]]);

      // Detached again: a new due time does not fire here.
      detach();
      const nextAt = Date.now() + 20;
      await invites.savePolicy(on(POLICED, owner), { revokeAt: new Date(nextAt).toISOString() });
      await sleep(nextAt + 30 - Date.now());
      assert.equal(engine.calls('groups.revokeInvite'), before + 1, 'fired once, and not again once detached');
      assert.equal((await policyEvents()).length, 1);
    });
  });
}
