// A simulated WhatsApp device's Signal state: Baileys' own libsignal repository over an in-memory key store,
// plus the key bundle the sandbox serves for it when a real client fetches keys.
import {
  addTransactionCapability,
  DEFAULT_CONNECTION_CONFIG,
  initAuthCreds,
  signedKeyPair,
  type AuthenticationCreds,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore
} from 'baileys';
import { Curve } from 'baileys';
import { withKeyedAsyncLocalStorage } from '../../lib/keyed-async-local-storage.js';
import type { KeyPair } from '../wire/certs.js';
import { silentLogger } from '../logger.js';

export interface KeyBundle {
  registrationId: number;
  identityKey: Buffer;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer };
  preKey?: { keyId: number; publicKey: Buffer };
}

type Stored = { [T in keyof SignalDataTypeMap]?: Map<string, SignalDataTypeMap[T]> };

type MemoryKeyStore = SignalKeyStore & { forget(type: keyof SignalDataTypeMap): void };

function memoryKeyStore(): MemoryKeyStore {
  const data: Stored = {};
  return {
    forget(type) {
      data[type]?.clear();
    },
    async get(type, ids) {
      const table = data[type] as Map<string, unknown> | undefined;
      const out: Record<string, any> = {};
      for (const id of ids) {
        const value = table?.get(id);
        if (value !== undefined) out[id] = value;
      }
      return out;
    },
    async set(update: SignalDataSet) {
      for (const type of Object.keys(update) as (keyof SignalDataTypeMap)[]) {
        const table = (data[type] ??= new Map()) as Map<string, unknown>;
        for (const [id, value] of Object.entries(update[type] ?? {})) {
          if (value === null || value === undefined) table.delete(id);
          else table.set(id, value);
        }
      }
    }
  };
}

export type LidLookup = (pns: string[]) => Promise<{ pn: string; lid: string }[] | undefined>;

export class SignalParty {
  readonly creds: AuthenticationCreds;
  readonly keys: SignalKeyStore;
  private readonly store: MemoryKeyStore;
  readonly repository: ReturnType<NonNullable<typeof DEFAULT_CONNECTION_CONFIG.makeSignalRepository>>;
  private nextPreKeyId = 1;

  constructor(lidLookup: LidLookup, identity?: KeyPair) {
    const fresh = initAuthCreds();
    // The phone's identity doubles as the ADV account key, so it is chosen by the caller and the signed
    // prekey must be re-signed with it.
    this.creds = identity ? { ...fresh, signedIdentityKey: identity, signedPreKey: signedKeyPair(identity, 1) } : fresh;
    const store = (this.store = memoryKeyStore());
    this.keys = withKeyedAsyncLocalStorage(() => addTransactionCapability(store, silentLogger, { maxCommitRetries: 1, delayBetweenTriesMs: 0 }));
    this.repository = DEFAULT_CONNECTION_CONFIG.makeSignalRepository(
      { creds: this.creds, keys: this.keys as any },
      silentLogger,
      lidLookup
    );
  }

  get identity(): KeyPair {
    return this.creds.signedIdentityKey as KeyPair;
  }

  /** Drops every 1:1 session (a phone restored without its Signal state): the next message from each peer fails. */
  forgetSessions(): void {
    this.store.forget('session');
  }

  /** A bundle with a fresh one-time prekey; each key is handed out once, as WhatsApp does. */
  async takeBundle(): Promise<KeyBundle> {
    const keyId = this.nextPreKeyId++;
    const pair = Curve.generateKeyPair();
    await this.keys.set({ 'pre-key': { [String(keyId)]: pair } });
    const signed = this.creds.signedPreKey;
    return {
      registrationId: this.creds.registrationId,
      identityKey: Buffer.from(this.identity.public),
      signedPreKey: {
        keyId: signed.keyId,
        publicKey: Buffer.from(signed.keyPair.public),
        signature: Buffer.from(signed.signature)
      },
      preKey: { keyId, publicKey: Buffer.from(pair.public) }
    };
  }
}
