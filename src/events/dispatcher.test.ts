import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/open-database.js';
import { listDeliveryAttempts } from '../store/repos/delivery-log.js';
import { getSession } from '../store/repos/sessions.js';
import { claimDelivery, listDeliveries } from '../store/repos/webhook-deliveries.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../store/testing.js';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher.js';
import { appendEvent } from './outbox.js';
import type { EventName } from './registry.js';
import { replayEvent, replayFailedDeliveries } from './replay.js';
import { TestReceiver, eventually } from './test-receiver.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: webhook dispatcher`, () => {
    let store: Store;
    let receiver: TestReceiver;
    let dispatchers: WebhookDispatcher[];

    beforeEach(async () => {
      store = await openTestStore(dialect);
      receiver = await TestReceiver.start();
      dispatchers = [];
    });
    afterEach(async () => {
      for (const dispatcher of dispatchers) await dispatcher.stop();
      await receiver.down();
      await store.close();
    });

    function startDispatcher(options: Partial<DispatcherOptions> = {}): WebhookDispatcher {
      const dispatcher = new WebhookDispatcher({
        db: store.db,
        allowPrivate: true,
        timeoutMs: 1_000,
        backoffBaseMs: 20,
        backoffCapMs: 80,
        pollIntervalMs: 50,
        breakerThreshold: 100,
        ...options,
      });
      dispatcher.start();
      dispatchers.push(dispatcher);
      return dispatcher;
    }

    const delivery = async (eventId: string) => {
      const [row] = await listDeliveries(store.db, { eventId, limit: 1 });
      assert.ok(row, `no delivery row for ${eventId}`);
      return row;
    };
    const settledAs = (eventId: string, state: string) => async () => (await delivery(eventId)).state === state;
    const append = (sessionId: string, event: EventName = 'message.received', payload = {}) =>
      appendEvent(store.db, { sessionId, event, payload });

    it('delivers a request that an independent receiver verifies', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url, webhookSecret: 'shh', label: 'Front desk' });
      const eventId = await append('s1', 'message.received', { text: 'hi' });
      startDispatcher();
      await eventually(settledAs(eventId, 'delivered'));

      const [request] = receiver.requests;
      assert.ok(request);
      const expected = createHmac('sha256', 'shh' + 'owner-s1').update(request.body).digest('hex');
      assert.equal(request.headers['x-warest-signature'], `HMAC-SHA256=${expected}`);
      assert.equal(request.headers['x-warest-event-id'], eventId);
      assert.equal(request.headers['x-warest-event'], 'message_received');
      assert.equal(request.headers['x-warest-delivery-attempt'], '1');
      assert.equal(request.headers['x-warest-timestamp'], String(request.json.ts));
      assert.deepEqual(request.json.data, { text: 'hi', sessionId: 's1' });
      assert.equal(request.json.session.label, 'Front desk');
      assert.equal(request.json.session.username, 'owner-s1');

      const [logged] = await listDeliveryAttempts(store.db, { eventId, limit: 5 });
      assert.deepEqual([logged?.attempt, logged?.status, logged?.error], [1, 200, null]);
    });

    it('retries 5xx with the same event id until it succeeds', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = (_, index) => ({ status: index < 2 ? 503 : 200 });
      const eventId = await append('s1');
      startDispatcher();
      await eventually(settledAs(eventId, 'delivered'));

      assert.deepEqual(receiver.eventIds(), [eventId, eventId, eventId]);
      assert.deepEqual(receiver.requests.map((r) => r.headers['x-warest-delivery-attempt']), ['1', '2', '3']);
      assert.equal((await delivery(eventId)).attempts, 3);
      const attempts = await listDeliveryAttempts(store.db, { eventId, limit: 5 });
      assert.deepEqual(attempts.map((a) => a.status), [200, 503, 503]);
    });

    it('loses nothing and keeps the order while the receiver is down', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      await receiver.down();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await append('s1', 'message.received', { n: i }));
      startDispatcher();
      await eventually(async () => (await listDeliveryAttempts(store.db, { sessionId: 's1', limit: 3 })).length >= 3);
      assert.ok((await listDeliveryAttempts(store.db, { sessionId: 's1', limit: 1 }))[0]?.error);

      await receiver.up();
      await eventually(settledAs(ids[4]!, 'delivered'));
      assert.deepEqual(receiver.eventIds(), ids);
      assert.deepEqual(receiver.requests.map((r) => r.json.data.n), [0, 1, 2, 3, 4]);
    });

    it('fails a 4xx at once, without retrying, and moves on to the next event', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = (_, index) => ({ status: index === 0 ? 400 : 200 });
      const rejected = await append('s1');
      const next = await append('s1');
      startDispatcher();
      await eventually(settledAs(next, 'delivered'));
      await sleep(150);

      const row = await delivery(rejected);
      assert.deepEqual([row.state, row.attempts, row.lastStatus], ['failed', 1, 400]);
      assert.deepEqual(receiver.eventIds(), [rejected, next]);
    });

    it('does not follow redirects', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = (_, index) => (index === 0 ? { status: 302, headers: { location: `${receiver.url}?again` } } : { status: 200 });
      const eventId = await append('s1');
      startDispatcher();
      await eventually(settledAs(eventId, 'failed'));
      assert.equal(receiver.requests.length, 1);
      assert.equal((await delivery(eventId)).lastStatus, 302);
    });

    it('declares a delivery dead after the maximum attempts, keeps the URL, and replays it on demand', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = () => ({ status: 500 });
      const eventId = await append('s1');
      startDispatcher({ maxAttempts: 3 });
      await eventually(settledAs(eventId, 'dead'));
      assert.equal(receiver.requests.length, 3);
      assert.equal((await getSession(store.db, 's1'))?.webhookUrl, receiver.url);

      receiver.reply = () => ({ status: 200 });
      assert.equal(await replayEvent(store.db, eventId), 1);
      await eventually(settledAs(eventId, 'delivered'));
      assert.equal(receiver.requests.at(-1)?.headers['x-warest-delivery-attempt'], '1');
    });

    it('replays a session’s failed deliveries since a time, in order', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = () => ({ status: 410 });
      const ids = [await append('s1'), await append('s1')];
      startDispatcher();
      await eventually(settledAs(ids[1]!, 'failed'));

      receiver.reply = () => ({ status: 200 });
      assert.equal(await replayFailedDeliveries(store.db, { sessionId: 's1', since: 0 }), 2);
      await eventually(settledAs(ids[1]!, 'delivered'));
      assert.deepEqual(receiver.eventIds(), [...ids, ...ids]);
    });

    it('opens the circuit for a failing URL across sessions, then closes it after a good probe', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      await seedSession(store.db, 's2', { webhookUrl: receiver.url });
      receiver.reply = (_, index) => ({ status: index < 2 ? 503 : 200 });
      const first = await append('s1');
      startDispatcher({ breakerThreshold: 2, breakerProbeBaseMs: 300 });
      await eventually(async () => (await delivery(first)).attempts === 2);
      // The circuit is open now: another session's event for the same URL must wait for it too.
      const second = await append('s2');
      await eventually(async () => (await delivery(first)).state === 'delivered' && (await delivery(second)).state === 'delivered');

      assert.equal(receiver.requests.length, 4);
      const [, lastFailure, probe] = receiver.requests;
      // Without the breaker the retry would come within the 80 ms backoff cap.
      assert.ok(probe!.at - lastFailure!.at >= 250, `probe after ${probe!.at - lastFailure!.at} ms`);
      assert.deepEqual(new Set(receiver.eventIds().slice(2)), new Set([first, second]));
    });

    it('resumes pending deliveries on a new dispatcher after a stop', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = () => ({ status: 503 });
      const eventId = await append('s1');
      const first = startDispatcher({ backoffBaseMs: 300, backoffCapMs: 300 });
      await eventually(() => receiver.requests.length === 1);
      await first.stop();
      assert.deepEqual([(await delivery(eventId)).state, (await delivery(eventId)).attempts], ['pending', 1]);

      receiver.reply = () => ({ status: 200 });
      startDispatcher();
      await eventually(settledAs(eventId, 'delivered'));
      assert.deepEqual(receiver.eventIds(), [eventId, eventId]);
      assert.equal(receiver.requests[1]?.headers['x-warest-delivery-attempt'], '2');
    });

    it('retakes an expired in-flight lease left by a crash', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      const eventId = await append('s1');
      assert.equal(await claimDelivery(store.db, await delivery(eventId), { until: Date.now() - 1, owner: 'another-node' }), true);
      assert.equal((await delivery(eventId)).state, 'in_flight');
      startDispatcher();
      await eventually(settledAs(eventId, 'delivered'));
      assert.deepEqual(receiver.eventIds(), [eventId]);
    });

    it('refuses a private target at delivery time unless allowed, without touching the session', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      const eventId = await append('s1');
      startDispatcher({ allowPrivate: false });
      await eventually(settledAs(eventId, 'failed'));
      assert.match((await delivery(eventId)).lastError ?? '', /loopback/);
      assert.equal(receiver.requests.length, 0);
      assert.equal((await getSession(store.db, 's1'))?.webhookUrl, receiver.url);
    });

    // With the poll an hour away, only what the dispatcher is told (signals after commit, the end of an attempt)
    // can get these deliveries out: a scan of the whole queue is no longer what moves each event.
    it('sends events appended while it runs without waiting for a poll, in order per lane, across lanes at once', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      await seedSession(store.db, 's2', { webhookUrl: receiver.url });
      startDispatcher({ pollIntervalMs: 3_600_000 });
      await sleep(50);
      receiver.reply = (request) => ({ status: 200, delayMs: request.json.data.n === 0 ? 150 : 0 });
      const first = await append('s1', 'message.received', { n: 0 });
      await eventually(() => receiver.requests.length === 1);
      // Queued behind the attempt in flight on s1's lane, and on a lane of its own for s2.
      const behind = [await append('s1', 'message.received', { n: 1 }), await append('s1', 'message.received', { n: 2 })];
      const other = await append('s2', 'message.received', { n: 9 });
      await eventually(settledAs(other, 'delivered'), 1_000);
      assert.equal((await delivery(first)).state, 'in_flight');
      await eventually(settledAs(behind[1]!, 'delivered'), 1_000);
      assert.deepEqual(receiver.requests.filter((r) => r.json.data.sessionId === 's1').map((r) => r.json.data.n), [0, 1, 2]);
    });

    it('drains the backlog its first scan finds, lane after lane, without waiting for a poll', async () => {
      const ids: Record<string, string[]> = { s1: [], s2: [] };
      for (const session of ['s1', 's2']) {
        await seedSession(store.db, session, { webhookUrl: receiver.url });
        for (let n = 0; n < 4; n++) ids[session]!.push(await append(session, 'message.received', { n }));
      }
      startDispatcher({ pollIntervalMs: 3_600_000 });
      await eventually(async () => (await Promise.all([...ids.s1!, ...ids.s2!].map(async (id) => (await delivery(id)).state))).every((s) => s === 'delivered'), 1_000);
      for (const session of ['s1', 's2']) {
        assert.deepEqual(receiver.requests.filter((r) => r.json.data.sessionId === session).map((r) => r.json.data.n), [0, 1, 2, 3]);
      }
    });

    it('drains more lanes than one scan reads (256) without waiting for a poll', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 300; i++) {
        await seedSession(store.db, `wide-${i}`, { webhookUrl: receiver.url });
        ids.push(await append(`wide-${i}`));
      }
      startDispatcher({ pollIntervalMs: 3_600_000 });
      await eventually(() => receiver.requests.length === ids.length, 5_000);
      assert.deepEqual(new Set(receiver.eventIds()), new Set(ids));
    });

    /** A first attempt fails; its retry and the lane's next event go out long before the (hour-long) poll. */
    async function retriedBeforeThePoll(backoff: Partial<DispatcherOptions>): Promise<void> {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      startDispatcher({ pollIntervalMs: 3_600_000, ...backoff });
      await sleep(50);
      receiver.reply = (_, index) => ({ status: index === 0 ? 503 : 200 });
      const eventId = await append('s1');
      const next = await append('s1');
      await eventually(settledAs(next, 'delivered'), 1_000);
      assert.deepEqual(receiver.eventIds(), [eventId, eventId, next]);
    }

    it('retries a failed attempt when its backoff ends, not at the next poll', () => retriedBeforeThePoll({}));

    it('retries a failed attempt whose backoff is over before its lane is read again', () =>
      retriedBeforeThePoll({ backoffBaseMs: 0, backoffCapMs: 0 }));

    it('runs lanes concurrently up to the limit', async () => {
      const ids: string[] = [];
      for (const id of ['a', 'b', 'c', 'd']) {
        await seedSession(store.db, id, { webhookUrl: receiver.url });
        ids.push(await append(id));
      }
      receiver.reply = () => ({ status: 200, delayMs: 80 });
      startDispatcher({ concurrency: 2 });
      await eventually(async () => (await Promise.all(ids.map(async (id) => (await delivery(id)).state))).every((s) => s === 'delivered'));
      assert.equal(receiver.maxConcurrent, 2);
    });

    it('holds many attempts in flight at once without a listener-leak warning', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) {
        await seedSession(store.db, `lane-${i}`, { webhookUrl: receiver.url });
        ids.push(await append(`lane-${i}`));
      }
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.name);
      process.on('warning', onWarning);
      try {
        // Every attempt is held until the 16th arrives: claims are one database round trip each, so a fixed
        // delay could let the first attempts end before the last start.
        let allArrived!: () => void;
        const arrived = new Promise<void>((resolve) => (allArrived = resolve));
        receiver.reply = (_, index) => {
          if (index === ids.length - 1) allArrived();
          return { status: 200, until: arrived };
        };
        startDispatcher({ concurrency: 16 });
        await eventually(async () => (await Promise.all(ids.map(async (id) => (await delivery(id)).state))).every((s) => s === 'delivered'));
        assert.equal(receiver.maxConcurrent, 16);
        await sleep(10); // warnings are emitted on the next tick
        assert.deepEqual(warnings.filter((name) => name === 'MaxListenersExceededWarning'), []);
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('stop() waits for an attempt in flight, and re-queues it when the wait times out', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      receiver.reply = (_, index) => ({ status: 200, delayMs: index === 0 ? 150 : 600 });
      const patient = await append('s1');
      const first = startDispatcher();
      await eventually(() => receiver.requests.length === 1);
      await first.stop();
      assert.equal((await delivery(patient)).state, 'delivered');

      const impatient = await append('s1');
      const second = startDispatcher({ stopTimeoutMs: 100 });
      await eventually(() => receiver.requests.length === 2);
      await second.stop();
      const row = await delivery(impatient);
      assert.deepEqual([row.state, row.attempts], ['pending', 0]);
    });

    it('on start, releases at once the deliveries it left in flight, and leaves other nodes’ leases alone', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      await seedSession(store.db, 's2', { webhookUrl: receiver.url });
      const mine = await append('s1');
      const theirs = await append('s2');
      const leaseUntil = Date.now() + 60_000;
      assert.equal(await claimDelivery(store.db, await delivery(mine), { until: leaseUntil, owner: 'node-a' }), true);
      assert.equal(await claimDelivery(store.db, await delivery(theirs), { until: leaseUntil, owner: 'node-b' }), true);

      startDispatcher({ nodeId: 'node-a' });
      await eventually(settledAs(mine, 'delivered'));
      const row = await delivery(mine);
      assert.deepEqual([row.attempts, receiver.requests[0]?.headers['x-warest-delivery-attempt']], [1, '1']);
      await sleep(150);
      assert.deepEqual([(await delivery(theirs)).state, (await delivery(theirs)).nextAttemptAt], ['in_flight', leaseUntil]);
      assert.deepEqual(receiver.eventIds(), [mine]);
    });

    it('reports a dead head and moves its lane on; a replay goes out before the later events still waiting', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      let refuseAll = false;
      const delivered: string[] = [];
      const poison = await append('s1');
      let refused = poison;
      receiver.reply = (request) => {
        const id = String(request.headers['x-warest-event-id']);
        if (refuseAll || id === refused) return { status: 503 };
        delivered.push(id);
        return { status: 200 };
      };
      const next = await append('s1');
      const states: string[] = [];
      // Backoffs long enough that no later event is in flight when the replay lands (one in flight would go first).
      startDispatcher({ retryWindowMs: 150, backoffBaseMs: 500, backoffCapMs: 500, onAttempt: (state) => states.push(state) });
      await eventually(settledAs(next, 'delivered'));
      assert.equal((await delivery(poison)).state, 'dead');
      assert.ok(states.includes('dead'), 'the dead head is counted');

      refuseAll = true;
      const later = [await append('s1'), await append('s1')];
      await eventually(async () => (await delivery(later[0]!)).attempts >= 1);
      assert.equal(await replayEvent(store.db, poison), 1);
      refused = '';
      refuseAll = false;
      await eventually(settledAs(later[1]!, 'delivered'));
      assert.deepEqual(delivered, [next, poison, ...later]);
    });

    it('sends a recovered target its backlog at once instead of after each row’s backoff', async () => {
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      await seedSession(store.db, 's2', { webhookUrl: receiver.url });
      await receiver.down();
      const ids = { s1: [] as string[], s2: [] as string[] };
      for (let i = 0; i < 3; i++) for (const session of ['s1', 's2'] as const) ids[session].push(await append(session, 'message.received', { i }));
      startDispatcher({ backoffBaseMs: 10_000, backoffCapMs: 10_000, breakerThreshold: 2, breakerProbeBaseMs: 50, breakerProbeMaxMs: 100 });
      await eventually(async () => (await listDeliveryAttempts(store.db, { limit: 5 })).length >= 3);

      await receiver.up();
      const upAt = Date.now();
      await eventually(async () => (await delivery(ids.s1[2]!)).state === 'delivered' && (await delivery(ids.s2[2]!)).state === 'delivered');
      assert.ok(Date.now() - upAt < 2_000, `drained ${Date.now() - upAt} ms after the target came back`);
      const received = receiver.eventIds();
      assert.deepEqual(received.filter((id) => ids.s1.includes(id)), ids.s1);
      assert.deepEqual(received.filter((id) => ids.s2.includes(id)), ids.s2);
    });
  });
}
