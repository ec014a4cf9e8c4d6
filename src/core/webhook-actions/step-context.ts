// What the steps of one reply default to and how they name chats: the delivered event's chat and message,
// and the gateway's reading of phone numbers and JIDs.
import { InvalidAction, readText, type Fields } from './fields.js';

export interface StepContext {
  /** the event's chat (`data.chatId`, else `data.chat`): the default `to` */
  chat: string | undefined;
  /** the event's message (`data.messageId`): the default target of message operations */
  messageId: string | undefined;
  /** a phone number or JID as a normalised chat JID; throws with what to fix */
  recipient(raw: string): string;
}

/** The chat an entry names with `to`, or the event's chat. */
export function targetChat(entry: Fields, context: StepContext): string {
  const raw = readText(entry, 'to') ?? context.chat;
  if (!raw) throw new InvalidAction('to is required: this event names no chat to answer in');
  return context.recipient(raw);
}
