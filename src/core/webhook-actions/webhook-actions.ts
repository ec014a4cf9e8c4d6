// Webhook response actions (WARest §6.1.5): the dispatcher hands over each 2xx JSON reply of a session's webhook;
// its actions are planned at once and run in the background as the session itself, one reply after another per
// session (so the answers to two messages keep their order), each outcome recorded against its delivery.
// Runs are not durable: a run cut short by a stop records the entries it did not start as refused.
import type { DeliveredEvent } from '../../events/deliver.js';
import type { ReplyHook } from '../../events/dispatcher.js';
import type { Db } from '../../store/database.js';
import { appendWebhookAction, listWebhookActions } from '../../store/repos/webhook-actions.js';
import type { WebhookDelivery } from '../../store/repos/webhook-deliveries.js';
import type { WebhookActionOutcome } from '../../store/tables/webhook-actions.js';
import { planReply } from './plan.js';
import { runPlan, type ActionPorts, type ActionRecord } from './runner.js';
import { DEFAULT_LIMITS, type Plan } from './steps.js';

export interface WebhookActionsLogger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface WebhookActionsOptions {
  db: Db;
  ports: ActionPorts;
  /** a phone number or JID as the API reads `to`; throws with what to fix */
  recipient(raw: string): string;
  logger: WebhookActionsLogger;
}

/** Replies of one session whose actions may wait behind the one running; more are refused. */
const MAX_WAITING_PER_SESSION = 20;

/** One recorded action, as the delivery log shows it. */
export interface WebhookActionView {
  path: string;
  type: string;
  outcome: WebhookActionOutcome;
  error: string | null;
  messageId: string | null;
  at: number;
}

interface Lane {
  tail: Promise<void>;
  waiting: number;
}

export class WebhookActions {
  readonly #lanes = new Map<string, Lane>();
  readonly #shutdown = new AbortController();

  constructor(private readonly options: WebhookActionsOptions) {}

  /** The dispatcher's reply hook. */
  readonly onReply: ReplyHook = (delivery, event, _status, body) => {
    const plan = planReply(body, event.body, { limits: DEFAULT_LIMITS, recipient: this.options.recipient });
    if (!plan) return;
    const record = (entry: ActionRecord) => this.record(delivery, entry);
    if (this.#shutdown.signal.aborted) {
      void record({ path: 'actions', type: '', outcome: 'refused', error: 'the gateway is stopping; no actions were run', messageId: null });
      return;
    }
    this.enqueue(delivery, event, plan, record);
  };

  /** Stops waiting and starting actions, and waits for the runs in progress to record how they ended. */
  async stop(): Promise<void> {
    this.#shutdown.abort();
    await Promise.all([...this.#lanes.values()].map((lane) => lane.tail));
  }

  /** The deliveries, each with the actions its reply asked for (in the order they ended). */
  async withActions<D extends Pick<WebhookDelivery, 'id'>>(deliveries: D[]): Promise<(D & { actions: WebhookActionView[] })[]> {
    const byDelivery = new Map<number, WebhookActionView[]>();
    for (const { deliveryId, path, type, outcome, error, messageId, at } of await listWebhookActions(this.options.db, deliveries.map((d) => d.id))) {
      byDelivery.set(deliveryId, [...(byDelivery.get(deliveryId) ?? []), { path, type, outcome, error, messageId, at }]);
    }
    return deliveries.map((delivery) => ({ ...delivery, actions: byDelivery.get(delivery.id) ?? [] }));
  }

  private enqueue(delivery: WebhookDelivery, event: DeliveredEvent, plan: Plan, record: (entry: ActionRecord) => Promise<void>): void {
    const { sessionId } = delivery;
    const lane = this.#lanes.get(sessionId) ?? { tail: Promise.resolve(), waiting: 0 };
    if (lane.waiting > MAX_WAITING_PER_SESSION) {
      void record({ path: 'actions', type: '', outcome: 'refused', error: `${MAX_WAITING_PER_SESSION} earlier replies of this session are still waiting for their actions; this reply's were not run`, messageId: null });
      return;
    }
    lane.waiting += 1;
    this.#lanes.set(sessionId, lane);
    const options = { sessionId, eventId: event.id, ports: this.options.ports, limits: DEFAULT_LIMITS, record, signal: this.#shutdown.signal };
    lane.tail = lane.tail
      .then(() => runPlan(plan, options))
      .catch((err: unknown) => this.options.logger.error({ err, sessionId, eventId: event.id }, 'running webhook reply actions failed'))
      .finally(() => {
        lane.waiting -= 1;
        if (lane.waiting === 0) this.#lanes.delete(sessionId);
      });
  }

  /** Never rejects: a lost record must not stop the run. */
  private async record(delivery: WebhookDelivery, entry: ActionRecord): Promise<void> {
    try {
      await appendWebhookAction(this.options.db, { deliveryId: delivery.id, eventId: delivery.eventId, sessionId: delivery.sessionId, ...entry, at: this.options.ports.now() });
    } catch (err) {
      this.options.logger.error({ err, sessionId: delivery.sessionId, eventId: delivery.eventId, path: entry.path }, 'recording a webhook action failed');
    }
  }
}
