// Baileys' chat, contact and history events → port events: app-state changes (archive, pin, mute, read/unread)
// as `chat_update`, deleted chats, address-book and push-name changes as `contacts_update`, PN↔LID pairs, and
// history-sync chunks (chats, contacts, messages) as `history_sync`, with every JID normalised (PN when known).
// Baileys also reports each new message as a chat update counting it unread: those are left out, the gateway
// counts messages itself.
import { isJidGroup, normalizeMessageContent, proto, toNumber, type BaileysEventMap, type Chat, type Contact, type WAMessage } from 'baileys';
import type { ChatState, ContactInfo } from '../chats.js';
import type { EngineLogger } from '../port.js';
import type { TypedEmitter } from '../typed-emitter.js';
import type { EngineEventMap, EngineMessage, Me } from '../types.js';
import type { JidResolver } from './jid-resolver.js';
import { bareJid, isLid, isPn } from './jids.js';
import { normaliseMessage } from './message-content.js';

type Events = Partial<BaileysEventMap>;

export interface ChatEventDeps {
  emitter: TypedEmitter<EngineEventMap>;
  resolver: JidResolver;
  me: () => Me | null;
  logger: EngineLogger;
}

const SYNC_TYPES: Record<number, string> = Object.fromEntries(
  Object.entries(proto.HistorySync.HistorySyncType).map(([name, value]) => [value as number, name.toLowerCase()])
);

/** Mute ends later than this (year ~33658) mean for ever. */
const FOREVER_AFTER_MS = 1e15;

/** Epoch seconds from WhatsApp's seconds or milliseconds. */
const seconds = (value: number) => (value > 100_000_000_000 ? Math.floor(value / 1000) : value);

const numberOf = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  const n = toNumber(value as number);
  return Number.isFinite(n) ? n : null;
};

export const pushNameKey = (jid: string, pushName: string) => `${jid}\u0000${pushName}`;

/** A contacts.update that only says a push name a message of the batch carries (no name, no business name). */
function repeatsPushName(contact: Partial<Contact>, named: ReadonlySet<string>): boolean {
  const only = Object.entries(contact).every(([field, value]) => field === 'id' || field === 'notify' || value === undefined);
  return only && !!contact.id && !!contact.notify && named.has(pushNameKey(contact.id, contact.notify));
}

export class ChatEventMapper {
  constructor(private readonly deps: ChatEventDeps) {}

  /**
   * `named`: senders (`pushNameKey`) of this batch's `message` events, which carry their push names. Baileys
   * repeats each one as a contacts.update; reporting it again would cost the store a second write per message.
   */
  async dispatch(events: Events, named: ReadonlySet<string> = new Set()): Promise<void> {
    await this.step('lid-mapping.update', events, async (m) => this.mappings([m]));
    await this.step('messaging-history.set', events, (h) => this.history(h));
    await this.step('chats.upsert', events, (chats) => this.chatStates(chats, 'server'));
    await this.step('chats.update', events, (chats) => this.chatStates(chats, 'app_state'));
    await this.step('chats.delete', events, (ids) => this.deleted(ids));
    await this.step('contacts.upsert', events, (contacts) => this.contacts(contacts));
    await this.step('contacts.update', events, (contacts) => this.contacts(contacts.filter((contact) => !repeatsPushName(contact, named))));
  }

  private async step<K extends keyof BaileysEventMap>(event: K, events: Events, map: (data: BaileysEventMap[K]) => Promise<void>): Promise<void> {
    const data = events[event];
    if (data === undefined) return;
    try {
      await map(data as BaileysEventMap[K]);
    } catch (error) {
      this.deps.logger.error({ err: error, event }, 'could not map a WhatsApp chat event');
    }
  }

  private async chatJid(id: string | null | undefined, resolver = this.deps.resolver): Promise<string | null> {
    if (!id) return null;
    if (isJidGroup(id)) return id;
    const ref = await resolver.ref(id);
    return ref && (isPn(ref.jid) || isLid(ref.jid)) ? ref.jid : null;
  }

  /** What a chat object (history, app state) says about the chat's state; null when it says nothing the port reports. */
  private async state(chat: Partial<Chat>, source: 'history' | 'app_state' | 'server', resolver = this.deps.resolver): Promise<ChatState | null> {
    const jid = await this.chatJid(chat.id, resolver);
    if (!jid) return null;
    const state: ChatState = { chat: jid };
    if (typeof chat.name === 'string' && chat.name) state.name = chat.name;
    if (typeof chat.archived === 'boolean') state.archived = chat.archived;
    if (chat.pinned !== undefined) {
      const pinned = numberOf(chat.pinned);
      state.pinnedAt = pinned ? seconds(pinned) : null;
    }
    if (chat.muteEndTime !== undefined) {
      const until = numberOf(chat.muteEndTime);
      // "For ever" is -1, which WhatsApp's unsigned field also carries as 2^64 - 1.
      state.mutedUntil = until === null || until === 0 ? null : until === -1 || until > FOREVER_AFTER_MS ? -1 : until > 0 ? until : null;
    }
    const unread = typeof chat.unreadCount === 'number' ? chat.unreadCount : null;
    if (source === 'history') {
      if (unread !== null && unread >= 0) state.unreadCount = unread;
      if (chat.markedAsUnread) state.markedUnread = true;
      const at = numberOf(chat.conversationTimestamp ?? chat.lastMessageRecvTimestamp);
      if (at) state.lastMessageAt = seconds(at);
    } else if (source === 'app_state') {
      // 0 = marked read, -1 = marked unread (app state); a positive count is Baileys counting a message.
      if (unread === 0) Object.assign(state, { unreadCount: 0, markedUnread: false });
      if (unread === -1) state.markedUnread = true;
    }
    return Object.keys(state).length > 1 ? state : null;
  }

  private async chatStates(chats: Partial<Chat>[], source: 'app_state' | 'server'): Promise<void> {
    const states = (await Promise.all(chats.map((chat) => this.state(chat, source)))).filter((s): s is ChatState => !!s);
    if (states.length) this.deps.emitter.emit('chat_update', { source, chats: states });
  }

  private async deleted(ids: string[]): Promise<void> {
    const chats = (await Promise.all(ids.map((id) => this.chatJid(id)))).filter((id): id is string => !!id);
    if (chats.length) this.deps.emitter.emit('chat_delete', { chats });
  }

  private async contactInfos(contacts: Partial<Contact>[]): Promise<ContactInfo[]> {
    const refs = await this.deps.resolver.refs(contacts.map((c) => [c.id, c.phoneNumber ?? c.lid] as const));
    const out: ContactInfo[] = [];
    contacts.forEach((contact, i) => {
      const ref = refs[i];
      if (!ref || !(isPn(ref.jid) || isLid(ref.jid))) return;
      const info: ContactInfo = { jid: ref.jid, pn: ref.pn ?? (isPn(contact.phoneNumber) ? bareJid(contact.phoneNumber) : null), lid: ref.lid ?? (isLid(contact.lid) ? bareJid(contact.lid) : null) };
      if (contact.name !== undefined) info.name = contact.name || null;
      if (contact.notify !== undefined) info.notify = contact.notify || null;
      if (contact.verifiedName !== undefined) info.verifiedName = contact.verifiedName || null;
      out.push(info);
    });
    return out;
  }

  private async contacts(contacts: Partial<Contact>[]): Promise<void> {
    const infos = await this.contactInfos(contacts);
    if (infos.length) this.deps.emitter.emit('contacts_update', { contacts: infos });
  }

  private mappings(pairs: { lid: string; pn: string }[]): void {
    const mappings = pairs.filter((p) => isLid(p.lid) && isPn(p.pn)).map((p) => ({ pn: bareJid(p.pn), lid: bareJid(p.lid) }));
    if (mappings.length) this.deps.emitter.emit('identity_mapping', { mappings });
  }

  private async historyMessage(msg: WAMessage, resolver: JidResolver): Promise<EngineMessage | null> {
    if (msg.messageStubType) return null;
    const content = normalizeMessageContent(msg.message);
    if (!content || content.protocolMessage || content.reactionMessage || content.pollUpdateMessage) return null;
    return normaliseMessage(msg, this.deps.me(), resolver);
  }

  private async history(set: BaileysEventMap['messaging-history.set']): Promise<void> {
    const mappings = (set.lidPnMappings ?? []).filter((p) => isLid(p.lid) && isPn(p.pn)).map((p) => ({ pn: bareJid(p.pn), lid: bareJid(p.lid) }));
    // Every chat and author the chunk names, looked up once (not once per message).
    const resolver = await this.deps.resolver.batch([
      ...set.chats.map((chat) => [chat.id] as const),
      ...set.messages.flatMap(({ key }) => [[key.remoteJid, key.remoteJidAlt] as const, ...(key.participant ? [[key.participant, key.participantAlt] as const] : [])])
    ]);
    const chats = (await Promise.all(set.chats.map((chat) => this.state(chat, 'history', resolver)))).filter((s): s is ChatState => !!s);
    const contacts = await this.contactInfos(set.contacts);
    const messages: EngineMessage[] = [];
    for (const msg of set.messages) {
      const message = await this.historyMessage(msg, resolver);
      if (message) messages.push(message);
    }
    this.deps.emitter.emit('history_sync', {
      syncType: set.syncType === null || set.syncType === undefined ? 'unknown' : (SYNC_TYPES[set.syncType] ?? String(set.syncType)),
      progress: set.progress ?? null,
      chats,
      contacts,
      messages,
      mappings
    });
  }
}
