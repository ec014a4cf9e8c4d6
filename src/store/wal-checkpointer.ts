// SQLite copies its write-ahead log into the database file in a checkpoint, and by default the connection that
// commits past `wal_autocheckpoint` pages does it, inside that commit: on the event loop, 37 ms at a time for the
// 4,000 pages the store used to allow, with every socket waiting (an inbound message's webhook among them). Here a
// thread of its own with its own connection checkpoints while the event loop goes on: WAL mode lets one connection
// copy committed pages while another writes. The store's connection keeps a much higher threshold, as a backstop
// should the thread fall behind or fail.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database as SqliteDatabase } from 'better-sqlite3';

/** How often the thread checkpoints while commits come in: a few thousand pages at the rates the benches reach. */
const CHECKPOINT_EVERY_MS = 250;
/** WAL pages past which the store's own connection checkpoints anyway (the thread is behind, or gone). */
export const BACKSTOP_PAGES = 16_000;

// Evaluated rather than loaded from a file: the tests run the TypeScript sources, and a worker thread does not
// inherit their loader. PASSIVE copies what no reader still needs and never waits for, or blocks, the writer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const database = new Database(workerData.file, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message === 'close') {
    database.close();
    parentPort.close();
    return;
  }
  try {
    database.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage(null);
  } catch (err) {
    parentPort.postMessage(String(err));
  }
});
`;

export class WalCheckpointer {
  #worker: Worker | undefined;
  #timer: NodeJS.Timeout | undefined;
  #commitsSinceCheckpoint = 0;
  #checkpointing = false;
  #stopped = false;
  /** the connection's own threshold, given back if the thread fails */
  readonly #ownThreshold: number;

  /** Takes over checkpointing from `database`'s connection (a file database in WAL mode). */
  constructor(
    private readonly database: SqliteDatabase,
    private readonly onError: (err: unknown) => void,
  ) {
    this.#ownThreshold = database.pragma('wal_autocheckpoint', { simple: true }) as number;
    database.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }

  /** Called after each commit; the thread starts with the first one, so a store nobody writes to has none. */
  noteCommit(): void {
    this.#commitsSinceCheckpoint += 1;
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => this.#checkpoint(), CHECKPOINT_EVERY_MS);
    this.#timer.unref();
  }

  /** Ends the thread after the checkpoint it is running, closing its connection (before the store closes its own). */
  async close(): Promise<void> {
    this.#stop();
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Unreferenced, it would not keep the process alive while the caller waits for it to end.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  #checkpoint(): void {
    if (this.#checkpointing || this.#commitsSinceCheckpoint === 0) return;
    this.#commitsSinceCheckpoint = 0;
    this.#checkpointing = true;
    (this.#worker ??= this.#start()).postMessage('checkpoint');
  }

  #start(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // The thread holds little JS: small heap limits keep its share of the gateway's RSS at about 9 MiB (10.6 without).
    const resourceLimits = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: this.database.name }, resourceLimits });
    worker.unref();
    worker.on('message', (problem: string | null) => {
      this.#checkpointing = false;
      if (problem) this.onError(new Error(`WAL checkpoint failed: ${problem}`));
    });
    let failure: Error | undefined;
    worker.on('error', (err) => (failure = err));
    worker.on('exit', (code) => {
      if (this.#stopped) return;
      // The store's connection checkpoints by itself again, as it would without the thread.
      const reason = failure?.message ?? `exit code ${code}`;
      this.onError(new Error(`the WAL checkpoint thread stopped (${reason}); the store's connection checkpoints by itself from now on`, { cause: failure }));
      this.#stop();
      this.#worker = undefined;
      if (this.database.open) this.database.pragma(`wal_autocheckpoint = ${this.#ownThreshold}`);
    });
    return worker;
  }

  #stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }
}
