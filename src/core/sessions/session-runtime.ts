// One session at run time: its engine session, the latest QR and pairing code, and the durable record of its
// lifecycle and events. Every status change is written together with its `session.status` event in one
// transaction; every engine event the reducers handle is reduced in one transaction of its own. Writes are
// applied one at a time, in the order the engine reported them.
import type { EngineSession } from '../../engine/port.js';
import type { EngineEventMap, Me, QrCode, StatusChange } from '../../engine/types.js';
import { appendEvent } from '../../events/outbox.js';
import type { EventName } from '../../events/registry.js';
import type { Db } from '../../store/database.js';
import { setSessionStatus, updateSession } from '../../store/repos/sessions.js';
import { transaction } from '../../store/transaction.js';
import { reduceContext, reducedEvents, type EventReducer } from '../events/event-reducer.js';
import { statusPayload, storedStatus } from './status-events.js';

export interface RuntimeLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** Reacts to a runtime's engine events on its own (talking to WhatsApp, taking locks); returns its detach. */
export type EventTranslator = (runtime: SessionRuntime, emit: (event: EventName, payload: Record<string, unknown>) => void) => () => void;

export interface RuntimeHandlers {
  /** store writes and outbox events, one transaction per engine event */
  reducers?: readonly EventReducer[];
  translators?: readonly EventTranslator[];
  onQr?: (qr: string) => void;
}

export class SessionRuntime {
  private writes: Promise<void> = Promise.resolve();
  private writeFailure: unknown = undefined;
  private detachTranslators: (() => void)[] = [];
  lastChange: StatusChange = { status: 'STOPPED' };
  qr: QrCode & { at: number } | null = null;
  pairingCode: string | null = null;

  private readonly onQr?: (qr: string) => void;
  private readonly reducers: readonly EventReducer[];

  constructor(
    readonly id: string,
    readonly engine: EngineSession,
    private readonly db: Db,
    private readonly logger: RuntimeLogger,
    handlers: RuntimeHandlers = {}
  ) {
    this.onQr = handlers.onQr;
    this.reducers = handlers.reducers ?? [];
    engine.events.on('status', (change) => this.onStatus(change));
    engine.events.on('pairing_code', ({ code }) => {
      this.pairingCode = code;
    });
    const offs = reducedEvents(this.reducers).map((name) => engine.events.on(name, (event) => void this.reduce(name, event)));
    const emit = (event: EventName, payload: Record<string, unknown>) => this.record(event, payload);
    this.detachTranslators = [() => offs.forEach((off) => off()), ...(handlers.translators ?? []).map((translate) => translate(this, emit))];
  }

  get me(): Me | null {
    return this.engine.me;
  }

  private onStatus(change: StatusChange): void {
    this.lastChange = change;
    // A new connection: what failed on the previous one will be redelivered and written again.
    if (change.status === 'WORKING') this.writeFailure = undefined;
    if (change.status === 'SCAN_QR_CODE') {
      this.qr = { qr: change.qr, expiresInMs: change.expiresInMs, at: Date.now() };
      this.onQr?.(change.qr);
    } else if (change.status !== 'STARTING') {
      this.qr = null;
    }
    if (change.status === 'WORKING' || change.status === 'LOGGED_OUT') this.pairingCode = null;
    this.enqueue(async () => {
      await transaction(this.db, async (trx) => {
        await setSessionStatus(trx, this.id, storedStatus(change));
        if (change.status === 'WORKING') {
          await updateSession(trx, this.id, { meId: change.me.id, meLid: change.me.lid, meName: change.me.name });
        }
        await appendEvent(trx, { sessionId: this.id, event: 'session.status', payload: statusPayload(this.id, change) });
      });
    });
  }

  /**
   * Reduces one engine event into the store and the outbox in one transaction, after every write already queued
   * for this session. Resolves once it is committed (or has failed and been logged).
   */
  reduce<K extends keyof EngineEventMap>(name: K, event: EngineEventMap[K]): Promise<void> {
    return this.enqueue(() =>
      transaction(this.db, async (trx) => {
        const ctx = reduceContext(this.id, trx);
        for (const reducer of this.reducers) await reducer[name]?.(event, ctx);
      })
    );
  }

  /** Writes an event to the outbox (after any status writes already queued for this session). */
  record(event: EventName, payload: Record<string, unknown>): void {
    this.enqueue(() => transaction(this.db, async (trx) => void (await appendEvent(trx, { sessionId: this.id, event, payload }))));
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(write).catch((err) => {
      // The database is unreachable or the session row is gone; the live state stays correct in memory, and
      // `durable()` tells the engine, which leaves the stanza unacknowledged so WhatsApp sends it again.
      this.writeFailure ??= err;
      this.logger.error({ err, sessionId: this.id }, 'could not persist a session change');
    });
    return this.writes;
  }

  /**
   * Resolves once every change reported so far is committed. Rejects once a write has failed, and keeps
   * rejecting until the engine connects again: every stanza handled on the failing connection stays
   * unacknowledged (concurrent callers cannot tell whose write failed), and WhatsApp redelivers them all.
   */
  async durable(): Promise<void> {
    await this.writes;
    if (this.writeFailure !== undefined) throw this.writeFailure;
  }

  /** Resolves once every change reported so far is stored. */
  flush(): Promise<void> {
    return this.writes;
  }

  /** Waits until the status satisfies `done` (or the timeout passes) and returns the last change seen. */
  waitFor(done: (change: StatusChange) => boolean, timeoutMs: number): Promise<StatusChange> {
    if (done(this.lastChange)) return Promise.resolve(this.lastChange);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        off();
        resolve(this.lastChange);
      };
      const timer = setTimeout(finish, timeoutMs);
      const off = this.engine.events.on('status', (change) => {
        if (done(change)) finish();
      });
    });
  }

  async dispose(): Promise<void> {
    for (const detach of this.detachTranslators) detach();
    this.detachTranslators = [];
    await this.flush();
  }
}
