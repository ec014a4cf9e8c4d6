// What a session has been doing, for the dashboard's session and deliveries pages: its send queue by state,
// and one webhook event's delivery attempts next to the body every attempt POSTed.
import { nameOf } from '../../events/registry.js';
import { DELIVERY_STATES } from '../../store/tables/webhook-deliveries.js';
import { liveEvent, type LiveEvent } from '../../events/live-stream.js';
import { webhookSessionInfo } from '../../events/webhook-session.js';
import type { Db } from '../../store/database.js';
import { listDeliveryAttempts, type DeliveryLogEntry } from '../../store/repos/delivery-log.js';
import { countSendsByState } from '../../store/repos/outbound.js';
import { getEvent } from '../../store/repos/outbox.js';
import { listDeliveriesWithEvents, type DeliveryState, type DeliveryWithEvent } from '../../store/repos/webhook-deliveries.js';
import { GatewayError } from '../errors.js';
import type { SessionAccess, SessionCommand } from './session-access.js';

/** Attempts kept per event are few; this only bounds a pathological log. */
const MAX_ATTEMPTS_LISTED = 200;

export interface EventAttempts {
  sessionId: string;
  /** The event as it is POSTed (the request body; `ts` is when it was recorded). */
  event: LiveEvent;
  /** Oldest first: status and error of each answer, or why there was none. */
  attempts: DeliveryLogEntry[];
}

export class SessionActivity {
  constructor(private readonly deps: { db: Db; access: SessionAccess }) {}

  async sendQueue(command: SessionCommand) {
    const session = await this.deps.access.find(command);
    return { sessionId: session.id, ...(await countSendsByState(this.deps.db, session.id)) };
  }

  /** Webhook deliveries, newest first, with their event's name; filters take event names or WARest tags. */
  async deliveries(command: SessionCommand, filter: { states: readonly string[]; events: readonly string[]; limit: number }): Promise<DeliveryWithEvent[]> {
    const session = await this.deps.access.find(command);
    const badState = filter.states.filter((state) => !(DELIVERY_STATES as readonly string[]).includes(state));
    if (badState.length) throw new GatewayError('INVALID_PARAMETER', `state: unknown ${badState.join(', ')}; use ${DELIVERY_STATES.join(', ')}`);
    const badEvent = filter.events.filter((event) => !nameOf(event));
    if (badEvent.length) throw new GatewayError('INVALID_PARAMETER', `event: unknown ${badEvent.join(', ')}; use names such as session.status or tags such as session_status`);
    return listDeliveriesWithEvents(this.deps.db, {
      sessionId: session.id,
      states: filter.states as DeliveryState[],
      events: filter.events.map((event) => nameOf(event)!),
      limit: filter.limit,
    });
  }

  async deliveryAttempts(command: SessionCommand, eventId: string): Promise<EventAttempts> {
    const { db } = this.deps;
    const session = await this.deps.access.find(command);
    const event = await getEvent(db, eventId);
    const name = event && nameOf(event.event);
    if (!event || !name || event.sessionId !== session.id) throw new GatewayError('NOT_FOUND', `Session "${session.id}" has no event ${eventId}`);
    const attempts = await listDeliveryAttempts(db, { sessionId: session.id, eventId, limit: MAX_ATTEMPTS_LISTED });
    return { sessionId: session.id, event: liveEvent(event, name, await webhookSessionInfo(db, session)), attempts: attempts.reverse() };
  }
}
