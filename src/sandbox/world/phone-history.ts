// The chat history a simulated phone hands a newly linked companion in its initial history sync: conversations
// with their state (name, unread count, archived, pinned, muted) and messages, set up through the control API
// before linking. Kept per account, bounded; the real inbox is not replayed (tests opt in to history).
import { randomBytes } from 'node:crypto';
import { proto } from 'baileys';
import type { Account } from './accounts.js';

export interface HistoryChatSpec {
  /** the other party: a phone number, a PN JID or a group id (…@g.us) */
  with: string;
  name?: string;
  /** messages, spread evenly over `spanDays` up to now, alternating received and sent (default 5) */
  messages?: number;
  spanDays?: number;
  /** the newest message is this many seconds old (default 1), so chats can differ in their last-message time */
  ageSeconds?: number;
  unread?: number;
  archived?: boolean;
  pinned?: boolean;
  /** muted for this many minutes from now (-1: for ever) */
  mutedMinutes?: number;
}

const MAX_CONVERSATIONS = 20_000;
const MAX_MESSAGES = 100_000;

const histories = new WeakMap<Account, proto.IConversation[]>();

function jidOf(peer: string): string {
  if (peer.includes('@')) return peer;
  return `${peer.replace(/\D/g, '')}@s.whatsapp.net`;
}

function conversation(spec: HistoryChatSpec, now: number): proto.IConversation {
  const id = jidOf(spec.with);
  const group = id.endsWith('@g.us');
  const count = spec.messages ?? 5;
  const span = (spec.spanDays ?? 1) * 86_400;
  const newest = now - (spec.ageSeconds ?? 1);
  const messages: proto.IHistorySyncMsg[] = [];
  // Newest first, as WhatsApp sends them.
  for (let i = 0; i < count; i++) {
    const at = newest - Math.floor((span * i) / Math.max(1, count - 1));
    const fromMe = i % 2 === 1;
    const key: proto.IMessageKey = { remoteJid: id, fromMe, id: `3EB0H${randomBytes(8).toString('hex').toUpperCase()}` };
    if (group && !fromMe) key.participant = '15550000000@s.whatsapp.net';
    messages.push({
      message: {
        key,
        messageTimestamp: at,
        message: { conversation: `history ${count - i} with ${spec.name ?? id}` },
        status: fromMe ? proto.WebMessageInfo.Status.READ : proto.WebMessageInfo.Status.DELIVERY_ACK
      },
      msgOrderId: count - i
    });
  }
  return {
    id,
    name: spec.name ?? null,
    displayName: group ? null : (spec.name ?? null),
    unreadCount: spec.unread ?? 0,
    archived: spec.archived ?? false,
    pinned: spec.pinned ? now : 0,
    muteEndTime: spec.mutedMinutes === undefined ? 0 : spec.mutedMinutes === -1 ? -1 : (now + spec.mutedMinutes * 60) * 1000,
    conversationTimestamp: messages.length ? (messages[0]!.message!.messageTimestamp as number) : newest,
    messages
  };
}

/** Sets (replaces) the history the phone syncs to the next companion it links; returns how many chats and messages. */
export function setPhoneHistory(account: Account, chats: HistoryChatSpec[]): { chats: number; messages: number } {
  const now = Math.floor(Date.now() / 1000);
  const total = chats.reduce((sum, c) => sum + (c.messages ?? 5), 0);
  if (chats.length > MAX_CONVERSATIONS || total > MAX_MESSAGES) throw new RangeError(`history is limited to ${MAX_CONVERSATIONS} chats and ${MAX_MESSAGES} messages`);
  histories.set(account, chats.map((spec) => conversation(spec, now)));
  return { chats: chats.length, messages: total };
}

export function phoneHistory(account: Account): proto.IConversation[] {
  return histories.get(account) ?? [];
}
