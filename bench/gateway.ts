// Gateway benchmarks, with the sandbox network in its own process: memory per connected idle session at
// N = 100 and 500, sessions restored per second after a restart, and API throughput (server/ping,
// session/list) as a ratio to a bare Fastify handler measured in the same run. session/list is also measured
// over BENCH_LIST_SESSIONS (default 1,000) stored sessions, written to the database before a gateway starts.
// The cost of linking: CPU-seconds (from /proc, QR until the process is idle again) and wall time (until all are
// WORKING) per link over the first BENCH_LINK_COST_SESSIONS (50) links, each as a ratio to a fleet of raw Baileys
// clients (in-memory auth, their own process) linking as many accounts against the same sandbox just before, on
// the same schedule (the gateway's Baileys engine, loaded with its first session, is loaded beforehand, as the
// fleet's is). With every step linked, the gateway stays idle for BENCH_IDLE_SECONDS (60; the scale goal asks 600)
// and its mean CPU over that window is reported; then it restarts and every session must be WORKING again without
// a QR (nobody scans one after the restart).
// BENCH_GATEWAY_NODE_ARGS adds Node flags to the gateway process (e.g. `--cpu-prof --cpu-prof-dir=.tmp/prof`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { compareThroughput } from './support/load.js';
import { cpuMs, meanCpuPercent, report, rssBytes, spawnJsonLine, timed, waitForIdle } from './support/measure.js';
import { createBenchDatabase } from './support/bench-database.js';
import { gatewayLaunch, settleGarbage, type SandboxEndpoints } from './support/gateway-process.js';
import { RawFleet } from './support/raw-fleet.js';
import { storeSessions } from './support/stored-sessions.js';

const SESSION_STEPS = (process.env.BENCH_SESSIONS ?? '100,500').split(',').map(Number);
const LIST_SESSIONS = Number(process.env.BENCH_LIST_SESSIONS ?? 1000);
const LINK_COST_SESSIONS = Math.min(Number(process.env.BENCH_LINK_COST_SESSIONS ?? 50), SESSION_STEPS[0]!);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const LINK_BATCH = 10;
/** How long after the first post-restart reading the steady one is taken. */
const STEADY_AFTER_MS = 30_000;

interface Endpoint {
  child: ChildProcess;
  url: string;
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, init);
  const body = await response.json();
  if (response.status >= 300 && response.status !== 202) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

const api = (gateway: Endpoint, path: string, init: RequestInit = {}) => json(`${gateway.url}${path}`, { ...init, headers: { 'x-warest-api-key': ADMIN_KEY, ...init.headers } });

async function startGateway(env: Record<string, string>): Promise<Endpoint> {
  // The compiled gateway (npm run bench builds it first), as users run it with npm start.
  const launch = gatewayLaunch();
  const { child, line } = await spawnJsonLine(launch.command, launch.args, { ...env, ...launch.env, LOG_LEVEL: 'info' }, (l) => l.msg === 'listening');
  return { child, url: line.url };
}

/** Resident memory after full garbage collections: what the gateway keeps, not garbage V8 has not collected or given back yet. */
async function rssAfterGc(child: ChildProcess): Promise<number> {
  await settleGarbage(child);
  return rssBytes(child.pid!);
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function workingCount(gateway: Endpoint): Promise<number> {
  const list = await api(gateway, '/api/v1/session/list');
  return list.results[0].items.filter((s: { status: string }) => s.status === 'WORKING').length;
}

async function waitForWorking(gateway: Endpoint, count: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await workingCount(gateway)) < count) {
    if (Date.now() > deadline) throw new Error(`only ${await workingCount(gateway)} of ${count} sessions WORKING`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function linkSessions(gateway: Endpoint, controlUrl: string, from: number, to: number): Promise<void> {
  const link = async (i: number) => {
    const phone = `1930${String(i).padStart(7, '0')}`;
    await json(`${controlUrl}/sandbox/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone }) });
    const created = await api(gateway, `/api/v1/session/create?sessionId=bench-${i}`);
    await json(`${controlUrl}/sandbox/v1/accounts/${phone}/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qr: created.results[0].qrString })
    });
  };
  for (let i = from; i < to; i += LINK_BATCH) await Promise.all(Array.from({ length: Math.min(LINK_BATCH, to - i) }, (_, j) => link(i + j)));
  await waitForWorking(gateway, to);
}

interface LinkCost {
  cpuSeconds: number;
  wallSeconds: number;
}

const totalCpuMs = async (pids: number[]) => (await Promise.all(pids.map(cpuMs))).reduce((sum, ms) => sum + ms, 0);

/** CPU time the processes `pids` spend on `link` and settling afterwards (until idle), and the wall time of `link`. */
async function linkCost(pids: number[], link: () => Promise<void>): Promise<LinkCost> {
  const cpuBefore = await totalCpuMs(pids);
  const [, ms] = await timed(link);
  for (const pid of pids) await waitForIdle(pid);
  return { cpuSeconds: ((await totalCpuMs(pids)) - cpuBefore) / 1000, wallSeconds: ms / 1000 };
}

/** The gateway loads its Baileys engine with the first session; the raw fleet has Baileys loaded before it links. */
async function loadEngine(gateway: Endpoint): Promise<void> {
  await api(gateway, '/api/v1/session/create?sessionId=bench-engine-warmup');
  await api(gateway, '/api/v1/session/delete?sessionId=bench-engine-warmup', { method: 'DELETE' });
  await waitForIdle(gateway.child.pid!);
}

async function rawLinkCost(sandbox: SandboxEndpoints, count: number): Promise<LinkCost> {
  const fleet = await RawFleet.start(sandbox, count);
  try {
    for (const pid of fleet.pids) await waitForIdle(pid);
    const phones = Array.from({ length: count }, (_, i) => `1931${String(i).padStart(7, '0')}`);
    return await linkCost(fleet.pids, () => fleet.link(phones));
  } finally {
    await fleet.stop();
  }
}

function reportLinkCost(count: number, gateway: LinkCost, raw: LinkCost): void {
  const perLink = (seconds: number) => seconds / count;
  report(`gateway CPU per link (N = ${count}, QR until idle)`, perLink(gateway.cpuSeconds), 'CPU-s', { label: `raw Baileys ${perLink(raw.cpuSeconds).toFixed(3)} CPU-s; goal 1.1×`, value: perLink(raw.cpuSeconds) });
  report(`gateway wall time per link (N = ${count}, QR until WORKING)`, perLink(gateway.wallSeconds) * 1000, 'ms', { label: `raw Baileys ${Math.round(perLink(raw.wallSeconds) * 1000)} ms; goal 1.1×`, value: perLink(raw.wallSeconds) * 1000 });
}

async function reportThroughput(label: string, url: string, withKey: boolean, bare: { url: string }): Promise<void> {
  const result = await compareThroughput({ url, ...(withKey ? { headers: { 'x-warest-api-key': ADMIN_KEY } } : {}) }, bare);
  report(label, result.targetRps, 'req/s', { label: `bare Fastify (${Math.round(result.baselineRps)} req/s), median of 3 alternating rounds`, value: result.targetRps / result.ratio });
}

/** session/list over `count` stored sessions (not running), in a gateway of its own on a database of its own. */
async function listStoredSessions(count: number, bare: { url: string }): Promise<void> {
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  const database = await createBenchDatabase(postgresUrl ? 'postgres' : 'sqlite', postgresUrl);
  try {
    await storeSessions({ dataDir: database.env.WAYGATE_DATA_DIR!, url: database.env.DATABASE_URL }, ADMIN_KEY, count);
    const gateway = await startGateway({ PORT: '0', HOST: '127.0.0.1', WAYGATE_ADMIN_KEY: ADMIN_KEY, ...database.env });
    try {
      await waitForIdle(gateway.child.pid!);
      await reportThroughput(`session/list (${count} stored sessions, authenticated)`, `${gateway.url}/api/v1/session/list`, true, bare);
    } finally {
      await stop(gateway.child);
    }
  } finally {
    await database.dispose();
  }
}

export async function run(): Promise<void> {
  // Address books of contacts only, as real phones have: with hundreds of accounts, 'all' would make every new
  // device store every account's LID mapping (quadratic, and not what WhatsApp does).
  const sandbox = await spawnJsonLine(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', '--log-level', 'error', '--history-mappings', 'known']);
  const bareServer = await spawnJsonLine(process.execPath, ['--import', 'tsx', 'bench/support/bare-fastify.ts']);
  const dataDir = await mkdtemp(join(tmpdir(), 'waygate-bench-'));
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    WAYGATE_DATA_DIR: dataDir,
    WAYGATE_ADMIN_KEY: ADMIN_KEY,
    WAYGATE_NETWORK: 'sandbox',
    WA_WS_URL: sandbox.line.wsUrl,
    WA_TRUST_ROOT: sandbox.line.rootPublicKey,
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {})
  };
  let gateway = await startGateway(env);
  try {
    const bare = { url: `${bareServer.line.url}/ping` };
    const throughput = (label: string, path: string, withKey: boolean) => reportThroughput(label, `${gateway.url}${path}`, withKey, bare);
    await waitForIdle(gateway.child.pid!);
    await throughput('server/ping', '/api/v1/server/ping', false);
    await throughput('session/list (0 sessions, authenticated)', '/api/v1/session/list', true);
    await listStoredSessions(LIST_SESSIONS, bare);

    const idleRss = await rssAfterGc(gateway.child);
    report('gateway RSS with no session, after forced GCs (baseline)', idleRss / 2 ** 20, 'MiB');
    const rawLink = await rawLinkCost(sandbox.line, LINK_COST_SESSIONS);
    await loadEngine(gateway);
    const gatewayLink = await linkCost([gateway.child.pid!], () => linkSessions(gateway, sandbox.line.controlUrl, 0, LINK_COST_SESSIONS));
    reportLinkCost(LINK_COST_SESSIONS, gatewayLink, rawLink);
    let linked = LINK_COST_SESSIONS;
    let linkMs = gatewayLink.wallSeconds * 1000;
    for (const target of SESSION_STEPS) {
      const cost = await linkCost([gateway.child.pid!], () => linkSessions(gateway, sandbox.line.controlUrl, linked, target));
      linkMs += cost.wallSeconds * 1000;
      linked = target;
      const rss = await rssBytes(gateway.child.pid!);
      report(`RSS per connected idle session at N = ${target}`, (rss - idleRss) / target / 2 ** 20, 'MiB', { label: 'the goal of 6 MiB', value: 6 });
    }
    const linkRate = { label: 'fresh links/s (QR + pairing) in this run', value: linked / (linkMs / 1000) };
    report(`gateway CPU, mean over ${IDLE_SECONDS} s idle with N = ${linked} sessions`, await meanCpuPercent(gateway.child.pid!, IDLE_SECONDS), '% of a core', { label: 'the goal of 10 %', value: 10 });
    await throughput(`server/ping (${linked} sessions connected)`, '/api/v1/server/ping', false);
    await throughput(`session/list (${linked} sessions)`, '/api/v1/session/list', true);

    await stop(gateway.child);
    const [restarted, ms] = await timed(async () => {
      const next = await startGateway(env);
      await waitForWorking(next, linked);
      return next;
    });
    gateway = restarted;
    report(`sessions restored after a restart, all WORKING, no QR (N = ${linked})`, linked / (ms / 1000), 'sessions/s', linkRate);
    // Steady state: the same sessions, connected, without the transient memory linking them left behind.
    await waitForIdle(gateway.child.pid!);
    const restoredRss = await rssAfterGc(gateway.child);
    report(`RSS per idle session after the restart and forced GCs (N = ${linked})`, (restoredRss - idleRss) / linked / 2 ** 20, 'MiB', { label: 'the goal of 0.15 MiB', value: 0.15 });
    // What the restore burst freed reaches the system over the next seconds (jemalloc purges on a 10 s decay).
    await sleep(STEADY_AFTER_MS);
    const steadyRss = await rssAfterGc(gateway.child);
    report(`  … ${STEADY_AFTER_MS / 1000} s later, forced GCs again (steady state, N = ${linked})`, (steadyRss - idleRss) / linked / 2 ** 20, 'MiB', { label: 'the goal of 0.15 MiB', value: 0.15 });
    await throughput(`server/ping (${linked} restored sessions)`, '/api/v1/server/ping', false);
  } finally {
    await stop(gateway.child);
    sandbox.child.kill('SIGTERM');
    bareServer.child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}
