import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store/open-database.js';
import { getEvent } from '../store/repos/outbox.js';
import { listDeliveries } from '../store/repos/webhook-deliveries.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../store/testing.js';
import { transaction } from '../store/transaction.js';
import { appendEvent, onOutboxSignal, type OutboxSignal } from './outbox.js';
import type { EventName } from './registry.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: appendEvent`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 'hooked', { webhookUrl: 'https://a.example/hook' });
      await seedSession(store.db, 'filtered', {
        webhookUrl: 'https://b.example/hook',
        webhookEvents: ['message.received', 'group_update'],
      });
      await seedSession(store.db, 'silent');
    });
    after(() => store.close());

    const deliveriesOf = async (eventId: string) => listDeliveries(store.db, { eventId, limit: 5 });

    it('writes the event and a pending delivery to the session webhook, returning a UUID', async () => {
      const eventId = await appendEvent(store.db, { sessionId: 'hooked', event: 'session.status', payload: { status: 'open' } });
      assert.match(eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual((await getEvent(store.db, eventId))?.payload, { status: 'open' });
      const [delivery, ...rest] = await deliveriesOf(eventId);
      assert.deepEqual([delivery?.url, delivery?.state, rest.length], ['https://a.example/hook', 'pending', 0]);
    });

    it('queues only events the session filter lets through, by name or tag', async () => {
      const queued = async (event: EventName) =>
        (await deliveriesOf(await appendEvent(store.db, { sessionId: 'filtered', event, payload: {} }))).length;
      assert.equal(await queued('message.received'), 1);
      assert.equal(await queued('group.update'), 1);
      assert.equal(await queued('session.status'), 0);
    });

    it('logs the event without a delivery when the session has no webhook', async () => {
      const eventId = await appendEvent(store.db, { sessionId: 'silent', event: 'call', payload: {} });
      assert.ok(await getEvent(store.db, eventId));
      assert.equal((await deliveriesOf(eventId)).length, 0);
    });

    it('signals listeners only after the transaction commits', async () => {
      const signals: OutboxSignal[] = [];
      const unsubscribe = onOutboxSignal((signal) => signals.push(signal));
      try {
        const eventId = await transaction(store.db, async (trx) => {
          const id = await appendEvent(trx, { sessionId: 'hooked', event: 'message.status', payload: {} });
          assert.equal(signals.length, 0);
          return id;
        });
        assert.deepEqual(signals, [
          { kind: 'appended', eventId, sessionId: 'hooked', event: 'message.status', deliveries: await deliveriesOf(eventId) },
        ]);
        assert.equal((signals[0] as { deliveries: unknown[] }).deliveries.length, 1);
      } finally {
        unsubscribe();
      }
    });

    it('leaves no event, no delivery and no signal when the transaction rolls back', async () => {
      const signals: OutboxSignal[] = [];
      const unsubscribe = onOutboxSignal((signal) => signals.push(signal));
      let eventId = '';
      try {
        await assert.rejects(
          transaction(store.db, async (trx) => {
            eventId = await appendEvent(trx, { sessionId: 'hooked', event: 'call', payload: {} });
            throw new Error('state update failed');
          }),
        );
      } finally {
        unsubscribe();
      }
      assert.equal(await getEvent(store.db, eventId), undefined);
      assert.equal((await deliveriesOf(eventId)).length, 0);
      assert.deepEqual(signals, []);
    });

    it('refuses an event name that is not in the registry', async () => {
      await assert.rejects(
        appendEvent(store.db, { sessionId: 'hooked', event: 'message_received' as EventName, payload: {} }),
        RangeError,
      );
    });
  });
}
