import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendEvent } from '../../events/outbox.js';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { appendWebhookAction, listWebhookActions, type WebhookActionEntry } from './webhook-actions.js';
import { listDeliveries } from './webhook-deliveries.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: webhook actions log`, () => {
    let store: Store;
    const deliveries: { id: number; eventId: string }[] = [];
    const entry = (delivery: { id: number; eventId: string }, path: string, patch: Partial<WebhookActionEntry> = {}): WebhookActionEntry => ({
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      sessionId: 's1',
      path,
      type: 'text',
      outcome: 'ok',
      error: null,
      messageId: null,
      at: 1_700_000_000_000,
      ...patch
    });

    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 's1', { webhookUrl: 'http://hook.test/' });
      for (let i = 0; i < 2; i++) {
        const eventId = await appendEvent(store.db, { sessionId: 's1', event: 'message.received', payload: { i } });
        const [delivery] = await listDeliveries(store.db, { eventId, limit: 1 });
        deliveries.push({ id: delivery!.id, eventId });
      }
    });
    after(() => store.close());

    it('lists each delivery’s actions in the order they were recorded', async () => {
      const [first, second] = deliveries as [(typeof deliveries)[0], (typeof deliveries)[0]];
      await appendWebhookAction(store.db, entry(second, 'actions[0]', { messageId: 'OUT1' }));
      await appendWebhookAction(store.db, entry(first, 'actions[1]', { type: 'react', outcome: 'failed', error: 'No message IN1' }));
      await appendWebhookAction(store.db, entry(first, 'actions[0]', { outcome: 'refused', error: 'too late' }));

      assert.deepEqual(await listWebhookActions(store.db, []), []);
      assert.deepEqual(await listWebhookActions(store.db, [second.id]), [entry(second, 'actions[0]', { messageId: 'OUT1' })]);
      const both = await listWebhookActions(store.db, [first.id, second.id]);
      assert.deepEqual(
        both.map((a) => [a.deliveryId, a.path, a.outcome, a.error]),
        [
          [first.id, 'actions[1]', 'failed', 'No message IN1'],
          [first.id, 'actions[0]', 'refused', 'too late'],
          [second.id, 'actions[0]', 'ok', null]
        ]
      );
    });

    it('goes with its event when the event log is pruned', async () => {
      await store.db.deleteFrom('outbox').where('id', '=', deliveries[0]!.eventId).execute();
      assert.deepEqual((await listWebhookActions(store.db, deliveries.map((d) => d.id))).map((a) => a.deliveryId), [deliveries[1]!.id]);
    });
  });
}
