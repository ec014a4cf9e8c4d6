// The Chats category (WARest actions 21-30): the chat list and a chat's messages (from the store), pinning a
// chat or a message, marking a chat read, and archive/unarchive/mute/unmute/clear-all (which the n8n node calls
// under /messages/action/). Plus List Contacts (action 68, `GET /profile/list-contacts`).
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ChatCommand, Chats } from '../../core/chats/chats.js';
import { MUTE_MINUTES, READ_RECEIPT_CAP, requireChatJid } from '../../core/chats/chats.js';
import { parseGroupIds, type ContactList } from '../../core/chats/contact-list.js';
import { GatewayError } from '../../core/errors.js';
import { PIN_DURATIONS_SECONDS, type PinDuration } from '../../engine/chats.js';
import type { ChatSort } from '../../store/repos/chats.js';
import { sessionCommand } from '../commands.js';
import { field } from '../credentials.js';
import { normalizeSingleRecipient, type PhoneOptions } from '../jids.js';
import { normalizeGroupId, readString, type SessionRouter } from '../params.js';
import { actionRoute } from '../route-table.js';
import type { RouteModule } from '../types.js';
import { chatActionView, chatListView, chatMessagesView, chatPinView, chatReadView, contactListView, messagePinView } from '../views/warest/chats.js';
import { answer } from '../views/warest/outcome.js';
import { readFlag } from './messages-http.js';

export interface ChatRoutesContext {
  chats: Chats;
  contacts: ContactList;
  phones: PhoneOptions;
}

const TEXT = { type: 'string' } as const;
const FLAG = { type: ['boolean', 'string', 'number'], description: 'true/false, or 1/0, yes/no, on/off' } as const;
const SESSION = {
  sessionId: { type: 'string', description: 'the session; aliases session, id, or the session’s own number as phone' },
  session: TEXT,
  id: TEXT,
  phone: { type: ['string', 'number'] }
} as const;
const PAGE = (max: number, defaultLimit: number) => ({
  limit: { type: 'integer', minimum: 1, maximum: max, description: `page size, 1 to ${max} (default ${defaultLimit})` },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'items to skip (default 0)' }
});
const TIME = { type: 'integer', minimum: 0, maximum: 9_999_999_999_999, description: 'epoch milliseconds (seconds are accepted too)' } as const;
const CHAT_PARAMS = { type: 'object', required: ['chatId'], properties: { chatId: { type: 'string', minLength: 1, maxLength: 128 } } } as const;
const MESSAGE_PARAMS = {
  type: 'object',
  required: ['chatId', 'messageId'],
  properties: { chatId: { type: 'string', minLength: 1, maxLength: 128 }, messageId: { type: 'string', minLength: 1, maxLength: 128 } }
} as const;
const TO = { to: { type: ['string', 'number'], description: 'the chat: phone number or JID (…@g.us for groups)' } } as const;

function chatOf(raw: unknown, context: ChatRoutesContext, name: string): string {
  if (raw === undefined || raw === null || raw === '') throw new GatewayError('MISSING_PARAMETER', `${name} is required: a phone number or JID (…@g.us for groups)`);
  return requireChatJid(normalizeSingleRecipient(raw, context.phones, name));
}

function pathChat(request: FastifyRequest, context: ChatRoutesContext, router: SessionRouter = 'chats'): ChatCommand {
  const chat = chatOf((request.params as { chatId: string }).chatId, context, 'chatId');
  return { ...sessionCommand(request, router), chat };
}

function toChat(request: FastifyRequest, context: ChatRoutesContext): ChatCommand {
  const chat = chatOf(field(request.body, 'to') ?? field(request.query, 'to'), context, 'to');
  return { ...sessionCommand(request, 'messages'), chat };
}

const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

/** Epoch ms (or seconds, as WARest also takes) → unix seconds, the second the bound falls in (messages carry seconds). */
function toSeconds(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  return n > 20_000_000_000 ? Math.floor(n / 1000) : n;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  const found = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
  if (!found) throw new GatewayError('INVALID_PARAMETER', `${name} must be one of ${allowed.join(', ')}, not "${String(value).slice(0, 40)}"`);
  return found;
}

/** How long a message stays pinned: `time` in seconds (86400, 604800, 2592000) or `days` (1, 7, 30); default 7 days. */
function pinDuration(request: FastifyRequest): PinDuration {
  const time = field(request.body, 'time') ?? field(request.body, 'duration');
  const days = field(request.body, 'days');
  const seconds = time !== undefined && time !== null && time !== '' ? Number(time) : days !== undefined && days !== null && days !== '' ? Number(days) * 86_400 : 604_800;
  if (!(PIN_DURATIONS_SECONDS as readonly number[]).includes(seconds)) {
    throw new GatewayError('INVALID_PARAMETER', 'time must be 86400, 604800 or 2592000 seconds (or days 1, 7 or 30): WhatsApp pins a message for 24 hours, 7 days or 30 days');
  }
  return seconds as PinDuration;
}

function muteMinutes(request: FastifyRequest): number {
  const raw = field(request.body, 'duration') ?? field(request.query, 'duration');
  if (raw === undefined || raw === null || raw === '') return MUTE_MINUTES.default;
  const minutes = Number(raw);
  if (!Number.isFinite(minutes)) throw new GatewayError('INVALID_PARAMETER', `duration must be a number of minutes from ${MUTE_MINUTES.min} to ${MUTE_MINUTES.max}`);
  return minutes;
}

export function chatRoutes(context: ChatRoutesContext): RouteModule {
  const routes: FastifyPluginAsync = async (app: FastifyInstance) => {
    app.route(
      actionRoute('listChats', {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              ...SESSION,
              ...PAGE(500, 10),
              sortBy: { type: 'string', enum: ['lastMessage', 'unreadCount', 'name'], description: 'lastMessage (default), unreadCount or name' },
              sortOrder: { type: 'string', enum: ['asc', 'desc'], description: 'desc (default) or asc' },
              search: { type: 'string', maxLength: 200, description: 'part of the chat’s name or JID' },
              hasMedia: FLAG
            }
          }
        },
        handler: async (request, reply) => {
          const q = query(request);
          const outcome = await context.chats.list(sessionCommand(request, 'chats'), {
            limit: (q.limit as number | undefined) ?? 10,
            offset: (q.offset as number | undefined) ?? 0,
            sortBy: oneOf<ChatSort>(q.sortBy, ['lastMessage', 'unreadCount', 'name'], 'sortBy', 'lastMessage'),
            sortOrder: oneOf(q.sortOrder, ['asc', 'desc'] as const, 'sortOrder', 'desc'),
            ...(readString(request, ['search'], ['query']) ? { search: readString(request, ['search'], ['query'])! } : {}),
            hasMedia: readFlag(request, ['hasMedia']) ?? false
          });
          return answer(reply, chatListView(outcome));
        }
      })
    );

    app.route(
      actionRoute('getChatMessages', {
        schema: {
          params: CHAT_PARAMS,
          querystring: {
            type: 'object',
            properties: {
              ...SESSION,
              ...PAGE(500, 10),
              search: { type: 'string', maxLength: 200, description: 'part of the message text' },
              startTime: TIME,
              endTime: TIME,
              mediaOnly: FLAG,
              isFromMe: FLAG
            }
          }
        },
        handler: async (request, reply) => {
          const q = query(request);
          const fromMe = readFlag(request, ['isFromMe']);
          const from = toSeconds(q.startTime);
          const to = toSeconds(q.endTime);
          const search = readString(request, ['search'], ['query']);
          const outcome = await context.chats.messages(pathChat(request, context), {
            limit: (q.limit as number | undefined) ?? 10,
            offset: (q.offset as number | undefined) ?? 0,
            ...(search ? { search } : {}),
            ...(from !== undefined ? { from } : {}),
            ...(to !== undefined ? { to } : {}),
            mediaOnly: readFlag(request, ['mediaOnly']) ?? false,
            ...(fromMe !== undefined ? { fromMe } : {})
          });
          return answer(reply, chatMessagesView(outcome));
        }
      })
    );

    app.route(
      actionRoute('pinChat', {
        schema: { params: CHAT_PARAMS, body: { type: 'object', properties: { ...SESSION, pin: { ...FLAG, description: 'true pins (default), false unpins' } } } },
        handler: async (request, reply) => answer(reply, chatPinView(await context.chats.pin(pathChat(request, context), readFlag(request, ['pin']) ?? true)))
      })
    );

    app.route(
      actionRoute('pinMessage', {
        schema: {
          params: MESSAGE_PARAMS,
          body: {
            type: 'object',
            properties: {
              ...SESSION,
              pin: { ...FLAG, description: 'true pins (default), false unpins' },
              time: { type: ['integer', 'string'], description: 'how long: 86400, 604800 (default) or 2592000 seconds' },
              days: { type: ['integer', 'string'], description: 'or in days: 1, 7 or 30' }
            }
          }
        },
        handler: async (request, reply) => {
          const command = { ...pathChat(request, context), messageId: (request.params as { messageId: string }).messageId };
          return answer(reply, messagePinView(await context.chats.pinMessage(command, readFlag(request, ['pin']) ?? true, pinDuration(request))));
        }
      })
    );

    app.route(
      actionRoute('markChatRead', {
        schema: {
          params: CHAT_PARAMS,
          body: {
            type: 'object',
            properties: {
              ...SESSION,
              messages: { type: 'integer', minimum: 0, maximum: READ_RECEIPT_CAP, description: `how many of the newest received messages to send read receipts for, 0 (default) = the unread ones; at most ${READ_RECEIPT_CAP}` },
              days: { type: ['integer', 'string'], description: 'accepted for WARest compatibility; the unread messages are read whatever their age' }
            }
          }
        },
        handler: async (request, reply) => {
          const count = (body(request).messages as number | undefined) ?? 0;
          return answer(reply, chatReadView(await context.chats.read(pathChat(request, context), count), count));
        }
      })
    );

    const toBody = (extra: Record<string, unknown> = {}) => ({ body: { type: 'object', properties: { ...SESSION, ...TO, ...extra } } });
    app.route(actionRoute('archiveChat', { schema: toBody(), handler: async (request, reply) => answer(reply, chatActionView(await context.chats.archive(toChat(request, context), true))) }));
    app.route(actionRoute('unarchiveChat', { schema: toBody(), handler: async (request, reply) => answer(reply, chatActionView(await context.chats.archive(toChat(request, context), false))) }));
    app.route(
      actionRoute('muteChat', {
        schema: toBody({ duration: { type: ['number', 'string'], description: `minutes, ${MUTE_MINUTES.min} to ${MUTE_MINUTES.max} (default ${MUTE_MINUTES.default}); outside that range is a 400 (WARest clamps)` } }),
        handler: async (request, reply) => {
          const command = toChat(request, context);
          return answer(reply, chatActionView(await context.chats.mute(command, muteMinutes(request))));
        }
      })
    );
    app.route(actionRoute('unmuteChat', { schema: toBody(), handler: async (request, reply) => answer(reply, chatActionView(await context.chats.mute(toChat(request, context), null))) }));
    app.route(actionRoute('clearChat', { schema: toBody(), handler: async (request, reply) => answer(reply, chatActionView(await context.chats.clear(toChat(request, context)))) }));

    app.route(
      actionRoute('listContacts', {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              ...SESSION,
              sessionid: TEXT,
              ...PAGE(1000, 15),
              type: { type: 'string', enum: ['contacts', 'groups'], description: 'contacts (default): the contact store; groups: members of the session’s groups' },
              deep: FLAG,
              groupIds: { type: 'string', maxLength: 10_000, description: 'with type=groups: comma-separated group ids (default: every group)' }
            }
          }
        },
        handler: async (request, reply) => {
          const q = query(request);
          const outcome = await context.contacts.list(sessionCommand(request, 'profiles'), {
            type: oneOf(q.type, ['contacts', 'groups'] as const, 'type', 'contacts'),
            deep: readFlag(request, ['deep']) ?? false,
            groupIds: parseGroupIds(q.groupIds, normalizeGroupId),
            limit: (q.limit as number | undefined) ?? 15,
            offset: (q.offset as number | undefined) ?? 0
          });
          return answer(reply, contactListView(outcome));
        }
      })
    );
  };
  return { routes };
}
