// Group benchmarks, with the gateway and the sandbox network as child processes: group/info served from the
// metadata cache, as requests/s relative to server/ping measured in the same run, and the latency of a first
// (uncached, a WhatsApp round trip) read against a cached one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { compareThroughput } from './support/load.js';
import { median, report, spawnJsonLine, timed, waitForIdle } from './support/measure.js';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const SESSION = 'bench-groups';
const OWNER = '19400000000';
const MEMBERS = Number(process.env.BENCH_GROUP_MEMBERS ?? 50);
const COLD_GROUPS = Number(process.env.BENCH_COLD_GROUPS ?? 20);

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const body = await response.json();
  if (response.status >= 300 && response.status !== 202) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function run(): Promise<void> {
  const sandbox = await spawnJsonLine(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', '--log-level', 'error']);
  const control = (path: string, body: unknown) => json(`${sandbox.line.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const dataDir = await mkdtemp(join(tmpdir(), 'waygate-bench-groups-'));
  const gateway = await spawnJsonLine(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'start'],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WAYGATE_DATA_DIR: dataDir,
      WAYGATE_ADMIN_KEY: ADMIN_KEY,
      WAYGATE_NETWORK: 'sandbox',
      WA_WS_URL: sandbox.line.wsUrl,
      WA_TRUST_ROOT: sandbox.line.rootPublicKey,
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {})
    },
    (line) => line.msg === 'listening'
  );
  const base = gateway.line.url as string;
  const headers = { 'x-warest-api-key': ADMIN_KEY };
  const api = (method: string, path: string, body?: unknown) => json(`${base}/api/v1${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const info = (groupId: string) => `${base}/api/v1/group/info?sessionId=${SESSION}&groupId=${encodeURIComponent(groupId)}`;

  try {
    const members = Array.from({ length: MEMBERS }, (_, i) => `1941${String(i).padStart(7, '0')}`);
    for (const phone of [OWNER, ...members]) await control('/sandbox/v1/accounts', { phone });
    const created = await api('GET', `/session/create?sessionId=${SESSION}`);
    await control(`/sandbox/v1/accounts/${OWNER}/link`, { qr: created.results[0].qrString });
    for (let status = ''; status !== 'WORKING'; await new Promise((resolve) => setTimeout(resolve, 200))) {
      status = (await api('GET', '/session/list')).results[0].items.find((s: { id: string }) => s.id === SESSION)?.status ?? '';
    }

    const newGroup = async () => (await api('POST', '/group/create', { sessionId: SESSION, groupName: 'Bench', participants: members })).results[0].groupId as string;
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < COLD_GROUPS; i++) {
      const groupId = await newGroup();
      // Let the creation's own notifications arrive (they drop the entry) before the first read.
      await new Promise((resolve) => setTimeout(resolve, 100));
      cold.push((await timed(() => json(info(groupId), { headers })))[1]);
      warm.push((await timed(() => json(info(groupId), { headers })))[1]);
    }
    const coldMs = median(cold);
    report(`group/info, first read (WhatsApp round trip), ${MEMBERS + 1} members`, coldMs, 'ms');
    report('group/info, cached', median(warm), 'ms', { label: 'the first read', value: coldMs });

    const groupId = await newGroup();
    await json(info(groupId), { headers });
    await waitForIdle(gateway.child.pid!);
    const result = await compareThroughput({ url: info(groupId), headers }, { url: `${base}/api/v1/server/ping` });
    report('server/ping (baseline)', result.baselineRps, 'req/s');
    report(`group/info, cached metadata (${MEMBERS + 1} members)`, result.targetRps, 'req/s', {
      label: 'server/ping, median of 3 alternating rounds',
      value: result.targetRps / result.ratio
    });
  } finally {
    await stop(gateway.child);
    sandbox.child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}
