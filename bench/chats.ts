// Chat store benchmarks, with the sandbox, the compiled gateway and a raw Baileys client each in its own process,
// on SQLite (the default config) and on PostgreSQL when BENCH_PG names a database. Every figure is a ratio to a
// baseline measured in the same run:
//  1. the initial history sync of BENCH_HISTORY_CHATS chats with BENCH_HISTORY_MESSAGES messages: time from the QR
//     posted until all of it is stored, relative to a raw Baileys client linked to a phone with the same history
//     (QR posted → `messaging-history.set` emitted); the gateway's V8 heap after a full GC before the link and
//     after the sync;
//  2. at BENCH_CHATS chats in one session (its history, BENCH_CHAT_MESSAGES messages per chat): list chats
//     (`GET /chats?limit=50&offset=<random>&sortBy=lastMessage`) and fetch a random chat's messages
//     (`GET /chats/{id}/messages?limit=50`), as req/s relative to `GET /server/ping`, alternating for
//     BENCH_CHAT_ROUNDS rounds of BENCH_CHAT_SECONDS s each (medians);
//  3. check on WhatsApp for BENCH_CHECK_NUMBERS numbers (half sandbox accounts, half not; fresh numbers each round,
//     so no answer is cached), as time relative to check on WhatsApp for one number that is not on WhatsApp
//     (never cached: one API request, one usync round trip), medians over BENCH_CHAT_ROUNDS rounds.
// Knobs: BENCH_CHATS (10000), BENCH_CHAT_MESSAGES (5), BENCH_HISTORY_CHATS (2000), BENCH_HISTORY_MESSAGES (20000,
// spread evenly over the chats), BENCH_CHECK_NUMBERS (500), BENCH_CHAT_ROUNDS (3), BENCH_CHAT_SECONDS (3),
// BENCH_CHAT_CONCURRENCY (16 requests in flight), BENCH_SEED (offsets and chats picked), BENCH_PG (a PostgreSQL URL;
// a throw-away schema is used).
import { createBenchDatabase, type Dialect } from './support/bench-database.js';
import { BenchGateway, type SandboxEndpoints } from './support/gateway-process.js';
import { okJson } from './support/http-json.js';
import { median, report, timed, waitForIdle } from './support/measure.js';
import { startJsonChild, stopChild } from './support/processes.js';
import { RawFleet } from './support/raw-fleet.js';
import { pollUntil } from './support/wall-clock.js';

const CHATS = Number(process.env.BENCH_CHATS ?? 10_000);
const CHAT_MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 5);
const HISTORY_CHATS = Number(process.env.BENCH_HISTORY_CHATS ?? 2_000);
const HISTORY_MESSAGES = Number(process.env.BENCH_HISTORY_MESSAGES ?? 20_000);
const CHECK_NUMBERS = Number(process.env.BENCH_CHECK_NUMBERS ?? 500);
const ROUNDS = Number(process.env.BENCH_CHAT_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CHAT_CONCURRENCY ?? 16);
const SEED = Number(process.env.BENCH_SEED ?? 20261205);
const DIALECTS: Dialect[] = process.env.BENCH_PG ? ['sqlite', 'postgres'] : ['sqlite'];
const PAGE = 50;
const MIB = 2 ** 20;
const HISTORY_PER_CHAT = Math.ceil(HISTORY_MESSAGES / HISTORY_CHATS);
/** How many one-number checks make the baseline of each round. */
const SINGLE_CHECKS = 10;

const started = performance.now();
/** Where the run is, on stderr (the figures stay alone on stdout). */
function progress(text: string): void {
  process.stderr.write(`  [${Math.round((performance.now() - started) / 1000)} s] ${text}\n`);
}

function validateKnobs(): void {
  const knobs = { BENCH_CHATS: CHATS, BENCH_CHAT_MESSAGES: CHAT_MESSAGES, BENCH_HISTORY_CHATS: HISTORY_CHATS, BENCH_HISTORY_MESSAGES: HISTORY_MESSAGES, BENCH_CHECK_NUMBERS: CHECK_NUMBERS, BENCH_CHAT_ROUNDS: ROUNDS, BENCH_CHAT_SECONDS: SECONDS, BENCH_CHAT_CONCURRENCY: CONCURRENCY };
  for (const [name, value] of Object.entries(knobs)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  // The sandbox's history generator: at most 20,000 chats, 1,000 messages each, 100,000 in all.
  if (CHATS > 20_000 || HISTORY_CHATS > 20_000) throw new Error('the sandbox generates at most 20,000 chats');
  if (CHAT_MESSAGES > 1_000 || HISTORY_PER_CHAT > 1_000) throw new Error('the sandbox generates at most 1,000 messages per chat');
  if (CHATS * CHAT_MESSAGES > 100_000 || HISTORY_CHATS * HISTORY_PER_CHAT > 100_000) throw new Error('the sandbox generates at most 100,000 history messages');
}

/** mulberry32: the same offsets and chats every run with the same BENCH_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Sandbox phone numbers: a two-digit block per role and dialect, so nothing shares an account. */
const phone = (block: number, i: number) => `19${block}${String(i).padStart(7, '0')}`;
/** The contacts the sandbox's history generator makes up (`generate`): 1999 and seven digits. */
const generatedPeer = (i: number) => `1999${String(i).padStart(7, '0')}`;

interface Heap {
  heapUsed: number;
}

async function idleHeap(gateway: BenchGateway): Promise<Heap> {
  await waitForIdle(gateway.pid);
  await gateway.collectGarbage();
  return { heapUsed: await gateway.metric('nodejs_heap_size_used_bytes') };
}

/** Gives the phone `chats` generated chats of `perChat` messages over a day, chat i ending 1 + i s ago. */
async function setHistory(controlUrl: string, number: string, chats: number, perChat: number): Promise<void> {
  await okJson(`${controlUrl}/sandbox/v1/accounts`, 'POST', { phone: number, name: `Bench ${number}` });
  const set = await okJson(`${controlUrl}/sandbox/v1/accounts/${number}/history`, 'POST', { generate: { chats, messages: perChat, spanDays: 1, staggerSeconds: 1 } });
  if (set.chats !== chats || set.messages !== chats * perChat) throw new Error(`history of ${number}: ${JSON.stringify(set)}`);
}

/** Links `sessionId` to the phone by QR and resolves with the ms until its whole history is stored. */
async function linkAndAwaitHistory(gateway: BenchGateway, controlUrl: string, sessionId: string, number: string, chats: number, perChat: number): Promise<number> {
  const created = await gateway.ok('GET', `/api/v1/session/create?sessionId=${sessionId}`);
  const [, ms] = await timed(async () => {
    await okJson(`${controlUrl}/sandbox/v1/accounts/${number}/link`, 'POST', { qr: created.results[0].qrString });
    let stored = 0;
    // The oldest chat is the last one the sync writes; a chunk is one transaction anyway.
    const oldest = generatedPeer(chats - 1);
    await pollUntil(
      async () => {
        const list = await gateway.api('GET', `/api/v1/chats?sessionId=${sessionId}&limit=1`);
        stored = list.status === 200 ? list.body.results[0].pagination.total : 0;
        if (stored < chats) return undefined;
        const messages = await gateway.api('GET', `/api/v1/chats/${oldest}/messages?sessionId=${sessionId}&limit=1`);
        return messages.status === 200 && messages.body.results[0].pagination.total === perChat ? true : undefined;
      },
      { what: `${chats} chats and ${chats * perChat} messages of ${sessionId}'s history stored`, timeoutMs: 900_000, intervalMs: 100, progress: () => `${stored} chats stored` }
    );
  });
  return ms;
}

/** Requests/s of GETs to the URLs `next` gives, `concurrency` in flight, for `seconds`; any non-2xx fails the run. */
async function rate(next: () => string, headers: Record<string, string>, seconds: number, concurrency = CONCURRENCY): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const url = next();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}

interface Throughput {
  rps: number;
  ping: number;
  ratio: number;
}

/** `next`'s rate against server/ping, alternating for ROUNDS rounds; medians of the rates and of the per-round ratios. */
async function againstPing(gateway: BenchGateway, next: () => string): Promise<Throughput> {
  const headers = { 'x-warest-api-key': gateway.adminKey };
  const ping = () => `${gateway.url}/api/v1/server/ping`;
  await rate(next, headers, 0.5, 4);
  await rate(ping, headers, 0.5, 4);
  const rounds: { rps: number; ping: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const base = await rate(ping, headers, SECONDS);
    rounds.push({ ping: base, rps: await rate(next, headers, SECONDS) });
  }
  return { rps: median(rounds.map((r) => r.rps)), ping: median(rounds.map((r) => r.ping)), ratio: median(rounds.map((r) => r.rps / r.ping)) };
}

function reportThroughput(label: string, result: Throughput): void {
  report(label, result.rps, 'req/s', { label: `server/ping (${Math.round(result.ping)} req/s), median of ${ROUNDS} alternating rounds`, value: result.rps / result.ratio });
}

/** The history sync figure: link time to stored against a raw client's link to the same history emitted; heap before and after. */
async function historySync(fleet: RawFleet, gateway: BenchGateway, controlUrl: string, dialect: Dialect, block: number): Promise<void> {
  const messages = HISTORY_CHATS * HISTORY_PER_CHAT;
  progress(`${dialect}: history sync of ${HISTORY_CHATS} chats / ${messages} messages, raw Baileys then the gateway`);
  const rawPhone = phone(block, 0);
  await setHistory(controlUrl, rawPhone, HISTORY_CHATS, HISTORY_PER_CHAT);
  const rawMs = await fleet.linkForHistory(rawPhone, HISTORY_CHATS, messages);
  const ourPhone = phone(block, 1);
  await setHistory(controlUrl, ourPhone, HISTORY_CHATS, HISTORY_PER_CHAT);
  const before = await idleHeap(gateway);
  const ms = await linkAndAwaitHistory(gateway, controlUrl, 'bench-history', ourPhone, HISTORY_CHATS, HISTORY_PER_CHAT);
  const after = await idleHeap(gateway);
  console.log(`history sync: a phone with ${HISTORY_CHATS} chats × ${HISTORY_PER_CHAT} messages (1 day) links; default bounds (30 days, 100 per chat) keep all of it`);
  report(`raw Baileys: QR posted → messaging-history.set (baseline)`, rawMs / 1000, 's');
  report(`gateway: QR posted → all stored, ${dialect}`, ms / 1000, 's', { label: 'raw Baileys', value: rawMs / 1000 });
  report(`gateway V8 heap after a full GC, after the sync, ${dialect}`, after.heapUsed / MIB, 'MiB', { label: `before the link (${(before.heapUsed / MIB).toFixed(1)} MiB)`, value: before.heapUsed / MIB });
}

/** List and fetch at CHATS chats in one session, against server/ping. */
async function listAndFetch(gateway: BenchGateway, controlUrl: string, dialect: Dialect, block: number): Promise<void> {
  const number = phone(block, 2);
  progress(`${dialect}: a session with ${CHATS} chats × ${CHAT_MESSAGES} messages (history sync)`);
  await setHistory(controlUrl, number, CHATS, CHAT_MESSAGES);
  const syncMs = await linkAndAwaitHistory(gateway, controlUrl, 'bench-chats', number, CHATS, CHAT_MESSAGES);
  progress(`${dialect}: ${CHATS} chats stored in ${(syncMs / 1000).toFixed(1)} s; list and fetch against ping`);
  const next = random(SEED);
  const pick = (n: number) => Math.floor(next() * n);
  const base = `${gateway.url}/api/v1/chats`;
  await waitForIdle(gateway.pid);
  console.log(`list and fetch: one session with ${CHATS} chats, ${CHAT_MESSAGES} messages each; ${CONCURRENCY} requests in flight`);
  reportThroughput(`list chats, limit ${PAGE}, random offset, by lastMessage, ${dialect}`, await againstPing(gateway, () => `${base}?sessionId=bench-chats&limit=${PAGE}&offset=${pick(CHATS - PAGE + 1)}&sortBy=lastMessage&sortOrder=desc`));
  reportThroughput(`chat messages, limit ${PAGE}, random chat, ${dialect}`, await againstPing(gateway, () => `${base}/${generatedPeer(pick(CHATS))}/messages?sessionId=bench-chats&limit=${PAGE}`));
}

/** Check on WhatsApp for CHECK_NUMBERS fresh numbers per round (half registered) against one unregistered number. */
async function checkOnWhatsApp(gateway: BenchGateway, controlUrl: string, dialect: Dialect, block: number): Promise<void> {
  const registered = Math.floor(CHECK_NUMBERS / 2);
  progress(`${dialect}: ${ROUNDS} × ${registered} registered numbers for check on WhatsApp`);
  const check = (numbers: string[]) => async () => {
    const answer = await gateway.api('GET', `/api/v1/profile/on-whatsapp?sessionId=bench-chats&checkNumbers=${numbers.join(',')}`);
    if (answer.status !== 200) throw new Error(`on-whatsapp → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body.results[0].data;
  };
  const rounds: { many: number; one: number }[] = [];
  let unregisteredSeq = 0;
  const unregistered = () => phone(block + 1, 5_000_000 + unregisteredSeq++);
  for (let round = 0; round < ROUNDS; round++) {
    const yes = Array.from({ length: registered }, (_, i) => phone(block + 1, round * registered + i));
    for (const number of yes) await okJson(`${controlUrl}/sandbox/v1/accounts`, 'POST', { phone: number, name: `Bench ${number}` });
    const numbers = [...yes, ...Array.from({ length: CHECK_NUMBERS - registered }, unregistered)];
    // Interleaved as a client would send them.
    numbers.sort((a, b) => Number(a.slice(-3)) - Number(b.slice(-3)) || a.localeCompare(b));
    await waitForIdle(gateway.pid);
    const singles: number[] = [];
    for (let i = 0; i < SINGLE_CHECKS; i++) singles.push((await timed(check([unregistered()])))[1]);
    const [data, ms] = await timed(check(numbers));
    const found = (data as { isOnWhatsApp: boolean }[]).filter((d) => d.isOnWhatsApp).length;
    if (data.length !== CHECK_NUMBERS || found !== registered) throw new Error(`on-whatsapp: ${data.length} answers, ${found} on WhatsApp (expected ${CHECK_NUMBERS}, ${registered})`);
    rounds.push({ many: ms, one: median(singles) });
  }
  const one = median(rounds.map((r) => r.one));
  const ratio = median(rounds.map((r) => r.many / r.one));
  console.log(`check on WhatsApp: ${CHECK_NUMBERS} numbers never asked before (${registered} on WhatsApp), ${Math.ceil(CHECK_NUMBERS / 100)} usync queries of ≤ 100`);
  report(`on-whatsapp, 1 number not on WhatsApp (≈ 1 usync round trip)`, one, 'ms');
  report(`on-whatsapp, ${CHECK_NUMBERS} numbers, ${dialect}`, median(rounds.map((r) => r.many)), 'ms', { label: `1 number, median of ${ROUNDS} rounds`, value: median(rounds.map((r) => r.many)) / ratio });
}

async function benchDialect(fleet: RawFleet, sandbox: SandboxEndpoints, dialect: Dialect, index: number): Promise<void> {
  const database = await createBenchDatabase(dialect, process.env.BENCH_PG);
  // 30 days and 100 messages per chat (the defaults) keep every generated message.
  const gateway = await BenchGateway.start(sandbox, { ...database.env, WAYGATE_HISTORY_DAYS: '30', WAYGATE_HISTORY_MESSAGES_PER_CHAT: String(Math.max(100, CHAT_MESSAGES, HISTORY_PER_CHAT)) });
  try {
    const block = 30 + 3 * index;
    await historySync(fleet, gateway, sandbox.controlUrl, dialect, block);
    await listAndFetch(gateway, sandbox.controlUrl, dialect, block);
    await checkOnWhatsApp(gateway, sandbox.controlUrl, dialect, block);
  } finally {
    await gateway.stop();
    await database.dispose();
  }
}

export async function run(): Promise<void> {
  validateKnobs();
  const { child: sandboxChild, line } = await startJsonChild({ args: ['--import', 'tsx', 'src/sandbox/cli.ts', '--log-level', 'error', '--history-mappings', 'known'] }, () => true, 'the sandbox');
  const sandbox: SandboxEndpoints = { wsUrl: line.wsUrl, controlUrl: line.controlUrl, rootPublicKey: line.rootPublicKey };
  let fleet: RawFleet | undefined;
  try {
    fleet = await RawFleet.start(sandbox);
    for (const [index, dialect] of DIALECTS.entries()) await benchDialect(fleet, sandbox, dialect, index);
  } finally {
    await fleet?.stop();
    await stopChild(sandboxChild);
  }
}
