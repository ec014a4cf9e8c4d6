// What operators alert on, beside the HTTP metrics: sessions by status, status changes (a flaky network shows
// as RECONNECTING), webhook attempts by the state they left a delivery in, and the webhook backlog.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SessionStatus } from '../engine/types.js';
import type { AttemptState } from '../events/dispatcher.js';

export interface GatewayMetricSources {
  /** how many of the sessions this gateway runs are in each status */
  sessionsByStatus(): Record<string, number>;
  /** deliveries not settled yet */
  webhookBacklog(): Promise<number>;
}

export interface GatewayMetrics {
  sessionStatusChanged(status: SessionStatus): void;
  webhookAttempted(state: AttemptState): void;
}

export function registerGatewayMetrics(registry: Registry, sources: GatewayMetricSources): GatewayMetrics {
  new Gauge({
    name: 'waygate_sessions',
    help: 'Sessions this gateway runs, by status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [status, count] of Object.entries(sources.sessionsByStatus())) this.set({ status }, count);
    },
  });
  const statusChanges = new Counter({
    name: 'waygate_session_status_changes_total',
    help: 'Session status changes reported by the engine, by new status',
    labelNames: ['status'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'waygate_webhook_attempts_total',
    help: 'Webhook delivery attempts, by the state they left the delivery in (delivered, pending = will retry, dead)',
    labelNames: ['state'],
    registers: [registry],
  });
  new Gauge({
    name: 'waygate_webhook_backlog',
    help: 'Webhook deliveries not settled yet (waiting, backing off or in flight)',
    registers: [registry],
    async collect() {
      // NaN rather than a failed scrape: metrics matter most while the database is down.
      this.set(await sources.webhookBacklog().catch(() => Number.NaN));
    },
  });
  return {
    sessionStatusChanged: (status) => statusChanges.inc({ status }),
    webhookAttempted: (state) => attempts.inc({ state }),
  };
}
