import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SCHEDULE_SETTING } from '../restart-schedule.js';
import { adminHeaders, MemorySettings, testApp, type TestApp } from '../testing.js';

describe('server routes', () => {
  let t: TestApp;
  let app: FastifyInstance;
  before(async () => {
    t = await testApp({ config: { cpuSampleIntervalMs: 10 } });
    app = t.app;
  });
  after(() => app.close());

  const get = (url: string) => app.inject({ method: 'GET', url: `/api/v1/server${url}`, headers: adminHeaders });
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url: `/api/v1/server${url}`, headers: adminHeaders, payload: payload as object });

  it('ping is public and fast', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/server/ping' });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual({ ...body, results: undefined }, { status: true, code: 1000, message: 'pong', results: undefined });
    assert.equal(body.results[0].pong, true);
    assert.ok(Math.abs(body.results[0].ts - Date.now()) < 5000);
  });

  it('info reports version, runtime, sessions by state, database and network', async () => {
    const response = await get('/info');
    assert.equal(response.statusCode, 200);
    const [info] = response.json().results;
    assert.equal(info.version, '0.1.0');
    assert.equal(info.node, process.version);
    assert.deepEqual(info.sessions, { open: 2, connecting: 1 });
    assert.deepEqual(info.database, { dialect: 'sqlite' });
    assert.equal(info.network, 'whatsapp');
    assert.equal(typeof info.uptimeSeconds, 'number');
  });

  it('healthz answers while the process lives', async () => {
    const response = await get('/healthz');
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().results[0].status, 'ok');
  });

  it('ready answers 200 when the database is reachable and sessions are restored', async () => {
    const response = await get('/ready');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().results, [{ database: 'ok', sessionsRestored: true }]);
  });

  it('cpu-history returns background samples, newest last, limited on request', async () => {
    await sleep(80);
    const response = await get('/cpu-history');
    const [history] = response.json().results;
    assert.equal(history.intervalMs, 10);
    assert.ok(history.samples.length >= 2, `got ${history.samples.length} samples`);
    const sample = history.samples.at(-1);
    assert.equal(typeof sample.cpuPercent, 'number');
    assert.equal(sample.loadAverage.length, 3);
    assert.ok(sample.rssBytes > 0);
    assert.ok(history.samples[0].ts <= sample.ts);
    const limited = await get('/cpu-history?limit=1');
    assert.equal(limited.json().results[0].samples.length, 1);
  });

  it('restart calls the hook and answers 202', async () => {
    const response = await post('/restart', { reason: 'deploy' });
    assert.equal(response.statusCode, 202);
    assert.equal(response.json().code, 1001);
    assert.deepEqual(t.restarts.at(-1), { reason: 'deploy', delaySeconds: 4 });
    await post('/restart', { delayMs: 2500 });
    assert.equal(t.restarts.at(-1)!.delaySeconds, 3);
    await post('/restart', { delayMs: 2500, delaySeconds: 1 });
    assert.equal(t.restarts.at(-1)!.delaySeconds, 1);
    const empty = await app.inject({ method: 'POST', url: '/api/v1/server/restart', headers: adminHeaders });
    assert.equal(empty.statusCode, 202, 'no body at all is fine');
  });

  it('schedules a daily restart, persists it, shows it in info, and cancels it', async () => {
    const response = await post('/restart/scheduled', { schedule: '3:30', timezone: 'Asia/Jakarta' });
    assert.equal(response.statusCode, 200);
    const [state] = response.json().results;
    assert.equal(state.schedule, '03:30');
    assert.equal(state.timezone, 'Asia/Jakarta');
    const next = new Date(state.nextRunAt);
    assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 86_400_000);
    assert.equal((next.getUTCHours() + 7) % 24, 3, 'Jakarta is UTC+7');
    assert.equal(next.getUTCMinutes(), 30);
    assert.deepEqual(JSON.parse(t.settings.values.get(SCHEDULE_SETTING)!), { time: '03:30', timeZone: 'Asia/Jakarta' });
    assert.equal((await get('/info')).json().results[0].scheduledRestart.time, '03:30');

    for (const cancel of [0, '0']) {
      const cancelled = await post('/restart/scheduled', { schedule: cancel });
      assert.equal(cancelled.statusCode, 200);
      assert.deepEqual(cancelled.json().results, [{ schedule: null, timezone: null, nextRunAt: null }]);
      assert.equal(t.settings.values.has(SCHEDULE_SETTING), false);
    }
  });

  it('rejects bad schedules with messages that say what to send', async () => {
    const cases: [unknown, string][] = [
      [{}, 'body/schedule is required'],
      [{ schedule: '25:00' }, 'schedule must be "HH:MM" (24-hour, e.g. "03:30") or 0 to cancel'],
      [{ schedule: 5 }, 'schedule must be "HH:MM" (24-hour, e.g. "03:30") or 0 to cancel'],
      [{ schedule: '04:00', timezone: 'Mars/Olympus' }, 'timezone "Mars/Olympus" is not an IANA time zone name (e.g. Asia/Jakarta, UTC)'],
      [{ schedule: '04:00', timezone: {} }, 'body/timezone must be string'],
    ];
    for (const [payload, message] of cases) {
      const response = await post('/restart/scheduled', payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().message, message);
    }
  });
});

describe('server routes with failing dependencies', () => {
  it('ready answers 503 when the database is unreachable or sessions are still restoring', async () => {
    for (const [options, message] of [
      [{ databaseOk: false }, 'Not ready: the database is unreachable'],
      [{ sessionsRestored: false }, 'Not ready: sessions are still being restored'],
    ] as const) {
      const { app } = await testApp(options);
      const response = await app.inject({ method: 'GET', url: '/api/v1/server/ready', headers: adminHeaders });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().code, 8001);
      assert.equal(response.json().message, message);
      await app.close();
    }
  });

  it('ready treats a throwing database probe as unreachable', async () => {
    const { app } = await testApp({
      health: { databaseOk: async () => { throw new Error('ECONNREFUSED'); }, sessionsRestored: () => true },
    });
    const response = await app.inject({ method: 'GET', url: '/api/v1/server/ready', headers: adminHeaders });
    assert.equal(response.statusCode, 503);
    await app.close();
  });

  it('re-arms a persisted schedule on boot', async () => {
    const settings = new MemorySettings();
    await settings.set(SCHEDULE_SETTING, JSON.stringify({ time: '04:15', timeZone: 'UTC' }));
    const { app } = await testApp({ server: { sessionsByState: async () => ({}), restart: () => {}, settings } });
    const response = await app.inject({ method: 'GET', url: '/api/v1/server/info', headers: adminHeaders });
    const scheduled = response.json().results[0].scheduledRestart;
    assert.equal(scheduled.time, '04:15');
    assert.equal(new Date(scheduled.nextRunAt).getUTCHours(), 4);
    await app.close();
  });
});
