// The sandbox network: accounts, live device connections, stanza dispatch to feature modules, and delivery
// of stanzas to devices (live now, or queued until the device's next login).
import { WebSocketServer, type WebSocket } from 'ws';
import type { BinaryNode, proto } from 'baileys';
import { SandboxConnection } from './connection.js';
import { FaultInjector } from './faults.js';
import { StanzaRecorder } from './recorder.js';
import { IqFailure, StanzaRouter, type FeatureModule, type StanzaContext } from './router.js';
import { child, childrenNamed, iqError, iqResult } from './stanza.js';
import { AccountDirectory, type Account, type Companion } from './world/accounts.js';
import { GroupDirectory } from './world/groups.js';
import type { CertificateAuthority } from './wire/certs.js';
import { generateKeyPair } from './wire/certs.js';
import { Linking } from './linking.js';
import type { SandboxLogger } from './logger.js';

export interface NetworkOptions {
  authority: CertificateAuthority;
  logger: SandboxLogger;
  modules: FeatureModule[];
  /** host:port of the sandbox media server, announced in media_conn answers */
  mediaHost?: string;
  recorderCapacity?: number;
  /** whose PN↔LID mappings a fresh device's history sync carries: the phone's known ones (default, as real phones) or every account */
  historyMappings?: 'all' | 'known';
}

export class SandboxNetwork {
  readonly accounts = new AccountDirectory();
  readonly groups = new GroupDirectory();
  readonly faults = new FaultInjector();
  readonly recorder: StanzaRecorder;
  readonly router = new StanzaRouter();
  readonly serverStaticKey = generateKeyPair();
  readonly authority: CertificateAuthority;
  readonly logger: SandboxLogger;
  readonly linking: Linking;
  mediaHost: string | undefined;
  readonly historyMappings: 'all' | 'known';
  private readonly live = new Map<string, SandboxConnection>();
  private readonly connections = new Set<SandboxConnection>();

  constructor(options: NetworkOptions) {
    this.authority = options.authority;
    this.logger = options.logger;
    this.mediaHost = options.mediaHost;
    this.historyMappings = options.historyMappings ?? 'known';
    this.recorder = new StanzaRecorder(options.recorderCapacity);
    this.linking = new Linking(this);
    for (const register of options.modules) register(this.router);
  }

  attachServer(wss: WebSocketServer): void {
    wss.on('connection', (ws: WebSocket) => this.accept(ws));
  }

  accept(ws: WebSocket): void {
    if (this.faults.refusing()) {
      ws.terminate();
      return;
    }
    this.connections.add(new SandboxConnection(ws, this));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  beginRegistration(conn: SandboxConnection, payload: proto.ClientPayload): void {
    this.linking.beginRegistration(conn, payload);
  }

  login(conn: SandboxConnection, payload: proto.ClientPayload): Promise<void> {
    return this.linking.login(conn, payload);
  }

  /** Registers a logged-in connection as the live one for its device, replacing an older socket. */
  bringOnline(conn: SandboxConnection, companion: Companion): void {
    const key = companion.account.pnDevice(companion.id);
    const previous = this.live.get(key);
    conn.markReady(companion);
    this.live.set(key, conn);
    if (previous && previous !== conn) previous.streamError({}, [{ tag: 'conflict', attrs: { type: 'replaced' } }]);
  }

  detach(conn: SandboxConnection): void {
    this.connections.delete(conn);
    this.linking.forget(conn);
    const companion = conn.companion;
    if (!companion) return;
    const key = companion.account.pnDevice(companion.id);
    if (this.live.get(key) === conn) this.live.delete(key);
    // What the client never acknowledged is not lost: it waits, first in line, for the next login.
    const unacked = conn.takeUnacknowledged().map((stanza) => ({ ...stanza, attrs: { ...stanza.attrs, offline: '1' } }));
    if (unacked.length && !companion.removed) companion.offline.unshift(...unacked);
  }

  connectionOf(companion: Companion): SandboxConnection | undefined {
    return this.live.get(companion.account.pnDevice(companion.id));
  }

  /** Sends to a companion now if it is connected, else keeps it for its next login. */
  deliver(companion: Companion, stanza: BinaryNode): void {
    if (companion.removed) return;
    const sent = this.connectionOf(companion)?.sendTracked(stanza) ?? false;
    if (!sent) companion.account.queueOffline(companion, { ...stanza, attrs: { ...stanza.attrs, offline: '1' } });
  }

  /** Delivers a stanza to every linked companion of an account (notifications, own-device copies). */
  deliverToCompanions(account: Account, build: (companion: Companion) => BinaryNode | undefined, except?: Companion): void {
    for (const companion of account.companions.values()) {
      if (companion.removed || companion === except) continue;
      const stanza = build(companion);
      if (stanza) this.deliver(companion, stanza);
    }
  }

  async dispatch(conn: SandboxConnection, stanza: BinaryNode): Promise<void> {
    const companion = conn.companion;
    if (!companion) {
      await this.linking.handleRegistrationStanza(conn, stanza);
      return;
    }
    const ctx: StanzaContext = { network: this, conn, companion, account: companion.account };
    if (stanza.tag === 'ack' || stanza.tag === 'receipt') conn.acknowledge(acknowledgedIds(stanza));
    if (stanza.tag !== 'iq') {
      const handler = this.router.findStanza(stanza.tag);
      if (handler) await handler(ctx, stanza);
      else this.logger.debug({ tag: stanza.tag, device: conn.label }, 'no handler for stanza');
      return;
    }
    if (stanza.attrs.type === 'result' || stanza.attrs.type === 'error') return;
    conn.send(await this.answerIq(ctx, stanza));
  }

  private async answerIq(ctx: StanzaContext, iq: BinaryNode): Promise<BinaryNode> {
    const fault = this.faults.takeQueryFault(StanzaRouter.iqKeys(iq));
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.error) return iqError(iq, fault.error.code, fault.error.text);
    const handler = this.router.findIq(iq);
    if (!handler) {
      this.logger.warn({ keys: StanzaRouter.iqKeys(iq), device: ctx.conn.label }, 'unsupported IQ answered with 501');
      return iqError(iq, 501, 'feature-not-implemented');
    }
    try {
      const answer = await handler(ctx, iq);
      if (!answer) return iqResult(iq);
      if (Array.isArray(answer)) return iqResult(iq, answer);
      return iqResult(iq, answer.content, answer.attrs);
    } catch (error) {
      if (error instanceof IqFailure) return iqError(iq, error.code, error.text);
      this.logger.error({ err: error, keys: StanzaRouter.iqKeys(iq) }, 'IQ handler failed');
      return iqError(iq, 500, 'internal-server-error');
    }
  }

  /** Closes every client connection (used on shutdown and by the drop fault). */
  dropAll(): void {
    for (const conn of this.connections) conn.drop();
  }
}

function acknowledgedIds(stanza: BinaryNode): string[] {
  const listed = childrenNamed(child(stanza, 'list'), 'item').map((item) => item.attrs.id ?? '');
  return [stanza.attrs.id ?? '', ...listed].filter(Boolean);
}
