// Request observability: Prometheus metrics (default process metrics plus request count and latency by route and
// status), the GET /metrics endpoint, and Fastify's request log lines rewritten so credentials in the URL are masked.
import {
  LogController,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, type Registry } from 'prom-client';
import { redactUrl } from './credentials.js';

const LABELS = ['method', 'route', 'status'] as const;
type Label = (typeof LABELS)[number];

function counter(registry: Registry, name: string, help: string): Counter<Label> {
  const existing = registry.getSingleMetric(name) as Counter<Label> | undefined;
  return existing ?? new Counter({ name, help, labelNames: LABELS, registers: [registry] });
}

function histogram(registry: Registry, name: string, help: string): Histogram<Label> {
  const existing = registry.getSingleMetric(name) as Histogram<Label> | undefined;
  return existing ?? new Histogram({ name, help, labelNames: LABELS, registers: [registry] });
}

function where(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url) };
}

/**
 * Fastify's request logging without `req` objects: their URL may hold `?api_key=` or `?access_token=`. One line per
 * completed request (no "incoming request" line), with the URL masked.
 */
export class RedactingLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { ...where(request), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.error({ ...where(request), err: error }, error.message);
  }

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ ...where(request), err: error }, error.message);
  }
}

/** Count and time every response. Idempotent on a shared registry (metrics are created once). */
export function installRequestMetrics(app: FastifyInstance, registry: Registry): void {
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  const requests = counter(registry, 'waygate_http_requests_total', 'HTTP requests by method, route and status');
  const duration = histogram(
    registry,
    'waygate_http_request_duration_seconds',
    'HTTP request latency by method, route and status',
  );

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}

/**
 * A client that goes away before its answer (midway through the body, or while the handler runs) is logged as an
 * abort at info, with the URL masked; what the handler then fails with is nobody's concern (error-handler.ts
 * answers a body cut off by the abort with 400, never as a database outage).
 */
export function installAbortLogging(app: FastifyInstance): void {
  app.addHook('onRequestAbort', async (request) => {
    request.log.info(where(request), 'request aborted by the client');
  });
}

export function metricsRoute(registry: Registry, isPublic: boolean): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', {
      config: { auth: isPublic ? 'public' : 'admin' },
      schema: {
        tags: ['Observability'],
        summary: 'Prometheus metrics',
        description: 'Admin key required unless WAYGATE_METRICS_PUBLIC=true.',
      },
      handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    });
  };
}
