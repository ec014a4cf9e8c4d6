// A receiver down for ten minutes, on the default retry schedule and circuit breaker, with a clock running 200
// times faster than real time: nothing dies, nobody replays anything, and once the receiver is back every event
// arrives, in order, within about one probe wait.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/open-database.js';
import { listDeliveryAttempts } from '../store/repos/delivery-log.js';
import { listDeliveries } from '../store/repos/webhook-deliveries.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../store/testing.js';
import { WebhookDispatcher } from './dispatcher.js';
import { appendEvent } from './outbox.js';
import { TestReceiver, eventually } from './test-receiver.js';

const SPEED = 200;
const MINUTE_MS = 60_000;

function fastClock() {
  const start = Date.now();
  const fromReal = (realMs: number) => start + (realMs - start) * SPEED;
  return { now: () => fromReal(Date.now()), fromReal, sleep: (ms: number) => sleep(ms / SPEED) };
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: webhook delivery through a receiver outage`, () => {
    let store: Store;
    let receiver: TestReceiver;
    let dispatcher: WebhookDispatcher;

    beforeEach(async () => {
      store = await openTestStore(dialect);
      receiver = await TestReceiver.start();
    });
    afterEach(async () => {
      await dispatcher.stop();
      await receiver.down();
      await store.close();
    });

    it('delivers every event in order after a 10-minute outage, without a replay', async () => {
      const clock = fastClock();
      const sessions = ['s1', 's2'];
      for (const id of sessions) await seedSession(store.db, id, { webhookUrl: receiver.url });
      const sent = new Map<string, string[]>(sessions.map((id) => [id, []]));
      const append = async (sessionId: string) => {
        const eventId = await appendEvent(store.db, { sessionId, event: 'message.received', payload: {} });
        sent.get(sessionId)!.push(eventId);
      };

      dispatcher = new WebhookDispatcher({
        db: store.db,
        now: clock.now,
        allowPrivate: true,
        // Generous, so a lease (twice the timeout, on the fast clock) never runs out under a real attempt.
        timeoutMs: 10 * MINUTE_MS,
        pollIntervalMs: 20,
      });
      dispatcher.start();
      for (const id of sessions) await append(id);
      await eventually(() => receiver.requests.length === 2);

      await receiver.down();
      const downAt = clock.now();
      for (let i = 0; clock.now() - downAt < 10 * MINUTE_MS; i++) {
        await append(sessions[i % 2]!);
        await clock.sleep(30_000);
      }
      await receiver.up();
      const upAt = clock.now();
      const total = [...sent.values()].flat().length;
      await eventually(async () => (await listDeliveries(store.db, { states: ['delivered'], limit: 1_000 })).length === total, 10_000);
      const drainedAt = clock.now();

      assert.ok(total >= 20);
      for (const [sessionId, ids] of sent) {
        assert.deepEqual(receiver.eventIds().filter((id) => ids.includes(id)), ids, `${sessionId}: every event once, in order`);
      }
      const recoveredAfter = clock.fromReal(receiver.requests[2]!.at) - upAt;
      assert.ok(recoveredAfter <= 2 * MINUTE_MS, `first delivery ${Math.round(recoveredAfter / 1000)} s after the receiver came back`);
      assert.ok(drainedAt - upAt <= 5 * MINUTE_MS, `backlog drained ${Math.round((drainedAt - upAt) / 1000)} s after the receiver came back`);

      // While the circuit was open, one probe at a time, at growing intervals: a handful of attempts, not a storm.
      const failed = (await listDeliveryAttempts(store.db, { limit: 1_000 })).filter((attempt) => attempt.error !== null);
      assert.ok(failed.length >= 5 && failed.length <= 30, `${failed.length} failed attempts during the outage`);
    });
  });
}
