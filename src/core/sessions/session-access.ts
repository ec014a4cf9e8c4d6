// Which session a command acts on, and whether the caller may: the one place that turns a session selector
// (an id, the session's own phone number, or both) plus a principal into a session record, and — for commands
// that talk to WhatsApp — into the live runtime of a connected session.
//
// The rule: a command names at most one session. A session token grants exactly its own session: with no
// selector it means that session, and a selector naming any other one (by id or by phone) is refused.
import type { EngineSession } from '../../engine/port.js';
import type { SessionStatus } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import { getSession, listAllSessions, listSessionsByOwner, type Session } from '../../store/repos/sessions.js';
import { requireSessionAccess, type Principal, type SessionAccessOptions } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import type { SessionRuntime } from './session-runtime.js';

/** How a request named its session; both fields set means both must name the same session. */
export interface SessionSelector {
  sessionId?: string;
  /** the session's own phone number, digits only */
  phone?: string;
}

export interface SessionCommand {
  principal: Principal | null;
  session: SessionSelector;
}

/** A session that is connected to WhatsApp right now, with its runtime. */
export interface WorkingSession {
  session: Session;
  runtime: SessionRuntime;
  engine: EngineSession;
  /** the session's own phone number (digits), as WARest results report it */
  phone: string | null;
}

export interface RuntimeLookup {
  runtime(sessionId: string): SessionRuntime | undefined;
}

const digitsOfJid = (jid: string | null | undefined) => jid?.split(/[:@]/)[0] ?? null;

export class SessionAccess {
  constructor(
    private readonly db: Db,
    private readonly runtimes: RuntimeLookup,
  ) {}

  /** The session a command names, found and allowed (not necessarily connected). */
  async find({ principal, session: selector }: SessionCommand, options: SessionAccessOptions = {}): Promise<Session> {
    const sessionId = selector.sessionId ?? (selector.phone === undefined && principal?.kind === 'session' ? principal.sessionId : undefined);
    if (sessionId !== undefined) {
      const session = await getSession(this.db, sessionId);
      if (!session) {
        // A token holder learns nothing about other sessions, not even whether they exist.
        if (principal?.kind === 'session' && principal.sessionId !== sessionId) requireSessionAccess(principal, { id: sessionId, owner: null }, options);
        throw new GatewayError('SESSION_NOT_FOUND', `Session "${sessionId}" not found`);
      }
      requireSessionAccess(principal, { id: session.id, owner: session.ownerKeyId }, options);
      if (selector.phone !== undefined && digitsOfJid(this.liveMeId(session)) !== selector.phone) {
        throw new GatewayError('INVALID_PARAMETER', `sessionId "${session.id}" and phone ${selector.phone} name different sessions; send one of them`);
      }
      return session;
    }
    if (selector.phone === undefined) throw new GatewayError('SESSION_REQUIRED', 'sessionId is required: send it in the query string or the JSON body');
    return this.findByPhone(principal, selector.phone);
  }

  /** The named session, allowed and connected, with its engine. */
  async working(command: SessionCommand, options: SessionAccessOptions = {}): Promise<WorkingSession> {
    const session = await this.find(command, options);
    const runtime = this.runtimes.runtime(session.id);
    if (runtime?.lastChange.status !== 'WORKING') throw notWorking(session.id, runtime?.lastChange.status ?? restingStatus(session));
    return { session, runtime, engine: runtime.engine, phone: digitsOfJid(runtime.engine.me?.id) };
  }

  /** A session this node runs, by id, connected (for work that is not a request: policies, queues). */
  workingById(sessionId: string): Promise<WorkingSession> {
    return this.working({ principal: { kind: 'session', sessionId }, session: { sessionId } });
  }

  /** The runtime of a session this node runs, whatever its status (no access check: callers found the session first). */
  runtimeOf(sessionId: string): SessionRuntime | undefined {
    return this.runtimes.runtime(sessionId);
  }

  private liveMeId(session: Session): string | null {
    return this.runtimes.runtime(session.id)?.me?.id ?? session.meId;
  }

  /** The caller's working session with that number: only among the sessions the principal may use. */
  private async findByPhone(principal: Principal | null, phone: string): Promise<Session> {
    const candidates =
      principal?.kind === 'admin'
        ? await listAllSessions(this.db)
        : principal?.kind === 'session'
          ? [await getSession(this.db, principal.sessionId ?? '')].filter((s): s is Session => !!s)
          : principal?.keyId
            ? await listSessionsByOwner(this.db, principal.keyId)
            : [];
    const match = candidates.find((s) => this.runtimes.runtime(s.id)?.lastChange.status === 'WORKING' && digitsOfJid(this.liveMeId(s)) === phone);
    if (!match) throw new GatewayError('SESSION_NOT_FOUND', `No working session of yours has the number ${phone}`);
    return match;
  }
}

/**
 * The status of a session this node does not run right now. A stored live status (WORKING, …) is stale: it was
 * written before a crash or by a node that stopped; a session meant to run is waiting to be resumed.
 */
export function restingStatus(session: Pick<Session, 'status' | 'shouldRun'>): SessionStatus {
  if (session.status === 'LOGGED_OUT' || session.status === 'FAILED') return session.status;
  return session.shouldRun ? 'STARTING' : 'STOPPED';
}

/** What a session that is not connected is doing, in words that say what to do about it. */
const NOT_WORKING: Record<string, string> = {
  STARTING: 'it is connecting to WhatsApp; retry in a few seconds',
  RECONNECTING: 'it lost its connection and is reconnecting; retry in a few seconds',
  SCAN_QR_CODE: 'it is not linked yet; scan the QR (GET /api/v1/session/create) or finish pairing first',
  STOPPED: 'it is stopped; start it with GET /api/v1/session/create',
  LOGGED_OUT: 'it was logged out; link it again with GET /api/v1/session/create',
  FAILED: 'it could not connect; call GET /api/v1/session/reconnect, or check the logs',
};

/** 409 SESSION_NOT_LOGGED_IN: the action needs the session linked and connected, and says what it is doing. */
export function notWorking(sessionId: string, status: string): GatewayError {
  const what = NOT_WORKING[status];
  return new GatewayError('SESSION_NOT_LOGGED_IN', `Session "${sessionId}" is not connected (${status})${what ? `: ${what}` : ''}`);
}
