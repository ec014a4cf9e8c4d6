import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { appendDeliveryAttempt, listDeliveryAttempts, pruneDeliveryLog } from './delivery-log.js';

const attempt = (sessionId: string, n: number, at: number) => ({
  eventId: `${sessionId}-e${n}`,
  sessionId,
  url: 'http://a.test/',
  attempt: 1,
  status: n % 2 === 0 ? 200 : null,
  error: n % 2 === 0 ? null : 'ECONNREFUSED',
  durationMs: 5,
  at,
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: delivery log`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      for (let n = 0; n < 5; n++) await appendDeliveryAttempt(store.db, attempt('s', n, 100 + n));
      for (let n = 0; n < 3; n++) await appendDeliveryAttempt(store.db, attempt('t', n, 200 + n));
    });
    after(() => store.close());

    it('lists attempts newest first, by session or by event', async () => {
      const forS = await listDeliveryAttempts(store.db, { sessionId: 's', limit: 2 });
      assert.deepEqual(forS.map((entry) => entry.eventId), ['s-e4', 's-e3']);
      assert.deepEqual(forS[1] && { ...forS[1], id: 0 }, { ...attempt('s', 3, 103), id: 0 });
      const forEvent = await listDeliveryAttempts(store.db, { eventId: 't-e1', limit: 10 });
      assert.deepEqual(forEvent.map((entry) => entry.sessionId), ['t']);
    });

    it('prunes by age, then keeps only the newest N per session', async () => {
      assert.equal(await pruneDeliveryLog(store.db, { before: 101 }), 1);
      assert.equal(await pruneDeliveryLog(store.db, { keepPerSession: 2 }), 3);
      const left = await listDeliveryAttempts(store.db, { limit: 10 });
      assert.deepEqual(left.map((entry) => entry.eventId), ['t-e2', 't-e1', 's-e4', 's-e3']);
    });
  });
}
