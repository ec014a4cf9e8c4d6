// The webhook dispatcher: takes due deliveries from the queue and runs them with bounded concurrency,
// one at a time per (session, url) lane so each receiver sees its events in order. Woken by outbox
// signals after commit, with a poll as a safety net. At-least-once: a claimed row is leased, so rows left
// in flight by a crash are retaken when the lease runs out; receivers de-duplicate on the event id.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../store/database.js';
import type { DeliveryState } from '../store/tables/webhook-deliveries.js';
import { appendDeliveryAttempt } from '../store/repos/delivery-log.js';
import {
  claimDelivery,
  listLaneHeads,
  recordDeliveryOutcome,
  type WebhookDelivery,
} from '../store/repos/webhook-deliveries.js';
import { transaction } from '../store/transaction.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { attemptDelivery, type AttemptReport } from './deliver.js';
import { onOutboxSignal } from './outbox.js';
import { pruneWebhookHistory, type WebhookRetention } from './retention.js';
import { decide, type RetryPolicy } from './retry-policy.js';

export interface DispatcherOptions {
  db: Db;
  logger?: Logger;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /** Attempts before a row is `dead`. Default 8. */
  maxAttempts?: number;
  /** Backoff before retry n is uniform in [0, min(cap, base * 2^(n-1))]. Defaults 1 s and 5 min. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Safety-net poll. Default 1 s. */
  pollIntervalMs?: number;
  /** Attempts in flight at once, across all URLs. Default 16. */
  concurrency?: number;
  /** Consecutive failures that open a URL's circuit, and how long it stays open. Defaults 5 and 60 s. */
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  /** Allow internal webhook targets (see url-guard.ts). Default false. */
  allowPrivate?: boolean;
  /** How long stop() waits for attempts in flight before aborting them (and re-queueing their rows). Default 5 s. */
  stopTimeoutMs?: number;
  retention?: WebhookRetention;
  /** How often old events and attempt logs are pruned. Default 10 min. */
  pruneIntervalMs?: number;
  /** Told the state each completed attempt left its delivery in (for metrics). */
  onAttempt?: (state: AttemptState) => void;
}

export type AttemptState = Exclude<DeliveryState, 'in_flight'>;

const DAY_MS = 86_400_000;

export class WebhookDispatcher {
  readonly #db: Db;
  readonly #logger: Logger | undefined;
  readonly #policy: RetryPolicy;
  readonly #breaker: CircuitBreaker;
  readonly #options: Required<Omit<DispatcherOptions, 'db' | 'logger' | 'retention' | 'onAttempt'>> & { retention: WebhookRetention };
  readonly #onAttempt: ((state: AttemptState) => void) | undefined;
  readonly #inFlight = new Map<number, Promise<void>>();
  #running = false;
  #pump: Promise<void> | undefined;
  #pumpAgain = false;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  #intervals: NodeJS.Timeout[] = [];
  #unsubscribe: (() => void) | undefined;
  #shutdown = new AbortController();

  constructor(options: DispatcherOptions) {
    this.#db = options.db;
    this.#logger = options.logger?.child({ component: 'webhook-dispatcher' });
    this.#options = {
      timeoutMs: options.timeoutMs ?? 10_000,
      maxAttempts: options.maxAttempts ?? 8,
      backoffBaseMs: options.backoffBaseMs ?? 1_000,
      backoffCapMs: options.backoffCapMs ?? 300_000,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      concurrency: options.concurrency ?? 16,
      breakerThreshold: options.breakerThreshold ?? 5,
      breakerCooldownMs: options.breakerCooldownMs ?? 60_000,
      allowPrivate: options.allowPrivate ?? false,
      stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
      pruneIntervalMs: options.pruneIntervalMs ?? 600_000,
      retention: options.retention ?? { eventMaxAgeMs: 7 * DAY_MS, logMaxAgeMs: 7 * DAY_MS, logKeepPerSession: 1_000 },
    };
    this.#onAttempt = options.onAttempt;
    this.#policy = this.#options;
    this.#breaker = new CircuitBreaker({
      failureThreshold: this.#options.breakerThreshold,
      cooldownMs: this.#options.breakerCooldownMs,
    });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#shutdown = new AbortController();
    this.#unsubscribe = onOutboxSignal(() => this.#wake());
    this.#intervals = [
      setInterval(() => this.#wake(), this.#options.pollIntervalMs),
      setInterval(() => void this.#prune(), this.#options.pruneIntervalMs),
    ];
    this.#wake();
  }

  /** Stops taking work and waits for attempts in flight; past `stopTimeoutMs` it aborts and re-queues them. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#unsubscribe?.();
    for (const interval of this.#intervals) clearInterval(interval);
    await this.#pump;
    clearTimeout(this.#wakeTimer);
    this.#wakeAt = Infinity;

    const settled = Promise.allSettled([...this.#inFlight.values()]);
    const waited = new AbortController();
    const timedOut = await Promise.race([
      settled.then(() => false),
      sleep(this.#options.stopTimeoutMs, true, { signal: waited.signal }).catch(() => false),
    ]);
    waited.abort();
    if (timedOut) {
      this.#logger?.warn({ inFlight: this.#inFlight.size }, 'stop timed out; aborting webhook attempts in flight');
      this.#shutdown.abort();
      await settled;
    }
  }

  #wake(): void {
    if (!this.#running) return;
    if (this.#pump) {
      this.#pumpAgain = true;
      return;
    }
    this.#pump = this.#runPump().finally(() => {
      this.#pump = undefined;
    });
  }

  async #runPump(): Promise<void> {
    do {
      this.#pumpAgain = false;
      try {
        await this.#fill();
      } catch (err) {
        // The poll retries; the queue is durable so nothing is lost meanwhile.
        this.#logger?.error({ err }, 'webhook queue scan failed');
        return;
      }
    } while (this.#pumpAgain && this.#running);
  }

  /** Claims due lane heads until the concurrency limit is reached or nothing more is due. */
  async #fill(): Promise<void> {
    while (this.#running) {
      const free = this.#options.concurrency - this.#inFlight.size;
      if (free <= 0) return;
      const now = Date.now();
      const heads = await listLaneHeads(this.#db, { excludeUrls: this.#breaker.blockedUrls(now), limit: free });
      let launched = 0;
      for (const head of heads) {
        if (head.nextAttemptAt > now) {
          this.#wakeLater(head.nextAttemptAt);
          break;
        }
        if (this.#inFlight.has(head.id) || this.#breaker.isBlocked(head.url, now)) continue;
        // Longer than any attempt (bounded by the timeout) plus recording it; only a crash outlives it.
        const leaseUntil = now + this.#options.timeoutMs * 2 + this.#options.pollIntervalMs;
        if (!(await claimDelivery(this.#db, head, leaseUntil, now))) continue;
        this.#breaker.attemptStarted(head.url, now);
        this.#launch(head);
        launched += 1;
      }
      const probeAt = this.#breaker.nextProbeAt(now);
      if (probeAt !== undefined) this.#wakeLater(probeAt);
      if (launched === 0) return;
    }
  }

  /** Wakes at `at`, or at the next poll if that is sooner (a later head may become due meanwhile). */
  #wakeLater(at: number): void {
    const fireAt = Math.min(at, Date.now() + this.#options.pollIntervalMs);
    if (!this.#running || fireAt >= this.#wakeAt) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAt = fireAt;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeAt = Infinity;
      this.#wake();
    }, Math.max(0, fireAt - Date.now()));
  }

  #launch(delivery: WebhookDelivery): void {
    const task = this.#attempt(delivery)
      .catch((err: unknown) => {
        // Left in flight: the lease expires and the row is retried, so this costs a delay, not an event.
        this.#breaker.inconclusive(delivery.url);
        this.#logger?.error({ err, deliveryId: delivery.id }, 'webhook attempt could not be completed');
      })
      .finally(() => {
        this.#inFlight.delete(delivery.id);
        this.#wake();
      });
    this.#inFlight.set(delivery.id, task);
  }

  async #attempt(delivery: WebhookDelivery): Promise<void> {
    const report = await attemptDelivery(delivery, {
      db: this.#db,
      timeoutMs: this.#options.timeoutMs,
      allowPrivate: this.#options.allowPrivate,
      shutdown: this.#shutdown.signal,
    });
    const now = Date.now();
    if (report.kind === 'aborted') {
      // Shutdown cut it short: hand the row back untouched so the next start retries it without waiting.
      this.#breaker.inconclusive(delivery.url);
      await recordDeliveryOutcome(
        this.#db,
        delivery.id,
        { ...delivery, state: 'pending', nextAttemptAt: now, deliveredAt: null },
        now,
      );
      return;
    }
    const { outcome, health } = decide(report, delivery.attempts + 1, this.#policy, now);
    this.#recordHealth(delivery.url, health, now);

    await transaction(this.#db, async (trx) => {
      await recordDeliveryOutcome(trx, delivery.id, outcome, now);
      await appendDeliveryAttempt(trx, {
        eventId: delivery.eventId,
        sessionId: delivery.sessionId,
        url: delivery.url,
        attempt: outcome.attempts,
        status: outcome.lastStatus,
        error: report.kind === 'error' ? report.error : null,
        durationMs: report.durationMs,
        at: now,
      });
    });
    this.#logAttempt(delivery, report, outcome.state, outcome.attempts);
    this.#onAttempt?.(outcome.state);
  }

  #recordHealth(url: string, health: 'up' | 'down' | 'unknown', now: number): void {
    if (health === 'up') this.#breaker.succeeded(url);
    else if (health === 'unknown') this.#breaker.inconclusive(url);
    else {
      this.#breaker.failed(url, now);
      if (this.#breaker.state(url, now) === 'open') {
        this.#logger?.warn({ target: originOf(url) }, 'webhook circuit open; pausing deliveries to this target');
      }
    }
  }

  #logAttempt(delivery: WebhookDelivery, report: AttemptReport, state: string, attempt: number): void {
    const fields = {
      sessionId: delivery.sessionId,
      eventId: delivery.eventId,
      target: originOf(delivery.url),
      attempt,
      state,
      status: report.kind === 'response' ? report.status : undefined,
      error: report.kind === 'error' ? report.error : undefined,
      durationMs: report.durationMs,
    };
    if (state === 'delivered' || state === 'pending') this.#logger?.debug(fields, 'webhook attempt');
    else this.#logger?.warn(fields, 'webhook delivery gave up');
  }

  async #prune(): Promise<void> {
    try {
      await pruneWebhookHistory(this.#db, this.#options.retention);
    } catch (err) {
      this.#logger?.error({ err }, 'pruning webhook history failed');
    }
  }
}

// Paths and queries of webhook URLs often carry tokens; logs get the origin only.
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}
