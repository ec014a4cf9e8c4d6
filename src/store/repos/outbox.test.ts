import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { getEvent, insertEvent, listEvents, pruneEvents } from './outbox.js';
import { enqueueDeliveries, listDeliveries } from './webhook-deliveries.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: outbox`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(() => store.close());

    it('appends events with increasing seq and reads them back with their payload', async () => {
      for (const [i, id] of ['e1', 'e2', 'e3'].entries()) {
        await insertEvent(store.db, { id, sessionId: 's', event: 'session.status', payload: { n: i }, createdAt: 100 + i });
      }
      await insertEvent(store.db, { id: 'other', sessionId: 't', event: 'call', payload: {}, createdAt: 100 });
      const event = await getEvent(store.db, 'e2');
      assert.ok(event);
      const { seq, ...fields } = event;
      assert.equal(typeof seq, 'number');
      assert.deepEqual(fields, { id: 'e2', sessionId: 's', event: 'session.status', payload: { n: 1 }, createdAt: 101 });
      const all = await listEvents(store.db, { sessionId: 's', limit: 10 });
      assert.deepEqual(all.map((e) => e.id), ['e1', 'e2', 'e3']);
      assert.ok(all[0]!.seq < all[1]!.seq && all[1]!.seq < all[2]!.seq);
      const page = await listEvents(store.db, { sessionId: 's', afterSeq: all[0]!.seq, limit: 1 });
      assert.deepEqual(page.map((e) => e.id), ['e2']);
    });

    it('prunes old settled events with their deliveries, but keeps any still waiting', async () => {
      await enqueueDeliveries(store.db, { eventId: 'e1', sessionId: 's', urls: ['http://a.test/'] });
      await store.db.updateTable('webhook_deliveries').set({ state: 'delivered' }).where('event_id', '=', 'e1').execute();
      await enqueueDeliveries(store.db, { eventId: 'e2', sessionId: 's', urls: ['http://a.test/'] });

      assert.equal(await pruneEvents(store.db, 102), 2); // e1 (delivered) and 'other' (no deliveries)
      assert.equal(await getEvent(store.db, 'e1'), undefined);
      assert.equal((await listDeliveries(store.db, { eventId: 'e1', limit: 5 })).length, 0);
      assert.ok(await getEvent(store.db, 'e2'));
      assert.ok(await getEvent(store.db, 'e3'));
    });
  });
}
