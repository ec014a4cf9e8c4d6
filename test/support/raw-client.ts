// A raw Baileys client for sandbox tests: unmodified makeWASocket with in-memory auth state, pointed at a
// sandbox and trusting its root key, restarting after 515 the way a real application does.
import { EventEmitter } from 'node:events';
import { Agent as HttpsAgent } from 'node:https';
import {
  addTransactionCapability,
  BufferJSON,
  DisconnectReason,
  initAuthCreds,
  makeWASocket,
  proto,
  WA_CERT_DETAILS,
  type AuthenticationCreds,
  type BaileysEventMap,
  type GroupMetadata,
  type SignalKeyStore,
  type WASocket
} from 'baileys';
import pino from 'pino';

const logger = pino({ level: process.env.RAW_CLIENT_LOG ?? 'silent' });

/**
 * Trusting the sandbox media host's self-signed certificate. rc14 uploads media with node:https and passes
 * the socket's `fetchAgent` to it (Utils/messages-media.js uploadWithNodeHttp), so an https.Agent with the CA
 * covers uploads. Downloads (downloadMediaMessage, downloadContentFromMessage) use the global fetch and honour
 * only an undici `dispatcher` given as `{ options: { dispatcher } }`; Node 20 bundles undici without exporting
 * it, so the Agent class is taken from fetch's own global dispatcher.
 */
export function mediaUploadAgent(caPem: string): HttpsAgent {
  return new HttpsAgent({ ca: caPem });
}

export async function mediaDownloadOptions(caPem: string): Promise<{ options: RequestInit }> {
  await fetch('data:,');
  const Agent = (globalThis as Record<symbol, { constructor: new (options: unknown) => unknown }>)[Symbol.for('undici.globalDispatcher.1')]!.constructor;
  return { options: { dispatcher: new Agent({ connect: { ca: caPem } }) } as RequestInit };
}

export interface RawClientOptions {
  restartOn515?: boolean;
  /** reconnect after any close but a logout, as Baileys' own example does (a fleet under load loses keep-alives) */
  reconnect?: boolean;
  /** PEM of the sandbox media host's certificate, to upload media */
  mediaCaPem?: string;
  /** group metadata the client would otherwise query before each group send */
  cachedGroupMetadata?: (jid: string) => Promise<GroupMetadata | undefined>;
  /** whether Baileys' retry manager also keeps the messages received ([recent-messages] in the patch; default true) */
  keepReceivedMessages?: boolean;
}

export function trustSandbox(rootPublicKeyHex: string): void {
  (WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY = Buffer.from(rootPublicKeyHex, 'hex');
}

/**
 * Keys kept as BufferJSON text, as a real auth state keeps them. An app-state sync key is a protobuf message
 * whose toJSON() turns its key bytes into base64, so it is revived as AppStateSyncKeyData the way Baileys' own
 * auth states do: left as JSON, Baileys derives the patch keys from the base64 text, and no other device
 * (the phone, the gateway) can read this client's patches, nor it theirs.
 */
function memoryKeys(): SignalKeyStore {
  const data = new Map<string, unknown>();
  return {
    async get(type, ids) {
      const out: Record<string, any> = {};
      for (const id of ids) {
        const raw = data.get(`${type}:${id}`);
        if (raw === undefined) continue;
        const value = JSON.parse(raw as string, BufferJSON.reviver);
        out[id] = type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(value) : value;
      }
      return out;
    },
    async set(update) {
      for (const [type, values] of Object.entries(update)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          if (value == null) data.delete(`${type}:${id}`);
          else data.set(`${type}:${id}`, JSON.stringify(value, BufferJSON.replacer));
        }
      }
    }
  };
}

export type EventName = keyof BaileysEventMap;

export class RawClient extends EventEmitter {
  creds: AuthenticationCreds = initAuthCreds();
  readonly keys = addTransactionCapability(memoryKeys(), logger, { maxCommitRetries: 3, delayBetweenTriesMs: 10 });
  sock: WASocket | undefined;
  readonly events: { event: EventName; data: any; at: number }[] = [];
  lastDisconnect: number | undefined;
  /** the last `connection` state the socket reported */
  connection: 'connecting' | 'open' | 'close' | undefined;
  private stopped = false;

  constructor(
    private readonly wsUrl: string,
    private readonly options: RawClientOptions = {}
  ) {
    super();
  }

  start(): WASocket {
    this.stopped = false;
    const sock = makeWASocket({
      waWebSocketUrl: this.wsUrl,
      auth: { creds: this.creds, keys: this.keys as any },
      logger: logger as any,
      printQRInTerminal: false,
      markOnlineOnConnect: false,
      defaultQueryTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      fireInitQueries: true,
      syncFullHistory: false,
      ...(this.options.mediaCaPem ? { fetchAgent: mediaUploadAgent(this.options.mediaCaPem) } : {}),
      ...(this.options.cachedGroupMetadata ? { cachedGroupMetadata: this.options.cachedGroupMetadata } : {}),
      ...(this.options.keepReceivedMessages !== undefined ? { keepReceivedMessages: this.options.keepReceivedMessages } : {})
    });
    this.sock = sock;
    sock.ev.process(async (events) => {
      if (events['creds.update']) Object.assign(this.creds, events['creds.update']);
      for (const [event, data] of Object.entries(events)) {
        this.events.push({ event: event as EventName, data, at: Date.now() });
        this.emit(event, data);
      }
      const update = events['connection.update'];
      if (update?.connection) this.connection = update.connection;
      if (update?.connection === 'close') {
        const code = (update.lastDisconnect?.error as any)?.output?.statusCode;
        this.lastDisconnect = code;
        const restart = code === DisconnectReason.restartRequired ? this.options.restartOn515 !== false : this.options.reconnect && code !== DisconnectReason.loggedOut;
        if (restart && !this.stopped) this.start();
      }
    });
    return sock;
  }

  /** Resolves with the first event payload (already seen or upcoming) that matches. */
  waitFor<E extends EventName>(event: E, match: (data: BaileysEventMap[E]) => boolean = () => true, timeoutMs = 15_000): Promise<BaileysEventMap[E]> {
    const seen = this.events.find((e) => e.event === event && match(e.data));
    if (seen) return Promise.resolve(seen.data);
    return this.next(event, match, timeoutMs);
  }

  /** Resolves with the next matching event payload, ignoring those already seen. */
  next<E extends EventName>(event: E, match: (data: BaileysEventMap[E]) => boolean = () => true, timeoutMs = 15_000): Promise<BaileysEventMap[E]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(event, listener);
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      const listener = (data: BaileysEventMap[E]) => {
        if (!match(data)) return;
        clearTimeout(timer);
        this.off(event, listener);
        resolve(data);
      };
      this.on(event, listener);
    });
  }

  /**
   * Resolves once the message reaches `status` (proto.WebMessageInfo.Status): from `messages.update`, or from
   * the upsert itself when Baileys' event buffer merged the update into it.
   */
  waitForStatus(id: string, status: number, timeoutMs?: number): Promise<void> {
    const reached = (s: unknown) => typeof s === 'number' && s >= status;
    return this.poll(
      ({ event, data }) =>
        (event === 'messages.update' && data.some((u: any) => u.key.id === id && reached(u.update.status))) ||
        (event === 'messages.upsert' && data.messages.some((m: any) => m.key.id === id && reached(m.status))),
      `message ${id} to reach status ${status}`,
      timeoutMs
    );
  }

  /** Resolves once a group receipt from `userJid` arrived: `message-receipt.update`, or merged into the upsert. */
  waitForUserReceipt(id: string, userJid: string, timeoutMs?: number): Promise<void> {
    return this.poll(
      ({ event, data }) =>
        (event === 'message-receipt.update' && data.some((u: any) => u.key.id === id && u.receipt.userJid === userJid)) ||
        (event === 'messages.upsert' && data.messages.some((m: any) => m.key.id === id && m.userReceipt?.some((r: any) => r.userJid === userJid))),
      `a receipt from ${userJid} for ${id}`,
      timeoutMs
    );
  }

  private async poll(matches: (event: { event: EventName; data: any }) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some(matches)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  waitForQr(): Promise<string> {
    return this.waitFor('connection.update', (u) => !!u.qr).then((u) => u.qr!);
  }

  waitForOpen(timeoutMs?: number): Promise<unknown> {
    return this.waitFor('connection.update', (u) => u.connection === 'open', timeoutMs);
  }

  stop(): void {
    this.stopped = true;
    this.sock?.end(undefined);
  }
}
