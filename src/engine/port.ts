// The engine port: the only interface the gateway has to WhatsApp. An Engine makes one EngineSession per
// gateway session; the session connects, links, reconnects and runs commands, and reports what happens as
// typed events. Everything here speaks our types (./types.ts); no engine library shape crosses this line.
import type { ChatCommands } from './chats.js';
import type { EngineOptions } from './options.js';
import type { ProfileCommands } from './profile.js';
import type { EventSource } from './typed-emitter.js';
import type {
  ChatPresence,
  ContactRef,
  EngineEventMap,
  GroupMetadata,
  GroupSetting,
  JoinRequest,
  Me,
  MemberAddMode,
  MessageKey,
  OnWhatsAppResult,
  OutboundContent,
  ParticipantResult,
  SendOptions,
  SentMessage,
  SessionStatus
} from './types.js';

/**
 * Durable storage of one session's auth state: the credentials document and the Signal keys, both as opaque
 * serialised strings the engine writes and reads back. Writes must be durable when the promise resolves.
 */
export interface AuthStateStore {
  loadCreds(): Promise<string | null>;
  saveCreds(json: string): Promise<void>;
  /** the values found, by id; missing ids are absent */
  getKeys(type: string, ids: string[]): Promise<Record<string, string>>;
  /** per type, per id: the value to store, or null to delete it; applied atomically */
  setKeys(writes: Record<string, Record<string, string | null>>): Promise<void>;
  /** removes the creds and every key (logout) */
  purge(): Promise<void>;
}

/** Where to connect: WhatsApp by default, or a sandbox network (its WebSocket URL and the keys to trust). */
export interface EngineNetwork {
  wsUrl?: string;
  /** hex X25519 public key that signs the server's certificate chain (the sandbox root) */
  trustRootHex?: string;
  /** PEM of a certificate authority to trust, besides the public ones, for media uploads and downloads (the sandbox's media host) */
  mediaCaPem?: string;
}

/** Structured logger (pino-compatible): object first, then message. */
export interface EngineLogger {
  level: string;
  child(bindings: Record<string, unknown>): EngineLogger;
  trace(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface EngineSessionConfig {
  sessionId: string;
  authStore: AuthStateStore;
  network?: EngineNetwork;
  logger: EngineLogger;
  options?: Partial<EngineOptions>;
  /**
   * Awaited before WhatsApp is told that an inbound stanza (message, receipt, notification) was received:
   * resolves once everything the session has emitted so far is durably stored. Rejecting leaves the stanza
   * unacknowledged and drops the connection, so WhatsApp redelivers it after the reconnect.
   */
  durable?: () => Promise<void>;
  /**
   * A message this session sent or received, as stored `raw` protobuf JSON, or null when it is not stored:
   * WhatsApp asks for it again when a recipient could not decrypt it, and poll votes are decrypted with it.
   */
  storedMessage?: (key: MessageKey) => Promise<unknown | null>;
}

export interface Engine {
  readonly name: string;
  createSession(config: EngineSessionConfig): EngineSession;
}

/**
 * Messages. Sends resolve once WhatsApp's server has acknowledged the message (its `ack`), reject with
 * EngineRemoteError when the server refuses it, and with EngineTimeoutError when no ack comes in time (the
 * message may still have gone out: resend it with the same id, which recipients treat as the same message).
 */
export interface MessageCommands {
  /** a new WhatsApp message id; works in any session state */
  newMessageId(): string;
  send(to: string, content: OutboundContent, options: SendOptions): Promise<SentMessage>;
  /** reacts to a message; '' removes our reaction */
  react(key: MessageKey, emoji: string, options: { id: string }): Promise<SentMessage>;
  /** edits one of our text (or caption) messages */
  edit(key: MessageKey, text: string, options: { id: string }): Promise<SentMessage>;
  /** deletes a message for everyone (ours, or anyone's in a group we administer) */
  revoke(key: MessageKey, options: { id: string }): Promise<SentMessage>;
  /** deletes a message on our devices only (app state); `timestamp` is the message's, unix seconds */
  deleteForMe(key: MessageKey, timestamp: number, deleteMedia: boolean): Promise<void>;
  star(key: MessageKey, starred: boolean): Promise<void>;
  /** sends read receipts for received messages */
  read(keys: MessageKey[]): Promise<void>;
  /** our presence in a chat (typing, recording, paused) or globally (available, unavailable: chat omitted) */
  presence(state: ChatPresence, chat?: string): Promise<void>;
  /** the decrypted bytes of a received message's media, from its stored `raw` */
  downloadMedia(raw: unknown): Promise<Buffer>;
}

export interface ContactCommands {
  /** which of these phone numbers have WhatsApp */
  onWhatsApp(numbers: string[]): Promise<OnWhatsAppResult[]>;
  /** a user's or group's picture URL, or null when there is none */
  pictureUrl(jid: string, options?: { highRes?: boolean }): Promise<string | null>;
  /**
   * Both identities of a person given by one (a phone number, PN JID or LID): from the session's LID mapping,
   * asking WhatsApp (usync) for a PN it does not know; the half that stays unknown is null.
   */
  resolveLid(jid: string): Promise<ContactRef>;
}

export type InviteAcceptance = { status: 'joined'; groupId: string } | { status: 'pending' };

export interface GroupCommands {
  /** every group the account participates in */
  list(): Promise<GroupMetadata[]>;
  metadata(groupId: string): Promise<GroupMetadata>;
  create(subject: string, participants: string[]): Promise<GroupMetadata>;
  leave(groupId: string): Promise<void>;
  updateSubject(groupId: string, subject: string): Promise<void>;
  /** null removes the description */
  updateDescription(groupId: string, description: string | null): Promise<void>;
  setting(groupId: string, setting: GroupSetting): Promise<void>;
  joinApprovalMode(groupId: string, enabled: boolean): Promise<void>;
  memberAddMode(groupId: string, mode: MemberAddMode): Promise<void>;
  /** disappearing-message timer in seconds, 0 = off */
  ephemeral(groupId: string, seconds: number): Promise<void>;
  inviteCode(groupId: string): Promise<string>;
  /** revokes the current link and returns the new code */
  revokeInvite(groupId: string): Promise<string>;
  /** joins through an invite code: joined at once, or a join request pending the admins' approval */
  acceptInvite(code: string): Promise<InviteAcceptance>;
  inviteInfo(code: string): Promise<GroupMetadata>;
  participants(groupId: string, action: 'add' | 'remove' | 'promote' | 'demote', jids: string[]): Promise<ParticipantResult[]>;
  joinRequests(groupId: string): Promise<JoinRequest[]>;
  approveJoinRequests(groupId: string, jids: string[]): Promise<ParticipantResult[]>;
  rejectJoinRequests(groupId: string, jids: string[]): Promise<ParticipantResult[]>;
  /** the picture's URL, or null when the group has none */
  picture(groupId: string, options?: { highRes?: boolean }): Promise<string | null>;
  /** sets the picture from image bytes (JPEG or PNG) */
  setPicture(groupId: string, image: Buffer): Promise<void>;
  removePicture(groupId: string): Promise<void>;
}

/**
 * One gateway session's link to WhatsApp: the connection lifecycle here, commands in one sub-port per category. Lifecycle calls never throw for connection trouble: it is reported
 * through `status` events. Commands reject with EngineNotConnectedError unless the status is WORKING.
 */
export interface EngineSession {
  readonly sessionId: string;
  readonly status: SessionStatus;
  /** the linked account; null until linked */
  readonly me: Me | null;
  readonly events: EventSource<EngineEventMap>;

  /** connects (logging in with stored auth, or showing QR codes to link); resolves once the first attempt is under way */
  start(): Promise<void>;
  /** closes the connection and keeps the auth state (status STOPPED) */
  stop(): Promise<void>;
  /** unlinks this device at WhatsApp when connected, then purges the auth state (status LOGGED_OUT) */
  logout(): Promise<void>;
  /** links by pairing code instead of QR: starts the session if needed and resolves with the code to enter on the phone */
  requestPairingCode(phone: string): Promise<string>;

  readonly messages: MessageCommands;
  readonly contacts: ContactCommands;
  readonly groups: GroupCommands;
  readonly chats: ChatCommands;
  readonly profile: ProfileCommands;
}
