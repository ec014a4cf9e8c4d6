// Which of a phone's messages a control request means: those in a chat, by an author, since a time. People
// are named by phone number, PN or LID JID alike, so a 1:1 chat matches in whichever form it was addressed.
import { isJidGroup, jidNormalizedUser } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { ControlError } from './api.js';
import { chatJid } from './message-content.js';

export type MessageFilter = (message: PhoneMessage) => boolean;

/** Messages in `chat` (a person or a group); unknown chats are a 404. */
export function inChat(network: SandboxNetwork, chat: string): MessageFilter {
  const jid = chatJid(network, chat);
  if (isJidGroup(jid)) return (m) => jidNormalizedUser(m.chat) === jid;
  const person = network.accounts.resolve(jid)?.account;
  return (m) => network.accounts.resolve(m.chat)?.account === person;
}

/** Messages written by `author` (from any of their devices). */
export function byAuthor(network: SandboxNetwork, author: string): MessageFilter {
  const jid = chatJid(network, author);
  if (isJidGroup(jid)) throw new ControlError(400, `from: ${author} is a group; give the author's phone number or JID`);
  const person = network.accounts.resolve(jid)?.account;
  return (m) => network.accounts.resolve(m.fromDevice)?.account === person;
}

/** Messages stamped at or after `since` (unix seconds). */
export function sentSince(seconds: number): MessageFilter {
  return (m) => m.timestamp >= seconds;
}
