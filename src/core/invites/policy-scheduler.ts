// The in-process timers of invite policies: time-based rules armed from the database on start (a schedule missed
// while the gateway was down fires at once, and once) and re-armed after each run or policy change; reactions to
// joins (one-time link, flood breaker) run at once. Both are retried with backoff while the session cannot act
// yet (e.g. still reconnecting); timers are unref'ed and all cleared on stop.
import type { Db } from '../../store/database.js';
import type { GroupRef } from '../../store/repos/invite-codes.js';
import { listScheduledPolicies } from '../../store/repos/invite-policies.js';
import type { RuntimeLogger } from '../sessions/session-runtime.js';
import { groupKey } from './keyed-lock.js';
import { nextDueAt } from './policy-runner.js';

// setTimeout cannot wait longer; a later time is re-checked (and re-armed) when this fires.
const MAX_DELAY_MS = 2 ** 31 - 1;
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;
// A join reaction is retried for about four minutes (then logged as given up): long enough for a reconnect.
const REACTION_ATTEMPTS = 9;

const retryDelayMs = (failures: number) => Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS);

export interface PolicySchedulerDeps {
  db: Db;
  logger: RuntimeLogger;
  /** runs what is due; @returns when to run next (null: nothing scheduled) */
  runDue(ref: GroupRef): Promise<number | null>;
}

export class PolicyScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly reactionRetries = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: PolicySchedulerDeps) {}

  async start(): Promise<void> {
    this.stopped = false;
    for (const policy of await listScheduledPolicies(this.deps.db)) this.arm(policy, nextDueAt(policy));
  }

  /** (Re)arms the group's timer for `at` (epoch ms; past = now); null disarms it. */
  arm(ref: GroupRef, at: number | null): void {
    const key = groupKey(ref.sessionId, ref.groupId);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (at === null || this.stopped) return;
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_DELAY_MS);
    const timer = setTimeout(() => this.run({ sessionId: ref.sessionId, groupId: ref.groupId }), delay);
    timer.unref();
    this.timers.set(key, timer);
  }

  private run(ref: GroupRef): void {
    const key = groupKey(ref.sessionId, ref.groupId);
    this.timers.delete(key);
    const done = this.deps.runDue(ref).then(
      (next) => {
        this.failures.delete(key);
        this.arm(ref, next);
      },
      (err) => {
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        const delay = retryDelayMs(failures);
        this.deps.logger.warn({ err, ...ref, retryInMs: delay }, 'invite policy could not run yet; retrying');
        this.arm(ref, Date.now() + delay);
      },
    );
    this.track(done);
  }

  /** Runs a policy's reaction to a join now, retrying it with backoff while it fails (it must be idempotent). */
  react(ref: GroupRef, reaction: () => Promise<void>, failures = 0): void {
    if (this.stopped) return;
    const done = reaction().catch((err) => {
      const attempts = failures + 1;
      if (attempts >= REACTION_ATTEMPTS) {
        this.deps.logger.error({ err, ...ref, attempts }, 'invite policy could not react to a join; giving up');
        return;
      }
      const delay = retryDelayMs(attempts);
      this.deps.logger.warn({ err, ...ref, retryInMs: delay }, 'invite policy could not react to a join yet; retrying');
      const timer = setTimeout(() => {
        this.reactionRetries.delete(timer);
        this.react(ref, reaction, attempts);
      }, delay);
      timer.unref();
      this.reactionRetries.add(timer);
    });
    this.track(done);
  }

  private track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Clears every timer and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [...this.timers.values(), ...this.reactionRetries]) clearTimeout(timer);
    this.timers.clear();
    this.reactionRetries.clear();
    await Promise.allSettled([...this.running]);
  }
}
