// The sandbox's WhatsApp users: each account has a phone number, a LID, a simulated primary phone (device 0)
// and the companion devices linked to it (real clients such as Baileys). Lookups accept PN or LID forms.
import { randomBytes, randomInt } from 'node:crypto';
import { jidDecode, type BinaryNode } from 'baileys';
import { PhoneInbox } from './phone-inbox.js';
import type { PreKeyShelf } from './pre-key-shelf.js';
import { SignalParty, type KeyBundle, type LidLookup } from './signal-party.js';

export const PN_SERVER = 's.whatsapp.net';
export const LID_SERVER = 'lid';
const MAX_OFFLINE_STANZAS = 5_000;
const MAX_APP_STATE_MUTATIONS = 1_000;

export interface CompanionKeys {
  registrationId: number;
  identityKey: Buffer;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer };
  preKeys: PreKeyShelf;
}

export interface Companion {
  account: Account;
  id: number;
  noiseKey: Buffer;
  keys: CompanionKeys;
  platform: string;
  linkedAt: number;
  removed: boolean;
  /** true until the first login after pairing has received the phone's bootstrap messages */
  awaitingBootstrap: boolean;
  /** stanzas that arrived while the device was offline, delivered on its next login */
  offline: BinaryNode[];
  /** a ADVSignedDeviceIdentity the phone issued, sent with the device's messages */
  deviceIdentity?: Buffer;
}

export type PresenceType = 'available' | 'unavailable';

/** How the simulated phone behaves on its own, set through the control API. */
export interface PhoneSettings {
  /** send a read receipt for every message it receives, as if its user had the chat open */
  autoRead: boolean;
}

/** One app-state mutation the account's devices pushed, as the phone decrypted it. */
export interface AppStateMutation {
  collection: string;
  /** the patch version the server stamped */
  version: number;
  operation: 'set' | 'remove';
  /** the mutation index, e.g. ["star", chat, messageId, fromMe, participant] */
  index: string[];
  /** the SyncActionValue as JSON */
  value: Record<string, unknown>;
}

export class Account {
  readonly companions = new Map<number, Companion>();
  readonly phoneParty: SignalParty;
  /** the phone's chats */
  readonly inbox = new PhoneInbox();
  readonly settings: PhoneSettings = { autoRead: false };
  presence: { type: PresenceType; lastSeen: number } = { type: 'unavailable', lastSeen: Math.floor(Date.now() / 1000) };
  /** companions subscribed to this account's presence, with the JID form they subscribed with */
  readonly presenceSubscribers = new Map<Companion, string>();
  /** per group JID: the device JIDs that already hold the phone's sender key */
  readonly senderKeyHolders = new Map<string, Set<string>>();
  private phoneWork: Promise<unknown> = Promise.resolve();
  readonly blocklist = new Set<string>();
  readonly privacy = new Map<string, string>([
    ['readreceipts', 'all'],
    ['last', 'all'],
    ['online', 'all'],
    ['profile', 'all'],
    ['status', 'all'],
    ['groupadd', 'all'],
    ['calladd', 'all'],
    ['messages', 'all']
  ]);
  about = 'Hey there! I am using WhatsApp.';
  aboutSetAt = Math.floor(Date.now() / 1000);
  picture?: { id: string; jpeg: Buffer };
  /** app-state patches pushed by the account's devices, per collection; version = count */
  readonly appState = new Map<string, Buffer[]>();
  /** the key the phone shares with companions to encrypt app-state patches */
  readonly appStateKey = { id: randomBytes(6), data: randomBytes(32) };
  /** what those patches say, decrypted by the phone, oldest first (bounded) */
  readonly appStateMutations: AppStateMutation[] = [];
  business?: { description: string; email?: string; website?: string[]; category?: string; address?: string };
  private nextDeviceId = 1;

  constructor(
    readonly phone: string,
    readonly lidUser: string,
    public name: string,
    lidLookup: LidLookup
  ) {
    this.phoneParty = new SignalParty(lidLookup);
  }

  get pnJid(): string {
    return `${this.phone}@${PN_SERVER}`;
  }
  get lidJid(): string {
    return `${this.lidUser}@${LID_SERVER}`;
  }
  pnDevice(device: number): string {
    return device === 0 ? this.pnJid : `${this.phone}:${device}@${PN_SERVER}`;
  }
  lidDevice(device: number): string {
    return device === 0 ? this.lidJid : `${this.lidUser}:${device}@${LID_SERVER}`;
  }
  /** device ids currently linked, phone first */
  deviceIds(): number[] {
    return [0, ...[...this.companions.values()].filter((c) => !c.removed).map((c) => c.id)];
  }
  activeCompanion(device: number): Companion | undefined {
    const companion = this.companions.get(device);
    return companion && !companion.removed ? companion : undefined;
  }

  addCompanion(init: Omit<Companion, 'account' | 'id' | 'offline' | 'removed' | 'linkedAt' | 'awaitingBootstrap'>): Companion {
    const companion: Companion = {
      ...init,
      account: this,
      id: this.nextDeviceId++,
      offline: [],
      removed: false,
      linkedAt: Date.now(),
      awaitingBootstrap: true
    };
    this.companions.set(companion.id, companion);
    return companion;
  }

  /**
   * Runs Signal work of the simulated phone strictly one task after another: a session's messages must be
   * encrypted and decrypted in order.
   */
  onPhone<T>(task: () => Promise<T>): Promise<T> {
    const run = this.phoneWork.then(task, task);
    this.phoneWork = run.catch(() => undefined);
    return run;
  }

  recordMutation(mutation: AppStateMutation): void {
    if (this.appStateMutations.length >= MAX_APP_STATE_MUTATIONS) this.appStateMutations.shift();
    this.appStateMutations.push(mutation);
  }

  queueOffline(companion: Companion, node: BinaryNode): void {
    if (companion.offline.length >= MAX_OFFLINE_STANZAS) companion.offline.shift();
    companion.offline.push(node);
  }

  /** The bundle a client receives when it fetches keys for one of this account's devices. */
  async bundleFor(device: number): Promise<KeyBundle | undefined> {
    if (device === 0) return this.phoneParty.takeBundle();
    const companion = this.activeCompanion(device);
    if (!companion) return undefined;
    const { keys } = companion;
    const preKey = keys.preKeys.take();
    return {
      registrationId: keys.registrationId,
      identityKey: keys.identityKey,
      signedPreKey: keys.signedPreKey,
      ...(preKey ? { preKey } : {})
    };
  }
}

export interface DeviceAddress {
  account: Account;
  device: number;
}

export class AccountDirectory {
  private readonly byPhone = new Map<string, Account>();
  private readonly byLid = new Map<string, Account>();

  readonly lidLookup: LidLookup = async (pns) =>
    pns.flatMap((pn) => {
      const account = this.resolve(pn)?.account;
      return account ? [{ pn, lid: account.lidDevice(jidDecode(pn)?.device ?? 0) }] : [];
    });

  create(phone: string, name: string): Account {
    if (!/^\d{6,15}$/.test(phone)) throw new RangeError('phone must be 6 to 15 digits, country code first');
    if (this.byPhone.has(phone)) throw new RangeError(`account ${phone} already exists`);
    let lid: string;
    do lid = String(randomInt(10_000_000, 99_999_999)) + String(randomInt(100_000, 999_999));
    while (this.byLid.has(lid));
    const account = new Account(phone, lid, name, this.lidLookup);
    this.byPhone.set(phone, account);
    this.byLid.set(lid, account);
    return account;
  }

  get(phone: string): Account | undefined {
    return this.byPhone.get(phone);
  }

  all(): Account[] {
    return [...this.byPhone.values()];
  }

  /** Resolves `user[:device]@s.whatsapp.net`, `…@c.us` or `lid[:device]@lid` to an account device. */
  resolve(jid: string): DeviceAddress | undefined {
    const decoded = jidDecode(jid);
    if (!decoded?.user) return undefined;
    const device = decoded.device ?? 0;
    if (decoded.server === LID_SERVER) {
      const account = this.byLid.get(decoded.user);
      return account ? { account, device } : undefined;
    }
    if (decoded.server === PN_SERVER || decoded.server === 'c.us') {
      const account = this.byPhone.get(decoded.user);
      return account ? { account, device } : undefined;
    }
    return undefined;
  }
}
