// The canonical event registry: each dotted event name we emit and the WARest webhook tag it maps to.
// Webhook filters and API inputs may use either form; everything stored uses the dotted name.

export const EVENT_TAGS = {
  'session.status': 'session_status',
  'message.received': 'message_received',
  'message.reaction': 'message_reaction',
  'message.edited': 'message_edited',
  'message.revoked': 'message_revoked',
  'message.status': 'message_status',
  'poll.vote': 'poll_vote',
  'group.update': 'group_update',
  'group.participants': 'group_participants',
  'group.join': 'group_join',
  'group.leave': 'group_leave',
  'group.join_request': 'group_join_request',
  'group.invite_policy': 'group_invite_policy',
  'chat.update': 'chat_update',
  'presence.update': 'presence_update',
  call: 'call',
  'creds.update': 'creds_update',
} as const satisfies Record<string, string>;

export type EventName = keyof typeof EVENT_TAGS;
export type EventTag = (typeof EVENT_TAGS)[EventName];

export const EVENT_NAMES = Object.keys(EVENT_TAGS) as EventName[];

const NAME_BY_TAG = new Map<string, EventName>(EVENT_NAMES.map((name) => [EVENT_TAGS[name], name]));

export function tagOf(name: EventName): EventTag {
  return EVENT_TAGS[name];
}

/** The dotted name for a dotted name or a WARest tag; undefined when it is neither. */
export function nameOf(tagOrName: string): EventName | undefined {
  if (Object.hasOwn(EVENT_TAGS, tagOrName)) return tagOrName as EventName;
  return NAME_BY_TAG.get(tagOrName);
}

/** True for a known dotted name or WARest tag. */
export function isKnownEvent(tagOrName: string): boolean {
  return nameOf(tagOrName) !== undefined;
}

/** Whether a session's webhook filter (names and/or tags; null = everything) lets `name` through. */
export function eventFilterAllows(filter: readonly string[] | null, name: EventName): boolean {
  return filter === null || filter.some((entry) => nameOf(entry) === name);
}
