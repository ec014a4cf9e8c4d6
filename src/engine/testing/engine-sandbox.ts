// Test support: an in-process sandbox network for engine sessions (each session trusts its root key through
// `network.trustRootHex`, exactly as production config would), its control API, and a probe that records a
// session's events and waits for the ones a test expects.
import pino from 'pino';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { createBaileysEngine } from '../baileys/index.js';
import type { EngineOptions } from '../options.js';
import type { EngineSession, EngineSessionConfig } from '../port.js';
import type { EngineEventMap } from '../types.js';
import { MemoryAuthStore } from './memory-auth-store.js';
import { testLogger } from './test-logger.js';

/** Fast timeouts for a local network; tests override what they exercise. */
export const TEST_OPTIONS: Partial<EngineOptions> = {
  reconnectBaseMs: 200,
  reconnectMaxMs: 2_000,
  connectTimeoutMs: 5_000,
  queryTimeoutMs: 5_000,
  commandTimeoutMs: 5_000
};

export type ConsumerHooks = Pick<EngineSessionConfig, 'durable' | 'storedMessage'>;

export interface ControlAnswer<T> {
  status: number;
  body: T;
}

const engine = createBaileysEngine(testLogger);

export class EngineSandbox {
  private constructor(readonly sandbox: RunningSandbox) {}

  static async start(): Promise<EngineSandbox> {
    return new EngineSandbox(await startSandbox({ logger: pino({ level: process.env.SANDBOX_LOG_LEVEL ?? 'silent' }) }));
  }

  /** `consumer`: the consumer's store as the session sees it (`durable` before acks, `storedMessage` lookups). */
  session(store = new MemoryAuthStore(), options: Partial<EngineOptions> = {}, sessionId = 'test', consumer: ConsumerHooks = {}): EngineSession {
    return engine.createSession({
      sessionId,
      authStore: store,
      network: { wsUrl: this.sandbox.wsUrl, trustRootHex: this.sandbox.rootPublicKey, mediaCaPem: this.sandbox.mediaCaPem },
      logger: testLogger,
      options: { ...TEST_OPTIONS, ...options },
      ...consumer
    });
  }

  async control<T = any>(method: string, path: string, body?: unknown): Promise<ControlAnswer<T>> {
    const response = await fetch(`${this.sandbox.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Like control(), but fails the test on any non-2xx answer. */
  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.control<T>(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async account(phone: string, name = `User ${phone.slice(-4)}`): Promise<{ jid: string; lid: string }> {
    const created = await this.control<{ jid: string; lid: string }>('POST', '/sandbox/v1/accounts', { phone, name });
    if (created.status === 201) return created.body;
    return this.ok('GET', `/sandbox/v1/accounts/${phone}`);
  }

  /** Creates the account if needed, starts the session and links it by QR; resolves when it is WORKING. */
  async linked(
    phone: string,
    store = new MemoryAuthStore(),
    options: Partial<EngineOptions> = {},
    consumer: ConsumerHooks = {}
  ): Promise<{ session: EngineSession; probe: SessionProbe; store: MemoryAuthStore }> {
    await this.account(phone);
    const session = this.session(store, options, `s-${phone}`, consumer);
    const probe = new SessionProbe(session);
    await session.start();
    const { qr } = await probe.waitFor('qr');
    await this.ok('POST', `/sandbox/v1/accounts/${phone}/link`, { qr });
    await probe.status('WORKING');
    return { session, probe, store };
  }

  stop(): Promise<void> {
    return this.sandbox.stop();
  }
}

type Recorded = { [K in keyof EngineEventMap]: { event: K; payload: EngineEventMap[K] } }[keyof EngineEventMap];

export class SessionProbe {
  readonly seen: Recorded[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(session: EngineSession) {
    const events: (keyof EngineEventMap)[] = [
      'status',
      'qr',
      'pairing_code',
      'message',
      'message_edit',
      'message_revoke',
      'message_reaction',
      'poll_vote',
      'call',
      'message_status',
      'group_update',
      'group_participants',
      'group_join_request',
      'presence'
    ];
    for (const event of events) {
      session.events.on(event, (payload) => {
        this.seen.push({ event, payload } as Recorded);
        for (const wake of [...this.waiters]) wake();
      });
    }
  }

  /** Position to pass as `from`, to wait only for events recorded after now. */
  mark(): number {
    return this.seen.length;
  }

  all<K extends keyof EngineEventMap>(event: K, from = 0): EngineEventMap[K][] {
    return this.seen.slice(from).flatMap((r) => (r.event === event ? [r.payload as EngineEventMap[K]] : []));
  }

  /** The first matching event recorded at or after `from`, waiting for it if needed. */
  waitFor<K extends keyof EngineEventMap>(event: K, match: (payload: EngineEventMap[K]) => boolean = () => true, { from = 0, timeoutMs = 15_000 } = {}): Promise<EngineEventMap[K]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.all(event, from).find(match);
        if (found === undefined) return false;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(event)}; seen: ${JSON.stringify(this.seen.map((r) => r.event === 'status' ? r.payload : r.event))}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(wake);
    });
  }

  status<S extends EngineEventMap['status']['status']>(status: S, options: { from?: number; timeoutMs?: number } = {}): Promise<Extract<EngineEventMap['status'], { status: S }>> {
    return this.waitFor('status', (s) => s.status === status, options) as Promise<Extract<EngineEventMap['status'], { status: S }>>;
  }
}
