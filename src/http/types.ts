// The contract between the HTTP layer and the rest of the gateway: what buildHttpApp needs (HttpDeps) and how
// later modules plug their routes in (RouteModule). Everything here is an interface; nothing imports core or store.
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { AuthResolver } from '../core/auth/principal.js';

export interface HealthProbe {
  databaseOk(): Promise<boolean>;
  /** True once the boot-time resume of previously open sessions has finished. */
  sessionsRestored(): boolean;
}

/** Small persistent key/value settings (server-wide, survives restarts). `null` deletes. */
export interface SettingsStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string | null): Promise<void>;
}

export interface RestartRequest {
  reason: string;
  delaySeconds: number;
}

/** What the server routes need from the process that hosts them. */
export interface ServerControl {
  /** Session counts keyed by status (`open`, `connecting`, …). */
  sessionsByState(): Promise<Record<string, number>>;
  /** Restart the gateway after `delaySeconds`; must return promptly (the route answers 202). */
  restart(request: RestartRequest): void | Promise<void>;
  settings: SettingsStore;
}

/**
 * A route plugin from a later module (sessions, groups, …). It is registered before the 501 stubs, so any route
 * it defines for a method + path of the WARest route table replaces the stub.
 */
export interface RouteModule {
  /** Defaults to `/api/v1`. */
  prefix?: string;
  routes: FastifyPluginAsync;
}

export interface HttpDeps {
  config: Config;
  logger: FastifyBaseLogger;
  auth: AuthResolver;
  health: HealthProbe;
  server: ServerControl;
  registerRoutes?: readonly RouteModule[];
  /** Shared registry for other modules' metrics; a private one is created when omitted. */
  metricsRegistry?: Registry;
}
