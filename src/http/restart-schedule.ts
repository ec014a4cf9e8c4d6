// The daily scheduled restart behind POST /server/restart/scheduled: parsing "HH:MM" and IANA time zones, the next
// run time in that zone, persistence through the settings store, and the (unref'ed) timer that fires the restart.
import type { FastifyBaseLogger } from 'fastify';
import { GatewayError } from '../core/errors.js';
import type { RestartRequest, SettingsStore } from './types.js';

export const SCHEDULE_SETTING = 'server.restartSchedule';

export interface DailySchedule {
  /** "HH:MM", 24-hour. */
  time: string;
  timeZone: string;
}

export interface ScheduleState extends DailySchedule {
  nextRunAt: Date;
}

/** "HH:MM" → the schedule time; 0 or "0" → null (cancel). */
export function parseScheduleTime(raw: string | number): string | null {
  if (raw === 0 || raw === '0') return null;
  const match = typeof raw === 'string' ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw.trim()) : null;
  if (!match) throw new GatewayError('INVALID_PARAMETER', 'schedule must be "HH:MM" (24-hour, e.g. "03:30") or 0 to cancel');
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function validateTimeZone(raw: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    throw new GatewayError(
      'INVALID_PARAMETER',
      `timezone "${raw.slice(0, 80)}" is not an IANA time zone name (e.g. Asia/Jakarta, UTC)`,
    );
  }
}

function wallClock(instant: number, timeZone: string): number[] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** UTC offset of the zone at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(instant, timeZone) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time occurs in the zone (day may overflow; Date.UTC normalises it). */
function zonedToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

/** The first instant after `now` at which the zone's wall clock shows `time`. */
export function nextDailyRun(now: Date, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const [year, month, day] = wallClock(now.getTime(), timeZone) as [number, number, number];
  let next = zonedToInstant(year, month, day, hour, minute, timeZone);
  if (next <= now.getTime()) next = zonedToInstant(year, month, day + 1, hour, minute, timeZone);
  return new Date(next);
}

export class RestartScheduler {
  private schedule: DailySchedule | null = null;
  private nextRunAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: SettingsStore,
    private readonly restart: (request: RestartRequest) => void | Promise<void>,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Re-arm the persisted schedule (on boot). Failing to read it only logs a warning: boot must not depend on it. */
  async load(): Promise<void> {
    let stored: string | null = null;
    try {
      stored = await this.settings.get(SCHEDULE_SETTING);
      if (!stored) return;
      const parsed = JSON.parse(stored) as DailySchedule;
      const time = parseScheduleTime(parsed.time);
      if (time) this.arm({ time, timeZone: validateTimeZone(parsed.timeZone) });
    } catch (error) {
      this.logger.warn({ err: error, stored }, 'could not load the daily restart schedule');
    }
  }

  /** Save and arm a schedule, or cancel with null. */
  async set(schedule: DailySchedule | null): Promise<ScheduleState | null> {
    await this.settings.set(SCHEDULE_SETTING, schedule ? JSON.stringify(schedule) : null);
    this.stop();
    this.schedule = null;
    this.nextRunAt = null;
    if (schedule) this.arm(schedule);
    return this.current();
  }

  current(): ScheduleState | null {
    return this.schedule && this.nextRunAt ? { ...this.schedule, nextRunAt: this.nextRunAt } : null;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(schedule: DailySchedule): void {
    this.schedule = schedule;
    this.nextRunAt = nextDailyRun(new Date(), schedule.time, schedule.timeZone);
    this.timer = setTimeout(() => this.fire(), this.nextRunAt.getTime() - Date.now());
    this.timer.unref();
  }

  private fire(): void {
    const schedule = this.schedule!;
    this.logger.info({ schedule }, 'scheduled daily restart');
    // Re-arm first: if the restart hook does not end the process, tomorrow's run still happens.
    this.arm(schedule);
    const reason = `scheduled daily restart at ${schedule.time} ${schedule.timeZone}`;
    Promise.resolve()
      .then(() => this.restart({ reason, delaySeconds: 0 }))
      .catch((error: unknown) => this.logger.error({ err: error }, 'scheduled restart failed'));
  }
}
