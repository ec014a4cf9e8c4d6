// Runs a planned reply on its session, as the session itself: sends through the core send (async, so each is
// accepted into the durable queue and sent in order, with an Idempotency-Key per event and entry so a reply
// that comes again never sends twice), operations through the message actions, presence straight to the
// engine. Every entry's outcome is recorded as it ends. Bounds kept while running: the reply's run time
// (a delay that would pass it is refused), and the gateway stopping; either refuses the entries left.
import { createHash } from 'node:crypto';
import type { ChatPresence } from '../../engine/types.js';
import type { ActionInput, ActionOutcome, MessageAction, MessageCommand } from '../messages/message-actions.js';
import type { SendInput, SendOutcome } from '../messages/message-sends.js';
import type { SessionCommand } from '../sessions/session-access.js';
import type { ActionLimits, DelayStep, OperateStep, Plan, SendStep, Step } from './steps.js';

/** What the runner does things through; narrow so tests can fake each. */
export interface ActionPorts {
  send(command: SessionCommand, input: SendInput): Promise<SendOutcome>;
  act(command: MessageCommand, action: MessageAction, input: ActionInput): Promise<ActionOutcome>;
  presence(sessionId: string, state: ChatPresence, chat?: string): Promise<void>;
  /** resolves after `ms`, or early (resolving or rejecting) once `signal` aborts */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export type ActionOutcomeKind = 'ok' | 'failed' | 'refused';

export interface ActionRecord {
  path: string;
  type: string;
  outcome: ActionOutcomeKind;
  error: string | null;
  /** the message a send or operation produced (or acted on) */
  messageId: string | null;
}

export interface RunOptions {
  sessionId: string;
  eventId: string;
  ports: ActionPorts;
  limits: ActionLimits;
  /** stores an outcome; must not reject */
  record(record: ActionRecord): Promise<void>;
  /** aborted when the gateway stops */
  signal: AbortSignal;
}

interface Result {
  /** a message was sent (paces the sequence it is in) */
  sent: boolean;
  /** an entry failed (a retry tries again) */
  failed: boolean;
}

const NOTHING: Result = { sent: false, failed: false };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

class Run {
  readonly #deadline: number;
  #stopped: string | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly options: RunOptions,
  ) {
    this.#deadline = options.ports.now() + options.limits.maxRunMs;
  }

  async run(): Promise<void> {
    const { refusal } = this.plan;
    if (refusal) await this.options.record({ path: refusal.path, type: '', outcome: 'refused', error: `${refusal.reason}; this entry and every one after it were not run`, messageId: null });
    await this.sequence(this.plan.steps, this.plan.pacingMs);
  }

  private async sequence(steps: Step[], pauseMs: number): Promise<Result> {
    const total = { ...NOTHING };
    for (const [i, step] of steps.entries()) {
      const result = await this.step(step);
      total.sent ||= result.sent;
      total.failed ||= result.failed;
      if (result.sent && i < steps.length - 1) await this.wait(pauseMs);
    }
    return total;
  }

  /** Why nothing more may start, once a run-time bound is reached; sticky. */
  private refusal(): string | undefined {
    if (this.#stopped) return this.#stopped;
    if (this.options.signal.aborted) this.#stopped = 'the gateway stopped before this action';
    else if (this.options.ports.now() >= this.#deadline) this.#stopped = `the reply's actions used up their ${this.options.limits.maxRunMs} ms`;
    return this.#stopped;
  }

  private async step(step: Step): Promise<Result> {
    const refusal = this.refusal();
    if (refusal) {
      await this.record(step, 'refused', refusal);
      return NOTHING;
    }
    switch (step.kind) {
      case 'send':
        return this.leaf(step, true, () => this.send(step));
      case 'operate':
        return this.leaf(step, false, () => this.operate(step));
      case 'presence':
        return this.leaf(step, false, async () => {
          await this.options.ports.presence(this.options.sessionId, step.state, step.chat);
          return null;
        });
      case 'delay':
        return this.delay(step);
      case 'noop':
        await this.record(step, 'ok');
        return NOTHING;
      case 'invalid':
        await this.record(step, 'failed', step.error);
        return { sent: false, failed: true };
      case 'sequence':
        return this.sequence(step.items, step.pauseMs ?? this.plan.pacingMs);
      case 'parallel': {
        const results = await Promise.all(step.items.map((item) => this.step(item)));
        return { sent: results.some((r) => r.sent), failed: results.some((r) => r.failed) };
      }
      case 'when':
        return this.sequence(step.holds ? step.then : step.otherwise, this.plan.pacingMs);
      case 'retry':
        return this.retry(step);
    }
  }

  private async leaf(step: Step, sends: boolean, work: () => Promise<string | null>): Promise<Result> {
    try {
      const messageId = await work();
      await this.record(step, 'ok', null, messageId);
      return { sent: sends, failed: false };
    } catch (err) {
      await this.record(step, 'failed', messageOf(err));
      return { sent: false, failed: true };
    }
  }

  private async send(step: SendStep): Promise<string | null> {
    const { sessionId, eventId } = this.options;
    const request = { to: step.to, content: step.content, replyTo: step.replyTo };
    const outcome = await this.options.ports.send(this.command(), {
      recipients: [step.to],
      content: step.content,
      ...(step.replyTo ? { replyTo: step.replyTo } : {}),
      async: true,
      idempotencyKey: `webhook:${eventId}:${step.path}`,
      fingerprint: createHash('sha256').update(`webhook-action\n${sessionId}\n${JSON.stringify(request)}`).digest('hex')
    });
    const recipient = outcome.recipients[0];
    if (recipient?.state === 'failed') throw new Error(recipient.error ?? 'the send failed');
    return recipient?.messageId ?? null;
  }

  private async operate(step: OperateStep): Promise<string | null> {
    const command: MessageCommand = { ...this.command(), messageId: step.messageId, ...(step.chat ? { chat: step.chat } : {}) };
    const outcome = await this.options.ports.act(command, step.action, step.input);
    return outcome.actionMessageId ?? outcome.messageId;
  }

  private async delay(step: DelayStep): Promise<Result> {
    const { ports, sessionId, limits } = this.options;
    if (ports.now() + step.ms > this.#deadline) {
      this.#stopped = `a delay of ${step.ms} ms would run past the ${limits.maxRunMs} ms the reply's actions may take`;
      await this.record(step, 'refused', this.#stopped);
      return NOTHING;
    }
    // The presence only decorates the wait: failing to show it fails nothing.
    const show = (state: ChatPresence, chat: string) => ports.presence(sessionId, state, chat).catch(() => undefined);
    if (step.shown) await show(step.shown.state, step.shown.chat);
    await this.wait(step.ms);
    if (step.shown) await show('paused', step.shown.chat);
    await this.record(step, 'ok');
    return NOTHING;
  }

  private async retry(step: Extract<Step, { kind: 'retry' }>): Promise<Result> {
    if (!step.item) return NOTHING;
    for (let attempt = 1; ; attempt++) {
      const result = await this.step(step.item);
      if (!result.failed) return result;
      if (attempt >= step.attempts || this.refusal()) break;
      await this.wait(step.delayMs);
    }
    if (step.onFail.length === 0) return { sent: false, failed: true };
    return this.sequence(step.onFail, this.plan.pacingMs);
  }

  /** Waits, never past the deadline, and no longer once the gateway stops. */
  private async wait(ms: number): Promise<void> {
    const capped = Math.min(ms, this.#deadline - this.options.ports.now());
    if (capped <= 0 || this.options.signal.aborted) return;
    await this.options.ports.sleep(capped, this.options.signal).catch(() => undefined);
  }

  private command(): SessionCommand {
    const { sessionId } = this.options;
    return { principal: { kind: 'session', sessionId }, session: { sessionId } };
  }

  private record(step: Step, outcome: ActionRecord['outcome'], error: string | null = null, messageId: string | null = null): Promise<void> {
    return this.options.record({ path: step.path, type: step.type, outcome, error, messageId });
  }
}

export function runPlan(plan: Plan, options: RunOptions): Promise<void> {
  return new Run(plan, options).run();
}
