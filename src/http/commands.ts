// Turning a request into the target of a core command: who is asking (the auth hook's principal) and which
// session — and group — it names, read by the WARest field rules of the route's category (params.ts).
import type { FastifyRequest } from 'fastify';
import type { GroupCommand } from '../core/groups/group-context.js';
import type { SessionCommand } from '../core/sessions/session-access.js';
import { readGroupId, readSessionSelector, type SessionRouter } from './params.js';

export function sessionCommand(request: FastifyRequest, router: SessionRouter): SessionCommand {
  return { principal: request.principal, session: readSessionSelector(router, request) };
}

/** The group id is read before the session (WARest order), so a bad id is always a 400. */
export function groupCommand(request: FastifyRequest): GroupCommand {
  const groupId = readGroupId(request);
  return { ...sessionCommand(request, 'groups'), groupId };
}
