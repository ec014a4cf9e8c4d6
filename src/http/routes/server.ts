// The Server category (api-compat §1.3, actions 71-77): ping (public), info, liveness, readiness, CPU history,
// restart and the daily restart schedule. Admin key required for all but ping (the auth hook's default here).
import type { FastifyPluginAsync } from 'fastify';
import { databaseDialect, type Config } from '../../config.js';
import { GatewayError } from '../../core/errors.js';
import type { CpuSampler } from '../cpu-sampler.js';
import { parseScheduleTime, serverTimeZone, validateTimeZone, type RestartScheduler } from '../restart-schedule.js';
import { actionRoute } from '../route-table.js';
import type { HealthProbe, ServerControl } from '../types.js';
import { GATEWAY_VERSION } from '../version.js';

const STARTED_AT = new Date();
const DATABASE_PROBE_TIMEOUT_MS = 2000;
const DEFAULT_RESTART_DELAY_SECONDS = 4;

export interface ServerRouteDeps {
  config: Config;
  health: HealthProbe;
  server: ServerControl;
  sampler: CpuSampler;
  scheduler: RestartScheduler;
}

async function databaseReachable(health: HealthProbe): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([health.databaseOk().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const uptimeSeconds = () => Math.round(process.uptime());

export function serverRoutes(deps: ServerRouteDeps): FastifyPluginAsync {
  const { config, health, server, sampler, scheduler } = deps;
  return async (app) => {
    app.route(actionRoute('ping', {
      config: { auth: 'public' },
      schema: { security: [] },
      handler: async (_request, reply) => reply.envelope('SUCCESS', 'pong', { pong: true, ts: Date.now() }),
    }));

    app.route(actionRoute('info', {
      handler: async (_request, reply) => reply.envelope('SUCCESS', 'Server info', {
        name: 'waygate',
        version: GATEWAY_VERSION,
        startedAt: STARTED_AT.toISOString(),
        uptimeSeconds: uptimeSeconds(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        pid: process.pid,
        network: config.network,
        database: { dialect: databaseDialect(config) },
        sessions: await server.sessionsByState(),
        scheduledRestart: scheduler.current(),
      }),
    }));

    app.route(actionRoute('health', {
      handler: async (_request, reply) => reply.envelope('SUCCESS', 'OK', { status: 'ok', uptimeSeconds: uptimeSeconds() }),
    }));

    app.route(actionRoute('ready', {
      handler: async (_request, reply) => {
        const database = (await databaseReachable(health)) ? 'ok' : 'unreachable';
        const sessionsRestored = health.sessionsRestored();
        const state = { database, sessionsRestored };
        const problem =
          database !== 'ok' ? 'the database is unreachable' : sessionsRestored ? null : 'sessions are still being restored';
        if (problem) throw new GatewayError('SERVICE_UNAVAILABLE', `Not ready: ${problem}`, { details: state });
        return reply.envelope('SUCCESS', 'Ready', state);
      },
    }));

    app.route(actionRoute<{ Querystring: { limit?: number } }>('cpuHistory', {
      schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100_000 } } } },
      handler: async (request, reply) => reply.envelope('SUCCESS', 'CPU history', {
        intervalMs: sampler.intervalMs,
        capacity: sampler.capacity,
        cores: sampler.coreCount,
        samples: sampler.samples(request.query.limit),
      }),
    }));

    app.route(actionRoute<{ Body: { reason?: string; delaySeconds?: number; delayMs?: number } }>('restart', {
      schema: {
        body: {
          type: 'object',
          properties: {
            reason: { type: 'string', maxLength: 200 },
            delaySeconds: { type: 'integer', minimum: 0, maximum: 86_400, description: 'default 4' },
            delayMs: {
              type: 'integer', minimum: 0, maximum: 86_400_000,
              description: 'used when delaySeconds is absent (WARest ignores it)',
            },
          },
        },
      },
      handler: async (request, reply) => {
        const { reason = 'requested through the API', delaySeconds, delayMs } = request.body;
        const delay = delaySeconds ?? (delayMs === undefined ? DEFAULT_RESTART_DELAY_SECONDS : Math.ceil(delayMs / 1000));
        await server.restart({ reason, delaySeconds: delay });
        const restartAt = new Date(Date.now() + delay * 1000).toISOString();
        return reply.envelope('ACCEPTED', `Restart in ${delay} s`, { reason, delaySeconds: delay, restartAt });
      },
    }));

    app.route(actionRoute<{ Body: { schedule: string | number; timezone?: string } }>('scheduleRestart', {
      schema: {
        body: {
          type: 'object',
          required: ['schedule'],
          properties: {
            schedule: { type: ['string', 'integer'], description: '"HH:MM" (24-hour) for a daily restart, or 0 to cancel' },
            timezone: { type: 'string', description: 'IANA time zone; default: the server time zone' },
          },
        },
      },
      handler: async (request, reply) => {
        const time = parseScheduleTime(request.body.schedule);
        if (time === null) {
          await scheduler.set(null);
          return reply.envelope('SUCCESS', 'Daily restart cancelled', { schedule: null, timezone: null, nextRunAt: null });
        }
        const timeZone = request.body.timezone ? validateTimeZone(request.body.timezone) : serverTimeZone();
        const state = (await scheduler.set({ time, timeZone }))!;
        return reply.envelope('SUCCESS', `Daily restart scheduled at ${time} (${timeZone})`, {
          schedule: time, timezone: timeZone, nextRunAt: state.nextRunAt.toISOString(), nextRunTs: state.nextRunAt.getTime(),
        });
      },
    }));
  };
}
