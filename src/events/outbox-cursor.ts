// Reads the outbox in log order (`seq`) from a position, for consumers that must see every event once and in
// order and resume from the last one they saw (the live stream's Last-Event-ID).
//
// On SQLite writers are serialised, so `seq` is commit order. On PostgreSQL an identity value is taken at
// insert time, so a transaction that inserted seq 10 may commit after the one that inserted seq 11: a reader
// that moved past 11 would never see 10. Gaps also come from rolled-back transactions and from duplicate
// events (ON CONFLICT DO NOTHING still takes a value), and those never fill. So the cursor stops at a gap and
// waits for it up to `gapGraceMs`, counted from when it first saw the gap or from when the event after it was
// written, whichever is earlier; after that the gap is taken as empty. Events therefore leave in `seq` order,
// and a position handed to a client stays a complete "everything up to here".
import type { Db } from '../store/database.js';
import { listEvents, type OutboxEvent } from '../store/repos/outbox.js';

export const DEFAULT_GAP_GRACE_MS = 3000;

export interface OutboxCursorOptions {
  /** How long a gap in `seq` may stay open before it is skipped. */
  gapGraceMs?: number;
  now?: () => number;
}

export class OutboxCursor {
  #position: number;
  #gapSince: number | null = null;
  readonly #gapGraceMs: number;
  readonly #now: () => number;

  constructor(
    private readonly db: Db,
    afterSeq: number,
    options: OutboxCursorOptions = {},
  ) {
    this.#position = afterSeq;
    this.#gapGraceMs = options.gapGraceMs ?? DEFAULT_GAP_GRACE_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The `seq` of the last event read. */
  get position(): number {
    return this.#position;
  }

  /** Whether reading stopped at a gap that may still fill (read again later). */
  get waitingAtGap(): boolean {
    return this.#gapSince !== null;
  }

  /** The next events in order, at most `limit`, moving the position past them. */
  async read(limit: number): Promise<OutboxEvent[]> {
    const rows = await listEvents(this.db, { afterSeq: this.#position, limit });
    const taken: OutboxEvent[] = [];
    for (const row of rows) {
      if (row.seq !== this.#position + 1 && !this.#gapExpired(row)) break;
      taken.push(row);
      this.#position = row.seq;
      this.#gapSince = null;
    }
    return taken;
  }

  #gapExpired(next: OutboxEvent): boolean {
    const now = this.#now();
    this.#gapSince ??= now;
    return now - Math.min(this.#gapSince, next.createdAt) >= this.#gapGraceMs;
  }
}
