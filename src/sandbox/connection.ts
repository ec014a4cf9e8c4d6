// One client WebSocket: Noise handshake, then either registration (pairing) or login, then stanzas in strict
// order through the router. Owns framing, encryption, outbound IQ replies and stream errors for that socket.
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from 'baileys';
import type { WebSocket } from 'ws';
import type { proto } from 'baileys';
import { FrameReader } from './wire/frame-reader.js';
import { NoiseResponder, type NoiseTransport } from './wire/noise-responder.js';
import type { SandboxNetwork } from './network.js';
import type { Companion } from './world/accounts.js';
import { node } from './stanza.js';

type Phase = 'hello' | 'finish' | 'registering' | 'ready' | 'closed';

const OUTBOUND_IQ_TIMEOUT_MS = 20_000;
/** stanza kinds a client answers with `<ack>` or `<receipt>`; others (presence, chatstate) are fire-and-forget */
const ACKNOWLEDGED_TAGS = new Set(['message', 'notification', 'receipt', 'call']);

export interface Registration {
  payload: proto.ClientPayload;
  refs: string[];
}

export class SandboxConnection {
  private phase: Phase = 'hello';
  private readonly reader = new FrameReader();
  private readonly responder: NoiseResponder;
  private transport: NoiseTransport | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly pendingIqs = new Map<string, (reply: BinaryNode) => void>();
  /** delivered stanzas the client has not acknowledged yet (by id); re-queued if the socket dies */
  private readonly unacked = new Map<string, BinaryNode>();
  clientStaticPub: Buffer | undefined;
  registration: Registration | undefined;
  companion: Companion | undefined;
  /** the device address used in `from` attributes and the recorder, known after login */
  label = 'unidentified';

  constructor(
    private readonly ws: WebSocket,
    private readonly network: SandboxNetwork
  ) {
    this.responder = new NoiseResponder(network.serverStaticKey, network.authority);
    ws.on('message', (data: Buffer) => {
      // Frames are handled strictly one after another, in arrival order.
      this.queue = this.queue.then(() => this.onBytes(data)).catch((error) => this.abort(error));
    });
    ws.on('close', () => this.onClosed());
    ws.on('error', () => this.onClosed());
  }

  get isOpen(): boolean {
    return this.phase !== 'closed';
  }

  private async onBytes(data: Buffer): Promise<void> {
    if (this.phase === 'closed') return;
    for (const frame of this.reader.push(data)) {
      if ((this.phase as Phase) === 'closed') return;
      await this.onFrame(frame);
    }
  }

  private async onFrame(frame: Buffer): Promise<void> {
    switch (this.phase) {
      case 'hello':
        this.sendRaw(this.responder.respondToHello(frame));
        this.phase = 'finish';
        return;
      case 'finish': {
        const { clientStaticPub, payload, transport } = this.responder.finish(frame);
        this.clientStaticPub = clientStaticPub;
        this.transport = transport;
        // Baileys switches its cipher after sending clientFinish; give it a macrotask before the first frame.
        await new Promise((resolve) => setImmediate(resolve));
        if (payload.devicePairingData) {
          this.phase = 'registering';
          this.network.beginRegistration(this, payload);
        } else {
          await this.network.login(this, payload);
        }
        return;
      }
      default: {
        const stanza = await decodeBinaryNode(this.transport!.decrypt(frame));
        this.network.recorder.record(this.label, 'in', stanza);
        const id = stanza.attrs.id;
        const waiter = stanza.tag === 'iq' && id ? this.pendingIqs.get(id) : undefined;
        if (waiter && (stanza.attrs.type === 'result' || stanza.attrs.type === 'error')) {
          this.pendingIqs.delete(id!);
          waiter(stanza);
          return;
        }
        await this.network.dispatch(this, stanza);
      }
    }
  }

  markReady(companion: Companion): void {
    this.companion = companion;
    this.label = companion.account.pnDevice(companion.id);
    this.phase = 'ready';
  }

  private sendRaw(payload: Uint8Array): void {
    const frame = Buffer.alloc(3 + payload.length);
    frame.writeUIntBE(payload.length, 0, 3);
    frame.set(payload, 3);
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }

  send(stanza: BinaryNode): void {
    if (this.phase === 'closed' || !this.transport) return;
    this.network.recorder.record(this.label, 'out', stanza);
    this.sendRaw(this.transport.encrypt(encodeBinaryNode(stanza)));
  }

  /** Sends a stanza that the client must acknowledge (message, notification, receipt); kept until it does. */
  sendTracked(stanza: BinaryNode): boolean {
    if (this.phase !== 'ready' || this.ws.readyState !== this.ws.OPEN) return false;
    const id = stanza.attrs.id;
    if (id && ACKNOWLEDGED_TAGS.has(stanza.tag)) this.unacked.set(id, stanza);
    this.send(stanza);
    return true;
  }

  /** The client acknowledged these ids (`<ack id>`, `<receipt id>` and its `<list><item id>`). */
  acknowledge(ids: string[]): void {
    for (const id of ids) this.unacked.delete(id);
  }

  /** Unacknowledged stanzas, oldest first, handed back when the connection ends. */
  takeUnacknowledged(): BinaryNode[] {
    const pending = [...this.unacked.values()];
    this.unacked.clear();
    return pending;
  }

  /** Sends an IQ to the client and resolves with its reply. */
  query(iq: BinaryNode, timeoutMs = OUTBOUND_IQ_TIMEOUT_MS): Promise<BinaryNode> {
    const id = iq.attrs.id!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingIqs.delete(id);
        reject(new Error(`client did not answer IQ ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingIqs.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.send(iq);
    });
  }

  /** `<stream:error>` then close, as WhatsApp ends a stream (515 restart, 401 removed, conflict…). */
  streamError(attrs: Record<string, string>, content?: BinaryNode[]): void {
    this.send(node('stream:error', attrs, content));
    this.close();
  }

  failure(reason: string): void {
    this.send(node('failure', { reason, location: 'sandbox' }));
    this.close();
  }

  close(): void {
    if (this.phase === 'closed') return;
    // Let the last frame flush before the socket goes away.
    setImmediate(() => this.ws.close());
    this.onClosed();
  }

  /** Drops the TCP connection without any goodbye, like a network failure. */
  drop(): void {
    this.ws.terminate();
    this.onClosed();
  }

  private abort(error: unknown): void {
    if (this.phase === 'closed') return;
    this.network.logger.warn({ device: this.label, err: error instanceof Error ? error.message : String(error) }, 'closing connection after a protocol error');
    this.ws.terminate();
    this.onClosed();
  }

  private onClosed(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    for (const [id, waiter] of this.pendingIqs) waiter(node('iq', { id, type: 'error' }, [node('error', { code: '499', text: 'closed' })]));
    this.pendingIqs.clear();
    this.network.detach(this);
  }
}
