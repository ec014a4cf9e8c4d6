// Baileys events → port events: received messages, and apart from them the edits, revokes, reactions and poll
// votes they carry, delivery statuses and receipts, calls, group changes, join requests and presence, each with
// PN and LID filled in. Keeps the group metadata cache in step with what the events say changed. Connection and
// creds events are the session's business (session.ts). Everything is emitted while the batch is handled, so
// before the stanza that brought it is acknowledged (durable-receipt.ts).
import { isJidGroup, normalizeMessageContent, proto, toNumber, type BaileysEventMap, type GroupMetadata as BaileysGroupMetadata, type WAMessage } from 'baileys';
import type { EngineLogger } from '../port.js';
import type { TypedEmitter } from '../typed-emitter.js';
import type { CallEvent, ContactRef, DeliveryStatus, EngineEventMap, GroupChanges, Me } from '../types.js';
import type { BoundedMap } from '../../lib/bounded-map.js';
import type { RecentMessages } from './recent-messages.js';
import type { JidResolver } from './jid-resolver.js';
import { messageEdit, messageReaction, messageRevoke } from './message-changes.js';
import { chatOf, normaliseMessage } from './message-content.js';
import type { MessageLookup } from './message-lookup.js';
import { pollVote } from './poll-votes.js';
import { ChatEventMapper, pushNameKey } from './chat-events.js';
import { bareJid } from './jids.js';

export interface EventMapperDeps {
  emitter: TypedEmitter<EngineEventMap>;
  resolver: JidResolver;
  me: () => Me | null;
  groupMetadata: BoundedMap<string, BaileysGroupMetadata>;
  recentMessages: RecentMessages;
  findMessage: MessageLookup;
  logger: EngineLogger;
}

type Events = Partial<BaileysEventMap>;

const STATUSES: Record<number, DeliveryStatus> = {
  [proto.WebMessageInfo.Status.ERROR]: 'error',
  [proto.WebMessageInfo.Status.PENDING]: 'pending',
  [proto.WebMessageInfo.Status.SERVER_ACK]: 'sent',
  [proto.WebMessageInfo.Status.DELIVERY_ACK]: 'delivered',
  [proto.WebMessageInfo.Status.READ]: 'read',
  [proto.WebMessageInfo.Status.PLAYED]: 'played'
};

const CALL_STATUSES: readonly string[] = ['offer', 'ringing', 'accept', 'reject', 'timeout', 'terminate'] satisfies CallEvent['status'][];

/** The call states the port reports; Baileys' preaccept, transport and relaylatency are signalling detail. */
const reportedCallStatus = (status: string): status is CallEvent['status'] => CALL_STATUSES.includes(status);

const groupOf = (jid: string | null | undefined): string | null => (isJidGroup(jid ?? undefined) ? jid! : null);

function sameUser(a: ContactRef, b: ContactRef): boolean {
  return (!!a.lid && a.lid === b.lid) || (!!a.pn && a.pn === b.pn) || a.jid === b.jid;
}

export class EventMapper {
  private readonly chats: ChatEventMapper;

  constructor(private readonly deps: EventMapperDeps) {
    this.chats = new ChatEventMapper(deps);
  }

  /** Maps one batch; a failure in one kind of event is logged and does not hold back the others. */
  async dispatch(events: Events): Promise<void> {
    const named = new Set<string>();
    await this.step('messages.upsert', events, (u) => this.upserts(u.messages, named));
    await this.step('messages.update', events, (u) => this.statuses(u));
    await this.step('message-receipt.update', events, (u) => this.receipts(u));
    await this.step('groups.upsert', events, async (groups) => groups.forEach((g) => this.deps.groupMetadata.set(g.id, g)));
    await this.step('groups.update', events, (u) => this.groupUpdates(u));
    await this.step('group-participants.update', events, (u) => this.participants(u));
    await this.step('group.join-request', events, (u) => this.joinRequest(u));
    await this.step('presence.update', events, (u) => this.presence(u));
    await this.step('call', events, (calls) => this.calls(calls));
    await this.chats.dispatch(events, named);
  }

  private async step<K extends keyof BaileysEventMap>(event: K, events: Events, map: (data: BaileysEventMap[K]) => Promise<void>): Promise<void> {
    const data = events[event];
    if (data === undefined) return;
    try {
      await map(data as BaileysEventMap[K]);
    } catch (error) {
      this.deps.logger.error({ err: error, event }, 'could not map a WhatsApp event');
    }
  }

  // Both upsert types matter: offline deliveries and messages from the account's other devices come as `append`.
  /** `named`: the senders whose push names the `message` events carried (see ChatEventMapper.dispatch). */
  private async upserts(messages: WAMessage[], named: Set<string>): Promise<void> {
    const { emitter, resolver } = this.deps;
    for (const msg of messages) {
      // Group notifications also arrive as stub messages and are reported by the group events, except the
      // picture change, which Baileys reports only this way.
      if (msg.messageStubType === proto.WebMessageInfo.StubType.GROUP_CHANGE_ICON && isJidGroup(msg.key.remoteJid ?? undefined)) {
        const author = await resolver.ref(msg.key.participant ?? msg.participant, msg.key.participantAlt, msg.key.remoteJid);
        emitter.emit('group_update', { groupId: msg.key.remoteJid!, author, changes: { pictureId: msg.messageStubParameters?.[0] ?? null } });
      }
      if (!msg.messageStubType) await this.upsert(msg, named);
    }
  }

  /** A message, or one that changes another (edit, revoke, reaction, poll vote): each has its own event. */
  private async upsert(msg: WAMessage, named: Set<string>): Promise<void> {
    const { resolver } = this.deps;
    const me = this.deps.me();
    const content = normalizeMessageContent(msg.message);
    if (content?.protocolMessage) return this.protocol(msg, content.protocolMessage, me);
    if (content?.reactionMessage) return this.emitSome('message_reaction', await messageReaction(msg, content.reactionMessage, me, resolver));
    if (content?.pollUpdateMessage) return this.emitSome('poll_vote', await pollVote(msg, content.pollUpdateMessage, { ...this.deps, me }));
    const message = await normaliseMessage(msg, me, resolver);
    if (!message) return;
    this.deps.recentMessages.remember(message.id, msg.message);
    // The sender as Baileys names it in the contacts.update that repeats the push name.
    if (!message.fromMe && msg.pushName) named.add(pushNameKey(bareJid(msg.key.participant || msg.key.remoteJid), msg.pushName));
    this.deps.emitter.emit('message', message);
  }

  /** Edits, revokes and group timer changes; the other protocol messages (keys, history, app state) are not reported. */
  private async protocol(msg: WAMessage, protocol: proto.Message.IProtocolMessage, me: Me | null): Promise<void> {
    const { resolver } = this.deps;
    const { Type } = proto.Message.ProtocolMessage;
    switch (protocol.type) {
      case Type.MESSAGE_EDIT:
        return this.emitSome('message_edit', await messageEdit(msg, protocol, me, resolver));
      case Type.REVOKE:
        return this.emitSome('message_revoke', await messageRevoke(msg, protocol, me, resolver));
      case Type.EPHEMERAL_SETTING:
        if (isJidGroup(msg.key.remoteJid ?? undefined)) {
          const author = await resolver.ref(msg.key.participant, msg.key.participantAlt, msg.key.remoteJid);
          this.deps.emitter.emit('group_update', { groupId: msg.key.remoteJid!, author, changes: { ephemeral: protocol.ephemeralExpiration ?? 0 } });
        }
    }
  }

  private emitSome<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K] | null): void {
    if (payload) this.deps.emitter.emit(event, payload);
  }

  private async calls(calls: BaileysEventMap['call']): Promise<void> {
    for (const call of calls) {
      if (!reportedCallStatus(call.status)) continue;
      const from = await this.deps.resolver.ref(call.from, call.callerPn);
      if (!from) continue;
      this.deps.emitter.emit('call', {
        id: call.id,
        from,
        groupId: call.groupJid ?? null,
        status: call.status,
        video: !!call.isVideo,
        timestamp: Math.floor(call.date.getTime() / 1000)
      });
    }
  }

  private async statuses(updates: BaileysEventMap['messages.update']): Promise<void> {
    for (const { key, update } of updates) {
      const status = typeof update.status === 'number' ? STATUSES[update.status] : undefined;
      const chat = await chatOf(key, this.deps.resolver);
      if (!status || !chat || !key.id) continue;
      this.deps.emitter.emit('message_status', { id: key.id, chat: chat.jid, fromMe: !!key.fromMe, participant: null, status, timestamp: null });
    }
  }

  // Group receipts come per member as `message-receipt.update`, not as `messages.update`.
  private async receipts(updates: BaileysEventMap['message-receipt.update']): Promise<void> {
    const readers = await this.deps.resolver.refs(updates.map(({ key, receipt }) => [receipt.userJid, null, groupOf(key.remoteJid)] as const));
    for (const [i, { key, receipt }] of updates.entries()) {
      const chat = await chatOf(key, this.deps.resolver);
      if (!chat || !key.id) continue;
      const status: DeliveryStatus = receipt.playedTimestamp ? 'played' : receipt.readTimestamp ? 'read' : 'delivered';
      const at = receipt.playedTimestamp ?? receipt.readTimestamp ?? receipt.receiptTimestamp;
      this.deps.emitter.emit('message_status', {
        id: key.id,
        chat: chat.jid,
        fromMe: !!key.fromMe,
        participant: readers[i] ?? null,
        status,
        timestamp: at ? toNumber(at) : null
      });
    }
  }

  private async groupUpdates(updates: BaileysEventMap['groups.update']): Promise<void> {
    for (const update of updates) {
      if (!update.id) continue;
      // A full metadata refresh (groupFetchAllParticipating) is emitted as groups.update too: cache it, it is no change.
      if (update.participants) {
        this.deps.groupMetadata.set(update.id, update as BaileysGroupMetadata);
        continue;
      }
      const changes: GroupChanges = {};
      if (update.subject !== undefined) changes.subject = update.subject;
      if ('desc' in update) changes.description = update.desc ?? null;
      if (update.announce !== undefined) changes.announce = update.announce;
      if (update.restrict !== undefined) changes.restrict = update.restrict;
      if (update.inviteCode !== undefined) changes.inviteCode = update.inviteCode;
      if (update.memberAddMode !== undefined) changes.memberAddMode = update.memberAddMode ? 'all_member_add' : 'admin_add';
      if (update.joinApprovalMode !== undefined) changes.joinApprovalMode = update.joinApprovalMode;
      const changed = Object.keys(changes).length > 0;
      // Resolved before the change drops the cached metadata, which knows the author's number.
      const author = changed ? await this.deps.resolver.ref(update.author, update.authorPn, update.id) : null;
      this.deps.groupMetadata.delete(update.id);
      if (changed) this.deps.emitter.emit('group_update', { groupId: update.id, author, changes });
    }
  }

  private async participants(update: BaileysEventMap['group-participants.update']): Promise<void> {
    // 'modify' is a member changing their number; the port does not report it.
    if (update.action === 'modify') {
      this.deps.groupMetadata.delete(update.id);
      return;
    }
    // Resolved before the change drops the cached metadata, which knows the author's number.
    const [author, ...participants] = await this.deps.resolver.refs([
      [update.author, update.authorPn, update.id],
      ...update.participants.map((p) => [p.id, p.phoneNumber ?? p.lid, update.id] as const)
    ]);
    this.deps.groupMetadata.delete(update.id);
    const people = participants.filter((p): p is ContactRef => !!p);
    // Baileys reports someone leaving as 'remove' (WhatsApp sends a remove of the author by the author).
    const leave = update.action === 'remove' && people.length === 1 && !!author && sameUser(people[0]!, author);
    this.deps.emitter.emit('group_participants', { groupId: update.id, author: author ?? null, action: leave ? 'leave' : update.action, participants: people });
  }

  private async joinRequest(request: BaileysEventMap['group.join-request']): Promise<void> {
    const [author, participant] = await this.deps.resolver.refs([
      [request.author, request.authorPn, request.id],
      [request.participant, request.participantPn, request.id]
    ]);
    if (!participant) return;
    this.deps.emitter.emit('group_join_request', {
      groupId: request.id,
      author: author ?? null,
      participant,
      action: request.action,
      method: request.method ?? null
    });
  }

  private async presence(update: BaileysEventMap['presence.update']): Promise<void> {
    const chat = isJidGroup(update.id) ? update.id : ((await this.deps.resolver.ref(update.id))?.jid ?? update.id);
    for (const [jid, data] of Object.entries(update.presences)) {
      const participant = await this.deps.resolver.ref(jid, null, groupOf(update.id));
      if (!participant) continue;
      this.deps.emitter.emit('presence', {
        chat,
        participant,
        presence: data.lastKnownPresence,
        lastSeen: data.lastSeen ?? null
      });
    }
  }
}
