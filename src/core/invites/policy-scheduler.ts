// The in-process timers of invite policies, for the sessions this node runs: a session's time-based rules are
// armed from the database when the node starts running it (a schedule missed while nobody ran it fires at once,
// and once) and disarmed when it stops; re-armed after each run or policy change. Reactions to joins (one-time
// link, flood breaker) run at once. Both are retried with backoff while the session cannot act yet (e.g. still
// reconnecting), and so is reading a session's policies to arm them; timers are unref'ed and all cleared on stop.
import { doublingDelayMs } from '../../lib/backoff.js';
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

const retryDelayMs = (failures: number) => doublingDelayMs(failures, RETRY_BASE_MS, RETRY_MAX_MS);

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
  private readonly armRetries = new Map<string, NodeJS.Timeout>();
  private readonly runningSessions = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: PolicySchedulerDeps) {}

  /**
   * This node runs the session now: arm its scheduled policies. Their read is tried again with backoff while it
   * fails (the database did not answer as the session started), for as long as this node runs the session.
   */
  armSession(sessionId: string, failures = 0): void {
    this.runningSessions.add(sessionId);
    const done = listScheduledPolicies(this.deps.db, sessionId).then(
      // arm() skips the session if it was stopped again while its policies were being read.
      (policies) => policies.forEach((policy) => this.arm(policy, nextDueAt(policy))),
      (err) => {
        if (this.stopped || !this.runningSessions.has(sessionId)) return;
        const delay = retryDelayMs(failures + 1);
        this.deps.logger.warn({ err, sessionId, retryInMs: delay }, 'could not read the invite policies to arm; trying again');
        const timer = setTimeout(() => {
          this.armRetries.delete(sessionId);
          this.armSession(sessionId, failures + 1);
        }, delay);
        timer.unref();
        this.armRetries.set(sessionId, timer);
      },
    );
    this.track(done);
  }

  /** This node stopped running the session: its timers and pending reactions go (another node may take it). */
  disarmSession(sessionId: string): void {
    this.runningSessions.delete(sessionId);
    clearTimeout(this.armRetries.get(sessionId));
    this.armRetries.delete(sessionId);
    const prefix = groupKey(sessionId, '');
    for (const [key, timer] of this.timers) {
      if (!key.startsWith(prefix)) continue;
      clearTimeout(timer);
      this.timers.delete(key);
      this.failures.delete(key);
    }
  }

  /** (Re)arms the group's timer for `at` (epoch ms; past = now); null disarms it. */
  arm(ref: GroupRef, at: number | null): void {
    const key = groupKey(ref.sessionId, ref.groupId);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (at === null || this.stopped || !this.runningSessions.has(ref.sessionId)) return;
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
    if (this.stopped || !this.runningSessions.has(ref.sessionId)) return;
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
    for (const timer of [...this.timers.values(), ...this.reactionRetries, ...this.armRetries.values()]) clearTimeout(timer);
    this.timers.clear();
    this.reactionRetries.clear();
    this.armRetries.clear();
    await Promise.allSettled([...this.running]);
  }
}
