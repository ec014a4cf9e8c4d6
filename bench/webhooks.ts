// Webhook backlog: a receiver that was away comes back to B queued events spread over a number of lanes
// (sessions). The dispatcher drains them on each dialect; the figure is the drain rate with a large backlog as a
// ratio to the rate with a small one in the same run, so 1× means a delivery costs the same whatever waits behind
// it (the goal) and B_large / B_small would mean each scan of the queue reads the whole backlog.
// BENCH_BACKLOGS (1000,10000), BENCH_LANES (20).
import { WebhookDispatcher } from '../src/events/dispatcher.js';
import { appendEvent } from '../src/events/outbox.js';
import { TestReceiver, eventually } from '../src/events/test-receiver.js';
import { countUnsettledDeliveries } from '../src/store/repos/webhook-deliveries.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../src/store/testing.js';
import { transaction } from '../src/store/transaction.js';
import type { Dialect } from '../src/store/database.js';

const backlogs = (process.env.BENCH_BACKLOGS ?? '1000,10000').split(',').map(Number);
const lanes = Number(process.env.BENCH_LANES ?? 20);

/** Deliveries per second while draining `backlog` events queued over `lanes` sessions. */
async function drainRate(dialect: Dialect, backlog: number): Promise<number> {
  const store = await openTestStore(dialect);
  const receiver = await TestReceiver.start();
  const dispatcher = new WebhookDispatcher({ db: store.db, allowPrivate: true });
  try {
    const sessions = Array.from({ length: lanes }, (_, i) => `s${i}`);
    for (const id of sessions) await seedSession(store.db, id, { webhookUrl: receiver.url });
    for (let start = 0; start < backlog; start += 500) {
      await transaction(store.db, async (trx) => {
        for (let i = start; i < Math.min(backlog, start + 500); i++) {
          await appendEvent(trx, { sessionId: sessions[i % lanes]!, event: 'message.received', payload: { i } });
        }
      });
    }
    const startedAt = process.hrtime.bigint();
    dispatcher.start();
    await eventually(async () => (await countUnsettledDeliveries(store.db)) === 0, 30 * 60_000);
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (receiver.requests.length < backlog) throw new Error(`${receiver.requests.length} of ${backlog} events reached the receiver`);
    return backlog / seconds;
  } finally {
    await dispatcher.stop();
    await receiver.down();
    await store.close();
  }
}

export async function run(): Promise<void> {
  console.log(`webhook backlog drain over ${lanes} lanes, the dispatcher's defaults (16 attempts at once)`);
  for (const dialect of TEST_DIALECTS) {
    const [small, ...larger] = backlogs;
    const baseline = await drainRate(dialect, small!);
    console.log(`${dialect.padEnd(9)} ${small} queued: ${baseline.toFixed(0)} deliveries/s (baseline)`);
    for (const backlog of larger) {
      const rate = await drainRate(dialect, backlog);
      console.log(`${dialect.padEnd(9)} ${backlog} queued: ${rate.toFixed(0)} deliveries/s, ${(rate / baseline).toFixed(2)}× the baseline (goal ≈ 1×)`);
    }
  }
}
