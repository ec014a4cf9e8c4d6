// The engine's data shapes: session state, the events a session emits and the results of its commands.
// JIDs are normalised (no device part; users `…@s.whatsapp.net`, LIDs `…@lid`, groups `…@g.us`) and every
// person carries both identities WhatsApp may use for them: the phone number (PN) and the LID.

import type { ChatEventMap } from './chats.js';

/** A person as WhatsApp knows them: `jid` is the PN JID when known, else the LID. */
export interface ContactRef {
  jid: string;
  lid: string | null;
  pn: string | null;
}

/** The linked account this session acts as. */
export interface Me {
  id: string;
  lid: string | null;
  name: string | null;
}

export const SESSION_STATUSES = ['STARTING', 'SCAN_QR_CODE', 'WORKING', 'RECONNECTING', 'FAILED', 'LOGGED_OUT', 'STOPPED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * Why the connection to WhatsApp closed: WhatsApp's (or the socket's) numeric code and its text; code 0 when
 * the engine could not open a connection at all (e.g. the auth state could not be written).
 */
export interface Disconnect {
  code: number;
  reason: string;
}

export type StatusChange =
  | { status: 'STARTING' }
  | { status: 'SCAN_QR_CODE'; qr: string; expiresInMs: number }
  | { status: 'WORKING'; me: Me }
  /** `attempt` counts failed connections since the session was last WORKING; 515 restarts are not counted. */
  | { status: 'RECONNECTING'; attempt: number; delayMs: number; disconnect: Disconnect }
  | { status: 'FAILED'; reason: string; disconnect?: Disconnect }
  | { status: 'LOGGED_OUT'; reason: string }
  | { status: 'STOPPED' };

export interface QrCode {
  qr: string;
  expiresInMs: number;
}

export interface PairingCode {
  phone: string;
  code: string;
}

export type MessageType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'reaction'
  | 'poll'
  | 'other';

/** Which message an action targets: its chat, id, whether we sent it, and in groups the author of a message not ours. */
export interface MessageKey {
  chat: string;
  id: string;
  fromMe: boolean;
  participant?: string | null;
}

/** A media attachment as WhatsApp announces it; the bytes are fetched with MessageCommands.downloadMedia. */
export interface InboundMedia {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mimetype: string | null;
  fileName: string | null;
  /** bytes, as WhatsApp announced */
  size: number | null;
  /** hex SHA-256 of the plaintext file: a content address known before downloading */
  sha256: string | null;
  seconds: number | null;
  /** audio sent as a voice note */
  voiceNote: boolean;
  gifPlayback: boolean;
  viewOnce: boolean;
}

export interface EngineMessage {
  id: string;
  chat: string;
  sender: ContactRef;
  fromMe: boolean;
  /** unix seconds */
  timestamp: number;
  type: MessageType;
  /** the text, or the caption of a media message */
  text: string | null;
  pushName: string | null;
  quotedId: string | null;
  /** user JIDs mentioned in the text */
  mentions: string[];
  forwarded: boolean;
  media: InboundMedia | null;
  /** the message as WhatsApp's protobuf JSON (bytes base64, 64-bit numbers as numbers) */
  raw: unknown;
}

/** A message was edited by its author: `id` is the edited message's id. */
export interface MessageEdit {
  id: string;
  chat: string;
  sender: ContactRef;
  fromMe: boolean;
  text: string | null;
  /** unix seconds */
  timestamp: number;
  raw: unknown;
}

/** A message was deleted for everyone: `id` is the deleted message's id, `sender` who deleted it. */
export interface MessageRevoke {
  id: string;
  chat: string;
  sender: ContactRef;
  fromMe: boolean;
  /** unix seconds */
  timestamp: number;
}

/** A reaction to `target`; `emoji` is '' when the reaction was removed. */
export interface MessageReaction {
  /** the reaction message's own id */
  id: string;
  chat: string;
  target: MessageKey;
  sender: ContactRef;
  fromMe: boolean;
  emoji: string;
  /** unix seconds */
  timestamp: number;
}

/** A decrypted poll vote: the options `voter` has chosen now (empty = vote withdrawn). */
export interface PollVote {
  pollId: string;
  chat: string;
  voter: ContactRef;
  options: string[];
  /** unix seconds */
  timestamp: number;
}

export interface CallEvent {
  id: string;
  from: ContactRef;
  /** the group the call is in, if any */
  groupId: string | null;
  status: 'offer' | 'ringing' | 'accept' | 'reject' | 'timeout' | 'terminate';
  video: boolean;
  /** unix seconds */
  timestamp: number;
}

export type DeliveryStatus = 'error' | 'pending' | 'sent' | 'delivered' | 'read' | 'played';

export interface MessageStatusUpdate {
  id: string;
  chat: string;
  fromMe: boolean;
  /** in groups, the member whose receipt this is */
  participant: ContactRef | null;
  status: DeliveryStatus;
  /** unix seconds, when WhatsApp said */
  timestamp: number | null;
}

export type MemberAddMode = 'admin_add' | 'all_member_add';

export interface GroupChanges {
  subject?: string;
  description?: string | null;
  announce?: boolean;
  restrict?: boolean;
  inviteCode?: string;
  memberAddMode?: MemberAddMode;
  joinApprovalMode?: boolean;
  /** disappearing-message timer in seconds, 0 = off */
  ephemeral?: number;
  /** WhatsApp's id of the new group picture; null when the picture was removed */
  pictureId?: string | null;
}

export interface GroupUpdate {
  groupId: string;
  author: ContactRef | null;
  changes: GroupChanges;
}

export type GroupParticipantAction = 'add' | 'remove' | 'promote' | 'demote' | 'leave';

export interface GroupParticipantsUpdate {
  groupId: string;
  author: ContactRef | null;
  action: GroupParticipantAction;
  participants: ContactRef[];
}

export interface GroupJoinRequestUpdate {
  groupId: string;
  author: ContactRef | null;
  participant: ContactRef;
  action: 'created' | 'revoked' | 'rejected';
  method: string | null;
}

export type Presence = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused';

export interface PresenceUpdate {
  chat: string;
  participant: ContactRef;
  presence: Presence;
  /** unix seconds */
  lastSeen: number | null;
}

export interface EngineEventMap extends ChatEventMap {
  status: StatusChange;
  qr: QrCode;
  pairing_code: PairingCode;
  message: EngineMessage;
  message_edit: MessageEdit;
  message_revoke: MessageRevoke;
  message_reaction: MessageReaction;
  poll_vote: PollVote;
  call: CallEvent;
  message_status: MessageStatusUpdate;
  group_update: GroupUpdate;
  group_participants: GroupParticipantsUpdate;
  group_join_request: GroupJoinRequestUpdate;
  presence: PresenceUpdate;
}

export type GroupAdmin = null | 'admin' | 'superadmin';

export interface GroupParticipant extends ContactRef {
  admin: GroupAdmin;
}

export interface GroupMetadata {
  id: string;
  subject: string;
  description: string | null;
  /** the creator, as a PN JID when known */
  owner: string | null;
  /** unix seconds */
  creation: number | null;
  /** only admins may send */
  announce: boolean;
  /** only admins may edit the group info */
  restrict: boolean;
  joinApprovalMode: boolean;
  memberAddMode: MemberAddMode;
  /** disappearing-message timer in seconds, 0 = off */
  ephemeral: number;
  addressingMode: 'pn' | 'lid';
  size: number;
  participants: GroupParticipant[];
}

export type GroupSetting = 'announcement' | 'not_announcement' | 'locked' | 'unlocked';

/** One participant's outcome of an add/remove/promote/demote or a join-request decision. */
export interface ParticipantResult {
  jid: string;
  /** WhatsApp's per-participant code: 200 done, 403 not allowed (privacy), 404 not on WhatsApp, 409 already in… */
  status: number;
  /** when an add is refused by the person's privacy settings, WhatsApp hands back an invite to send them */
  addRequest: { code: string; expiration: number } | null;
}

export interface JoinRequest extends ContactRef {
  method: string | null;
  /** unix seconds */
  requestedAt: number | null;
}

export interface SentMessage {
  id: string;
  chat: string;
  /** unix seconds */
  timestamp: number;
  /** the message as sent, WhatsApp's protobuf JSON like EngineMessage.raw (for the store, quoting and retries) */
  raw: unknown;
}

export interface OutboundMedia {
  data: Buffer;
  mimetype: string;
}

export interface OutboundButton {
  type: 'reply' | 'url' | 'call' | 'copy';
  displayText: string;
  id?: string;
  url?: string;
  phoneNumber?: string;
  copyCode?: string;
}

export interface OutboundListSection {
  title: string;
  rows: { id: string; title: string; description?: string }[];
}

/** What to send, with media already prepared (converted, compressed, thumbnails made) by the caller. */
export type OutboundContent =
  | { type: 'text'; text: string }
  | { type: 'image'; media: OutboundMedia; caption?: string; thumbnail?: Buffer; width?: number; height?: number; viewOnce?: boolean }
  | { type: 'video'; media: OutboundMedia; caption?: string; thumbnail?: Buffer; seconds?: number; width?: number; height?: number; gifPlayback?: boolean; viewOnce?: boolean }
  | { type: 'audio'; media: OutboundMedia; seconds?: number; voiceNote: boolean }
  | { type: 'document'; media: OutboundMedia; fileName: string; caption?: string; thumbnail?: Buffer }
  | { type: 'sticker'; media: OutboundMedia; animated?: boolean }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contacts'; displayName: string; vcards: string[] }
  | { type: 'poll'; name: string; options: string[]; selectableCount: number }
  | { type: 'buttons'; text: string; footer?: string; buttons: OutboundButton[] }
  | { type: 'list'; text: string; footer?: string; title?: string; buttonText: string; sections: OutboundListSection[] };

export interface SendOptions {
  /** our message id, made with MessageCommands.newMessageId() and kept across retries: a resend is the same message */
  id: string;
  /** the message this one replies to; `raw` (stored protobuf JSON) quotes it in full, else it is referenced by key */
  quoted?: { key: MessageKey; raw: unknown | null };
  /** user JIDs to mention */
  mentions?: string[];
  forwarded?: boolean;
}

export type ChatPresence = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused';

export interface OnWhatsAppResult {
  /** the number as given */
  input: string;
  jid: string | null;
  /** the account's LID, when it exists and WhatsApp said */
  lid: string | null;
  exists: boolean;
}
