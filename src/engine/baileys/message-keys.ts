// The port's MessageKey and quoted messages as Baileys wants them, checked at the edge.
import { isJidGroup, type WAMessage, type WAMessageKey } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { MessageKey, SendOptions } from '../types.js';
import { chatJid, userJid } from './jids.js';
import { messageFromRaw } from './raw-message.js';

/** A message key: in a group, a message not ours needs its author (WhatsApp addresses it by chat, id and author). */
export function waKey(key: MessageKey, argument = 'key'): WAMessageKey {
  const remoteJid = chatJid(key.chat, `${argument}.chat`);
  if (!key.id?.trim()) throw new EngineInvalidArgumentError(`${argument}.id`, 'must not be empty');
  const participant = key.participant ? userJid(key.participant, `${argument}.participant`) : undefined;
  if (isJidGroup(remoteJid) && !key.fromMe && !participant) {
    throw new EngineInvalidArgumentError(`${argument}.participant`, 'must name the author of a group message that is not ours');
  }
  return { remoteJid, id: key.id, fromMe: key.fromMe, ...(participant && !key.fromMe ? { participant } : {}) };
}

/**
 * The message a send quotes: the stored original when there is one, else a reference by key with an empty text
 * (recipients that have the original show it; Baileys needs some quoted content to build the reply).
 */
export function quotedMessage(quoted: NonNullable<SendOptions['quoted']>): WAMessage {
  const key = waKey(quoted.key, 'quoted.key');
  const message = quoted.raw ? messageFromRaw(quoted.raw, 'quoted.raw').message : null;
  return { key, message: message ?? { conversation: '' } };
}
