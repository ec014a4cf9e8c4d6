// The sessions of this gateway: creating and deleting them, starting and stopping their engine sessions,
// resuming on boot the ones that were running (a few logging in at a time), and closing them all cleanly on
// shutdown.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine, EngineNetwork, EngineLogger } from '../../engine/port.js';
import type { EngineOptions } from '../../engine/options.js';
import type { SessionStatus } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import { doublingDelayMs } from '../../lib/backoff.js';
import { isDatabaseUnavailable } from '../../store/availability.js';
import { DuplicateKeyError } from '../../store/errors.js';
import { findMessage } from '../../store/repos/messages.js';
import { createSession, deleteSession, getSession, listSessionsToResume, updateSession, type Session } from '../../store/repos/sessions.js';
import { GatewayError } from '../errors.js';
import { hashSecret, newSecret } from '../auth/secrets.js';
import { databaseAuthStore } from './auth-store.js';
import type { EventReducer } from '../events/event-reducer.js';
import { SessionRuntime, type EventTranslator } from './session-runtime.js';

export interface SessionManagerOptions {
  db: Db;
  /** loaded when the first session starts: the engine library is large and an idle gateway does not need it */
  engine: () => Promise<Engine>;
  network: EngineNetwork;
  logger: EngineLogger;
  engineOptions?: Partial<EngineOptions>;
  /** sessions logging in at once while resuming on boot */
  resumeConcurrency: number;
  reducers?: EventReducer[];
  translators?: EventTranslator[];
  /** called with each new QR string (the sandbox demo prints it in the terminal) */
  onQr?: (sessionId: string, qr: string) => void;
  /** called with each status a session's engine reports (for metrics) */
  onStatus?: (sessionId: string, status: SessionStatus) => void;
}

/** How long one resumed session may hold its login slot before the next one starts anyway. */
const RESUME_ATTEMPT_TIMEOUT_MS = 30_000;

/** 1, 2, 4… up to 30 s: the pause before asking a database that did not answer again, by attempt. */
const resumeRetryPauseMs = (attempt: number) => doublingDelayMs(attempt, 1_000, 30_000);

export class SessionManager {
  private readonly runtimes = new Map<string, SessionRuntime>();
  private restored = false;
  private closing = false;

  constructor(private readonly options: SessionManagerOptions) {}

  get sessionsRestored(): boolean {
    return this.restored;
  }

  runtime(id: string): SessionRuntime | undefined {
    return this.runtimes.get(id);
  }

  /** Creates the record (owned by `ownerKeyId`) and returns it with its access token, shown only now. */
  async create(id: string, ownerKeyId: string): Promise<{ session: Session; accessToken: string }> {
    const accessToken = newSecret('tok');
    try {
      const session = await createSession(this.options.db, { id, ownerKeyId, status: 'STOPPED', accessTokenHash: hashSecret(accessToken) });
      return { session, accessToken };
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new GatewayError('SESSION_ALREADY_EXISTS', `Session "${id}" already exists`);
      throw err;
    }
  }

  async rotateAccessToken(id: string): Promise<string> {
    const accessToken = newSecret('tok');
    await updateSession(this.options.db, id, { accessTokenHash: hashSecret(accessToken) });
    return accessToken;
  }

  /** Starts the session's engine (idempotent) and marks it as meant to run across restarts. */
  async start(id: string): Promise<SessionRuntime> {
    const engine = await this.options.engine();
    if (this.closing) throw new GatewayError('SERVICE_UNAVAILABLE', 'The gateway is shutting down; retry in a moment');
    let runtime = this.runtimes.get(id);
    if (!runtime) {
      const engineSession = engine.createSession({
        sessionId: id,
        authStore: databaseAuthStore(this.options.db, id),
        network: this.options.network,
        logger: this.options.logger.child({ sessionId: id }),
        options: this.options.engineOptions ?? {},
        // WhatsApp is told a stanza arrived only once what it carried is committed (durable before receipt).
        durable: () => created.durable(),
        storedMessage: async (key) => {
          const stored = await findMessage(this.options.db, id, key.id, key.chat);
          return stored?.raw ? (JSON.parse(stored.raw) as unknown) : null;
        }
      });
      const created: SessionRuntime = new SessionRuntime(id, engineSession, this.options.db, this.options.logger, {
        reducers: this.options.reducers,
        translators: this.options.translators,
        onQr: (qr) => this.options.onQr?.(id, qr)
      });
      runtime = created;
      engineSession.events.on('status', (change) => this.options.onStatus?.(id, change.status));
      this.runtimes.set(id, runtime);
    }
    await updateSession(this.options.db, id, { shouldRun: true });
    const status = runtime.engine.status;
    if (status === 'STOPPED' || status === 'FAILED' || status === 'LOGGED_OUT') await runtime.engine.start();
    return runtime;
  }

  /** Stops the connection but keeps the auth state; `remember` keeps it marked to resume on boot. */
  async stop(id: string, { remember = false } = {}): Promise<boolean> {
    const runtime = this.runtimes.get(id);
    if (!remember) await updateSession(this.options.db, id, { shouldRun: false });
    if (!runtime) return false;
    await runtime.engine.stop();
    await runtime.dispose();
    this.runtimes.delete(id);
    return true;
  }

  /** Unlinks at WhatsApp (when connected) and purges the auth state; the record stays. */
  async logout(id: string): Promise<{ runtime: boolean; creds: boolean }> {
    const runtime = this.runtimes.get(id) ?? (await this.start(id).catch(() => undefined));
    if (runtime) {
      await runtime.engine.logout();
      await runtime.dispose();
      this.runtimes.delete(id);
    } else {
      await databaseAuthStore(this.options.db, id).purge();
    }
    await updateSession(this.options.db, id, { shouldRun: false, status: 'LOGGED_OUT', meId: null, meLid: null, meName: null });
    return { runtime: !!runtime, creds: true };
  }

  /** Stops it, purges its auth state, and deletes the record with its events and deliveries. */
  async delete(id: string): Promise<{ runtime: boolean; creds: boolean; meta: boolean }> {
    const runtime = await this.stop(id);
    await databaseAuthStore(this.options.db, id).purge();
    const meta = await deleteSession(this.options.db, id);
    return { runtime, creds: true, meta };
  }

  /** Restarts the connection of a session (a fresh socket), starting it if it was not running. */
  async reconnect(id: string): Promise<void> {
    const runtime = this.runtimes.get(id);
    if (runtime) {
      await runtime.engine.stop();
      await runtime.engine.start();
    } else {
      await this.start(id);
    }
  }

  /**
   * Boot: resume the sessions that were running, at most `resumeConcurrency` logging in at once, so a large node
   * resumes as fast as WhatsApp logs it in without a login storm. A session's slot frees up once its first
   * attempt has an outcome (connected, a QR to scan, logged out, failed, or backing off to reconnect).
   */
  async resumeAll(): Promise<number> {
    const queue = await this.sessionsToResume();
    let unavailableInARow = 0;
    const resume = async () => {
      for (let session = queue.shift(); session && !this.closing; session = queue.shift()) {
        try {
          const runtime = await this.start(session.id);
          await runtime.waitFor((change) => change.status !== 'STARTING' && (change.status !== 'STOPPED' || this.closing), RESUME_ATTEMPT_TIMEOUT_MS);
          unavailableInARow = 0;
        } catch (err) {
          if (!isDatabaseUnavailable(err)) {
            this.options.logger.error({ err, sessionId: session.id }, 'could not resume session');
            continue;
          }
          // Its auth state could not be read: it goes back in the queue, after a pause that grows while that lasts.
          const pauseMs = resumeRetryPauseMs(++unavailableInARow);
          this.options.logger.warn({ err, sessionId: session.id, retryInMs: pauseMs }, 'could not resume session: the database did not answer; trying again');
          await sleep(pauseMs, undefined, { ref: false });
          queue.push(session);
        }
      }
    };
    const total = queue.length;
    await Promise.all(Array.from({ length: Math.min(this.options.resumeConcurrency, total) }, resume));
    this.restored = true;
    return total;
  }

  /** The sessions to resume, asked again with a growing pause while the database does not answer (a blip at boot). */
  private async sessionsToResume(): Promise<Session[]> {
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        return await listSessionsToResume(this.options.db);
      } catch (err) {
        const pauseMs = resumeRetryPauseMs(attempt);
        this.options.logger.warn({ err, retryInMs: pauseMs }, 'could not read the sessions to resume; asking again');
        await sleep(pauseMs, undefined, { ref: false });
      }
    }
    return [];
  }

  /** Shutdown: closes every connection cleanly, keeping each session marked to resume on the next boot. */
  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.runtimes.keys()].map((id) => this.stop(id, { remember: true })));
  }

  async get(id: string): Promise<Session | undefined> {
    return getSession(this.options.db, id);
  }

  /** How many of the sessions this gateway runs are in each status. */
  countByStatus(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const runtime of this.runtimes.values()) counts[runtime.lastChange.status] = (counts[runtime.lastChange.status] ?? 0) + 1;
    return counts;
  }
}
