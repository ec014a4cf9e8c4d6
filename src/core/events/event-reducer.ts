// The shape of what turns engine events into stored state and outbox events: a reducer names the engine
// events it handles and, for each, writes into the transaction it is handed (store rows and the events that
// describe them), so state and events commit together or not at all. Work that must talk to WhatsApp or take
// locks (invite lineage, policies) is not a reducer: it is an EventTranslator that reacts on its own.
import type { Transaction } from 'kysely';
import type { EngineEventMap } from '../../engine/types.js';
import { appendEvent } from '../../events/outbox.js';
import type { EventName } from '../../events/registry.js';
import type { Database } from '../../store/database.js';

export interface ReduceContext {
  sessionId: string;
  trx: Transaction<Database>;
  /**
   * Appends a canonical event to the outbox, inside `trx`. `dedupKey` names what WhatsApp identifies the event
   * by: a redelivery of it is stored once and keeps its event id.
   */
  emit(event: EventName, payload: Record<string, unknown>, dedupKey?: string): Promise<void>;
}

export type EventReducer = { [K in keyof EngineEventMap]?: (event: EngineEventMap[K], ctx: ReduceContext) => Promise<void> };

export function reduceContext(sessionId: string, trx: Transaction<Database>): ReduceContext {
  return { sessionId, trx, emit: async (event, payload, dedupKey) => void (await appendEvent(trx, { sessionId, event, payload, dedupKey })) };
}

/** The engine events at least one of `reducers` handles. */
export function reducedEvents(reducers: readonly EventReducer[]): (keyof EngineEventMap)[] {
  return [...new Set(reducers.flatMap((reducer) => Object.keys(reducer) as (keyof EngineEventMap)[]))];
}
