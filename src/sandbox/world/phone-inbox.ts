// A simulated phone's chats: every message it received or its account sent, oldest first, bounded, and
// indexed by message id so duplicates, receipts and references resolve without scanning.
import type { proto } from 'baileys';

/**
 * Comfortably above what one test sends a phone (crash tests send hundreds). A kept text message costs about
 * 1.2 KiB of heap (measured: the decoded proto with its context info, the index entry), media a few KiB more
 * for the thumbnail, so a full inbox is 12–50 MiB; only the phones a test floods get anywhere near it.
 */
export const MAX_PHONE_MESSAGES = 10_000;

export interface MessageReceipt {
  /** delivery, read or played */
  type: string;
  /** the user JID whose device sent the receipt */
  from: string;
  t: number;
}

/** What the simulated phone got from downloading and decrypting a received message's media. */
export interface DecryptedMedia {
  size: number;
  /** hex SHA-256 of the decrypted bytes */
  sha256: string;
  /** whether the message carried a fileSha256 and the decrypted bytes matched it (the MAC is always checked) */
  verified: boolean;
}

/** A message in the simulated phone's chats: one it received, or one the account sent (from any device). */
export interface PhoneMessage {
  id: string;
  /** the author's user JID, in the form (PN or LID) the message was addressed with */
  from: string;
  fromDevice: string;
  fromMe: boolean;
  chat: string;
  participant?: string;
  timestamp: number;
  /** content type: conversation, extendedTextMessage, imageMessage, reactionMessage, protocolMessage… */
  type: string;
  message: proto.IMessage;
  /** how many times this id arrived from its sending device (a resend after a crash reuses the id) */
  copies: number;
  media?: DecryptedMedia | { error: string };
  /** for a poll vote: the options the voter chose, decrypted with the poll's secret */
  vote?: { pollId: string; options: string[] } | { error: string };
  receipts: MessageReceipt[];
  /** set by the account's own app-state patches (a companion starring or deleting it for me) */
  starred?: boolean;
  deletedForMe?: boolean;
}

export class PhoneInbox implements Iterable<PhoneMessage> {
  private readonly messages: PhoneMessage[] = [];
  private readonly byId = new Map<string, PhoneMessage[]>();

  constructor(private readonly capacity = MAX_PHONE_MESSAGES) {}

  get size(): number {
    return this.messages.length;
  }

  [Symbol.iterator](): Iterator<PhoneMessage> {
    return this.messages[Symbol.iterator]();
  }

  keep(message: PhoneMessage): void {
    if (this.messages.length >= this.capacity) this.forget(this.messages.shift()!);
    this.messages.push(message);
    this.byId.set(message.id, [...(this.byId.get(message.id) ?? []), message]);
  }

  /** Every kept message with this id, oldest first (one id can come from several senders). */
  withId(id: string): readonly PhoneMessage[] {
    return this.byId.get(id) ?? [];
  }

  /** The newest message with this id (and direction, if given). */
  find(id: string, fromMe?: boolean): PhoneMessage | undefined {
    const matching = this.withId(id).filter((message) => fromMe === undefined || message.fromMe === fromMe);
    return matching[matching.length - 1];
  }

  private forget(oldest: PhoneMessage): void {
    const rest = this.withId(oldest.id).filter((message) => message !== oldest);
    if (rest.length) this.byId.set(oldest.id, rest);
    else this.byId.delete(oldest.id);
  }
}
