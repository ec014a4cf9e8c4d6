// One session's connection state machine over Baileys sockets: one connection attempt at a time (lifecycle
// operations run one after another), the old socket torn down before a new one opens, the reconnect policy
// (disconnect-policy.ts), QR and pairing-code linking, and the serial processing of each socket's events
// with credentials persisted before anything else. Commands live in their own modules.
import type { BaileysEventMap, ConnectionState, GroupMetadata as BaileysGroupMetadata, WASocket } from 'baileys';
import { EngineInvalidArgumentError, EngineNotConnectedError, EngineStateError } from '../errors.js';
import { backoffDelay, resolveEngineOptions, type EngineOptions } from '../options.js';
import type { AuthStateStore, EngineLogger, EngineNetwork, EngineSession, EngineSessionConfig, ContactCommands, GroupCommands, MessageCommands } from '../port.js';
import type { ProfileCommands } from '../profile.js';
import { TypedEmitter, type EventSource } from '../typed-emitter.js';
import type { Disconnect, EngineEventMap, Me, SessionStatus, StatusChange } from '../types.js';
import { SessionAuth } from './auth-state.js';
import { BoundedMap } from '../../lib/bounded-map.js';
import { RecentMessages } from './recent-messages.js';
import type { CommandContext, SocketCall } from './command-context.js';
import { makeContactCommands } from './contacts.js';
import { makeChatCommands } from './chats.js';
import type { ChatCommands } from '../chats.js';
import { makeProfileCommands } from './profile.js';
import { classifyDisconnect, describeDisconnect } from './disconnect-policy.js';
import { EventMapper } from './events.js';
import { makeGroupCommands } from './groups.js';
import { GroupLids } from './group-lids.js';
import { IdentityLearning } from './identity-learning.js';
import { JidResolver } from './jid-resolver.js';
import { bareJid } from './jids.js';
import { mediaTrustFor, type MediaTrust } from './media-trust.js';
import { messageLookup, type MessageLookup } from './message-lookup.js';
import { makeMessageCommands } from './messages.js';
import { waitForPairingCode } from './pairing-waiter.js';
import { remoteCall } from './remote-call.js';
import { createSocket, endSocket } from './socket-factory.js';

interface Connection {
  readonly sock: WASocket;
  readonly generation: number;
  readonly auth: SessionAuth;
  unsubscribe: () => void;
  qrCount: number;
  pairingRequested: boolean;
}

// WhatsApp's QR lifetimes when no qrTimeoutMs is configured: the first code lives longer than the next ones.
const FIRST_QR_MS = 60_000;
const NEXT_QR_MS = 20_000;
const SETTLED = new Set<SessionStatus>(['STOPPED', 'LOGGED_OUT', 'FAILED']);

export class BaileysSession implements EngineSession {
  readonly sessionId: string;
  readonly events: EventSource<EngineEventMap>;
  readonly messages: MessageCommands;
  readonly contacts: ContactCommands;
  readonly groups: GroupCommands;
  readonly chats: ChatCommands;
  readonly profile: ProfileCommands;
  private readonly emitter: TypedEmitter<EngineEventMap>;
  private readonly options: EngineOptions;
  private readonly logger: EngineLogger;
  private readonly store: AuthStateStore;
  private readonly network: EngineNetwork;
  private readonly groupMetadata: BoundedMap<string, BaileysGroupMetadata>;
  private readonly recentMessages: RecentMessages;
  private readonly findMessage: MessageLookup;
  private readonly media: MediaTrust;
  private readonly commands: CommandContext;
  private readonly mapper: EventMapper;
  private current: SessionStatus = 'STOPPED';
  private auth: SessionAuth | null = null;
  private connection: Connection | null = null;
  private generation = 0;
  private running = false;
  private attempts = 0;
  private qrCycles = 0;
  private pairingPhone: string | null = null;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private eventQueue: Promise<void> = Promise.resolve();
  /** a batch of the current connection failed: none of its stanzas may be acknowledged (reset per connection) */
  private handleFailure: unknown = undefined;
  private readonly durable: () => Promise<void>;

  constructor(config: EngineSessionConfig) {
    this.sessionId = config.sessionId;
    this.store = config.authStore;
    this.network = config.network ?? {};
    this.durable = config.durable ?? (() => Promise.resolve());
    this.options = resolveEngineOptions(config.options);
    this.logger = config.logger.child({ sessionId: config.sessionId });
    this.emitter = new TypedEmitter((event, error) => this.logger.error({ err: error, event }, 'engine event listener failed'));
    this.events = this.emitter;
    this.groupMetadata = new BoundedMap(this.options.groupMetadataLimit);
    this.recentMessages = new RecentMessages(this.options.recentMessageLimit);
    this.media = mediaTrustFor(this.network.mediaCaPem);
    const lidMapping = () => this.connection?.sock.signalRepository.lidMapping;
    const learning = new IdentityLearning(lidMapping, (mappings) => this.emitter.emit('identity_mapping', { mappings }), this.logger);
    const groups = new GroupLids(this.groupMetadata, () => this.connection?.sock, learning, this.logger);
    const resolver = new JidResolver({ lidMapping, logger: this.logger, groups, learning });
    this.findMessage = messageLookup({ storedMessage: config.storedMessage, recentMessages: this.recentMessages, resolver, logger: this.logger });
    this.commands = {
      call: (operation, call) => this.call(operation, call),
      resolver,
      me: () => this.me,
      logger: this.logger,
      groupMetadata: this.groupMetadata,
      recentMessages: this.recentMessages,
      media: this.media
    };
    this.messages = makeMessageCommands(this.commands);
    this.contacts = makeContactCommands(this.commands);
    this.groups = makeGroupCommands(this.commands);
    this.chats = makeChatCommands(this.commands);
    this.profile = makeProfileCommands(this.commands);
    this.mapper = new EventMapper({
      emitter: this.emitter,
      resolver,
      me: () => this.me,
      groupMetadata: this.groupMetadata,
      recentMessages: this.recentMessages,
      findMessage: this.findMessage,
      logger: this.logger
    });
  }

  get status(): SessionStatus {
    return this.current;
  }

  // Baileys' `sock.user` is a stale copy; the creds object is the one Baileys keeps up to date.
  get me(): Me | null {
    const me = this.auth?.linked ? this.auth.creds.me : undefined;
    return me ? { id: bareJid(me.id), lid: me.lid ? bareJid(me.lid) : null, name: me.name ?? null } : null;
  }

  start(): Promise<void> {
    return this.exclusive(async () => {
      if (this.running) return;
      await this.loadAuth();
      await this.begin();
    });
  }

  stop(): Promise<void> {
    return this.exclusive(async () => {
      this.halt();
      await this.closeConnection();
      // A session that ended by itself (logged out, failed) keeps saying why.
      if (!SETTLED.has(this.current)) this.setStatus({ status: 'STOPPED' });
    });
  }

  logout(): Promise<void> {
    return this.exclusive(async () => {
      const connection = this.connection;
      const working = this.current === 'WORKING';
      this.halt();
      if (connection && working) {
        this.detach(connection);
        try {
          await remoteCall('logout', this.options.commandTimeoutMs, () => connection.sock.logout());
        } catch (error) {
          this.logger.warn({ err: error }, 'could not unlink at WhatsApp; purging the auth state anyway');
        }
        await endSocket(connection.sock, this.logger);
      } else {
        await this.closeConnection();
      }
      try {
        await this.resetAuth();
      } finally {
        this.setStatus({ status: 'LOGGED_OUT', reason: 'logout' });
      }
    });
  }

  async requestPairingCode(phone: string): Promise<string> {
    const digits = phone.replace(/\D/g, '');
    if (!/^\d{6,15}$/.test(digits)) throw new EngineInvalidArgumentError('phone', 'must be an international phone number (6 to 15 digits, country code first)');
    const wait = waitForPairingCode(this.events, digits, this.options.connectTimeoutMs + this.options.commandTimeoutMs);
    try {
      await this.exclusive(async () => {
        if (!this.running) await this.loadAuth();
        if (this.auth!.linked) throw new EngineStateError(this.current, 'the session is already linked; log out before linking another phone');
        this.pairingPhone = digits;
        const connection = this.connection;
        if (!this.running) await this.begin();
        // A code can be requested once per registration socket; a second one needs a fresh socket.
        else if (connection?.pairingRequested) await this.connect();
        else if (connection && connection.qrCount > 0) this.requestCode(connection, digits);
      });
    } catch (error) {
      wait.cancel();
      throw error;
    }
    return wait.code;
  }

  private call<T>(operation: string, call: SocketCall<T>): Promise<T> {
    const connection = this.connection;
    if (this.current !== 'WORKING' || !connection) return Promise.reject(new EngineNotConnectedError(this.current));
    return remoteCall(operation, this.options.commandTimeoutMs, (over) => call(connection.sock, over));
  }

  /** Runs lifecycle operations one at a time, in call order. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(operation, operation);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private background(what: string, operation: () => Promise<void>): void {
    this.exclusive(operation).catch((error: unknown) => this.logger.error({ err: error }, `${what} failed`));
  }

  private async loadAuth(): Promise<void> {
    try {
      this.auth = await SessionAuth.load(this.store, this.logger);
    } catch (error) {
      this.setStatus({ status: 'FAILED', reason: `could not load the auth state: ${error instanceof Error ? error.message : String(error)}` });
      throw error;
    }
  }

  private async begin(): Promise<void> {
    this.running = true;
    this.attempts = 0;
    this.qrCycles = 0;
    this.setStatus({ status: 'STARTING' });
    await this.connect();
  }

  private halt(): void {
    this.running = false;
    this.pairingPhone = null;
    clearTimeout(this.reconnectTimer);
  }

  private async connect(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    await this.closeConnection();
    if (!this.running) return;
    try {
      // Creds left by an unfinished pairing-code registration would make WhatsApp refuse the login (401).
      if (!this.auth || this.auth.halfRegistered) await this.resetAuth();
      await this.auth!.flush();
      this.open(this.auth!);
    } catch (error) {
      this.logger.error({ err: error }, 'could not open a connection to WhatsApp');
      this.retry({ code: 0, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private open(auth: SessionAuth): void {
    const sock = createSocket({
      auth,
      network: this.network,
      options: this.options,
      logger: this.logger,
      groupMetadata: this.groupMetadata,
      findMessage: this.findMessage,
      uploadAgent: this.media.uploadAgent,
      beforeAck: () => this.settle(connection)
    });
    const connection: Connection = { sock, generation: ++this.generation, auth, unsubscribe: () => undefined, qrCount: 0, pairingRequested: false };
    this.handleFailure = undefined;
    connection.unsubscribe = sock.ev.process((events) => this.enqueue(connection, events));
    this.connection = connection;
  }

  private detach(connection: Connection): void {
    connection.unsubscribe();
    if (this.connection === connection) this.connection = null;
  }

  private async closeConnection(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.detach(connection);
    await endSocket(connection.sock, this.logger);
  }

  private async resetAuth(): Promise<void> {
    await (this.auth ? this.auth.purge() : this.store.purge());
    this.auth = SessionAuth.fresh(this.store, this.logger);
  }

  // Baileys does not await its event handlers: queue them so that each batch is handled after the previous one.
  private enqueue(connection: Connection, events: Partial<BaileysEventMap>): void {
    this.eventQueue = this.eventQueue
      .then(() => this.handle(connection, events))
      .catch((error: unknown) => {
        this.handleFailure ??= error;
        this.logger.error({ err: error }, 'could not handle WhatsApp events');
      });
  }

  /**
   * Baileys' `beforeAck`: every batch emitted so far is handled by this connection and stored by the consumer.
   * A batch of a replaced connection was dropped unhandled, so its stanza must not be acknowledged either.
   */
  private async settle(connection: Connection): Promise<void> {
    await this.eventQueue;
    if (this.handleFailure !== undefined) throw this.handleFailure;
    if (connection !== this.connection) throw new EngineStateError(this.current, 'the connection was replaced before its events were stored');
    await this.durable();
  }

  private async handle(connection: Connection, events: Partial<BaileysEventMap>): Promise<void> {
    // First, so that the restart which follows pairing (515) logs in with the stored creds.
    if (events['creds.update']) await connection.auth.persistCreds();
    if (connection !== this.connection) return;
    const update = events['connection.update'];
    if (update) this.onConnectionUpdate(connection, update);
    await this.mapper.dispatch(events);
  }

  private onConnectionUpdate(connection: Connection, update: Partial<ConnectionState>): void {
    if (update.qr) this.onQr(connection, update.qr);
    if (update.connection === 'open') {
      this.attempts = 0;
      this.qrCycles = 0;
      this.pairingPhone = null;
      this.setStatus({ status: 'WORKING', me: this.me! });
    }
    if (update.connection === 'close') {
      this.detach(connection);
      const error = update.lastDisconnect?.error;
      this.background('handling a disconnect', () => this.afterClose(connection, error));
    }
  }

  private onQr(connection: Connection, qr: string): void {
    connection.qrCount += 1;
    const expiresInMs = this.options.qrTimeoutMs ?? (connection.qrCount === 1 ? FIRST_QR_MS : NEXT_QR_MS);
    this.setStatus({ status: 'SCAN_QR_CODE', qr, expiresInMs });
    this.emitter.emit('qr', { qr, expiresInMs });
    if (this.pairingPhone && !connection.pairingRequested) this.requestCode(connection, this.pairingPhone);
  }

  private requestCode(connection: Connection, phone: string): void {
    connection.pairingRequested = true;
    remoteCall('requestPairingCode', this.options.commandTimeoutMs, () => connection.sock.requestPairingCode(phone))
      .then((code) => {
        if (connection === this.connection) this.emitter.emit('pairing_code', { phone, code });
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not request a pairing code'));
  }

  private async afterClose(connection: Connection, error: Error | undefined): Promise<void> {
    if (!this.running || connection.generation !== this.generation) return;
    const disconnect = describeDisconnect(error);
    const verdict = classifyDisconnect(error, { linked: connection.auth.linked, showedQr: connection.qrCount > 0 });
    this.logger.info({ disconnect, action: verdict.action }, 'connection to WhatsApp closed');
    switch (verdict.action) {
      case 'restart':
        this.setStatus({ status: 'STARTING' });
        return this.connect();
      case 'new-qr':
        if (++this.qrCycles >= this.options.maxQrCycles) return this.fail('qr timeout', disconnect);
        return this.connect();
      case 'logged-out':
        this.halt();
        try {
          await this.resetAuth();
        } finally {
          this.setStatus({ status: 'LOGGED_OUT', reason: verdict.reason });
        }
        return;
      case 'fail':
        return this.fail(verdict.reason, disconnect);
      case 'retry':
        return this.retry(disconnect);
    }
  }

  private retry(disconnect: Disconnect): void {
    this.attempts += 1;
    if (this.attempts > this.options.reconnectMaxAttempts) return this.fail('reconnect attempts exhausted', disconnect);
    const delayMs = backoffDelay(this.attempts, this.options.reconnectBaseMs, this.options.reconnectMaxMs);
    this.setStatus({ status: 'RECONNECTING', attempt: this.attempts, delayMs, disconnect });
    this.reconnectTimer = setTimeout(() => this.background('reconnecting', () => this.connect()), delayMs);
  }

  private fail(reason: string, disconnect: Disconnect): void {
    this.halt();
    this.setStatus({ status: 'FAILED', reason, disconnect });
  }

  private setStatus(change: StatusChange): void {
    this.current = change.status;
    this.logger.info({ status: change.status, ...('reason' in change ? { reason: change.reason } : {}) }, 'session status');
    this.emitter.emit('status', change);
  }
}
