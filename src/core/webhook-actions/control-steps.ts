// Control entries of a reply (WARest §6.1.5) that are not flow: message operations (react, star, unstar,
// delete, revoke, edit, read) on the event's message unless told otherwise, presence, and delays.
import type { ChatPresence } from '../../engine/types.js';
import type { ActionInput, MessageAction } from '../messages/message-actions.js';
import { InvalidAction, isFields, readCount, readNumber, readText, requireText, type Fields } from './fields.js';
import { targetChat, type StepContext } from './step-context.js';
import type { DelayStep, OperateStep, PresenceStep } from './steps.js';

const OPERATIONS: ReadonlyMap<string, MessageAction> = new Map(
  (['react', 'unreact', 'star', 'unstar', 'delete', 'revoke', 'edit', 'read'] as const).map((action) => [action, action])
);

const PRESENCE_WORDS: ReadonlyMap<string, ChatPresence> = new Map([
  ['typing', 'composing'],
  ['composing', 'composing'],
  ['recording', 'recording'],
  ['audio', 'recording'],
  ['paused', 'paused'],
  ['available', 'available'],
  ['online', 'available'],
  ['unavailable', 'unavailable'],
  ['offline', 'unavailable']
]);

export const isOperationType = (type: string): boolean => OPERATIONS.has(type);
export const isPresenceType = (type: string): boolean => type === 'typing' || type === 'presence';

function presenceState(word: string): ChatPresence {
  const state = PRESENCE_WORDS.get(word.toLowerCase());
  if (!state) throw new InvalidAction(`state must be typing, recording, paused, available or unavailable, not "${word.slice(0, 20)}"`);
  return state;
}

/** The event's message unless the entry names one (`messageId`, or `key` {id, remoteJid}); `to` names its chat. */
export function operationStep(path: string, type: string, entry: Fields, context: StepContext): OperateStep {
  const key: Fields = isFields(entry.key) ? entry.key : {};
  const named = readText(entry, 'messageId') ?? readText(key, 'id');
  const messageId = named ?? context.messageId;
  if (!messageId) throw new InvalidAction('messageId (or key.id) is required: this event names no message');
  const chat = readText(entry, 'to') ?? readText(key, 'remoteJid') ?? (named ? undefined : context.chat);
  let action = OPERATIONS.get(type)!;
  const input: ActionInput = {};
  if (action === 'react') {
    // An empty emoji (WhatsApp's own way) takes our reaction back.
    if (entry.emoji === '') action = 'unreact';
    else input.emoji = requireText(entry, 'emoji');
  }
  if (action === 'edit') input.text = requireText(entry, 'text', 'message');
  return { kind: 'operate', path, type, action, messageId, ...(chat ? { chat: context.recipient(chat) } : {}), input };
}

/** `typing` defaults to the typing state; available and unavailable are global, the others shown in a chat. */
export function presenceStep(path: string, type: string, entry: Fields, context: StepContext): PresenceStep {
  const word = readText(entry, 'state', 'presence') ?? (type === 'typing' ? 'typing' : undefined);
  if (!word) throw new InvalidAction('state is required: typing, recording, paused, available or unavailable');
  const state = presenceState(word);
  const global = state === 'available' || state === 'unavailable';
  return { kind: 'presence', path, type, state, ...(global ? {} : { chat: targetChat(entry, context) }) };
}

export function delayStep(path: string, type: string, entry: Fields, context: StepContext): DelayStep {
  const seconds = readNumber(entry, 'seconds');
  if (seconds !== undefined && seconds < 0) throw new InvalidAction('seconds must be 0 or more');
  const ms = readCount(entry, 'ms') ?? (seconds === undefined ? undefined : Math.round(seconds * 1000));
  if (ms === undefined) throw new InvalidAction('ms (or seconds) is required');
  const word = readText(entry, 'state');
  if (word === undefined) return { kind: 'delay', path, type, ms };
  const state = presenceState(word);
  if (state !== 'composing' && state !== 'recording') throw new InvalidAction('the state of a delay must be typing or recording');
  return { kind: 'delay', path, type, ms, shown: { state, chat: targetChat(entry, context) } };
}
