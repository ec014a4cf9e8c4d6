// The compiled gateway (dist/main.js, built by `npm run bench`) as its own process, as users run it, wired to
// a sandbox process; with the API calls a messaging benchmark needs: link sessions by QR, point their webhooks
// at a receiver, send texts, read metrics.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isConnectionFailure, okJson, requestJson, type Answer } from './http-json.js';
import { startJsonChild, stopChild, type Launch } from './processes.js';
import { pollUntil } from './wall-clock.js';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const LINK_BATCH = 10;

export interface SandboxEndpoints {
  wsUrl: string;
  controlUrl: string;
  rootPublicKey: string;
}

export type SendMode = 'sync' | 'async' | 'sync-or-queued';

export interface LinkedSession {
  sessionId: string;
  /** the session's own number (the sandbox account it is linked to) */
  phone: string;
}

/**
 * Full garbage collections in a gateway started with gc-on-signal.mjs, a second apart for `seconds`: V8 gives
 * the heap pages it freed back in steps over several collections, so after a burst one GC leaves the resident
 * memory tens of MiB above what the process keeps in its steady state.
 */
export async function settleGarbage(child: ChildProcess, seconds = 10): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    child.kill('SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The compiled gateway started as `npm start` starts it (bin/waygate, with its allocator setting): --expose-gc and
 * the hook settleGarbage signals in NODE_OPTIONS, and BENCH_GATEWAY_NODE_ARGS, more flags for the gateway process
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses), through the launcher's WAYGATE_NODE_ARGS.
 */
export function gatewayLaunch(): Required<Launch> {
  const gcHook = fileURLToPath(new URL('./gc-on-signal.mjs', import.meta.url));
  return {
    command: 'bin/waygate',
    args: ['start'],
    env: { NODE_OPTIONS: `--expose-gc --import=${gcHook}`, WAYGATE_NODE_ARGS: process.env.BENCH_GATEWAY_NODE_ARGS ?? '' }
  };
}

export class BenchGateway {
  /** sends that failed on the connection and went again with their Idempotency-Key */
  resends = 0;
  /** `sync-or-queued` sends answered queued (no ack within the gateway's send timeout) */
  queuedAnswers = 0;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string
  ) {}

  static async start(sandbox: SandboxEndpoints, databaseEnv: Record<string, string>): Promise<BenchGateway> {
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WAYGATE_ADMIN_KEY: ADMIN_KEY,
      WAYGATE_NETWORK: 'sandbox',
      WA_WS_URL: sandbox.wsUrl,
      WA_TRUST_ROOT: sandbox.rootPublicKey,
      // The webhook receiver is this bench on loopback, which the gateway refuses by default.
      WAYGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
      ...databaseEnv
    };
    const launch = gatewayLaunch();
    const { child, line } = await startJsonChild({ ...launch, env: { ...env, ...launch.env } }, (l) => l.msg === 'listening', 'the gateway');
    return new BenchGateway(child, line.url);
  }

  /** The gateway's memory brought to its steady state (see settleGarbage). */
  collectGarbage(): Promise<void> {
    return settleGarbage(this.child);
  }

  /** The admin API key the gateway was started with (the `x-warest-api-key` header). */
  get adminKey(): string {
    return ADMIN_KEY;
  }

  get pid(): number {
    return this.child.pid!;
  }

  api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return requestJson(`${this.url}${path}`, method, body, { 'x-warest-api-key': ADMIN_KEY, ...headers });
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.api(method, path, body);
    if (answer.status >= 300) throw new Error(`gateway ${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Creates an account per session in the sandbox and links each by QR; resolves once all are WORKING. */
  async link(controlUrl: string, sessions: LinkedSession[]): Promise<void> {
    const linkOne = async ({ sessionId, phone }: LinkedSession) => {
      await okJson(`${controlUrl}/sandbox/v1/accounts`, 'POST', { phone, name: `Bench ${phone}` });
      const created = await this.ok('GET', `/api/v1/session/create?sessionId=${sessionId}`);
      await okJson(`${controlUrl}/sandbox/v1/accounts/${phone}/link`, 'POST', { qr: created.results[0].qrString });
    };
    for (let i = 0; i < sessions.length; i += LINK_BATCH) await Promise.all(sessions.slice(i, i + LINK_BATCH).map(linkOne));
    await this.waitForWorking(sessions.length);
  }

  /** Points the sessions' webhooks (every event) at `url`; events stored before are not delivered to it. */
  async setWebhook(sessionIds: string[], url: string): Promise<void> {
    for (const sessionId of sessionIds) await this.ok('POST', `/api/v1/session/${sessionId}/config`, { webhookUrl: url, webhookSecret: 'bench-webhook-secret-0123456789' });
  }

  private async waitForWorking(count: number): Promise<void> {
    let working = 0;
    await pollUntil(
      async () => {
        const list = await this.ok('GET', '/api/v1/session/list');
        working = list.results[0].items.filter((s: { status: string }) => s.status === 'WORKING').length;
        return working >= count ? true : undefined;
      },
      { what: `${count} sessions WORKING`, timeoutMs: 120_000, intervalMs: 250, progress: () => `${working} are` }
    );
  }

  /**
   * A text through the API; resolves with its message id once the answer confirms it: `sync` waits for the answer
   * at WhatsApp's ack and requires `sent`; `async` is answered 202 `queued` at once; `sync-or-queued` waits like
   * `sync` but also takes the 202 `queued` the gateway answers when the ack is later than its send timeout (the
   * message still goes out: the caller checks the phones).
   * A request that fails on the connection (or has no answer within its deadline) goes once more with the same
   * Idempotency-Key, as a careful client does: a reused keep-alive connection the server is closing just then resets
   * (ECONNRESET), and the gateway answers a repeated key as it answered (or is answering) the first request, sending
   * nothing twice. Counted in `resends`, and said on stderr.
   */
  async sendText(sessionId: string, to: string, message: string, mode: SendMode): Promise<string> {
    const async = mode === 'async';
    const path = `/api/v1/messages/send/text${async ? '?async=true' : ''}`;
    const body = { sessionId, to, message };
    const key = { 'idempotency-key': randomUUID() };
    let retried = false;
    const answer = await this.api('POST', path, body, key).catch((error: unknown) => {
      if (!isConnectionFailure(error)) throw error;
      process.stderr.write(`[bench] ${new Date().toISOString()} send/text from ${sessionId}: ${(error as Error).message}; asking again with its Idempotency-Key\n`);
      retried = true;
      this.resends += 1;
      return this.api('POST', path, body, key);
    });
    const result = answer.body?.results?.[0];
    // A retry that meets the first request still waiting for its ack is answered "queued": it will be sent.
    const queued = answer.status === 202 && result?.state === 'queued';
    const queuedTakes = mode === 'sync-or-queued' || retried;
    const confirmed = async ? answer.status === 202 && result?.state !== 'failed' : (answer.status === 200 && result?.state === 'sent') || (queued && queuedTakes);
    if (!async && queued && queuedTakes) this.queuedAnswers += 1;
    if (!confirmed || !result?.messageId) {
      throw new Error(`send/text ${async ? '(async) ' : ''}from ${sessionId} to ${to} → ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return result.messageId;
  }

  /** A gauge from /metrics (prom-client's default process metrics), labels included: `name{label="value"}`. */
  async metric(name: string): Promise<number> {
    const response = await fetch(`${this.url}/metrics`, { headers: { 'x-warest-api-key': ADMIN_KEY }, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    const value = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1];
    if (value === undefined) throw new Error(`/metrics has no ${name} (${response.status})`);
    return Number(value);
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
