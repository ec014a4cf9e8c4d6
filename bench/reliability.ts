// Reliability trial ("nothing lost"): phones stream inbound texts to a linked session while the gateway process is
// SIGKILLed at random moments and restarted on the same database, on each dialect. Prints what reached the
// webhook: lost messages (the goal is 0), duplicates and whether they kept their event id, per-chat order.
// BENCH_MESSAGES (2000), BENCH_KILLS (5), BENCH_PHONES (4), BENCH_SPREAD_MS (60000), BENCH_SEED.
import { DIALECTS } from '../test/support/gateway-harness.js';
import { runInboundUnderKills } from '../test/support/inbound-under-kills.js';

const messages = Number(process.env.BENCH_MESSAGES ?? 2000);
const kills = Number(process.env.BENCH_KILLS ?? 5);
const phones = Number(process.env.BENCH_PHONES ?? 4);
const spreadMs = Number(process.env.BENCH_SPREAD_MS ?? 60_000);
const seed = Number(process.env.BENCH_SEED ?? Date.now() % 1_000_000);

export async function run(): Promise<void> {
  console.log(`${messages} messages from ${phones} phones over ${spreadMs / 1000} s, ${kills} SIGKILLs (seed ${seed})`);
  for (const dialect of DIALECTS) {
    const r = await runInboundUnderKills({ dialect, messages, phones, kills, seed, spreadMs });
    console.log(
      `${dialect.padEnd(9)} delivered ${r.delivered}/${r.sent}, lost ${r.lost.length}, duplicates ${r.duplicates} ` +
        `(${r.duplicatesWithNewId} with a new event id), out of order ${r.outOfOrder}, kills ${r.kills}, ${r.seconds} s`
    );
    if (r.lost.length) console.log(`  lost: ${r.lost.slice(0, 20).join(', ')}${r.lost.length > 20 ? ', …' : ''}`);
  }
}
