// End-to-end test support: a real gateway (in this process, or as a child process for crash tests) wired to
// a real sandbox network over sockets, on SQLite or PostgreSQL (a throw-away schema), plus API helpers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];
const PG_URL = process.env.WAYGATE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A database for one test: a temp SQLite directory or a fresh PostgreSQL schema. */
export class TestDatabase {
  private constructor(
    readonly dialect: Dialect,
    readonly dataDir: string,
    readonly url: string | undefined,
    private readonly drop: () => Promise<void>
  ) {}

  static async create(dialect: Dialect): Promise<TestDatabase> {
    const dataDir = await mkdtemp(join(tmpdir(), 'waygate-e2e-'));
    if (dialect === 'sqlite') return new TestDatabase(dialect, dataDir, undefined, () => rm(dataDir, { recursive: true, force: true }));
    const schema = `wg_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return new TestDatabase(dialect, dataDir, url.toString(), async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
      await rm(dataDir, { recursive: true, force: true });
    });
  }

  dispose(): Promise<void> {
    return this.drop();
  }
}

export class TestSandbox {
  constructor(readonly sandbox: RunningSandbox) {}

  static async start(): Promise<TestSandbox> {
    return new TestSandbox(await startSandbox({ logger: pino({ level: process.env.SANDBOX_LOG_LEVEL ?? 'silent' }) }));
  }

  /** The media host's CA as a PEM file, for gateways started as their own process (WA_MEDIA_CA_FILE). */
  get mediaCaFile(): string {
    const file = join(tmpdir(), `waygate-sandbox-ca-${createHash('sha256').update(this.sandbox.mediaCaPem).digest('hex').slice(0, 16)}.pem`);
    writeFileSync(file, this.sandbox.mediaCaPem);
    return file;
  }

  async control<T = any>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    return call(this.sandbox.controlUrl, method, path, { body });
  }

  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.control<T>(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

async function call<T>(base: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const hasBody = options.body !== undefined;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: hasBody ? (typeof options.body === 'string' ? options.body : JSON.stringify(options.body)) : undefined
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') && text ? JSON.parse(text) : (text as T), headers: response.headers };
}

export function gatewayEnv(db: TestDatabase, sb: TestSandbox, adminKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    WAYGATE_DATA_DIR: db.dataDir,
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    WAYGATE_ADMIN_KEY: adminKey,
    WAYGATE_NETWORK: 'sandbox',
    WA_WS_URL: sb.sandbox.wsUrl,
    WA_TRUST_ROOT: sb.sandbox.rootPublicKey,
    WA_MEDIA_CA_FILE: sb.mediaCaFile,
    WAYGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
    WAYGATE_RESUME_CONCURRENCY: '64',
    WAYGATE_RECONNECT_BASE_MS: '200',
    WAYGATE_RECONNECT_MAX_MS: '1000',
    LOG_LEVEL: process.env.GATEWAY_LOG_LEVEL ?? 'silent',
    ...extra
  };
}

/** The API seen from a client: base URL plus a default key. */
export class ApiClient {
  constructor(
    public url: string,
    readonly key: string
  ) {}

  request<T = any>(method: string, path: string, options: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const key = options.key === undefined ? this.key : options.key;
    return call(this.url, method, path, { body: options.body, headers: { ...(key ? { 'x-warest-api-key': key } : {}), ...options.headers } });
  }
}

export class TestGateway extends ApiClient {
  private running: RunningGateway | undefined;
  restarts: { reason: string; delaySeconds: number }[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly sb: TestSandbox,
    adminKey: string,
    private readonly env: Record<string, string>
  ) {
    super('', adminKey);
  }

  static async start(db: TestDatabase, sb: TestSandbox, extraEnv: Record<string, string> = {}): Promise<TestGateway> {
    const adminKey = `admin-${randomBytes(12).toString("hex")}`;
    const gateway = new TestGateway(db, sb, adminKey, gatewayEnv(db, sb, adminKey, extraEnv));
    await gateway.boot();
    return gateway;
  }

  get sessions() {
    return this.running!.sessions;
  }

  async boot(): Promise<void> {
    const config = loadConfig(this.env, []);
    this.running = await startGateway({
      config,
      network: { wsUrl: config.waWsUrl, trustRootHex: config.waTrustRoot, mediaCaPem: this.sb.sandbox.mediaCaPem },
      logger: pino({ level: config.logLevel }),
      onRestartRequested: (request) => this.restarts.push(request)
    });
    this.url = this.running.url;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  /** Stops cleanly and boots again on the same database (as after a restart). */
  async restart(): Promise<void> {
    await this.stop();
    await this.boot();
  }
}

/** The gateway as its own OS process (`src/main.ts start`), for tests that kill it. */
export class GatewayProcess extends ApiClient {
  private constructor(
    readonly child: ChildProcess,
    url: string,
    adminKey: string
  ) {
    super(url, adminKey);
  }

  static async start(env: Record<string, string>, adminKey: string): Promise<GatewayProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit']
    });
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (!line.startsWith('{')) return;
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) resolve(entry.url);
      });
      child.once('exit', (code) => reject(new Error(`gateway exited with ${code} before listening`)));
    });
    return new GatewayProcess(child, url, adminKey);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function sessionStatus(api: ApiClient, sessionId: string): Promise<string | undefined> {
  const list = await api.request('GET', '/api/v1/session/list');
  return list.body.results?.[0]?.items?.find((s: { id: string }) => s.id === sessionId)?.status;
}

/** Creates a sandbox account and a gateway session, links them by QR, and waits for WORKING. */
export async function linkSession(api: ApiClient, sb: TestSandbox, sessionId: string, phone: string, name = `Account ${phone}`): Promise<{ accessToken: string }> {
  const account = await sb.control('POST', '/sandbox/v1/accounts', { phone, name });
  if (account.status !== 201 && account.status !== 409) throw new Error(`account ${phone}: ${JSON.stringify(account.body)}`);
  const created = await api.request('GET', `/api/v1/session/create?sessionId=${sessionId}`);
  if (created.status !== 202) throw new Error(`create ${sessionId}: ${created.status} ${JSON.stringify(created.body)}`);
  await sb.ok('POST', `/sandbox/v1/accounts/${phone}/link`, { qr: created.body.results[0].qrString });
  await eventually(async () => ((await sessionStatus(api, sessionId)) === 'WORKING' ? true : undefined), { what: `${sessionId} WORKING` });
  return { accessToken: created.body.results[0].accessToken };
}

/** Points a session's webhook at a test receiver, signed with the receiver's secret. */
export async function hookTo(api: ApiClient, sessionId: string, receiver: { url: string; secret: string }): Promise<void> {
  const config = await api.request('POST', `/api/v1/session/${sessionId}/config`, { body: { webhookUrl: receiver.url, webhookSecret: receiver.secret } });
  if (config.status !== 200) throw new Error(`webhook of ${sessionId}: ${config.status} ${JSON.stringify(config.body)}`);
}
