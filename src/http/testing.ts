// Test support for HTTP tests (here and in later route modules): a config with defaults, a fake AuthResolver with
// fixed keys, in-memory settings, a log capture, and `testApp()` that builds a ready app from them.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig, type Config } from '../config.js';
import { buildHttpApp } from './app.js';
import type { AuthResolver, Principal } from '../core/auth/principal.js';
import type { HttpDeps, RestartRequest, SettingsStore } from './types.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const USER_KEY = 'test-user-key-alice';
export const OTHER_USER_KEY = 'test-user-key-bob';
/** Valid only with instance_id=TOKEN_SESSION. */
export const SESSION_TOKEN = 'test-session-token';
export const TOKEN_SESSION = 'sess-1';

const PRINCIPALS: Record<string, Principal> = {
  [ADMIN_KEY]: { kind: 'admin', keyId: 'k-admin', username: 'admin' },
  [USER_KEY]: { kind: 'user', keyId: 'k-alice', username: 'alice' },
  [OTHER_USER_KEY]: { kind: 'user', keyId: 'k-bob', username: 'bob' },
};

export function fakeAuth(): AuthResolver {
  return {
    resolveApiKey: async (raw) => PRINCIPALS[raw] ?? null,
    resolveSessionToken: async (instanceId, token) =>
      instanceId === TOKEN_SESSION && token === SESSION_TOKEN ? { kind: 'session', sessionId: instanceId } : null,
  };
}

export class MemorySettings implements SettingsStore {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async set(key: string, value: string | null): Promise<void> {
    if (value === null) this.values.delete(key);
    else this.values.set(key, value);
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), logLevel: 'silent', ...overrides };
}

export interface LogCapture {
  logger: pino.Logger;
  lines: Record<string, unknown>[];
  /** Every captured line as raw JSON text, for "never logged" assertions. */
  text(): string;
}

export function captureLogs(): LogCapture {
  const raw: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void raw.push(line) });
  return {
    logger,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

export interface TestAppOptions extends Partial<Omit<HttpDeps, 'config'>> {
  config?: Partial<Config>;
  databaseOk?: boolean;
  sessionsRestored?: boolean;
}

export interface TestApp {
  app: FastifyInstance;
  settings: MemorySettings;
  restarts: RestartRequest[];
}

/** A ready app over fakes; close it with `app.close()`. */
export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const settings = new MemorySettings();
  const restarts: RestartRequest[] = [];
  const app = buildHttpApp({
    config: testConfig(options.config),
    logger: options.logger ?? pino({ level: 'silent' }),
    auth: options.auth ?? fakeAuth(),
    health: options.health ?? {
      databaseOk: async () => options.databaseOk ?? true,
      sessionsRestored: () => options.sessionsRestored ?? true,
    },
    server: options.server ?? {
      sessionsByState: async () => ({ open: 2, connecting: 1 }),
      restart: (request) => void restarts.push(request),
      settings,
    },
    registerRoutes: options.registerRoutes,
    metricsRegistry: options.metricsRegistry,
  });
  await app.ready();
  return { app, settings, restarts };
}

export const adminHeaders = { 'x-warest-api-key': ADMIN_KEY };
export const userHeaders = { 'x-warest-api-key': USER_KEY };
