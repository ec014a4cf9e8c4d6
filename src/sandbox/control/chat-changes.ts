// Control route for the phone changing a chat itself (archive, pin, mute, read/unread, clear): the change reaches
// the account's linked companions through the app state, as when the user does it on the phone.
import type { FastifyInstance } from 'fastify';
import { changeChatOnPhone, type PhoneChatChange } from '../routing/phone-chat-changes.js';
import { setPhoneHistory, type HistoryChatSpec } from '../world/phone-history.js';
import { accountOrThrow } from './accounts.js';
import type { ControlDeps } from './api.js';

const ACTIONS = ['archive', 'unarchive', 'pin', 'unpin', 'mute', 'unmute', 'markRead', 'markUnread', 'clear'] as const;

/** A chat as the phone's app state names it: a group id, or a person's PN JID (digits accepted). */
function chatJid(chat: string): string {
  return chat.includes('@') ? chat : `${chat.replace(/\D/g, '')}@s.whatsapp.net`;
}

interface PhoneChatState {
  chat: string;
  archived?: boolean;
  pinned?: boolean;
  /** epoch ms, -1 for ever, null unmuted */
  mutedUntil?: number | null;
  read?: boolean;
  clearedAt?: number;
}

/** The chats' state as the phone's app state says (its own changes and its companions'), from the recorded mutations. */
function phoneChats(mutations: readonly { index: string[]; value: Record<string, any>; operation: string }[]): PhoneChatState[] {
  const chats = new Map<string, PhoneChatState>();
  for (const { index, value } of mutations) {
    const [action, chat] = index;
    if (!chat) continue;
    const state = chats.get(chat) ?? { chat };
    if (action === 'archive') state.archived = !!value.archiveChatAction?.archived;
    else if (action === 'pin_v1') state.pinned = !!value.pinAction?.pinned;
    else if (action === 'mute') state.mutedUntil = value.muteAction?.muted ? Number(value.muteAction.muteEndTimestamp ?? -1) : null;
    else if (action === 'markChatAsRead') state.read = !!value.markChatAsReadAction?.read;
    else if (action === 'clearChat') state.clearedAt = Number(value.timestamp ?? Date.now());
    else continue;
    chats.set(chat, state);
  }
  return [...chats.values()];
}

export function chatChangeRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.get<{ Params: { phone: string } }>('/sandbox/v1/accounts/:phone/chats', async (request) => ({
    chats: phoneChats(accountOrThrow(deps, request.params.phone).appStateMutations)
  }));

  app.post<{ Params: { phone: string }; Body: { action: (typeof ACTIONS)[number]; chat: string; minutes?: number } }>(
    '/sandbox/v1/accounts/:phone/chats',
    {
      schema: {
        body: {
          type: 'object',
          required: ['action', 'chat'],
          properties: { action: { type: 'string', enum: [...ACTIONS] }, chat: { type: 'string', minLength: 1 }, minutes: { type: 'integer', minimum: 1 } }
        }
      }
    },
    async (request) => {
      const account = accountOrThrow(deps, request.params.phone);
      const { action, chat, minutes } = request.body;
      const change: PhoneChatChange =
        action === 'mute' ? { action, chat: chatJid(chat), until: minutes ? Date.now() + minutes * 60_000 : -1 } : { action, chat: chatJid(chat) };
      return changeChatOnPhone(deps.network, account, change);
    }
  );
}

const HISTORY_CHAT = {
  type: 'object',
  required: ['with'],
  properties: {
    with: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    messages: { type: 'integer', minimum: 0, maximum: 100_000 },
    spanDays: { type: 'number', minimum: 0, maximum: 3650 },
    ageSeconds: { type: 'integer', minimum: 0, maximum: 315_360_000 },
    unread: { type: 'integer', minimum: 0 },
    archived: { type: 'boolean' },
    pinned: { type: 'boolean' },
    mutedMinutes: { type: 'integer', minimum: -1 }
  }
} as const;

/** Chats made up in bulk: `chats` contacts 1999000000x, each with `messages` over `spanDays` (5 over 1 day). */
interface GenerateSpec {
  chats: number;
  messages?: number;
  spanDays?: number;
  /** generated chat i's newest message is 1 + i × this many seconds old (default: all end 1 s ago) */
  staggerSeconds?: number;
}

/** `POST /sandbox/v1/accounts/{phone}/history`: the history the phone syncs to the next companion it links. */
export function phoneHistoryRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.post<{ Params: { phone: string }; Body: { chats?: HistoryChatSpec[]; generate?: GenerateSpec } }>(
    '/sandbox/v1/accounts/:phone/history',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            chats: { type: 'array', maxItems: 20_000, items: HISTORY_CHAT },
            generate: {
              type: 'object',
              required: ['chats'],
              properties: {
                chats: { type: 'integer', minimum: 1, maximum: 20_000 },
                messages: { type: 'integer', minimum: 0, maximum: 1000 },
                spanDays: { type: 'number', minimum: 0 },
                staggerSeconds: { type: 'integer', minimum: 0, maximum: 86_400 }
              }
            }
          }
        }
      }
    },
    async (request, reply) => {
      const account = accountOrThrow(deps, request.params.phone);
      const { chats = [], generate } = request.body;
      const generated: HistoryChatSpec[] = generate
        ? Array.from({ length: generate.chats }, (_, i) => ({
            with: `1999${String(i).padStart(7, '0')}`,
            name: `History contact ${i}`,
            messages: generate.messages ?? 5,
            spanDays: generate.spanDays ?? 1,
            ...(generate.staggerSeconds ? { ageSeconds: 1 + i * generate.staggerSeconds } : {})
          }))
        : [];
      try {
        return setPhoneHistory(account, [...chats, ...generated]);
      } catch (error) {
        return reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });
      }
    }
  );
}
