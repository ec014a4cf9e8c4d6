import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Store } from '../../store/open-database.js';
import { getInvitePolicy, saveInvitePolicy } from '../../store/repos/invite-policies.js';
import { listEvents } from '../../store/repos/outbox.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import { uncachedMetadata } from '../groups/metadata-cache.js';
import { nextDueAt, PolicyRunner } from './policy-runner.js';
import type { RevokeRequest } from './revoke.js';

const silent = { info() {}, warn() {}, error() {} };
const HOUR = 3_600_000;

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: policy runner (time-based rules)`, () => {
    let store: Store;
    const ref = { sessionId: 'pr', groupId: '1203630077@g.us' };
    const revokes: RevokeRequest[] = [];
    let runner: PolicyRunner;
    before(async () => {
      store = await openTestStore(dialect);
      const session = await seedSession(store.db, 'pr');
      const engine = new FakeEngineSession({ sessionId: 'pr' });
      runner = new PolicyRunner({
        db: store.db,
        logger: silent,
        context: async () => ({ session, engine, phone: null, metadata: uncachedMetadata(engine), groupId: ref.groupId }),
        revoke: async (request) => {
          revokes.push(request);
          return { code: `CODE${revokes.length}`, previousCode: `CODE${revokes.length - 1}`, inviteLink: '' };
        },
      });
    });
    after(() => store.close());

    it('a rotation missed for many periods fires once, and the next one is a full interval from now', async () => {
      const t0 = 1_000_000;
      await saveInvitePolicy(store.db, ref, { revokeAt: null, rotateEvery: 3600, nextRotateAt: t0 + HOUR, oneTime: false, floodBreaker: null }, t0);
      const now = t0 + 10 * HOUR + 5;
      const next = await runner.runDue(ref, now);
      assert.equal(revokes.length, 1);
      assert.deepEqual(revokes[0]!.revokedBy, { kind: 'policy', id: 'rotate_every' });
      assert.equal(revokes[0]!.bypassGuard, true);
      assert.equal(next, now + HOUR);
      assert.equal(await runner.runDue(ref, now + 1000), now + HOUR, 'not due again');
      assert.equal(revokes.length, 1);
      const policy = await getInvitePolicy(store.db, ref);
      assert.equal(policy?.lastFiredRule, 'rotate_every');
      const fired = (await listEvents(store.db, { sessionId: 'pr', limit: 10 })).filter((e) => e.event === 'group.invite_policy');
      assert.deepEqual(fired.map((e) => [e.payload.policy, e.payload.status, e.payload.code]), [['rotate_every', 'fired', 'CODE1']]);
    });

    it('a due one-shot revoke fires once and is cleared; the rotation keeps its own time', async () => {
      const t0 = Date.now();
      const policy = await saveInvitePolicy(store.db, ref, { revokeAt: t0 + 1000, rotateEvery: 3600, nextRotateAt: t0 + HOUR, oneTime: false, floodBreaker: null }, t0);
      assert.equal(nextDueAt(policy), t0 + 1000);
      const next = await runner.runDue(ref, t0 + 2000);
      assert.equal(revokes.length, 2);
      assert.equal(revokes[1]!.revokedBy.id, 'revoke_at');
      assert.equal(next, t0 + HOUR);
      assert.equal((await getInvitePolicy(store.db, ref))?.revokeAt, null);
    });
  });
}
