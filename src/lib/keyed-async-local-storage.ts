// Baileys gives every Signal key store (each socket; each sandbox account) its own AsyncLocalStorage for
// key transactions and never disables it. On Node < 24 every enabled storage stays referenced forever and is
// visited on every async resource the process creates (a symbol-keyed property stamped on each promise,
// timer, request...), so every await, HTTP included, costs time proportional to the stores ever made
// (Baileys issue #2806). Such stores are therefore built while `AsyncLocalStorage` resolves to
// KeyedAsyncLocalStorage: as many instances as Baileys wants, all carried by one real storage.
//
// That one storage is enabled only while a run is in flight. An enabled storage turns on Node's promise hooks,
// which then run on every promise the process makes: in the messages bench that was 6 % of the gateway's busy
// time, with Baileys' key transactions (the only runs) open for a small part of it. So a store is seen until its
// run's callback has settled, not by work the callback left behind (a timer, a promise nobody awaited): exactly
// what Baileys' transactions need, since a finished transaction must not be joined (the [finished-transaction-
// context] patch).
import asyncHooks from 'node:async_hooks';
import { syncBuiltinESMExports } from 'node:module';

// Read once: the module's export is what gets swapped.
const NodeAsyncLocalStorage = asyncHooks.AsyncLocalStorage;

type Stores = ReadonlyMap<KeyedAsyncLocalStorage<unknown>, unknown>;

const shared = new NodeAsyncLocalStorage<Stores>();
/** Runs whose callbacks have not settled yet; at none, the shared storage (and Node's promise hooks) is off. */
let runsInFlight = 0;
/** enterWith has no end, so after one the shared storage stays enabled. */
let enteredForGood = false;

function runEnded(): void {
  if (--runsInFlight === 0 && !enteredForGood) shared.disable();
}

function runShared<R, A extends unknown[]>(stores: Stores, callback: (...args: A) => R, args: A): R {
  runsInFlight++;
  let result: R;
  try {
    result = shared.run(stores, callback, ...args);
  } catch (err) {
    runEnded();
    throw err;
  }
  if (result instanceof Promise) result.then(runEnded, runEnded);
  else runEnded();
  return result;
}

/** An AsyncLocalStorage whose store lives under its own key in a context shared by every instance. */
export class KeyedAsyncLocalStorage<T> extends NodeAsyncLocalStorage<T> {
  private disabled = false;

  override getStore(): T | undefined {
    return this.disabled ? undefined : (shared.getStore()?.get(this) as T | undefined);
  }

  override run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R {
    this.disabled = false;
    return runShared(this.withStore(store), callback, args);
  }

  override exit<R, A extends unknown[]>(callback: (...args: A) => R, ...args: A): R {
    return runShared(this.withStore(undefined), callback, args);
  }

  override enterWith(store: T): void {
    this.disabled = false;
    enteredForGood = true;
    shared.enterWith(this.withStore(store));
  }

  /** As Node's: getStore() answers undefined until the next run() or enterWith(). */
  override disable(): void {
    this.disabled = true;
  }

  private withStore(store: T | undefined): Stores {
    const stores = new Map(shared.getStore());
    if (store === undefined) stores.delete(this);
    else stores.set(this, store);
    return stores;
  }
}

/**
 * Runs `build` (synchronously) with Node's `AsyncLocalStorage` export replaced by KeyedAsyncLocalStorage, so
 * the storages Baileys creates while `build` runs are keyed ones. Nothing else sees the swap: it is
 * undone before `build`'s caller continues.
 */
export function withKeyedAsyncLocalStorage<T>(build: () => T): T {
  const hooks = asyncHooks as { AsyncLocalStorage: typeof NodeAsyncLocalStorage };
  hooks.AsyncLocalStorage = KeyedAsyncLocalStorage;
  syncBuiltinESMExports();
  try {
    return build();
  } finally {
    hooks.AsyncLocalStorage = NodeAsyncLocalStorage;
    syncBuiltinESMExports();
  }
}
