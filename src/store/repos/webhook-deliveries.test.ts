import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { insertEvent } from './outbox.js';
import {
  claimDelivery,
  enqueueDeliveries,
  listDeliveries,
  listLaneHeads,
  recordDeliveryOutcome,
  requeueDeliveries,
  type DeliveryOutcome,
} from './webhook-deliveries.js';

const A = 'http://a.test/hook';
const B = 'http://b.test/hook';

const settled = (state: DeliveryOutcome['state'], at: number): DeliveryOutcome => ({
  state,
  attempts: 1,
  nextAttemptAt: at,
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
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A, B] }, 10);
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: [A] }, 11);
      await enqueueDeliveries(store.db, { eventId: 'e2', sessionId: 's', urls: [A] }, 12);
      await enqueueDeliveries(store.db, { eventId: 'f1', sessionId: 't', urls: [A] }, 13);
      const rows = await listDeliveries(store.db, { limit: 10 });
      assert.equal(rows.length, 4);
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
      assert.equal(await claimDelivery(store.db, head, 5000, 20), true);
      assert.equal(await claimDelivery(store.db, head, 5000, 20), false);
      // The lane stays blocked behind its in-flight head: e2 is not offered.
      const heads = await listLaneHeads(store.db, { excludeUrls: [B], limit: 10 });
      const laneHead = heads.find((h) => h.sessionId === 's' && h.url === A);
      assert.equal(laneHead?.eventId, 'e1');
      assert.equal(laneHead?.state, 'in_flight');
      assert.equal(laneHead?.nextAttemptAt, 5000);

      assert.equal(await recordDeliveryOutcome(store.db, head.id, settled('delivered', 30), 30), true);
      assert.equal(await recordDeliveryOutcome(store.db, head.id, settled('failed', 31), 31), false);
      const next = await listLaneHeads(store.db, { excludeUrls: [B], limit: 10 });
      assert.ok(next.some((h) => h.sessionId === 's' && h.url === A && h.eventId === 'e2'));
    });

    it('re-queues one event, or a session’s failed/dead rows since a time, with a fresh budget', async () => {
      const e2 = (await listDeliveries(store.db, { eventId: 'e2', limit: 1 }))[0]!;
      await claimDelivery(store.db, e2, 9000, 40);
      await recordDeliveryOutcome(store.db, e2.id, settled('dead', 41), 41);
      const e1b = (await listDeliveries(store.db, { eventId: 'e1', limit: 5 })).find((row) => row.url === B)!;
      await claimDelivery(store.db, e1b, 9000, 42);
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
