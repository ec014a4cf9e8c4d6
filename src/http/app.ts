// The Fastify app factory: wires the envelope, error mapping, auth, metrics and OpenAPI plugins, the dashboard,
// the server routes, the route modules of later capabilities, and finally the 501 stubs for every table action still missing.
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { installAuth } from './auth.js';
import { CpuSampler } from './cpu-sampler.js';
import { dashboardRoutes } from './dashboard.js';
import { installEnvelope } from './envelope.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandling, refuseUnsafeNumbers, type ErrorDialect } from './error-handler.js';
import { compileValidatorsLazily } from './lazy-validators.js';
import { installAbortLogging, installRequestMetrics, metricsRoute, RedactingLogController } from './observability.js';
import { docsRoutes, registerOpenApi } from './openapi.js';
import { RestartScheduler } from './restart-schedule.js';
import { API_PREFIX } from './route-table.js';
import { wawpErrorHandler } from './routes/invites-wawp-errors.js';
import { serverRoutes } from './routes/server.js';
import { registerStubRoutes } from './stub-routes.js';
import type { HttpDeps } from './types.js';

/** Wawp's routes live under /v2/ (routes/invites-wawp.ts): what is answered there before a route runs uses its shape. */
const ERROR_DIALECTS: ErrorDialect[] = [{ prefix: '/v2/', render: wawpErrorHandler }];

/**
 * Build the HTTP app (not yet listening). Route modules in `deps.registerRoutes` are registered in order under
 * their prefix (default /api/v1), before the stubs, so their routes replace the 501 answers of the same actions.
 */
export function buildHttpApp(deps: HttpDeps): FastifyInstance {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new RedactingLogController(),
    // Every compiled validator also refuses non-finite and inexact numbers (`?limit=Infinity` → 400).
    ajv: {
      customOptions: { allowUnionTypes: true },
      onCreate: (ajv) => {
        refuseUnsafeNumbers(ajv);
        compileValidatorsLazily(ajv);
      },
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    // Errors raised before routing (a malformed or over-long path parameter).
    frameworkErrors: frameworkErrorHandler(ERROR_DIALECTS),
    // Headers over the limit and malformed HTTP answer in the envelope, on the raw socket.
    clientErrorHandler,
  });

  installEnvelope(app);
  installErrorHandling(app, ERROR_DIALECTS);
  installAuth(app, deps.auth);
  const registry = deps.metricsRegistry ?? new Registry();
  installRequestMetrics(app, registry);
  installAbortLogging(app);

  const sampler = new CpuSampler(config.cpuSampleIntervalMs, config.cpuHistorySize);
  const scheduler = new RestartScheduler(deps.server.settings, (request) => deps.server.restart(request), deps.logger);
  app.addHook('onReady', async () => {
    sampler.start();
    await scheduler.load();
  });
  app.addHook('onClose', async () => {
    sampler.stop();
    scheduler.stop();
  });

  registerOpenApi(app);
  app.register(docsRoutes);
  app.register(metricsRoute(registry, config.metricsPublic));
  if (config.dashboard) app.register(dashboardRoutes());
  const server = serverRoutes({ config, health: deps.health, server: deps.server, sampler, scheduler });
  app.register(server, { prefix: API_PREFIX });
  for (const module of deps.registerRoutes ?? []) {
    app.register(module.routes, { prefix: module.prefix ?? API_PREFIX });
  }
  app.register(registerStubRoutes);
  return app;
}
