// What a webhook reply asks for, once planned: a tree of typed steps, each knowing where it came from in the
// reply (`path`, e.g. `actions[2].then[0]`) and what it was called there (`type`), plus the bounds a run keeps.
import type { ChatPresence } from '../../engine/types.js';
import type { ActionInput, MessageAction } from '../messages/message-actions.js';
import type { ContentDraft } from '../messages/send-content.js';

interface Origin {
  path: string;
  type: string;
}

export type SendStep = Origin & { kind: 'send'; to: string; content: ContentDraft; replyTo?: string };
export type OperateStep = Origin & { kind: 'operate'; action: MessageAction; messageId: string; chat?: string; input: ActionInput };
export type PresenceStep = Origin & { kind: 'presence'; state: ChatPresence; chat?: string };
/** `shown`: the presence kept up in a chat while waiting. */
export type DelayStep = Origin & { kind: 'delay'; ms: number; shown?: { state: 'composing' | 'recording'; chat: string } };

export type Step =
  | SendStep
  | OperateStep
  | PresenceStep
  | DelayStep
  | (Origin & { kind: 'noop' })
  /** an entry that cannot run (unknown type, missing or unreadable field): recorded as failed, the rest goes on */
  | (Origin & { kind: 'invalid'; error: string })
  /** `pauseMs`: the wait after each message action, in place of the reply's */
  | (Origin & { kind: 'sequence'; items: Step[]; pauseMs?: number })
  | (Origin & { kind: 'parallel'; items: Step[] })
  | (Origin & { kind: 'when'; holds: boolean; then: Step[]; otherwise: Step[] })
  | (Origin & { kind: 'retry'; item: Step | undefined; attempts: number; delayMs: number; onFail: Step[] });

export interface Plan {
  steps: Step[];
  /** the wait after each message action of a sequence, unless another action ends it */
  pacingMs: number;
  /** where a bound cut the plan short: that entry and every one after it are not run */
  refusal?: { path: string; reason: string };
}

export interface ActionLimits {
  /** entries per reply, nested ones (and the flow entries holding them) included */
  maxActions: number;
  /** nesting: top-level entries are at depth 1 */
  maxDepth: number;
  /** run time of one reply's actions, from their start */
  maxRunMs: number;
  /** any single wait: a delay, a pacing or retry delayMs */
  maxDelayMs: number;
  /** attempts of one retry entry */
  maxAttempts: number;
}

export const DEFAULT_LIMITS: ActionLimits = { maxActions: 20, maxDepth: 4, maxRunMs: 60_000, maxDelayMs: 30_000, maxAttempts: 5 };

/** WARest's wait after each message action when the reply sets no `delayMs`. */
export const DEFAULT_PACING_MS = 1_200;
