import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import pino from 'pino';
import { GatewayError } from '../core/errors.js';
import { nextDailyRun, parseScheduleTime, RestartScheduler, SCHEDULE_SETTING, validateTimeZone } from './restart-schedule.js';
import { MemorySettings } from './testing.js';
import type { RestartRequest } from './types.js';

const at = (iso: string) => new Date(iso);

describe('parseScheduleTime', () => {
  it('accepts HH:MM and H:MM, and 0 / "0" to cancel', () => {
    assert.equal(parseScheduleTime('03:30'), '03:30');
    assert.equal(parseScheduleTime('3:05'), '03:05');
    assert.equal(parseScheduleTime('23:59'), '23:59');
    assert.equal(parseScheduleTime(0), null);
    assert.equal(parseScheduleTime('0'), null);
  });

  it('rejects anything else', () => {
    for (const bad of ['24:00', '12:60', '1230', 'noon', 1, '']) {
      assert.throws(() => parseScheduleTime(bad), GatewayError, String(bad));
    }
  });
});

describe('validateTimeZone', () => {
  it('accepts IANA names and rejects others', () => {
    assert.equal(validateTimeZone('Asia/Jakarta'), 'Asia/Jakarta');
    assert.equal(validateTimeZone('UTC'), 'UTC');
    assert.throws(() => validateTimeZone('Nowhere/Land'), /not an IANA time zone/);
  });
});

describe('nextDailyRun', () => {
  it('picks today when the time is still ahead in that zone, else tomorrow', () => {
    // 10:00Z is 17:00 in Jakarta (UTC+7).
    assert.equal(nextDailyRun(at('2025-01-15T10:00:00Z'), '18:00', 'Asia/Jakarta').toISOString(), '2025-01-15T11:00:00.000Z');
    assert.equal(nextDailyRun(at('2025-01-15T10:00:00Z'), '03:30', 'Asia/Jakarta').toISOString(), '2025-01-15T20:30:00.000Z');
    assert.equal(nextDailyRun(at('2025-01-15T10:00:00Z'), '10:00', 'UTC').toISOString(), '2025-01-16T10:00:00.000Z');
  });

  it('follows daylight saving changes', () => {
    // New York springs forward on 2025-03-09: 03:30 that day is EDT (UTC-4).
    assert.equal(nextDailyRun(at('2025-03-08T12:00:00Z'), '03:30', 'America/New_York').toISOString(), '2025-03-09T07:30:00.000Z');
    // Berlin falls back on 2025-10-26: noon that day is CET (UTC+1).
    assert.equal(nextDailyRun(at('2025-10-26T06:00:00Z'), '12:00', 'Europe/Berlin').toISOString(), '2025-10-26T11:00:00.000Z');
  });

  it('still finds a run for a wall time skipped by the DST jump', () => {
    const now = at('2025-03-08T12:00:00Z');
    const next = nextDailyRun(now, '02:30', 'America/New_York');
    assert.ok(next > now && next.getTime() - now.getTime() < 25 * 3_600_000);
  });
});

describe('RestartScheduler', () => {
  it('persists, fires the restart at the time, and re-arms for the next day', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: at('2025-01-15T10:00:00Z') });
    try {
      const settings = new MemorySettings();
      const restarts: RestartRequest[] = [];
      const scheduler = new RestartScheduler(settings, (request) => void restarts.push(request), pino({ level: 'silent' }));
      const state = await scheduler.set({ time: '11:00', timeZone: 'UTC' });
      assert.equal(state?.nextRunAt.toISOString(), '2025-01-15T11:00:00.000Z');
      assert.ok(settings.values.has(SCHEDULE_SETTING));

      mock.timers.tick(3_600_000);
      await new Promise(setImmediate);
      assert.deepEqual(restarts, [{ reason: 'scheduled daily restart at 11:00 UTC', delaySeconds: 0 }]);
      assert.equal(scheduler.current()?.nextRunAt.toISOString(), '2025-01-16T11:00:00.000Z');

      await scheduler.set(null);
      mock.timers.tick(86_400_000);
      await new Promise(setImmediate);
      assert.equal(restarts.length, 1, 'a cancelled schedule does not fire');
      assert.equal(settings.values.has(SCHEDULE_SETTING), false);
    } finally {
      mock.timers.reset();
    }
  });

  it('survives an unreadable stored schedule', async () => {
    const settings = new MemorySettings();
    await settings.set(SCHEDULE_SETTING, '{broken');
    const scheduler = new RestartScheduler(settings, () => {}, pino({ level: 'silent' }));
    await scheduler.load();
    assert.equal(scheduler.current(), null);
  });
});
