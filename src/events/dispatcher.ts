// The webhook dispatcher: takes due deliveries from the queue and runs them with bounded concurrency,
// one at a time per (session, url) lane so each receiver sees its events in order. The rows an outbox signal
// names (after commit) are tried at once, and when an attempt ends with rows queued behind it the lane's next row
// is read by itself: the whole queue is scanned only on the poll (the safety net, and how rows other nodes queued
// are found), after a replay, when a target recovers, or when a guess proved wrong, so an event costs no scan.
// At-least-once: a claimed row is leased to this node, so rows left in flight by a crash are released when the
// node starts again, or retaken by another node once the lease runs out; receivers de-duplicate on the event id. A receiver's 2xx JSON reply is handed to `onReply`
// once the delivery is recorded; what it asks for runs elsewhere, never in a lane.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../store/database.js';
import { appendDeliveryAttempt } from '../store/repos/delivery-log.js';
import {
  claimDelivery,
  expediteDeliveries,
  laneHead,
  listLaneHeads,
  recordDeliveryOutcome,
  releaseLeases,
  type WebhookDelivery,
} from '../store/repos/webhook-deliveries.js';
import { transaction } from '../store/transaction.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { attemptDelivery, type AttemptReport, type WebhookReply } from './deliver.js';
import { onOutboxSignal } from './outbox.js';
import { pruneWebhookHistory } from './retention.js';
import { dispatcherSettings, type AttemptState, type DispatcherOptions, type DispatcherSettings, type ReplyHook } from './dispatcher-options.js';
import { decide, requestedDelay, type RetryPolicy, type TargetHealth } from './retry-policy.js';

export type { AttemptState, DispatcherOptions, ReplyHook } from './dispatcher-options.js';

/** Most lane heads kept for the attempts that follow (from a scan, signals and lanes' next rows); past it, a scan. */
const READY_HEADS = 256;

const laneOf = (delivery: WebhookDelivery) => `${delivery.sessionId}\u0000${delivery.url}`;

/** Inserts by due time, after any head due at the same time (heads arrive mostly in order: from the back). */
function insertByDue(heads: WebhookDelivery[], head: WebhookDelivery): void {
  let at = heads.length;
  while (at > 0 && heads[at - 1]!.nextAttemptAt > head.nextAttemptAt) at -= 1;
  heads.splice(at, 0, head);
}

/** Each attempt in flight listens to it until the attempt ends, so more listeners than Node's warning level of 10 are normal. */
function shutdownController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(Infinity, controller.signal);
  return controller;
}

export class WebhookDispatcher {
  readonly #db: Db;
  readonly #logger: Logger | undefined;
  readonly #nodeId: string;
  readonly #now: () => number;
  readonly #policy: RetryPolicy;
  readonly #breaker: CircuitBreaker;
  readonly #options: DispatcherSettings;
  readonly #onAttempt: ((state: AttemptState) => void) | undefined;
  readonly #onReply: ReplyHook | undefined;
  // Each attempt with the lookup of its lane's next row. Held by task, not by row: a retry whose backoff ended
  // while that lookup ran may be claimed before the lookup ends, and must not be skipped as if still in flight.
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #leasesReleased: Promise<void> = Promise.resolve();
  #pump: Promise<void> | undefined;
  #pumpAgain = false;
  /**
   * Candidate lane heads, soonest due first, not taken yet: from the last scan, from signals, and the next row of
   * a lane whose attempt ended. A candidate is only a guess: the claim checks that it still heads its lane.
   */
  #ready: WebhookDelivery[] = [];
  /** Lanes with an attempt of this node in flight. */
  readonly #busyLanes = new Set<string>();
  /** Lanes with rows queued behind an attempt: when it ends the lane's next row is read, until none is left. */
  readonly #backlogged = new Set<string>();
  #rescan = true;
  /** The last scan stopped at its limit: lanes it did not read may have work, so running dry scans again. */
  #moreLanes = false;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  #intervals: NodeJS.Timeout[] = [];
  #unsubscribe: (() => void) | undefined;
  #shutdown = shutdownController();

  constructor(options: DispatcherOptions) {
    this.#db = options.db;
    this.#logger = options.logger?.child({ component: 'webhook-dispatcher' });
    this.#nodeId = options.nodeId ?? hostname();
    this.#now = options.now ?? Date.now;
    const { settings, policy, breaker } = dispatcherSettings(options);
    this.#options = settings;
    this.#policy = policy;
    this.#onAttempt = options.onAttempt;
    this.#onReply = options.onReply;
    this.#breaker = new CircuitBreaker(breaker);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#shutdown = shutdownController();
    this.#leasesReleased = this.#releaseOwnLeases();
    // An event no webhook takes queues no delivery: nothing new to scan for.
    this.#unsubscribe = onOutboxSignal((signal) => {
      if (signal.kind === 'requeued') this.#wake();
      else if (signal.deliveries.length > 0) this.#offer(signal.deliveries);
    });
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

    const settled = Promise.allSettled(this.#inFlight);
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

  /**
   * Rows just queued, or a lane's next row: candidates for the pump, without a scan. Past READY_HEADS a new row
   * is left to a scan, which reads heads in due order; a lane's next row is kept anyway (there is one per attempt
   * that ended), or every attempt of a drain would end in a scan.
   */
  #offer(deliveries: readonly WebhookDelivery[], nextOfLane = false): void {
    for (const delivery of deliveries) {
      const lane = laneOf(delivery);
      if (this.#busyLanes.has(lane)) this.#backlogged.add(lane);
      else if (this.#ready.some((head) => head.id === delivery.id)) continue;
      else if (nextOfLane || this.#ready.length < READY_HEADS) insertByDue(this.#ready, delivery);
      else this.#rescan = true;
    }
    this.#wake(false);
  }

  #wake(rescan = true): void {
    if (!this.#running) return;
    if (rescan) this.#rescan = true;
    if (this.#pump) {
      this.#pumpAgain = true;
      return;
    }
    this.#pump = this.#runPump().finally(() => {
      this.#pump = undefined;
    });
  }

  async #runPump(): Promise<void> {
    await this.#leasesReleased;
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

  /** Nothing of this node is in flight yet, so any row it holds was left by its previous run (a crash). */
  async #releaseOwnLeases(): Promise<void> {
    try {
      const released = await releaseLeases(this.#db, this.#nodeId, this.#now());
      if (released > 0) this.#logger?.info({ released, nodeId: this.#nodeId }, 'released webhook deliveries left in flight by this node');
    } catch (err) {
      // Those rows are retaken when their leases run out instead.
      this.#logger?.error({ err }, 'releasing webhook leases failed');
    }
  }

  /** Launches probes of open circuits, then claims due lane heads, until the concurrency limit is reached or nothing more is due. */
  async #fill(): Promise<void> {
    while (this.#running) {
      const free = this.#options.concurrency - this.#inFlight.size;
      if (free <= 0) return;
      const now = this.#now();
      let launched = 0;
      for (const url of this.#breaker.probesDue(now)) {
        if (launched >= free) break;
        // The probe is the URL's soonest head even if it is still backing off: while the circuit is open, its
        // probe schedule decides when the target is tried again, so a recovery is noticed within one probe wait.
        const [head] = await listLaneHeads(this.#db, { url, state: 'pending', limit: 1 });
        if (head && (await this.#claim(head, now))) {
          this.#backlogged.add(laneOf(head));
          launched += 1;
        }
      }
      if (this.#rescan || (this.#moreLanes && this.#ready.length === 0)) {
        this.#rescan = false;
        const limit = Math.max(free - launched, READY_HEADS);
        const scanned = await listLaneHeads(this.#db, { excludeUrls: this.#breaker.openUrls(), limit });
        this.#moreLanes = scanned.length === limit;
        // A scan says nothing of what waits behind each head: each lane is followed until it is found empty.
        for (const head of scanned) this.#backlogged.add(laneOf(head));
        // Rows offered while the scan ran stay candidates, whether the scan saw them or not.
        const found = new Set(scanned.map((head) => head.id));
        for (const head of this.#ready) if (!found.has(head.id)) insertByDue(scanned, head);
        this.#ready = scanned;
      }
      while (launched < free && this.#ready.length > 0) {
        const head = this.#ready[0]!;
        if (head.nextAttemptAt > now) {
          // Nothing after it is due either; the next wake scans again rather than wait on what was read here.
          this.#wakeLater(head.nextAttemptAt);
          this.#ready = [];
          break;
        }
        this.#ready.shift();
        if (this.#breaker.isOpen(head.url)) continue;
        const lane = laneOf(head);
        if (this.#busyLanes.has(lane)) {
          this.#backlogged.add(lane);
          continue;
        }
        if (await this.#claim(head, now)) launched += 1;
        // Not its lane's head after all (a row ahead of it, or another node took it): the queue knows better.
        else this.#rescan = true;
      }
      const probeAt = this.#breaker.nextProbeAt(now);
      if (probeAt !== undefined) this.#wakeLater(probeAt);
      if (launched === 0) return;
    }
  }

  async #claim(head: WebhookDelivery, now: number): Promise<boolean> {
    // Longer than any attempt (bounded by the timeout) plus recording it; only a crash outlives it.
    const lease = { until: now + this.#options.timeoutMs * 2 + this.#options.pollIntervalMs, owner: this.#nodeId };
    if (!(await claimDelivery(this.#db, head, lease, now))) return false;
    this.#busyLanes.add(laneOf(head));
    this.#breaker.attemptStarted(head.url, now);
    this.#launch(head, now);
    return true;
  }

  /** Wakes at `at`, or at the next poll if that is sooner (a later head may become due meanwhile). */
  #wakeLater(at: number): void {
    const now = this.#now();
    const fireAt = Math.min(at, now + this.#options.pollIntervalMs);
    if (!this.#running || fireAt >= this.#wakeAt) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAt = fireAt;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeAt = Infinity;
      this.#wake();
    }, Math.max(0, fireAt - now));
  }

  #launch(delivery: WebhookDelivery, startedAt: number): void {
    const task = this.#attempt(delivery, startedAt)
      .catch((err: unknown) => {
        // Left in flight: the lease expires and the row is retried, so this costs a delay, not an event.
        this.#breaker.inconclusive(delivery.url);
        this.#logger?.error({ err, deliveryId: delivery.id }, 'webhook attempt could not be completed');
        return 'unknown' as const;
      })
      .then(async (settled) => {
        const lane = laneOf(delivery);
        // Freed before the lookup, so a row offered from here on is a candidate of its own; one offered before
        // was committed before the lookup reads, which finds it (or the row ahead of it).
        this.#busyLanes.delete(lane);
        if (this.#backlogged.has(lane) || settled !== 'delivered') await this.#followLane(delivery);
      })
      .finally(() => {
        this.#inFlight.delete(task);
        this.#wake(false);
      });
    this.#inFlight.add(task);
  }

  /** Offers the lane's next row: the one just tried again (backing off), or the one after it. */
  async #followLane(delivery: WebhookDelivery): Promise<void> {
    const lane = laneOf(delivery);
    try {
      const next = await laneHead(this.#db, delivery);
      if (next?.state === 'pending') return this.#offer([next], true);
      this.#backlogged.delete(lane);
    } catch (err) {
      this.#backlogged.delete(lane);
      this.#logger?.error({ err, deliveryId: delivery.id }, 'reading the next webhook delivery of a lane failed; scanning the queue');
      this.#rescan = true;
    }
  }

  /** @returns the state the delivery was left in ('unknown' when the attempt was cut short by a shutdown). */
  async #attempt(delivery: WebhookDelivery, startedAt: number): Promise<AttemptState | 'unknown'> {
    const report = await attemptDelivery(delivery, {
      db: this.#db,
      timeoutMs: this.#options.timeoutMs,
      allowPrivate: this.#options.allowPrivate,
      shutdown: this.#shutdown.signal,
      readReplies: this.#onReply !== undefined,
    });
    const now = this.#now();
    if (report.kind === 'aborted') {
      // Shutdown cut it short: hand the row back untouched so the next start retries it without waiting.
      this.#breaker.inconclusive(delivery.url);
      await recordDeliveryOutcome(
        this.#db,
        delivery.id,
        { ...delivery, state: 'pending', nextAttemptAt: now, deliveredAt: null },
        now,
      );
      return 'unknown';
    }
    const attempt = { number: delivery.attempts + 1, firstAttemptAt: delivery.firstAttemptAt ?? startedAt };
    const { outcome, health } = decide(report, attempt, this.#policy, now);
    const recovered = this.#recordHealth(delivery.url, health, requestedDelay(report, this.#policy), now);

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
    if (report.kind === 'response' && report.reply) this.#handOver(delivery, report.status, report.reply);
    if (recovered) {
      await this.#expedite(delivery.url, now);
      this.#rescan = true;
    }
    return outcome.state;
  }

  #handOver(delivery: WebhookDelivery, status: number, reply: WebhookReply): void {
    if ('problem' in reply) {
      this.#logger?.warn({ sessionId: delivery.sessionId, eventId: delivery.eventId, problem: reply.problem }, 'webhook reply not read; no actions run');
      return;
    }
    try {
      this.#onReply?.(delivery, reply.event, status, reply.body);
    } catch (err) {
      this.#logger?.error({ err, sessionId: delivery.sessionId, eventId: delivery.eventId }, 'handing a webhook reply over failed');
    }
  }

  /** @returns whether the target answered after failing: its backlog should go out now. */
  #recordHealth(url: string, health: TargetHealth, retryAfterMs: number, now: number): boolean {
    if (health === 'up') return this.#breaker.succeeded(url);
    if (health === 'unknown') {
      this.#breaker.inconclusive(url);
      return false;
    }
    const wasOpen = this.#breaker.isOpen(url);
    this.#breaker.failed(url, now, retryAfterMs);
    if (!wasOpen && this.#breaker.isOpen(url)) {
      this.#logger?.warn({ target: originOf(url) }, 'webhook circuit open; pausing deliveries to this target');
    }
    return false;
  }

  async #expedite(url: string, now: number): Promise<void> {
    try {
      const due = await expediteDeliveries(this.#db, url, now);
      if (due > 0) this.#logger?.info({ target: originOf(url), due }, 'webhook target answers again; its backlog is due now');
    } catch (err) {
      // The rows keep their own backoff: a slower recovery, nothing lost.
      this.#logger?.error({ err, target: originOf(url) }, 'bringing a webhook backlog forward failed');
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
    else if (state === 'dead') {
      this.#logger?.warn(fields, 'webhook delivery dead (retries used up); later events of its lane go on, replay re-queues it in order');
    } else this.#logger?.warn(fields, 'webhook delivery failed (not retryable)');
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
