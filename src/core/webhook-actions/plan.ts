// Turns a webhook reply body into a plan: its `actions` entries as typed steps, placeholders rendered against
// the delivered event merged with the body. The static bounds are kept here, in entry order (depth first): the
// first entry past the number of actions or the nesting depth, or asking for a wait over the limit, cuts the
// plan short, so it and every entry after it are refused. An entry that is merely wrong (unknown type, missing
// field) becomes an invalid step: recorded as failed when its turn comes, the others still run.
import { evaluateCondition } from './condition.js';
import { delayStep, isOperationType, isPresenceType, operationStep, presenceStep } from './control-steps.js';
import { InvalidAction, isFields, readCount, type Fields } from './fields.js';
import { isMessageType, messageStep } from './message-steps.js';
import type { StepContext } from './step-context.js';
import { DEFAULT_PACING_MS, type ActionLimits, type Plan, type Step } from './steps.js';
import { lookup, renderDeep, textOf, type TemplateContext } from './template.js';

export interface PlanOptions {
  limits: ActionLimits;
  /** a phone number or JID as a normalised chat JID; throws with what to fix */
  recipient(raw: string): string;
}

const RETRY_ATTEMPTS = 3;
const RETRY_DELAY_MS = 500;

class BoundExceeded extends Error {}

function typeOf(entry: Fields): string {
  const type = [entry.act, entry.action, entry.type].find((value) => typeof value === 'string');
  return typeof type === 'string' ? type.toLowerCase() : '';
}

class Planner {
  #count = 0;
  refusal: Plan['refusal'];

  constructor(
    private readonly context: TemplateContext,
    private readonly steps: StepContext,
    private readonly limits: ActionLimits,
  ) {}

  /** A single wait, checked against the bound. */
  wait(ms: number | undefined, field: string): number | undefined {
    if (ms !== undefined && ms > this.limits.maxDelayMs) throw new BoundExceeded(`${field} ${ms} is over the ${this.limits.maxDelayMs} ms a single wait may last`);
    return ms;
  }

  list(raw: unknown, path: string, depth: number): Step[] {
    if (raw === undefined || raw === null) return [];
    const entries = Array.isArray(raw) ? raw.map((entry, i) => this.entry(entry, `${path}[${i}]`, depth)) : [this.entry(raw, path, depth)];
    return entries.filter((step): step is Step => step !== undefined);
  }

  entry(raw: unknown, path: string, depth: number): Step | undefined {
    if (this.refusal) return undefined;
    if (depth > this.limits.maxDepth) return this.refuse(path, `it is nested deeper than ${this.limits.maxDepth} levels`);
    if (++this.#count > this.limits.maxActions) return this.refuse(path, `a reply runs at most ${this.limits.maxActions} actions, nested ones included`);
    if (!isFields(raw)) return { kind: 'invalid', path, type: '', error: 'an action must be an object' };
    const type = typeOf(raw);
    try {
      return this.step(type, raw, path, depth);
    } catch (err) {
      if (err instanceof BoundExceeded) return this.refuse(path, err.message);
      return { kind: 'invalid', path, type, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private refuse(path: string, reason: string): undefined {
    this.refusal = { path, reason };
    return undefined;
  }

  /** Only the entry's own fields are rendered: nested entries are rendered as entries, conditions never. */
  private fieldsOf(raw: Fields, ...names: string[]): Fields {
    return Object.fromEntries(names.filter((name) => Object.hasOwn(raw, name)).map((name) => [name, renderDeep(raw[name], this.context)]));
  }

  private step(type: string, raw: Fields, path: string, depth: number): Step {
    switch (type) {
      case 'queue': {
        const pauseMs = this.wait(readCount(this.fieldsOf(raw, 'delayMs'), 'delayMs'), 'delayMs');
        return { kind: 'sequence', path, type, items: this.list(raw.items, `${path}.items`, depth + 1), ...(pauseMs === undefined ? {} : { pauseMs }) };
      }
      case 'parallel':
        return { kind: 'parallel', path, type, items: this.list(raw.items, `${path}.items`, depth + 1) };
      case 'when': {
        if (raw.cond === undefined) throw new InvalidAction('cond is required: the condition that picks then or else');
        const holds = evaluateCondition(raw.cond, this.context);
        return { kind: 'when', path, type, holds, then: this.list(raw.then, `${path}.then`, depth + 1), otherwise: this.list(raw.else, `${path}.else`, depth + 1) };
      }
      case 'retry': {
        const fields = this.fieldsOf(raw, 'attempts', 'delayMs');
        const attempts = readCount(fields, 'attempts') ?? RETRY_ATTEMPTS;
        if (attempts < 1) throw new InvalidAction('attempts must be 1 or more');
        if (attempts > this.limits.maxAttempts) throw new BoundExceeded(`attempts ${attempts} is over the limit of ${this.limits.maxAttempts}`);
        const delayMs = this.wait(readCount(fields, 'delayMs'), 'delayMs') ?? RETRY_DELAY_MS;
        if (!isFields(raw.item)) throw new InvalidAction('item is required: the action to try');
        const item = this.entry(raw.item, `${path}.item`, depth + 1);
        return { kind: 'retry', path, type, item, attempts, delayMs, onFail: this.list(raw.onFail, `${path}.onFail`, depth + 1) };
      }
      case 'noop':
        return { kind: 'noop', path, type };
      case 'delay': {
        const step = delayStep(path, type, renderDeep(raw, this.context) as Fields, this.steps);
        this.wait(step.ms, 'ms');
        return step;
      }
    }
    const fields = renderDeep(raw, this.context) as Fields;
    if (isMessageType(type)) return messageStep(path, type, fields, this.steps);
    if (isOperationType(type)) return operationStep(path, type, fields, this.steps);
    if (isPresenceType(type)) return presenceStep(path, type, fields, this.steps);
    throw new InvalidAction(type ? `unknown action type "${type.slice(0, 40)}"` : 'the action names no type (act, action or type)');
  }
}

/**
 * The plan of a reply body, or undefined when it asks for no actions. Templates see the body merged with the
 * delivered event (`event`, `data`, `ts`, `session`), the event's fields winning.
 */
export function planReply(body: unknown, delivered: Fields, options: PlanOptions): Plan | undefined {
  if (!isFields(body) || body.actions === undefined) return undefined;
  const context: TemplateContext = { ...body, ...delivered };
  const textAt = (path: string) => textOf(lookup(context, path)) || undefined;
  const steps: StepContext = { chat: textAt('data.chatId') ?? textAt('data.chat'), messageId: textAt('data.messageId'), recipient: options.recipient };
  const planner = new Planner(context, steps, options.limits);
  const refused = (path: string, reason: string): Plan => ({ steps: [], pacingMs: 0, refusal: { path, reason } });

  let pacingMs: number;
  try {
    pacingMs = planner.wait(readCount({ delayMs: renderDeep(body.delayMs, context) }, 'delayMs'), 'delayMs') ?? DEFAULT_PACING_MS;
  } catch (err) {
    return refused('delayMs', (err as Error).message);
  }
  if (!Array.isArray(body.actions)) return refused('actions', 'actions must be a list of actions');
  const planned = planner.list(body.actions, 'actions', 1);
  return { steps: planned, pacingMs, ...(planner.refusal ? { refusal: planner.refusal } : {}) };
}
