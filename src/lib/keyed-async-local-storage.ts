// Baileys gives every Signal key store (each socket; each sandbox account) its own AsyncLocalStorage for
// key transactions and never disables it. On Node < 24 every enabled storage stays referenced forever and is
// visited on every async resource the process creates (a symbol-keyed property stamped on each promise,
// timer, request...), so every await, HTTP included, costs time proportional to the stores ever made
// (Baileys issue #2806). Such stores are therefore built while `AsyncLocalStorage` resolves to
// KeyedAsyncLocalStorage: as many instances as Baileys wants, all carried by one real storage.
import asyncHooks from 'node:async_hooks';
import { syncBuiltinESMExports } from 'node:module';

// Read once: the module's export is what gets swapped.
const NodeAsyncLocalStorage = asyncHooks.AsyncLocalStorage;

type Stores = ReadonlyMap<KeyedAsyncLocalStorage<unknown>, unknown>;

const shared = new NodeAsyncLocalStorage<Stores>();

/** An AsyncLocalStorage whose store lives under its own key in a context shared by every instance. */
export class KeyedAsyncLocalStorage<T> extends NodeAsyncLocalStorage<T> {
  private disabled = false;

  override getStore(): T | undefined {
    return this.disabled ? undefined : (shared.getStore()?.get(this) as T | undefined);
  }

  override run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R {
    this.disabled = false;
    return shared.run(this.withStore(store), callback, ...args);
  }

  override exit<R, A extends unknown[]>(callback: (...args: A) => R, ...args: A): R {
    return shared.run(this.withStore(undefined), callback, ...args);
  }

  override enterWith(store: T): void {
    this.disabled = false;
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
