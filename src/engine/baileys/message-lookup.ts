// Finding a message this session sent or received by its key: for Baileys' getMessage (a recipient that could not
// decrypt one asks for it again) and for decrypting poll votes. The consumer's store (EngineSessionConfig
// .storedMessage) first, then the recent messages kept in memory.
import { isJidGroup, type proto, type WAMessageKey } from 'baileys';
import type { EngineLogger, EngineSessionConfig } from '../port.js';
import type { MessageKey } from '../types.js';
import type { RecentMessages } from './recent-messages.js';
import type { JidResolver } from './jid-resolver.js';
import { messageFromRaw } from './raw-message.js';

export type MessageLookup = (key: proto.IMessageKey) => Promise<proto.IMessage | undefined>;

export interface MessageLookupDeps {
  storedMessage: EngineSessionConfig['storedMessage'];
  recentMessages: RecentMessages;
  resolver: JidResolver;
  logger: EngineLogger;
}

/** Baileys' key in the port's terms: chats and authors by PN when known, as the port reported them. */
async function portKey(key: proto.IMessageKey & Partial<WAMessageKey>, id: string, resolver: JidResolver): Promise<MessageKey> {
  const remote = key.remoteJid ?? '';
  const group = isJidGroup(remote);
  const [chat, author] = await resolver.refs([group ? [null] : [remote, key.remoteJidAlt], [key.participant, key.participantAlt]]);
  return { chat: group ? remote : (chat?.jid ?? remote), id, fromMe: !!key.fromMe, participant: author?.jid ?? null };
}

export function messageLookup({ storedMessage, recentMessages, resolver, logger }: MessageLookupDeps): MessageLookup {
  return async (key) => {
    const id = key.id;
    if (!id) return undefined;
    if (storedMessage) {
      try {
        const raw = await storedMessage(await portKey(key, id, resolver));
        const message = raw ? messageFromRaw(raw).message : undefined;
        if (message) return message;
      } catch (error) {
        logger.warn({ err: error, id }, 'could not read a stored message; trying the recent ones in memory');
      }
    }
    return recentMessages.find(id);
  };
}
