// Test support: FakeEngineSession, a small in-memory WhatsApp for core unit tests. It owns one session's
// lifecycle state (status, `me`) and a group world that follows WhatsApp's rules and answers with its codes
// (404 no such group, 403 not a member, 401 not an admin, 409 already in, 410 revoked invite, 406 unknown invite),
// and around it what tests need: scripted failures (`failNext`), held answers (`hold`), call counters (`calls`),
// and `notify*` helpers that change the world and emit the engine event WhatsApp's notification would produce.
// Message commands and contact lookups are recorded stubs (`messageCalls`; sends answer with the id they were
// given, downloads with `downloads`). Commands reject with EngineNotConnectedError unless WORKING.
import { EngineInvalidArgumentError, EngineNotConnectedError, EngineRemoteError, EngineStateError } from '../errors.js';
import type { ContactCommands, EngineSession, GroupCommands, InviteAcceptance, MessageCommands } from '../port.js';
import type { AboutText, BusinessProfile, ProfileCommands, ProfilePicture } from '../profile.js';
import type { ChatCommands, ChatLastMessage } from '../chats.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { ChatPresence, ContactRef, EngineEventMap, GroupAdmin, GroupChanges, GroupMetadata, GroupParticipant, GroupParticipantAction, MessageKey } from '../types.js';
import type { JoinRequest, Me, MemberAddMode, OutboundContent, ParticipantResult, SendOptions, SentMessage, SessionStatus, StatusChange } from '../types.js';

/** Every command of the port, by sub-port: `groups.revokeInvite`, `messages.send`, `contacts.onWhatsApp`… */
export type FakeCommand = `groups.${keyof GroupCommands & string}` | `messages.${keyof MessageCommands & string}` | `contacts.${keyof ContactCommands & string}` | `profile.${keyof ProfileCommands & string}` | `chats.${keyof ChatCommands & string}`;

/** `pn` defaults to `jid` when that is a phone-number JID; `admin` to null (a plain member). */
export type FakeParticipant = { jid: string; lid?: string | null; pn?: string | null; admin?: GroupAdmin };

/** A group to put in the world; the invite code is generated when absent. */
export type FakeGroup = { id: string; subject: string; participants: FakeParticipant[]; inviteCode?: string } & Partial<
  Pick<GroupMetadata, 'description' | 'restrict' | 'announce' | 'joinApprovalMode' | 'memberAddMode'>
>;

/** One message command as it was called, in call order (failed calls included). */
export type FakeMessageCall =
  | { command: 'send'; to: string; content: OutboundContent; options: SendOptions }
  | { command: 'react'; key: MessageKey; emoji: string; id: string }
  | { command: 'edit'; key: MessageKey; text: string; id: string }
  | { command: 'revoke'; key: MessageKey; id: string }
  | { command: 'deleteForMe'; key: MessageKey; timestamp: number; deleteMedia: boolean }
  | { command: 'star'; key: MessageKey; starred: boolean }
  | { command: 'read'; keys: MessageKey[] }
  | { command: 'presence'; state: ChatPresence; chat: string | null }
  | { command: 'downloadMedia'; raw: unknown };

/** `me`: the linked account (default FAKE_ME; null: not linked, start() shows a QR); `status` defaults to WORKING. */
export type FakeEngineOptions = { sessionId?: string; me?: Me | null; status?: SessionStatus };

export const FAKE_ME: Me = { id: '15550000001@s.whatsapp.net', lid: '100000000000001@lid', name: 'Fake' };

/** WhatsApp's error text per code. */
const TEXTS: Record<number, string> = { 400: 'bad-request', 401: 'not-authorized', 403: 'forbidden', 404: 'item-not-found', 406: 'not-acceptable', 409: 'conflict', 410: 'gone' };

interface World { meta: GroupMetadata; code: string; requests: JoinRequest[]; picture: string | null }

type Need = 'member' | 'admin' | 'info';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const matches = (p: ContactRef, jid: string) => p.jid === jid || p.lid === jid || p.pn === jid;
const contactOf = ({ jid, lid, pn }: ContactRef): ContactRef => ({ jid, lid, pn });
const toParticipant = (p: FakeParticipant | string): GroupParticipant => {
  const given = typeof p === 'string' ? { jid: p } : p;
  const pn = given.pn !== undefined ? given.pn : given.jid.endsWith('@s.whatsapp.net') ? given.jid : null;
  return { jid: given.jid, lid: given.lid ?? null, pn, admin: given.admin ?? null };
};
/** What WhatsApp answers is a copy: callers (and caches) never share the world's objects. */
const snapshot = (meta: GroupMetadata): GroupMetadata => structuredClone({ ...meta, size: meta.participants.length });

export class FakeEngineSession implements EngineSession {
  readonly sessionId: string;
  readonly events = new TypedEmitter<EngineEventMap>((_, error) => { throw error; });
  me: Me | null;
  /** digits of the numbers `contacts.onWhatsApp` reports as registered */
  readonly registered = new Set<string>();
  /** picture URLs `contacts.pictureUrl` answers, by JID */
  readonly profilePictures = new Map<string, string>();
  /** LIDs `contacts.onWhatsApp` reports, by digits of the number (registered numbers without one get none) */
  readonly lids = new Map<string, string>();
  /** `profile.*` world: pictures (own one under `me.id`), about texts and business profiles by JID, our privacy settings */
  readonly profileWorld = {
    pictures: new Map<string, ProfilePicture>(),
    abouts: new Map<string, AboutText>(),
    businesses: new Map<string, BusinessProfile>(),
    privacy: { readreceipts: 'all', last: 'all', online: 'all', profile: 'all', status: 'all', groupadd: 'all', calladd: 'all', messages: 'all' } as Record<string, string>,
    /** what `profile.setPicture` received last */
    lastImage: null as Buffer | null
  };
  /** every message command called, in order */
  readonly messageCalls: FakeMessageCall[] = [];
  /** every chat command called, in order: the command and its arguments */
  readonly chatCalls: { command: keyof ChatCommands; chat: string; value?: unknown; last?: ChatLastMessage | null }[] = [];
  /** what `messages.downloadMedia` answers, by the id in the raw message's key (404 for others) */
  readonly downloads = new Map<string, Buffer>();
  private currentStatus: SessionStatus;
  private readonly world = new Map<string, World>();
  private readonly revokedCodes = new Set<string>();
  private readonly counts = new Map<FakeCommand, number>();
  private readonly failures = new Map<FakeCommand, Error[]>();
  private readonly holds = new Map<FakeCommand, Promise<void>>();
  private seq = 0;

  constructor(options: FakeEngineOptions = {}) {
    this.sessionId = options.sessionId ?? 'fake';
    this.me = options.me === undefined ? FAKE_ME : options.me;
    this.currentStatus = options.status ?? 'WORKING';
  }

  get status(): SessionStatus { return this.currentStatus; }

  /** Moves to the status (WORKING also sets `me`) and emits it, as the engine reports a connection change. */
  setStatus(change: StatusChange): void {
    this.currentStatus = change.status;
    if (change.status === 'WORKING') this.me = change.me;
    this.events.emit('status', change);
  }

  async start(): Promise<void> {
    this.setStatus({ status: 'STARTING' });
    if (this.me) this.setStatus({ status: 'WORKING', me: this.me });
    else this.setStatus({ status: 'SCAN_QR_CODE', qr: `fake-qr-${++this.seq}`, expiresInMs: 60_000 });
  }

  async stop(): Promise<void> { this.setStatus({ status: 'STOPPED' }); }

  async logout(): Promise<void> {
    this.me = null;
    this.setStatus({ status: 'LOGGED_OUT', reason: 'logged out' });
  }

  async requestPairingCode(phone: string): Promise<string> {
    if (this.me) throw new EngineStateError(this.currentStatus, 'this session is already linked');
    if (this.currentStatus !== 'SCAN_QR_CODE') await this.start();
    const code = `FK${String(++this.seq).padStart(6, '0')}`;
    this.events.emit('pairing_code', { phone, code });
    return code;
  }

  /** How many times the command was called (failed calls included). */
  calls(command: FakeCommand): number { return this.counts.get(command) ?? 0; }

  /** The next `times` calls of the command fail: a number is WhatsApp refusing with that code (EngineRemoteError). */
  failNext(command: FakeCommand, failure: number | Error, times = 1): void {
    const error = typeof failure === 'number' ? this.refuse(failure, command) : failure;
    this.failures.set(command, [...(this.failures.get(command) ?? []), ...Array<Error>(times).fill(error)]);
  }

  /** Holds the command's answers until the returned release is called: answered from the world as it is when called, delivered then. */
  hold(command: FakeCommand): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(command, gate);
    return () => {
      if (this.holds.get(command) === gate) this.holds.delete(command);
      release();
    };
  }

  /** Creates a group in the world (no event: it existed before the test looked). The first superadmin owns it. */
  addGroup(group: FakeGroup): GroupMetadata {
    const participants = group.participants.map(toParticipant);
    const creator = participants.find((p) => p.admin === 'superadmin');
    const meta: GroupMetadata = {
      id: group.id, subject: group.subject, description: group.description ?? null, owner: creator ? (creator.pn ?? creator.jid) : null,
      creation: nowSeconds(), announce: group.announce ?? false, restrict: group.restrict ?? false, joinApprovalMode: group.joinApprovalMode ?? false,
      memberAddMode: group.memberAddMode ?? 'admin_add', ephemeral: 0, addressingMode: 'lid', size: participants.length, participants
    };
    this.world.set(group.id, { meta, code: group.inviteCode ?? this.newCode(), requests: [], picture: null });
    return meta;
  }

  /** The group as WhatsApp holds it. Editing it directly is a change nobody was notified of. */
  group(groupId: string): GroupMetadata { return this.existing(groupId).meta; }

  inviteCodeOf(groupId: string): string { return this.existing(groupId).code; }

  /** Someone changed the group (e.g. on a phone): applied to the world, then `group_update` as WhatsApp notifies it. */
  notifyUpdate(groupId: string, changes: GroupChanges, author: ContactRef | null = null): void {
    const world = this.existing(groupId);
    const { inviteCode, pictureId, ...fields } = changes;
    Object.assign(world.meta, fields);
    if (inviteCode !== undefined) this.rotate(world, inviteCode);
    if (pictureId !== undefined) world.picture = pictureId === null ? null : `https://pps.whatsapp.invalid/${groupId}/${pictureId}.jpg`;
    this.events.emit('group_update', { groupId, author, changes });
  }

  /** People were added, removed, promoted, demoted or left: applied to the world, then `group_participants`. */
  notifyParticipants(groupId: string, action: GroupParticipantAction, people: (FakeParticipant | string)[], author: ContactRef | null = null): void {
    const list = this.existing(groupId).meta.participants;
    const refs = people.map((p) => {
      const given = toParticipant(p);
      return list.find((member) => matches(member, given.jid)) ?? given;
    });
    for (const person of refs) {
      const at = list.indexOf(person);
      if (action === 'add') {
        if (at < 0) list.push(person);
      } else if (action === 'remove' || action === 'leave') {
        if (at >= 0) list.splice(at, 1);
      } else if (at >= 0 && person.admin !== 'superadmin') person.admin = action === 'promote' ? 'admin' : null;
    }
    this.events.emit('group_participants', { groupId, author, action, participants: refs.map(contactOf) });
  }

  /** Someone asked to join (or withdrew, or was rejected): applied to the pending requests, then `group_join_request`. */
  notifyJoinRequest(groupId: string, who: FakeParticipant | string, action: 'created' | 'revoked' | 'rejected' = 'created', method: string | null = 'invite_link'): void {
    const world = this.existing(groupId);
    const person = contactOf(toParticipant(who));
    world.requests = world.requests.filter((r) => !matches(r, person.jid));
    if (action === 'created') world.requests.push({ ...person, method, requestedAt: nowSeconds() });
    this.events.emit('group_join_request', { groupId, author: action === 'rejected' ? null : person, participant: person, action, method });
  }

  readonly messages: MessageCommands = {
    newMessageId: () => `3EB0FAKE${String(++this.seq).padStart(12, '0')}`,
    send: (to, content, options) => this.sent('messages.send', { command: 'send', to, content, options }, to, options.id, content.type),
    react: (key, emoji, { id }) => this.sent('messages.react', { command: 'react', key, emoji, id }, key.chat, id, 'reaction'),
    edit: (key, text, { id }) => this.sent('messages.edit', { command: 'edit', key, text, id }, key.chat, id, 'edit'),
    revoke: (key, { id }) => this.sent('messages.revoke', { command: 'revoke', key, id }, key.chat, id, 'revoke'),
    deleteForMe: (key, timestamp, deleteMedia) => this.recorded('messages.deleteForMe', { command: 'deleteForMe', key, timestamp, deleteMedia }, () => undefined),
    star: (key, starred) => this.recorded('messages.star', { command: 'star', key, starred }, () => undefined),
    read: (keys) => this.recorded('messages.read', { command: 'read', keys }, () => undefined),
    presence: (state, chat) => this.recorded('messages.presence', { command: 'presence', state, chat: chat ?? null }, () => undefined),
    downloadMedia: (raw) =>
      this.recorded('messages.downloadMedia', { command: 'downloadMedia', raw }, () => {
        const data = this.downloads.get((raw as { key?: { id?: string } } | null)?.key?.id ?? '');
        if (!data) throw this.refuse(404, 'messages.downloadMedia');
        return data;
      })
  };

  readonly contacts: ContactCommands = {
    onWhatsApp: (numbers) =>
      this.run('contacts.onWhatsApp', () =>
        numbers.map((input) => {
          const digits = input.replace(/\D/g, '');
          const exists = this.registered.has(digits);
          return { input, jid: exists ? `${digits}@s.whatsapp.net` : null, lid: exists ? (this.lids.get(digits) ?? null) : null, exists };
        })
      ),
    pictureUrl: (jid) => this.run('contacts.pictureUrl', () => this.profilePictures.get(jid) ?? null),
    // The LID of a PN from `lids` (digits → LID JID), and back.
    resolveLid: (jid) =>
      this.run('contacts.resolveLid', (): ContactRef => {
        const user = jid.split(/[:@]/)[0]!.replace(/\D/g, '');
        if (jid.endsWith('@lid')) {
          const pn = [...this.lids].find(([, lid]) => lid.split('@')[0] === user)?.[0];
          return { jid: pn ? `${pn}@s.whatsapp.net` : `${user}@lid`, lid: `${user}@lid`, pn: pn ? `${pn}@s.whatsapp.net` : null };
        }
        const pn = `${user}@s.whatsapp.net`;
        return { jid: pn, pn, lid: this.lids.get(user) ?? null };
      })
  };

  readonly profile: ProfileCommands = {
    picture: (jid) => this.run('profile.picture', () => this.profileWorld.pictures.get(jid) ?? null),
    setPicture: (image) =>
      this.run('profile.setPicture', () => {
        this.profileWorld.lastImage = image;
        this.profileWorld.pictures.set(this.self().id, { url: `https://fake.invalid/pp/${++this.seq}.jpg`, id: String(this.seq) });
      }),
    removePicture: () => this.run('profile.removePicture', () => void this.profileWorld.pictures.delete(this.self().id)),
    privacy: () => this.run('profile.privacy', () => ({ ...this.profileWorld.privacy })),
    about: (jid) => this.run('profile.about', () => this.profileWorld.abouts.get(jid) ?? null),
    businessProfile: (jid) => this.run('profile.businessProfile', () => this.profileWorld.businesses.get(jid) ?? null)
  };

  readonly chats: ChatCommands = {
    archive: (chat, archived, last) => this.chatCall('archive', chat, archived, last),
    pin: (chat, pinned) => this.chatCall('pin', chat, pinned),
    mute: (chat, until) => this.chatCall('mute', chat, until),
    markRead: (chat, read, last) => this.chatCall('markRead', chat, read, last),
    clear: (chat, last) => this.chatCall('clear', chat, undefined, last),
    pinMessage: (key, pin, { id, seconds }) => {
      this.chatCalls.push({ command: 'pinMessage', chat: key.chat, value: { key, pin, seconds } });
      return this.sent('chats.pinMessage', { command: 'send', to: key.chat, content: { type: 'text', text: 'pin' }, options: { id } }, key.chat, id, 'pin');
    }
  };

  private chatCall(command: keyof ChatCommands, chat: string, value?: unknown, last?: ChatLastMessage | null): Promise<void> {
    this.chatCalls.push({ command, chat, value, last });
    return this.run(`chats.${command}`, () => undefined);
  }

  readonly groups: GroupCommands = {
    list: () => this.run('groups.list', () => [...this.world.values()].filter((w) => this.mine(w)).map((w) => snapshot(w.meta))),
    metadata: (groupId) => this.run('groups.metadata', () => snapshot(this.authorize('groups.metadata', groupId, 'member').meta)),
    create: (subject, participants) =>
      this.run('groups.create', () => {
        const me = this.self();
        const creator: FakeParticipant = { jid: me.id, lid: me.lid, admin: 'superadmin' };
        return snapshot(this.addGroup({ id: `${120363000000 + ++this.seq}@g.us`, subject, participants: [creator, ...participants.map((jid) => ({ jid }))] }));
      }),
    leave: (groupId) =>
      this.run('groups.leave', () => {
        const { meta } = this.authorize('groups.leave', groupId, 'member');
        meta.participants = meta.participants.filter((p) => p !== this.mine({ meta }));
      }),
    updateSubject: (groupId, subject) => this.change('groups.updateSubject', groupId, 'info', (w) => (w.meta.subject = subject)),
    updateDescription: (groupId, description) => this.change('groups.updateDescription', groupId, 'info', (w) => (w.meta.description = description)),
    setting: (groupId, setting) =>
      this.change('groups.setting', groupId, 'admin', ({ meta }) => {
        if (setting === 'announcement' || setting === 'not_announcement') meta.announce = setting === 'announcement';
        else meta.restrict = setting === 'locked';
      }),
    joinApprovalMode: (groupId, enabled) => this.change('groups.joinApprovalMode', groupId, 'admin', (w) => (w.meta.joinApprovalMode = enabled)),
    memberAddMode: (groupId, mode) => this.change('groups.memberAddMode', groupId, 'admin', (w) => (w.meta.memberAddMode = mode)),
    ephemeral: (groupId, seconds) => this.change('groups.ephemeral', groupId, 'info', (w) => (w.meta.ephemeral = seconds)),
    inviteCode: (groupId) => this.run('groups.inviteCode', () => this.authorize('groups.inviteCode', groupId, 'admin').code),
    revokeInvite: (groupId) => this.run('groups.revokeInvite', () => this.rotate(this.authorize('groups.revokeInvite', groupId, 'admin'))),
    acceptInvite: (code) =>
      this.run('groups.acceptInvite', (): InviteAcceptance => {
        const world = this.byCode('groups.acceptInvite', code);
        if (this.mine(world)) throw this.refuse(409, 'groups.acceptInvite');
        const me = contactOf(toParticipant({ jid: this.self().id, lid: this.self().lid }));
        if (world.meta.joinApprovalMode) {
          world.requests.push({ ...me, method: 'invite_link', requestedAt: nowSeconds() });
          return { status: 'pending' };
        }
        world.meta.participants.push({ ...me, admin: null });
        return { status: 'joined', groupId: world.meta.id };
      }),
    inviteInfo: (code) => this.run('groups.inviteInfo', () => snapshot(this.byCode('groups.inviteInfo', code).meta)),
    participants: (groupId, action, jids) => this.run('groups.participants', () => this.changeParticipants(groupId, action, jids)),
    joinRequests: (groupId) => this.run('groups.joinRequests', () => structuredClone(this.authorize('groups.joinRequests', groupId, 'admin').requests)),
    approveJoinRequests: (groupId, jids) => this.run('groups.approveJoinRequests', () => this.decide('groups.approveJoinRequests', groupId, jids)),
    rejectJoinRequests: (groupId, jids) => this.run('groups.rejectJoinRequests', () => this.decide('groups.rejectJoinRequests', groupId, jids)),
    picture: (groupId) => this.run('groups.picture', () => this.authorize('groups.picture', groupId, 'member').picture),
    setPicture: (groupId, image) =>
      this.change('groups.setPicture', groupId, 'info', (w) => {
        if (image.length === 0) throw new EngineInvalidArgumentError('image', 'must not be empty');
        w.picture = `https://pps.whatsapp.invalid/${groupId}/${++this.seq}.jpg`;
      }),
    removePicture: (groupId) => this.change('groups.removePicture', groupId, 'info', (w) => (w.picture = null))
  };

  /** Counts the call, then answers it now (not connected, a scripted failure, or the world's answer) and delivers it once any hold is released. */
  private async run<T>(command: FakeCommand, answer: () => T): Promise<T> {
    this.counts.set(command, this.calls(command) + 1);
    const gate = this.holds.get(command);
    let deliver: () => T;
    try {
      if (this.currentStatus !== 'WORKING') throw new EngineNotConnectedError(this.currentStatus);
      const failure = this.failures.get(command)?.shift();
      if (failure) throw failure;
      const value = answer();
      deliver = () => value;
    } catch (error) {
      deliver = () => { throw error; };
    }
    await gate;
    return deliver();
  }

  private recorded<T>(command: FakeCommand, call: FakeMessageCall, answer: () => T): Promise<T> {
    this.messageCalls.push(call);
    return this.run(command, answer);
  }

  /** A send-like command: answered with the id it was given, as WhatsApp's server acknowledges it. */
  private sent(command: FakeCommand, call: FakeMessageCall, chat: string, id: string, kind: string): Promise<SentMessage> {
    return this.recorded(command, call, () => {
      const timestamp = nowSeconds();
      return { id, chat, timestamp, raw: { key: { remoteJid: chat, fromMe: true, id }, messageTimestamp: timestamp, message: { fake: kind } } };
    });
  }

  private change(command: FakeCommand, groupId: string, need: Need, apply: (world: World) => unknown): Promise<void> {
    return this.run(command, () => void apply(this.authorize(command, groupId, need)));
  }

  /** member: any member; admin: admins only; info: any member unless the group is locked (restrict). */
  private authorize(command: FakeCommand, groupId: string, need: Need): World {
    const world = this.world.get(groupId);
    if (!world) throw this.refuse(404, command);
    const me = this.mine(world);
    if (!me) throw this.refuse(403, command);
    if ((need === 'admin' || (need === 'info' && world.meta.restrict)) && !me.admin) throw this.refuse(401, command);
    return world;
  }

  private changeParticipants(groupId: string, action: 'add' | 'remove' | 'promote' | 'demote', jids: string[]): ParticipantResult[] {
    const membersMayAdd = action === 'add' && this.world.get(groupId)?.meta.memberAddMode === 'all_member_add';
    const world = this.authorize('groups.participants', groupId, membersMayAdd ? 'member' : 'admin');
    const me = this.mine(world);
    const list = world.meta.participants;
    return jids.map((jid) => {
      const target = list.find((p) => matches(p, jid));
      let status = 200;
      if (action === 'add') {
        if (target) status = 409;
        else list.push(toParticipant(jid));
      } else if (!target) status = 404;
      else if (action !== 'promote' && target.admin === 'superadmin' && target !== me) status = 403;
      else if (action === 'remove') list.splice(list.indexOf(target), 1);
      else if (target.admin !== 'superadmin') target.admin = action === 'promote' ? 'admin' : null;
      return { jid: target?.jid ?? jid, status, addRequest: null };
    });
  }

  private decide(command: FakeCommand, groupId: string, jids: string[]): ParticipantResult[] {
    const world = this.authorize(command, groupId, 'admin');
    return jids.map((jid) => {
      const request = world.requests.find((r) => matches(r, jid));
      if (!request) return { jid, status: 404, addRequest: null };
      world.requests = world.requests.filter((r) => r !== request);
      if (command === 'groups.approveJoinRequests') world.meta.participants.push({ jid: request.jid, lid: request.lid, pn: request.pn, admin: null });
      return { jid: request.jid, status: 200, addRequest: null };
    });
  }

  /** The group an invite code opens: 410 for a revoked code, 406 for one no group ever had. */
  private byCode(command: FakeCommand, code: string): World {
    for (const world of this.world.values()) if (world.code === code) return world;
    throw this.refuse(this.revokedCodes.has(code) ? 410 : 406, command);
  }

  /** A new code for the group; the old one stops working at once. */
  private rotate(world: World, code = this.newCode()): string {
    this.revokedCodes.add(world.code);
    world.code = code;
    return code;
  }

  private mine({ meta }: Pick<World, 'meta'>): GroupParticipant | undefined {
    const me = this.me;
    return me ? meta.participants.find((p) => p.jid === me.id || (!!me.lid && p.lid === me.lid)) : undefined;
  }

  private self(): Me {
    if (this.me) return this.me;
    throw new Error('FakeEngineSession: WORKING without `me`; set it first');
  }

  private existing(groupId: string): World {
    const world = this.world.get(groupId);
    if (!world) throw new Error(`FakeEngineSession: no group ${groupId}; addGroup() it first`);
    return world;
  }

  private newCode(): string { return `FakeCode${String(++this.seq).padStart(6, '0')}`; }

  private refuse(code: number, command: FakeCommand): EngineRemoteError { return new EngineRemoteError(code, TEXTS[code] ?? 'error', command); }
}
