// The port's chat commands: archive, pin, mute, read/unread and clear through WhatsApp's app state (Baileys'
// `chatModify`, which encrypts a patch and pushes it to the server, so the phone and the other devices apply it),
// and pinning a message for everyone (a pin message).
import { proto, type ChatModification, type LastMessageList } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import { PIN_DURATIONS_SECONDS, type ChatCommands, type ChatLastMessage } from '../chats.js';
import type { CommandContext } from './command-context.js';
import { chatJid } from './jids.js';
import { waKey } from './message-keys.js';
import { sendChange } from './send.js';

/** The message range an archive, read or clear names: the chat's newest message when known, else "up to now". */
function lastMessages(chat: string, last: ChatLastMessage | null): LastMessageList {
  if (!last) return { lastMessageTimestamp: Math.floor(Date.now() / 1000) };
  return [{ key: waKey({ ...last.key, chat }, 'last.key'), messageTimestamp: last.timestamp }];
}

function modify(ctx: CommandContext, operation: string, chat: string, change: (jid: string) => ChatModification): Promise<void> {
  const jid = chatJid(chat, 'chat');
  const mod = change(jid);
  return ctx.call(operation, (sock) => sock.chatModify(mod, jid));
}

export function makeChatCommands(ctx: CommandContext): ChatCommands {
  return {
    archive: (chat, archived, last) => modify(ctx, 'chats.archive', chat, (jid) => ({ archive: archived, lastMessages: lastMessages(jid, last) })),
    pin: (chat, pinned) => modify(ctx, 'chats.pin', chat, () => ({ pin: pinned })),
    mute(chat, until) {
      if (until !== null && until !== -1 && (!Number.isInteger(until) || until <= 0)) throw new EngineInvalidArgumentError('until', 'must be epoch milliseconds, -1 (for ever) or null');
      return modify(ctx, 'chats.mute', chat, () => ({ mute: until }));
    },
    markRead: (chat, read, last) => modify(ctx, 'chats.markRead', chat, (jid) => ({ markRead: read, lastMessages: lastMessages(jid, last) })),
    clear: (chat, last) => modify(ctx, 'chats.clear', chat, (jid) => ({ clear: true, lastMessages: lastMessages(jid, last) })),
    pinMessage(key, pin, { id, seconds }) {
      if (!PIN_DURATIONS_SECONDS.includes(seconds)) throw new EngineInvalidArgumentError('seconds', 'must be 86400, 604800 or 2592000');
      const type = pin ? proto.PinInChat.Type.PIN_FOR_ALL : proto.PinInChat.Type.UNPIN_FOR_ALL;
      return sendChange(ctx, pin ? 'chats.pinMessage' : 'chats.unpinMessage', key, id, (target) => ({ pin: target, type, time: seconds }));
    }
  };
}
