// Baileys' AuthenticationState over our AuthStateStore: creds and Signal keys serialised with BufferJSON, keys
// read through Baileys' cache (Baileys adds its own transaction layer on top), creds written in order, and
// nothing written any more once the state has been purged (a closing socket may still flush late updates).
import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type CacheStore,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore
} from 'baileys';
import type { AuthStateStore, EngineLogger } from '../port.js';
import { BoundedMap } from '../../lib/bounded-map.js';

// Baileys' default key cache keeps every key it sees for five to fifteen minutes: right after linking, that is
// the whole batch of uploaded pre-keys (0.2 MiB a session, measured), which nothing reads again soon. This one
// is bounded and skips pre-keys (each is read once, when a contact's first message uses it), so it holds the hot
// keys (session records, identities, sender keys) and leaves the rest to the store.
const SIGNAL_KEY_CACHE_ENTRIES = 256;
const UNCACHED_PREFIX = 'pre-key.';

function signalKeyCache(): CacheStore {
  const entries = new BoundedMap<string, unknown>(SIGNAL_KEY_CACHE_ENTRIES);
  return {
    get: <T>(key: string) => entries.get(key) as T | undefined,
    set: (key, value) => {
      if (key.startsWith(UNCACHED_PREFIX)) entries.delete(key);
      else entries.set(key, value);
    },
    del: (key) => entries.delete(key),
    flushAll: () => entries.clear()
  };
}

export class SessionAuth {
  readonly state: AuthenticationState;
  private disposed = false;
  private dirty = false;
  private writes: Promise<void> = Promise.resolve();
  private queuedCredsWrite: Promise<void> | undefined;

  private constructor(
    private readonly store: AuthStateStore,
    creds: AuthenticationCreds,
    private readonly logger: EngineLogger
  ) {
    this.state = { creds, keys: makeCacheableSignalKeyStore(this.storeKeys(), logger, signalKeyCache()) };
  }

  static async load(store: AuthStateStore, logger: EngineLogger): Promise<SessionAuth> {
    const json = await store.loadCreds();
    const creds = json ? (JSON.parse(json, BufferJSON.reviver) as AuthenticationCreds) : initAuthCreds();
    return new SessionAuth(store, creds, logger);
  }

  static fresh(store: AuthStateStore, logger: EngineLogger): SessionAuth {
    return new SessionAuth(store, initAuthCreds(), logger);
  }

  get creds(): AuthenticationCreds {
    return this.state.creds;
  }

  /** Linked to an account: pairing succeeded (QR or code), so connecting logs in rather than registering. */
  get linked(): boolean {
    return !!this.creds.account;
  }

  /**
   * `requestPairingCode` sets `creds.me` before the phone has confirmed anything; connecting with such creds
   * would attempt a login and be refused with 401. Such creds must be replaced by fresh ones.
   */
  get halfRegistered(): boolean {
    return !!this.creds.me && !this.linked;
  }

  /**
   * Writes the current creds (Baileys mutates the object in place before emitting `creds.update`). Never throws.
   * A write still waiting for its turn serialises the creds when it runs, so later updates join it instead of
   * queueing one more write of the whole object each.
   */
  persistCreds(): Promise<void> {
    this.queuedCredsWrite ??= this.enqueue(async () => {
      this.queuedCredsWrite = undefined;
      try {
        await this.store.saveCreds(JSON.stringify(this.creds, BufferJSON.replacer));
        this.dirty = false;
      } catch (error) {
        this.dirty = true;
        this.logger.error({ err: error }, 'could not persist WhatsApp credentials; will retry before reconnecting');
      }
    });
    return this.queuedCredsWrite;
  }

  /** Retries a failed creds write; throws if it still fails. */
  async flush(): Promise<void> {
    await this.writes;
    if (!this.dirty) return;
    await this.persistCreds();
    if (this.dirty) throw new Error('WhatsApp credentials could not be persisted');
  }

  /** Deletes everything stored and stops all further writes from this state. */
  purge(): Promise<void> {
    this.disposed = true;
    return this.enqueue(() => this.store.purge(), true);
  }

  private enqueue(write: () => Promise<void>, evenIfDisposed = false): Promise<void> {
    const next = this.writes.then(() => (this.disposed && !evenIfDisposed ? undefined : write()));
    this.writes = next.catch(() => undefined);
    return next;
  }

  private storeKeys(): SignalKeyStore {
    return {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const raw = await this.store.getKeys(type, ids);
        const values: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const [id, json] of Object.entries(raw)) {
          const value = JSON.parse(json, BufferJSON.reviver);
          values[id] = type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(value) : value;
        }
        return values;
      },
      set: (data: SignalDataSet) => {
        const writes: Record<string, Record<string, string | null>> = {};
        for (const [type, entries] of Object.entries(data)) {
          writes[type] = {};
          for (const [id, value] of Object.entries(entries ?? {})) {
            writes[type][id] = value == null ? null : JSON.stringify(value, BufferJSON.replacer);
          }
        }
        return this.enqueue(() => this.store.setKeys(writes));
      }
    };
  }
}
