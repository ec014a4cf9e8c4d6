// Gateway benchmarks, with the sandbox network in its own process: memory per connected idle session at
// N = 100 and 500, sessions restored per second after a restart, and API throughput (server/ping,
// session/list) as a ratio to a bare Fastify handler measured in the same run. session/list is also measured
// over BENCH_LIST_SESSIONS (default 1,000) stored sessions, written to the database before a gateway starts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { compareThroughput } from './support/load.js';
import { report, rssBytes, spawnJsonLine, timed, waitForIdle } from './support/measure.js';
import { createBenchDatabase } from './support/bench-database.js';
import { storeSessions } from './support/stored-sessions.js';

const SESSION_STEPS = (process.env.BENCH_SESSIONS ?? '100,500').split(',').map(Number);
const LIST_SESSIONS = Number(process.env.BENCH_LIST_SESSIONS ?? 1000);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const LINK_BATCH = 10;

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
  const { child, line } = await spawnJsonLine(process.execPath, ['dist/main.js', 'start'], { ...env, LOG_LEVEL: 'info' }, (l) => l.msg === 'listening');
  return { child, url: line.url };
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

    const idleRss = await rssBytes(gateway.child.pid!);
    report('gateway RSS with no session (baseline)', idleRss / 2 ** 20, 'MiB');
    let linked = 0;
    let linkMs = 0;
    for (const target of SESSION_STEPS) {
      const [, ms] = await timed(() => linkSessions(gateway, sandbox.line.controlUrl, linked, target));
      linkMs += ms;
      linked = target;
      const idleCpu = await waitForIdle(gateway.child.pid!);
      const rss = await rssBytes(gateway.child.pid!);
      report(`RSS per connected idle session at N = ${target}`, (rss - idleRss) / target / 2 ** 20, 'MiB', { label: 'the goal of 6 MiB', value: 6 });
      report(`gateway CPU while idle with N = ${target} sessions`, idleCpu, '% of a core');
    }
    const linkRate = { label: 'fresh links/s (QR + pairing) in this run', value: linked / (linkMs / 1000) };
    await throughput(`server/ping (${linked} sessions connected)`, '/api/v1/server/ping', false);
    await throughput(`session/list (${linked} sessions)`, '/api/v1/session/list', true);

    await stop(gateway.child);
    const [restarted, ms] = await timed(async () => {
      const next = await startGateway(env);
      await waitForWorking(next, linked);
      return next;
    });
    gateway = restarted;
    report(`sessions restored after a restart (N = ${linked})`, linked / (ms / 1000), 'sessions/s', linkRate);
    // Steady state: the same sessions, connected, without the transient memory linking them left behind.
    await waitForIdle(gateway.child.pid!);
    report(`RSS per connected idle session after the restart (N = ${linked})`, ((await rssBytes(gateway.child.pid!)) - idleRss) / linked / 2 ** 20, 'MiB', { label: 'the goal of 6 MiB', value: 6 });
    await throughput(`server/ping (${linked} restored sessions)`, '/api/v1/server/ping', false);
  } finally {
    await stop(gateway.child);
    sandbox.child.kill('SIGTERM');
    bareServer.child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}
