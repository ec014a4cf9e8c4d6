// One session at run time: its engine session, the latest QR and pairing code, and the durable record of its
// lifecycle. Every status change is written together with its `session.status` event in one transaction;
// changes are applied one at a time, in the order the engine reported them.
import type { EngineSession } from '../../engine/port.js';
import type { Me, QrCode, StatusChange } from '../../engine/types.js';
import { appendEvent } from '../../events/outbox.js';
import type { EventName } from '../../events/registry.js';
import type { Db } from '../../store/database.js';
import { setSessionStatus, updateSession } from '../../store/repos/sessions.js';
import { transaction } from '../../store/transaction.js';
import { statusPayload, storedStatus } from './status-events.js';

export interface RuntimeLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export type EventTranslator = (runtime: SessionRuntime, emit: (event: EventName, payload: Record<string, unknown>) => void) => () => void;

export class SessionRuntime {
  private writes: Promise<void> = Promise.resolve();
  private detachTranslators: (() => void)[] = [];
  lastChange: StatusChange = { status: 'STOPPED' };
  qr: QrCode & { at: number } | null = null;
  pairingCode: string | null = null;

  constructor(
    readonly id: string,
    readonly engine: EngineSession,
    private readonly db: Db,
    private readonly logger: RuntimeLogger,
    translators: EventTranslator[] = [],
    private readonly onQr?: (qr: string) => void
  ) {
    engine.events.on('status', (change) => this.onStatus(change));
    engine.events.on('pairing_code', ({ code }) => {
      this.pairingCode = code;
    });
    const emit = (event: EventName, payload: Record<string, unknown>) => this.record(event, payload);
    this.detachTranslators = translators.map((translate) => translate(this, emit));
  }

  get me(): Me | null {
    return this.engine.me;
  }

  private onStatus(change: StatusChange): void {
    this.lastChange = change;
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

  /** Writes an event to the outbox (after any status writes already queued for this session). */
  record(event: EventName, payload: Record<string, unknown>): void {
    this.enqueue(() => transaction(this.db, async (trx) => void (await appendEvent(trx, { sessionId: this.id, event, payload }))));
  }

  private enqueue(write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((err) => {
      // The database is unreachable or the session row is gone; the live state stays correct in memory.
      this.logger.error({ err, sessionId: this.id }, 'could not persist a session change');
    });
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
