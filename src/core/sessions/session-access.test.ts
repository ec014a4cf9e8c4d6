// SessionAccess: which session a command names and whether the caller may use it — user keys their own, the
// admin key all, a session token exactly its own (without revealing whether other ids exist) — phone lookups
// among the caller's sessions only, and a session that is not connected explained in words that say what to do.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Me } from '../../engine/types.js';
import type { Store } from '../../store/open-database.js';
import { createApiKey } from '../../store/repos/api-keys.js';
import { createSession } from '../../store/repos/sessions.js';
import { TEST_DIALECTS, openTestStore } from '../../store/testing.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError, type AppCodeName } from '../errors.js';
import { SessionAccess, type SessionSelector } from './session-access.js';
import { SessionRuntime } from './session-runtime.js';

const silent = { info() {}, warn() {}, error() {} };
const ADMIN: Principal = { kind: 'admin' };
const token = (sessionId: string): Principal => ({ kind: 'session', sessionId });
const me = (phone: string): Me => ({ id: `${phone}@s.whatsapp.net`, lid: `${phone}9@lid`, name: null });

function refused(code: AppCodeName, message?: RegExp) {
  return (err: unknown) => err instanceof GatewayError && err.code === code && (!message || message.test(err.message));
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: session access`, () => {
    let store: Store;
    let access: SessionAccess;
    let alice: Principal;
    const engines = new Map<string, FakeEngineSession>();
    const runtimes = new Map<string, SessionRuntime>();

    /** A session this node runs, over a fake engine that has connected (and then moved to `status`, when given). */
    async function running(id: string, phone: string | null, then?: (engine: FakeEngineSession) => void) {
      const engine = new FakeEngineSession({ sessionId: id, me: phone ? me(phone) : null, status: 'STOPPED' });
      const runtime = new SessionRuntime(id, engine, store.db, silent);
      await engine.start();
      then?.(engine);
      await runtime.flush();
      engines.set(id, engine);
      runtimes.set(id, runtime);
    }

    before(async () => {
      store = await openTestStore(dialect);
      const aliceKey = await createApiKey(store.db, { name: 'alice', keyHash: 'a'.repeat(64) });
      const bobKey = await createApiKey(store.db, { name: 'bob', keyHash: 'b'.repeat(64) });
      alice = { kind: 'user', keyId: aliceKey.id };
      for (const id of ['a-work', 'a-recon', 'a-qr', 'a-idle']) await createSession(store.db, { id, ownerKeyId: aliceKey.id });
      await createSession(store.db, { id: 'a-stale', ownerKeyId: aliceKey.id, status: 'WORKING', shouldRun: true, meId: '15550000003@s.whatsapp.net' });
      await createSession(store.db, { id: 'b-work', ownerKeyId: bobKey.id });
      await running('a-work', '15550000001');
      await running('a-recon', '15550000002', (engine) =>
        engine.setStatus({ status: 'RECONNECTING', attempt: 1, delayMs: 1000, disconnect: { code: 428, reason: 'connection closed' } })
      );
      await running('a-qr', null);
      await running('b-work', '15550000009');
      access = new SessionAccess(store.db, { runtime: (id) => runtimes.get(id) });
    });
    after(() => store.close());

    const find = (principal: Principal | null, session: SessionSelector) => access.find({ principal, session });
    const working = (principal: Principal | null, session: SessionSelector) => access.working({ principal, session });

    it('a user key finds its own sessions and is refused (403) another owner’s', async () => {
      assert.equal((await find(alice, { sessionId: 'a-work' })).id, 'a-work');
      assert.equal((await find(alice, { sessionId: 'a-idle' })).id, 'a-idle');
      await assert.rejects(find(alice, { sessionId: 'b-work' }), refused('FORBIDDEN'));
      await assert.rejects(working(alice, { sessionId: 'b-work' }), refused('FORBIDDEN'));
      await assert.rejects(find(alice, {}), refused('SESSION_REQUIRED'));
    });

    it('the admin key finds every session', async () => {
      for (const id of ['a-work', 'a-idle', 'b-work']) assert.equal((await find(ADMIN, { sessionId: id })).id, id);
    });

    it('a session token means its own session; naming another is 403, even one that does not exist', async () => {
      assert.equal((await find(token('a-work'), {})).id, 'a-work');
      assert.equal((await find(token('a-work'), { sessionId: 'a-work' })).id, 'a-work');
      await assert.rejects(find(token('a-work'), { sessionId: 'b-work' }), refused('FORBIDDEN', /valid for session "a-work" only/));
      await assert.rejects(find(token('a-work'), { sessionId: 'no-such-session' }), refused('FORBIDDEN', /valid for session "a-work" only/));
      await assert.rejects(find(token('a-work'), { phone: '15550000009' }), refused('SESSION_NOT_FOUND'), 'another session’s number');
      assert.equal((await find(token('a-work'), { phone: '15550000001' })).id, 'a-work');
    });

    it('a sessionId and a phone that name different sessions are INVALID_PARAMETER', async () => {
      assert.equal((await find(ADMIN, { sessionId: 'a-work', phone: '15550000001' })).id, 'a-work');
      await assert.rejects(find(ADMIN, { sessionId: 'a-work', phone: '15550000009' }), refused('INVALID_PARAMETER', /name different sessions/));
    });

    it('a phone is looked up only among the caller’s working sessions', async () => {
      assert.equal((await find(alice, { phone: '15550000001' })).id, 'a-work');
      await assert.rejects(find(alice, { phone: '15550000009' }), refused('SESSION_NOT_FOUND', /No working session of yours/), 'Bob’s number');
      await assert.rejects(find(alice, { phone: '15550000002' }), refused('SESSION_NOT_FOUND'), 'her own, but reconnecting');
      await assert.rejects(find(alice, { phone: '15550000003' }), refused('SESSION_NOT_FOUND'), 'her own, stored WORKING but not run here');
      assert.equal((await find(ADMIN, { phone: '15550000009' })).id, 'b-work');
    });

    it('working() hands out the connected engine, and says what to do when the session is not connected', async () => {
      const live = await working(alice, { sessionId: 'a-work' });
      assert.equal(live.engine, engines.get('a-work'));
      assert.equal(live.runtime, runtimes.get('a-work'));
      assert.equal(live.phone, '15550000001');
      assert.equal((await access.workingById('b-work')).session.id, 'b-work');

      const notConnected = async (id: string) => {
        const err = await working(alice, { sessionId: id }).then(() => assert.fail(`${id} is not connected`), (e: unknown) => e);
        assert.ok(err instanceof GatewayError && err.code === 'SESSION_NOT_LOGGED_IN', String(err));
        return err.message;
      };
      const reconnecting = await notConnected('a-recon');
      assert.match(reconnecting, /RECONNECTING.*reconnecting; retry/);
      assert.doesNotMatch(reconnecting, /scan the QR/);
      assert.match(await notConnected('a-qr'), /SCAN_QR_CODE.*scan the QR/);
      assert.match(await notConnected('a-idle'), /STOPPED.*start it/, 'not run by this node');
      assert.match(await notConnected('a-stale'), /STARTING/, 'a stored WORKING without a runtime is stale: never treated as connected');
    });
  });
}
