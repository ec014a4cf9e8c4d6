// The sandbox's WhatsApp users: each account has a phone number, a LID, a simulated primary phone (device 0)
// and the companion devices linked to it (real clients such as Baileys). Lookups accept PN or LID forms.
import { randomBytes, randomInt } from 'node:crypto';
import { jidDecode, type BinaryNode, type proto } from 'baileys';
import { SignalParty, type KeyBundle, type LidLookup } from './signal-party.js';

export const PN_SERVER = 's.whatsapp.net';
export const LID_SERVER = 'lid';
const MAX_OFFLINE_STANZAS = 5_000;
const MAX_PHONE_MESSAGES = 10_000;

export interface CompanionKeys {
  registrationId: number;
  identityKey: Buffer;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer };
  preKeys: Map<number, Buffer>;
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

export interface MessageReceipt {
  /** delivery, read or played */
  type: string;
  /** the user JID whose device sent the receipt */
  from: string;
  t: number;
}

/** What the simulated phone decrypted from an encrypted media message it received. */
export interface MediaSummary {
  mimetype?: string;
  size: number;
  /** hex SHA-256 of the decrypted bytes */
  sha256: string;
}

/** A message in the simulated phone's chats: one it received, or one the account sent (from any device). */
export interface PhoneMessage {
  id: string;
  /** the author's user JID, in the form (PN or LID) the message was addressed with */
  from: string;
  fromDevice: string;
  fromMe: boolean;
  chat: string;
  participant?: string;
  timestamp: number;
  /** content type: conversation, extendedTextMessage, imageMessage, reactionMessage, protocolMessage… */
  type: string;
  message: proto.IMessage;
  media?: MediaSummary | { error: string };
  /** for a poll vote: the options the voter chose, decrypted with the poll's secret */
  vote?: { pollId: string; options: string[] } | { error: string };
  receipts: MessageReceipt[];
}

export type PresenceType = 'available' | 'unavailable';

export class Account {
  readonly companions = new Map<number, Companion>();
  readonly phoneParty: SignalParty;
  /** the phone's chats, oldest first */
  readonly inbox: PhoneMessage[] = [];
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

  keep(message: PhoneMessage): void {
    if (this.inbox.length >= MAX_PHONE_MESSAGES) this.inbox.shift();
    this.inbox.push(message);
  }

  findMessage(id: string, fromMe?: boolean): PhoneMessage | undefined {
    for (let i = this.inbox.length - 1; i >= 0; i--) {
      const message = this.inbox[i]!;
      if (message.id === id && (fromMe === undefined || message.fromMe === fromMe)) return message;
    }
    return undefined;
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
    const first = keys.preKeys.entries().next();
    let preKey: KeyBundle['preKey'];
    if (!first.done) {
      const [keyId, publicKey] = first.value;
      keys.preKeys.delete(keyId);
      preKey = { keyId, publicKey };
    }
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
