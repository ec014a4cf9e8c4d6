// Messaging benchmarks, with the sandbox, the compiled gateway and the raw Baileys baseline each in its own
// process, on SQLite (the default config) and on PostgreSQL when BENCH_PG names a database:
//  1. outbound texts through the API, sync (answered at the server ack) and async (until the phones have them),
//     as msgs/s relative to the same number of raw Baileys clients sending with sock.sendMessage to the ack;
//  2. inbound message → message_received webhook at a steady rate, p50/p99 latency, relative to a raw Baileys
//     client's messages.upsert for the same traffic;
//  3. gateway RSS per idle session before the messages above and after them, topped up to 10,000 messages, and
//     after as many again (bounded memory stays flat).
// Knobs: BENCH_MESSAGE_SESSIONS (10,50), BENCH_MESSAGES_PER_SESSION (50), BENCH_MESSAGE_ROUNDS (2),
// BENCH_WARM_UP_TEXTS (1000 a side and mode before the first step's rounds; 0: none), BENCH_INBOUND_SESSIONS (10),
// BENCH_INBOUND_RATE (50/s), BENCH_INBOUND_SECONDS (10), BENCH_RSS_MESSAGES (10000),
// BENCH_PG (a PostgreSQL URL; a throw-away schema is used).
import { createBenchDatabase, type Dialect } from './support/bench-database.js';
import { BenchGateway, type SandboxEndpoints } from './support/gateway-process.js';
import { okJson } from './support/http-json.js';
import { percentile, sendFromPhones, sendFromPhonesAtRate, type PhoneRoute, type PhoneSend } from './support/inbound-load.js';
import { median, report, rssBytes, timed, waitForIdle } from './support/measure.js';
import { missingAtPhones, sendAsyncUntilReceived, sendSync, type Route } from './support/outbound-load.js';
import { startJsonChild, stopChild } from './support/processes.js';
import { RawFleet } from './support/raw-fleet.js';
import { WebhookArrivals } from './support/webhook-arrivals.js';

const SESSION_STEPS = (process.env.BENCH_MESSAGE_SESSIONS ?? '10,50').split(',').map(Number);
const PER_SESSION = Number(process.env.BENCH_MESSAGES_PER_SESSION ?? 50);
const ROUNDS = Number(process.env.BENCH_MESSAGE_ROUNDS ?? 2);
/**
 * Texts each side sends, unmeasured, before the first step's rounds: raw Baileys this many, the gateway this many
 * sync and as many async. Throughput is a steady-state figure, and both sides get faster over their first thousands
 * of sends as V8 optimises their send paths (raw clients 331 → 464 → 535 msgs/s over three rounds of one run; the
 * gateway's CPU per request halved over its first 3,000), so the rounds start once both are warm.
 */
const WARM_UP_TEXTS = Number(process.env.BENCH_WARM_UP_TEXTS ?? 1_000);
const INBOUND_SESSIONS = Number(process.env.BENCH_INBOUND_SESSIONS ?? 10);
const INBOUND_RATE = Number(process.env.BENCH_INBOUND_RATE ?? 50);
const INBOUND_SECONDS = Number(process.env.BENCH_INBOUND_SECONDS ?? 10);
const RSS_MESSAGES = Number(process.env.BENCH_RSS_MESSAGES ?? 10_000);
const DIALECTS: Dialect[] = process.env.BENCH_PG ? ['sqlite', 'postgres'] : ['sqlite'];
/** One process links this many gateway sessions and as many raw clients; every part uses the first ones. */
const SESSIONS = Math.max(...SESSION_STEPS, INBOUND_SESSIONS);
const MIB = 2 ** 20;
const WARM_UP_BATCH = 50;
/**
 * Sessions the memory top-ups drive at once. At 1,000 sessions, all of them sending and receiving at once overloads
 * the bench's own client and the sandbox on two cores (answers read a minute late); the memory read afterwards does
 * not depend on how many went at once.
 */
const TOP_UP_SESSIONS_AT_ONCE = 100;

interface Bench {
  sandbox: SandboxEndpoints;
  receiver: WebhookArrivals;
  fleet: RawFleet;
  /** raw client i (account rawSenders[i]) writes to rawPeers[i], and rawPeers[i] writes back */
  rawSenders: string[];
  rawPeers: string[];
}

interface GatewaySide {
  sessionIds: string[];
  /** session i writes to its own phone */
  outbound: Route[];
  /** that phone writes back to session i */
  inbound: PhoneRoute[];
}

interface Memory {
  rss: number;
  heapUsed: number;
  /** what V8 holds for its heap, used or not */
  heapTotal: number;
  /** what V8 holds for its young generation: process-wide, sized by the allocation rate (1 MiB idle, up to 32 under load) */
  youngGeneration: number;
}

/** Sandbox phone numbers: a two-digit block per role, so no two roles (or dialects) share an account. */
const phone = (block: number, i: number) => `19${block}${String(i).padStart(7, '0')}`;
const range = (count: number) => Array.from({ length: count }, (_, i) => i);

const started = performance.now();
/** Where the run is, on stderr (a run takes minutes; the figures stay alone on stdout). */
function progress(text: string): void {
  process.stderr.write(`  [${Math.round((performance.now() - started) / 1000)} s] ${text}\n`);
}

function validateKnobs(): void {
  const knobs = {
    BENCH_MESSAGES_PER_SESSION: PER_SESSION,
    BENCH_MESSAGE_ROUNDS: ROUNDS,
    BENCH_INBOUND_SESSIONS: INBOUND_SESSIONS,
    BENCH_INBOUND_RATE: INBOUND_RATE,
    BENCH_INBOUND_SECONDS: INBOUND_SECONDS,
    BENCH_RSS_MESSAGES: RSS_MESSAGES,
    ...Object.fromEntries(SESSION_STEPS.map((n, i) => [`BENCH_MESSAGE_SESSIONS[${i}]`, n]))
  };
  for (const [name, value] of Object.entries(knobs)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
}

async function createPhones(controlUrl: string, phones: string[]): Promise<void> {
  for (const number of phones) await okJson(`${controlUrl}/sandbox/v1/accounts`, 'POST', { phone: number, name: `Phone ${number}` });
}

/** Links the sessions (no webhook yet) and creates a phone for each to talk to. */
async function linkGateway(bench: Bench, gateway: BenchGateway, senderBlock: number, peerBlock: number): Promise<GatewaySide> {
  progress(`linking ${SESSIONS} gateway sessions`);
  const sessions = range(SESSIONS).map((i) => ({ sessionId: `bench-${i}`, phone: phone(senderBlock, i) }));
  const peers = range(SESSIONS).map((i) => phone(peerBlock, i));
  await createPhones(bench.sandbox.controlUrl, peers);
  await gateway.link(bench.sandbox.controlUrl, sessions);
  return {
    sessionIds: sessions.map((s) => s.sessionId),
    outbound: sessions.map((s, i) => ({ sessionId: s.sessionId, to: peers[i]! })),
    inbound: sessions.map((s, i) => ({ phone: peers[i]!, to: s.phone }))
  };
}

/** msgs/s of `send` moving `total` messages. */
async function rateOf(total: number, send: () => Promise<unknown>): Promise<number> {
  const [, ms] = await timed(send);
  return total / (ms / 1000);
}

/**
 * Raw Baileys, the gateway sync and the gateway async, in turn for ROUNDS rounds so machine noise hits all three
 * alike; reports the medians, each gateway figure with the median of its per-round ratios to raw Baileys.
 * Resolves with the number of messages it sent through the gateway.
 */
async function outboundThroughput(bench: Bench, gateway: BenchGateway, dialect: Dialect, routes: Route[]): Promise<number> {
  console.log(`outbound: each session (raw client) sends ${PER_SESSION} texts to its own phone, one at a time; sessions in parallel; no webhook set`);
  let throughGateway = 0;
  for (const sessions of SESSION_STEPS) {
    progress(`outbound, ${sessions} sessions × ${PER_SESSION} texts, ${ROUNDS} round(s)`);
    const ours = routes.slice(0, sessions);
    const rawRecipients = bench.rawPeers.slice(0, sessions);
    const total = sessions * PER_SESSION;
    // Warm-up: the first message of a pair sets up its Signal session and resolves the recipient. In batches: a
    // thousand first messages at once (pre-key bundles, device lists) outlast the 15 s a send may wait for its ack.
    await bench.fleet.allOpen();
    for (let first = 0; first < sessions; first += WARM_UP_BATCH) {
      await bench.fleet.sendTexts(rawRecipients.slice(first, first + WARM_UP_BATCH), 1, 'warm-up', first);
      await sendSync(gateway, ours.slice(first, first + WARM_UP_BATCH), 1, 'warm-up');
    }
    if (sessions === SESSION_STEPS[0] && WARM_UP_TEXTS > 0) {
      const each = Math.ceil(WARM_UP_TEXTS / sessions);
      progress(`warm-up, ${each} texts a session on each side and mode, unmeasured`);
      await bench.fleet.sendTexts(rawRecipients, each, 'warm-up');
      await sendSync(gateway, ours, each, 'warm-up sync');
      await sendAsyncUntilReceived(gateway, bench.sandbox.controlUrl, ours, each, 'warm-up async', { intervalMs: 100, timeoutMs: 300_000 });
      throughGateway += 2 * each * sessions;
    }
    const rounds: { raw: number; sync: number; async: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `${dialect} n${sessions} r${round}`;
      await bench.fleet.allOpen();
      const raw = await rateOf(total, () => bench.fleet.sendTexts(rawRecipients, PER_SESSION, tag));
      const sync = await rateOf(total, () => sendSync(gateway, ours, PER_SESSION, `sync ${tag}`));
      const async = await rateOf(total, () => sendAsyncUntilReceived(gateway, bench.sandbox.controlUrl, ours, PER_SESSION, `async ${tag}`, { intervalMs: 100, timeoutMs: 300_000 }));
      rounds.push({ raw, sync, async });
    }
    throughGateway += sessions + 2 * ROUNDS * total;
    const rawRate = median(rounds.map((r) => r.raw));
    const baseline = (key: 'sync' | 'async') => {
      const ratio = median(rounds.map((r) => r[key] / r.raw));
      return { label: `raw Baileys (${Math.round(rawRate)} msgs/s), median of ${ROUNDS} alternating rounds`, value: median(rounds.map((r) => r[key])) / ratio };
    };
    report(`raw Baileys sendMessage → ack, ${sessions} clients (baseline)`, rawRate, 'msgs/s');
    const perRound = (key: 'sync' | 'async') => rounds.map((r) => (r[key] / r.raw).toFixed(2) + '×').join(', ');
    console.log(`  (each round, raw msgs/s: ${rounds.map((r) => Math.round(r.raw)).join(', ')}; sync ÷ raw: ${perRound('sync')}; async ÷ raw: ${perRound('async')})`);
    if (bench.fleet.resends) console.log(`  (raw Baileys so far: ${bench.fleet.resends} sends went again: after their client lost its connection, or with the same id after 15 s without an ack)`);
    if (gateway.resends) console.log(`  (gateway so far: ${gateway.resends} API sends went again with their Idempotency-Key after the connection failed)`);
    report(`send/text sync (answer at the ack), ${sessions} sessions, ${dialect}`, median(rounds.map((r) => r.sync)), 'msgs/s', baseline('sync'));
    report(`send/text async → all at the phones, ${sessions} sessions, ${dialect}`, median(rounds.map((r) => r.async)), 'msgs/s', baseline('async'));
  }
  return throughGateway;
}

/** From issuing each control API call, or from its answer (the sandbox had routed the message: its own queueing left out). */
const latencies = (sends: PhoneSend[], arrivals: number[], from: 'issuedAt' | 'answeredAt' = 'issuedAt') => sends.map((send, i) => arrivals[i]! - send[from]);

/**
 * Phones write at a steady rate, to raw clients and then to gateway sessions (webhooks set); latency runs from
 * issuing the control API call to the arrival. Resolves with the number of messages that went to the gateway.
 */
async function inboundLatency(bench: Bench, gateway: BenchGateway, dialect: Dialect, side: GatewaySide): Promise<number> {
  progress(`inbound, ${INBOUND_RATE}/s for ${INBOUND_SECONDS} s, raw Baileys then the gateway`);
  const { controlUrl } = bench.sandbox;
  const ours = side.inbound.slice(0, INBOUND_SESSIONS);
  const raw = range(INBOUND_SESSIONS).map((i) => ({ phone: bench.rawPeers[i]!, to: bench.rawSenders[i]! }));
  const drainMs = 60_000 + INBOUND_SECONDS * 1000;
  await waitForIdle(gateway.pid);
  await bench.fleet.allOpen();
  await bench.fleet.upsertTimes(await sendFromPhones(controlUrl, raw, 2, 'warm-up'), 30_000);
  const warmUp = await sendFromPhones(controlUrl, ours, 2, 'warm-up');
  await bench.receiver.arrivals(warmUp, 30_000);

  const rawSends = await sendFromPhonesAtRate(controlUrl, raw, INBOUND_RATE, INBOUND_SECONDS, `raw ${dialect}`);
  const rawArrivals = await bench.fleet.upsertTimes(rawSends.map((s) => s.id), drainMs);
  const ourSends = await sendFromPhonesAtRate(controlUrl, ours, INBOUND_RATE, INBOUND_SECONDS, `gateway ${dialect}`);
  const ourArrivals = await bench.receiver.arrivals(ourSends.map((s) => s.id), drainMs);

  console.log(`inbound: phones send ${INBOUND_RATE} texts/s for ${INBOUND_SECONDS} s to ${INBOUND_SESSIONS} sessions; latency from issuing the control API call (goal p99 < 50 ms)`);
  const compare = (from: 'issuedAt' | 'answeredAt', label: string) => {
    const rawLatency = latencies(rawSends, rawArrivals, from);
    const ourLatency = latencies(ourSends, ourArrivals, from);
    for (const p of [50, 99]) {
      const rawP = percentile(rawLatency, p);
      report(`phone → raw Baileys messages.upsert, p${p}${label} (baseline)`, rawP, 'ms');
      report(`phone → message_received webhook, p${p}${label}, ${dialect}`, percentile(ourLatency, p), 'ms', { label: `raw Baileys p${p}`, value: rawP });
    }
  };
  compare('issuedAt', '');
  // The sandbox serves both sides from one process; its stalls (collections of a heap that holds every device's
  // state) delay a message before it is sent and weigh on both sides' tails alike.
  compare('answeredAt', ' from the sandbox\'s answer');
  return warmUp.length + ourSends.length;
}

/**
 * `count` more messages through every session: half sent through the API (sync), half from the phones, at the
 * same time. Sync answers come at the server ack, or as queued when that is later than the gateway's send timeout
 * (at 1,000 sessions under both loads at once it can be), so the phones are checked for the texts afterwards; a
 * shortfall is printed, not thrown (the memory figures still stand).
 */
async function topUp(bench: Bench, gateway: BenchGateway, dialect: Dialect, side: GatewaySide, count: number): Promise<{ outbound: number; inbound: number }> {
  const outPerSession = Math.ceil(count / 2 / SESSIONS);
  const inPerSession = Math.ceil((count - outPerSession * SESSIONS) / SESSIONS);
  progress(`memory: ${(outPerSession + inPerSession) * SESSIONS} more messages, ${TOP_UP_SESSIONS_AT_ONCE} sessions at a time`);
  const sinceSeconds = Math.floor(Date.now() / 1000) - 1;
  const sent: string[][] = [];
  for (let first = 0; first < SESSIONS; first += TOP_UP_SESSIONS_AT_ONCE) {
    const group = <T>(routes: T[]) => routes.slice(first, first + TOP_UP_SESSIONS_AT_ONCE);
    const receive = async () => bench.receiver.arrivals(await sendFromPhones(bench.sandbox.controlUrl, group(side.inbound), inPerSession, 'top-up'), 600_000);
    const [ids] = await Promise.all([sendSync(gateway, group(side.outbound), outPerSession, 'top-up', 'sync-or-queued'), receive()]);
    sent.push(...ids);
  }
  const expected = side.outbound.map((route, i) => ({ phone: route.to, ids: sent[i]! }));
  const missing = await missingAtPhones(bench.sandbox.controlUrl, expected, sinceSeconds, 60_000);
  if (gateway.queuedAnswers) console.log(`  (${dialect}, so far: ${gateway.queuedAnswers} top-up sends were answered queued, their ack later than the gateway's send timeout)`);
  if (missing) console.log(`WARNING (${dialect}): ${missing} of ${outPerSession * SESSIONS} texts answered "sent" (or "queued") while their sessions also received had not reached the phones decrypted a minute later (see the sandbox's decrypt errors above)`);
  return { outbound: outPerSession * SESSIONS, inbound: inPerSession * SESSIONS };
}

/** The gateway's memory once it is idle (under 5 % of a core for a second), after full garbage collections (settleGarbage). */
async function idleMemory(gateway: BenchGateway): Promise<Memory> {
  await waitForIdle(gateway.pid);
  await gateway.collectGarbage();
  return {
    rss: await rssBytes(gateway.pid),
    heapUsed: await gateway.metric('nodejs_heap_size_used_bytes'),
    heapTotal: await gateway.metric('nodejs_heap_size_total_bytes'),
    youngGeneration: await gateway.metric('nodejs_heap_space_size_total_bytes{space="new"}'),
  };
}

/** RSS per idle session in MiB: above the gateway with no session, divided by the sessions. */
const perSession = (m: Memory, empty: Memory) => (m.rss - empty.rss) / SESSIONS / MIB;
/**
 * The same without V8's young generation, which is the process's, not the sessions': V8 grows it from 1 to 32 MiB
 * under a high allocation rate and keeps it (full GCs do not shrink it), so at 50 sessions it would read as
 * 0.6 MiB "per session" and at 1,000 as 0.03.
 */
const perSessionBeyondYoung = (m: Memory, empty: Memory) => (m.rss - m.youngGeneration - (empty.rss - empty.youngGeneration)) / SESSIONS / MIB;

function reportMemory(dialect: Dialect, empty: Memory, before: Memory, after: Memory, flowed: number, toppedUp: { outbound: number; inbound: number }): void {
  const added = toppedUp.outbound + toppedUp.inbound ? `, topped up with ${toppedUp.outbound} texts out and ${toppedUp.inbound} in` : '';
  console.log(`memory: ${SESSIONS} idle sessions, before the figures above and after them${added}: ${flowed} messages through the gateway in all`);
  report(`gateway RSS with no session, ${dialect} (the zero)`, empty.rss / MIB, 'MiB');
  report(`RSS per idle session before the messages, ${dialect}`, perSession(before, empty), 'MiB');
  report(`RSS per idle session after ${flowed} messages, ${dialect}`, perSession(after, empty), 'MiB', { label: 'before', value: perSession(before, empty) });
  reportBeyondYoung(dialect, 'before', empty, before, after, ' (goal ≤ 1.1×)');
  reportParts(dialect, 'before', before, after);
}

function reportBeyondYoung(dialect: Dialect, earlier: string, empty: Memory, from: Memory, to: Memory, goal = ''): void {
  const young = `${(to.youngGeneration / MIB).toFixed(0)} MiB now, ${(from.youngGeneration / MIB).toFixed(0)} ${earlier}`;
  report(`  the same without V8's young generation (${young}), ${dialect}`, perSessionBeyondYoung(to, empty), 'MiB', { label: `${earlier}${goal}`, value: perSessionBeyondYoung(from, empty) });
}

/** Where the whole gateway's memory went between two readings: V8's live heap, V8's whole heap, the rest. */
function reportParts(dialect: Dialect, earlier: string, from: Memory, to: Memory): void {
  const versus = (value: (m: Memory) => number) => ({ label: `${earlier} (${(value(from) / MIB).toFixed(1)} MiB)`, value: value(from) / MIB });
  const outsideHeap = (m: Memory) => m.rss - m.heapTotal;
  report(`  V8 young generation, whole gateway, ${dialect}`, to.youngGeneration / MIB, 'MiB', versus((m) => m.youngGeneration));
  report(`  V8 heap used after a full GC, whole gateway, ${dialect}`, to.heapUsed / MIB, 'MiB', versus((m) => m.heapUsed));
  report(`  V8 heap held (used or free), whole gateway, ${dialect}`, to.heapTotal / MIB, 'MiB', versus((m) => m.heapTotal));
  report(`  RSS outside the V8 heap, whole gateway, ${dialect}`, outsideHeap(to) / MIB, 'MiB', versus(outsideHeap));
}

async function benchDialect(bench: Bench, dialect: Dialect, index: number): Promise<void> {
  const database = await createBenchDatabase(dialect, process.env.BENCH_PG);
  const gateway = await BenchGateway.start(bench.sandbox, database.env);
  try {
    const empty = await idleMemory(gateway);
    const side = await linkGateway(bench, gateway, 20 + 2 * index, 21 + 2 * index);
    // "Before" is idle with one text sent per session, so it holds the Signal sessions the traffic needs. In
    // batches, as the warm-up below: at 1,000 sessions, all first messages at once outlast the send timeout.
    for (let first = 0; first < SESSIONS; first += WARM_UP_BATCH) await sendSync(gateway, side.outbound.slice(first, first + WARM_UP_BATCH), 1, 'first');
    const before = await idleMemory(gateway);
    let flowed = SESSIONS;
    flowed += await outboundThroughput(bench, gateway, dialect, side.outbound);
    await gateway.setWebhook(side.sessionIds, bench.receiver.url);
    flowed += await inboundLatency(bench, gateway, dialect, side);
    const toppedUp = flowed < RSS_MESSAGES ? await topUp(bench, gateway, dialect, side, RSS_MESSAGES - flowed) : { outbound: 0, inbound: 0 };
    flowed += toppedUp.outbound + toppedUp.inbound;
    const after = await idleMemory(gateway);
    reportMemory(dialect, empty, before, after, flowed, toppedUp);
    // Bounded means flat: as many messages again leave the memory where the first ones left it.
    const again = await topUp(bench, gateway, dialect, side, flowed);
    const afterAgain = await idleMemory(gateway);
    report(`RSS per idle session after ${again.outbound + again.inbound} more messages, ${dialect}`, perSession(afterAgain, empty), 'MiB', { label: `after the first ${flowed}`, value: perSession(after, empty) });
    reportBeyondYoung(dialect, 'after the first', empty, after, afterAgain);
    reportParts(dialect, 'after the first', after, afterAgain);
  } finally {
    await gateway.stop();
    await database.dispose();
  }
}

export async function run(): Promise<void> {
  validateKnobs();
  const { child: sandboxChild, line } = await startJsonChild({ args: ['--import', 'tsx', 'src/sandbox/cli.ts', '--log-level', 'error', '--history-mappings', 'known'] }, () => true, 'the sandbox');
  const sandbox: SandboxEndpoints = { wsUrl: line.wsUrl, controlUrl: line.controlUrl, rootPublicKey: line.rootPublicKey };
  const receiver = await new WebhookArrivals().start();
  let fleet: RawFleet | undefined;
  try {
    fleet = await RawFleet.start(sandbox, SESSIONS);
    const rawSenders = range(SESSIONS).map((i) => phone(10, i));
    const rawPeers = range(SESSIONS).map((i) => phone(11, i));
    await createPhones(sandbox.controlUrl, rawPeers);
    progress(`linking ${SESSIONS} raw Baileys clients`);
    await fleet.link(rawSenders);
    const bench: Bench = { sandbox, receiver, fleet, rawSenders, rawPeers };
    for (const [index, dialect] of DIALECTS.entries()) await benchDialect(bench, dialect, index);
  } finally {
    await fleet?.stop();
    await receiver.stop();
    await stopChild(sandboxChild);
  }
}
