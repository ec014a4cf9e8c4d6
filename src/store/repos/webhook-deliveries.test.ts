import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { insertEvent } from './outbox.js';
import {
  claimDelivery,
  enqueueDeliveries,
  expediteDeliveries,
  laneHead,
  listDeliveries,
  listLaneHeads,
  recordDeliveryOutcome,
  releaseLeases,
  requeueDeliveries,
  type DeliveryOutcome,
} from './webhook-deliveries.js';

const lease = (until: number, owner = 'node-1') => ({ until, owner });
const A = 'http://a.test/hook';
const B = 'http://b.test/hook';

const settled = (state: DeliveryOutcome['state'], at: number): DeliveryOutcome => ({
  state,
  attempts: 1,
  nextAttemptAt: at,
  firstAttemptAt: at,
  lastStatus: state === 'delivered' ? 200 : 500,
  lastError: state === 'delivered' ? null : 'HTTP 500',
  deliveredAt: state === 'delivered' ? at : null,
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: webhook deliveries`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      for (const [i, id] of ['e1', 'e2', 'e3'].entries()) {
        await insertEvent(store.db, { id, sessionId: 's', event: 'call', payload: {}, createdAt: 1000 + i });
      }
      await insertEvent(store.db, { id: 'f1', sessionId: 't', event: 'call', payload: {}, createdAt: 1000 });
    });
    after(() => store.close());

    it('queues one row per (event, url), ignoring repeats', async () => {
      const queued = await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A, B] }, 10);
      assert.deepEqual(await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A] }, 11), []);
      await enqueueDeliveries(store.db, { eventId: 'e2', sessionId: 's', urls: [A] }, 12);
      await enqueueDeliveries(store.db, { eventId: 'f1', sessionId: 't', urls: [A] }, 13);
      const rows = await listDeliveries(store.db, { limit: 10 });
      assert.equal(rows.length, 4);
      // What was queued is returned as stored: the rows a dispatcher is told of after the commit.
      assert.deepEqual(
        queued.map((row) => [row.eventId, row.url, row.state, row.nextAttemptAt]),
        [['e1', A, 'pending', 10], ['e1', B, 'pending', 10]],
      );
      assert.deepEqual(queued, rows.filter((row) => row.eventId === 'e1').sort((a, b) => a.id - b.id));
      assert.ok(rows.every((row) => row.state === 'pending' && row.attempts === 0));
    });

    it('lists only the head of each (session, url) lane, soonest due first, skipping excluded urls', async () => {
      const heads = await listLaneHeads(store.db, { excludeUrls: [], limit: 10 });
      assert.deepEqual(
        heads.map((h) => [h.eventId, h.url]),
        [['e1', A], ['e1', B], ['f1', A]],
      );
      const withoutA = await listLaneHeads(store.db, { excludeUrls: [A], limit: 10 });
      assert.deepEqual(withoutA.map((h) => [h.eventId, h.url]), [['e1', B]]);
    });

    it('claims a head once; a second claim of the same read fails', async () => {
      const [head] = await listLaneHeads(store.db, { excludeUrls: [B], limit: 1 });
      assert.ok(head);
      assert.equal(await claimDelivery(store.db, head, lease(5000), 20), true);
      assert.equal(await claimDelivery(store.db, head, lease(5000), 20), false);
      // The lane stays blocked behind its in-flight head: e2 is not offered.
      const heads = await listLaneHeads(store.db, { excludeUrls: [B], limit: 10 });
      const headOfA = heads.find((h) => h.sessionId === 's' && h.url === A);
      assert.equal(headOfA?.eventId, 'e1');
      assert.equal(headOfA?.state, 'in_flight');
      assert.equal(headOfA?.nextAttemptAt, 5000);
      // The same head, read for its lane alone: the row in flight, not the pending one behind it.
      assert.deepEqual(await laneHead(store.db, { sessionId: 's', url: A }), headOfA);

      assert.equal(await recordDeliveryOutcome(store.db, head.id, settled('delivered', 30), 30), true);
      assert.equal(await recordDeliveryOutcome(store.db, head.id, settled('failed', 31), 31), false);
      const next = await listLaneHeads(store.db, { excludeUrls: [B], limit: 10 });
      assert.ok(next.some((h) => h.sessionId === 's' && h.url === A && h.eventId === 'e2'));
      assert.equal((await laneHead(store.db, { sessionId: 's', url: A }))?.eventId, 'e2');
      // Another session's lane to the same url, and a lane with nothing queued.
      assert.equal((await laneHead(store.db, { sessionId: 't', url: A }))?.eventId, 'f1');
      assert.equal(await laneHead(store.db, { sessionId: 't', url: B }), undefined);
    });

    it('re-queues one event, or a session’s failed/dead rows since a time, with a fresh budget', async () => {
      const e2 = (await listDeliveries(store.db, { eventId: 'e2', limit: 1 }))[0]!;
      await claimDelivery(store.db, e2, lease(9000), 40);
      await recordDeliveryOutcome(store.db, e2.id, settled('dead', 41), 41);
      const e1b = (await listDeliveries(store.db, { eventId: 'e1', limit: 5 })).find((row) => row.url === B)!;
      await claimDelivery(store.db, e1b, lease(9000), 42);
      await recordDeliveryOutcome(store.db, e1b.id, settled('failed', 43), 43);

      // e1@A is delivered and e1@B failed, but e1 is older than `since`: only e2 qualifies.
      assert.equal(await requeueDeliveries(store.db, { sessionId: 's', since: 1001, states: ['failed', 'dead'] }, 50), 1);
      const requeued = (await listDeliveries(store.db, { eventId: 'e2', limit: 1 }))[0]!;
      assert.deepEqual([requeued.state, requeued.attempts, requeued.nextAttemptAt], ['pending', 0, 50]);

      assert.equal(await requeueDeliveries(store.db, { eventId: 'e1' }, 60), 2);
      assert.deepEqual(
        (await listDeliveries(store.db, { eventId: 'e1', limit: 5 })).map((row) => row.state),
        ['pending', 'pending'],
      );
      assert.equal(await requeueDeliveries(store.db, { eventId: 'e1' }, 61), 0);
      assert.deepEqual(
        (await listDeliveries(store.db, { sessionId: 's', states: ['pending'], limit: 10 })).length,
        3,
      );
    });
  });
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: webhook delivery lanes`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      for (const [i, id] of ['e1', 'e2', 'e3'].entries()) {
        await insertEvent(store.db, { id, sessionId: 's', event: 'call', payload: {}, createdAt: 1000 + i });
      }
    });
    afterEach(() => store.close());

    const row = async (eventId: string) => (await listDeliveries(store.db, { eventId, limit: 1 }))[0]!;
    const headOf = async () => (await listLaneHeads(store.db, { limit: 10 })).map((h) => [h.eventId, h.state]);
    const settle = async (eventId: string, state: DeliveryOutcome['state'], at = 100) => {
      assert.equal(await claimDelivery(store.db, await row(eventId), lease(9000), at), true);
      assert.equal(await recordDeliveryOutcome(store.db, (await row(eventId)).id, settled(state, at), at), true);
    };

    it('orders a lane by event, not by when its rows were queued', async () => {
      await enqueueDeliveries(store.db, { eventId: 'e3', sessionId: 's', urls: [A] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'e2', sessionId: 's', urls: [A] }, 10);
      assert.deepEqual(await headOf(), [['e2', 'pending']]);
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A] }, 10);
      assert.deepEqual(await headOf(), [['e1', 'pending']]);
    });

    it('puts a replayed dead row back ahead of the later events still waiting, but behind the one in flight', async () => {
      for (const id of ['e1', 'e2', 'e3']) await enqueueDeliveries(store.db, { eventId: id, sessionId: 's', urls: [A] }, 10);
      await settle('e1', 'dead');
      assert.deepEqual(await headOf(), [['e2', 'pending']], 'the lane moves on past a dead head');
      const e2 = await row('e2');
      assert.equal(await claimDelivery(store.db, e2, lease(9000), 200), true);

      assert.equal(await requeueDeliveries(store.db, { eventId: 'e1' }, 300), 1);
      assert.deepEqual(await headOf(), [['e2', 'in_flight']], 'one row in flight per lane');
      assert.equal(await claimDelivery(store.db, await row('e1'), lease(9000), 300), false);

      await recordDeliveryOutcome(store.db, e2.id, settled('delivered', 400), 400);
      assert.deepEqual(await headOf(), [['e1', 'pending']], 'the replayed event goes before e3');
      const replayed = await row('e1');
      assert.deepEqual([replayed.attempts, replayed.firstAttemptAt], [0, null], 'a fresh budget and retry window');
    });

    it('refuses to claim a row that an earlier event of its lane now precedes', async () => {
      for (const id of ['e1', 'e2']) await enqueueDeliveries(store.db, { eventId: id, sessionId: 's', urls: [A] }, 10);
      await settle('e1', 'dead');
      const [stale] = await listLaneHeads(store.db, { limit: 1 });
      assert.equal(stale?.eventId, 'e2');
      await requeueDeliveries(store.db, { eventId: 'e1' }, 20);
      assert.equal(await claimDelivery(store.db, stale, lease(9000), 30), false);
    });

    it('finds the head of every lane with work, across sessions and URLs, passing over lanes with none', async () => {
      const C = 'http://c.test/hook';
      for (const [i, [id, sessionId]] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['c1', 'c'], ['c2', 'c']].entries()) {
        await insertEvent(store.db, { id: id!, sessionId: sessionId!, event: 'call', payload: {}, createdAt: 2000 + i });
      }
      await enqueueDeliveries(store.db, { eventId: 'a1', sessionId: 'a', urls: [A, B] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'a2', sessionId: 'a', urls: [A, C] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'b1', sessionId: 'b', urls: [A, B, C] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'c1', sessionId: 'c', urls: [B] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'c2', sessionId: 'c', urls: [B] }, 10);
      const settleTarget = async (eventId: string, url: string) => {
        const [target] = (await listDeliveries(store.db, { eventId, limit: 5 })).filter((d) => d.url === url);
        assert.equal(await claimDelivery(store.db, target!, lease(9000), 50), true);
        assert.equal(await recordDeliveryOutcome(store.db, target!.id, settled('delivered', 50), 50), true);
      };
      await settleTarget('a1', B);
      for (const url of [A, B, C]) await settleTarget('b1', url);
      const [c1] = await listDeliveries(store.db, { eventId: 'c1', limit: 1 });
      assert.equal(await claimDelivery(store.db, c1!, lease(9000), 60), true);

      const heads = await listLaneHeads(store.db, { limit: 10 });
      assert.deepEqual(
        heads.map((h) => [h.sessionId, h.url, h.eventId, h.state]),
        [['a', A, 'a1', 'pending'], ['a', C, 'a2', 'pending'], ['c', B, 'c1', 'in_flight']],
      );
    });

    it('lists the heads of one URL only, or in one state only', async () => {
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A, B] }, 10);
      await claimDelivery(store.db, (await listLaneHeads(store.db, { url: B, limit: 1 }))[0]!, lease(9000), 20);
      assert.deepEqual((await listLaneHeads(store.db, { url: B, limit: 5 })).map((h) => h.state), ['in_flight']);
      assert.deepEqual((await listLaneHeads(store.db, { url: B, state: 'pending', limit: 5 })).length, 0);
      assert.deepEqual((await listLaneHeads(store.db, { state: 'pending', limit: 5 })).map((h) => h.url), [A]);
    });

    it('releases the leases of one node only', async () => {
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A, B] }, 10);
      const heads = await listLaneHeads(store.db, { limit: 5 });
      const mine = heads.find((h) => h.url === A)!;
      const theirs = heads.find((h) => h.url === B)!;
      await claimDelivery(store.db, mine, lease(90_000, 'node-1'), 20);
      await claimDelivery(store.db, theirs, lease(90_000, 'node-2'), 20);

      assert.equal(await releaseLeases(store.db, 'node-1', 30), 1);
      const [released] = await listDeliveries(store.db, { eventId: 'e1', states: ['pending'], limit: 5 });
      assert.deepEqual([released?.url, released?.nextAttemptAt, released?.attempts], [A, 30, 0]);
      const [kept] = await listDeliveries(store.db, { eventId: 'e1', states: ['in_flight'], limit: 5 });
      assert.deepEqual([kept?.url, kept?.nextAttemptAt], [B, 90_000]);
      const owners = await store.db.selectFrom('webhook_deliveries').select(['url', 'lease_owner']).orderBy('url').execute();
      assert.deepEqual(owners, [{ url: A, lease_owner: null }, { url: B, lease_owner: 'node-2' }]);
    });

    it('brings the backing-off rows of one URL forward, leaving other URLs and rows in flight alone', async () => {
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A, B] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'e2', sessionId: 's', urls: [A] }, 10);
      await store.db.updateTable('webhook_deliveries').set({ next_attempt_at: 50_000 }).execute();
      const [headA] = await listLaneHeads(store.db, { url: A, limit: 1 });
      await claimDelivery(store.db, headA!, lease(60_000), 40_000);

      assert.equal(await expediteDeliveries(store.db, A, 100), 1);
      const rows = await store.db.selectFrom('webhook_deliveries').select(['event_id', 'url', 'state', 'next_attempt_at']).orderBy('id').execute();
      assert.deepEqual(rows, [
        { event_id: 'e1', url: A, state: 'in_flight', next_attempt_at: 60_000 },
        { event_id: 'e1', url: B, state: 'pending', next_attempt_at: 50_000 },
        { event_id: 'e2', url: A, state: 'pending', next_attempt_at: 100 },
      ]);
    });
  });
}
