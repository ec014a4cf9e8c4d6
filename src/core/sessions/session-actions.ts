// The Sessions category as commands (WARest actions 1-8 plus Waygate's QR image, token rotation, webhook
// delivery log and replay): each finds the session through SessionAccess and returns data; the session
// manager runs the engine side.
import type { EngineLogger } from '../../engine/port.js';
import type { Me, SessionStatus, StatusChange } from '../../engine/types.js';
import { replayEvent, replayFailedDeliveries } from '../../events/replay.js';
import type { Db } from '../../store/database.js';
import { getApiKey } from '../../store/repos/api-keys.js';
import { getEvent } from '../../store/repos/outbox.js';
import { getSession, listSessionListings, updateSession, type Session, type SessionListing } from '../../store/repos/sessions.js';
import { listDeliveries, type WebhookDelivery } from '../../store/repos/webhook-deliveries.js';
import { requireSessionAccess, type Principal } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import { restingStatus, type SessionAccess, type SessionCommand } from './session-access.js';
import type { SessionManager } from './session-manager.js';
import { preflightWebhook, validateWebhookSettings, type WebhookSettingsInput } from './webhook-config.js';

const WAIT_FOR_QR_MS = 15_000;
const settled = (status: string) => ['SCAN_QR_CODE', 'WORKING', 'FAILED', 'LOGGED_OUT'].includes(status);

export interface SessionActionsDeps {
  db: Db;
  manager: SessionManager;
  access: SessionAccess;
  allowPrivateWebhooks: boolean;
  logger: Pick<EngineLogger, 'warn'>;
}

/** A session as it is and as it was created: the owner's registry and, right after creation, its access token. */
export interface SessionRecord {
  session: Session;
  /** the owning key's registry (WARest `registryUser`) */
  registry: string | null;
  /** only when this call created the session: shown once */
  accessToken?: string;
}

export type Opened = SessionRecord &
  ({ state: 'open'; me: Me } | { state: 'qr'; qr: string; expiresInSeconds: number } | { state: 'connecting'; status: string });

export type PairCode = SessionRecord & ({ state: 'open' } | { state: 'code'; code: string } | { state: 'connecting' });

export interface SessionSummary {
  id: string;
  status: SessionStatus;
  me: Me | null;
  lastConnectedAt: number | null;
}

/** Which sessions a list shows: those in one status, then a page of them (oldest first). */
export interface SessionListFilter {
  status?: SessionStatus;
  offset?: number;
  limit?: number;
}

export interface ConfigInput extends WebhookSettingsInput {
  autoStart?: boolean;
  /** this session's send pacing; null returns to the gateway's default */
  sendIntervalMs?: number | null;
  sendJitterMs?: number | null;
  /** send a signed test delivery before saving */
  preflight?: boolean;
}

export class SessionActions {
  constructor(private readonly deps: SessionActionsDeps) {}

  /** Creates the session for the caller when it does not exist, starts it, and waits briefly for a QR or login. */
  async open(command: SessionCommand): Promise<Opened> {
    const record = await this.createOrFind(command);
    const runtime = await this.deps.manager.start(record.session.id);
    const change: StatusChange = await runtime.waitFor((c) => settled(c.status), WAIT_FOR_QR_MS);
    if (change.status === 'WORKING') return { ...record, state: 'open', me: change.me };
    if (change.status === 'SCAN_QR_CODE') {
      const ageMs = Date.now() - (runtime.qr?.at ?? Date.now());
      return { ...record, state: 'qr', qr: change.qr, expiresInSeconds: Math.max(5, Math.min(65, Math.round((change.expiresInMs - ageMs) / 1000))) };
    }
    if (change.status === 'FAILED') throw new GatewayError('DOWNSTREAM_ERROR', `The session could not connect: ${change.reason}`);
    return { ...record, state: 'connecting', status: change.status };
  }

  /** Links by pairing code: `phone` is the number to link, digits with country code. */
  async pairCode(command: SessionCommand, phone: string): Promise<PairCode> {
    const record = await this.createOrFind(command);
    const runtime = await this.deps.manager.start(record.session.id);
    if (runtime.engine.status === 'WORKING') return { ...record, state: 'open' };
    try {
      return { ...record, state: 'code', code: await runtime.engine.requestPairingCode(phone) };
    } catch (err) {
      this.deps.logger.warn({ err, sessionId: record.session.id }, 'pairing code not available yet');
      return { ...record, state: 'connecting' };
    }
  }

  async logout(command: SessionCommand) {
    const session = await this.deps.access.find(command);
    return { sessionId: session.id, steps: await this.deps.manager.logout(session.id) };
  }

  async reconnect(command: SessionCommand): Promise<void> {
    const session = await this.deps.access.find(command);
    await this.deps.manager.reconnect(session.id);
  }

  /** The linked account of the session (live, else as last stored); null when it was never linked. */
  async linkedAccount(command: SessionCommand): Promise<Me | null> {
    return this.summarize(await this.deps.access.find(command)).me;
  }

  /**
   * The sessions the principal may see. The status is this node's view (a running session's live status), so the
   * status filter and the page apply after it is known.
   */
  async list(principal: Principal | null, filter: SessionListFilter = {}): Promise<SessionSummary[]> {
    const rows = await listSessionListings(
      this.deps.db,
      principal?.kind === 'admin' ? {} : principal?.kind === 'session' ? { id: principal.sessionId ?? '' } : { ownerKeyId: principal?.keyId ?? '' },
    );
    const summaries = rows.map((session) => this.summarize(session));
    const shown = filter.status ? summaries.filter((s) => s.status === filter.status) : summaries;
    const offset = filter.offset ?? 0;
    return shown.slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
  }

  async delete(command: SessionCommand) {
    const session = await this.deps.access.find(command);
    return { sessionId: session.id, steps: await this.deps.manager.delete(session.id) };
  }

  /** Webhook URL, secret and event filter, and auto start; fields left out keep their value. */
  async configure(command: SessionCommand, input: ConfigInput): Promise<SessionRecord> {
    const session = await this.deps.access.find(command);
    const settings = await validateWebhookSettings(
      input,
      { url: session.webhookUrl, secret: session.webhookSecret, events: session.webhookEvents },
      this.deps.allowPrivateWebhooks,
    );
    const owner = await getApiKey(this.deps.db, session.ownerKeyId);
    if (input.preflight && settings.url) {
      const target = { id: session.id, label: session.label ?? '', registry: owner?.registry ?? '', username: owner?.name ?? '' };
      await preflightWebhook(settings.url, settings.secret, target, { allowPrivate: this.deps.allowPrivateWebhooks });
    }
    const updated = await updateSession(this.deps.db, session.id, {
      webhookUrl: settings.url,
      webhookSecret: settings.secret,
      webhookEvents: settings.events,
      ...(input.autoStart === undefined ? {} : { autoStart: input.autoStart }),
      ...(input.sendIntervalMs === undefined ? {} : { sendIntervalMs: input.sendIntervalMs }),
      ...(input.sendJitterMs === undefined ? {} : { sendJitterMs: input.sendJitterMs }),
    });
    return { session: updated ?? session, registry: owner?.registry ?? null };
  }

  /** The QR string to scan right now; 404 when the session shows none. */
  async currentQr(command: SessionCommand): Promise<string> {
    const session = await this.deps.access.find(command);
    const runtime = this.deps.manager.runtime(session.id);
    if (!runtime?.qr) {
      throw new GatewayError('NOT_FOUND', `Session "${session.id}" has no QR code right now (status ${runtime?.lastChange.status ?? session.status}); call /session/create first`);
    }
    return runtime.qr.qr;
  }

  async rotateAccessToken(command: SessionCommand): Promise<{ sessionId: string; accessToken: string }> {
    const session = await this.deps.access.find(command);
    return { sessionId: session.id, accessToken: await this.deps.manager.rotateAccessToken(session.id) };
  }

  async deliveries(command: SessionCommand, limit: number): Promise<WebhookDelivery[]> {
    const session = await this.deps.access.find(command);
    return listDeliveries(this.deps.db, { sessionId: session.id, limit });
  }

  /** Delivers one event again, or every failed/dead delivery since `since` (epoch ms). */
  async replay(command: SessionCommand, what: { eventId?: string; since?: number }): Promise<{ sessionId: string; requeued: number }> {
    const session = await this.deps.access.find(command);
    const { db } = this.deps;
    if (what.eventId && (await getEvent(db, what.eventId))?.sessionId !== session.id) throw new GatewayError('NOT_FOUND', `Session "${session.id}" has no event ${what.eventId}`);
    const requeued = what.eventId ? await replayEvent(db, what.eventId) : await replayFailedDeliveries(db, { sessionId: session.id, since: what.since ?? 0 });
    return { sessionId: session.id, requeued };
  }

  private summarize(session: SessionListing): SessionSummary {
    const runtime = this.deps.manager.runtime(session.id);
    return {
      id: session.id,
      status: runtime?.lastChange.status ?? restingStatus(session),
      me: runtime?.me ?? (session.meId ? { id: session.meId, lid: session.meLid, name: session.meName } : null),
      lastConnectedAt: session.lastConnectedAt,
    };
  }

  /** The named session, created for the caller when it does not exist yet. */
  private async createOrFind({ principal, session: selector }: SessionCommand): Promise<SessionRecord> {
    const id = selector.sessionId ?? (principal?.kind === 'session' ? principal.sessionId : undefined);
    if (!id) throw new GatewayError('SESSION_REQUIRED', 'sessionId is required');
    if (principal?.kind === 'session') requireSessionAccess(principal, { id, owner: null });
    const existing = await getSession(this.deps.db, id);
    if (existing) {
      try {
        requireSessionAccess(principal, { id: existing.id, owner: existing.ownerKeyId });
      } catch {
        throw new GatewayError('SESSION_ALREADY_EXISTS', `Session id "${existing.id}" is taken by another API key; choose another id`);
      }
      return { session: existing, registry: await this.registryOf(existing) };
    }
    if (!principal?.keyId || principal.kind === 'session') throw new GatewayError('FORBIDDEN', 'Creating sessions needs an API key (a session access token only acts on its own session)');
    const created = await this.deps.manager.create(id, principal.keyId);
    return { ...created, registry: await this.registryOf(created.session) };
  }

  private async registryOf(session: Session): Promise<string | null> {
    return (await getApiKey(this.deps.db, session.ownerKeyId))?.registry ?? null;
  }
}
