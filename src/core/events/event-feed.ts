// The event feed offered to API clients and the dashboard: a live stream of canonical events that a principal
// may see (its sessions only, optionally one session and some event names), resumable from the last event id
// it got, and a session's recent events.
import { followOutbox, liveEvent, type LiveEvent, type LiveStream } from '../../events/live-stream.js';
import { nameOf, type EventName } from '../../events/registry.js';
import { webhookSessionInfo } from '../../events/webhook-session.js';
import type { Db } from '../../store/database.js';
import { getEvent, latestEventSeq, listRecentEvents, type OutboxEvent } from '../../store/repos/outbox.js';
import { getSession } from '../../store/repos/sessions.js';
import { maySessionAccess, type Principal } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import type { SessionAccess, SessionCommand } from '../sessions/session-access.js';

export interface FeedRequest extends SessionCommand {
  /** Event names or WARest tags; empty: every event. */
  events: readonly string[];
  /** The id of the last event the client got: the stream starts right after it. */
  lastEventId: string | null;
}

export interface FeedSink {
  send(event: LiveEvent): Promise<void>;
  onError(error: unknown): void;
}

/** A checked request, ready to stream. */
export interface OpenedFeed {
  follow(sink: FeedSink): LiveStream;
}

export class EventFeed {
  constructor(private readonly deps: { db: Db; access: SessionAccess }) {}

  /** Checks the request (4xx errors are thrown here, before anything is streamed) and fixes the start. */
  async open(request: FeedRequest): Promise<OpenedFeed> {
    const { db } = this.deps;
    const onlySession = await this.namedSession(request);
    const names = parseEventNames(request.events);
    const afterSeq = request.lastEventId === null ? await latestEventSeq(db) : await this.positionOf(request.lastEventId);
    const allowed = sessionVisibility(db, request.principal);
    const accept = async (event: OutboxEvent) =>
      (onlySession === undefined ? await allowed(event.sessionId) : event.sessionId === onlySession) &&
      (names === null || names.has(event.event as EventName));
    return { follow: (sink) => followOutbox({ db, afterSeq, accept, ...sink }) };
  }

  /** The session's newest events, newest first. */
  async recent(command: SessionCommand, limit: number): Promise<LiveEvent[]> {
    const { db } = this.deps;
    const session = await this.deps.access.find(command);
    const identity = await webhookSessionInfo(db, session);
    const events = await listRecentEvents(db, { sessionId: session.id, limit });
    return events.flatMap((event) => {
      const name = nameOf(event.event);
      return name ? [liveEvent(event, name, identity)] : [];
    });
  }

  /** The one session the stream is limited to: the one named, or a session token's own. */
  private async namedSession(request: FeedRequest): Promise<string | undefined> {
    const named = request.session.sessionId !== undefined || request.session.phone !== undefined;
    if (!named && request.principal?.kind !== 'session') return undefined;
    return (await this.deps.access.find(request)).id;
  }

  private async positionOf(eventId: string): Promise<number> {
    const event = await getEvent(this.deps.db, eventId);
    if (!event) throw new GatewayError('INVALID_PARAMETER', `Last-Event-ID ${eventId} is not in the event log (never sent, or pruned); reconnect without it to follow from now`);
    return event.seq;
  }
}

function parseEventNames(events: readonly string[]): Set<EventName> | null {
  if (!events.length) return null;
  const unknown = events.filter((entry) => nameOf(entry) === undefined);
  if (unknown.length) throw new GatewayError('INVALID_PARAMETER', `events: unknown event ${unknown.join(', ')}; use names such as session.status or tags such as session_status`);
  return new Set(events.map((entry) => nameOf(entry)!));
}

/** Whether the principal may see a session's events, remembered per session for the stream's lifetime. */
function sessionVisibility(db: Db, principal: Principal | null): (sessionId: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  return (sessionId) => {
    let allowed = known.get(sessionId);
    if (!allowed) {
      allowed = getSession(db, sessionId).then((session) => !!session && maySessionAccess(principal, { id: session.id, owner: session.ownerKeyId }));
      known.set(sessionId, allowed);
    }
    return allowed;
  };
}
