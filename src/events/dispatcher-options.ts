// What a webhook dispatcher can be told, and the defaults it runs with.
import type { Logger } from 'pino';
import type { Db } from '../store/database.js';
import type { DeliveryState } from '../store/tables/webhook-deliveries.js';
import type { WebhookDelivery } from '../store/repos/webhook-deliveries.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { DeliveredEvent } from './deliver.js';
import type { WebhookRetention } from './retention.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

const DAY_MS = 86_400_000;

export interface DispatcherOptions {
  db: Db;
  logger?: Logger;
  /** Owner of this node's leases; on start, rows it left in flight are released. Default: the host name. */
  nodeId?: string;
  /** The clock every scheduling decision reads (tests run it fast). Default Date.now. */
  now?: () => number;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /** A delivery failing this long after its first attempt is `dead`. Default 24 h. */
  retryWindowMs?: number;
  /** Optional cap on attempts before a delivery is `dead`, even inside the window. Default none. */
  maxAttempts?: number;
  /** The wait after failed attempt n is uniform in [c/2, c], c = min(cap, base * 2^(n-1)). Defaults 1 s and 15 min. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Safety-net poll. Default 1 s. */
  pollIntervalMs?: number;
  /** Attempts in flight at once, across all URLs. Default 16. */
  concurrency?: number;
  /** Consecutive failures that open a URL's circuit. Default 5. */
  breakerThreshold?: number;
  /** Wait before an open circuit's first probe; it doubles per failed probe up to the max. Defaults 5 s and 60 s. */
  breakerProbeBaseMs?: number;
  breakerProbeMaxMs?: number;
  /** Allow internal webhook targets (the address check of src/lib/safe-fetch.ts). Default false. */
  allowPrivate?: boolean;
  /** How long stop() waits for attempts in flight before aborting them (and re-queueing their rows). Default 5 s. */
  stopTimeoutMs?: number;
  retention?: WebhookRetention;
  /** How often old events and attempt logs are pruned. Default 10 min. */
  pruneIntervalMs?: number;
  /** Told the state each completed attempt left its delivery in (for metrics). */
  onAttempt?: (state: AttemptState) => void;
  /**
   * Given the JSON body of a 2xx answer from the session's configured webhook, after the delivery is recorded.
   * Must return at once: work it starts runs in the background.
   */
  onReply?: ReplyHook;
}

export type ReplyHook = (delivery: WebhookDelivery, event: DeliveredEvent, status: number, body: unknown) => void;

export type AttemptState = Exclude<DeliveryState, 'in_flight'>;

export interface DispatcherSettings {
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
  allowPrivate: boolean;
  stopTimeoutMs: number;
  pruneIntervalMs: number;
  retention: WebhookRetention;
}

/** The options with their defaults filled in: the dispatcher's own settings, its retry policy and its circuit breaker's. */
export function dispatcherSettings(options: DispatcherOptions): { settings: DispatcherSettings; policy: RetryPolicy; breaker: CircuitBreakerOptions } {
  return {
    settings: {
      timeoutMs: options.timeoutMs ?? 10_000,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      concurrency: options.concurrency ?? 16,
      allowPrivate: options.allowPrivate ?? false,
      stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
      pruneIntervalMs: options.pruneIntervalMs ?? 600_000,
      retention: options.retention ?? { eventMaxAgeMs: 7 * DAY_MS, logMaxAgeMs: 7 * DAY_MS, logKeepPerSession: 1_000 },
    },
    policy: {
      retryWindowMs: options.retryWindowMs ?? DEFAULT_RETRY_POLICY.retryWindowMs,
      maxAttempts: options.maxAttempts,
      backoffBaseMs: options.backoffBaseMs ?? DEFAULT_RETRY_POLICY.backoffBaseMs,
      backoffCapMs: options.backoffCapMs ?? DEFAULT_RETRY_POLICY.backoffCapMs,
    },
    breaker: {
      failureThreshold: options.breakerThreshold ?? 5,
      probeBaseMs: options.breakerProbeBaseMs ?? 5_000,
      probeMaxMs: options.breakerProbeMaxMs ?? 60_000,
    },
  };
}
